"""Fits the link decision (pipeline/align/decide.py) on the development pairs of scripts/linkdata.py.

    python scripts/fit_link_model.py            # prints LINK_MODEL to paste into pipeline/align/settings.py

Candidates are what the search proposes (every two-sided bead); a candidate is right when every one of
its sentences has a same-content partner inside it (scripts/linkdata.py's gold).
An L2-regularised logistic regression (scikit-learn) turns the evidence into a
probability; the table after it shows, per development pair, what the fitted
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

REGULARISATION = 1.0  # scikit-learn's C


def candidates(pair: linkdata.DevPair) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and right/wrong labels of a pair's candidate beads."""
    feats = features(pair.source, pair.target, linkdata.embedder())
    evidence = decide.Evidence.of(feats)
    proposed = [b for b in aligner.propose(feats) if b.src and b.tgt]
    rows = decide.feature_rows(evidence, [(b.src, b.tgt) for b in proposed], [b.q for b in proposed])
    labels = [is_right(pair, b.src, b.tgt) for b in proposed]
    return rows, np.array(labels, dtype=bool)


def is_right(pair: linkdata.DevPair, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
    """Every sentence of the bead has a same-content partner inside it."""
    return all(any((i, j) in pair.right for j in tgt) for i in src) and all(
        any((i, j) in pair.right for i in src) for j in tgt
    )


def fit(pairs: list[linkdata.DevPair]) -> tuple[tuple[tuple[str, float], ...], float]:
    from sklearn.linear_model import LogisticRegression

    data = [candidates(pair) for pair in pairs]
    x = np.vstack([rows for rows, _ in data])
    y = np.concatenate([labels for _, labels in data])
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(x, y)
    weights = [("bias", float(model.intercept_[0]))] + [
        (name, float(w)) for name, w in zip(decide.FEATURES, model.coef_[0])
    ]
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
