"""Tests for pipeline/align/decide.py: a link means that both sides state the same content."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.align import aligner, decide
from pipeline.align.problem import NumericBead
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Features, Signal, features
from pipeline.model import Article, Sentence

# Two English reports of one made-up council meeting: the first four pairs say the same in other
# words; the last two open alike ("The mayor said", "Police said") and state different facts.
MEETING = (
    (
        "The council approved the new budget on Tuesday by 31 votes to 12.",
        "By 31 votes to 12, councillors passed the budget on Tuesday.",
    ),
    (
        "Spending on schools rises by eight percent next year.",
        "Next year schools will get eight percent more money.",
    ),
    (
        "The mayor said the city would not raise property taxes.",
        "Property taxes will stay where they are, according to the mayor.",
    ),
    (
        "Opposition members walked out before the final vote.",
        "Before the final vote, the opposition left the chamber.",
    ),
    (
        "The mayor said the city would build a second bridge over the river by 2027.",
        "The mayor said he would not run for a third term in office.",
    ),
    (
        "Police said two people were injured when a bus hit a tram on Friday.",
        "Police said the suspect in last month's bank robbery had been released on bail.",
    ),
)


def report(lang: str, texts) -> Article:
    return Article(f"{lang}.txt", lang, tuple(Sentence(k + 1, t, 1) for k, t in enumerate(texts)))


def test_same_fact_in_other_words_is_linked_same_opening_words_is_not(embedder):
    source = report("en", [a for a, _ in MEETING])
    target = report("en", [b for _, b in MEETING])
    links = {(link.src, link.tgt): link.score for link in aligner.align(source, target, embedder)}
    for k in range(1, 5):
        assert links.get(((k,), (k,)), 0.0) >= 0.5, MEETING[k - 1]
    for k in (5, 6):
        assert ((k,), (k,)) not in links, MEETING[k - 1]
        assert ((k,), ()) in links and ((), (k,)) in links


def test_scores_are_probabilities_and_every_sentence_is_placed_once(embedder):
    source = report("en", [a for a, _ in MEETING])
    target = report("en", [b for _, b in reversed(MEETING)])
    links = aligner.align(source, target, embedder)
    assert sorted(i for link in links for i in link.src) == [1, 2, 3, 4, 5, 6]
    assert sorted(j for link in links for j in link.tgt) == [1, 2, 3, 4, 5, 6]
    assert all(0.0 <= link.score <= 1.0 for link in links)
    assert all(link.score >= 0.5 for link in links if link.src and link.tgt)


def test_null_model_is_robust_to_the_true_pairs_and_sound_for_tiny_documents():
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(40, 16))
    source, target = noise[:20].copy(), noise[20:].copy()
    target[:3] = source[:3]  # three true pairs among 400 do not move the null
    null = decide._null("embedding", Signal("embedding:made-up", 1.0, source, target))
    assert abs(null.mean) < 0.1 and 0.1 < null.spread < 0.4  # 20 pseudo-pairs pull it to null_prior
    tiny = decide._null("embedding", Signal("embedding:made-up", 1.0, source[:1], source[:1]))
    centre, spread = dict(ALIGN.null_prior)["embedding"]
    assert centre < tiny.mean < 1.0 and tiny.spread > 0


def test_pair_prior_follows_how_many_candidates_look_right():
    assert decide.pair_prior(np.full(50, 4.0)) > 0.9
    assert decide.pair_prior(np.full(50, -4.0)) < 0.05
    assert decide.pair_prior(np.zeros(0)) == pytest.approx(ALIGN.link_training_prior)  # nothing to go on


def test_without_embeddings_or_candidates_nothing_is_linked():
    feats = Features((Signal("made-up", 1.0, np.eye(3), np.eye(3)),), np.ones(3), np.ones(3))
    beads = decide.decide(feats, [NumericBead((i,), (i,), 0.9) for i in range(3)])
    assert sorted((b.src, b.tgt) for b in beads if b.src and b.tgt) == []
    assert sorted(i for b in beads for i in b.src) == [0, 1, 2]
    assert decide.decide(feats, []) == [NumericBead((i,), (), 1.0) for i in range(3)] + [
        NumericBead((), (j,), 1.0) for j in range(3)
    ]


def test_content_dice_counts_shared_content_words_through_the_translation():
    source = report("bg", ["Мостът струва 18 милиона евро.", "Времето беше хубаво."])
    source = source.with_translations(["The bridge costs 18 million euros.", "The weather was nice."])
    target = report("en", ["The new bridge costs about 18 million euros.", "Protesters blocked the road."])
    feats = features(source, target, None)
    assert decide.content_dice(feats, (0,), (0,)) > 0.5
    assert decide.content_dice(feats, (1,), (1,)) == 0.0


def test_a_rejected_merge_keeps_its_core_without_the_glued_sentence():
    rng = np.random.default_rng(5)
    target = rng.normal(size=(12, 32))
    source = np.vstack([target[0] + 0.1 * rng.normal(size=32), rng.normal(size=(11, 32))])
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    signal = Signal("embedding:made-up", 1.0, unit(source), unit(target))
    feats = Features((signal,), np.full(12, 50.0), np.full(12, 50.0))
    evidence = decide.Evidence.of(feats)
    glued = NumericBead((0, 1), (0,), 0.2)
    assert decide._without_weakest(evidence, glued.src, glued.tgt) == ((0,), (0,))
    core = decide._core(evidence, glued, prior=0.9)
    assert core is not None and (core.src, core.tgt) == ((0,), (0,)) and core.q >= 0.5
    assert decide._core(evidence, NumericBead((1, 2), (3,), 0.2), prior=0.9) is None


def _beads(*pairs) -> list[NumericBead]:
    return [NumericBead(src, tgt, 0.0) for src, tgt in pairs]


@pytest.mark.parametrize(
    "candidates, linked, expected",
    [
        # between two links, also with an unaligned sentence beside it; the first and last have no link
        # on one side
        ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [True, False, True], [False, True, False]),
        ([((0,), (0,)), ((1,), (2,)), ((3,), (3,))], [True, False, True], [False, True, False]),
        # another candidate shares the gap (one source sentence of it, or one target sentence)
        ([((0,), (0,)), ((1,), (1,)), ((2,), (4,)), ((3,), (3,))], [True, False, False, True], [False] * 4),
        # the links around it cross it on the target side
        ([((0,), (2,)), ((1,), (1,)), ((2,), (0,))], [True, False, True], [False, False, False]),
        # nothing linked
        ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [False, False, False], [False, False, False]),
        ([], [], []),
    ],
)
def test_alone_between_two_links(candidates, linked, expected):
    beads = _beads(*candidates)
    assert decide.alone_between(beads, np.array(linked, dtype=bool), 4, 5).tolist() == expected


@pytest.mark.parametrize(
    "candidates, linked, expected",
    [
        # two and three 1-1 candidates fill the gap in order (an unaligned sentence beside them or not)
        ([((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))], [True, False, False, True], [0, 2, 2, 0]),
        (
            [((0,), (0,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))],
            [1, 0, 0, 0, 1],
            [0, 3, 3, 3, 0],
        ),
        # a merge among them is counted (it gains nothing from its place: see _in_context)
        (
            [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))],
            [True, False, False, True],
            [0, 2, 2, 0],
        ),
        # a moved sentence's link inside the gap: no run (its place says nothing of the others')
        (
            [((0,), (0,)), ((1,), (1,)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,)), ((5,), (2,))],
            [1, 1, 0, 1, 1, 1],
            [0] * 6,
        ),
        # the two cross each other, or one reaches past the next link: no run
        ([((0,), (0,)), ((1,), (2,)), ((2,), (1,)), ((3,), (3,))], [True, False, False, True], [0] * 4),
        ([((0,), (0,)), ((1,), (1,)), ((2,), (5,)), ((3,), (4,))], [True, False, False, True], [0] * 4),
        # a link inside the gap splits it for the others, each alone between two links; the link's own gap
        # is that between its neighbouring links, which the three fill in order
        (
            [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,))],
            [1, 0, 1, 0, 1],
            [0, 1, 3, 1, 0],
        ),
    ],
)
def test_in_order_between_counts_the_run_that_fills_the_gap(candidates, linked, expected):
    beads = _beads(*candidates)
    assert decide.in_order_between(beads, np.array(linked, dtype=bool), 6, 6).tolist() == expected


def test_a_run_of_weak_pairs_in_order_between_two_links_is_kept_a_crossing_run_is_not():
    """Rough MT: two faithful pairs in a row whose evidence falls short, between two sure links."""
    prior, odds = 0.95, [5.0, -3.0, -3.0, 5.0]

    def kept(candidates):
        scored = decide._in_context(_beads(*candidates), np.array(odds), prior, 4, 4)
        return [bead.q >= ALIGN.link_min_probability for bead in scored]

    assert kept([((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]) == [True] * 4
    assert kept([((0,), (0,)), ((1,), (2,)), ((2,), (1,)), ((3,), (3,))]) == [True, False, False, True]


def test_a_weak_pair_between_two_links_is_kept_a_weak_merge_or_a_pair_elsewhere_is_not():
    """Odds of -3 against a prior of 0.95 fall just short of one half; between two links the place adds
    position_log_odds. A merge in the same place and a weak pair without links around it stay out."""
    prior = 0.95

    def kept(candidates, odds):
        scored = decide._in_context(_beads(*candidates), np.array(odds), prior, 3, 4)
        return [bead.q >= ALIGN.link_min_probability for bead in scored]

    assert kept([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [5.0, -3.0, 5.0]) == [True, True, True]
    assert kept([((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))], [5.0, -3.0, 5.0]) == [True, False, True]
    assert kept([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [-5.0, -3.0, -5.0]) == [False, False, False]
