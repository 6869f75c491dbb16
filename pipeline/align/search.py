"""Bead costs in a band in, the cheapest monotone path of beads out (a dynamic programme over bead shapes)."""

from __future__ import annotations

import numpy as np

from pipeline.align.problem import Band, Norms, NumericBead, Problem
from pipeline.align.settings import ALIGN
from pipeline.align.similarity import Best, Grid, best_one_to_one, confidence, make_grid, run_sums, shape_q


def length_penalty(problem: Problem, norms: Norms, grid: Grid, a: int, b: int) -> np.ndarray:
    n, m = problem.n, problem.m
    rows = np.arange(n + 1)
    cols = grid.band.offsets[:, None] + np.arange(grid.band.width)[None, :]
    ls = run_sums(problem.source_lengths, a)[np.clip(rows - a, 0, max(0, n - 1))][:, None]
    lt = run_sums(problem.target_lengths, b)[np.clip(cols - b, 0, max(0, m - 1))]
    return np.abs(np.log((lt + ALIGN.length_smoothing) / (norms.length_ratio * ls + ALIGN.length_smoothing)))


def bead_costs(
    problem: Problem, band: Band, norms: Norms, shapes
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per shape: (n + 1, width) costs (inf where the bead does not fit) and q."""
    grid = make_grid(problem, band)
    costs, qs = [], []
    for a, b in shapes:
        if b == 0:
            cost = np.full((problem.n + 1, band.width), norms.skip_cost * a)
            cost[:a] = np.inf
            costs.append(cost)
            qs.append(np.zeros_like(cost))
            continue
        q, weakest, valid = shape_q(problem, grid, norms, a, b)
        q = confidence(q)
        size = a + b
        mismatch = size * (1.0 - q)
        merging = ALIGN.merge_cost * (size - 2)
        weak_member = norms.member_cost * (size - 2) * (1.0 - confidence(weakest))
        length = ALIGN.length_weight * size / 2 * length_penalty(problem, norms, grid, a, b)
        cost = mismatch + merging + weak_member + length
        costs.append(np.where(valid, cost, np.inf))
        qs.append(q)
    return costs, qs


def solve(problem: Problem, band: Band, norms: Norms, shapes) -> tuple[list[NumericBead], Best]:
    """The cheapest monotone path through the band, and each sentence's best 1-1 q (for one-sided scores)."""
    costs, qs = bead_costs(problem, band, norms, shapes)
    back = dynamic_programme(costs, shapes, band, problem.n, problem.m, norms.skip_cost)
    beads = traceback(back, qs, shapes, band, problem.n, problem.m)
    one = shapes.index((1, 1))
    return beads, best_one_to_one(qs[one], costs[one], band, problem.n, problem.m)


def dynamic_programme(
    costs: list[np.ndarray], shapes, band: Band, n: int, m: int, skip_cost: float
) -> np.ndarray:
    """Back-pointers (shape index, or skip_t for a 0-1 step) of the cheapest path to every cell."""
    width, offsets = band.width, band.offsets
    total = np.full((n + 1, width), np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    steps = np.arange(width) * skip_cost
    for i in range(n + 1):
        best = np.full(width, np.inf)
        choice = np.full(width, -1, dtype=np.int8)
        if i == 0 and offsets[0] == 0:
            best[0] = 0.0
        for s, (a, b) in enumerate(shapes):
            if a > i:
                continue
            _relax(best, choice, total[i - a], costs[s][i], int(offsets[i] - b - offsets[i - a]), s)
        reached = np.minimum.accumulate(best - steps) + steps  # 0-1 steps along the row
        choice[reached < best - 1e-9] = (
            ALIGN.skip_t
        )  # tolerance: (x - k) + k need not equal x in floating point
        total[i], back[i] = reached, choice
    return back


def _relax(
    best: np.ndarray, choice: np.ndarray, previous: np.ndarray, cost: np.ndarray, shift: int, s: int
) -> None:
    width = len(best)
    lo, hi = max(0, -shift), min(width, width - shift)
    if lo >= hi:
        return
    candidate = previous[lo + shift : hi + shift] + cost[lo:hi]
    better = candidate < best[lo:hi]
    best[lo:hi][better] = candidate[better]
    choice[lo:hi][better] = s


def traceback(
    back: np.ndarray, qs: list[np.ndarray], shapes, band: Band, n: int, m: int
) -> list[NumericBead]:
    i, j = n, m
    beads = []
    while i > 0 or j > 0:
        k = j - int(band.offsets[i])
        s = int(back[i, k])
        if s == ALIGN.skip_t:
            beads.append(NumericBead((), (j - 1,), 0.0, (i, j - 1)))
            j -= 1
            continue
        a, b = shapes[s]
        beads.append(
            NumericBead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(qs[s][i, k]), (i - a, j - b))
        )
        i, j = i - a, j - b
    return beads[::-1]
