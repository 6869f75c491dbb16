"""A Story in, story.html bytes out: one self-contained page, a row per claim and a column per report.

Filters are CSS-only radio buttons (no script): every claim, claims only one report makes, claims every
report makes. A claim only one report makes is tinted and says so; its strength is shown as a bar. Reports
are named by their labels. Below 720 px a claim's row stacks the cells of the reports that state it (each
cell names its report: "in AFP (0.95)", the probability that AFP states the claim; "only in BTA (0.37)",
the probability that no other report does).
"""

from __future__ import annotations

from pathlib import PurePath

from lxml import etree, html

from pipeline.model import Sentence
from pipeline.outputs.text import child, element, score_text
from pipeline.story.model import Claim, Member, Story

CSS = """
:root { --one: #fff1c9; --one-edge: #d99a00; --all: #e3f4e6; --all-edge: #2f8f46;
        --ink: #1d2330; --soft: #5d6675; --line: #d9dde4; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.2rem 3rem; color: var(--ink); background: #fff;
       font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
h2 { font-size: 1rem; margin: .8rem 0 .3rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 .6rem; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .6rem; background: #f7f8fa; }
.counts li.single { background: var(--one); border-color: var(--one-edge); }
.counts li.all { background: var(--all); border-color: var(--all-edge); }
table.relations { border-collapse: collapse; margin: 0 0 .6rem; font-size: .85rem; }
table.relations th, table.relations td { border: 1px solid var(--line); padding: .15rem .5rem;
  text-align: left; }
table.relations td.translation { background: #e3f4e6; } table.relations td.adaptation { background: #eef4ff; }
table.relations td.unrelated { color: var(--soft); }
.provenance { font-size: .75rem; color: var(--soft); margin: 0 0 .6rem; display: flex; flex-wrap: wrap;
              gap: .1rem 1rem; }
.provenance span { overflow-wrap: anywhere; }
.controls { font-size: .9rem; color: var(--soft); margin-right: .3rem; }
input[name=filter] + label { font-size: .9rem; margin-right: 1.2rem; }
table.claims { margin-top: .5rem; }
#show-single:checked ~ table.claims tbody tr:not(.single) { display: none; }
#show-all:checked ~ table.claims tbody tr:not(.all) { display: none; }
table.claims { width: 100%; border-collapse: collapse; table-layout: fixed; }
col.n { width: 2.6rem; } col.strength { width: 5.5rem; }
table.claims thead th { position: sticky; top: 0; background: #fff; text-align: left; font-size: .8rem;
                        border-bottom: 2px solid var(--ink); padding: .3rem .4rem; vertical-align: bottom; }
th .path { display: block; color: var(--soft); font-weight: normal; overflow-wrap: anywhere; }
table.claims td { vertical-align: top; padding: .35rem .4rem; border-bottom: 1px solid var(--line);
                  overflow-wrap: anywhere; }
td.n { color: var(--soft); font-size: .75rem; text-align: right; }
td.empty { background: #fafafa; }
tr.single td.member { background: var(--one); box-shadow: inset 4px 0 var(--one-edge); }
tr.all td.n { box-shadow: inset 4px 0 var(--all-edge); }
.only { display: block; font-size: .7rem; font-weight: 600; color: #8a5a00; }
.probability { display: block; font-size: .7rem; color: var(--soft); }
ul.no-claim { font-size: .8rem; color: var(--soft); }
.sentence + .sentence { margin-top: .3rem; }
.id { color: var(--soft); font-size: .7rem; margin-right: .15rem; font-variant-numeric: tabular-nums; }
.mt { color: var(--soft); font-size: .85rem; font-style: italic; margin-top: .1rem; }
.bar { height: .35rem; background: var(--line); border-radius: 2px; margin-top: .2rem; }
.bar span { display: block; height: 100%; background: var(--ink); border-radius: 2px; }
td.strength { font-size: .75rem; color: var(--soft); }
.scroll { overflow-x: auto; max-width: 100%; }
ul.pairs { display: none; font-size: .85rem; margin: 0 0 .6rem; padding-left: 1.1rem; }
@media (max-width: 720px) {
  body { padding: .8rem .7rem 2rem; }
  .scroll.matrix { display: none; }
  ul.pairs { display: block; }
  table.claims { display: block; }
  table.claims colgroup, table.claims thead { display: none; }
  table.claims tbody { display: block; }
  table.claims tr { display: flex; flex-wrap: wrap; align-items: baseline;
                    border-bottom: 2px solid var(--line); }
  table.claims td { display: block; border-bottom: none; }
  table.claims td.n { order: -2; text-align: left; }
  table.claims td.strength { order: -1; flex: 1 1 auto; max-width: 8rem; }
  table.claims td.member { flex: 0 0 100%; }
  table.claims td.empty { display: none; }
  tr.all td.n { box-shadow: none; }
}
@media print {
  .controls, input[name=filter], input[name=filter] + label { display: none; }
  thead th { position: static; } tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render(story: Story) -> bytes:
    page = etree.Element("html", lang="en")
    head = etree.SubElement(page, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "title").text = f"newsalign: {len(story.reports)} reports of one story"
    etree.SubElement(head, "style").text = CSS
    body = etree.SubElement(page, "body")
    for part in (*_top(story), *_controls(), _claims(story), *_no_claim(story)):
        body.append(part)
    return html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", method="html", pretty_print=True)


def _top(story: Story) -> list[etree._Element]:
    title = element("h1", f"{len(story.reports)} reports of one story, {len(story.claims)} claims")
    return [title, _counts(story), *_relations(story), _provenance(story)]


def _counts(story: Story) -> etree._Element:
    counts = element("ul", class_="counts")
    single = sum(1 for c in story.claims if len(c.members) == 1)
    every = sum(1 for c in story.claims if len(c.members) == len(story.reports))
    child(counts, "li", f"{every} made by every report", class_="all")
    child(counts, "li", f"{single} made by one report only", class_="single")
    child(counts, "li", f"{len(story.claims) - single - every} by some")
    for report in story.reports:
        only = sum(1 for c in story.claims if len(c.members) == 1 and c.members[0].report == report.id)
        article = report.article
        child(counts, "li", f"{article.label}: {len(article.sentences)} sentences, {only} only here")
    return counts


def _relations(story: Story) -> list[etree._Element]:
    """The pairs' relations twice: a matrix (kind and linked share where row and column meet, upper
    triangle), and for a small screen, where five reports' columns cannot fit, a list of the pairs."""
    box = element("div", class_="scroll matrix")
    table = child(box, "table", class_="relations")
    row = child(child(table, "thead"), "tr")
    child(row, "th", "relation")
    for report in story.reports[1:]:
        child(row, "th", report.article.label)
    pairs = {pair.reports: pair.relation for pair in story.relations}
    label = {report.id: report.article.label for report in story.reports}
    listed = element("ul", class_="pairs")
    body = child(table, "tbody")
    for first in story.reports[:-1]:
        row = child(body, "tr")
        child(row, "th", first.article.label)
        for second in story.reports[1:]:
            relation = pairs.get((first.id, second.id))
            if relation is None:
                child(row, "td", class_="none")
                continue
            said = f"{relation.kind} {relation.linked:.0%}"
            title = f"{relation.linked:.0%} of the sentences linked; confidence {score_text(relation.score)}"
            child(row, "td", said, class_=relation.kind, title=title)
            child(listed, "li", f"{label[first.id]} \u2013 {label[second.id]}: {said}", title=title)
    return [box, listed]


