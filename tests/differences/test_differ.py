import pytest

from pipeline.differences.differ import Differ
from pipeline.differences.gloss import available
from pipeline.differences.settings import DIFFERENCES
from pipeline.differences.spans import PairText
from pipeline.model import Span, WordDiff

# Bulgarian and English sentences written for these tests; the translations are Apertium-like English.
CASES = [
    (
        PairText(
            "Troops arrived in Almaty on Thursday.",
            None,
            "Troops arrived in Almaty on Thursday, called in by the government to end the riots.",
            "en",
            "en",
        ),
        ([], None, ["called in by the government to end the riots"]),
    ),
    (
        PairText(
            "The president resigned on Monday after a week of protests over fuel prices.",
            None,
            "The president stepped down on Monday after a week of protests over fuel prices.",
            "en",
            "en",
        ),
        ([], None, []),
    ),
    (
        PairText(
            "„За нас това е окупация“, каза Аблязов и призова казахите да организират стачки "
            "и да блокират пътищата.",
            '"For us this is occupation", said Ablyazov and called the Kazakhs to organise strikes '
            "and to block the roads.",
            '"For us, it\'s an occupation," said Ablyazov.',
            "bg",
            "en",
        ),
        (
            ["призова казахите да организират стачки и да блокират пътищата"],
            ["called the Kazakhs to organise strikes and to block the roads"],
            [],
        ),
    ),
    (
        PairText(
            "Три хиляди души протестираха в Алмати.",
            "Three thousand people protested in Almaty.",
            "3,000 people protested in Almaty.",
            "bg",
            "en",
        ),
        ([], [], []),
    ),
    (
        PairText(
            "Работниците обявиха стачка в Жанаозен.",
            "The workers announced strike in Zhanaozen.",
            "Workers in Zhanaozen went on strike.",
            "bg",
            "en",
        ),
        ([], [], []),
    ),
]


@pytest.fixture(scope="module")
def differ(embedder) -> Differ:
    return Differ(embedder)


def _quoted(pair: PairText, diff: WordDiff) -> tuple[list[str], list[str] | None, list[str]]:
    translation = (
        None
        if diff.translation is None
        else [(pair.translation or "")[s.start : s.end] for s in diff.translation]
    )
    return (
        [pair.source[s.start : s.end] for s in diff.source],
        translation,
        [pair.target[s.start : s.end] for s in diff.target],
    )


@pytest.mark.slow
@pytest.mark.skipif(not available("bg", "en"), reason="Apertium's bg-mk and mk-en dictionaries")
@pytest.mark.parametrize(
    "pair, expected",
    CASES,
    ids=["en-en-added", "en-en-reworded", "bg-call-to-strikes", "bg-number", "bg-synonym"],
)
def test_differing_words(differ: Differ, pair: PairText, expected) -> None:
    assert _quoted(pair, differ.diff([pair])[0]) == expected


@pytest.mark.slow
def test_a_batch_gives_what_single_pairs_give(differ: Differ) -> None:
    pairs = [pair for pair, _ in CASES]
    assert differ.diff(pairs) == [differ.diff([pair])[0] for pair in pairs]


@pytest.mark.parametrize(
    "pair, expected",
    [
        (PairText("", None, "", "en", "en"), WordDiff()),
        (
            PairText("Krieg.", "", "War and peace for all the people of the town.", "de", "en"),
            WordDiff(translation=(), target=(Span(0, 44),)),
        ),
        (PairText("a b", None, "a b c d", "en", "en"), WordDiff()),
    ],
    ids=["empty", "empty-translation", "short"],
)
def test_without_an_embedder_long_runs_alone_count(pair: PairText, expected: WordDiff) -> None:
    assert Differ(None).diff([pair]) == [expected]


def test_without_an_embedder_a_long_added_run_counts() -> None:
    pair = PairText(
        "The war ended.", None, "The war ended, said the minister in his speech on Friday.", "en", "en"
    )
    diff = Differ(None).diff([pair])[0]
    assert [pair.target[s.start : s.end] for s in diff.target] == [
        "said the minister in his speech on Friday"
    ]


