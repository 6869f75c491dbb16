"""pipeline.translate.argos: the tiny copy model in a temp folder, run through the real argos path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.errors import ModelError, UsageError
from pipeline.translate import argos, packages
from pipeline.translate.argos import ArgosTranslator, Settings, split_long

from support import TEST_PACKAGE as FIXTURE

LIMIT = 62  # the copy model has 63 positions; the source's end token takes one


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> packages.Package:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    return packages.install_file(FIXTURE)


@pytest.fixture
def translator(package: packages.Package) -> ArgosTranslator:
    return ArgosTranslator.load("bg", "en", Settings(threads=1))


LONG = " ".join(["Хиляди хора излязоха по улиците на столицата, а полицията мълчеше."] * 6)
TEXTS = {
    "bulgarian": ["Правителството обяви нови мерки в понеделник."],
    "english": ["The minister said fuel prices would be frozen."],
    "nothing": [],
    "empty-and-blank": ["", "   ", "\n"],
    "padded": ["  Текст с интервали.  "],
    "unseen-characters": ["Ölpreis 😀 日本 — «тест» № 5 € ½"],
    "underscore-and-double-space": ["snake_case  and  spaces"],
    "duplicates": ["Едно и също.", "Едно и също.", "Друго."],
    "over-the-length-limit": [LONG, "Кратко."],
    "one-endless-word": ["а" * 500],
}


@pytest.mark.parametrize("texts", TEXTS.values(), ids=TEXTS.keys())
def test_copy_model_gives_back_the_input(translator: ArgosTranslator, texts: list[str]) -> None:
    assert translator.translate(texts) == [t.strip() for t in texts]


def test_long_input_is_really_over_the_limit(translator: ArgosTranslator) -> None:
    assert translator.settings.max_tokens == LIMIT
    assert len(translator._pieces.encode(LONG)) > 3 * LIMIT


def test_long_input_fails_without_splitting(translator: ArgosTranslator) -> None:
    """The copy model cannot take more than its positions: splitting is what makes the long case pass."""
    pieces = translator._pieces.encode(LONG, out_type=str)
    with pytest.raises(RuntimeError, match="position"):
        translator._model.translate_batch([pieces], max_input_length=0)


def test_name_settings_and_model_id(translator: ArgosTranslator, package: packages.Package) -> None:
    assert translator.name == "argos:translate-bg_en-0_1"
    assert translator.settings == Settings(threads=1, max_tokens=LIMIT)
    assert translator.compute_type in ("int8", "default")
    assert translator.model_id.startswith("argos:translate-bg_en-0_1@") and translator.model_id.endswith(
        "/beam4"
    )


@pytest.mark.parametrize("beam", [1, 2, 4])
def test_beam_sizes(package: packages.Package, beam: int) -> None:
    translator = ArgosTranslator.load("bg", "en", Settings(beam_size=beam, threads=1, batch_tokens=16))
    texts = ["Първо изречение.", "Второ, малко по-дълго изречение с думи.", "Трето."]
    assert translator.translate(texts) == texts


def test_duplicates_are_translated_once(translator: ArgosTranslator, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[list[str]]] = []
    run = translator._run
    monkeypatch.setattr(translator, "_run", lambda chunks: calls.append(chunks) or run(chunks))
    assert translator.translate(["Да.", "Не.", "Да.", ""]) == ["Да.", "Не.", "Да.", ""]
    assert len(calls) == 1 and len(calls[0]) == 2


def test_no_package_for_the_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    with pytest.raises(ModelError) as error:
        ArgosTranslator.load("bg", "en")
    assert str(error.value) == (
        f"no Argos package for bg->en in {tmp_path / 'empty'} (installed: none); "
        "run `newsalign models install bg en`"
    )


def test_settings_follow_argos_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "2")
    monkeypatch.setenv("ARGOS_INTRA_THREADS", "1")
    monkeypatch.setenv("ARGOS_COMPUTE_TYPE", "float32")
    monkeypatch.setenv("NEWSALIGN_BATCH_TOKENS", "512")
    assert Settings.from_env() == Settings(beam_size=2, threads=1, compute_type="float32", batch_tokens=512)


@pytest.mark.parametrize("value", ["four", "-1", "2.5"])
def test_settings_refuse_junk(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ARGOS_BEAM_SIZE", value)
    with pytest.raises(UsageError, match=f"ARGOS_BEAM_SIZE='{re.escape(value)}' is not a whole number"):
        Settings.from_env()


def test_position_limit_of_the_fixture_and_of_junk(package: packages.Package, tmp_path: Path) -> None:
    assert argos.position_limit(package.path / "model" / "model.bin") == 63
    junk = tmp_path / "model.bin"
    junk.write_bytes(b"\x06\x00\x00\x00\xff")
    assert argos.position_limit(junk) is None
    assert argos.position_limit(tmp_path / "absent.bin") is None


W = "\u2581"
SPLITS = [
    ("short", [[f"{W}a", "b"]], 4, ([[f"{W}a", "b"]], [0])),
    ("empty", [[]], 4, ([[]], [0])),
    ("exactly-the-limit", [[f"{W}a", f"{W}b", f"{W}c"]], 3, ([[f"{W}a", f"{W}b", f"{W}c"]], [0])),
    (
        "after-punctuation",
        [[f"{W}a", ",", f"{W}b", f"{W}c", f"{W}d"]],
        4,
        ([[f"{W}a", ","], [f"{W}b", f"{W}c", f"{W}d"]], [0, 0]),
    ),
    (
        "before-a-word",
        [[f"{W}aa", "b", f"{W}c", "d", f"{W}e"]],
        4,
        ([[f"{W}aa", "b", f"{W}c", "d"], [f"{W}e"]], [0, 0]),
    ),
    ("no-word-start", [[f"{W}a", "b", "c", "d", "e"]], 2, ([[f"{W}a", "b"], ["c", "d"], ["e"]], [0, 0, 0])),
    (
        "several-inputs",
        [["x"], [f"{W}a", f"{W}b", f"{W}c"], ["y"]],
        2,
        ([["x"], [f"{W}a", f"{W}b"], [f"{W}c"], ["y"]], [0, 1, 1, 2]),
    ),
]


@pytest.mark.parametrize("pieces, limit, expected", [s[1:] for s in SPLITS], ids=[s[0] for s in SPLITS])
def test_split_long(pieces: list[list[str]], limit: int, expected) -> None:
    chunks, owners = split_long(pieces, limit)
    assert (chunks, owners) == expected
    assert all(len(c) <= limit for c in chunks)
    assert [t for c in chunks for t in c] == [t for p in pieces for t in p]
