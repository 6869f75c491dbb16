"""Every pair's outcome in, OUTDIR/summary.json (for scripts) and OUTDIR/index.html (for people) out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from urllib.parse import quote

from pipeline import __version__
from pipeline.batch.manifest import ReportPair
from pipeline.batch.outcome import Counts, Outcome, Status
from pipeline.model import Relation
from pipeline.outputs.summary import describe
from pipeline.outputs.text import xml_safe
from pipeline.run import Options

SCHEMA = "newsalign.batch/1"
_HEAD = ("pair", "status", "relation", "matches", "partials", "additions", "omissions", "reason")


def render_summary(pairs: Sequence[ReportPair], outcomes: Sequence[Outcome], options: Options) -> bytes:
    """summary.json: options, totals and one entry per pair in id order.

    No timings, so a resumed run gives the same bytes.
    """
    failed = sum(1 for o in outcomes if o.status is Status.FAILED)
    document = {
        "schema": SCHEMA,
        "newsalign": __version__,
        "options": asdict(options),
        "totals": {"pairs": len(outcomes), "done": len(outcomes) - failed, "failed": failed},
        "pairs": [_summary_entry(pair, outcome) for pair, outcome in zip(pairs, outcomes)],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _summary_entry(pair: ReportPair, outcome: Outcome) -> dict:
    entry: dict = {
        "id": pair.id,
        "status": outcome.status.value,
        "source": str(pair.source),
        "target": str(pair.target),
    }
    for field in ("source_lang", "target_lang", "source_mt"):
        if getattr(pair, field) is not None:
            entry[field] = str(getattr(pair, field))
    if outcome.counts is not None:
        entry["counts"] = asdict(outcome.counts)
        if outcome.relation is not None:
            entry["relation"] = asdict(outcome.relation)
        entry["report"] = f"{pair.id}/report.html"
        entry["notes"] = list(outcome.notes)
    else:
        entry["error"] = {"type": outcome.error_type, "message": outcome.error}
    return entry


# Below 720 px a pair's row stacks its cells, each naming its column, so nothing is cut on a phone.
_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
#only-failed:checked ~ table tr.done { display: none; }
label { display: inline-block; margin: 0 0 .8em .3em; }
tr.failed td { background: #fdecea; }
.failed .status { color: #b00020; font-weight: bold; }
@media (max-width: 720px) {
  body { margin: .8em; }
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr { border-bottom: 2px solid #ddd; padding: .3em 0; }
  td { border-bottom: none; padding: .1em .3em; overflow-wrap: anywhere; }
  td.n { text-align: left; }
  td:first-child { white-space: normal; font-weight: bold; }
  td:empty { display: none; }
  td[data-label]::before { content: attr(data-label) ": "; color: #666; }
}
"""


def render_index(pairs: Sequence[ReportPair], outcomes: Sequence[Outcome]) -> bytes:
    """index.html: one self-contained page, a row per pair linking its report.html."""
    from lxml import html
    from lxml.html import builder as E

    failed = sum(1 for o in outcomes if o.status is Status.FAILED)
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.TITLE("newsalign batch"),
            E.STYLE(_CSS),
        ),
        E.BODY(
            E.H1("newsalign batch"),
            E.P(f"{len(outcomes)} pairs: {len(outcomes) - failed} done, {failed} failed."),
            E.INPUT(type="checkbox", id="only-failed"),
            E.LABEL("show only the failed pairs", **{"for": "only-failed"}),
            E.TABLE(
                E.THEAD(E.TR(*(_header_cell(h) for h in _HEAD))),
                E.TBODY(*(_index_row(p, o) for p, o in zip(pairs, outcomes))),
            ),
        ),
    )
    return html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", pretty_print=True)


def _header_cell(name: str):
    from lxml.html import builder as E

    return E.TH(name, E.CLASS("n")) if name in _HEAD[3:7] else E.TH(name)


def _index_row(pair: ReportPair, outcome: Outcome):
    from lxml.html import builder as E

    name = E.A(pair.id, href=f"{quote(pair.id)}/report.html") if outcome.counts is not None else pair.id
    counts = _count_cells(outcome.counts)
    reason = (
        f"{outcome.error_type}: {xml_safe(outcome.error or '')}" if outcome.status is Status.FAILED else ""
    )
    cells = [
        E.TD(outcome.status.value, E.CLASS("status")),
        E.TD(_relation_cell(outcome.relation)),
        *(E.TD(str(n), E.CLASS("n")) for n in counts),
        E.TD(reason),
    ]
    for cell, heading in zip(cells, _HEAD[1:]):
        if cell.text:  # the label shows on a small screen, where the heading row is hidden
            cell.set("data-label", heading)
    return E.TR(E.TD(name), *cells, E.CLASS(outcome.status.value))


def _relation_cell(relation: Relation | None) -> str:
    """How the pair's reports correspond, as the command line says it."""
    return describe(relation) if relation is not None else ""


def _count_cells(counts: Counts | None) -> tuple[str | int, ...]:
    if counts is None:
        return ("",) * len(fields(Counts))
    return tuple(getattr(counts, f.name) for f in fields(Counts))
