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
- the search's own confidence, which measures the bead against this pair's
  typical true pair (strong in a translation, where every sentence has one);
A logistic model over this evidence, fitted on development data by
scripts/fit_link_model.py (coefficients in settings.LINK_MODEL), gives a
likelihood ratio. The prior it meets is the pair's own: the share of its
candidates that are right, estimated by EM over them (near one for a
translation, near zero for unrelated reports), so the probability follows how
parallel the pair turns out to be. Beads below one half are undone, their sentences left unaligned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.align.problem import NumericBead
from pipeline.align.settings import (
    LINK_MIN_PROBABILITY,
    LINK_MODEL,
    LINK_TRAINING_PRIOR,
    NULL_PRIOR,
    NULL_PRIOR_PAIRS,
    NULL_SAMPLE,
    PRIOR_FLOOR,
    PRIOR_ITERATIONS,
)
from pipeline.align.signals import Features, Signal

FEATURES = tuple(name for name, _ in LINK_MODEL if name != "bias")


@dataclass(frozen=True)
class Null:
    """One signal's similarities between randomly paired sentences of this document pair."""

    mean: float
    spread: float

    def z(self, value: float) -> float:
        return (value - self.mean) / self.spread


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

    def z(self, kind: str, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
        signal = self.embedding if kind == "embedding" else self.lexical
        return self.nulls[kind].z(bead_cosine(signal, src, tgt)) if signal is not None else 0.0


def decide(feats: Features, beads: list[NumericBead]) -> list[NumericBead]:
    """Two-sided beads kept where both sides state the same content, scored by that probability."""
    n, m = len(feats.source_lengths), len(feats.target_lengths)
    evidence = Evidence.of(feats)
    candidates = [bead for bead in beads if bead.src and bead.tgt]
    odds = likelihood_ratios(evidence, candidates)
    prior = pair_prior(odds)
    kept = [bead for bead in _scored(candidates, odds, prior) if bead.q >= LINK_MIN_PROBABILITY]
    return kept + _unlinked(evidence, kept, n, m, prior)


def likelihood_ratios(evidence: Evidence, beads: list[NumericBead]) -> np.ndarray:
    """Log likelihood ratio of "same content" for each bead: the model's logit less its training prior."""
    if not beads:
        return np.zeros(0)
    rows = np.array([bead_features(evidence, bead.src, bead.tgt, bead.q) for bead in beads])
    return logit(rows) - _log_odds(LINK_TRAINING_PRIOR)


def pair_prior(odds: np.ndarray) -> float:
    """The share of this pair's candidates that are right, found by EM: ~1 in a translation, ~0 in unrelated
    reports. The same evidence is worth more where most candidates turn out right, and less where few do."""
    prior = LINK_TRAINING_PRIOR
    for _ in range(PRIOR_ITERATIONS):
        prior = (
            float(np.clip(_sigmoid(odds + _log_odds(prior)).mean(), PRIOR_FLOOR, 1.0 - PRIOR_FLOOR))
            if len(odds)
            else PRIOR_FLOOR
        )
    return prior


def _scored(beads: list[NumericBead], odds: np.ndarray, prior: float) -> list[NumericBead]:
    probabilities = _sigmoid(odds + _log_odds(prior))
    return [NumericBead(b.src, b.tgt, float(p), b.start) for b, p in zip(beads, probabilities)]


def logit(rows: np.ndarray) -> np.ndarray:
    """The logistic model of settings.LINK_MODEL over feature rows (columns in FEATURES order)."""
    weights = dict(LINK_MODEL)
    return weights["bias"] + rows @ np.array([weights[name] for name in FEATURES])


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def _log_odds(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def bead_features(
    evidence: Evidence, src: tuple[int, ...], tgt: tuple[int, ...], proposed: float = 0.0
) -> list[float]:
    """One candidate's evidence, in FEATURES order; `proposed` is the search's own confidence in it."""
    values = {
        "proposed": proposed,
        "embedding_z": evidence.z("embedding", src, tgt),
        "weakest_z": _weakest_z(evidence, src, tgt),
        "lexical_z": evidence.z("lexical", src, tgt),
        "has_lexical": float(evidence.lexical is not None),
        "content_dice": content_dice(evidence.feats, src, tgt),
        "anchors": bead_cosine(evidence.anchors, src, tgt) if evidence.anchors is not None else 0.0,
        "merged": float(len(src) + len(tgt) - 2),
    }
    return [values[name] for name in FEATURES]


def _weakest_z(evidence: Evidence, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
    """The embedding z of the bead's least supported sentence against the whole other side."""
    if len(src) + len(tgt) == 2:
        return evidence.z("embedding", src, tgt)
    members: list[tuple[tuple[int, ...], tuple[int, ...]]] = (
        [((i,), tgt) for i in src] if len(src) > 1 else []
    )
    members += [(src, (j,)) for j in tgt] if len(tgt) > 1 else []
    return min(evidence.z("embedding", a, b) for a, b in members)


def _unlinked(evidence: Evidence, kept: list[NumericBead], n: int, m: int, prior: float) -> list[NumericBead]:
    """One-sided beads for the rest, scored with the probability that the sentence has no counterpart."""
    used_src = {i for b in kept for i in b.src}
    used_tgt = {j for b in kept for j in b.tgt}
    beads = [NumericBead((i,), (), 0.0) for i in range(n) if i not in used_src]
    beads += [NumericBead((), (j,), 0.0) for j in range(m) if j not in used_tgt]
    return [NumericBead(b.src, b.tgt, 1.0 - _best_partner(evidence, b, prior)) for b in beads]


def _best_partner(evidence: Evidence, bead: NumericBead, prior: float) -> float:
    """The link probability the sentence has with its nearest counterpart by embedding."""
    signal = evidence.embedding
    if signal is None or not signal.source.shape[0] or not signal.target.shape[0]:
        return 0.0
    if bead.src:
        partner = NumericBead(
            bead.src, (int(_cosines(signal.source[list(bead.src)], signal.target).argmax()),), 0.0
        )
    else:
        partner = NumericBead(
            (int(_cosines(signal.source, signal.target[list(bead.tgt)]).argmax()),), bead.tgt, 0.0
        )
    return float(_sigmoid(likelihood_ratios(evidence, [partner]) + _log_odds(prior))[0])


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


def bead_cosine(signal: Signal, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
    """Cosine of the summed rows of the bead's sentences, from the rows' dot products (no dense sum of
    sparse n-gram rows is ever made)."""
    left, right = signal.source[list(src)], signal.target[list(tgt)]
    norm = np.sqrt(_total(left @ left.T) * _total(right @ right.T))
    return float(_total(left @ right.T) / norm) if norm > 0 else 0.0


def _null(kind: str, signal: Signal) -> Null:
    """The signal's null model: median and spread (1.4826 x median absolute deviation, robust to the few
    true pairs among them) of the cosines of NULL_SAMPLE random sentence pairs (all pairs in a short
    document), drawn towards NULL_PRIOR by NULL_PRIOR_PAIRS pseudo-pairs, so that a pair of three-sentence
    reports still has a sound null."""
    n, m = signal.source.shape[0], signal.target.shape[0]
    if n * m <= NULL_SAMPLE:
        values = _cosines(signal.source, signal.target).ravel()
    else:
        rng = np.random.default_rng(0)
        rows, cols = rng.integers(0, n, NULL_SAMPLE), rng.integers(0, m, NULL_SAMPLE)
        values = _rowwise_cosines(signal.source[rows], signal.target[cols])
    centre, spread = dict(NULL_PRIOR)[kind]
    if len(values):
        weight = len(values) / (len(values) + NULL_PRIOR_PAIRS)
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
    from scipy.sparse import issparse

    dots = np.asarray(x.multiply(y).sum(axis=1)).ravel() if issparse(x) else np.einsum("ij,ij->i", x, y)
    norms = _row_norms(x) * _row_norms(y)
    return np.divide(dots, norms, out=np.zeros(len(dots)), where=norms > 0)


def _row_norms(x) -> np.ndarray:
    from scipy.sparse import issparse

    squares = x.multiply(x).sum(axis=1) if issparse(x) else (x * x).sum(axis=1)
    return np.sqrt(np.asarray(squares, dtype=np.float64).ravel())


def _total(product) -> float:
    """The sum of all entries of a dense or sparse matrix."""
    return float(product.sum())


def _array(value) -> np.ndarray:
    from scipy.sparse import issparse

    return np.asarray(value.toarray() if issparse(value) else value, dtype=np.float64)
