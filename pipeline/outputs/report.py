"""Alignment in, report.html bytes out: a self-contained page, two reports side by side, in either's order.

The rows follow the foreign report; a switch (CSS only, no script) shows them in the English report's order,
and a link the two reports tell in different places is marked "moved" (order.py). Each report is named by
its label.
"""

from __future__ import annotations

from lxml import etree, html

from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Alignment, Article, Bead, Kind, Relation, Sentence, Span
from pipeline.outputs.order import Placed, by_source, by_target
from pipeline.outputs.summary import RELATION_WORDS, figures
from pipeline.outputs.text import (
    child,
    element,
    is_aligned,
    is_low,
    may_have_counterpart,
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
# The table is laid out as a grid of rows (so CSS `order` can show either report's order without a script);
# below 720 px each row stacks its cells, every cell naming its report.
CSS = """
:root { --add: #fff1c9; --add-edge: #d99a00; --omit: #e2ecff; --omit-edge: #3a6fd8;
        --ink: #1d2330; --soft: #5d6675; --line: #d9dde4; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.2rem 1.6rem 3rem; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; }
.files { color: var(--soft); margin: 0 0 .8rem; overflow-wrap: anywhere; }
.files b { color: var(--ink); }
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
.controls { display: inline-block; margin: 0 1.2rem .6rem 0; font-size: .9rem; }
.order { color: var(--soft); font-size: .9rem; margin-right: .3rem; }
input[name=order] { position: absolute; opacity: 0; width: 1px; height: 1px; }
input[name=order] + label { display: inline-block; margin: 0 .3rem .6rem 0; padding: .1rem .6rem; font-size: .9rem;
                            border: 1px solid var(--line); border-radius: 999px; cursor: pointer; }
input[name=order]:checked + label { background: var(--ink); border-color: var(--ink); color: #fff; }
input[name=order]:focus-visible + label { outline: 2px solid var(--omit-edge); outline-offset: 1px; }
#only-differences:checked ~ table tr.match { display: none; }
#by-target:checked ~ table tbody tr { order: var(--by-target); }
table.beads { display: block; width: 100%; }
table.beads thead, table.beads tbody { display: flex; flex-direction: column; }
table.beads thead { position: sticky; top: 0; z-index: 1; background: #fff; }
table.beads tr { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 8rem; }
thead th { text-align: left; font-size: .85rem; color: var(--soft);
           border-bottom: 2px solid var(--ink); padding: .35rem .5rem; }
td { vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
td.score { font-size: .8rem; color: var(--soft); }
.kind { display: inline-block; font-size: .75rem; font-weight: 600; border-radius: 4px; padding: 0 .3rem;
        border: 1px solid var(--line); color: var(--ink); margin: 0 .2rem .15rem 0; max-width: 100%;
        overflow-wrap: anywhere; }
.kind.moved { font-weight: normal; border-style: dashed; color: var(--soft); }
.sentence + .sentence { margin-top: .35rem; }
.id { color: var(--soft); font-size: .72rem; margin-right: .1rem; font-variant-numeric: tabular-nums; }
.mt { color: var(--soft); font-size: .88rem; font-style: italic; margin-top: .1rem; }
.mt::before { content: attr(data-lang) ": "; text-transform: uppercase; font-style: normal; font-size: .72rem; }
.none { color: var(--soft); font-style: italic; font-size: .85rem; }
tr.addition td.source { background: var(--add); box-shadow: inset 4px 0 var(--add-edge); }
tr.omission td.target { background: var(--omit); box-shadow: inset 4px 0 var(--omit-edge); }
tr.addition .kind.addition { background: var(--add); border-color: var(--add-edge); }
tr.omission .kind.omission { background: var(--omit); border-color: var(--omit-edge); }
tr.partial .kind.partial { background: #f3e8ff; border-color: #8a4fd1; }
mark.source-only { background: var(--add); box-shadow: 0 2px var(--add-edge); color: inherit; font-style: normal; }
mark.target-only { background: var(--omit); box-shadow: 0 2px var(--omit-edge); color: inherit; }
.low { color: #a33; font-weight: 600; }
.legend { font-size: .8rem; color: var(--soft); margin: 0 0 .6rem; }
@media (max-width: 720px) {
  body { padding: .8rem .7rem 2rem; }
  table.beads thead { display: none; }
  table.beads tr { grid-template-columns: minmax(0, 1fr); border-bottom: 2px solid var(--line); padding: .3rem 0; }
  table.beads td { border-bottom: none; padding: .25rem .4rem; }
  table.beads td.score { order: -1; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 .6rem; }
  td.source::before, td.target::before { content: attr(data-label); display: block; font-size: .72rem;
                                         color: var(--soft); }
}
@media print {
  body { padding: 0; font-size: 9.5pt; }
  .controls, .order, #only-differences, input[name=order] + label { display: none; }
  #only-differences:checked ~ table tr.match { display: grid; }
  table.beads thead { position: static; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""  # noqa: E501


def render(alignment: Alignment) -> bytes:
    page = etree.Element("html", lang="en")
    page.append(_head(alignment))
    body = etree.SubElement(page, "body")
    for part in (*_top(alignment), *_controls(alignment), _table(alignment), _provenance(alignment)):
        body.append(part)
    return html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", method="html", pretty_print=True)


def _head(alignment: Alignment) -> etree._Element:
    head = element("head")
    child(head, "meta", charset="utf-8")
    child(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    child(head, "title", f"newsalign: {alignment.source.label} vs {alignment.target.label}")
    child(head, "style", CSS)
    return head


def _top(alignment: Alignment) -> list[etree._Element]:
    title = element("h1", "What each report has that the other lacks")
    files = element("p", class_="files")
    _report_name(files, alignment.source, after=" compared with ")
    _report_name(files, alignment.target)
    top = [title, files, _counts(alignment), _legend(alignment)]
    if alignment.relation is not None:
        top.insert(2, _relation(alignment.relation))
    return top


def _report_name(parent: etree._Element, article: Article, after: str = "") -> None:
    """ "BTA (bg, bta.txt)": the label in bold, the language and the recorded path after it."""
    child(parent, "b", article.label)
    _tail(parent, f" ({article.lang}, {article.path}){after}")


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
    _tail(sentences, f" sentences ({alignment.source.label} / {alignment.target.label})")
    return counts


def _label(alignment: Alignment, kind: Kind) -> str:
    return LABELS[kind].format(source=alignment.source.label, target=alignment.target.label)


def _tail(parent: etree._Element, text: str) -> None:
    parent[-1].tail = xml_safe(text)


def _legend(alignment: Alignment) -> etree._Element:
    legend = element("p", "Marked words: ", class_="legend")
    child(legend, "mark", f"only in {alignment.source.label}", class_="source-only")
    _tail(legend, " (in its own words and in its translation), ")
    child(legend, "mark", f"only in {alignment.target.label}", class_="target-only")
    _tail(
        legend,
        f". A pair's score is the probability that the two state the same; a sentence alone's, that it "
        f"has no counterpart. Pairs scoring below {score_text(DIFFERENCES.review_below)} "
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


def _controls(alignment: Alignment) -> list[etree._Element]:
    """The filter and the order switch, as the table's earlier siblings, so CSS sibling selectors reach it."""
    box = element("input", type="checkbox", id="only-differences")
    label = element("label", " show only differences", for_="only-differences", class_="controls")
    elements = [box, label, element("span", "order:", class_="order")]
    for key, article in (("by-source", alignment.source), ("by-target", alignment.target)):
        button = element("input", type="radio", name="order", id=key)
        if key == "by-source":
            button.set("checked", "checked")
        text = f"as in {article.label} ({article.lang})"
        elements += [button, element("label", text, for_=key)]
    return elements


def _table(alignment: Alignment) -> etree._Element:
    table = element("table", class_="beads")
    header = child(child(table, "thead"), "tr")
    for text in (_heading(alignment.source, alignment), _heading(alignment.target, None), "kind"):
        child(header, "th", text)
    body = child(table, "tbody")
    in_target_order = {placed.number: k for k, placed in enumerate(by_target(alignment), start=1)}
    for placed in by_source(alignment):
        body.append(_row(alignment, placed, in_target_order[placed.number]))
    return table


def _heading(article: Article, translated_in: Alignment | None) -> str:
    """ "BTA (bg), with its en translation" for a translated source; "AFP (en)" otherwise."""
    heading = f"{article.label} ({article.lang})"
    if translated_in is not None and any(s.translation is not None for s in article.sentences):
        heading += f", with its {translated_in.target.lang} translation"
    return heading


def _row(alignment: Alignment, placed: Placed, target_place: int) -> etree._Element:
    """A bead's row; its place in the English report's order is a CSS variable the order switch reads."""
    bead = placed.bead
    css = bead.kind.value + (" moved" if placed.moved else "")
    row = element("tr", class_=css, id=f"bead-{placed.number}", style=f"--by-target: {target_place}")
    row.append(_source_cell(alignment, bead))
    row.append(_target_cell(alignment, bead))
    row.append(_score_cell(alignment, placed))
    return row


def _side_cell(css: str, sentences, article: Article) -> etree._Element:
    """A cell for one side of a bead, naming its report (shown above it on a small screen); a side without
    sentences says so."""
    cell = element("td", class_=css, data_label=f"{article.label} ({article.lang})")
    if not sentences:
        child(cell, "div", f"not in {article.label}", class_="none")
    return cell


def _source_cell(alignment: Alignment, bead: Bead) -> etree._Element:
    sentences = alignment.source_sentences(bead)
    cell = _side_cell("source", sentences, alignment.source)
    diff = bead.diff
    texts = _split([s.text for s in sentences], diff.source if diff is not None else ())
    translations = _split([s.translation or "" for s in sentences], (diff.translation or ()) if diff else ())
    for sentence, text, translation in zip(sentences, texts, translations):
        block = _sentence(cell, sentence, alignment.source)
        _marked(child(block, "span", lang=alignment.source.lang), text, "source-only")
        _tail(block, " ")
        if sentence.translation is not None:
            mt = child(block, "div", class_="mt", lang=alignment.target.lang, data_lang=alignment.target.lang)
            _marked(mt, translation, "source-only")
    return cell


def _target_cell(alignment: Alignment, bead: Bead) -> etree._Element:
    sentences = alignment.target_sentences(bead)
    cell = _side_cell("target", sentences, alignment.target)
    spans = bead.diff.target if bead.diff is not None else ()
    texts = _split([s.text for s in sentences], spans)
    for sentence, text in zip(sentences, texts):
        _marked(child(_sentence(cell, sentence, alignment.target), "span"), text, "target-only")
    return cell


def _sentence(cell: etree._Element, sentence: Sentence, article: Article) -> etree._Element:
    """A block for one sentence, opened by its number in its report (report and paragraph on hover)."""
    block = child(cell, "div", class_="sentence")
    where = f"{article.label}, sentence {sentence.id}, paragraph {sentence.paragraph}"
    child(block, "span", str(sentence.id), class_="id", title=where)
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


def _score_cell(alignment: Alignment, placed: Placed) -> etree._Element:
    bead = placed.bead
    cell = element("td", class_="score")
    child(cell, "span", _label(alignment, bead.kind), class_=f"kind {bead.kind.value}")
    if placed.moved:
        _tail(cell, " ")
        where = "the two reports tell this in different places: switch the order to see it in the other's"
        child(cell, "span", "moved", class_="kind moved", title=where)
    _tail(cell, " ")
    meaning = "that the two state the same" if is_aligned(bead) else "that it has no counterpart"
    child(
        cell, "div", f"{bead.type}, {score_text(bead.score)}", title=f"{bead.type}: the probability {meaning}"
    )
    _tail(cell, " ")
    if is_aligned(bead) and is_low(bead):
        child(cell, "div", "low confidence", class_="low")
    elif may_have_counterpart(bead):
        child(
            cell,
            "div",
            "check: may have a counterpart",
            class_="low",
            title="no link holds it, yet more likely than not the other report tells it too",
        )
    return cell