def _provenance(story: Story) -> etree._Element:
    provenance = story.provenance
    box = element("div", class_="provenance")
    parts = [
        ("pivot language", story.pivot_lang),
        ("newsalign", provenance.newsalign),
        ("translator", provenance.translator),
        ("embedder", provenance.embedder),
    ]
    parts += [("note", note) for note in provenance.notes]
    for name, value in parts:
        child(box, "span", f"{name} {value}")
    return box


def _controls() -> list[etree._Element]:
    """Radio buttons and their labels as the table's siblings, so CSS sibling selectors filter its rows."""
    elements = [element("span", "show:", class_="controls")]
    for key, text in (
        ("every", "every claim"),
        ("single", "claims only one report makes"),
        ("all", "claims every report makes"),
    ):
        button = element("input", type="radio", name="filter", id=f"show-{key}")
        if key == "every":
            button.set("checked", "checked")
        elements += [button, element("label", text, for_=f"show-{key}")]
    return elements


def _claims(story: Story) -> etree._Element:
    table = element("table", class_="claims")
    columns = child(table, "colgroup")
    child(columns, "col", class_="n")
    for report in story.reports:
        child(columns, "col", class_=f"report {report.id}")
    child(columns, "col", class_="strength")
    row = child(child(table, "thead"), "tr")
    child(row, "th", "#")
    for report in story.reports:
        cell = child(row, "th", f"{report.article.label} ({report.article.lang})")
        child(cell, "span", PurePath(report.article.path).name, class_="path")
    strength = "several reports: the probability that they state one claim; one report: that no other does"
    child(row, "th", "strength", title=strength)
    body = child(table, "tbody")
    for claim in story.claims:
        body.append(_row(story, claim))
    return table


