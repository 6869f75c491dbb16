"""pipeline.facts.words: what a sentence's fact is made of."""

from __future__ import annotations

import pytest

from pipeline.facts.words import Statement, rarity, statement


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Police said 12 people were killed in the blast on Monday.",
            Statement(
                content=frozenset({"police", "people", "kill", "blast"}),
                actions=frozenset({"kill"}),
                names=frozenset(),
                numbers=frozenset({12.0}),
                dates=frozenset({"monday"}),
            ),
        ),
        (
            "According to him Nazarbayev fled to Abu Dhabi in January 2022.",
            Statement(
                content=frozenset({"nazarbayev", "flee", "abu", "dhabi"}),
                actions=frozenset({"flee"}),
                names=frozenset({"nazar", "abu", "dhabi"}),
                numbers=frozenset(),
                dates=frozenset({"january", "2022"}),
            ),
        ),
        (
            "Tokayev sacked the government.",
            Statement(
                content=frozenset({"tokayev", "sack", "government"}),
                actions=frozenset({"sack"}),
                names=frozenset({"tokay"}),
                numbers=frozenset(),
                dates=frozenset(),
            ),
        ),
        ("", Statement(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())),
        ("“.", Statement(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())),
    ],
    ids=["numbers-and-a-weekday", "names-and-a-month", "a-name-opens", "empty", "punctuation"],
)
def test_statement(text: str, expected: Statement) -> None:
    assert statement(text) == expected


@pytest.mark.parametrize(
    "text, numbers", [("1,000 injured", {1000.0}), ("at least fifty", {50.0}), ("2.5 million", {2.5, 1e6})]
)
def test_numbers_in_digits_and_words(text: str, numbers: set[float]) -> None:
    assert statement(text).numbers == numbers


def test_nouns_that_may_be_verbs_are_no_actions() -> None:
    """Without a tagger, "protests" may be a noun: only forms that are verbs alone count as actions."""
    assert statement("The protests grew and the crowd fled.").actions == frozenset({"grow", "flee"})


def test_rare_words_weigh_more() -> None:
    assert rarity("the") == 0.0 < rarity("government") < rarity("refugee")
