"""Fits the link decision (pipeline/align/decide.py) on the development pairs of scripts/linkdata.py.

    python scripts/fit_link_model.py            # prints link_model, link_training_prior and position_log_odds
                                                # to paste into AlignSettings (pipeline/align/settings.py)
    python scripts/fit_link_model.py --position-only   # position_log_odds alone, for AlignSettings' model

Candidates are what the search proposes (every two-sided bead); a candidate is right when every one of
its sentences has a same-content partner inside it (scripts/linkdata.py's gold). The pairs are the
development pairs and the tuned rough-MT cases (linkdata.rough(), issue 24).
A logistic regression (scipy, weights of evidence kept non-negative) turns the
evidence into a probability; the table after it shows, per development pair, what the fitted
decision then links. Last, what its place tells of a 1-1 candidate alone between two links
(position_log_odds), on the development pairs without Text+Berg 5-7.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkdata  # noqa: E402

from pipeline.align import aligner, decide  # noqa: E402
from pipeline.align.problem import NumericBead  # noqa: E402
from pipeline.align.settings import ALIGN  # noqa: E402
from pipeline.align.signals import features  # noqa: E402

REGULARISATION = 1.0  # as scikit-learn's C: the L2 penalty is 1 / (2 C) per candidate
FREE = ("has_lexical", "merged")  # may lower a link's odds; every other feature is evidence for it


# Text+Berg 5-7 are held out of the position's evidence (see position_log_odds), so that what it gains
# there is measured on articles it was not estimated on.
POSITION_HELD_OUT = ("textberg 005", "textberg 006", "textberg 007")
JEFFREYS = 0.5  # pseudo-count per outcome when a share is turned into log odds (all may be right)


@dataclass(frozen=True)
class Candidates:
    """A development pair's candidate beads, their feature rows and right/wrong labels."""

    pair: linkdata.DevPair
    beads: list[NumericBead]
    rows: np.ndarray
    labels: np.ndarray
    size: tuple[int, int]  # sentences of the source and of the target


def candidates(pair: linkdata.DevPair) -> Candidates:
    """Feature rows and right/wrong labels of a pair's candidate beads."""
    feats = features(pair.source, pair.target, linkdata.embedder())
    evidence = decide.Evidence.of(feats)
    proposed = [b for b in aligner.propose(feats) if b.src and b.tgt]
    rows = decide.feature_rows(evidence, [(b.src, b.tgt) for b in proposed])
    labels = np.array([is_right(pair, b.src, b.tgt) for b in proposed], dtype=bool)
    return Candidates(pair, proposed, rows, labels, (len(pair.source.sentences), len(pair.target.sentences)))


def is_right(pair: linkdata.DevPair, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
    """Every sentence of the bead has a same-content partner inside it."""
    return all(any((i, j) in pair.right for j in tgt) for i in src) and all(
        any((i, j) in pair.right for i in src) for j in tgt
    )


def fit(data: list[Candidates]) -> tuple[tuple[tuple[str, float], ...], float]:
    """An L2-regularised logistic regression whose evidence weights cannot turn negative: more similarity,
    more shared words or anchors never make a link less likely (unconstrained, the weights of correlated
    evidence trade signs on Text+Berg and the model then punishes a shared number)."""
    from scipy.optimize import minimize

    x = np.vstack([found.rows for found in data])
    y = np.concatenate([found.labels for found in data]).astype(float)
    design = np.column_stack([np.ones(len(x)), x])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ w
        p = 1.0 / (1.0 + np.exp(-z))
        penalty = 0.5 / (REGULARISATION * len(y)) * (w[1:] @ w[1:])
        nll = np.mean(np.logaddexp(0.0, z) - y * z)
        grad = design.T @ (p - y) / len(y) + np.r_[0.0, w[1:] / (REGULARISATION * len(y))]
        return nll + penalty, grad

    bounds = [(None, None)] + [(None, None) if name in FREE else (0.0, None) for name in decide.FEATURES]
    result = minimize(loss, np.zeros(design.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    weights = [("bias", float(result.x[0]))] + list(zip(decide.FEATURES, map(float, result.x[1:])))
    return tuple((name, round(w, 3)) for name, w in weights), round(float(y.mean()), 3)


def position_log_odds(data: list[Candidates], weights: tuple[tuple[str, float], ...], prior: float) -> float:
    """What its place tells of a 1-1 candidate that fills the gap between two links in order, alone or
    with others (decide.in_order_between): the log odds that such candidates are right, less the mean log
    odds of their pairs' priors (decide.place_prior, with the place's gain in force), over the development
    pairs except POSITION_HELD_OUT, with the fitted model deciding the links around them."""
    w = np.array([value for _, value in weights])
    right, prior_log_odds = [], []
    for found in data:
        if found.pair.name.startswith(POSITION_HELD_OUT) or not found.beads:
            continue
        odds = w[0] + found.rows @ w[1:] - _log_odds(prior)
        pair = _log_odds(decide.place_prior(found.beads, odds, *found.size))
        linked = odds + pair >= _log_odds(ALIGN.link_min_probability)
        placed = decide.in_order_between(found.beads, linked, *found.size) > 0
        placed &= np.array([len(b.src) == len(b.tgt) == 1 for b in found.beads], dtype=bool)
        right += found.labels[placed].tolist()
        prior_log_odds += [pair] * int(placed.sum())
    share = (sum(right) + JEFFREYS) / (len(right) + 2 * JEFFREYS)
    print(f"# 1-1 candidates filling the gap between two links in order: {sum(right)} of {len(right)} right")
    return round(_log_odds(share) - float(np.mean(prior_log_odds)), 2)


def _log_odds(p: float) -> float:
    return float(np.log(p / (1 - p)))


def main(argv: list[str]) -> int:
    data = [candidates(pair) for pair in linkdata.development() + list(linkdata.rough())]
    if "--position-only" in argv:  # the model in AlignSettings kept, only what a place tells measured
        place = position_log_odds(data, ALIGN.link_model, ALIGN.link_training_prior)
        print(f"    position_log_odds: float = {place}")
        return 0
    weights, prior = fit(data)
    print(f"    position_log_odds: float = {position_log_odds(data, weights, prior)}")
    print(f"    link_training_prior: float = {prior}")
    print("    link_model: tuple[tuple[str, float], ...] = (")
    for name, w in weights:
        print(f"        ({name!r}, {w}),")
    print("    )")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
