"""Fits the same-fact decision (pipeline/facts/decision.py; its settings: pipeline/facts/settings.py) on
the ECB+ and STS headline train splits.

    python scripts/fit_same_fact.py     # prints null_prior, training_prior and model to paste into
                                        # FactSettings (pipeline/facts/settings.py), then dev figures

Training pairs: ECB+ train (label 1: the two sentences share an annotated event; a story is a topic),
their contrasts (scripts/samefactdata.py: a shared number or name changed, label 0) and STS headlines
train (label 1: scored 4 or more). An L2-regularised logistic regression over decision.FEATURES, whose
agreement weights cannot turn negative and whose clash weights cannot turn positive: more shared evidence
never makes a same fact less likely. The dev splits, the seeds and the unseen check are not fitted on:
`make bench` (scripts/bench_facts.py) reports them.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import samefactdata  # noqa: E402

from pipeline.facts.decision import FEATURES, MODELS  # noqa: E402

REGULARISATION = 1.0  # as scikit-learn's C: the L2 penalty is 1 / (2 C) per pair
NON_POSITIVE = tuple(name for name in FEATURES if "_clash" in name or "_swap" in name)
FREE = ("actions_both",)  # describes the pair (both name an action), is not evidence either way


def training() -> samefactdata.Pairs:
    ecb = samefactdata.ecbplus("train")
    return ecb + samefactdata.contrasts(ecb) + samefactdata.sts("train")


def null_prior(pairs: samefactdata.Pairs) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The typical null: per model, the median over the ECB+ train topics of their nulls' centres, spreads."""
    judge = samefactdata.judge()
    out = []
    for kind in MODELS:
        centres, spreads = [], []
        for story in dict.fromkeys(s for s in pairs.stories if s.startswith("ecb+")):
            at = [k for k, s in enumerate(pairs.stories) if s == story]
            first = list(dict.fromkeys(pairs.first[k] for k in at))
            second = list(dict.fromkeys(pairs.second[k] for k in at))
            values = judge.matrix(kind, first, second).ravel()
            median = float(np.median(values))
            centres.append(median)
            spreads.append(1.4826 * float(np.median(np.abs(values - median))))
        out.append((kind, (round(float(np.median(centres)), 3), round(float(np.median(spreads)), 3))))
    return tuple(out)


def fit(rows: np.ndarray, labels: np.ndarray) -> tuple[tuple[str, float], ...]:
    from scipy.optimize import minimize

    design = np.column_stack([np.ones(len(rows)), rows])
    y = labels.astype(float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ w
        p = 1.0 / (1.0 + np.exp(-z))
        nll = np.mean(np.logaddexp(0.0, z) - y * z)
        penalty = 0.5 / (REGULARISATION * len(y)) * (w[1:] @ w[1:])
        grad = design.T @ (p - y) / len(y) + np.r_[0.0, w[1:] / (REGULARISATION * len(y))]
        return nll + penalty, grad

    bounds = [(None, None)] + [
        (None, 0.0) if name in NON_POSITIVE else (None, None) if name in FREE else (0.0, None)
        for name in FEATURES
    ]
    result = minimize(loss, np.zeros(design.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    return tuple((name, round(float(w), 3)) for name, w in zip(("bias", *FEATURES), result.x))


def main() -> int:
    pairs = training()
    judge = samefactdata.judge()
    print(f"null_prior = {null_prior(pairs)}")
    rows = judge.evidence(pairs.first, pairs.second, pairs.stories)
    print(f"# {len(pairs.labels)} pairs, {int(pairs.labels.sum())} same fact")
    print(f"TRAINING_PRIOR = {round(float(pairs.labels.mean()), 3)}")
    model = fit(rows, pairs.labels)
    print("SAME_FACT_MODEL = (")
    for name, weight in model:
        print(f"    ({name!r}, {weight}),")
    print(")")
    fitted = replace(judge.settings, model=model, training_prior=float(pairs.labels.mean()))
    for section, name, value in dev_figures(replace(judge, settings=fitted)):
        print(f"# {section}: {name}: {value}")
    return 0


def dev_figures(judge) -> list[tuple[str, str]]:
    """What the fitted decision gives on the dev splits (not fitted on), as the bench reports them."""
    from bench_facts import ecbplus_rows, sts_rows

    return ecbplus_rows(judge) + sts_rows(judge)  # the judge itself, not `newsalign pairs`: the same decision


if __name__ == "__main__":
    sys.exit(main())
