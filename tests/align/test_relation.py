"""pipeline/align/relation.py: how two reports correspond, from their links and the names they share."""

from __future__ import annotations

import pytest

from pipeline.align.relation import name_share, parallel_share, relation_of
from pipeline.model import Article, Link, Sentence


def report(lang: str, texts) -> Article:
    return Article(f"{lang}.txt", lang, tuple(Sentence(k + 1, t, 1) for k, t in enumerate(texts)))


TEN = report("en", [f"Sentence {k} about nothing in particular." for k in range(10)])
PLOVDIV = report("en", ["Mayor Ivan Totev opened the tram line in Plovdiv.", "Totev said Plovdiv needed it."])
PLOVDIV_BG = report("bg", ["Кметът Иван Тотев откри трамвайната линия в Пловдив.", "Времето беше хубаво."])
ALPS = report("en", ["The Eiger north face was climbed in 1938.", "Heckmair led the party up the Eiger."])


def links(pairs: int, score: float = 0.9) -> list[Link]:
    return [Link((k,), (k,), score) for k in range(1, pairs + 1)]


@pytest.mark.parametrize(
    "linked_pairs, kind", [(10, "translation"), (9, "translation"), (6, "adaptation"), (4, "adaptation")]
)
def test_bands_of_the_linked_share(linked_pairs, kind):
    relation = relation_of(links(linked_pairs), TEN, TEN)
    assert relation.kind == kind and relation.linked == linked_pairs / 10
    assert 0.5 <= relation.score <= 1.0


# TEN, but the sentences 3-4 and 7-9 six times as long
LONG_GAPS = report(
    "en", [f"Sentence {k} " + "word " * 40 if k in (2, 3, 6, 7, 8) else TEN.texts()[k] for k in range(10)]
)


@pytest.mark.parametrize(
    "pairs, source, kind, parallel",
    [
        # 1-2, 5-6 and 10 linked, 3-4 and 7-9 unlinked but facing each other in order: rough MT's translation
        ([1, 2, 5, 6, 10], TEN, "translation", 1.0),
        # the same gaps, but the sentences facing each other do not fit in length: an adaptation's
        ([1, 2, 5, 6, 10], LONG_GAPS, "adaptation", 0.5),
        # the sentences after the last link face nothing between two links
        ([1, 2, 3, 4, 5, 6], TEN, "adaptation", 0.6),
    ],
)
def test_sentences_facing_each_other_between_links_count_towards_the_bands(pairs, source, kind, parallel):
    found = [Link((k,), (k,), 0.9) for k in pairs]
    relation = relation_of(found, source, TEN)
    assert (relation.kind, relation.linked) == (kind, len(pairs) / 10)
    assert parallel_share(found, source, TEN) == pytest.approx(parallel)


def test_an_unbalanced_gap_or_one_a_crossing_link_reaches_into_faces_nothing():
    assert parallel_share([Link((1,), (1,), 0.9), Link((3,), (4,), 0.9)], TEN, TEN) == pytest.approx(4 / 20)
    crossing = [Link((1,), (1,), 0.9), Link((2,), (3,), 0.9), Link((4,), (2,), 0.9), Link((5,), (5,), 0.9)]
    assert parallel_share(crossing, TEN, TEN) == pytest.approx(8 / 20)


def test_confidence_is_low_near_a_border_and_high_inside_a_band():
    assert relation_of(links(8), TEN, TEN).score == pytest.approx(0.5)  # exactly on the translation border
    assert relation_of(links(10), TEN, TEN).score > 0.95


def test_no_links_and_no_shared_names_is_unrelated():
    relation = relation_of([Link((1,), (), 0.9), Link((), (1,), 0.9)], PLOVDIV, ALPS)
    assert (relation.kind, relation.linked) == ("unrelated", 0.0) and relation.score > 0.99


def test_no_links_but_the_same_people_and_places_is_comparable():
    relation = relation_of([], PLOVDIV_BG, PLOVDIV)
    assert relation.kind == "comparable" and relation.linked == 0.0 and relation.score > 0.9


def test_one_sure_link_is_enough_for_comparable_reports():
    relation = relation_of([Link((1,), (1,), 0.95)], TEN, TEN)
    assert (relation.kind, relation.linked) == ("comparable", 0.1) and relation.score > 0.9


def test_names_meet_across_scripts():
    assert name_share(PLOVDIV_BG, PLOVDIV) == 1.0  # Иван Тотев, Пловдив in Latin letters
    assert name_share(PLOVDIV, ALPS) == 0.0
    assert name_share(report("en", []), PLOVDIV) == 0.0


def test_empty_reports():
    relation = relation_of([], report("en", []), report("en", []))
    assert (relation.kind, relation.linked) == ("unrelated", 0.0) and relation.score > 0.99


def test_a_transliterated_name_meets_its_other_spellings():
    bg = report("bg", ["Президентът Токаев говори в Казахстан.", "Така заяви френският президент Макрон."])
    en = report("en", ["President Tokayev spoke in Kazakhstan.", "So said the French president Macron."])
    assert name_share(bg, en) == 1.0  # Tokaev/Tokayev, Kazahstan/Kazakhstan, Makron/Macron


def test_names_in_latin_letters_meet_only_when_spelt_alike():
    # Latin-script names are not loosened: Totev in one report is not Tetov in another
    mayor = report("en", ["The mayor Ivan Totev spoke."])
    judge = report("en", ["The judge Ivan Tetov spoke."])
    assert name_share(mayor, judge) == 0.5
