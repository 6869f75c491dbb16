"""Alignment in, the pieces every writer shows out: bead texts, XML-safe strings, confidence, timestamps."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from pipeline.differences.settings import DIFFERENCES
from pipeline.errors import UsageError
from pipeline.model import Alignment, Bead, Kind, SettingValue, Span

# XML 1.0 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

EPOCH_TMX = "19700101T000000Z"
LAST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last moment a four-digit year holds


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 forbids (they are dropped, never written)."""
    return _FORBIDDEN.sub("", text)


def setting_text(value: SettingValue) -> str:
    """A recorded setting as the XML and HTML outputs write it: a number, or a list of them, as in JSON."""
    return json.dumps(value)


def is_low(bead: Bead) -> bool:
    """Below the review threshold: more than one in ten links scored so may be wrong."""
    return bead.score < DIFFERENCES.review_below


def may_have_counterpart(bead: Bead) -> bool:
    """A sentence alone that more likely than not has a counterpart no link holds (its score, the
    probability that it has none, below DIFFERENCES.alone_check_below)."""
    return not is_aligned(bead) and bead.score < DIFFERENCES.alone_check_below


def is_aligned(bead: Bead) -> bool:
    """Both sides present: a match or a partial match."""
    return bead.kind in (Kind.MATCH, Kind.PARTIAL) and bool(bead.src) and bool(bead.tgt)


def source_text(alignment: Alignment, bead: Bead) -> str:
    return alignment.source.joined_text(bead.src)


def target_text(alignment: Alignment, bead: Bead) -> str:
    return alignment.target.joined_text(bead.tgt)


def translation_text(alignment: Alignment, bead: Bead) -> str | None:
    """The joined machine translation of the bead's source side; None when any sentence lacks one."""
    return alignment.source.joined_translation(bead.src)


def differing_words(alignment: Alignment, bead: Bead) -> list[tuple[str, list[str]]]:
    """The words a partial bead's sides say alone, quoted from each side's text: ("source", [...]),
    ("translation", [...]) when there is a translation, ("target", [...]); sides without spans left out."""
    if bead.diff is None:
        return []
    sides = (
        ("source", source_text(alignment, bead), bead.diff.source),
        ("translation", translation_text(alignment, bead) or "", bead.diff.translation or ()),
        ("target", target_text(alignment, bead), bead.diff.target),
    )
    return [
        (name, [text[s.start : s.end] for s in _merged(spans, len(text))])
        for name, text, spans in sides
        if spans
    ]


def score_text(score: float) -> str:
    return f"{score:.3f}"


def run_time() -> str:
    """When this run happened, an ISO timestamp in UTC: SOURCE_DATE_EPOCH when set (reproducible builds);
    UsageError when it is set to something that is not a date."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        moment = datetime.now(timezone.utc)
    elif epoch.isdigit() and int(epoch) <= LAST_EPOCH:
        moment = datetime.fromtimestamp(int(epoch), timezone.utc)
    else:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch[:40]!r} is not a date: give whole seconds since 1970-01-01 UTC "
            f"(0 to {LAST_EPOCH})"
        )
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def tmx_date(created: str | None) -> str:
    """TMX's YYYYMMDDThhmmssZ (UTC) for an ISO timestamp; the epoch when there is none."""
    if not created:
        return EPOCH_TMX
    moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def xsd_datetime(created: str) -> str:
    """An xsd:dateTime in UTC for an ISO timestamp."""
    moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pieces(text: str, spans: tuple[Span, ...]) -> list[tuple[str, bool]]:
    """The text cut at the spans: (piece, inside a span) in order; spans sorted, clipped, merged."""
    out: list[tuple[str, bool]] = []
    at = 0
    for span in _merged(spans, len(text)):
        if span.start > at:
            out.append((text[at : span.start], False))
        out.append((text[span.start : span.end], True))
        at = span.end
    if at < len(text):
        out.append((text[at:], False))
    return out


def _merged(spans: tuple[Span, ...], size: int) -> list[Span]:
    clipped = sorted((max(0, s.start), min(size, s.end)) for s in spans)
    merged: list[Span] = []
    for start, end in clipped:
        if end <= start:
            continue
        if merged and start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(end, merged[-1].end))
        else:
            merged.append(Span(start, end))
    return merged


def element(tag: str, text: str | None = None, **attributes: str):
    """An lxml element for an HTML page: `class_="x"` and `data_lang="y"` spell class and data-lang;
    the text is made XML-safe."""
    from lxml import etree

    made = etree.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        made.text = xml_safe(text)
    return made


def child(parent, tag: str, text: str | None = None, **attributes: str):
    """`element(...)` appended to `parent`, and returned."""
    made = element(tag, text, **attributes)
    parent.append(made)
    return made
