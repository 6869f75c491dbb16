"""The Links of every pair of reports in, claims out: each sentence in one claim, one member per report.

How: sentences that one bead holds together on one side (a 2-1 link) first become one unit. Every
two-sided link is evidence, in log-odds of its probability, that its units state the same content;
two units of different reports that their pair's aligner did not link count as evidence against
(NOT_LINKED). Claims are then grown greedily, like correlation clustering: the two claims with the
strongest total evidence between all their units merge first, as long as the total is positive and
no report would hold two members of one claim. Conflicts (a sentence linked to two sentences that
are not linked to each other) are thus settled by the link probabilities, not by the reports' order.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.model import Link
from pipeline.story.model import Claim, Member
from pipeline.story.settings import STORY

NOT_LINKED = math.log(STORY.not_linked_probability / (1.0 - STORY.not_linked_probability))

PairLinks = Mapping[
    tuple[int, int], Sequence[Link]
]  # (i, j), i < j: link.src in report i, link.tgt in report j
Node = tuple[int, int]  # (report index, sentence id)


def claims_of(
    report_ids: Sequence[str], sentence_ids: Sequence[Sequence[int]], links: PairLinks
) -> tuple[Claim, ...]:
    """Claims ordered by first appearance (reports in order), members by report, ids from 1. Sentences not in
    `sentence_ids` (lines that carry no claim) are in no claim, and their links are not evidence."""
    units = _Units(sentence_ids, _within(links, sentence_ids))
    groups = _Grouping(units).run()
    ordered = sorted(groups, key=lambda group: min(min(units.nodes[u]) for u in group))
    return tuple(
        Claim(number, _members(units, group, report_ids), _score(units, group))
        for number, group in enumerate(ordered, start=1)
    )


def _within(links: PairLinks, sentence_ids: Sequence[Sequence[int]]) -> PairLinks:
    """The links with the sentences outside `sentence_ids` taken out of their sides."""
    known = [set(ids) for ids in sentence_ids]
    return {
        (i, j): [
            Link(
                tuple(s for s in link.src if s in known[i]),
                tuple(t for t in link.tgt if t in known[j]),
                link.score,
            )
            for link in pair
        ]
        for (i, j), pair in links.items()
    }


def _logit(p: float) -> float:
    p = min(max(p, STORY.clip), 1.0 - STORY.clip)
    return math.log(p / (1.0 - p))


@dataclass
class _Units:
    """Sentences joined into units, the report of each unit, and the log-odds evidence between units."""

    sentence_ids: Sequence[Sequence[int]]
    links: PairLinks
    nodes: list[list[Node]] = field(default_factory=list)
    report: list[int] = field(default_factory=list)
    # (u, v), u < v: the score of the strongest link between them
    strongest: dict[tuple[int, int], float] = field(default_factory=dict)
    best: list[float] = field(default_factory=list)  # per unit: the probability of its likeliest counterpart
    adjacent: dict[int, set[int]] = field(default_factory=dict)  # units linked to a unit

    def __post_init__(self) -> None:
        parent = {(r, s): (r, s) for r, ids in enumerate(self.sentence_ids) for s in ids}
        for (i, j), pair in self.links.items():
            for link in _two_sided(pair):
                if link.score >= STORY.merge_min:
                    _join(parent, [(i, s) for s in link.src])
                    _join(parent, [(j, t) for t in link.tgt])
        roots: dict[Node, int] = {}
        for node in parent:
            unit = roots.setdefault(_root(parent, node), len(roots))
            if unit == len(self.nodes):
                self.nodes.append([])
                self.report.append(node[0])
            self.nodes[unit].append(node)
        self._weigh({node: roots[_root(parent, node)] for node in parent})

    def _weigh(self, unit_of: dict[Node, int]) -> None:
        self.best = [0.0] * len(self.nodes)
        for (i, j), pair in self.links.items():
            for link in _two_sided(pair):
                for u in {unit_of[(i, s)] for s in link.src}:
                    for v in {unit_of[(j, t)] for t in link.tgt}:
                        key = (min(u, v), max(u, v))
                        self.strongest[key] = max(self.strongest.get(key, 0.0), link.score)
                        self.adjacent.setdefault(u, set()).add(v)
                        self.adjacent.setdefault(v, set()).add(u)
                        self.best[u] = max(self.best[u], link.score)
                        self.best[v] = max(self.best[v], link.score)
            for link in _one_sided(pair):  # one minus its score is its likeliest counterpart's probability
                for u in {unit_of[(i, s)] for s in link.src} | {unit_of[(j, t)] for t in link.tgt}:
                    self.best[u] = max(self.best[u], 1.0 - link.score)

    def evidence(self, u: int, v: int) -> float:
        """The log-odds of the strongest link between two units, NOT_LINKED when none joins them."""
        score = self.strongest.get((min(u, v), max(u, v)))
        return NOT_LINKED if score is None else _logit(score)

    def probability(self, u: int, v: int) -> float:
        """The score of the strongest link between two units, as the pairs' links give it (unclipped)."""
        return self.strongest.get((min(u, v), max(u, v)), STORY.not_linked_probability)


