"""The pair as the search sees it: signals, lengths, which neighbours may merge, per-document norms."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pipeline.align.signals import Features, Signal


@dataclass(frozen=True)
class Problem:
    """The numeric view of a pair: signals, lengths, and which neighbours may merge."""

    signals: tuple[Signal, ...]
    source_lengths: np.ndarray
    target_lengths: np.ndarray
    source_joinable: np.ndarray  # [p]: sentence p may share a bead with p + 1
    target_joinable: np.ndarray

    @property
    def n(self) -> int:
        return len(self.source_lengths)

    @property
    def m(self) -> int:
        return len(self.target_lengths)


@dataclass(frozen=True)
class Norms:
    """Per-document normalisation, computed once and inherited by the crossing sub-problems."""

    # (a, b) -> per signal (source runs' baseline, target runs' baseline), see shape_baselines
    baselines: dict
    scales: tuple[float, ...]  # per signal: typical best margin
    length_ratio: float
    skip_cost: float = 0.0  # per unaligned sentence; set from the orphan rate (see priors)
    member_cost: float = 0.0
    # content words a left-over piece must share with its bead's other side (see attach_pieces)
    piece_words: int = 0


@dataclass(frozen=True)
class Band:
    """DP row i covers target positions offsets[i] .. offsets[i] + width - 1."""

    offsets: np.ndarray
    width: int


@dataclass(frozen=True)
class NumericBead:
    """Half-open index ranges (0-based) on each side and the normalised similarity q."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    q: float
    start: tuple[int, int] = (0, 0)  # DP cell the bead starts from (where an empty side stands)


def problem_of(feats: Features) -> Problem:
    n, m = len(feats.source_lengths), len(feats.target_lengths)
    return Problem(feats.signals, feats.source_lengths, feats.target_lengths, joinable(n), joinable(m))


def joinable(n: int) -> np.ndarray:
    joinable = np.ones(n, dtype=bool)
    if n:
        joinable[-1] = False
    return joinable


def subproblem(problem: Problem, norms: Norms, src: np.ndarray, tgt: np.ndarray) -> tuple[Problem, Norms]:
    """The pair restricted to some sentences; only sentences that were neighbours may still merge."""
    signals = tuple(
        Signal(s.name, s.weight, s.source[src], s.target[tgt], s.optional) for s in problem.signals
    )
    sub = Problem(
        signals,
        problem.source_lengths[src],
        problem.target_lengths[tgt],
        _still_joinable(problem.source_joinable, src),
        _still_joinable(problem.target_joinable, tgt),
    )
    sub_norms = replace(
        norms,
        baselines={
            shape: tuple((bs[src], bt[tgt]) for bs, bt in per_signal)
            for shape, per_signal in norms.baselines.items()
        },
    )
    return sub, sub_norms


def _still_joinable(joinable: np.ndarray, kept: np.ndarray) -> np.ndarray:
    if len(kept) == 0:
        return np.zeros(0, dtype=bool)
    result = joinable[kept].copy()
    result[:-1] &= np.diff(kept) == 1
    result[-1] = False
    return result
