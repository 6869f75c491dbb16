"""Two sentences' Statements in, the lexical evidence that they state the same fact out: a row of numbers.

Agreement counts for, contradiction against: content words shared (weighted by rarity, as Dice and as the
share of the shorter side's weight, since a sentence may state part of another), an action both name,
numbers, dates and names that agree, or that both sides give and none agree ("12 killed" / "40 killed"),
the more telling the more words the two share.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.facts.words import Statement, rarity

LEXICAL = (
    "content_dice",
    "content_cover",
    "actions_shared",
    "actions_both",
    "numbers_agree",
    "numbers_clash",
    "dates_agree",
    "dates_clash",
    "names_shared",
    "names_clash",
    "numbers_clash_cover",
    "names_swap_cover",
)


def lexical_rows(pairs: Sequence[tuple[Statement, Statement]]) -> np.ndarray:
    """One row per pair, columns in LEXICAL order."""
    return np.array([_row(a, b) for a, b in pairs], dtype=np.float64).reshape(len(pairs), len(LEXICAL))


def _row(a: Statement, b: Statement) -> list[float]:
    left, right = _weight(a.content), _weight(b.content)
    shared = _weight(a.content & b.content)
    cover = shared / min(left, right) if min(left, right) > 0 else 0.0
    numbers = _agree_clash(a.numbers, b.numbers)
    return [
        2 * shared / (left + right) if left + right > 0 else 0.0,
        cover,
        float(bool(a.actions & b.actions)),
        float(bool(a.actions and b.actions)),
        *numbers,
        *_agree_clash(a.dates, b.dates),
        len(a.names & b.names) / min(len(a.names), len(b.names)) if a.names and b.names else 0.0,
        _agree_clash(a.names, b.names)[1],
        # the same words around another number, or with one actor swapped for another, are another fact;
        # such a clash between sentences that share little is only a detail of the other's
        numbers[1] * cover,
        float(bool(a.names - b.names) and bool(b.names - a.names)) * cover,
    ]


def _agree_clash(left: frozenset, right: frozenset) -> tuple[float, float]:
    """(some value both give, both give values and none agree)."""
    return float(bool(left & right)), float(bool(left and right and not left & right))


def _weight(lemmas: frozenset[str]) -> float:
    return sum(rarity(lemma) for lemma in lemmas)
