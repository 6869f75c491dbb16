"""Two Articles in (source with optional translations), Links out: each sentence of both in exactly one Link.

How: signals.py turns the pair into per-sentence feature rows (embeddings, MT
character n-grams, raw n-grams, anchors). Each signal's bead similarity is
the cosine of the summed rows of the bead's sentences, turned into a margin
over random beads of the same shape and divided by the document's typical
best margin, so 1.0 means "as similar as a typical true pair in this
document" whatever the signal or language; a sigmoid makes it a [0, 1]
confidence. A monotone dynamic programme over beads 1-1, 1-2, 2-1, 2-2,
1-3, 3-1, 2-3, 3-2, 1-4, 4-1, 1-0, 0-1 finds the cheapest path. Merges pay
for their weakest member (a sentence of the merged side with little
similarity of its own to the other side), and the cost of leaving a
sentence out follows the document's orphan rate: near zero for a
translation (leaving out is expensive), high for two newsrooms' reports.
Long documents are first aligned at half resolution (recursively) and the
full-resolution search is confined to a band around that path, so time and
memory grow linearly. Links whose sentences have a far better counterpart
elsewhere are undone (a sentence of a merged side is held to its own
support in the merge, which the merge's summed rows can hide). When the
source has a translation, a sentence left over right beside a bead joins it
if its words turn up on the bead's other side and not on its own: the piece
of a sentence that the other side keeps whole (or that an OCR line break
cut), not an addition. This comes before the crossing passes, which would
otherwise pair such a piece with some far sentence. Then crossing links are
recovered: the sentences left unaligned on both sides form a smaller
problem that is aligned again (merges only of former neighbours), keeping
its confident beads against the reading order. Two sentences outside the
monotone links that are each other's best counterpart, confidently, are
proposed as well (a far weaker crossing link holding one of them gives way):
the leftovers' path weighs lengths, and one more sentence anywhere in a report
(a headline, a byline) could tip such a pair out of it. Last, pieces attach again,
now also across one unaligned sentence (a caption that landed inside a
split sentence).

The align package does no I/O and holds nothing language-specific: signals.py
turns the words into numbers.
"""

from __future__ import annotations

import numpy as np

from pipeline.align.attach import attach_pieces, rescored
from pipeline.align.band import make_band
from pipeline.align.decide import decide
from pipeline.align.norms import compute_norms
from pipeline.align.passes import (
    all_unaligned,
    crossing_pass,
    displaced,
    mutual_partners,
    split_pairs,
    unaligned_rest,
)
from pipeline.align.problem import Norms, NumericBead, Problem, problem_of
from pipeline.align.search import solve
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Features, features
from pipeline.model import Article, Link


def align(source: Article, target: Article, embedder=None) -> tuple[Link, ...]:
    """Links covering every sentence once, ordered by the target's reading order.

    Order: two-sided links and omissions by their first target id; each
    addition (source only) right after the link that holds the source
    sentence before it (first if it opens the source). Scores: for two-sided
    links the bead's normalised similarity clipped to [0, 1]; for one-sided
    links the best similarity the sentence had to any single counterpart
    (low = clearly unmatched).
    """
    feats = features(source, target, embedder)
    beads = align_features(feats)
    return order_links(_links(beads, source, target))


def align_features(feats: Features) -> list[NumericBead]:
    """Beads that cover every index once; two-sided ones only where both sides state the same content."""
    return decide(feats, propose(feats))


def propose(feats: Features) -> list[NumericBead]:
    """Monotone alignment, then crossing passes over what stayed unaligned: each sentence's best partners."""
    problem = problem_of(feats)
    if problem.n == 0 or problem.m == 0:
        return all_unaligned(problem.n, problem.m, np.zeros(problem.n), np.zeros(problem.m))
    band = make_band(problem)
    norms = compute_norms(problem, band, ALIGN.shapes)
    beads, best = solve(problem, band, norms, ALIGN.shapes)
    linked = [
        piece
        for b in beads
        if b.src and b.tgt and not displaced(problem, norms, b, best)
        for piece in split_pairs(problem, norms, b)
    ]
    # a piece right beside its bead joins it before a crossing pass can pair it with a far sentence
    linked = _with_pieces(feats, problem, norms, linked, gap=0)
    crossing: list[NumericBead] = []
    for _ in range(ALIGN.cross_passes):
        found = crossing_pass(problem, norms, linked + crossing)
        if not found:
            break
        crossing += found
    linked += mutual_partners(linked, crossing, best, feats.coverage)
    linked = _with_pieces(feats, problem, norms, linked, gap=ALIGN.attach_gap)
    return linked + unaligned_rest(problem, linked, best.source, best.target)


def _with_pieces(
    feats: Features, problem: Problem, norms: Norms, linked: list[NumericBead], gap: int
) -> list[NumericBead]:
    """The linked beads grown by the left-over pieces at most `gap` unaligned sentences away, rescored."""
    grown = attach_pieces(feats.coverage, linked, problem.n, problem.m, norms.piece_words, gap)
    return rescored(problem, norms, grown, linked)


def _links(beads: list[NumericBead], source: Article, target: Article) -> list[Link]:
    """0-based indices to the Sentence ids of the articles; q clipped to a [0, 1] score."""
    sid = [s.id for s in source.sentences]
    tid = [s.id for s in target.sentences]
    return [
        Link(
            tuple(sid[i] for i in b.src),
            tuple(tid[j] for j in b.tgt),
            round(float(np.clip(b.q, 0.0, 1.0)), 4),
        )
        for b in beads
    ]


def order_links(links: list[Link]) -> tuple[Link, ...]:
    """Target reading order; each addition right after the link holding the source sentence before it."""
    ordered = sorted((link for link in links if link.tgt), key=lambda link: (min(link.tgt), link.src))
    additions = sorted((link for link in links if not link.tgt), key=lambda link: link.src)
    for addition in additions:
        before = min(addition.src) - 1
        at = next((k + 1 for k, link in enumerate(ordered) if before in link.src), None)
        if at is None:
            # opens the source: first, after earlier such additions
            at = sum(1 for link in ordered if not link.tgt)
        ordered.insert(at, addition)
    return tuple(ordered)
