"""Candidate beads in, those that state the same content out, each scored with the probability that it does.

The search proposes the best partner for every sentence it can; whether two
sentences say the same thing is a separate question, and this module answers
it. Each candidate bead is described by evidence that means the same in any
document pair:

- how far its embedding and machine-translation similarity stand above this
  pair's own null model (the similarities of randomly paired sentences of the
  same two documents, which almost never correspond; robust statistics, drawn
  towards a typical null in very short documents), in standard deviations;
- the weakest member's embedding similarity, for beads that merge sentences;
- content words shared through the translation (idf-weighted Dice) and the
  numbers and names both sides carry (anchors);
A logistic model over this evidence, fitted on development data by
scripts/fit_link_model.py (coefficients in ALIGN.link_model), gives a
likelihood ratio. The prior it meets is the pair's own: the share of its
candidates that are right, estimated by EM over them (near one for a
translation, near zero for unrelated reports), so the probability follows how
parallel the pair turns out to be. A 1-1 candidate alone between two links
also counts its place as evidence (ALIGN.position_log_odds, measured on the
development pairs by the same script). Beads below one half are undone, their sentences left unaligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.align.problem import NumericBead
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Features, Signal

FEATURES = tuple(name for name, _ in ALIGN.link_model if name != "bias")
_WEIGHTS = np.array([dict(ALIGN.link_model)[name] for name in ("bias", *FEATURES)])  # bias, then FEATURES
Pair = tuple[tuple[int, ...], tuple[int, ...]]  # a bead's source and target sentence indices


@dataclass(frozen=True)
class Null:
    """One signal's similarities between randomly paired sentences of this document pair."""

    mean: float
    spread: float

    def z(self, values: np.ndarray) -> np.ndarray:
        return (values - self.mean) / self.spread


@dataclass(frozen=True)
class Evidence:
    """What the decision reads off a pair: its signals by kind, their null models, and its word coverage."""

    feats: Features
    embedding: Signal | None
    lexical: Signal | None
    anchors: Signal | None
    nulls: dict[str, Null]

    @classmethod
    def of(cls, feats: Features) -> Evidence:
        by_kind = {signal.name.split(":")[0]: signal for signal in feats.signals}
        embedding, lexical = by_kind.get("embedding"), by_kind.get("lexical_mt")
        signals = (("embedding", embedding), ("lexical", lexical))
        nulls = {name: _null(name, signal) for name, signal in signals if signal is not None}
        return cls(feats, embedding, lexical, by_kind.get("anchors"), nulls)

    def z(self, kind: str, beads: Sequence[Pair]) -> np.ndarray:
        """Each bead's similarity in the signal of `kind` as standard deviations above the pair's null."""
        signal = self.embedding if kind == "embedding" else self.lexical
        if signal is None:
            return np.zeros(len(beads))
        return self.nulls[kind].z(bead_cosines(signal, beads))


def decide(feats: Features, beads: list[NumericBead]) -> list[NumericBead]:
    """Two-sided beads kept where both sides state the same content, scored by that probability."""
    n, m = len(feats.source_lengths), len(feats.target_lengths)
    evidence = Evidence.of(feats)
    candidates = [bead for bead in beads if bead.src and bead.tgt]
    odds = likelihood_ratios(evidence, candidates)
    prior = place_prior(candidates, odds, n, m)
    scored = _in_context(candidates, odds, prior, n, m)
    least = ALIGN.link_min_probability
    kept = [bead for bead in scored if bead.q >= least]
    kept += [core for bead in scored if bead.q < least if (core := _core(evidence, bead, prior))]
    return kept + _unlinked(evidence, kept, n, m, prior)


def place_prior(candidates: list[NumericBead], odds: np.ndarray, n: int, m: int) -> float:
    """The pair's prior (pair_prior) from its candidates' evidence and their places: how parallel a pair
    is shows in the order of its candidates as well as in their similarity. A faithful translation
    through rough MT has weak pairs, but they sit in order between its links; counted on their evidence
    alone, they pulled the prior down and it then dropped them (issue 24)."""
    prior = pair_prior(odds)
    return pair_prior(odds + _place_gain(candidates, odds, prior, n, m))


