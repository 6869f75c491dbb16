"""Fits the link decision (pipeline/align/decide.py) on the development pairs of scripts/linkdata.py.

    python scripts/fit_link_model.py            # prints LINK_MODEL to paste into pipeline/align/settings.py

Candidates are what the search proposes (every two-sided bead); a candidate is right when every one of
its sentences has a same-content partner inside it (scripts/linkdata.py's gold).
A logistic regression (scipy, weights of evidence kept non-negative) turns the
evidence into a probability; the table after it shows, per development pair, what the fitted
decision then links.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkdata  # noqa: E402

from pipeline.align import aligner, decide  # noqa: E402
from pipeline.align.signals import features  # noqa: E402

REGULARISATION = 1.0  # as scikit-learn's C: the L2 penalty is 1 / (2 C) per candidate
FREE = ("has_lexical", "merged")  # may lower a link's odds; every other feature is evidence for it


def candidates(pair: linkdata.DevPair) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and right/wrong labels of a pair's candidate beads."""
    feats = features(pair.source, pair.target, linkdata.embedder())
    evidence = decide.Evidence.of(feats)
    proposed = [b for b in aligner.propose(feats) if b.src and b.tgt]
    rows = decide.feature_rows(evidence, [(b.src, b.tgt) for b in proposed])
    labels = [is_right(pair, b.src, b.tgt) for b in proposed]
    return rows, np.array(labels, dtype=bool)


def is_right(pair: linkdata.DevPair, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
    """Every sentence of the bead has a same-content partner inside it."""
    return all(any((i, j) in pair.right for j in tgt) for i in src) and all(
        any((i, j) in pair.right for i in src) for j in tgt
    )


def fit(pairs: list[linkdata.DevPair]) -> tuple[tuple[tuple[str, float], ...], float]:
    """An L2-regularised logistic regression whose evidence weights cannot turn negative: more similarity,
    more shared words or anchors never make a link less likely (unconstrained, the weights of correlated
    evidence trade signs on Text+Berg and the model then punishes a shared number)."""
    from scipy.optimize import minimize

    data = [candidates(pair) for pair in pairs]
    x = np.vstack([rows for rows, _ in data])
    y = np.concatenate([labels for _, labels in data]).astype(float)
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


def main() -> int:
    pairs = linkdata.development()
    weights, prior = fit(pairs)
    print(f"LINK_TRAINING_PRIOR = {prior}")
    print("LINK_MODEL = (")
    for name, w in weights:
        print(f"    ({name!r}, {w}),")
    print(")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
