"""Alignment in, XLIFF 1.2 bytes out: every bead as a trans-unit in the foreign report's order, for review.

The file is the foreign document under review, so its units follow that report (order.py); a unit's id
is its bead's number in alignment.json. Aligned pairs carry a `target` whose `state` says whether the pair
needs review: a partial pair always does (the two reports do not say the same; notes quote the words), a
match when its score is low. Additions (only in the foreign report) are units without a target; omissions
(only in the target report, usually English) are units marked translate="no" whose source is the target
sentence, placed after the unit that holds the English sentence before them, so a reviewer sees them in
place. Notes carry score and type.
"""

from __future__ import annotations

from lxml import etree

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Alignment, Bead, Kind
from pipeline.outputs.order import by_source
from pipeline.outputs.text import (
    differing_words,
    is_aligned,
    is_low,
    score_text,
    source_text,
    target_text,
    translation_text,
    xml_safe,
    xsd_datetime,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

REVIEW = "needs-review-translation"
CONFIDENT = "translated"
PARTIAL_NOTE = "partial: one report says more than the other; not a translation of each other as it stands"


def render(alignment: Alignment) -> bytes:
    root = etree.Element(_q("xliff"), nsmap={None: NS}, version="1.2")
    file = etree.SubElement(root, _q("file"), attrib=_file_attributes(alignment))
    file.append(_header(alignment))
    body = etree.SubElement(file, _q("body"))
    for placed in by_source(alignment):
        body.append(_unit(alignment, placed.bead, placed.number))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _lang(code: str) -> str:
    """An xsd:language value; "und" (undetermined) when the code is empty."""
    return code or "und"


def _file_attributes(alignment: Alignment) -> dict[str, str]:
    attributes = {
        "original": xml_safe(alignment.source.path) or "source",
        "source-language": _lang(alignment.source.lang),
        "target-language": _lang(alignment.target.lang),
        "datatype": "plaintext",
        "tool-id": "newsalign",
    }
    if alignment.provenance.created:
        attributes["date"] = xsd_datetime(alignment.provenance.created)
    return attributes


def _header(alignment: Alignment) -> etree._Element:
    provenance = alignment.provenance
    header = etree.Element(_q("header"))
    etree.SubElement(
        header,
        _q("tool"),
        {"tool-id": "newsalign", "tool-name": "newsalign", "tool-version": provenance.newsalign},
    )
    lines = [
        f"target file: {alignment.target.path}",
        f"translator: {provenance.translator}",
        f"embedder: {provenance.embedder}",
        f"word aligner: {provenance.word_aligner}",
        f"needs review below score {score_text(DIFFERENCES.review_below)}",
        *provenance.notes,
    ]
    for line in lines:
        _note(header, line)
    return header


def _unit(alignment: Alignment, bead: Bead, number: int) -> etree._Element:
    unit = etree.Element(_q("trans-unit"), id=str(number), resname=_ids(bead))
    if bead.kind is Kind.OMISSION or not bead.src:
        return _omission(alignment, bead, unit)
    _text(unit, "source", source_text(alignment, bead), alignment.source.lang)
    if is_aligned(bead):
        target = _text(unit, "target", target_text(alignment, bead), alignment.target.lang)
        target.set("state", REVIEW if is_low(bead) or bead.kind is Kind.PARTIAL else CONFIDENT)
    _note(unit, f"{bead.kind.value} {bead.type}, score {score_text(bead.score)}")
    if bead.kind is Kind.PARTIAL:
        _note(unit, PARTIAL_NOTE)
    if bead.kind is Kind.ADDITION:
        source, target = alignment.source.label, alignment.target.label
        _note(unit, f"only in {source} (the source report): {target} has no counterpart")
    _word_notes(alignment, bead, unit)
    _machine_translation(alignment, bead, unit)
    return unit


def _omission(alignment: Alignment, bead: Bead, unit: etree._Element) -> etree._Element:
    unit.set("translate", "no")
    _text(unit, "source", target_text(alignment, bead), alignment.target.lang)
    _note(unit, f"{bead.kind.value} {bead.type}, score {score_text(bead.score)}")
    source, target = alignment.source.label, alignment.target.label
    _note(unit, f"only in {target} (the target report): {source} has no counterpart")
    return unit


def _word_notes(alignment: Alignment, bead: Bead, unit: etree._Element) -> None:
    """For a partial match, the words each side has without counterpart, quoted."""
    if bead.kind is not Kind.PARTIAL or bead.diff is None:
        return
    names = {
        "source": alignment.source.label,
        "translation": f"{alignment.source.label} (in its translation)",
        "target": alignment.target.label,
    }
    for side, quoted in differing_words(alignment, bead):
        _note(unit, f"only in {names[side]}: " + "; ".join(f"\u201c{q}\u201d" for q in quoted))


def _machine_translation(alignment: Alignment, bead: Bead, unit: etree._Element) -> None:
    translation = translation_text(alignment, bead)
    if translation is None:
        return
    alternative = etree.SubElement(unit, _q("alt-trans"), origin=xml_safe(alignment.provenance.translator))
    _text(alternative, "target", translation, alignment.target.lang)


def _ids(bead: Bead) -> str:
    return f"src {','.join(map(str, bead.src)) or '-'}; tgt {','.join(map(str, bead.tgt)) or '-'}"


def _text(parent: etree._Element, name: str, text: str, lang: str) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    element.set(XML_LANG, _lang(lang))
    element.text = xml_safe(text)
    return element


def _note(parent: etree._Element, text: str) -> None:
    note = etree.SubElement(parent, _q("note"), {"from": "newsalign"})
    note.text = xml_safe(text)
