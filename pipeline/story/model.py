"""The data model of a story: reports, claims and their members, pairwise relations, and the Story itself."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Article, Provenance, Relation

SCHEMA = "newsalign.story/1"


@dataclass(frozen=True)
class Report:
    """One report of the story: its id ("r1", "r2", ... in command-line order) and its sentences."""

    id: str
    article: Article


@dataclass(frozen=True)
class Member:
    """The sentences of one report that state a claim (several when the aligner merged them into a bead), and
    the probability that they state it: that of their likeliest link to another member (1.0 alone)."""

    report: str
    sentences: tuple[int, ...]
    probability: float = 1.0


@dataclass(frozen=True)
class NoClaim:
    """A line of a report that carries no claim (a lone "read more", a photo credit, a byline) and why."""

    report: str
    sentence: int
    why: str


@dataclass(frozen=True)
class Claim:
    """One piece of content and the reports that state it (one member each at most); one member: only it."""

    id: int
    members: tuple[Member, ...]
    # several members: how surely they belong together; one member: how surely no other report says it
    score: float


@dataclass(frozen=True)
class PairRelation:
    """How two of the story's reports correspond."""

    reports: tuple[str, str]
    relation: Relation


@dataclass(frozen=True)
class Story:
    """What every story writer renders: the reports (in the pivot language too), the claims, the relations."""

    pivot_lang: str
    reports: tuple[Report, ...]
    claims: tuple[Claim, ...]
    relations: tuple[PairRelation, ...]
    provenance: Provenance
    no_claim: tuple[NoClaim, ...] = ()  # lines in no claim, in report and sentence order

    def report(self, report_id: str) -> Report:
        return next(r for r in self.reports if r.id == report_id)

    def sentences(self, member: Member) -> list:
        article = self.report(member.report).article
        return [article.sentences[i - 1] for i in member.sentences]