def _in_context(
    candidates: list[NumericBead], odds: np.ndarray, prior: float, n: int, m: int
) -> list[NumericBead]:
    """The candidates scored against the pair's prior and with the evidence of their place (_place_gain)."""
    gain = _place_gain(candidates, odds, prior, n, m)
    return _scored(candidates, _sigmoid(odds + _log_odds(prior) + gain))


def _place_gain(candidates: list[NumericBead], odds: np.ndarray, prior: float, n: int, m: int) -> np.ndarray:
    """The log odds a 1-1 candidate gains from filling the gap between two links in order, alone or with
    others (in_order_between): ALIGN.position_log_odds. Sentences that fill the gap between two links in
    the same order on both sides are almost always each other's counterparts, so there weaker evidence
    suffices (a free rendering between two sure pairs, a faithful translation whose rough MT says
    little). A merge gains nothing from its place: the place says where its counterpart is, not which
    sentences belong to it."""
    linked = _sigmoid(odds + _log_odds(prior)) >= ALIGN.link_min_probability
    placed = in_order_between(candidates, linked, n, m) > 0
    placed &= np.array([len(bead.src) == len(bead.tgt) == 1 for bead in candidates], dtype=bool)
    return np.where(placed, ALIGN.position_log_odds, 0.0)


def alone_between(candidates: list[NumericBead], linked: np.ndarray, n: int, m: int) -> np.ndarray:
    """Per candidate: whether it alone fills the gap between two links in order (in_order_between)."""
    return in_order_between(candidates, linked, n, m) == 1


def in_order_between(candidates: list[NumericBead], linked: np.ndarray, n: int, m: int) -> np.ndarray:
    """Per candidate: how many candidates fill its gap between two links in order, 0 when they do not.
    The gap lies between the nearest links before and after it in the source, which are before and after
    it in the target too; they fill it in order when every candidate holding a sentence of the gap on
    either side lies wholly inside it on both, one after another in the same order on both sides."""
    src_owner, tgt_owner = _owners(candidates, n, 0), _owners(candidates, m, 1)
    src_linked = np.array([k >= 0 and bool(linked[k]) for k in src_owner], dtype=bool)
    before = np.maximum.accumulate(np.where(src_linked, np.arange(n), -1))
    after = np.minimum.accumulate(np.where(src_linked, np.arange(n), n)[::-1])[::-1]
    run = np.zeros(len(candidates), dtype=int)
    gaps: dict[tuple[int, int], int] = {}
    for k, bead in enumerate(candidates):
        i = before[min(bead.src) - 1] if min(bead.src) > 0 else -1
        j = after[max(bead.src) + 1] if max(bead.src) + 1 < n else n
        if i < 0 or j >= n:
            continue
        if (i, j) not in gaps:
            gaps[i, j] = _filled_in_order(candidates, src_owner, tgt_owner, src_owner[i], src_owner[j])
        run[k] = gaps[i, j]
    return run


def _filled_in_order(
    candidates: list[NumericBead], src_owner: np.ndarray, tgt_owner: np.ndarray, first: int, last: int
) -> int:
    """How many candidates fill the gap between the links `first` and `last` in order (0: they do not)."""
    lo, hi = max(candidates[first].tgt), min(candidates[last].tgt)
    if lo >= hi:
        return 0
    inside = set(src_owner[max(candidates[first].src) + 1 : min(candidates[last].src)].tolist()) - {-1}
    if inside != set(tgt_owner[lo + 1 : hi].tolist()) - {-1}:
        return 0
    beads = sorted((candidates[k] for k in inside), key=lambda bead: min(bead.src))
    in_order = all(max(a.src) < min(b.src) and max(a.tgt) < min(b.tgt) for a, b in zip(beads, beads[1:]))
    return len(beads) if in_order else 0


