"""A pair's links and its two reports in, how the reports correspond out: translation, adaptation,
comparable or unrelated.

`linked` is the share of all sentences (both sides) in links. Translation and adaptation are bands
of it, counting with the links the unlinked sentences that face each other in order between two links
(as many on each side, of fitting lengths: what rough MT left unlinked in a faithful translation).
Below them, the question is whether the reports tell the same story at all: two newsrooms'
reports of one story name the same people and places, reports of different stories hardly any (the
share of the shorter report's names found in the other, names spelt in Latin letters as the anchors
signal spells them; a name transliterated from Cyrillic also meets its other spellings, since
transliteration has several: Tokaev/Tokayev, Kazahstan/Kazakhstan). Reports of one story are
"comparable", with or without a sentence that states the same fact; reports of different stories are
"unrelated" unless their links are likely right. The score is the confidence in the kind: how far
`linked` lies inside its band, or how clearly the reports do or do not share a story, through
logistic curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from pipeline.align.settings import ALIGN
from pipeline.align.signals import latin, names
from pipeline.model import Article, Link, Relation
from pipeline.script import sound_key, to_latin, transliterated


def relation_of(links: Sequence[Link], source: Article, target: Article) -> Relation:
    """The relation of two reports, from the aligner's links (each score the probability it is right) and
    how parallel the reports run between them (parallel_share)."""
    two_sided = [link for link in links if link.src and link.tgt]
    total = len(source.sentences) + len(target.sentences)
    linked = sum(len(link.src) + len(link.tgt) for link in two_sided) / total if total else 0.0
    if linked >= ALIGN.relation_adaptation:
        parallel = parallel_share(two_sided, source, target)
        kind, low, high = _band(parallel)
        return _relation(
            kind, linked, _sigmoid(min(parallel - low, high - parallel) / ALIGN.relation_softness)
        )
    some_right = 1.0 - float(np.prod([1.0 - link.score for link in two_sided]))
    same_story = max(
        some_right, _sigmoid((name_share(source, target) - ALIGN.story_name_share) / ALIGN.story_softness)
    )
    inside = _sigmoid((ALIGN.relation_adaptation - linked) / ALIGN.relation_softness)
    if same_story >= 0.5:
        return _relation("comparable", linked, same_story * inside)
    return _relation("unrelated", linked, 1.0 - same_story)


def parallel_share(links: Sequence[Link], source: Article, target: Article) -> float:
    """Share of all sentences in links, or facing each other between two links in order: as many unlinked
    sentences on each side of the gap, of lengths that fit the reports' (within a factor of
    ALIGN.relation_gap_length_ratio). Those are the pairs of a faithful translation that rough MT left
    unlinked, not what an adaptation adds and leaves out, which seldom balance."""
    total = len(source.sentences) + len(target.sentences)
    if not total:
        return 0.0
    linked_src = {i for link in links for i in link.src}
    linked_tgt = {j for link in links for j in link.tgt}
    ratio = (_length(target, range(1, len(target.sentences) + 1)) + 1.0) / (
        _length(source, range(1, len(source.sentences) + 1)) + 1.0
    )
    facing = 0
    ordered = sorted(links, key=lambda link: min(link.src))
    for first, last in zip(ordered, ordered[1:]):
        src = range(max(first.src) + 1, min(last.src))
        tgt = range(max(first.tgt) + 1, min(last.tgt))
        if len(src) == len(tgt) > 0 and not (linked_src.intersection(src) or linked_tgt.intersection(tgt)):
            fit = abs(np.log((_length(target, tgt) + 1.0) / (ratio * _length(source, src) + 1.0)))
            facing += 2 * len(src) if fit <= np.log(ALIGN.relation_gap_length_ratio) else 0
    return (len(linked_src) + len(linked_tgt) + facing) / total


def _length(article: Article, ids: Sequence[int]) -> float:
    """Characters of the sentences `ids` (1-based)."""
    return float(sum(len(article.sentences[i - 1].text) for i in ids))


def name_share(source: Article, target: Article) -> float:
    """Share of the distinct names of the report with fewer names that the other report also names."""
    fewer, more = sorted((_names(source), _names(target)), key=len)
    if not fewer:
        return 0.0
    return sum(any(_same_name(name, other) for other in more) for name in fewer) / len(fewer)


def _same_name(first: Name, second: Name) -> bool:
    """Spelt alike (their first letters), or, where either was transliterated (from Cyrillic, or into a
    Slavic language's Latin letters), close in spelling (rapidfuzz ratio) or alike in sound
    (script.sound_key: Džerard, Gerrard)."""
    if first.spelling[: ALIGN.name_prefix] == second.spelling[: ALIGN.name_prefix]:
        return True
    return (first.transliterated or second.transliterated) and (
        fuzz.ratio(first.spelling, second.spelling) >= ALIGN.transliteration_min or first.key == second.key
    )


class Name(NamedTuple):
    spelling: str  # in Latin letters, lower case, accents dropped
    transliterated: bool  # written in Cyrillic, or with a Slavic language's Latin letters, in the report
    key: str  # its sound key


def _names(article: Article) -> set[Name]:
    return {
        Name(latin(word, article.lang).lower(), transliterated(word), sound_key(latin_word))
        for sentence in article.sentences
        for word in names(sentence.text)
        for latin_word in (to_latin(word, article.lang),)
    }


def _band(linked: float) -> tuple[str, float, float]:
    """The kind whose band holds `linked` (at least relation_adaptation), and the band's borders."""
    if linked >= ALIGN.relation_translation:
        return "translation", ALIGN.relation_translation, np.inf
    return "adaptation", ALIGN.relation_adaptation, ALIGN.relation_translation


def _relation(kind: str, linked: float, score: float) -> Relation:
    return Relation(kind, round(linked, 4), round(float(score), 4))


def _sigmoid(value: float) -> float:
    return float(1.0 / (1.0 + np.exp(-value)))