def _row(story: Story, claim: Claim) -> etree._Element:
    spread = (
        "single" if len(claim.members) == 1 else "all" if len(claim.members) == len(story.reports) else "some"
    )
    row = element(
        "tr", class_=f"claim {spread}", id=f"claim-{claim.id}", data_reports=str(len(claim.members))
    )
    child(row, "td", str(claim.id), class_="n")
    members = {m.report: m for m in claim.members}
    for report in story.reports:
        member = members.get(report.id)
        row.append(
            _member_cell(story, member, spread, claim.score)
            if member
            else element("td", class_=f"empty {report.id}")
        )
    strength = child(row, "td", score_text(claim.score), class_="strength")
    bar = child(strength, "div", class_="bar")
    child(bar, "span", style=f"width: {claim.score * 100:.0f}%")
    return row


def _member_cell(story: Story, member: Member, spread: str, claim_score: float) -> etree._Element:
    article = story.report(member.report).article
    cell = element("td", class_=f"member {member.report}")
    if spread == "single":
        child(
            cell,
            "span",
            f"only in {article.label} ({score_text(claim_score)})",
            class_="only",
            title="the probability that no other report states the claim",
        )
    else:
        child(
            cell,
            "span",
            f"in {article.label} ({score_text(member.probability)})",
            class_="probability",
            title="the probability that this report states the claim",
        )
    for sentence in story.sentences(member):
        cell.append(_sentence(sentence))
    return cell


def _no_claim(story: Story) -> list[etree._Element]:
    """The lines that carry no claim, by report, and why (none: nothing)."""
    if not story.no_claim:
        return []
    listing = element("ul", class_="no-claim")
    for line in story.no_claim:
        article = story.report(line.report).article
        text = article.sentences[line.sentence - 1].text
        child(listing, "li", f"{article.label} #{line.sentence} \u201c{text}\u201d: {line.why}")
    return [element("h2", "Lines that carry no claim"), listing]


def _sentence(sentence: Sentence) -> etree._Element:
    box = element("div", class_="sentence")
    child(
        box, "span", str(sentence.id), class_="id"
    ).tail = " "  # copied text keeps the id apart from the words
    child(box, "span", sentence.text, class_="text")
    if sentence.translation is not None:
        child(box, "div", sentence.translation, class_="mt")
    return box