def _owners(candidates: list[NumericBead], size: int, side: int) -> np.ndarray:
    """[i]: the candidate holding sentence i of that side (0 source, 1 target), or -1."""
    owner = np.full(size, -1)
    for k, bead in enumerate(candidates):
        owner[list(bead.src if side == 0 else bead.tgt)] = k
    return owner


def _core(evidence: Evidence, bead: NumericBead, prior: float) -> NumericBead | None:
    """A rejected merge without its least supported sentences, if what is left states the same content:
    a sentence the search glued to a true pair leaves it, instead of taking the pair down with it."""
    while len(bead.src) + len(bead.tgt) > 2:
        smaller = NumericBead(*_without_weakest(evidence, bead.src, bead.tgt), bead.q, bead.start)
        (bead,) = _scored([smaller], probabilities(evidence, [smaller], prior))
        if bead.q >= ALIGN.link_min_probability:
            return bead
    return None


def _without_weakest(evidence: Evidence, src: tuple[int, ...], tgt: tuple[int, ...]) -> Pair:
    """The bead less the member sentence (see _members) that is least like the other side."""
    k = int(np.argmin(evidence.z("embedding", _members(src, tgt))))
    if len(src) > 1 and k < len(src):
        return src[:k] + src[k + 1 :], tgt
    k -= len(src) if len(src) > 1 else 0
    return src, tgt[:k] + tgt[k + 1 :]


def likelihood_ratios(evidence: Evidence, beads: list[NumericBead]) -> np.ndarray:
    """Log likelihood ratio of "same content" for each bead: the model's logit less its training prior."""
    if not beads:
        return np.zeros(0)
    rows = feature_rows(evidence, [(b.src, b.tgt) for b in beads])
    return logit(rows) - _log_odds(ALIGN.link_training_prior)


def pair_prior(odds: np.ndarray) -> float:
    """The share of this pair's candidates that are right, found by EM: ~1 in a translation, ~0 in unrelated
    reports. The same evidence is worth more where most candidates turn out right, and less where few do.
    ALIGN.prior_pseudo_count candidates at the training share stand beside the pair's own (a Beta prior), so
    that a pair with few candidates cannot talk itself into all or nothing."""
    start, pseudo, floor = ALIGN.link_training_prior, ALIGN.prior_pseudo_count, ALIGN.prior_floor
    prior = start
    for _ in range(ALIGN.prior_iterations):
        right = _sigmoid(odds + _log_odds(prior)).sum() + pseudo * start
        prior = float(np.clip(right / (len(odds) + pseudo), floor, 1.0 - floor))
    return prior


def probabilities(evidence: Evidence, beads: list[NumericBead], prior: float) -> np.ndarray:
    """The probability that each bead states the same content, in a pair whose prior is `prior`."""
    return _sigmoid(likelihood_ratios(evidence, beads) + _log_odds(prior))


def _scored(beads: list[NumericBead], probability: np.ndarray) -> list[NumericBead]:
    return [NumericBead(b.src, b.tgt, float(p), b.start) for b, p in zip(beads, probability)]


