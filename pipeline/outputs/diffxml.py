"""Alignment in, diff.xml bytes out: additions, omissions and partial matches in reading order.

The schema ships in the package: `schema_path()` (pipeline/outputs/schemas/diff.xsd).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lxml import etree

from pipeline.model import Alignment, Bead, Kind, Provenance, Sentence, Span
from pipeline.outputs.text import (
    is_low,
    score_text,
    setting_text,
    source_text,
    target_text,
    translation_text,
    xml_safe,
)

SCHEMA = "newsalign.diff/1"


def schema_path() -> Path:
    """Where diff.xsd lies inside the installed package."""
    return Path(str(resources.files("pipeline.outputs") / "schemas" / "diff.xsd"))


def render(alignment: Alignment) -> bytes:
    root = etree.Element("diff", attrib=_root_attributes(alignment))
    root.append(provenance_element(alignment.provenance))
    root.append(_counts(alignment))
    for number, bead in enumerate(alignment.beads, start=1):
        item = _item(alignment, bead, number)
        if item is not None:
            root.append(item)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _root_attributes(alignment: Alignment) -> dict[str, str]:
    return {
        "schema": SCHEMA,
        "source-lang": alignment.source.lang,
        "target-lang": alignment.target.lang,
        "source-path": xml_safe(alignment.source.path),
        "target-path": xml_safe(alignment.target.path),
        "source-label": xml_safe(alignment.source.label),
        "target-label": xml_safe(alignment.target.label),
    }


def provenance_element(provenance: Provenance) -> etree._Element:
    """The provenance as an element (diff.xml and story.xml share it)."""
    element = etree.Element(
        "provenance",
        {
            "newsalign": provenance.newsalign,
            "translator": xml_safe(provenance.translator),
            "embedder": xml_safe(provenance.embedder),
            "word-aligner": xml_safe(provenance.word_aligner),
        },
    )
    if provenance.created:
        element.set("created", provenance.created)
    for name, value in provenance.thresholds:
        etree.SubElement(element, "threshold", name=xml_safe(name), value=setting_text(value))
    for note in provenance.notes:
        etree.SubElement(element, "note").text = xml_safe(note)
    return element


def _counts(alignment: Alignment) -> etree._Element:
    counts = {kind.value: str(alignment.count(kind)) for kind in Kind}
    counts["source-sentences"] = str(len(alignment.source.sentences))
    counts["target-sentences"] = str(len(alignment.target.sentences))
    return etree.Element("counts", counts)


def _item(alignment: Alignment, bead: Bead, number: int) -> etree._Element | None:
    """The element for a bead that shows a difference; None for a plain match."""
    if bead.kind is Kind.MATCH:
        return None
    item = etree.Element(
        bead.kind.value,
        {
            "bead": str(number),
            "type": bead.type,
            "score": score_text(bead.score),
        },
    )
    for sentence in alignment.source_sentences(bead):
        item.append(_sentence("source", sentence, with_translation=True))
    for sentence in alignment.target_sentences(bead):
        item.append(_sentence("target", sentence, with_translation=False))
    if bead.kind is Kind.PARTIAL:
        _words(alignment, bead, item)
    return item


def _sentence(name: str, sentence: Sentence, with_translation: bool) -> etree._Element:
    element = etree.Element(name, id=str(sentence.id), paragraph=str(sentence.paragraph))
    etree.SubElement(element, "text").text = xml_safe(sentence.text)
    if with_translation and sentence.translation is not None:
        etree.SubElement(element, "translation").text = xml_safe(sentence.translation)
    return element


def _words(alignment: Alignment, bead: Bead, item: etree._Element) -> None:
    """The joined translation and the words each side has without counterpart (when a word diff was made)."""
    item.set("low-confidence", "true" if is_low(bead) else "false")
    item.set("word-diff", "false" if bead.diff is None else "true")
    translation = translation_text(alignment, bead)
    if translation is not None:
        etree.SubElement(item, "translation").text = xml_safe(translation)
    if bead.diff is None:
        return
    _spans(item, "source-only", source_text(alignment, bead), bead.diff.source)
    _spans(item, "translation-only", translation or "", bead.diff.translation or ())
    _spans(item, "target-only", target_text(alignment, bead), bead.diff.target)


def _spans(item: etree._Element, name: str, text: str, spans: tuple[Span, ...]) -> None:
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        words = etree.SubElement(item, name, start=str(span.start), end=str(span.end))
        words.text = xml_safe(text[span.start : span.end])
