"""A long pair in, the band of DP cells worth searching out: the path found at half resolution, widened."""

from __future__ import annotations

import numpy as np

from pipeline.align.norms import compute_norms
from pipeline.align.problem import Band, NumericBead, Problem, joinable
from pipeline.align.search import solve
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Signal


def make_band(problem: Problem, full_cells: int = ALIGN.full_dp_cells) -> Band:
    """The whole matrix when small; else a band around the path found at half resolution."""
    n, m = problem.n, problem.m
    if (n + 1) * (m + 1) <= full_cells or n < 4 or m < 4:
        return Band(np.zeros(n + 1, dtype=np.int64), m + 1)
    coarse = halved(problem)
    coarse_band = make_band(coarse, ALIGN.coarse_full_dp_cells)
    norms = compute_norms(coarse, coarse_band, ALIGN.coarse_shapes)
    beads, _ = solve(coarse, coarse_band, norms, ALIGN.coarse_shapes)
    return project(beads, n, m)


def halved(problem: Problem) -> Problem:
    """Neighbouring sentences summed pairwise: half the rows, same signals."""
    signals = tuple(
        Signal(s.name, s.weight, _pairs_summed(s.source), _pairs_summed(s.target), s.optional)
        for s in problem.signals
    )
    src_len, tgt_len = _pairs_summed(problem.source_lengths), _pairs_summed(problem.target_lengths)
    return Problem(signals, src_len, tgt_len, joinable(len(src_len)), joinable(len(tgt_len)))


def _pairs_summed(rows):
    even, odd = rows[0::2], rows[1::2]
    return even + odd if odd.shape[0] == even.shape[0] else _padded_sum(even, odd)


def _padded_sum(even, odd):
    from scipy.sparse import issparse, vstack

    if issparse(even):
        return vstack([even[:-1] + odd, even[-1:]]).tocsr()
    return np.concatenate([even[:-1] + odd, even[-1:]])


def project(coarse_beads: list[NumericBead], n: int, m: int) -> Band:
    """Fine DP rows 2i-1..2i+1 see columns the coarse path visits at coarse row i, widened by band_radius."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.full(n + 1, -1, dtype=np.int64)
    for bead in coarse_beads:
        i0, j0 = bead.start
        i1, j1 = i0 + len(bead.src), j0 + len(bead.tgt)
        rows = slice(max(0, 2 * i0 - 2), min(n, 2 * i1 + 2) + 1)
        lo[rows] = np.minimum(lo[rows], 2 * j0 - ALIGN.band_radius)
        hi[rows] = np.maximum(hi[rows], 2 * j1 + ALIGN.band_radius)
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # every row reaches what later rows start from
    hi = np.maximum.accumulate(hi)
    return Band(lo, int((hi - lo).max()) + 1)
