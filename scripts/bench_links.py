"""What a link means: unrelated and comparable pairs, calibration of scores, relation, the decision's cost.
Links are align's: the link decision's, and the same-fact decision's between comparable reports.

Runs alone (`python scripts/bench_links.py`) or in `make bench`. The development
pairs (scripts/linkdata.py) are those the decision was fitted on; seeds 000/002 and
000/003 are the unseen check: nobody annotated them, only what newsalign finds
there is reported.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linkdata  # noqa: E402
from bench_facts import linked  # noqa: E402

from pipeline.align import aligner  # noqa: E402
from pipeline.align.decide import Evidence, decide, feature_rows, logit  # noqa: E402
from pipeline.align.relation import name_share, relation_of  # noqa: E402
from pipeline.align.signals import features  # noqa: E402

BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def run() -> list[tuple[str, str, str]]:
    if not linkdata.SEEDS.exists() or not linkdata.TEXTBERG.exists():
        return [("links", "skipped", f"{linkdata.SHARED} not found")]
    scored = [(pair, linked(pair)) for pair in linkdata.development()]  # as align links: same facts too
    rows = _per_regime(scored) + _reliability(scored) + _alone_reliability(scored) + _ceiling()
    rows += _rough() + _unseen() + _cost()
    return rows


def _rough() -> list[tuple[str, str, str]]:
    """Issue 24's tuned rough-MT cases (linkdata.rough(), also fitting data): links, relation, precision."""
    pairs = [replace(pair, regime="translation through rough MT, tuned") for pair in linkdata.rough()]
    return _per_regime(
        [(pair, aligner.align(pair.source, pair.target, linkdata.embedder())) for pair in pairs]
    )


def _link_pairs(link) -> set[tuple[int, int]]:
    return {(i - 1, j - 1) for i in link.src for j in link.tgt}


def _right(pair: linkdata.DevPair, link) -> bool:
    src, tgt = [i - 1 for i in link.src], [j - 1 for j in link.tgt]
    return all(any((i, j) in pair.right for j in tgt) for i in src) and all(
        any((i, j) in pair.right for i in src) for j in tgt
    )


def _per_regime(scored) -> list[tuple[str, str, str]]:
    rows = []
    groups = defaultdict(list)
    for pair, links in scored:
        groups[pair.regime].append((pair, links))
    for regime, items in groups.items():
        links = [(pair, link) for pair, found in items for link in found if link.src and link.tgt]
        sentences = sum(len(p.source.sentences) + len(p.target.sentences) for p, _ in items)
        kinds = defaultdict(int)
        for pair, found in items:
            kinds[relation_of(found, pair.source, pair.target).kind] += 1
        section = f"links {regime} ({len(items)} pairs)"
        rows.append((section, "links per sentence", f"{len(links) / max(sentences, 1):.3f}"))
        rows.append((section, "relation found", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))))
        if regime != "unrelated":
            right = sum(_right(pair, link) for pair, link in links)
            required = sum(len(pair.required) for pair, _ in items)
            covered = sum(
                len(
                    pair.required
                    & set().union(
                        *map(_link_pairs, [link for link in found if link.src and link.tgt]) or [set()]
                    )
                )
                for pair, found in items
            )
            rows.append(
                (
                    section,
                    "link precision / same-content recall",
                    f"{right / max(len(links), 1):.3f} / {covered / max(required, 1):.3f} "
                    f"({right} of {len(links)} links right, {covered} of {required} gold pairs)",
                )
            )
    for pair, found in scored:
        relation = relation_of(found, pair.source, pair.target)
        rows.append(
            (
                "links per pair",
                pair.name,
                f"{relation.kind} (linked {relation.linked:.2f}, "
                f"score {relation.score:.2f}), {sum(1 for link in found if link.src and link.tgt)} links, "
                f"names shared {name_share(pair.source, pair.target):.2f}",
            )
        )
    return rows


def _reliability(scored) -> list[tuple[str, str, str]]:
    values = [
        (link.score, _right(pair, link)) for pair, found in scored for link in found if link.src and link.tgt
    ]
    rows = []
    for low, high in zip(BINS, BINS[1:]):
        inside = [(s, r) for s, r in values if low <= s < high]
        if inside:
            mean = np.mean([s for s, _ in inside])
            share = np.mean([r for _, r in inside])
            mark = "" if len(inside) < 20 else (" ok" if abs(share - mean) <= 0.1 else " OFF by > 0.1")
            rows.append(
                (
                    "links calibration",
                    f"scores {low:.1f}-{min(high, 1.0):.1f}",
                    f"{len(inside)} links, mean score {mean:.3f}, right {share:.3f}{mark}",
                )
            )
    return rows


