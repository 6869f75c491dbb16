"""pipeline.translate.apertium: pair routing, the bg->mk->en pivot on Debian's Apertium, output clean-up."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.errors import ModelError
from pipeline.translate import apertium
from pipeline.translate.apertium import ApertiumTranslator, route

HAVE_PIVOT = shutil.which("apertium") is not None and {"bul-mkd", "mkd-eng"} <= (
    apertium.installed_modes() if shutil.which("apertium") else set()
)
needs_apertium = pytest.mark.skipif(
    not HAVE_PIVOT,
    reason="Apertium bul-mkd and mkd-eng not installed "
    "(apt-get install apertium apertium-mkd-bul apertium-mkd-eng)",
)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")

ROUTES = [
    ("direct", "spa", "cat", {"spa-cat", "spa-por", "por-cat"}, ("spa-cat",)),
    ("pivot", "bul", "eng", {"bul-mkd", "mkd-eng", "mkd-bul"}, ("bul-mkd", "mkd-eng")),
    ("first-pivot-alphabetically", "a", "c", {"a-x", "x-c", "a-b", "b-c"}, ("a-b", "b-c")),
    ("no-way", "eng", "bul", {"bul-mkd", "mkd-eng"}, None),
    ("no-modes", "bul", "eng", set(), None),
    ("variant-modes-are-not-pivots", "bul", "eng", {"bul-mkd-anmor", "mkd-eng"}, None),
]


@pytest.mark.parametrize(
    "source, target, modes, expected", [r[1:] for r in ROUTES], ids=[r[0] for r in ROUTES]
)
def test_route(source: str, target: str, modes: set[str], expected: tuple[str, ...] | None) -> None:
    assert route(source, target, modes) == expected


def test_missing_program(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    with pytest.raises(ModelError, match="^the apertium program is not installed"):
        ApertiumTranslator.load("bg", "en")


@pytest.mark.parametrize(
    "source, target, message",
    [
        ("xx", "en", "no Apertium language code known for 'xx'"),
        ("en", "bg", "Apertium has no installed pair or pivot for eng->bul"),
    ],
)
def test_missing_pair(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, target: str, message: str
) -> None:
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    monkeypatch.setattr(apertium.shutil, "which", lambda name: "/usr/bin/apertium")
    monkeypatch.setattr(apertium, "installed_modes", lambda: {"bul-mkd", "mkd-eng"})
    with pytest.raises(ModelError) as error:
        ApertiumTranslator.load(source, target)
    assert str(error.value) == message


def test_the_installed_modes_are_listed_once_until_a_package_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    monkeypatch.setattr(apertium.shutil, "which", lambda name: "/usr/bin/apertium")
    monkeypatch.setattr(apertium, "_package_version", lambda mode: f"apertium-{mode} 1.0")
    listed: list[int] = []
    monkeypatch.setattr(apertium, "installed_modes", lambda: listed.append(1) or {"bul-mkd", "mkd-eng"})
    monkeypatch.setattr(apertium, "_installation_key", lambda: "installed on Monday")
    names = [ApertiumTranslator.load("bg", "en").name for _ in range(3)]
    assert listed == [1]
    assert names == ["apertium:bul-mkd|mkd-eng (apertium-bul-mkd 1.0, apertium-mkd-eng 1.0)"] * 3
    monkeypatch.setattr(apertium, "_installation_key", lambda: "a package came on Tuesday")
    ApertiumTranslator.load("bg", "en")
    assert listed == [1, 1]


@pytest.fixture(scope="module")
def pivot() -> ApertiumTranslator:
    if not HAVE_PIVOT:
        pytest.skip("Apertium bul-mkd and mkd-eng not installed")
    return ApertiumTranslator.load("bg", "en")


@needs_apertium
def test_load_pivot(pivot: ApertiumTranslator) -> None:
    assert (pivot.modes, pivot.source_lang) == (("bul-mkd", "mkd-eng"), "bg")
    assert re.fullmatch(
        r"apertium:bul-mkd\|mkd-eng( \(apertium-mkd-bul [^,]+, apertium-mkd-eng [^)]+\))?", pivot.name
    )


@needs_apertium
@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", "  ", "\n"],
        ["Правителството обяви нови мерки в понеделник.", "", "Хиляди хора излязоха по улиците."],
        ["Ред\nпрекъснат\nна три места.", "Symbols ^ $ [ ] \\ / < > { } stay one line."],
    ],
)
def test_one_translation_per_sentence_in_english(pivot: ApertiumTranslator, texts: list[str]) -> None:
    out = pivot.translate(texts)
    assert len(out) == len(texts)
    assert [bool(o) for o in out] == [bool(t.strip()) for t in texts]
    assert not any(CYRILLIC.search(o) for o in out)


@needs_apertium
def test_known_words_translated_unknown_ones_transliterated(pivot: ApertiumTranslator) -> None:
    monday, name = pivot.translate(["Правителството обяви нови мерки в понеделник.", "Каза Аблязов."])
    assert "Monday" in monday
    assert "Ablyazov" in name and "*" not in name
