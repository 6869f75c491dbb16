"""Fuzzing read + segment + write: any bytes give a Document or an InputError, never anything else.

Two fuzzers. A mutation fuzzer takes small hand-written reports (plain, CRLF, HTML, UTF-16, cp1251)
and damages them (flipped and inserted bytes, controls, encoded surrogates, BOMs, cut and spliced
files, huge tokens), for a bounded time: NEWSALIGN_FUZZ_SECONDS (default 4) from seed
NEWSALIGN_FUZZ_SEED (default fixed, so CI repeats itself). Hypothesis then feeds arbitrary bytes
and arbitrary text (NEWSALIGN_EXAMPLES=N: N fresh examples instead of the fixed 150). For every
input that reads, the document and its sentences carry no character XML forbids, ids run 1..n,
the sentences give back the paragraphs (whitespace aside), and all five outputs are written,
parse, and read back (alignment.json) to the same Alignment.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from pipeline.errors import InputError
from pipeline.ingest import read
from pipeline.ingest.read import check_reports, read_document
from pipeline.ingest.segment import segment
from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Sentence
from pipeline.outputs import alignment_json, diffxml
from pipeline.outputs.writers import write_all

SECONDS = float(os.environ.get("NEWSALIGN_FUZZ_SECONDS", "4"))
SEED = int(os.environ.get("NEWSALIGN_FUZZ_SEED", "20261123"))
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

BG = (
    "Общината откри нов мост над реката в събота. Строежът струва 12 млн. лв.\n\n"
    "Кметът каза: „Това е денят.“ Край.\n"
)
EN = (
    "The town opened a new bridge on Saturday. It cost 12 million leva.\n\n"
    "The mayor said: “This is the day.” End.\n"
)
HTML = (
    "<!doctype html><html><head><title>Bridge</title></head><body><nav><a href='/'>Home</a></nav>"
    f"<article><h1>New bridge</h1><p>{EN.splitlines()[0]}</p><p>{EN.splitlines()[2]}</p></article>"
    "</body></html>"
)
SEEDS = (
    BG.encode(),
    EN.encode(),
    HTML.encode(),
    BG.replace("\n", "\r\n").encode(),
    BG.encode("utf-16"),
    EN.encode("utf-16-le"),
    BG.encode("cp1251"),
    b"\xef\xbb\xbf" + EN.encode(),
)
INSERTS = (
    b"\x00",
    b"\x07",
    b"\x1b",
    b"\x0b",
    b"\x0c",
    b"\r",
    b"\n\n",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"<p>",
    b"</article>",
    b"&#0;",
    b"&#xD800;",
    "\u202e".encode(),
    "👍🏽".encode(),
    "e\u0301".encode(),
    b"Sign up now\n",
    b"date 2022-01-07 ",
    b"Mr. ",
    "г. ".encode(),
    b"x" * 3000,
    "дума ".encode() * 500,
)
FIXED_TARGET = Article("en.txt", "en", (Sentence(1, "The town opened a new bridge.", 1),))


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four damages: flip, insert, delete, duplicate, cut, or splice with another seed."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(6)
        if kind == 0 and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
        elif kind == 1:
            data = data[:at] + rng.choice(INSERTS) + data[at:]
        elif kind == 2:
            data = data[:at] + data[at + rng.randint(1, 40) :]
        elif kind == 3:
            data = data[:at] + data[at : at + rng.randint(1, 200)] * rng.randint(2, 5) + data[at:]
        elif kind == 4:
            data = data[:at]
        else:
            other = rng.choice(SEEDS)
            data = data[:at] + other[rng.randint(0, len(other)) :]
    return data


def _no_whitespace(texts) -> str:
    return "".join("".join(text.split()) for text in texts)


def _check(path: Path, lang: str | None, outdir: Path) -> None:
    """Reading `path` gives a clean Document or an InputError naming it; what reads, segments and writes."""
    try:
        document = read_document(path, lang)
        english = read.Document("en.txt", "en", ("The town opened a new bridge.",))
        check_reports([document, english], [lang, "en"], ["source", "target"])
    except InputError as error:
        assert error.path == str(path) and error.problem and "\n" not in str(error)
        return
    assert document.paragraphs and all(p.strip() for p in document.paragraphs)
    assert not any(FORBIDDEN.search(p) for p in document.paragraphs)
    assert all(unicodedata.is_normalized("NFC", p) for p in document.paragraphs)
    article = segment(document)
    assert [s.id for s in article.sentences] == list(range(1, len(article.sentences) + 1))
    assert all(s.text and s.text == s.text.strip() for s in article.sentences)
    assert _no_whitespace(s.text for s in article.sentences) == _no_whitespace(document.paragraphs)
    _write_and_read_back(article, outdir)


def _write_and_read_back(article: Article, outdir: Path) -> None:
    beads = tuple(Bead((s.id,), (), Kind.ADDITION, 0.0) for s in article.sentences) + (
        Bead((), (1,), Kind.OMISSION, 0.0),
    )
    alignment = Alignment(
        article, FIXED_TARGET, beads, Provenance(newsalign="0.1.0", translator="none", embedder="none")
    )
    written = write_all(alignment, outdir)
    assert alignment_json.parse(written[0].read_bytes()) == alignment
    for path in written[1:4]:
        etree.parse(str(path))
    assert _DIFF_SCHEMA.validate(etree.parse(str(written[3])))
    html.parse(str(written[4]))


_DIFF_SCHEMA = etree.XMLSchema(etree.parse(str(diffxml.schema_path())))


@pytest.mark.slow
def test_mutation_fuzz_for_a_bounded_time(tmp_path, monkeypatch):
    """The seeds themselves, then damaged copies: at least MIN_INPUTS of them, more until the time is up."""
    # durability is not what is fuzzed; speed is wanted
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)
    rng = random.Random(SEED)
    inputs = iter([(data, ".html" if data.startswith(b"<!doctype") else ".txt") for data in SEEDS])
    deadline, count = time.monotonic() + SECONDS, 0
    while count < len(SEEDS) + MIN_INPUTS or time.monotonic() < deadline:
        data, suffix = next(inputs, None) or (
            _mutate(rng, rng.choice(SEEDS)),
            rng.choice([".txt", ".html", ""]),
        )
        path = tmp_path / f"input{suffix}"
        path.write_bytes(data)
        try:
            _check(path, rng.choice([None, "bg", "en"]), tmp_path / "out")
        except Exception as error:  # noqa: BLE001  (keep the input that did it, then fail)
            kept = tmp_path / f"failing-input-{count}.bin"
            kept.write_bytes(data)
            pytest.fail(
                f"seed {SEED}, input {count} ({kept}, {data[:200]!r}): {type(error).__name__}: {error}"
            )
        count += 1


MIN_INPUTS = 100


# set: that many fresh examples instead of CI's fixed 150
EXAMPLES = int(os.environ.get("NEWSALIGN_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 150,
    deadline=None,
    derandomize=not EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.slow
@FUZZ
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(["a.txt", "a.html"]),
    lang=st.sampled_from([None, "bg", "en"]),
)
def test_any_bytes_read_or_are_refused(data, name, lang):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        _check(path, lang, Path(folder) / "out")


@pytest.mark.slow
@FUZZ
@given(text=st.text(min_size=1, max_size=2000))
def test_any_text_reads_without_losing_anything(text):
    """Plain UTF-8 text: what reading keeps is the text less what it documents it drops, whitespace aside."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.txt"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            document = read_document(path, "en")
        except InputError as error:
            assert error.path == str(path)
            return
        # a page's article text is trafilatura's to choose; bytes read as UTF-16 say so in a warning
        guessed = any("decoded from" in w for w in document.notes)
        if read._looks_like_html(path, read.clean(text)) or guessed:
            return
        assert _no_whitespace(document.paragraphs) == _no_whitespace(_kept_lines(text))
        _write_and_read_back(segment(document), Path(folder) / "out")


def _kept_lines(text: str) -> list[str]:
    """The documented normalisation, written apart from read.py (only the boilerplate rule is read's own)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    for line_end in "\r\x0b\x0c\x85\u2028\u2029":
        text = text.replace(line_end, "\n")
    text = unicodedata.normalize("NFC", FORBIDDEN.sub("", text))
    text = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+", "", text, count=1)
    return [line for line in text.split("\n") if not read._is_boilerplate(line.strip())]
