"""pipeline/align/passes.py: the passes after the monotone search, and what they owe the whole alignment: a
sentence added at either end of a report (a headline, a byline, an unrelated line) leaves every other link."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.align import aligner, passes
from pipeline.align.problem import NumericBead
from pipeline.align.settings import ALIGN
from pipeline.align.signals import Coverage
from pipeline.align.similarity import Best
from pipeline.model import Article, Link, Sentence

from support import SEED_SOURCE, SEED_TARGET


def _best(source: list[tuple[int, float]], target: list[tuple[int, float]]) -> Best:
    """Best from (partner, confidence) per sentence of each side."""
    return Best(
        np.array([q for _, q in source]),
        np.array([p for p, _ in source]),
        np.array([q for _, q in target]),
        np.array([p for p, _ in target]),
    )


@pytest.mark.parametrize(
    "linked, crossing, best, expected",
    [
        # sentence 1 and 1 are each other's best, confidently, and both left over: proposed
        (
            [NumericBead((0,), (0,), 0.9)],
            [],
            _best([(0, 0.9), (1, 0.92)], [(0, 0.9), (1, 0.92)]),
            [((1,), (1,))],
        ),
        # confident; source 1 and target 0 are each other's best (target 0 is not source 0's)
        ([], [], _best([(0, 0.9), (0, 0.92)], [(1, 0.92), (1, 0.5)]), [((1,), (0,))]),
        # mutual, but below the bar: the passes' judgement stands
        ([], [], _best([(0, ALIGN.mutual_min_q - 0.01)], [(0, ALIGN.mutual_min_q - 0.01)]), []),
        # the partner is in a monotone link
        ([NumericBead((1,), (0,), 0.9)], [], _best([(0, 0.95), (0, 0.9)], [(0, 0.95)]), []),
        # no partner at all
        ([], [], _best([(-1, 0.0)], [(-1, 0.0)]), []),
        # a one-to-one crossing link less sure than the pair gives way to it ...
        ([], [NumericBead((1,), (0,), 0.7)], _best([(0, 0.9), (0, 0.7)], [(0, 0.9)]), [((0,), (0,))]),
        # ... one surer than the pair stays (two sentences are each other's best only by the best's measure)
        ([], [NumericBead((1,), (0,), 0.95)], _best([(0, 0.9), (0, 0.7)], [(0, 0.9)]), [((1,), (0,))]),
        # a crossing merge gives way only when far less sure (by displaced_margin) ...
        (
            [],
            [NumericBead((1, 2), (0,), 0.7)],
            _best([(0, 0.9), (0, 0.7), (0, 0.6)], [(0, 0.9)]),
            [((1, 2), (0,))],
        ),
        (
            [],
            [NumericBead((1, 2), (0,), 0.5)],
            _best([(0, 0.9), (0, 0.5), (0, 0.4)], [(0, 0.9)]),
            [((0,), (0,))],
        ),
    ],
    ids=["mutual", "one-way", "weak", "taken", "none", "yields", "surer", "merge-stays", "merge-yields"],
)
def test_mutual_partners(linked, crossing, best, expected) -> None:
    assert [(b.src, b.tgt) for b in passes.mutual_partners(linked, crossing, best, _words(2, 2))] == expected


def _words(n: int, m: int, letters: bool = True) -> Coverage:
    """Coverage where every source sentence and every target sentence hold one word (with letters or not)."""
    return Coverage(
        tuple(frozenset({0}) for _ in range(n)),
        tuple(frozenset({0}) for _ in range(m)),
        np.ones(1),
        np.ones(1, dtype=bool),
        np.array([letters]),
    )


@pytest.mark.parametrize(
    "coverage, expected",
    [
        (_words(1, 1), [((0,), (0,))]),
        (_words(1, 1, letters=False), []),  # a number alone: two datelines are alike in form only
        (None, []),  # nothing to tell by: the passes' judgement stands
    ],
    ids=["shared-word", "shared-number", "no-coverage"],
)
def test_a_mutual_pair_shares_a_word(coverage, expected) -> None:
    best = _best([(0, 0.95)], [(0, 0.95)])
    assert [(b.src, b.tgt) for b in passes.mutual_partners([], [], best, coverage)] == expected


# ---------------------------------------------------------------- a sentence added at either end (issue 21)

# Written for this test: lines a newsroom or a scraper adds at the top or the bottom of a report, with a
# translation into English where the source side needs one.
ADDED = {
    "bg": (
        ("Аблязов: В Казахстан започна революция", "Ablyazov: Revolution began in Kazakhstan"),
        ("БТА", "BTA"),
        ("София, 7 януари (БТА)", "Sofia, 7 January (BTA)"),
        (
            "Общинският съвет одобри нов бюджет за обществените библиотеки в понеделник.",
            "The municipal council approved a new budget for the public libraries on Monday.",
        ),
    ),
    "en": (
        ("Kazakh dissident Ablyazov says a revolution is under way at home", None),
        ("AFP", None),
        ("By our correspondent in Paris", None),
        ("The city council approved a new budget for public libraries on Monday.", None),
    ),
}


def _inserted(article: Article, text: str, translation: str | None, at_start: bool) -> Article:
    """The article with one more sentence, first or last, ids renumbered."""
    new = Sentence(0, text, 0, translation if article.sentences[0].translation is not None else None)
    sentences = (new, *article.sentences) if at_start else (*article.sentences, new)
    return replace(article, sentences=tuple(replace(s, id=k + 1) for k, s in enumerate(sentences)))


def _two_sided(links, side: int, inserted: int | None, shift: int) -> set:
    """The two-sided links with the inserted sentence taken out, ids as in the original article."""
    found = set()
    for link in links:
        ends = [list(link.src), list(link.tgt)]
        if inserted is not None:
            ends[side] = [k - shift for k in ends[side] if k != inserted]
        if ends[0] and ends[1]:
            found.add((tuple(ends[0]), tuple(ends[1])))
    return found


@pytest.fixture(scope="module")
def seeds(embedder):
    """The seeds' BTA and AFP reports, BTA with Apertium's translation (as `align` gives it), and its
    links."""
    from pipeline.errors import ModelError
    from pipeline.ingest.read import read_document
    from pipeline.ingest.segment import segment
    from pipeline.translate.apertium import ApertiumTranslator
    from pipeline.translate.translator import translate_article

    if not SEED_SOURCE.exists():
        pytest.skip(f"{SEED_SOURCE} not found (the seeds are read from ../shared, never copied)")
    try:
        translator = ApertiumTranslator.load("bg", "en")
    except ModelError as error:
        pytest.skip(f"{error} (make install puts Apertium in)")
    bg = translate_article(segment(read_document(SEED_SOURCE, "bg")), translator)[0]
    en = segment(read_document(SEED_TARGET, "en"))
    return bg, en, aligner.align(bg, en, embedder)


@pytest.mark.slow
@settings(max_examples=16, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    side=st.sampled_from([0, 1]),
    at_start=st.booleans(),
    added=st.integers(min_value=0, max_value=len(ADDED["en"]) - 1),
)
def test_a_line_added_at_either_end_leaves_every_other_link(seeds, embedder, side, at_start, added) -> None:
    """Issue 21: the English headline added as AFP's first line turned "For us, it's an occupation" (0.995)
    into an addition and an omission. Every link between the original sentences stays; the added line may
    join a bead (a headline restating the first sentence) but takes no sentence out of it."""
    bg, en, links = seeds
    articles = [bg, en]
    text, translation = ADDED[articles[side].lang][added]
    articles[side] = _inserted(articles[side], text, translation, at_start)
    inserted = 1 if at_start else len(articles[side].sentences)
    again = aligner.align(articles[0], articles[1], embedder)
    before = _two_sided(links, side, None, 0)
    assert _two_sided(again, side, inserted, 1 if at_start else 0) == before


def test_inserted_renumbers_and_keeps_translations_on_their_side() -> None:
    article = Article("bg.txt", "bg", (Sentence(1, "Едно.", 1, "One."), Sentence(2, "Две.", 1, "Two.")))
    first = _inserted(article, "Заглавие", "Headline", at_start=True)
    assert [(s.id, s.text, s.translation) for s in first.sentences] == [
        (1, "Заглавие", "Headline"),
        (2, "Едно.", "One."),
        (3, "Две.", "Two."),
    ]
    english = Article("en.txt", "en", (Sentence(1, "One.", 1),))
    assert _inserted(english, "AFP", "x", at_start=False).sentences[-1] == Sentence(2, "AFP", 0, None)
    links = [Link((1,), (1, 3), 0.9), Link((2,), (), 0.1), Link((), (3,), 0.2)]
    assert _two_sided(links, 1, 3, 0) == {((1,), (1,))}
