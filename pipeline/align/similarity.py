"""Signals and a band of DP cells in, the normalised similarity q of every bead shape at every cell out.

A bead's similarity per signal is the cosine of the summed rows of its
sentences, as a margin over random beads of the same shape, divided by the
document's typical best margin; the signals are then averaged by weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.align.problem import Band, Norms, Problem
from pipeline.align.settings import ALIGN


def sentence_band(xs, xt, offsets: np.ndarray, width: int, block: int = 256) -> np.ndarray:
    """(n, width) dot products: row p holds xs[p] . xt[offsets[p] + k]; zero outside the target."""
    from scipy.sparse import issparse

    n, m = xs.shape[0], xt.shape[0]
    out = np.zeros((n, width), dtype=np.float64)
    for p0 in range(0, n, block):
        p1 = min(n, p0 + block)
        c0, c1 = max(0, int(offsets[p0:p1].min())), min(m, int(offsets[p0:p1].max()) + width)
        if c1 <= c0:
            continue
        product = xs[p0:p1] @ xt[c0:c1].T
        product = product.toarray() if issparse(product) else np.asarray(product)
        cols = offsets[p0:p1, None] + np.arange(width)[None, :] - c0
        valid = (cols >= 0) & (cols < c1 - c0)
        out[p0:p1] = np.where(valid, np.take_along_axis(product, np.clip(cols, 0, c1 - c0 - 1), axis=1), 0.0)
    return out


def run_norms(x, longest: int) -> np.ndarray:
    """(longest + 1, n) norms of the summed rows of runs: [a, p] = |x[p] + ... + x[p + a - 1]|."""
    n = x.shape[0]
    near = [_rowwise_dots(x, k) for k in range(longest)]  # near[k][p] = x[p] . x[p + k]
    out = np.zeros((longest + 1, n))
    for a in range(1, longest + 1):
        squared = np.zeros(n)
        for t in range(a):
            squared[: n - t] += _shifted(near[0], t, n)[: n - t]
            for u in range(t + 1, a):
                squared[: n - u] += 2 * _shifted(near[u - t], t, n)[: n - u]
        squared[n - a + 1 :] = 0.0
        out[a] = np.sqrt(np.maximum(squared, 0.0))
    return out


def _shifted(values: np.ndarray, t: int, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[: max(0, len(values) - t)] = values[t:]
    return out


def _rowwise_dots(x, k: int) -> np.ndarray:
    from scipy.sparse import issparse

    n = x.shape[0]
    if k >= n:
        return np.zeros(0)
    if issparse(x):
        return np.asarray(x[: n - k].multiply(x[k:]).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", x[: n - k], x[k:])


def shape_baselines(xs, xt, a: int, b: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean cosine of each source run of a sentences with random target runs of b, and the converse.

    Summed rows grow more alike as runs grow, so each bead shape gets its own baseline.
    """
    src_runs, tgt_runs = run_rows(xs, a), run_rows(xt, b)
    source_baseline = _padded(_baseline(src_runs, tgt_runs, seed), xs.shape[0])
    target_baseline = _padded(_baseline(tgt_runs, src_runs, seed + 1), xt.shape[0])
    return source_baseline, target_baseline


def run_rows(x, a: int):
    """Row p: x[p] + ... + x[p + a - 1], for every run that fits."""
    from scipy.sparse import issparse

    n = x.shape[0]
    if a > n:
        return x[:0]
    if issparse(x):
        total = x[0 : n - a + 1]
        for t in range(1, a):
            total = total + x[t : n - a + 1 + t]
        return total.tocsr()
    sums = np.concatenate([np.zeros((1, x.shape[1]), dtype=x.dtype), np.cumsum(x, axis=0)])
    return sums[a:] - sums[:-a]


