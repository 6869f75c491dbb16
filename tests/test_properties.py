"""Invariants of a whole run over generated report pairs (hypothesis), driven through `pipeline.cli.main`.

For every generated pair: the run succeeds; every sentence of both inputs is in exactly one bead;
ids are 1..n in order; each side's sentences, read by id, give back its text (whitespace aside,
after read's documented normalisation: line ends unified, control characters and lone surrogates
dropped, NFC, boilerplate lines removed); every XML output parses and validates against its
schema; the same input gives the same bytes twice. Each example runs with --translator none and
--embedder none, so it takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.cli import main
from pipeline.outputs import diffxml

OUTPUTS = ("alignment.json", "alignment.tmx", "alignment.xlf", "diff.xml", "report.html")
CHEAP = ("--translator", "none", "--embedder", "none", "-q", "--source-lang", "bg", "--target-lang", "en")
# A whole run per example (~0.5 s): few examples, no deadline, and no shrinking (minutes at this cost; the
# failing example is printed as generated). CI sees the same examples every run; NEWSALIGN_EXAMPLES=500
# runs that many fresh ones instead (a longer search, by hand).
EXAMPLES = int(os.environ.get("NEWSALIGN_EXAMPLES", "0"))
SETTINGS = settings(
    max_examples=EXAMPLES or 20,
    deadline=None,
    derandomize=not EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)

# fmt: off
BG_WORDS = [
    "общината", "мост", "река", "събота", "строежът", "струва", "милиона", "лева", "години", "кметът", "каза",
    "задръстванията", "центъра", "първите", "коли", "минаха", "обяд", "властите", "протест", "летището",
    "затворено", "полетите", "отменени",
]
EN_WORDS = [
    "town", "bridge", "river", "saturday", "building", "cost", "million", "years", "mayor", "said", "traffic",
    "centre", "first", "cars", "crossed", "noon", "authorities", "protest", "airport", "closed", "flights",
    "cancelled",
]
# Tokens that stress segmenting and cleaning: abbreviations, numbers, quotes, emoji, right-to-left text,
# combining marks, odd spaces, and characters reading drops (controls, a lone surrogate, U+FFFE).
ODD = (
    "г.", "лв.", "Mr.", "U.S.", "2017", "1,60", "3.5", "“", "”", "„", "«", "»", "(", ")", "—", "…", "?!",
    "🎉", "👍🏽", "שלום", "سلام",
    "e\u0301", "\u00a0", "\t", "\u200f", "\x07", "\x00", "\ud800", "\ufffe", "\x85",
)
# fmt: on
BOILERPLATE = (
    "Sign up now for free access",
    "Advertisement",
    "Share this article",
    "Copyright 2024 Example News",
)
ENDS = (".", ".", "!", "?", "", "…", ".”", "?»")


def _sentence(words: tuple[str, ...]) -> st.SearchStrategy[str]:
    word = st.sampled_from(words)
    token = st.one_of(word, word, word, st.sampled_from(ODD))
    return st.builds(
        lambda first, rest, end, capital: " ".join([first.capitalize() if capital else first, *rest]) + end,
        word,
        st.lists(token, max_size=10),
        st.sampled_from(ENDS),
        st.booleans(),
    )


def _document(words: tuple[str, ...]) -> st.SearchStrategy[tuple[str, int]]:
    """Text of a report and how many boilerplate lines it has; paragraphs split by blank lines, CRLF or LF."""
    paragraph = st.lists(_sentence(words), min_size=1, max_size=4).map(" ".join)
    block = st.one_of(paragraph, paragraph, paragraph, st.sampled_from(BOILERPLATE))
    return st.builds(
        lambda blocks, newline, lead: (
            lead + (newline * 2).join(blocks) + newline,
            sum(b in BOILERPLATE for b in blocks),
        ),
        st.lists(block, min_size=1, max_size=6).filter(lambda bs: any(b not in BOILERPLATE for b in bs)),
        st.sampled_from(["\n", "\r\n"]),
        st.sampled_from(["", " ", "\n\n", "\ufeff"]),
    )


_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _normalised(text: str) -> str:
    """What read documents it keeps of a text, whitespace removed (the file's BOM goes with the encoding)."""
    kept = "\n".join(
        line for line in text.removeprefix("\ufeff").splitlines() if line.strip() not in BOILERPLATE
    )
    return "".join(unicodedata.normalize("NFC", _DROPPED.sub("", kept)).split())


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


def _main(argv: list[str]) -> tuple[int, str]:
    """Exit code and stderr of one run (capsys is per test, not per generated example)."""
    with contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(argv)
    return code, err.getvalue()


def _run(folder: Path, source: Path, target: Path, out: str) -> dict[str, bytes]:
    code, err = _main(["align", str(source), str(target), "-o", str(folder / out), *CHEAP])
    assert code == 0, err
    assert all(line.startswith("newsalign: warning: ") for line in err.splitlines()), err
    return {name: (folder / out / name).read_bytes() for name in OUTPUTS}


def _check_json(outputs: dict[str, bytes], texts: dict[str, str]) -> None:
    document = json.loads(outputs["alignment.json"])
    for side, key in (("source", "src"), ("target", "tgt")):
        sentences = document[side]["sentences"]
        assert [s["id"] for s in sentences] == list(range(1, len(sentences) + 1))
        in_beads = sorted(i for bead in document["beads"] for i in bead[key])
        assert in_beads == list(range(1, len(sentences) + 1)), f"{side}: a sentence in no bead or in two"
        assert "".join("".join(s["text"].split()) for s in sentences) == _normalised(texts[side])


@pytest.fixture(scope="module")
def diff_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(diffxml.schema_path())))