def logit(rows: np.ndarray) -> np.ndarray:
    """The logistic model of ALIGN.link_model over feature rows (columns in FEATURES order)."""
    return _WEIGHTS[0] + rows @ _WEIGHTS[1:]


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def _log_odds(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def feature_rows(evidence: Evidence, beads: Sequence[Pair]) -> np.ndarray:
    """The candidates' evidence, a row each in FEATURES order."""
    embedding_z = evidence.z("embedding", beads)
    columns = {
        "embedding_z": embedding_z,
        "weakest_z": _weakest_z(evidence, beads, embedding_z),
        "lexical_z": evidence.z("lexical", beads),
        "has_lexical": np.full(len(beads), float(evidence.lexical is not None)),
        "content_dice": np.array([content_dice(evidence.feats, src, tgt) for src, tgt in beads]),
        "anchors": _anchor_cosines(evidence, beads),
        "merged": np.array([len(src) + len(tgt) - 2 for src, tgt in beads], dtype=np.float64),
    }
    return np.column_stack([columns[name] for name in FEATURES]).reshape(len(beads), len(FEATURES))


def _anchor_cosines(evidence: Evidence, beads: Sequence[Pair]) -> np.ndarray:
    return bead_cosines(evidence.anchors, beads) if evidence.anchors is not None else np.zeros(len(beads))


def _weakest_z(evidence: Evidence, beads: Sequence[Pair], embedding_z: np.ndarray) -> np.ndarray:
    """The embedding z of each bead's least supported sentence against the whole other side (a 1-1
    bead's own: `embedding_z`, not computed again)."""
    weakest = embedding_z.copy()
    merged = [k for k, (src, tgt) in enumerate(beads) if len(src) + len(tgt) > 2]
    members = [_members(*beads[k]) for k in merged]
    values = evidence.z("embedding", [member for group in members for member in group])
    ends = np.cumsum([len(group) for group in members])
    for k, group, end in zip(merged, members, ends):
        weakest[k] = values[end - len(group) : end].min()
    return weakest


def _members(src: tuple[int, ...], tgt: tuple[int, ...]) -> list[Pair]:
    """Each sentence of a merged side with the whole other side."""
    members: list[Pair] = [((i,), tgt) for i in src] if len(src) > 1 else []
    members += [(src, (j,)) for j in tgt] if len(tgt) > 1 else []
    return members


def _unlinked(evidence: Evidence, kept: list[NumericBead], n: int, m: int, prior: float) -> list[NumericBead]:
    """One-sided beads for the rest, scored with the probability that the sentence has no counterpart: one
    minus the link probability it has with its nearest free counterpart by embedding (a sentence of the
    other side that no link holds; the same meaning as the same-fact pass's, facts/links.py). A sentence
    already linked is no counterpart: scored against it, a sentence left out of a translation came out
    "has a counterpart" (0.04 on average), though three in four of them have none (issue 21, item 3)."""
    used_src = {i for b in kept for i in b.src}
    used_tgt = {j for b in kept for j in b.tgt}
    beads = [NumericBead((i,), (), 0.0) for i in range(n) if i not in used_src]
    beads += [NumericBead((), (j,), 0.0) for j in range(m) if j not in used_tgt]
    partners = _nearest(evidence, beads)
    linked = iter(probabilities(evidence, [bead for bead in partners if bead is not None], prior))
    return [
        NumericBead(b.src, b.tgt, 1.0 if partner is None else float(1.0 - next(linked)))
        for b, partner in zip(beads, partners)
    ]


def _nearest(evidence: Evidence, beads: list[NumericBead]) -> list[NumericBead | None]:
    """For each one-sided bead, the 1-1 candidate with its nearest free counterpart by embedding: among the
    other side's one-sided beads (None when there is none, or no embedding)."""
    signal = evidence.embedding
    alone_src = [b.src[0] for b in beads if b.src]
    alone_tgt = [b.tgt[0] for b in beads if b.tgt]
    if signal is None or not alone_src or not alone_tgt:
        return [None] * len(beads)
    cosines = _cosines(signal.source[alone_src], signal.target[alone_tgt])
    across, down = cosines.argmax(axis=1), cosines.argmax(axis=0)
    partners: list[NumericBead | None] = [
        NumericBead((i,), (alone_tgt[int(j)],), 0.0) for i, j in zip(alone_src, across)
    ]
    return partners + [NumericBead((alone_src[int(i)],), (j,), 0.0) for i, j in zip(down, alone_tgt)]


def content_dice(feats: Features, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
    """idf-weighted Dice of the content words of the translated source and of the target."""
    coverage = feats.coverage
    if coverage is None:
        return 0.0
    left = {w for i in src for w in coverage.source[i] if coverage.content[w]}
    right = {w for j in tgt for w in coverage.target[j] if coverage.content[w]}
    total = coverage.weights[list(left)].sum() + coverage.weights[list(right)].sum()
    shared = coverage.weights[list(left & right)].sum()
    return float(2 * shared / total) if total > 0 else 0.0


def bead_cosines(signal: Signal, beads: Sequence[Pair]) -> np.ndarray:
    """Cosine of the summed rows of each bead's sentences, built from the rows' dot products, gathered for
    all beads at once (sparse n-gram rows are never summed densely, nor indexed bead by bead)."""
    cross, source_self, target_self = (
        _row_pairs(beads, 0, 1),
        _row_pairs(beads, 0, 0),
        _row_pairs(beads, 1, 1),
    )
    size = len(beads)
    dots = _grouped_dots(signal.source, signal.target, cross, size)
    norms = np.sqrt(
        _grouped_dots(signal.source, signal.source, source_self, size)
        * _grouped_dots(signal.target, signal.target, target_self, size)
    )
    return np.divide(dots, norms, out=np.zeros(size), where=norms > 0)


def _row_pairs(beads: Sequence[Pair], left: int, right: int) -> tuple[list[int], list[int], list[int]]:
    """(rows of one side, rows of the other, bead) for each sentence pair whose dot product a bead needs."""
    first, second, owner = [], [], []
    for k, bead in enumerate(beads):
        for i in bead[left]:
            for j in bead[right]:
                first.append(i)
                second.append(j)
                owner.append(k)
    return first, second, owner


def _grouped_dots(x, y, pairs: tuple[list[int], list[int], list[int]], size: int) -> np.ndarray:
    """Per bead, the sum of the dot products x[i] . y[j] over its pairs."""
    first, second, owner = pairs
    if not owner:
        return np.zeros(size)
    return np.bincount(owner, weights=_rowwise_dots(x[first], y[second]), minlength=size)


def _null(kind: str, signal: Signal) -> Null:
    """The signal's null model: median and spread (1.4826 x median absolute deviation, robust to the few
    true pairs among them) of the cosines of null_sample random sentence pairs (all pairs in a short
    document), drawn towards null_prior by null_prior_pairs pseudo-pairs, so that a pair of three-sentence
    reports still has a sound null."""
    n, m = signal.source.shape[0], signal.target.shape[0]
    if n * m <= ALIGN.null_sample:
        values = _cosines(signal.source, signal.target).ravel()
    else:
        rng = np.random.default_rng(0)
        rows, cols = rng.integers(0, n, ALIGN.null_sample), rng.integers(0, m, ALIGN.null_sample)
        values = _rowwise_cosines(signal.source[rows], signal.target[cols])
    centre, spread = dict(ALIGN.null_prior)[kind]
    if len(values):
        weight = len(values) / (len(values) + ALIGN.null_prior_pairs)
        median = float(np.median(values))
        mad = 1.4826 * float(np.median(np.abs(values - median)))
        centre = weight * median + (1 - weight) * centre
        spread = float(np.sqrt(weight * mad**2 + (1 - weight) * spread**2))
    return Null(centre, max(spread, 1e-6))


def _cosines(x, y) -> np.ndarray:
    """(len(x), len(y)) cosines of the rows of x and y (dense ndarray or scipy CSR)."""
    product = _array(x @ y.T)
    norms = np.outer(_row_norms(x), _row_norms(y))
    return np.divide(product, norms, out=np.zeros_like(product), where=norms > 0)


def _rowwise_cosines(x, y) -> np.ndarray:
    norms = _row_norms(x) * _row_norms(y)
    return np.divide(_rowwise_dots(x, y), norms, out=np.zeros(x.shape[0]), where=norms > 0)


def _rowwise_dots(x, y) -> np.ndarray:
    """x[k] . y[k] for every row k (dense ndarray or scipy CSR)."""
    from scipy.sparse import issparse

    if issparse(x):
        return np.asarray(x.multiply(y).sum(axis=1), dtype=np.float64).ravel()
    return np.einsum("ij,ij->i", x, y).astype(np.float64)


def _row_norms(x) -> np.ndarray:
    from scipy.sparse import issparse

    squares = x.multiply(x).sum(axis=1) if issparse(x) else (x * x).sum(axis=1)
    return np.sqrt(np.asarray(squares, dtype=np.float64).ravel())


def _array(value) -> np.ndarray:
    from scipy.sparse import issparse

    return np.asarray(value.toarray() if issparse(value) else value, dtype=np.float64)
