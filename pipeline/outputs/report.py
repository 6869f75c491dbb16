"""Alignment in, report.html bytes out: a self-contained page, both reports side by side in reading order."""

from __future__ import annotations

from lxml import etree, html

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Alignment, Bead, Kind, Relation, Sentence, Span
from pipeline.outputs.summary import RELATION_WORDS, figures
from pipeline.outputs.text import (
    child,
    element,
    is_aligned,
    is_low,
    pieces,
    score_text,
    setting_text,
    xml_safe,
)

LABELS = {
    Kind.MATCH: "match",
    Kind.PARTIAL: "partial",
    Kind.ADDITION: "only in {source}",
    Kind.OMISSION: "only in {target}",
}

# Goes into report.html as it is: rewrapping its few long lines would change every report's bytes.
CSS = """
:root { --add: #fff1c9; --add-edge: #d99a00; --omit: #e2ecff; --omit-edge: #3a6fd8;
        --ink: #1d2330; --soft: #5d6675; --line: #d9dde4; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.2rem 1.6rem 3rem; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; }
.files { color: var(--soft); margin: 0 0 .8rem; overflow-wrap: anywhere; }
.relation { margin: 0 0 .8rem; } .relation b { text-transform: capitalize; }
.relation.unrelated, .relation.comparable { border-left: 4px solid var(--add-edge); padding-left: .5rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 .8rem; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .25rem .6rem; background: #f7f8fa; }
.counts b { font-size: 1.1rem; }
.counts .addition { background: var(--add); border-color: var(--add-edge); }
.counts .omission { background: var(--omit); border-color: var(--omit-edge); }
.provenance-box { margin: 1.2rem 0 0; font-size: .8rem; color: var(--soft); }
.provenance { font-size: .78rem; color: var(--soft); margin: 0 0 .8rem; display: flex; flex-wrap: wrap;
              gap: .1rem 1.1rem; }
.provenance span { overflow-wrap: anywhere; } .provenance b { font-weight: 600; }
.controls { margin: 0 0 .6rem; font-size: .9rem; }
#only-differences:checked ~ table tr.match { display: none; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
col.n { width: 3.2rem; } col.score { width: 7.5rem; }
thead th { position: sticky; top: 0; background: #fff; text-align: left; font-size: .85rem; color: var(--soft);
           border-bottom: 2px solid var(--ink); padding: .35rem .5rem; }
td { vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--line); }
td.n { color: var(--soft); font-size: .8rem; text-align: right; }
td.score { font-size: .8rem; color: var(--soft); }
.kind { display: inline-block; font-size: .75rem; font-weight: 600; border-radius: 4px; padding: 0 .3rem;
        border: 1px solid var(--line); color: var(--ink); margin-bottom: .15rem; }
.sentence + .sentence { margin-top: .35rem; }
.id { color: var(--soft); font-size: .72rem; margin-right: .1rem; font-variant-numeric: tabular-nums; }
.mt { color: var(--soft); font-size: .88rem; font-style: italic; margin-top: .1rem; }
.mt::before { content: attr(data-lang) ": "; text-transform: uppercase; font-style: normal; font-size: .72rem; }
.none { color: var(--soft); font-style: italic; font-size: .85rem; }
tr.addition td.source { background: var(--add); box-shadow: inset 4px 0 var(--add-edge); }
tr.omission td.target { background: var(--omit); box-shadow: inset 4px 0 var(--omit-edge); }
tr.addition .kind { background: var(--add); border-color: var(--add-edge); }
tr.omission .kind { background: var(--omit); border-color: var(--omit-edge); }
tr.partial .kind { background: #f3e8ff; border-color: #8a4fd1; }
mark.source-only { background: var(--add); box-shadow: 0 2px var(--add-edge); color: inherit; font-style: normal; }
mark.target-only { background: var(--omit); box-shadow: 0 2px var(--omit-edge); color: inherit; }
.low { color: #a33; font-weight: 600; }
.legend { font-size: .8rem; color: var(--soft); margin: 0 0 .6rem; }
@media print {
  body { padding: 0; font-size: 9.5pt; }
  .controls, #only-differences { display: none; }
  col.score { width: 6rem; }
  #only-differences:checked ~ table tr.match { display: table-row; }
  thead { display: table-header-group; } thead th { position: static; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""  # noqa: E501


def render(alignment: Alignment) -> bytes:
    page = etree.Element("html", lang="en")
    page.append(_head(alignment))
    body = etree.SubElement(page, "body")
    for part in (*_top(alignment), *_controls(), _table(alignment), _provenance(alignment)):
        body.append(part)
    return html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", method="html", pretty_print=True)


def _head(alignment: Alignment) -> etree._Element:
    head = element("head")
    child(head, "meta", charset="utf-8")
    child(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    child(head, "title", f"newsalign: {_name(alignment.source.path)} vs {_name(alignment.target.path)}")
    child(head, "style", CSS)
    return head


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1] or path


def _top(alignment: Alignment) -> list[etree._Element]:
    title = element("h1", "What each report has that the other lacks")
    files = element(
        "p",
        f"{alignment.source.path} ({alignment.source.lang}) compared with "
        f"{alignment.target.path} ({alignment.target.lang})",
        class_="files",
    )
    top = [title, files, _counts(alignment), _legend(alignment)]
    if alignment.relation is not None:
        top.insert(2, _relation(alignment.relation))
    return top


def _relation(relation: Relation) -> etree._Element:
    """How the two reports correspond, in words, with the share linked and the confidence."""
    line = element("p", class_=f"relation {relation.kind}")
    child(line, "b", relation.kind)
    _tail(
        line,
        f": {RELATION_WORDS.get(relation.kind, '')} \u2014 {figures(relation)}.",
    )
    return line


def _counts(alignment: Alignment) -> etree._Element:
    counts = element("ul", class_="counts")
    for kind in Kind:
        item = child(counts, "li", class_=kind.value)
        child(item, "b", str(alignment.count(kind)))
        _tail(item, " " + _label(alignment, kind))
    sentences = child(counts, "li")
    child(sentences, "b", f"{len(alignment.source.sentences)} / {len(alignment.target.sentences)}")
    _tail(sentences, f" sentences ({alignment.source.lang} / {alignment.target.lang})")
    return counts


def _label(alignment: Alignment, kind: Kind) -> str:
    return LABELS[kind].format(source=alignment.source.lang, target=alignment.target.lang)


def _tail(parent: etree._Element, text: str) -> None:
    parent[-1].tail = xml_safe(text)


def _legend(alignment: Alignment) -> etree._Element:
    legend = element("p", "Marked words: ", class_="legend")
    child(legend, "mark", f"in the {alignment.source.lang} report only", class_="source-only")
    _tail(legend, " (in its own words and in its translation), ")
    child(legend, "mark", f"in the {alignment.target.lang} report only", class_="target-only")
    _tail(
        legend,
        f". Pairs scoring below {score_text(DIFFERENCES.review_below)} "
        "are flagged \u201clow confidence\u201d.",
    )
    return legend


def _provenance(alignment: Alignment) -> etree._Element:
    """How the result was made, folded away below the table."""
    details = element("details", class_="provenance-box")
    child(details, "summary", "How this was made (translator, models, thresholds, notes)")
    details.append(_provenance_list(alignment))
    return details


def _provenance_list(alignment: Alignment) -> etree._Element:
    provenance = alignment.provenance
    rows = [
        ("newsalign", provenance.newsalign),
        ("translator", provenance.translator),
        ("embedder", provenance.embedder),
        ("word aligner", provenance.word_aligner),
        ("thresholds", ", ".join(f"{name} {setting_text(v)}" for name, v in provenance.thresholds) or "none"),
        *(("note", note) for note in provenance.notes),
    ]
    if provenance.created:
        rows.append(("created", provenance.created))
    listing = element("p", class_="provenance")
    for term, value in rows:
        item = child(listing, "span")
        child(item, "b", term)
        _tail(item, " " + value)
    return listing


def _controls() -> list[etree._Element]:
    box = element("input", type="checkbox", id="only-differences")
    label = element("label", " show only differences", for_="only-differences", class_="controls")
    return [box, label]


def _table(alignment: Alignment) -> etree._Element:
    table = element("table")
    columns = child(table, "colgroup")
    for name in ("n", "source", "target", "score"):
        child(columns, "col", class_=name)
    header = child(child(table, "thead"), "tr")
    translated = any(s.translation is not None for s in alignment.source.sentences)
    source_heading = f"{alignment.source.lang} report" + (
        f", with its {alignment.target.lang} translation" if translated else ""
    )
    for text in ("#", source_heading, f"{alignment.target.lang} report", "kind"):
        child(header, "th", text)
    body = child(table, "tbody")
    for number, bead in enumerate(alignment.beads, start=1):
        body.append(_row(alignment, bead, number))
    return table


def _row(alignment: Alignment, bead: Bead, number: int) -> etree._Element:
    row = element("tr", class_=bead.kind.value, id=f"bead-{number}")
    child(row, "td", str(number), class_="n")
    row.append(_source_cell(alignment, bead))
    row.append(_target_cell(alignment, bead))
    row.append(_score_cell(alignment, bead))
    return row


def _side_cell(css: str, sentences, lang: str) -> etree._Element:
    """A cell for one side of a bead; a side without sentences says so."""
    cell = element("td", class_=css)
    if not sentences:
        child(cell, "div", f"not in the {lang} report", class_="none")
    return cell


def _source_cell(alignment: Alignment, bead: Bead) -> etree._Element:
    sentences = alignment.source_sentences(bead)
    cell = _side_cell("source", sentences, alignment.source.lang)
    diff = bead.diff
    texts = _split([s.text for s in sentences], diff.source if diff is not None else ())
    translations = _split([s.translation or "" for s in sentences], (diff.translation or ()) if diff else ())
    for sentence, text, translation in zip(sentences, texts, translations):
        block = _sentence(cell, sentence, alignment.source.lang)
        _marked(child(block, "span", lang=alignment.source.lang), text, "source-only")
        _tail(block, " ")
        if sentence.translation is not None:
            mt = child(block, "div", class_="mt", lang=alignment.target.lang, data_lang=alignment.target.lang)
            _marked(mt, translation, "source-only")
    return cell


def _target_cell(alignment: Alignment, bead: Bead) -> etree._Element:
    sentences = alignment.target_sentences(bead)
    cell = _side_cell("target", sentences, alignment.target.lang)
    spans = bead.diff.target if bead.diff is not None else ()
    texts = _split([s.text for s in sentences], spans)
    for sentence, text in zip(sentences, texts):
        _marked(child(_sentence(cell, sentence, alignment.target.lang), "span"), text, "target-only")
    return cell


def _sentence(cell: etree._Element, sentence: Sentence, lang: str) -> etree._Element:
    """A block for one sentence, opened by its id (paragraph on hover)."""
    block = child(cell, "div", class_="sentence")
    child(block, "span", f"{lang} {sentence.id}", class_="id", title=f"paragraph {sentence.paragraph}")
    _tail(block, " ")
    return block


def _marked(parent: etree._Element, parts: list[tuple[str, bool]], css: str) -> None:
    """Append the text pieces to `parent`, the ones without counterpart inside <mark>."""
    for text, inside in parts:
        if inside:
            child(parent, "mark", text, class_=css)
        elif len(parent):
            parent[-1].tail = (parent[-1].tail or "") + xml_safe(text)
        else:
            parent.text = (parent.text or "") + xml_safe(text)


def _split(texts: list[str], spans: tuple[Span, ...]) -> list[list[tuple[str, bool]]]:
    """Per sentence, its pieces: spans index the sentences joined by one space, so shift them per sentence."""
    out = []
    offset = 0
    for text in texts:
        local = tuple(
            Span(s.start - offset, s.end - offset)
            for s in spans
            if s.end > offset and s.start < offset + len(text)
        )
        out.append(pieces(text, local))
        offset += len(text) + 1
    return out


def _score_cell(alignment: Alignment, bead: Bead) -> etree._Element:
    cell = element("td", class_="score")
    child(cell, "span", _label(alignment, bead.kind), class_="kind")
    _tail(cell, " ")
    child(cell, "div", f"{bead.type}, {score_text(bead.score)}")
    _tail(cell, " ")
    if is_aligned(bead) and is_low(bead):
        child(cell, "div", "low confidence", class_="low")
    return cell