@pytest.mark.slow
@SETTINGS
@given(source=_document(tuple(BG_WORDS)), target=_document(tuple(EN_WORDS)))
def test_nothing_lost_nothing_invented_same_bytes_twice(source, target, diff_schema):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = {"source": _write(folder, "bg.txt", source[0]), "target": _write(folder, "en.txt", target[0])}
        first = _run(folder, paths["source"], paths["target"], "one")
        _check_json(first, {"source": source[0], "target": target[0]})
        for name in ("alignment.tmx", "alignment.xlf", "diff.xml"):
            etree.fromstring(first[name])
        assert diff_schema.validate(etree.fromstring(first["diff.xml"])), diff_schema.error_log
        assert _run(folder, paths["source"], paths["target"], "two") == first


@pytest.mark.slow
@settings(SETTINGS, max_examples=EXAMPLES or 10)
@given(source=_document(tuple(BG_WORDS)), target=_document(tuple(EN_WORDS)))
def test_tmx_and_xliff_validate(source, target, tmx_schema, xliff_schema):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        outputs = _run(
            folder, _write(folder, "bg.txt", source[0]), _write(folder, "en.txt", target[0]), "out"
        )
        for name, schema in (("alignment.tmx", tmx_schema), ("alignment.xlf", xliff_schema)):
            assert schema.validate(etree.fromstring(outputs[name])), (name, schema.error_log)


@pytest.mark.slow
@SETTINGS
@given(source=_document(tuple(BG_WORDS)))
def test_boilerplate_warning_counts_the_lines_removed(source):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = _write(folder, "bg.txt", source[0])
        target = _write(folder, "en.txt", "The town opened a new bridge over the river on Saturday.")
        loud = [option for option in CHEAP if option != "-q"]  # -q silences warnings
        code, err = _main(["align", str(path), str(target), "-o", str(folder / "out"), *loud])
        expected = f"newsalign: warning: {path.name}: removed {source[1]} boilerplate line(s)"
        assert code == 0 and (expected in err.splitlines()) == (source[1] > 0)