class _Marked:
    """A stand-in embedder: a text is (1, its words containing "q"), normalised; the q-words are a topic
    the other side lacks, so cutting them brings a side closer to a text without them."""

    name = "marked"

    def embed(self, texts):
        import numpy as np

        rows = np.array([[1.0, sum("q" in w for w in t.split())] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# German and French with no dictionaries between them: the translation and the foreign text end with a
# clause of q-words the French target lacks.
CLAUSE_ADDED = PairText(
    "Er kam spät nach Hause, aqua quer quote quasi.",
    "Il est rentré tard à la maison, aqua quer quote quasi.",
    "Il est rentré tard à la maison.",
    "de",
    "fr",
)


def test_foreign_words_follow_the_translation_clause_without_dictionaries() -> None:
    pair = CLAUSE_ADDED
    diff = Differ(_Marked()).diff([pair])[0]
    assert _quoted(pair, diff) == (["aqua quer quote quasi"], ["aqua quer quote quasi"], [])


def test_a_translated_clause_is_tested_on_the_foreign_text_too() -> None:
    # the translation's last clause is mostly unsaid by the target: the test cuts it from the translation
    # and cuts the foreign clause at its place (by position) from the foreign text
    pair = PairText(
        "Er kam spät nach Hause, equo aqua.",
        "Il est rentré tard à la maison, aqua quer quote quasi.",
        "Il est rentré tard à la maison, equo aqua.",
        "de",
        "fr",
    )
    candidates = Differ(_Marked())._candidates(0, pair, Differ(_Marked())._sides(pair))
    clauses = [c for c in candidates if c.clauses]
    assert [(c.side, [t.cut for t in c.tests]) for c in clauses] == [
        ("translation", ["Il est rentré tard à la maison, .", "Er kam spät nach Hause, ."])
    ]


class _Faint:
    """A stand-in embedder: a text is (its other words + `alike` x its q-words, 0.15 x its q-words),
    normalised. Cutting four q-words gains little (under 0.011 on both views); alone, they are unlike
    every clause without q-words when `alike` is 0, and like them when it is 1."""

    name = "faint"

    def __init__(self, alike: float) -> None:
        self.alike = alike

    def embed(self, texts):
        import numpy as np

        q = [sum("q" in w for w in t.split()) for t in texts]
        rows = np.array(
            [[len(t.split()) - n + self.alike * n, 0.15 * n] for t, n in zip(texts, q)], dtype=np.float32
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("alike, kept", [(0.0, ["aqua quer quote quasi"]), (1.0, [])])
def test_a_faint_clause_counts_when_no_clause_of_the_other_side_is_like_it(alike: float, kept) -> None:
    pair = CLAUSE_ADDED
    differ = Differ(_Faint(alike))
    clause = [c for c in differ._candidates(0, pair, differ._sides(pair)) if c.clauses]
    gains = differ._view_gains(clause)  # the gain alone would not keep the clause
    assert (
        len(gains) == 1
        and gains[0] is not None
        and 0 < min(gains[0]) <= max(gains[0]) < DIFFERENCES.clauses_gain_min
    )
    assert _quoted(pair, differ.diff([pair])[0])[1] == kept


@pytest.mark.skipif(not available("bg", "en"), reason="Apertium's bg-mk and mk-en dictionaries")
def test_foreign_candidates_are_tested_on_the_translation_too() -> None:
    # a foreign run the dictionaries leave unsaid is kept only when cutting the words it stands for brings
    # the translation closer as well: the foreign text alone moves with every dictionary gap
    pair = PairText(
        "Президентът поиска помощ, за да възстанови реда в страната.",
        "The president asked for help, to restore order in the quarter quota.",
        "The president asked for help.",
        "bg",
        "en",
    )
    differ = Differ(_Marked())
    foreign = [c for c in differ._candidates(0, pair, differ._sides(pair)) if c.side == "source"]
    assert [[t.cut for t in c.tests] for c in foreign] == [
        ["Президентът поиска помощ, .", "The president asked for help, ."]
    ]
    assert _quoted(pair, differ.diff([pair])[0]) == (
        ["за да възстанови реда в страната"],
        ["to restore order in the quarter quota"],
        [],
    )


@pytest.mark.slow
def test_the_seeds_first_row_marks_the_addition_not_the_date(seed_alignment) -> None:
    """Issue 21: the report's first row flagged AFP's "on Thursday (6" (the bracket cut open) while BTA
    says the same day as "yesterday", and left BTA's real addition unmarked: the Russian forces were
    "called in by the government". The e5 span test barely moves for it (gains 0.001 and -0.001), but
    neither the translation's words nor the dictionaries' glosses of the foreign words find any of it in
    AFP, and it is unlike every clause of AFP's sentence."""
    if not available("bg", "en"):
        pytest.skip("Apertium's bg-mk and mk-en dictionaries")
    (bead,) = [b for b in seed_alignment.beads if b.src == (1,) and b.tgt == (1,)]
    source, target = seed_alignment.source.sentences[0], seed_alignment.target.sentences[0]
    assert bead.diff is not None
    assert [source.text[s.start : s.end] for s in bead.diff.source] == ["извикани на помощ от правителството"]
    translation = source.translation or ""
    assert [translation[s.start : s.end] for s in bead.diff.translation or ()] == [
        "izvikani of aid of the cabinet"
    ]
    assert [target.text[s.start : s.end] for s in bead.diff.target] == []
