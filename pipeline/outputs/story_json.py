"""A Story in, story.json bytes out (schema newsalign.story/1)."""

from __future__ import annotations

import json

from pipeline.outputs.alignment_json import article_row, provenance_row
from pipeline.story.model import SCHEMA, Claim, PairRelation, Report, Story


def render(story: Story) -> bytes:
    document = {
        "schema": SCHEMA,
        "pivot_lang": story.pivot_lang,
        "reports": [_report(report) for report in story.reports],
        "claims": [_claim(claim) for claim in story.claims],
        "relations": [_relation(pair) for pair in story.relations],
        "no_claim": [{"report": j.report, "sentence": j.sentence, "why": j.why} for j in story.no_claim],
        "provenance": provenance_row(story.provenance),
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _report(report: Report) -> dict:
    return {"id": report.id, **article_row(report.article, with_translation=True)}


def _claim(claim: Claim) -> dict:
    members = [
        {"report": m.report, "sentences": list(m.sentences), "probability": round(m.probability, 4)}
        for m in claim.members
    ]
    return {"id": claim.id, "members": members, "score": round(claim.score, 4)}


def _relation(pair: PairRelation) -> dict:
    relation = pair.relation
    return {
        "reports": list(pair.reports),
        "kind": relation.kind,
        "linked": round(relation.linked, 4),
        "score": round(relation.score, 4),
    }