def _padded(values: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[: len(values)] = values
    return out


def _baseline(x, other, seed: int) -> np.ndarray:
    from scipy.sparse import issparse

    if x.shape[0] == 0 or other.shape[0] == 0:
        return np.zeros(x.shape[0])
    rng = np.random.default_rng(seed)
    picked = rng.choice(other.shape[0], size=min(ALIGN.baseline_sample, other.shape[0]), replace=False)
    sample = other[np.sort(picked)]
    dots = x @ sample.T
    dots = dots.toarray() if issparse(dots) else np.asarray(dots)
    denominator = np.outer(run_norms(x, 1)[1], run_norms(sample, 1)[1])
    cosines = np.divide(dots, denominator, out=np.zeros_like(dots, dtype=np.float64), where=denominator > 0)
    if cosines.shape[1] < 2:
        # nothing to compare with but the counterpart itself: see compute_norms
        return np.full(x.shape[0], np.nan)
    # without each row's best: in a short document the sample holds the true counterpart
    return (cosines.sum(axis=1) - cosines.max(axis=1)) / (cosines.shape[1] - 1)


@dataclass(frozen=True)
class Grid:
    """Per-signal pieces every shape's similarity is built from."""

    band: Band
    sentence_dots: tuple[np.ndarray, ...]
    sentence_offsets: np.ndarray
    source_norms: tuple[np.ndarray, ...]
    target_norms: tuple[np.ndarray, ...]


def make_grid(problem: Problem, band: Band) -> Grid:
    offsets = _sentence_offsets(band, problem.n)
    width = band.width + 2 * ALIGN.longest
    return Grid(
        band,
        tuple(sentence_band(s.source, s.target, offsets, width) for s in problem.signals),
        offsets,
        tuple(run_norms(s.source, ALIGN.longest) for s in problem.signals),
        tuple(run_norms(s.target, ALIGN.longest) for s in problem.signals),
    )


def _sentence_offsets(band: Band, n: int) -> np.ndarray:
    """Sentence row p serves DP rows p + 1 .. p + longest: start `longest` rows before the first of them."""
    return band.offsets[1 : n + 1] - ALIGN.longest


@dataclass(frozen=True)
class ShapeDots:
    """Dot products of a bead shape at every DP cell: the whole box, and per member sentence."""

    box: np.ndarray  # (n + 1, width): summed source rows . summed target rows
    source_parts: tuple[np.ndarray, ...]  # [da]: source sentence i - 1 - da . summed target rows
    target_parts: tuple[np.ndarray, ...]  # [db]: summed source rows . target sentence j - 1 - db
    valid: np.ndarray


def shape_dots(grid: Grid, signal: int, a: int, b: int, n: int, m: int) -> ShapeDots:
    band = grid.band
    rows = np.arange(n + 1)
    cols = band.offsets[:, None] + np.arange(band.width)[None, :]
    valid = (rows[:, None] >= a) & (cols >= b) & (cols <= m)
    dots = grid.sentence_dots[signal]
    source_parts = [np.zeros(cols.shape) for _ in range(a)]
    target_parts = [np.zeros(cols.shape) for _ in range(b)]
    for da in range(a):
        p = np.clip(rows - 1 - da, 0, max(0, n - 1))
        for db in range(b):
            k = cols - 1 - db - grid.sentence_offsets[p][:, None]
            inside = (k >= 0) & (k < dots.shape[1])
            valid &= inside | (rows[:, None] < a)
            value = np.take_along_axis(dots[p], np.clip(k, 0, dots.shape[1] - 1), axis=1) * inside
            source_parts[da] += value
            target_parts[db] += value
    box = sum(source_parts, np.zeros(cols.shape))
    return ShapeDots(box, tuple(source_parts), tuple(target_parts), valid)


def _cosine(dots: np.ndarray, source_norm: np.ndarray, target_norm: np.ndarray) -> np.ndarray:
    denominator = source_norm * target_norm
    return np.divide(dots, denominator, out=np.zeros_like(dots), where=denominator > 0)


def shape_similarity(
    grid: Grid, signal: int, a: int, b: int, n: int, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """(n + 1, width) cosines of bead shape (a, b) ending at each DP cell, and where the bead fits."""
    found = shape_dots(grid, signal, a, b, n, m)
    rows, cols = _cells(grid.band, n)
    ns = grid.source_norms[signal][a][_at(rows - a, n)][:, None]
    nt = grid.target_norms[signal][b][_at(cols - b, m)]
    return _cosine(found.box, ns, nt), found.valid


def _cells(band: Band, n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(n + 1), band.offsets[:, None] + np.arange(band.width)[None, :]


def _at(index: np.ndarray, n: int) -> np.ndarray:
    """Indices clipped into [0, n) (cells where a bead does not fit are masked elsewhere)."""
    return np.clip(index, 0, max(0, n - 1))


def run_means(values: np.ndarray, a: int) -> np.ndarray:
    """[p] = mean of values[p : p + a] (0 where the run leaves the array)."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    out = np.zeros(len(values))
    if len(values) >= a:
        out[: len(values) - a + 1] = (sums[a:] - sums[:-a]) / a
    return out


def run_sums(values: np.ndarray, a: int) -> np.ndarray:
    return run_means(values, a) * a


@dataclass
class _Mix:
    """A weighted mean of per-signal normalised margins, built up signal by signal."""

    total: np.ndarray
    weight: np.ndarray

    def add(self, margin: np.ndarray, scale: float, weight: float, present: np.ndarray | None) -> None:
        w = np.full(margin.shape, weight) if present is None else weight * present
        self.total += w * margin / scale
        self.weight += w

    def value(self) -> np.ndarray:
        return np.divide(self.total, self.weight, out=np.zeros_like(self.total), where=self.weight > 0)


def shape_q(
    problem: Problem, grid: Grid, norms: Norms, a: int, b: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combined normalised similarity q of shape (a, b) at each DP cell, its weakest member's q, and validity.

    A member is one sentence of a merged side, compared with the whole other side;
    a merge that swallows an unrelated sentence has a weak member.
    """
    n, m = problem.n, problem.m
    rows, cols = _cells(grid.band, n)
    src_at, tgt_at = _at(rows - a, n)[:, None], _at(cols - b, m)
    bead = _Mix(np.zeros(cols.shape), np.zeros(cols.shape))
    members = [
        _Mix(np.zeros(cols.shape), np.zeros(cols.shape))
        for _ in range((a if a > 1 else 0) + (b if b > 1 else 0))
    ]
    valid = np.ones(cols.shape, dtype=bool)
    for s, signal in enumerate(problem.signals):
        found = shape_dots(grid, s, a, b, n, m)
        valid &= found.valid
        ns, nt = grid.source_norms[s], grid.target_norms[s]
        source_base, target_base = norms.baselines[(a, b)][s]
        baseline = (source_base[src_at] + target_base[tgt_at]) / 2
        margin = _cosine(found.box, ns[a][src_at], nt[b][tgt_at]) - baseline
        present = (ns[a][src_at] > 0) & (nt[b][tgt_at] > 0) if signal.optional else None
        bead.add(margin, norms.scales[s], signal.weight, present)
        member_margins = _member_margins(found, grid, norms, s, a, b, rows, cols, n, m)
        for mix, (margin, present) in zip(members, member_margins):
            mix.add(margin, norms.scales[s], signal.weight, present if signal.optional else None)
    weakest = np.min([mix.value() for mix in members], axis=0) if members else np.full(cols.shape, np.inf)
    return bead.value(), weakest, valid & _joins_ok(problem, rows, cols, a, b)


def _member_margins(
    found: ShapeDots, grid: Grid, norms: Norms, s: int, a: int, b: int, rows, cols, n: int, m: int
):
    """(margin, present) of each member sentence of a merged side against the other side's sum."""
    ns, nt = grid.source_norms[s], grid.target_norms[s]
    if a > 1:
        run_norm = nt[b][_at(cols - b, m)]
        source_base, target_base = norms.baselines[(1, b)][s]
        for da, part in enumerate(found.source_parts):
            p = _at(rows - 1 - da, n)[:, None]
            baseline = (source_base[p] + target_base[_at(cols - b, m)]) / 2
            margin = _cosine(part, ns[1][p], run_norm) - baseline
            yield margin, (ns[1][p] > 0) & (run_norm > 0)
    if b > 1:
        run_norm = ns[a][_at(rows - a, n)][:, None]
        source_base, target_base = norms.baselines[(a, 1)][s]
        for db, part in enumerate(found.target_parts):
            q = _at(cols - 1 - db, m)
            baseline = (source_base[_at(rows - a, n)][:, None] + target_base[q]) / 2
            margin = _cosine(part, run_norm, nt[1][q]) - baseline
            yield margin, (run_norm > 0) & (nt[1][q] > 0)


def _joins_ok(problem: Problem, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
    ok = np.ones(cols.shape, dtype=bool)
    if a > 1:
        broken = run_sums((~problem.source_joinable).astype(float), a - 1)
        ok &= (broken[np.clip(rows - a, 0, max(0, problem.n - 1))] == 0)[:, None]
    if b > 1:
        broken = run_sums((~problem.target_joinable).astype(float), b - 1)
        ok &= broken[np.clip(cols - b, 0, max(0, problem.m - 1))] == 0
    return ok


def confidence(q: np.ndarray) -> np.ndarray:
    """Normalised similarity to a [0, 1] score: strong pairs saturate, so a merge must add evidence."""
    return 1.0 / (1.0 + np.exp(-ALIGN.slope * (q - ALIGN.midpoint)))


@dataclass(frozen=True)
class Best:
    """Each sentence's best single counterpart in the band: its confidence and its index (-1: none)."""

    source: np.ndarray
    source_partner: np.ndarray
    target: np.ndarray
    target_partner: np.ndarray


def best_one_to_one(q: np.ndarray, cost: np.ndarray, band: Band, n: int, m: int) -> Best:
    rows, cols = _cells(band, n)
    fits = np.isfinite(cost)
    src = np.broadcast_to(rows[:, None] - 1, cols.shape)[fits]
    tgt, values = (cols - 1)[fits], q[fits]
    return Best(*_grouped_max(src, tgt, values, n), *_grouped_max(tgt, src, values, m))


def _grouped_max(
    keys: np.ndarray, partners: np.ndarray, values: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    best, partner = np.zeros(size), np.full(size, -1)
    if len(keys):
        order = np.lexsort((values, keys))
        last = np.r_[keys[order][1:] != keys[order][:-1], True]
        chosen = order[last]
        best[keys[chosen]], partner[keys[chosen]] = values[chosen], partners[chosen]
    return best, partner
