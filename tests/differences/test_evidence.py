import sys

import pytest

from pipeline.differences import evidence
from pipeline.differences.evidence import Word, counterparts, word_keys, words


@pytest.mark.parametrize(
    "left, left_lang, right, right_lang, found",
    [
        ("Аблязов", "bg", "Ablyazov", "en", {0}),  # a name transliterated
        ("Назарбаев", "bg", "Nazarbayev", "en", {0}),  # transliterated, spelt a little differently
        ("three", "en", "3", "en", {0}),  # a number written out
        ("3,000", "en", "3000", "en", {0}),  # digits grouped or not
        ("три", "bg", "3", "en", {0}),
        ("strikes", "en", "strike", "en", {0}),  # the lemma
        ("l'hameçon", "fr", "l' hameçon", "fr", {0}),  # an elision split differently
        ("strikes", "en", "roads", "en", set()),
        ("", "en", "anything", "en", set()),
        # a day relative to the report's date agrees with any day word (the reports' dates are unknown) ...
        ("yesterday", "en", "on Thursday (6)", "en", {0}),
        ("вчера", "bg", "on Thursday", "en", {0}),
        ("today", "en", "yesterday", "en", {0}),
        ("Thursday", "en", "yesterday", "en", {0}),
        # ... two weekdays only when they are the same day
        ("четвъртък", "bg", "on Thursday", "en", {0}),
        ("Monday", "en", "on Thursday", "en", set()),
        ("понеделник", "bg", "on Thursday", "en", set()),
    ],
    ids=[
        "translit",
        "translit-spelling",
        "number-word",
        "digits",
        "number-bg",
        "lemma",
        "elision",
        "other",
        "empty",
        "yesterday-thursday",
        "bg-yesterday-thursday",
        "today-yesterday",
        "thursday-yesterday",
        "same-weekday",
        "other-weekday",
        "bg-other-weekday",
    ],
)
def test_counterparts(left, left_lang, right, right_lang, found):
    left_keys = word_keys(words(left), left_lang)
    assert counterparts(left_keys, word_keys(words(right), right_lang)) == found


def test_glosses_add_their_lemmas():
    keys = word_keys(words("стачки"), "bg", {"стачки": frozenset({"strike"})})
    assert counterparts(keys, word_keys(words("the strikes"), "en")) == {0}
    assert counterparts(word_keys(words("стачки"), "bg"), word_keys(words("the strikes"), "en")) == set()


def test_words_keep_their_offsets():
    assert words("Hi, l'ami - 3,5!") == [Word("Hi", 0, 2), Word("l'ami", 4, 9), Word("3,5", 12, 15)]


@pytest.mark.parametrize(
    "lang, word, expected",
    [
        ("en", "the", True),
        ("en", "strike", False),
        ("bg", "и", True),
        ("fr", "les", True),
        ("fr", "essai", False),  # in the stop list, but a content word: not frequent enough
        ("xx", "the", False),
    ],
)
def test_function_words(lang, word, expected):
    assert (word in evidence.function_words(lang)) is expected


def test_function_words_are_kept_between_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    evidence.function_words.cache_clear()
    first = evidence.function_words("fr")
    assert "le" in first and "essai" not in first
    assert len(list(tmp_path.glob("function-words/fr-*.json"))) == 1
    evidence.function_words.cache_clear()
    monkeypatch.setitem(sys.modules, "wordfreq", None)  # a later run reads the file, wordfreq unloaded
    assert evidence.function_words("fr") == first
    evidence.function_words.cache_clear()