def _alone_reliability(scored) -> list[tuple[str, str, str]]:
    """An addition's or omission's score is the probability that its sentence has no counterpart: how
    often the gold gives it none, by score (pairs of the same story; unrelated ones are all alone)."""
    values = []
    for pair, found in scored:
        if pair.regime == "unrelated":
            continue
        has = ({i for i, _ in pair.right}, {j for _, j in pair.right})
        for link in found:
            if bool(link.src) != bool(link.tgt):
                side, ids = (0, link.src) if link.src else (1, link.tgt)
                values.append((link.score, ids[0] - 1 not in has[side]))
    rows = []
    for low, high in zip((0.0, 0.5, 0.9), (0.5, 0.9, 1.0001)):
        inside = [(s, alone) for s, alone in values if low <= s < high]
        if inside:
            mean, share = np.mean([s for s, _ in inside]), np.mean([a for _, a in inside])
            rows.append(
                (
                    "links calibration, sentences alone",
                    f"scores {low:.1f}-{min(high, 1.0):.1f}",
                    f"{len(inside)} sentences, mean score {mean:.3f}, without counterpart {share:.3f}",
                )
            )
    brier = np.mean([(s - alone) ** 2 for s, alone in values]) if values else float("nan")
    rows.append(("links calibration, sentences alone", "Brier score (0 is perfect)", f"{brier:.3f}"))
    return rows


def _ceiling() -> list[tuple[str, str, str]]:
    """How far today's evidence could go on the comparable pairs, whatever the search proposed: every
    sentence pair of both reports scored by the decision's evidence alone (its likelihood ratio, and the
    embedding's z-score alone), and the precision at the best threshold that still finds 80% of the
    same-fact gold. Low precision here means the evidence, not the search or the prior, is what is missing."""
    pairs = [pair for pair in linkdata.development() if pair.regime == "comparable"]
    candidates, right, required = [], [], []
    scores: dict[str, list[np.ndarray]] = {"decision's evidence": [], "embedding z alone": []}
    for pair in pairs:
        evidence = Evidence.of(features(pair.source, pair.target, linkdata.embedder()))
        n, m = len(pair.source.sentences), len(pair.target.sentences)
        every = [((i,), (j,)) for i in range(n) for j in range(m)]
        scores["decision's evidence"].append(logit(feature_rows(evidence, every)))
        scores["embedding z alone"].append(evidence.z("embedding", every))
        candidates += every
        right += [(i, j) in pair.right for (i,), (j,) in every]
        required += [(i, j) in pair.required for (i,), (j,) in every]
    rows = []
    for name, values in scores.items():
        order = np.argsort(-np.concatenate(values), kind="stable")
        found = np.cumsum(np.array(required)[order])
        at = int(np.searchsorted(found, 0.8 * found[-1]))  # the first rank with 80% of the gold found
        precision = float(np.mean(np.array(right)[order][: at + 1]))
        rows.append(
            (
                "links comparable: ceiling",
                f"all {len(candidates)} sentence pairs ranked by {name}",
                f"precision {precision:.3f} at recall 0.8 (the gold's 80% lies within the top {at + 1})",
            )
        )
    return rows


def _unseen() -> list[tuple[str, str, str]]:
    rows = []
    for pair in linkdata.unseen():
        found = linked(pair)
        relation = relation_of(found, pair.source, pair.target)
        links = [link for link in found if link.src and link.tgt]
        rows.append(
            (
                "links unseen",
                pair.name,
                f"{relation.kind} (linked {relation.linked:.2f}), {len(links)} links: "
                + "; ".join(f"{link.src}-{link.tgt} {link.score:.2f}" for link in links),
            )
        )
    return rows


def _cost() -> list[tuple[str, str, str]]:
    """The decision's time against the search's, pair by pair, best of three each (the machine is shared)."""
    pairs = [linkdata.textberg(i) for i in (1, 2, 3)] + linkdata.development()[10:13]
    search = decision = 0.0
    for pair in pairs:
        feats = features(pair.source, pair.target, linkdata.embedder())
        beads = aligner.propose(feats)
        search += _best_of_three(aligner.propose, feats)
        decision += _best_of_three(decide, feats, beads)
    return [
        (
            "links cost",
            "align stage with the decision / without",
            f"{(search + decision) / search:.2f} (search {search:.2f} s, decision {decision:.2f} s)",
        )
    ]


def _best_of_three(action, *args) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        action(*args)
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    from bench import table

    print(table([("section", "metric", "value"), *run()]))
