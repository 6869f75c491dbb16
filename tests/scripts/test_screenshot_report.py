"""scripts/screenshot_report.py: a report.html in, a PNG out; --full is tall enough for the whole page."""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.model import Bead, Kind, Sentence
from pipeline.outputs import report

from screenshot_report import browser, full_height, main, measured
from support.alignments import small_alignment

needs_chromium = pytest.mark.skipif(browser() is None, reason="no Chromium on PATH (Debian package chromium)")


def _long_report(folder: Path, rows: int) -> Path:
    """A report of `rows` one-to-one pairs of long sentences (three or four lines each at 1400 px)."""
    text = (
        "The regional council met on Thursday evening to discuss the new tram line, the budget for the "
        "coming year, the repairs to the old bridge and the complaints of the shop owners along the route, "
        "who say that two years of construction work have driven their customers away for good."
    )
    source = tuple(Sentence(k, text, k, text) for k in range(1, rows + 1))
    target = tuple(Sentence(k, text, k) for k in range(1, rows + 1))
    beads = tuple(Bead((k,), (k,), Kind.MATCH, 0.95) for k in range(1, rows + 1))
    alignment = small_alignment()
    alignment = replace(
        alignment,
        source=replace(alignment.source, sentences=source),
        target=replace(alignment.target, sentences=target),
        beads=beads,
    )
    page = folder / "report.html"
    page.write_bytes(report.render(alignment))
    return page


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("width", [1400, 420])
def test_full_height_holds_the_last_row_and_what_follows_it(tmp_path: Path, width: int) -> None:
    """Issue 21: --full stopped at row 25 of the seeds' 31 (it guessed 90 px a row)."""
    page = _long_report(tmp_path, 31)
    bottom = measured(page, width, "return document.querySelector('details').getBoundingClientRect().bottom;")
    assert isinstance(bottom, (int, float))
    assert bottom <= full_height(page, width) < bottom + 200


@pytest.mark.slow
@needs_chromium
def test_full_screenshot_is_as_tall_as_the_page(tmp_path: Path) -> None:
    page = _long_report(tmp_path, 31)
    png = tmp_path / "shot.png"
    assert main([str(page), "-o", str(png), "--size", "1400,800", "--full"]) == 0
    size = struct.unpack(">II", png.read_bytes()[16:24])
    assert size == (1400, full_height(page, 1400))
