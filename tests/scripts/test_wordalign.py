"""scripts/wordalign.py, the bench's SimAlign baseline: words without counterpart, via MiniLM."""

from __future__ import annotations

import builtins

import pytest

from pipeline.model import Span, WordDiff

from wordalign import Word, WordAligner, surface_links, unlinked_spans, words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("  ,.! ", []),
        (
            "Hi, U.S. 1.5 well-known don't.",
            [
                Word("Hi", 0, 2),
                Word("U.S", 4, 7),
                Word("1.5", 9, 12),
                Word("well-known", 13, 23),
                Word("don't", 24, 29),
            ],
        ),
        ("Абу Даби", [Word("Абу", 0, 3), Word("Даби", 4, 8)]),
    ],
)
def test_words(text: str, expected: list[Word]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "text, linked, expected",
    [
        ("", set(), ()),
        ("He left for Abu Dhabi.", {0, 1, 2, 3, 4}, ()),
        ("He left for Abu Dhabi.", {0, 1}, (Span(12, 21),)),  # "Abu Dhabi": one run, "for" trimmed
        ("in the late 1990s, as", set(), (Span(7, 17),)),  # function words trimmed from both ends
        ("He left for Abu Dhabi.", {0, 1, 3, 4}, ()),  # a lone "for" is rewording
        ("Troops, called to help, came.", {0, 4}, (Span(8, 22),)),  # punctuation inside a run is covered
        ("Abu said the and Dhabi said", {1, 2, 3, 5}, (Span(0, 3), Span(17, 22))),
    ],
)
def test_unlinked_spans(text: str, linked: set[int], expected: tuple[Span, ...]) -> None:
    assert unlinked_spans(text, words(text), linked) == expected


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("", "", (set(), set())),
        ("Muhtar Ablyazov said", "Mukhtar Ablyazov told", ({0, 1}, {0, 1})),
        ("Tokaev of the", "Tokayev OF", ({0, 1}, {0, 1})),
        ("cat", "cats", (set(), set())),  # short words must be spelt the same
    ],
)
def test_surface_links(left: str, right: str, expected: tuple[set[int], set[int]]) -> None:
    assert surface_links(words(left), words(right)) == expected


def test_load_says_why_when_simalign_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_simalign(name: str, *args, **kwargs):
        if name == "simalign":
            raise ImportError("No module named 'simalign'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_simalign)
    assert WordAligner.load() == (None, "word aligner unavailable: ImportError: No module named 'simalign'")


@pytest.fixture(scope="module")
def aligner() -> WordAligner:
    loaded, why_not = WordAligner.load()
    if loaded is None:
        pytest.skip(why_not or "word aligner unavailable")
    return loaded


def _marked(pair: tuple[str, str], diff: WordDiff) -> tuple[list[str], list[str]]:
    return [pair[0][s.start : s.end] for s in diff.source], [pair[1][s.start : s.end] for s in diff.target]


@pytest.mark.slow
def test_name(aligner: WordAligner) -> None:
    assert aligner.name == "simalign:all-MiniLM-L6-v2:layer6:itermax>0.8+spelling"


@pytest.mark.slow
@pytest.mark.parametrize(
    "pair, expected",
    [
        (("Protests in Almaty continued on Friday.", "Protests in Almaty continued on Friday."), ([], [])),
        (
            (
                "Troops from Russia, called to help by the government, arrived on Thursday.",
                "Russian troops arrived on Thursday.",
            ),
            (["called to help by the government"], []),
        ),
        (
            (
                "The president asked for help from his allies.",
                "The president asked his allies for help, the government said.",
            ),
            ([], ["government said"]),
        ),
        (("", "Only English."), ([], ["Only English"])),
        (("", ""), ([], [])),
    ],
    ids=["same", "added", "dropped", "empty-translation", "both-empty"],
)
def test_diff(aligner: WordAligner, pair: tuple[str, str], expected: tuple[list[str], list[str]]) -> None:
    assert _marked(pair, aligner.diff([pair])[0]) == expected


@pytest.mark.slow
def test_batches_give_the_same_result_as_single_pairs(aligner: WordAligner) -> None:
    pairs = [("He left for Abu Dhabi on a private plane.", "He left."), ("A b c.", "A b c.")] * 20
    assert aligner.diff(pairs) == [aligner.diff([p])[0] for p in pairs[:2]] * 20


@pytest.mark.slow
def test_no_pairs(aligner: WordAligner) -> None:
    assert aligner.diff([]) == []
