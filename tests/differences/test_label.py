from dataclasses import dataclass

import pytest

from pipeline.differences.label import label
from pipeline.differences.spans import PairText
from pipeline.model import Article, Bead, Kind, Link, Sentence, Span, WordDiff

SOURCE = Article(
    "bg.txt",
    "bg",
    (
        Sentence(1, "А.", 1, "The president resigned on Monday."),
        Sentence(2, "Б.", 1, "Troops arrived, called to help by the government."),
        Sentence(3, "В.", 2, "He fled to Abu Dhabi."),
    ),
)
TARGET = Article(
    "en.txt",
    "en",
    (
        Sentence(1, "The president resigned on Monday.", 1),
        Sentence(2, "Troops arrived.", 1),
        Sentence(3, "The measures had no effect.", 2),
    ),
)


@dataclass
class FakeWords:
    """Marks the words after the first comma of the translation as unmatched; records what it was asked."""

    name: str = "fake"
    asked: list | None = None

    def diff(self, pairs):
        self.asked = list(pairs)
        result = []
        for pair in pairs:
            text = pair.translation if pair.translation is not None else pair.source
            cut = text.find(",")
            spans = (Span(cut + 2, len(text)),) if cut >= 0 else ()
            result.append(
                WordDiff(translation=spans) if pair.translation is not None else WordDiff(source=spans)
            )
        return result


LINKS = (Link((1,), (1,), 0.9), Link((2,), (2,), 0.7), Link((3,), (), 0.1), Link((), (3,), 0.05))


def test_label_marks_every_kind_with_word_differences():
    words = FakeWords()
    beads = label(SOURCE, TARGET, LINKS, words)
    assert beads == (
        Bead((1,), (1,), Kind.MATCH, 0.9),
        Bead((2,), (2,), Kind.PARTIAL, 0.7, WordDiff(translation=(Span(16, 49),))),
        Bead((3,), (), Kind.ADDITION, 0.1),
        Bead((), (3,), Kind.OMISSION, 0.05),
    )
    assert words.asked == [
        PairText("А.", "The president resigned on Monday.", "The president resigned on Monday.", "bg", "en"),
        PairText("Б.", "Troops arrived, called to help by the government.", "Troops arrived.", "bg", "en"),
    ]


@pytest.mark.parametrize("score, kind", [(0.9, Kind.MATCH), (0.5, Kind.MATCH), (0.49, Kind.PARTIAL)])
def test_without_word_alignment_low_scores_are_partial(score, kind):
    assert label(SOURCE, TARGET, [Link((1,), (1,), score)]) == (Bead((1,), (1,), kind, score),)


def test_merged_sources_are_joined_for_the_word_aligner():
    words = FakeWords()
    label(SOURCE, TARGET, [Link((1, 2), (1,), 0.8)], words)
    assert words.asked == [
        PairText(
            "А. Б.",
            "The president resigned on Monday. Troops arrived, called to help by the government.",
            "The president resigned on Monday.",
            "bg",
            "en",
        )
    ]


def test_untranslated_beads_skip_the_word_differ():
    untranslated = Article("bg.txt", "bg", (Sentence(1, "А.", 1),))
    words = FakeWords()
    assert label(untranslated, TARGET, [Link((1,), (1,), 0.8)], words) == (Bead((1,), (1,), Kind.MATCH, 0.8),)
    assert words.asked is None


def test_same_language_pairs_are_compared_directly():
    english = Article("en2.txt", "en", (Sentence(1, "Troops arrived, sent by Moscow.", 1),))
    words = FakeWords()
    beads = label(english, TARGET, [Link((1,), (2,), 0.8)], words)
    assert beads == (Bead((1,), (2,), Kind.PARTIAL, 0.8, WordDiff(source=(Span(16, 31),))),)
    assert words.asked == [PairText("Troops arrived, sent by Moscow.", None, "Troops arrived.", "en", "en")]


@pytest.mark.parametrize(
    "diff, kind",
    [
        (WordDiff(), Kind.MATCH),
        (WordDiff(translation=()), Kind.MATCH),
        (WordDiff(source=(Span(0, 2),)), Kind.PARTIAL),
        (WordDiff(target=(Span(0, 6),)), Kind.PARTIAL),
    ],
    ids=["nothing", "empty-translation", "source-span", "target-span"],
)
def test_partial_only_with_a_span(diff, kind):
    @dataclass
    class Fixed:
        name: str = "fixed"

        def diff(self, pairs):
            return [diff for _ in pairs]

    bead = label(SOURCE, TARGET, [Link((1,), (1,), 0.9)], Fixed())[0]
    assert bead == Bead((1,), (1,), kind, 0.9, diff if kind is Kind.PARTIAL else None)


def test_empty():
    assert label(Article("a", "bg", ()), Article("b", "en", ()), []) == ()


def test_a_span_that_cuts_a_bracket_open_is_closed() -> None:
    """Issue 21: the seeds' first row flagged "AFP on Thursday (6", the bracket cut open."""
    source = Article("bg.txt", "bg", (Sentence(1, "А.", 1, "He spoke to us."),))
    target = Article("en.txt", "en", (Sentence(1, "He told AFP on Thursday (6) that he would stay.", 1),))
    cut = target.sentences[0].text.index("AFP")

    class Cutting:
        name = "cutting"

        def diff(self, pairs):
            return [WordDiff(translation=(), target=(Span(cut, cut + len("AFP on Thursday (6")),))]

    (bead,) = label(source, target, [Link((1,), (1,), 0.9)], Cutting())
    assert bead.diff is not None
    (span,) = bead.diff.target
    assert target.sentences[0].text[span.start : span.end] == "AFP on Thursday (6)"
