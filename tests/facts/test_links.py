"""pipeline.facts.links: same-fact links between comparable reports, one to one, never through a line that
carries no claim; translations and reports not in English are left as the aligner linked them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.facts.decision import Judge
from pipeline.facts.links import english_texts, link_same_facts, with_same_facts
from pipeline.model import Article, Link, Sentence

WIRE = [
    "A fire broke out near Kresna on Sunday afternoon.",
    "About 300 firefighters and two army helicopters are fighting the blaze.",
    "The mayor said the town had never seen such a fire.",
    "Read more",
]
DAILY = [
    "Some 300 firefighters, helped by two army helicopters, battle the flames.",
    "Residents said help came too late.",
    "A forest fire started near Kresna on Sunday.",
]
FACTS = {0: 0, 1: 1, 2: 2, 3: 3, 4: 1, 5: 4, 6: 0}  # sentence (wire, then daily) -> the fact it states


class FactEmbedder:
    """Rows that are one direction per fact, a little apart: sentences of one fact embed alike."""

    name = "stub:facts"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        everything = WIRE + DAILY
        rows = np.zeros((len(texts), 8))
        for k, text in enumerate(texts):
            position = everything.index(text)
            rows[k, FACTS[position]] = 1.0
            rows[k, 7] = 0.05 * position  # no two sentences quite alike
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _article(lang: str, texts: list[str]) -> Article:
    return Article(f"{lang}.txt", lang, tuple(Sentence(k + 1, t, 1) for k, t in enumerate(texts)))


def _unlinked(source: Article, target: Article) -> list[Link]:
    return [Link((s.id,), (), 1.0) for s in source.sentences] + [
        Link((), (s.id,), 1.0) for s in target.sentences
    ]


def test_same_facts_linked_one_to_one_and_every_sentence_once() -> None:
    wire, daily = _article("en", WIRE), _article("en", DAILY)
    links = with_same_facts(_unlinked(wire, daily), wire, daily, Judge(FactEmbedder(), None))
    two_sided = {(link.src, link.tgt) for link in links if link.src and link.tgt}
    assert two_sided == {((1,), (3,)), ((2,), (1,))}
    assert sorted(i for link in links for i in link.src) == [1, 2, 3, 4]
    assert sorted(j for link in links for j in link.tgt) == [1, 2, 3]
    assert all(0.0 <= link.score <= 1.0 for link in links)
    assert all(link.score >= 0.5 for link in links if link.src and link.tgt)


def test_a_line_without_a_claim_is_never_linked_and_surely_alone() -> None:
    wire, daily = _article("en", WIRE), _article("en", DAILY)
    links = with_same_facts(_unlinked(wire, daily), wire, daily, Judge(FactEmbedder(), None))
    assert Link((4,), (), 1.0) in links


def test_the_aligners_links_stay() -> None:
    wire, daily = _article("en", WIRE), _article("en", DAILY)
    kept = Link((1,), (3,), 0.97)
    rest = [link for link in _unlinked(wire, daily) if link.src != (1,) and link.tgt != (3,)]
    links = with_same_facts([kept, *rest], wire, daily, Judge(FactEmbedder(), None))
    assert kept in links and sum(1 for link in links if 1 in link.src) == 1


def test_only_comparable_pairs_in_english_are_judged() -> None:
    wire, daily = _article("en", WIRE), _article("en", DAILY)
    calls = []

    def judge() -> Judge:
        calls.append(1)
        return Judge(FactEmbedder(), None)

    translation = [Link((k,), (k,), 0.99) for k in (1, 2, 3)] + [Link((4,), (), 0.9)]
    assert link_same_facts(translation, wire, daily, judge) == (tuple(translation), None)  # a translation
    french = _article("fr", DAILY)
    assert english_texts(wire, french) is None
    assert link_same_facts(_unlinked(wire, french), wire, french, judge)[1] is None
    assert calls == []
    assert link_same_facts(_unlinked(wire, daily), wire, daily, judge)[1] is not None and calls == [1]


def test_a_translated_source_is_judged_by_its_translation() -> None:
    bg = Article("bg.txt", "bg", (Sentence(1, "Пожар край Кресна.", 1, "A fire near Kresna."),))
    assert english_texts(bg, _article("en", DAILY)) == (["A fire near Kresna."], DAILY)
    assert english_texts(Article("bg.txt", "bg", (Sentence(1, "Пожар.", 1),)), _article("en", DAILY)) is None
