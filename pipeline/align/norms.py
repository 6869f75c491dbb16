"""A pair in, its per-document norms out: shape baselines, signal scales, length ratio, orphan-rate costs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pipeline.align.problem import Band, Norms, Problem
from pipeline.align.settings import ALIGN
from pipeline.align.similarity import (
    Best,
    Grid,
    best_one_to_one,
    confidence,
    make_grid,
    shape_baselines,
    shape_q,
    shape_similarity,
)


def compute_norms(problem: Problem, band: Band, shapes) -> Norms:
    """Per-shape random baselines, and each signal's typical best 1-1 margin in the band."""
    two_sided = {shape for shape in shapes if shape[0] and shape[1]}
    two_sided |= {(1, b) for a, b in two_sided} | {(a, 1) for a, b in two_sided}  # for merged sides' members
    base = {
        (a, b): tuple(shape_baselines(s.source, s.target, a, b) for s in problem.signals)
        for a, b in two_sided
    }
    base = {
        shape: tuple(_filled(pair, base[(1, 1)][s]) for s, pair in enumerate(per_signal))
        for shape, per_signal in base.items()
    }
    ratio = float((problem.target_lengths.sum() + 1) / (problem.source_lengths.sum() + 1))
    grid = make_grid(problem, band)
    scales = []
    for s, _ in enumerate(problem.signals):
        cosine, valid = shape_similarity(grid, s, 1, 1, problem.n, problem.m)
        source_base, target_base = base[(1, 1)][s]
        margin = cosine - (_at_rows(source_base, problem.n) + _at_cols(target_base, grid, problem.m)) / 2
        best = np.where(valid, margin, -np.inf).max(axis=1)[1:]
        best = best[np.isfinite(best) & (best > 0)]
        scales.append(float(np.percentile(best, ALIGN.scale_percentile)) if len(best) else 1.0)
    norms = Norms(base, tuple(max(s, ALIGN.min_scale) for s in scales), ratio)
    q, _, valid = shape_q(problem, grid, norms, 1, 1)
    best = best_one_to_one(confidence(q), np.where(valid, 0.0, np.inf), grid.band, problem.n, problem.m)
    skip, member, piece_words = priors(orphan_rate(best))
    return replace(
        norms,
        length_ratio=_pair_length_ratio(problem, best, ratio),
        skip_cost=skip,
        member_cost=member,
        piece_words=piece_words,
    )


def _filled(
    pair: tuple[np.ndarray, np.ndarray], fallback: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Baselines a tiny document could not sample (NaN), from the 1-1 ones, or 0 if those are missing too."""
    source, target = (np.nan_to_num(np.where(np.isnan(v), f, v), nan=0.0) for v, f in zip(pair, fallback))
    return source, target


def orphan_rate(best: Best) -> float:
    """Share of sentences whose best single counterpart is below orphan_confidence: ~0 for parallel texts."""
    values = np.r_[best.source, best.target]
    return float((values < ALIGN.orphan_confidence).mean()) if len(values) else 0.0


def _pair_length_ratio(problem: Problem, best: Best, fallback: float) -> float:
    """Target/source length ratio of confident best pairs (totals mislead when one report says more)."""
    sure = np.flatnonzero(best.source >= ALIGN.length_ratio_confidence)
    if len(sure) < ALIGN.length_ratio_min_pairs:
        return fallback
    ratios = (problem.target_lengths[best.source_partner[sure]] + 1) / (problem.source_lengths[sure] + 1)
    return float(np.exp(np.median(np.log(ratios))))


def priors(rate: float) -> tuple[float, float, int]:
    """Skip cost, member cost and piece words: from parallel texts' to comparable reports' as orphans grow.

    In a translation nearly every sentence has a counterpart, so leaving one out must be expensive;
    in two newsrooms' reports many have none, and merges must not swallow them.
    """
    t = float(np.clip(rate / ALIGN.orphan_rate_comparable, 0.0, 1.0))
    return (
        ALIGN.skip_cost_parallel + t * (ALIGN.skip_cost_comparable - ALIGN.skip_cost_parallel),
        ALIGN.member_cost_parallel + t * (ALIGN.member_cost_comparable - ALIGN.member_cost_parallel),
        round(t * ALIGN.attach_min_words_comparable),
    )


def _at_rows(values: np.ndarray, n: int) -> np.ndarray:
    return values[np.clip(np.arange(n + 1) - 1, 0, max(0, n - 1))][:, None]


def _at_cols(values: np.ndarray, grid: Grid, m: int) -> np.ndarray:
    cols = grid.band.offsets[:, None] + np.arange(grid.band.width)[None, :]
    return values[np.clip(cols - 1, 0, max(0, m - 1))]
