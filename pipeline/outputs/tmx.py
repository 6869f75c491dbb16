"""Alignment in, TMX 1.4 bytes out: one `tu` per faithful pair (or per aligned bead), for translation memory.

A partial pair is an adaptation, not a translation: one report says more. A memory that takes it in offers
it as a translation, so by default the TMX holds matches only; `links="all"` adds the partial pairs,
flagged (`x-align-kind` partial and a note quoting what each side says alone). The header's `x-links`
says which.
"""

from __future__ import annotations

from lxml import etree

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Alignment, Bead, Kind
from pipeline.outputs.text import (
    differing_words,
    is_aligned,
    is_low,
    run_time,
    score_text,
    source_text,
    target_text,
    tmx_date,
    translation_text,
    xml_safe,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


LINKS = ("match", "all")  # which pairs the TMX holds: matches only, or partial pairs too
PARTIAL_NOTE = "partial: one report says more than the other; not a translation as it stands"


def render(alignment: Alignment, links: str = "match") -> bytes:
    """The TMX document; additions and omissions are left out (a one-sided unit is useless as memory), and
    partial pairs unless `links` is "all". Dates are the run's (`provenance.created`), else now or
    SOURCE_DATE_EPOCH."""
    if links not in LINKS:
        raise ValueError(f"links must be one of {LINKS}, not {links!r}")
    date = tmx_date(alignment.provenance.created or run_time())
    root = etree.Element("tmx", version="1.4")
    root.append(_header(alignment, date, links))
    body = etree.SubElement(root, "body")
    for number, bead in enumerate(alignment.beads, start=1):
        unit = _unit(alignment, bead, number, date) if links == "all" or bead.kind is Kind.MATCH else None
        if unit is not None:
            body.append(unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(alignment: Alignment, date: str, links: str) -> etree._Element:
    provenance = alignment.provenance
    header = etree.Element(
        "header",
        creationtool="newsalign",
        creationtoolversion=provenance.newsalign,
        segtype="sentence",
        adminlang="en",
        srclang=alignment.source.lang,
        datatype="plaintext",
        creationdate=date,
    )
    header.set("o-tmf", "newsalign")
    _prop(header, "x-translator", provenance.translator)
    _prop(header, "x-embedder", provenance.embedder)
    _prop(header, "x-word-aligner", provenance.word_aligner)
    _prop(header, "x-low-confidence", score_text(DIFFERENCES.review_below))
    _prop(header, "x-links", links)
    _prop(header, "x-source-file", alignment.source.path)
    _prop(header, "x-target-file", alignment.target.path)
    return header


def _unit(alignment: Alignment, bead: Bead, number: int, date: str) -> etree._Element | None:
    """A `tu` for an aligned bead; None when a side is missing or would be an empty seg."""
    source, target = xml_safe(source_text(alignment, bead)), xml_safe(target_text(alignment, bead))
    if not is_aligned(bead) or not source.strip() or not target.strip():
        return None
    unit = etree.Element("tu", tuid=str(number), creationdate=date, creationtool="newsalign")
    if is_low(bead):
        note = etree.SubElement(unit, "note")
        note.text = (
            f"low confidence: score {score_text(bead.score)} below "
            f"{score_text(DIFFERENCES.review_below)}; check before use"
        )
    if bead.kind is Kind.PARTIAL:
        etree.SubElement(unit, "note").text = PARTIAL_NOTE
    for side, quoted in differing_words(alignment, bead):
        if side != "translation":  # the notes quote the original texts; x-mt holds the translation
            words = "; ".join(f"\u201c{q}\u201d" for q in quoted)
            etree.SubElement(unit, "note").text = xml_safe(f"only in the {side}: {words}")
    _prop(unit, "x-align-score", score_text(bead.score))
    _prop(unit, "x-align-type", bead.type)
    _prop(unit, "x-align-kind", bead.kind.value)
    translation = translation_text(alignment, bead)
    if translation is not None and xml_safe(translation).strip():
        _prop(unit, "x-mt", translation)
    _variant(unit, alignment.source.lang, source)
    _variant(unit, alignment.target.lang, target)
    return unit


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    prop = etree.SubElement(parent, "prop", type=kind)
    prop.text = xml_safe(value)


def _variant(unit: etree._Element, lang: str, text: str) -> None:
    variant = etree.SubElement(unit, "tuv")
    variant.set(XML_LANG, lang)
    seg = etree.SubElement(variant, "seg")
    seg.text = text
