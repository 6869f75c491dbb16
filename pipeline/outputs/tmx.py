"""Alignment in, TMX 1.4 bytes out: one `tu` per aligned bead, for CAT tools' translation memories."""

from __future__ import annotations

from lxml import etree

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Alignment, Bead
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


def render(alignment: Alignment) -> bytes:
    """The TMX document; additions and omissions are left out (a one-sided unit is useless as memory).
    Dates are the run's (`provenance.created`), else now or SOURCE_DATE_EPOCH."""
    date = tmx_date(alignment.provenance.created or run_time())
    root = etree.Element("tmx", version="1.4")
    root.append(_header(alignment, date))
    body = etree.SubElement(root, "body")
    for number, bead in enumerate(alignment.beads, start=1):
        unit = _unit(alignment, bead, number, date)
        if unit is not None:
            body.append(unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(alignment: Alignment, date: str) -> etree._Element:
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
