"""Two Articles in (source with optional translations), Links out: every sentence of both sides in exactly one Link.

How: score.py turns the pair into per-sentence feature rows (embeddings, MT
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
memory grow linearly. Then crossing links are recovered: links whose
sentences have a far better counterpart elsewhere are undone, and the
sentences left unaligned on both sides form a smaller problem that is
aligned again (merges only of former neighbours), keeping its confident
beads against the reading order. Last, when the source has a translation,
a sentence still left over beside a bead joins it if its words turn up on
the bead's other side and not on its own: the piece of a sentence that the
other side keeps whole (or that an OCR line break cut), not an addition.

This module does no I/O and holds nothing language-specific.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pipeline.model import Article, Link
from pipeline.score import Coverage, Features, Signal, features

SHAPES = ((1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1))
COARSE_SHAPES = ((1, 0), (1, 1), (1, 2), (2, 1))
SKIP_T = len(SHAPES)  # back-pointer of a 0-1 step (an omission), handled inside a DP row

SLOPE = 3.0  # confidence = sigmoid(SLOPE * (q - MIDPOINT)); q = 1 is a typical true pair
MIDPOINT = 0.3
SKIP_COST_PARALLEL = 0.85  # cost of leaving one sentence unaligned; a 1-1 bead wins when its q > 1 - skip cost
SKIP_COST_COMPARABLE = 0.45
MERGE_COST = 0.10  # per sentence beyond the second in a bead: merges must earn their place
MEMBER_COST_PARALLEL = 0.3  # per sentence beyond the second, times (1 - confidence of the bead's weakest member)
MEMBER_COST_COMPARABLE = 0.8
ORPHAN_CONFIDENCE = 0.5  # a sentence whose best single counterpart is below this is an orphan
ORPHAN_RATE_COMPARABLE = 0.12  # orphan rate at which the comparable-report costs apply in full
LENGTH_WEIGHT = 1.0  # per sentence, times |log(length ratio / document ratio)|
CROSS_MIN_Q = 0.45  # a link recovered against the order needs at least this normalised similarity
CROSS_PASSES = 3
SPLIT_MIN_CONFIDENCE = 0.5  # an n-n bead splits into 1-1 pairs when each pair is at least this confident
DISPLACED_MARGIN = 0.3  # a link is undone when a member's best counterpart elsewhere is this much more confident
ATTACH_MIN_GAIN = 0.12  # idf-weighted share of a left-over sentence's words found only on a neighbouring bead's other side
ATTACH_MIN_WORDS_COMPARABLE = 2  # ... and content words among them, in two newsrooms' reports (0 in a translation)
ATTACH_GAP = 1  # unaligned sentences a piece may reach across to its bead (a caption dropped into a split sentence)
FULL_DP_CELLS = 250_000  # above this many DP cells, search a band around a half-resolution path
COARSE_FULL_DP_CELLS = 40_000  # the same, for the half-resolution problems themselves
BAND_RADIUS = 6  # sentences either side of the projected coarse path
BASELINE_SAMPLE = 48  # random counterparts per sentence for the margin baseline
SCALE_PERCENTILE = 60.0  # of the rows' best 1-1 margins: "a typical true pair"
LENGTH_SMOOTHING = 20.0  # characters added to both lengths so short lines are not over-penalised


def settings() -> tuple[tuple[str, float], ...]:
    """The thresholds and signal weights, for the provenance record."""
    from pipeline import score

    return (
        ("align_slope", SLOPE),
        ("align_midpoint", MIDPOINT),
        ("align_merge_cost", MERGE_COST),
        ("align_length_weight", LENGTH_WEIGHT),
        ("align_displaced_margin", DISPLACED_MARGIN),
        ("align_split_min_confidence", SPLIT_MIN_CONFIDENCE),
        ("align_skip_cost_parallel", SKIP_COST_PARALLEL),
        ("align_skip_cost_comparable", SKIP_COST_COMPARABLE),
        ("align_member_cost_parallel", MEMBER_COST_PARALLEL),
        ("align_member_cost_comparable", MEMBER_COST_COMPARABLE),
        ("align_orphan_confidence", ORPHAN_CONFIDENCE),
        ("align_orphan_rate_comparable", ORPHAN_RATE_COMPARABLE),
        ("align_cross_min_q", CROSS_MIN_Q),
        ("align_attach_min_gain", ATTACH_MIN_GAIN),
        ("align_attach_min_words_comparable", float(ATTACH_MIN_WORDS_COMPARABLE)),
        ("align_attach_gap", float(ATTACH_GAP)),
        ("align_band_radius", float(BAND_RADIUS)),
        ("align_full_dp_cells", float(FULL_DP_CELLS)),
        ("score_weight_embedding", score.WEIGHT_EMBEDDING),
        ("score_weight_lexical_mt", score.WEIGHT_LEXICAL_MT),
        ("score_weight_lexical_raw", score.WEIGHT_LEXICAL_RAW),
        ("score_weight_anchors", score.WEIGHT_ANCHORS),
    )


SETTINGS = settings()


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


# --------------------------------------------------------------------------- problem and normalisation


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

    baselines: dict  # (a, b) -> per signal (source runs' baseline, target runs' baseline), see shape_baselines
    scales: tuple[float, ...]  # per signal: typical best margin
    length_ratio: float
    skip_cost: float = 0.0  # per unaligned sentence; set from the orphan rate (see priors)
    member_cost: float = 0.0
    piece_words: int = 0  # content words a left-over piece must share with its bead's other side (see attach_pieces)


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
    return Problem(feats.signals, feats.source_lengths, feats.target_lengths, _joinable(n), _joinable(m))


def _joinable(n: int) -> np.ndarray:
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
        signals, problem.source_lengths[src], problem.target_lengths[tgt],
        _still_joinable(problem.source_joinable, src), _still_joinable(problem.target_joinable, tgt),
    )
    sub_norms = replace(
        norms, baselines={shape: tuple((bs[src], bt[tgt]) for bs, bt in per_signal) for shape, per_signal in norms.baselines.items()},
    )
    return sub, sub_norms


def _still_joinable(joinable: np.ndarray, kept: np.ndarray) -> np.ndarray:
    if len(kept) == 0:
        return np.zeros(0, dtype=bool)
    result = joinable[kept].copy()
    result[:-1] &= np.diff(kept) == 1
    result[-1] = False
    return result


# --------------------------------------------------------------------------- top level


def align_features(feats: Features) -> list[NumericBead]:
    """Monotone alignment, then crossing passes over what stayed unaligned; beads cover every index once."""
    problem = problem_of(feats)
    if problem.n == 0 or problem.m == 0:
        return _all_unaligned(problem.n, problem.m, np.zeros(problem.n), np.zeros(problem.m))
    band = make_band(problem)
    norms = compute_norms(problem, band, SHAPES)
    beads, best = solve(problem, band, norms, SHAPES)
    linked = [piece for b in beads if b.src and b.tgt and not _displaced(b, best) for piece in _split(problem, norms, b)]
    for _ in range(CROSS_PASSES):
        found = _crossing_pass(problem, norms, linked)
        if not found:
            break
        linked += found
    linked = _rescored(problem, norms, attach_pieces(feats.coverage, linked, problem.n, problem.m, norms.piece_words), linked)
    return linked + _unaligned_rest(problem, linked, best.source, best.target)


def _split(problem: Problem, norms: Norms, bead: NumericBead) -> list[NumericBead]:
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
    mutual = len(set(partner.tolist())) == len(partner) and all(sure[:, j].argmax() == i for i, j in enumerate(partner))
    if not mutual or sure[np.arange(len(partner)), partner].min() < SPLIT_MIN_CONFIDENCE:
        return [bead]
    return [NumericBead((bead.src[i],), (bead.tgt[j],), float(sure[i, j])) for i, j in enumerate(partner)]


def _displaced(bead: NumericBead, best: Best) -> bool:
    """A monotone link whose sentence has a far better counterpart outside it: likely a moved passage."""
    for i in bead.src:
        if best.source[i] > bead.q + DISPLACED_MARGIN and best.source_partner[i] not in bead.tgt:
            return True
    for j in bead.tgt:
        if best.target[j] > bead.q + DISPLACED_MARGIN and best.target_partner[j] not in bead.src:
            return True
    return False


def _crossing_pass(problem: Problem, norms: Norms, linked: list[NumericBead]) -> list[NumericBead]:
    """Align the leftovers of both sides with each other; keep only confident beads."""
    src = np.setdiff1d(np.arange(problem.n), [i for b in linked for i in b.src])
    tgt = np.setdiff1d(np.arange(problem.m), [j for b in linked for j in b.tgt])
    if len(src) == 0 or len(tgt) == 0:
        return []
    sub, sub_norms = subproblem(problem, norms, src, tgt)
    beads, _ = solve(sub, make_band(sub), sub_norms, SHAPES)
    return [
        NumericBead(tuple(int(src[i]) for i in b.src), tuple(int(tgt[j]) for j in b.tgt), b.q)
        for b in beads if b.src and b.tgt and b.q >= CROSS_MIN_Q
    ]


def attach_pieces(coverage: Coverage | None, linked: list[NumericBead], n: int, m: int, min_words: int = 0) -> list[NumericBead]:
    """Beads grown by the left-over sentences beside them that are pieces of them (needs the source's translation).

    A left-over sentence next to a bead (at most ATTACH_GAP unaligned sentences between) joins it when
    at least ATTACH_MIN_GAIN of its words, weighted by idf, are found on the bead's other side and not
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
            near = _neighbours(k, owner, size)
            evidence = [piece_evidence(coverage, side, k, beads[at]) for at in near]
            gains = [gain if words >= min_words else 0.0 for gain, words in evidence]
            if gains and max(gains) >= ATTACH_MIN_GAIN:
                at = near[int(np.argmax(gains))]  # the first of equals
                bead = beads[at]
                grown = (tuple(sorted(bead.src + (k,))), bead.tgt) if side == 0 else (bead.src, tuple(sorted(bead.tgt + (k,))))
                beads[at] = NumericBead(*grown, bead.q, bead.start)
                owner[k] = at
    return beads


def _neighbours(k: int, owner: dict[int, int], size: int) -> list[int]:
    """The beads holding the nearest sentence before and after k, if only unaligned ones (at most ATTACH_GAP) stand between."""
    found = []
    for step in (-1, 1):
        i = k + step
        while 0 <= i < size and i not in owner and abs(i - k) <= ATTACH_GAP:
            i += step
        if i in owner and owner[i] not in found:
            found.append(owner[i])
    return found


def piece_evidence(coverage: Coverage, side: int, k: int, bead: NumericBead) -> tuple[float, int]:
    """Sentence k's words found on the bead's other side and not on its own side: their share (idf-weighted) and how many are content words."""
    own_words, other_words = (coverage.source, coverage.target) if side == 0 else (coverage.target, coverage.source)
    own, other = _side(bead, side), _side(bead, 1 - side)
    unexplained = frozenset().union(*(other_words[j] for j in other)) - frozenset().union(*(own_words[i] for i in own))
    found = list(own_words[k] & unexplained)
    total = coverage.weights[list(own_words[k])].sum()
    return (float(coverage.weights[found].sum() / total) if total > 0 else 0.0), int(coverage.content[found].sum())


def _side(bead: NumericBead, side: int) -> tuple[int, ...]:
    return bead.src if side == 0 else bead.tgt


def _rescored(problem: Problem, norms: Norms, beads: list[NumericBead], before: list[NumericBead]) -> list[NumericBead]:
    """Grown beads get the similarity of what they now hold (kept as it was where no baseline exists for the shape)."""
    return [bead if bead == old else replace(bead, q=bead_q(problem, norms, bead.src, bead.tgt, bead.q)) for bead, old in zip(beads, before)]


def bead_q(problem: Problem, norms: Norms, src: tuple[int, ...], tgt: tuple[int, ...], fallback: float) -> float:
    """Confidence of one bead of any sentences (not necessarily neighbours), as the search scores its shape."""
    a, b = len(src), len(tgt)
    if (a, b) not in norms.baselines:
        return fallback
    sub, sub_norms = subproblem(problem, norms, np.asarray(src), np.asarray(tgt))
    sub = replace(sub, source_joinable=np.ones(a, dtype=bool), target_joinable=np.ones(b, dtype=bool))
    q, _, _ = shape_q(sub, make_grid(sub, Band(np.zeros(a + 1, dtype=np.int64), b + 1)), sub_norms, a, b)
    return float(confidence(q[a, b]))


def _unaligned_rest(problem: Problem, linked: list[NumericBead], best_src: np.ndarray, best_tgt: np.ndarray) -> list[NumericBead]:
    used_src = {i for b in linked for i in b.src}
    used_tgt = {j for b in linked for j in b.tgt}
    rest = [NumericBead((i,), (), float(best_src[i])) for i in range(problem.n) if i not in used_src]
    return rest + [NumericBead((), (j,), float(best_tgt[j])) for j in range(problem.m) if j not in used_tgt]


def _all_unaligned(n: int, m: int, best_src: np.ndarray, best_tgt: np.ndarray) -> list[NumericBead]:
    return [NumericBead((i,), (), float(best_src[i])) for i in range(n)] + [
        NumericBead((), (j,), float(best_tgt[j])) for j in range(m)
    ]


def _links(beads: list[NumericBead], source: Article, target: Article) -> list[Link]:
    """0-based indices to the Sentence ids of the articles; q clipped to a [0, 1] score."""
    sid = [s.id for s in source.sentences]
    tid = [s.id for s in target.sentences]
    return [
        Link(tuple(sid[i] for i in b.src), tuple(tid[j] for j in b.tgt), round(float(np.clip(b.q, 0.0, 1.0)), 4))
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
            at = sum(1 for link in ordered if not link.tgt)  # opens the source: first, after earlier such additions
        ordered.insert(at, addition)
    return tuple(ordered)


# --------------------------------------------------------------------------- band


def make_band(problem: Problem, full_cells: int = FULL_DP_CELLS) -> Band:
    """The whole matrix when small; else a band around the path found at half resolution."""
    n, m = problem.n, problem.m
    if (n + 1) * (m + 1) <= full_cells or n < 4 or m < 4:
        return Band(np.zeros(n + 1, dtype=np.int64), m + 1)
    coarse = halved(problem)
    coarse_band = make_band(coarse, COARSE_FULL_DP_CELLS)
    beads, _ = solve(coarse, coarse_band, compute_norms(coarse, coarse_band, COARSE_SHAPES), COARSE_SHAPES)
    return project(beads, n, m)


def halved(problem: Problem) -> Problem:
    """Neighbouring sentences summed pairwise: half the rows, same signals."""
    signals = tuple(
        Signal(s.name, s.weight, _pairs_summed(s.source), _pairs_summed(s.target), s.optional) for s in problem.signals
    )
    src_len, tgt_len = _pairs_summed(problem.source_lengths), _pairs_summed(problem.target_lengths)
    return Problem(signals, src_len, tgt_len, _joinable(len(src_len)), _joinable(len(tgt_len)))


def _pairs_summed(rows):
    even, odd = rows[0::2], rows[1::2]
    return even + odd if odd.shape[0] == even.shape[0] else _padded_sum(even, odd)


def _padded_sum(even, odd):
    from scipy.sparse import issparse, vstack

    if issparse(even):
        return vstack([even[:-1] + odd, even[-1:]]).tocsr()
    return np.concatenate([even[:-1] + odd, even[-1:]])


def project(coarse_beads: list[NumericBead], n: int, m: int) -> Band:
    """Fine DP rows 2i-1..2i+1 see the columns the coarse path visits at coarse row i, widened by BAND_RADIUS."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.full(n + 1, -1, dtype=np.int64)
    for bead in coarse_beads:
        i0, j0 = bead.start
        i1, j1 = i0 + len(bead.src), j0 + len(bead.tgt)
        rows = slice(max(0, 2 * i0 - 2), min(n, 2 * i1 + 2) + 1)
        lo[rows] = np.minimum(lo[rows], 2 * j0 - BAND_RADIUS)
        hi[rows] = np.maximum(hi[rows], 2 * j1 + BAND_RADIUS)
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # every row reaches what later rows start from
    hi = np.maximum.accumulate(hi)
    return Band(lo, int((hi - lo).max()) + 1)


# --------------------------------------------------------------------------- similarities in the band


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
        squared[n - a + 1:] = 0.0
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
    return _padded(_baseline(src_runs, tgt_runs, seed), xs.shape[0]), _padded(_baseline(tgt_runs, src_runs, seed + 1), xt.shape[0])


def run_rows(x, a: int):
    """Row p: x[p] + ... + x[p + a - 1], for every run that fits."""
    from scipy.sparse import issparse

    n = x.shape[0]
    if a > n:
        return x[:0]
    if issparse(x):
        total = x[0: n - a + 1]
        for t in range(1, a):
            total = total + x[t: n - a + 1 + t]
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
    sample = other[np.sort(rng.choice(other.shape[0], size=min(BASELINE_SAMPLE, other.shape[0]), replace=False))]
    dots = x @ sample.T
    dots = dots.toarray() if issparse(dots) else np.asarray(dots)
    denominator = np.outer(run_norms(x, 1)[1], run_norms(sample, 1)[1])
    cosines = np.divide(dots, denominator, out=np.zeros_like(dots, dtype=np.float64), where=denominator > 0)
    if cosines.shape[1] < 2:
        return np.full(x.shape[0], np.nan)  # nothing to compare with but the counterpart itself: see compute_norms
    # without each row's best: in a short document the sample holds the true counterpart
    return (cosines.sum(axis=1) - cosines.max(axis=1)) / (cosines.shape[1] - 1)


# --------------------------------------------------------------------------- bead costs


@dataclass(frozen=True)
class Grid:
    """Per-signal pieces every shape's similarity is built from."""

    band: Band
    sentence_dots: tuple[np.ndarray, ...]
    sentence_offsets: np.ndarray
    source_norms: tuple[np.ndarray, ...]
    target_norms: tuple[np.ndarray, ...]


LONGEST = max(max(a, b) for a, b in SHAPES)


def make_grid(problem: Problem, band: Band) -> Grid:
    offsets = _sentence_offsets(band, problem.n)
    width = band.width + 2 * LONGEST
    return Grid(
        band,
        tuple(sentence_band(s.source, s.target, offsets, width) for s in problem.signals),
        offsets,
        tuple(run_norms(s.source, LONGEST) for s in problem.signals),
        tuple(run_norms(s.target, LONGEST) for s in problem.signals),
    )


def _sentence_offsets(band: Band, n: int) -> np.ndarray:
    """Sentence row p serves DP rows p + 1 .. p + LONGEST: start LONGEST before the first of them."""
    return band.offsets[1: n + 1] - LONGEST


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
    return ShapeDots(sum(source_parts), tuple(source_parts), tuple(target_parts), valid)


def _cosine(dots: np.ndarray, source_norm: np.ndarray, target_norm: np.ndarray) -> np.ndarray:
    denominator = source_norm * target_norm
    return np.divide(dots, denominator, out=np.zeros_like(dots), where=denominator > 0)


def shape_similarity(grid: Grid, signal: int, a: int, b: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
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


def shape_q(problem: Problem, grid: Grid, norms: Norms, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combined normalised similarity q of shape (a, b) at each DP cell, its weakest member's q, and validity.

    A member is one sentence of a merged side, compared with the whole other side;
    a merge that swallows an unrelated sentence has a weak member.
    """
    n, m = problem.n, problem.m
    rows, cols = _cells(grid.band, n)
    src_at, tgt_at = _at(rows - a, n)[:, None], _at(cols - b, m)
    bead = _Mix(np.zeros(cols.shape), np.zeros(cols.shape))
    members = [_Mix(np.zeros(cols.shape), np.zeros(cols.shape)) for _ in range((a if a > 1 else 0) + (b if b > 1 else 0))]
    valid = np.ones(cols.shape, dtype=bool)
    for s, signal in enumerate(problem.signals):
        found = shape_dots(grid, s, a, b, n, m)
        valid &= found.valid
        ns, nt = grid.source_norms[s], grid.target_norms[s]
        source_base, target_base = norms.baselines[(a, b)][s]
        margin = _cosine(found.box, ns[a][src_at], nt[b][tgt_at]) - (source_base[src_at] + target_base[tgt_at]) / 2
        present = (ns[a][src_at] > 0) & (nt[b][tgt_at] > 0) if signal.optional else None
        bead.add(margin, norms.scales[s], signal.weight, present)
        for mix, (margin, present) in zip(members, _member_margins(found, grid, norms, s, a, b, rows, cols, n, m)):
            mix.add(margin, norms.scales[s], signal.weight, present if signal.optional else None)
    weakest = np.min([mix.value() for mix in members], axis=0) if members else np.full(cols.shape, np.inf)
    return bead.value(), weakest, valid & _joins_ok(problem, rows, cols, a, b)


def _member_margins(found: ShapeDots, grid: Grid, norms: Norms, s: int, a: int, b: int, rows, cols, n: int, m: int):
    """(margin, present) of each member sentence of a merged side against the other side's sum."""
    ns, nt = grid.source_norms[s], grid.target_norms[s]
    if a > 1:
        run_norm = nt[b][_at(cols - b, m)]
        source_base, target_base = norms.baselines[(1, b)][s]
        for da, part in enumerate(found.source_parts):
            p = _at(rows - 1 - da, n)[:, None]
            margin = _cosine(part, ns[1][p], run_norm) - (source_base[p] + target_base[_at(cols - b, m)]) / 2
            yield margin, (ns[1][p] > 0) & (run_norm > 0)
    if b > 1:
        run_norm = ns[a][_at(rows - a, n)][:, None]
        source_base, target_base = norms.baselines[(a, 1)][s]
        for db, part in enumerate(found.target_parts):
            q = _at(cols - 1 - db, m)
            margin = _cosine(part, run_norm, nt[1][q]) - (source_base[_at(rows - a, n)][:, None] + target_base[q]) / 2
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


def length_penalty(problem: Problem, norms: Norms, grid: Grid, a: int, b: int) -> np.ndarray:
    n, m = problem.n, problem.m
    rows = np.arange(n + 1)
    cols = grid.band.offsets[:, None] + np.arange(grid.band.width)[None, :]
    ls = run_sums(problem.source_lengths, a)[np.clip(rows - a, 0, max(0, n - 1))][:, None]
    lt = run_sums(problem.target_lengths, b)[np.clip(cols - b, 0, max(0, m - 1))]
    return np.abs(np.log((lt + LENGTH_SMOOTHING) / (norms.length_ratio * ls + LENGTH_SMOOTHING)))


def confidence(q: np.ndarray) -> np.ndarray:
    """Normalised similarity to a bounded [0, 1] score: strong pairs saturate, so a merge must add evidence."""
    return 1.0 / (1.0 + np.exp(-SLOPE * (q - MIDPOINT)))


def compute_norms(problem: Problem, band: Band, shapes) -> Norms:
    """Per-shape random baselines, and each signal's typical best 1-1 margin in the band."""
    two_sided = {shape for shape in shapes if shape[0] and shape[1]}
    two_sided |= {(1, b) for a, b in two_sided} | {(a, 1) for a, b in two_sided}  # for merged sides' members
    base = {
        (a, b): tuple(shape_baselines(s.source, s.target, a, b) for s in problem.signals) for a, b in two_sided
    }
    base = {shape: tuple(_filled(pair, base[(1, 1)][s]) for s, pair in enumerate(per_signal)) for shape, per_signal in base.items()}
    ratio = float((problem.target_lengths.sum() + 1) / (problem.source_lengths.sum() + 1))
    provisional = Norms(base, (1.0,) * len(problem.signals), ratio)
    grid = make_grid(problem, band)
    scales = []
    for s, _ in enumerate(problem.signals):
        cosine, valid = shape_similarity(grid, s, 1, 1, problem.n, problem.m)
        source_base, target_base = base[(1, 1)][s]
        margin = cosine - (_at_rows(source_base, problem.n) + _at_cols(target_base, grid, problem.m)) / 2
        best = np.where(valid, margin, -np.inf).max(axis=1)[1:]
        best = best[np.isfinite(best) & (best > 0)]
        scales.append(float(np.percentile(best, SCALE_PERCENTILE)) if len(best) else 1.0)
    norms = Norms(base, tuple(max(s, 1e-3) for s in scales), ratio)
    q, _, valid = shape_q(problem, grid, norms, 1, 1)
    best = best_one_to_one(confidence(q), np.where(valid, 0.0, np.inf), grid.band, problem.n, problem.m)
    skip, member, piece_words = priors(orphan_rate(best))
    return replace(norms, length_ratio=_pair_length_ratio(problem, best, ratio), skip_cost=skip, member_cost=member, piece_words=piece_words)


def _filled(pair: tuple[np.ndarray, np.ndarray], fallback: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Baselines a tiny document could not sample (NaN) taken from the 1-1 ones, or 0 when even those are missing."""
    return tuple(np.nan_to_num(np.where(np.isnan(v), f, v), nan=0.0) for v, f in zip(pair, fallback))


def orphan_rate(best: Best) -> float:
    """Share of sentences whose best single counterpart is below ORPHAN_CONFIDENCE: ~0 for parallel texts."""
    values = np.r_[best.source, best.target]
    return float((values < ORPHAN_CONFIDENCE).mean()) if len(values) else 0.0


def _pair_length_ratio(problem: Problem, best: Best, fallback: float) -> float:
    """Target/source length ratio of confident best pairs (whole-document totals mislead when one report says more)."""
    sure = np.flatnonzero(best.source >= 0.9)
    if len(sure) < 5:
        return fallback
    ratios = (problem.target_lengths[best.source_partner[sure]] + 1) / (problem.source_lengths[sure] + 1)
    return float(np.exp(np.median(np.log(ratios))))


def priors(rate: float) -> tuple[float, float, int]:
    """Skip cost, member cost and piece words, from those for parallel texts to those for comparable reports as orphans grow.

    In a translation nearly every sentence has a counterpart, so leaving one out must be expensive;
    in two newsrooms' reports many have none, and merges must not swallow them.
    """
    t = float(np.clip(rate / ORPHAN_RATE_COMPARABLE, 0.0, 1.0))
    return (
        SKIP_COST_PARALLEL + t * (SKIP_COST_COMPARABLE - SKIP_COST_PARALLEL),
        MEMBER_COST_PARALLEL + t * (MEMBER_COST_COMPARABLE - MEMBER_COST_PARALLEL),
        round(t * ATTACH_MIN_WORDS_COMPARABLE),
    )


def _at_rows(values: np.ndarray, n: int) -> np.ndarray:
    return values[np.clip(np.arange(n + 1) - 1, 0, max(0, n - 1))][:, None]


def _at_cols(values: np.ndarray, grid: Grid, m: int) -> np.ndarray:
    cols = grid.band.offsets[:, None] + np.arange(grid.band.width)[None, :]
    return values[np.clip(cols - 1, 0, max(0, m - 1))]


def bead_costs(problem: Problem, band: Band, norms: Norms, shapes) -> tuple[list[np.ndarray], list[np.ndarray]]:
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
        cost = size * (1.0 - q) + MERGE_COST * (size - 2) + norms.member_cost * (size - 2) * (1.0 - confidence(weakest)) + LENGTH_WEIGHT * size / 2 * length_penalty(problem, norms, grid, a, b)
        costs.append(np.where(valid, cost, np.inf))
        qs.append(q)
    return costs, qs


# --------------------------------------------------------------------------- dynamic programme


def solve(problem: Problem, band: Band, norms: Norms, shapes) -> tuple[list[NumericBead], Best]:
    """The cheapest monotone path through the band, and each sentence's best 1-1 q (for one-sided scores)."""
    costs, qs = bead_costs(problem, band, norms, shapes)
    back = dynamic_programme(costs, shapes, band, problem.n, problem.m, norms.skip_cost)
    beads = traceback(back, qs, shapes, band, problem.n, problem.m)
    one = shapes.index((1, 1))
    return beads, best_one_to_one(qs[one], costs[one], band, problem.n, problem.m)


def dynamic_programme(costs: list[np.ndarray], shapes, band: Band, n: int, m: int, skip_cost: float) -> np.ndarray:
    """Back-pointers (shape index, or SKIP_T for a 0-1 step) of the cheapest path to every cell."""
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
        choice[reached < best - 1e-9] = SKIP_T  # tolerance: (x - k) + k need not equal x in floating point
        total[i], back[i] = reached, choice
    return back


def _relax(best: np.ndarray, choice: np.ndarray, previous: np.ndarray, cost: np.ndarray, shift: int, s: int) -> None:
    width = len(best)
    lo, hi = max(0, -shift), min(width, width - shift)
    if lo >= hi:
        return
    candidate = previous[lo + shift: hi + shift] + cost[lo:hi]
    better = candidate < best[lo:hi]
    best[lo:hi][better] = candidate[better]
    choice[lo:hi][better] = s


def traceback(back: np.ndarray, qs: list[np.ndarray], shapes, band: Band, n: int, m: int) -> list[NumericBead]:
    i, j = n, m
    beads = []
    while i > 0 or j > 0:
        k = j - int(band.offsets[i])
        s = int(back[i, k])
        if s == SKIP_T:
            beads.append(NumericBead((), (j - 1,), 0.0, (i, j - 1)))
            j -= 1
            continue
        a, b = shapes[s]
        beads.append(NumericBead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(qs[s][i, k]), (i - a, j - b)))
        i, j = i - a, j - b
    return beads[::-1]


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


def _grouped_max(keys: np.ndarray, partners: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    best, partner = np.zeros(size), np.full(size, -1)
    if len(keys):
        order = np.lexsort((values, keys))
        last = np.r_[keys[order][1:] != keys[order][:-1], True]
        chosen = order[last]
        best[keys[chosen]], partner[keys[chosen]] = values[chosen], partners[chosen]
    return best, partner
