"""Linked beads and the left-over sentences beside them in, beads grown by those that are their pieces out."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pipeline.align.problem import Band, Norms, NumericBead, Problem, subproblem
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Coverage
from pipeline.align.similarity import confidence, make_grid, shape_q


def attach_pieces(
    coverage: Coverage | None,
    linked: list[NumericBead],
    n: int,
    m: int,
    min_words: int = 0,
    gap: int = ALIGN.attach_gap,
) -> list[NumericBead]:
    """Beads grown by the left-overs beside them that are pieces of them (needs the source's translation).

    A left-over sentence next to a bead (at most `gap` unaligned sentences between) joins it when
    at least ALIGN.attach_min_gain of its words, weighted by idf, are found on the bead's other side and not
    already on the bead's own side, `min_words` of them content words: it carries what the other side
    says and the bead so far does not. An addition's words are not on the other side. Embedding
    similarity cannot make this call: a half sentence is weakly similar to anything, and a merge that
    swallows it looks worse, not better. Two newsrooms' reports share topic words everywhere, hence
    `min_words` there (see priors).
    """
    if coverage is None:
        return linked
    beads = list(linked)
    for side, size in ((0, n), (1, m)):
        owner = {i: at for at, bead in enumerate(beads) for i in _side(bead, side)}
        for k in sorted(set(range(size)) - owner.keys()):
            near = _neighbours(k, owner, size, gap)
            evidence = [piece_evidence(coverage, side, k, beads[at]) for at in near]
            gains = [gain if words >= min_words else 0.0 for gain, words in evidence]
            if gains and max(gains) >= ALIGN.attach_min_gain:
                at = near[int(np.argmax(gains))]  # the first of equals
                bead = beads[at]
                grown = (
                    (tuple(sorted(bead.src + (k,))), bead.tgt)
                    if side == 0
                    else (bead.src, tuple(sorted(bead.tgt + (k,))))
                )
                beads[at] = NumericBead(*grown, bead.q, bead.start)
                owner[k] = at
    return beads


def _neighbours(k: int, owner: dict[int, int], size: int, gap: int) -> list[int]:
    """The beads holding the nearest sentence before and after k, at most `gap` unaligned ones away."""
    found = []
    for step in (-1, 1):
        i = k + step
        while 0 <= i < size and i not in owner and abs(i - k) <= gap:
            i += step
        if i in owner and owner[i] not in found:
            found.append(owner[i])
    return found


def piece_evidence(coverage: Coverage, side: int, k: int, bead: NumericBead) -> tuple[float, int]:
    """Sentence k's words found on the bead's other side and not on its own side.

    Returns their share of k's words (idf-weighted) and how many of them are content words.
    """
    own_words, other_words = (
        (coverage.source, coverage.target) if side == 0 else (coverage.target, coverage.source)
    )
    own, other = _side(bead, side), _side(bead, 1 - side)
    offered = frozenset().union(*(other_words[j] for j in other))
    explained = frozenset().union(*(own_words[i] for i in own))
    unexplained = offered - explained
    found = list(own_words[k] & unexplained)
    total = coverage.weights[list(own_words[k])].sum()
    share = float(coverage.weights[found].sum() / total) if total > 0 else 0.0
    return share, int(coverage.content[found].sum())


def _side(bead: NumericBead, side: int) -> tuple[int, ...]:
    return bead.src if side == 0 else bead.tgt


def rescored(
    problem: Problem, norms: Norms, beads: list[NumericBead], before: list[NumericBead]
) -> list[NumericBead]:
    """Grown beads get the similarity of what they now hold (kept where the shape has no baseline)."""
    return [
        bead if bead == old else replace(bead, q=bead_q(problem, norms, bead.src, bead.tgt, bead.q))
        for bead, old in zip(beads, before)
    ]


def bead_q(
    problem: Problem, norms: Norms, src: tuple[int, ...], tgt: tuple[int, ...], fallback: float
) -> float:
    """Confidence of a bead of any sentences (not necessarily neighbours), as the search scores its shape."""
    a, b = len(src), len(tgt)
    if (a, b) not in norms.baselines:
        return fallback
    sub, sub_norms = subproblem(problem, norms, np.asarray(src), np.asarray(tgt))
    sub = replace(sub, source_joinable=np.ones(a, dtype=bool), target_joinable=np.ones(b, dtype=bool))
    q, _, _ = shape_q(sub, make_grid(sub, Band(np.zeros(a + 1, dtype=np.int64), b + 1)), sub_norms, a, b)
    return float(confidence(q[a, b]))
