"""pipeline.outputs.text: the helpers every writer shares (XML-safe text, timestamps, text cut at spans)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Bead, Kind, Span
from pipeline.outputs.text import (
    is_low,
    pieces,
    tmx_date,
    translation_text,
    xml_safe,
    xsd_datetime,
)

from support.alignments import small_alignment


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ""),
        ('plain Кирилица 5 < 6 & "q"', 'plain Кирилица 5 < 6 & "q"'),
        ("tab\tnew\nline\rcr", "tab\tnew\nline\rcr"),
        ("a\x00b\x01c\x08d\x0be\x0cf\x1fg", "abcdefg"),
        ("\ufffe\uffff\ud800x", "x"),
        ("emoji \U0001f600 ok", "emoji \U0001f600 ok"),
    ],
)
def test_xml_safe(text: str, expected: str) -> None:
    assert xml_safe(text) == expected


@pytest.mark.parametrize(
    "created, tmx, xsd",
    [
        (None, "19700101T000000Z", None),
        ("2026-11-23T18:55:33Z", "20261123T185533Z", "2026-11-23T18:55:33Z"),
        ("2026-11-23T20:55:33+02:00", "20261123T185533Z", "2026-11-23T18:55:33Z"),
        ("2026-11-23T18:55:33.123456", "20261123T185533Z", "2026-11-23T18:55:33Z"),
    ],
)
def test_timestamps(created: str | None, tmx: str, xsd: str | None) -> None:
    assert tmx_date(created) == tmx
    if created is not None:
        assert xsd_datetime(created) == xsd


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("", (), []),
        ("abc", (), [("abc", False)]),
        ("abcdef", (Span(2, 4),), [("ab", False), ("cd", True), ("ef", False)]),
        ("abcdef", (Span(3, 5), Span(0, 2)), [("ab", True), ("c", False), ("de", True), ("f", False)]),
        ("abcdef", (Span(1, 3), Span(2, 5)), [("a", False), ("bcde", True), ("f", False)]),  # overlaps merge
        ("abc", (Span(-2, 1), Span(2, 9), Span(2, 2)), [("a", True), ("b", False), ("c", True)]),  # clipped
    ],
)
def test_pieces(text: str, spans: tuple[Span, ...], expected: list[tuple[str, bool]]) -> None:
    assert pieces(text, spans) == expected


@pytest.mark.parametrize("score, low", [(0.42, True), (0.8999, True), (0.9, False), (1.0, False)])
def test_beads_below_the_review_threshold_are_low(score: float, low: bool) -> None:
    assert DIFFERENCES.review_below == 0.9
    assert is_low(Bead((1,), (1,), Kind.MATCH, score)) is low


def test_translation_text_is_none_when_a_sentence_lacks_one() -> None:
    alignment = small_alignment()
    two = alignment.beads[2]
    assert translation_text(alignment, two) == "The airport was closed. Flights were cancelled."
    sentences = list(alignment.source.sentences)
    sentences[3] = replace(sentences[3], translation=None)
    missing = replace(alignment, source=replace(alignment.source, sentences=tuple(sentences)))
    assert translation_text(missing, two) is None
