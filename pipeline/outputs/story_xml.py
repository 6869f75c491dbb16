"""A Story in, story.xml bytes out: the reports' sentences, the pairwise relations, the claims and members.

The schema ships in the package: `schema_path()` (pipeline/outputs/schemas/story.xsd).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lxml import etree

from pipeline.model import Sentence
from pipeline.outputs.diffxml import provenance_element
from pipeline.outputs.text import score_text, xml_safe
from pipeline.story.model import SCHEMA, Claim, PairRelation, Report, Story


def schema_path() -> Path:
    """Where story.xsd lies inside the installed package."""
    return Path(str(resources.files("pipeline.outputs") / "schemas" / "story.xsd"))


def render(story: Story) -> bytes:
    root = etree.Element("story", {"schema": SCHEMA, "pivot-lang": story.pivot_lang})
    root.append(provenance_element(story.provenance))
    reports = etree.SubElement(root, "reports")
    for report in story.reports:
        reports.append(_report(report))
    relations = etree.SubElement(root, "relations")
    for pair in story.relations:
        relations.append(_relation(pair))
    claims = etree.SubElement(root, "claims")
    for claim in story.claims:
        claims.append(_claim(claim))
    no_claim = etree.SubElement(root, "no-claim")
    for line in story.no_claim:
        etree.SubElement(no_claim, "line", report=line.report, sentence=str(line.sentence), why=line.why)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _report(report: Report) -> etree._Element:
    article = report.article
    attributes = {"id": report.id, "lang": article.lang, "path": xml_safe(article.path)}
    element = etree.Element("report", {**attributes, "label": xml_safe(article.label)})
    for sentence in article.sentences:
        element.append(_sentence(sentence))
    return element


def _sentence(sentence: Sentence) -> etree._Element:
    element = etree.Element("s", {"id": str(sentence.id), "paragraph": str(sentence.paragraph)})
    etree.SubElement(element, "text").text = xml_safe(sentence.text)
    if sentence.translation is not None:
        etree.SubElement(element, "translation").text = xml_safe(sentence.translation)
    return element


def _relation(pair: PairRelation) -> etree._Element:
    relation = pair.relation
    return etree.Element(
        "relation",
        {
            "first": pair.reports[0],
            "second": pair.reports[1],
            "kind": relation.kind,
            "linked": score_text(relation.linked),
            "score": score_text(relation.score),
        },
    )


def _claim(claim: Claim) -> etree._Element:
    element = etree.Element(
        "claim", {"id": str(claim.id), "score": score_text(claim.score), "reports": str(len(claim.members))}
    )
    for member in claim.members:
        etree.SubElement(
            element,
            "member",
            report=member.report,
            sentences=" ".join(map(str, member.sentences)),
            probability=score_text(member.probability),
        )
    return element
