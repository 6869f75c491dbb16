"""Beads of the monotone search in, finer and crossing beads out: n-n beads split, moved passages found."""

from __future__ import annotations

import numpy as np

from pipeline.align.attach import bead_q
from pipeline.align.band import make_band
from pipeline.align.problem import Band, Norms, NumericBead, Problem, subproblem
from pipeline.align.search import solve
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Coverage
from pipeline.align.similarity import Best, confidence, make_grid, shape_q


def split_pairs(problem: Problem, norms: Norms, bead: NumericBead) -> list[NumericBead]:
    """An n-n bead (n >= 2) whose sentences pair off one to one, each pair confident, becomes those pairs.

    Summed rows make a 2-2 bead look good whenever both its 1-1 pairs are good, even crossed ones
    (two address lines swapped); the pairs are the finer and truer answer.
    """
    if len(bead.src) != len(bead.tgt) or len(bead.src) < 2:
        return [bead]
    sub, sub_norms = subproblem(problem, norms, np.asarray(bead.src), np.asarray(bead.tgt))
    grid = make_grid(sub, Band(np.zeros(sub.n + 1, dtype=np.int64), sub.m + 1))
    q, _, _ = shape_q(sub, grid, sub_norms, 1, 1)
    sure = confidence(q[1:, 1:])
    partner = sure.argmax(axis=1)
    one_each = len(set(partner.tolist())) == len(partner)
    mutual = one_each and all(sure[:, j].argmax() == i for i, j in enumerate(partner))
    if not mutual or sure[np.arange(len(partner)), partner].min() < ALIGN.split_min_confidence:
        return [bead]
    return [NumericBead((bead.src[i],), (bead.tgt[j],), float(sure[i, j])) for i, j in enumerate(partner)]


def displaced(problem: Problem, norms: Norms, bead: NumericBead, best: Best) -> bool:
    """A monotone link with a sentence that has a far better counterpart outside it: likely a moved passage.

    A sentence of a merged side is held to its own support in the bead (its confidence with the whole
    other side) when that is below the bead's: summed rows make a merge look good on its true members
    alone, and so hid a sentence glued to it whose counterpart stands elsewhere.
    """
    sides = (
        (True, bead.src, bead.tgt, best.source, best.source_partner),
        (False, bead.tgt, bead.src, best.target, best.target_partner),
    )
    for source, members, others, score, partner in sides:
        for k in members:
            if partner[k] in others or score[k] <= ALIGN.displaced_margin:
                continue  # (a quick way out: a bead's support is never below zero)
            if score[k] > _support(problem, norms, bead, k, source) + ALIGN.displaced_margin:
                return True
    return False


def _support(problem: Problem, norms: Norms, bead: NumericBead, k: int, source: bool) -> float:
    """The bead's confidence, or, for a sentence of a merged side, its own with the other side if lower."""
    if len(bead.src if source else bead.tgt) == 1:
        return bead.q
    alone = (
        bead_q(problem, norms, (k,), bead.tgt, bead.q)
        if source
        else bead_q(problem, norms, bead.src, (k,), bead.q)
    )
    return min(bead.q, alone)


def crossing_pass(problem: Problem, norms: Norms, linked: list[NumericBead]) -> list[NumericBead]:
    """Align the leftovers of both sides with each other; keep only confident beads."""
    src = np.setdiff1d(np.arange(problem.n), [i for b in linked for i in b.src])
    tgt = np.setdiff1d(np.arange(problem.m), [j for b in linked for j in b.tgt])
    if len(src) == 0 or len(tgt) == 0:
        return []
    sub, sub_norms = subproblem(problem, norms, src, tgt)
    beads, _ = solve(sub, make_band(sub), sub_norms, ALIGN.shapes)
    return [
        NumericBead(tuple(int(src[i]) for i in b.src), tuple(int(tgt[j]) for j in b.tgt), b.q)
        for b in beads
        if b.src and b.tgt and b.q >= ALIGN.cross_min_q
    ]


def mutual_partners(
    linked: list[NumericBead], crossing: list[NumericBead], best: Best, coverage: Coverage | None
) -> list[NumericBead]:
    """The crossing links and, beside them, two sentences that are each other's best counterpart at
    mutual_min_q or more, neither in a monotone link, that share a content word (one with letters, through
    the translation): a candidate, for decide.py to judge.

    The crossing passes align the leftovers monotonically, weighing lengths: one more sentence anywhere in
    a report (a headline, a byline) could tip such a pair out of that path, or let a weak crossing link
    take one of its sentences because it brought a second link along: such a crossing link gives way to the
    pair (_gives_way). The shared word keeps out lines alike in form only: two newsrooms' datelines
    ("18 Jan, 2022 07:36", "January 7, 2022") are each other's best counterpart.
    """
    if coverage is None:
        return crossing
    taken = {("src", i) for b in linked for i in b.src} | {("tgt", j) for b in linked for j in b.tgt}
    holder = {("src", i): b for b in crossing for i in b.src} | {
        ("tgt", j): b for b in crossing for j in b.tgt
    }
    found, yielded = [], set()
    for i, j in enumerate(int(j) for j in best.source_partner):
        q = float(best.source[i])
        if j < 0 or best.target_partner[j] != i or q < ALIGN.mutual_min_q or not _share_words(coverage, i, j):
            continue
        ends = (("src", i), ("tgt", j))
        holders = {id(holder[e]): holder[e] for e in ends if e in holder}
        if any(e in taken for e in ends) or not all(_gives_way(h, q) for h in holders.values()):
            continue
        yielded |= set(holders)
        found.append(NumericBead((i,), (j,), q))
    return [b for b in crossing if id(b) not in yielded] + found


def _gives_way(link: NumericBead, q: float) -> bool:
    """Whether a crossing link yields a sentence to a mutual pair of confidence q: a one-to-one link less
    sure than the pair (it split two sentences that belong together); a merge only when far less sure (by
    displaced_margin): merges yielding as readily cost Text+Berg with MT 0.003 F1, monotone links yielding
    too (at the reports' ends alone as well) 0.004."""
    if len(link.src) == len(link.tgt) == 1:
        return link.q < q
    return link.q <= q - ALIGN.displaced_margin


def _share_words(coverage: Coverage, i: int, j: int) -> bool:
    """Whether source sentence i (its translation) and target sentence j share a content word with letters."""
    shared = coverage.source[i] & coverage.target[j]
    return any(coverage.content[w] and (coverage.letters is None or coverage.letters[w]) for w in shared)


def unaligned_rest(
    problem: Problem, linked: list[NumericBead], best_src: np.ndarray, best_tgt: np.ndarray
) -> list[NumericBead]:
    used_src = {i for b in linked for i in b.src}
    used_tgt = {j for b in linked for j in b.tgt}
    rest = [NumericBead((i,), (), float(best_src[i])) for i in range(problem.n) if i not in used_src]
    return rest + [NumericBead((), (j,), float(best_tgt[j])) for j in range(problem.m) if j not in used_tgt]


def all_unaligned(n: int, m: int, best_src: np.ndarray, best_tgt: np.ndarray) -> list[NumericBead]:
    return [NumericBead((i,), (), float(best_src[i])) for i in range(n)] + [
        NumericBead((), (j,), float(best_tgt[j])) for j in range(m)
    ]
