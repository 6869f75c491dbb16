"""pipeline.translate.translator: backend choice (auto: argos > apertium > none), the cache, whole runs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError, UsageError
from pipeline.model import Article, Sentence
from pipeline.translate import apertium
from pipeline.translate.argos import ArgosTranslator
from pipeline.translate.cache import CachedTranslator
from pipeline.translate.translator import Choice, FileTranslator, choose, translate_article

from support import REPO

FIXTURE = REPO / "tests" / "fixtures" / "translate-bg_en-copy.argosmodel"
EXAMPLE = REPO / "tests" / "fixtures" / "example"
SEEDS = REPO.parent / "shared" / "seeds"
HAVE_APERTIUM = shutil.which("apertium") is not None
CYRILLIC = re.compile(r"[\u0400-\u04FF]")

ARTICLE = Article(
    "bg.txt",
    "bg",
    (
        Sentence(1, "Правителството обяви нови мерки.", 1),
        Sentence(2, "Хиляди хора излязоха по улиците.", 1),
        Sentence(3, "БТА", 2),
    ),
)


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No Argos packages; the cache in a temp folder."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "packages"


@pytest.fixture
def installed(empty: Path) -> Path:
    """The copy model installed the way a user would."""
    assert main(["models", "install", "--file", str(FIXTURE)]) == 0
    return empty


@pytest.mark.parametrize(
    "backend, source, target", [("none", "bg", "en"), ("auto", "en", "en"), ("argos", "bg", "bg")]
)
def test_no_translator(empty: Path, backend: str, source: str, target: str) -> None:
    assert choose(backend, source, target) == Choice(None)
    assert translate_article(ARTICLE, None) == (ARTICLE, ())


@pytest.mark.parametrize(
    "backend, source_mt, message",
    [
        ("file", None, "--translator file needs --source-mt FILE"),
        ("argos", Path("mt.txt"), "--source-mt given with --translator argos"),
        ("bogus", None, "unknown translator 'bogus'; choose from auto, argos, apertium, file, none"),
    ],
)
def test_usage_errors(empty: Path, backend: str, source_mt: Path | None, message: str) -> None:
    with pytest.raises(UsageError) as error:
        choose(backend, "bg", "en", source_mt=source_mt)
    assert str(error.value) == message


def test_file_translator(tmp_path: Path) -> None:
    mt = tmp_path / "mt.txt"
    mt.write_text("One.\nTwo.\nBTA\n", encoding="utf-8")
    translated, notes = translate_article(ARTICLE, choose("auto", "bg", "en", source_mt=mt).translator)
    assert translated.translations() == ["One.", "Two.", "BTA"] and notes == ()
    mt.write_text("One.\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 lines of translation for 3 source sentences"):
        translate_article(ARTICLE, FileTranslator.load(mt))


def test_argos_backend_copies(installed: Path) -> None:
    choice = choose("argos", "bg", "en")
    translator = choice.translator
    assert isinstance(translator, CachedTranslator) and isinstance(translator.inner, ArgosTranslator)
    assert translator.name == "argos:translate-bg_en-0_1" and choice.note is None
    assert translate_article(ARTICLE, translator) == (ARTICLE.with_translations(ARTICLE.texts()), ())


def test_empty_article_needs_no_model(installed: Path) -> None:
    article = Article("empty.txt", "bg", ())
    assert translate_article(article, choose("argos", "bg", "en").translator) == (article, ())


def test_second_run_makes_no_model_call(installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = translate_article(ARTICLE, choose("argos", "bg", "en").translator)

    def no_model(self, chunks):
        raise AssertionError("the model was called although every sentence is cached")

    monkeypatch.setattr(ArgosTranslator, "_run", no_model)
    assert translate_article(ARTICLE, choose("argos", "bg", "en").translator) == first


def test_auto_prefers_argos(installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    choice = choose("auto", "bg", "en")
    assert choice.translator is not None and choice.translator.name == "argos:translate-bg_en-0_1"
    assert choice.note == "translator argos:translate-bg_en-0_1 (first choice)"
    assert capsys.readouterr() == ("", "")  # the note is returned; only the command line prints


@pytest.mark.skipif(
    not HAVE_APERTIUM,
    reason="apertium not installed (apt-get install apertium apertium-mkd-bul apertium-mkd-eng)",
)
def test_auto_falls_back_to_apertium_and_says_why(empty: Path) -> None:
    choice = choose("auto", "bg", "en")
    translator = choice.translator
    assert translator is not None and translator.name.startswith("apertium:bul-mkd|mkd-eng")
    assert choice.note and choice.note.startswith(
        f"translator {translator.name} (argos: no Argos package for bg->en in {empty}"
    )
    assert not any(CYRILLIC.search(t or "") for t in translate_article(ARTICLE, translator)[0].translations())


def test_auto_without_any_backend_aligns_without_mt(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    choice = choose("auto", "bg", "en")
    assert choice.translator is None and choice.note is not None
    assert choice.note.startswith("no translator for bg->en, aligning without MT (argos: no Argos package")
    assert "apertium: the apertium program is not installed" in choice.note


def _aligned(outdir: Path) -> dict:
    return json.loads((outdir / "alignment.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_install_file_then_align_with_argos(installed: Path, tmp_path: Path) -> None:
    """Done-when: the fixture round-trips through `models install --file` and `align --translator argos`."""
    out = tmp_path / "out"
    argv = [
        "align",
        str(EXAMPLE / "plovdiv-bg.txt"),
        str(EXAMPLE / "plovdiv-en.txt"),
        "-o",
        str(out),
        "--translator",
        "argos",
        "--source-lang",
        "bg",
        "--target-lang",
        "en",
        "-q",
    ]
    assert main(argv) == 0
    document = _aligned(out)
    assert document["provenance"]["translator"] == "argos:translate-bg_en-0_1"
    sentences = document["source"]["sentences"]
    assert sentences and [s["translation"] for s in sentences] == [s["text"] for s in sentences]


@pytest.mark.slow
@pytest.mark.skipif(
    not HAVE_APERTIUM,
    reason="apertium not installed (apt-get install apertium apertium-mkd-bul apertium-mkd-eng)",
)
@pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"{SEEDS} not found (the seed articles live outside the repository)"
)
def test_auto_uses_apertium_on_seed_001(empty: Path, tmp_path: Path) -> None:
    """Done-when: with no Argos package, `auto` uses Apertium on seed 001 and the JSON carries its English."""
    out = tmp_path / "out"
    argv = [
        "align",
        str(SEEDS / "001_44a840e50541c4ec.txt"),
        str(SEEDS / "000_4edc5930ec3dca38.txt"),
        "-o",
        str(out),
        "-q",
    ]
    assert main(argv) == 0
    document = _aligned(out)
    assert document["provenance"]["translator"].startswith("apertium:bul-mkd|mkd-eng")
    translations = [s["translation"] for s in document["source"]["sentences"]]
    assert translations and all(translations)
    assert not any(CYRILLIC.search(t) for t in translations)
    assert any("Ablyazov" in t for t in translations)