def _two_sided(pair: Sequence[Link]) -> list[Link]:
    return [link for link in pair if link.src and link.tgt]


def _one_sided(pair: Sequence[Link]) -> list[Link]:
    return [link for link in pair if bool(link.src) != bool(link.tgt)]


def _root(parent: dict[Node, Node], node: Node) -> Node:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _join(parent: dict[Node, Node], nodes: list[Node]) -> None:
    for node in nodes[1:]:
        a, b = _root(parent, nodes[0]), _root(parent, node)
        if a != b:
            parent[max(a, b)] = min(a, b)


@dataclass
class _Grouping:
    """Greedy agglomeration of units into claims: strongest positive evidence first, one unit per report."""

    units: _Units
    members: dict[int, list[int]] = field(default_factory=dict)  # claim (its first unit) -> its units
    claim_of: list[int] = field(default_factory=list)
    version: dict[int, int] = field(default_factory=dict)

    def run(self) -> list[list[int]]:
        count = len(self.units.nodes)
        self.members = {u: [u] for u in range(count)}
        self.claim_of = list(range(count))
        self.version = dict.fromkeys(range(count), 0)
        heap: list[tuple[float, int, int, int, int]] = []
        for u, v in self.units.strongest:
            self._push(heap, u, v)
        while heap:
            _, a, b, version_a, version_b = heapq.heappop(heap)
            if (
                a in self.members
                and b in self.members
                and (version_a, version_b) == (self.version[a], self.version[b])
            ):
                self._merge(heap, a, b)
        return list(self.members.values())

    def _push(self, heap: list, a: int, b: int) -> None:
        a, b = min(a, b), max(a, b)
        evidence = self._evidence(a, b)
        if evidence > 0:
            heapq.heappush(heap, (-evidence, a, b, self.version[a], self.version[b]))

    def _evidence(self, a: int, b: int) -> float:
        """Total log-odds between two claims' units; -inf when they share a report."""
        reports_a = {self.units.report[u] for u in self.members[a]}
        if any(self.units.report[v] in reports_a for v in self.members[b]):
            return -math.inf
        return sum(self.units.evidence(u, v) for u in self.members[a] for v in self.members[b])

    def _merge(self, heap: list, a: int, b: int) -> None:
        for u in self.members[b]:
            self.claim_of[u] = a
        self.members[a] += self.members.pop(b)
        self.version[a] += 1
        neighbours = {self.claim_of[v] for u in self.members[a] for v in self.units.adjacent.get(u, ())} - {a}
        for c in sorted(neighbours):
            self._push(heap, a, c)


def _members(units: _Units, group: list[int], report_ids: Sequence[str]) -> tuple[Member, ...]:
    """A member per unit, with the probability of its likeliest link to another member (1.0 alone)."""
    by_report = sorted(
        (units.report[u], sorted(s for _, s in units.nodes[u]), _strongest(units, group, u)) for u in group
    )
    return tuple(Member(report_ids[r], tuple(ids), round(p, 4)) for r, ids, p in by_report)


def _strongest(units: _Units, group: list[int], u: int) -> float:
    others = [v for v in group if v != u]
    return max(units.probability(u, v) for v in others) if others else 1.0


def _score(units: _Units, group: list[int]) -> float:
    """Several members: the mean, over members, of the most probable link to another member.
    One member: the probability that it has no counterpart in any other report, one minus its likeliest
    (a link, or what a pair's one-sided score says of its nearest free counterpart): with two reports,
    align's score of the same sentence (issue 21, item 3)."""
    if len(group) == 1:
        return round(1.0 - units.best[group[0]], 4)
    strongest = [_strongest(units, group, u) for u in group]
    return round(sum(strongest) / len(strongest), 4)
