"""Two sides' words in, which words have a counterpart on the other side out — on evidence that survives a
rough translation: the word and its lemma (simplemma), dictionary glosses, transliterated names,
numbers written in digits or in words, and spellings alike (cognates, names spelt two ways)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.differences.settings import DIFFERENCES
from pipeline.script import has_cyrillic, to_latin

_WORD = re.compile(r"\w+(?:[-'’.]\w+|,\d+)*")

ENGLISH_FUNCTION_WORDS = frozenset(
    """
a an the and or but nor so yet of to in on at by for with from into onto over under about as than then
that this these those there here it its it's is are was were be been being am has have had do does did
will would shall should can could may might must not no he she they we you i him her them us me his hers
their our your my who whom whose which what when where while also s t just very
""".split()
)

# Numbers written as words, by language: the value they stand for (digits are read as they are).
NUMBER_WORDS: dict[str, dict[str, str]] = {
    "en": dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
            "hundred thousand million billion".split(),
            "1 2 3 4 5 6 7 8 9 10 11 12 20 30 40 50 100 1000 1000000 1000000000".split(),
        )
    ),
    "bg": dict(
        zip(
            "един една едно два две три четири пет шест седем осем девет десет двадесет сто хиляда "
            "хиляди милион милиона милиард милиарда".split(),
            "1 1 1 2 2 3 4 5 6 7 8 9 10 20 100 1000 1000 1000000 1000000 1000000000 1000000000".split(),
        )
    ),
    "fr": dict(
        zip(
            "un une deux trois quatre cinq six sept huit neuf dix vingt cent mille million milliard".split(),
            "1 1 2 3 4 5 6 7 8 9 10 20 100 1000 1000000 1000000000".split(),
        )
    ),
    "de": dict(
        zip(
            "ein eine eins zwei drei vier fünf sechs sieben acht neun zehn zwanzig hundert tausend "
            "million millionen".split(),
            "1 1 1 2 3 4 5 6 7 8 9 10 20 100 1000 1000000 1000000".split(),
        )
    ),
}


# Words that name a day, by language: a weekday (mon ... sun) or a day relative to the report's own date
# ("rel"). Two reports of one story seldom date an event alike: AFP's "on Thursday" is BTA's "yesterday" when
# BTA wrote a day later. With the reports' dates unknown, a relative day agrees with any day word of the
# other side; two weekdays only when they are the same day.
_RELATIVE = "rel"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _days(relative: str, weekdays: str) -> dict[str, str]:
    return {**dict.fromkeys(relative.split(), _RELATIVE), **dict(zip(weekdays.split(), _WEEKDAYS))}


DAY_WORDS: dict[str, dict[str, str]] = {
    "en": _days(
        "yesterday today tomorrow tonight", "monday tuesday wednesday thursday friday saturday sunday"
    ),
    "bg": _days("вчера днес утре довечера снощи", "понеделник вторник сряда четвъртък петък събота неделя"),
    "de": _days("gestern heute vorgestern", "montag dienstag mittwoch donnerstag freitag samstag sonntag"),
    "fr": _days("hier aujourd'hui demain avant-hier", "lundi mardi mercredi jeudi vendredi samedi dimanche"),
}


@dataclass(frozen=True)
class Word:
    """One word of a text and where it lies."""

    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of a text with their character offsets (punctuation is not a word)."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@cache
def function_words(lang: str) -> frozenset[str]:
    """Words that carry no content of their own: a short list for English; for the others, the words of
    stopwordsiso's list that are frequent enough (function_word_min_zipf), or the whole list where wordfreq
    does not know the language."""
    if lang == "en":
        return ENGLISH_FUNCTION_WORDS
    stored = _stored_function_words(lang)
    if stored is not None:
        return stored
    import stopwordsiso
    import wordfreq

    listed = frozenset(stopwordsiso.stopwords(lang)) if stopwordsiso.has_lang(lang) else frozenset()
    try:
        found = frozenset(
            w for w in listed if wordfreq.zipf_frequency(w, lang) >= DIFFERENCES.function_word_min_zipf
        )
    except LookupError:  # no frequency list for the language
        found = listed
    _store_function_words(lang, found)
    return found


def _function_words_file(lang: str):
    """Where a language's function words are kept between runs: loading wordfreq for a few hundred look-ups
    costs 0.2-1 s a process. Keyed on the threshold and both packages' versions."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.translate.cache import cache_dir  # the one cache setting of the project

    folder = cache_dir()
    try:
        versions = f"{version('stopwordsiso')}-{version('wordfreq')}"
    except PackageNotFoundError:
        return None
    key = f"{lang}-{DIFFERENCES.function_word_min_zipf}-{versions}"
    return folder / "function-words" / f"{key}.json" if folder is not None else None


def _stored_function_words(lang: str) -> frozenset[str] | None:
    import json

    path = _function_words_file(lang)
    with contextlib.suppress(OSError, ValueError, TypeError):
        return frozenset(json.loads(path.read_text(encoding="utf-8"))) if path is not None else None
    return None


def _store_function_words(lang: str, words: frozenset[str]) -> None:
    import json
    import os

    path = _function_words_file(lang)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(sorted(words), ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)


@lru_cache(maxsize=65536)
def keys(word: str, lang: str) -> frozenset[str]:
    """What a word can be matched by: its lowercase form, its lemma, its number value, its Latin spelling."""
    import simplemma

    lower = word.lower()
    out = {lower, _number(lower, lang), *_day(lower, lang)}
    # "l'hameçon" and "mur-nord-est" also stand for their parts ("l' hameçon", "mur nord est")
    for part in [lower, *re.split(r"[-'’]", lower)[1:]] if re.search(r"[-'’]", lower) else [lower]:
        out.add(part)
        with contextlib.suppress(ValueError):  # simplemma does not know the language: the word must do
            out.add(simplemma.lemmatize(part, lang).lower())
    if has_cyrillic(lower):
        out.add(to_latin(lower, lang))
    return frozenset(k for k in out if k)


def _day(lower: str, lang: str) -> tuple[str, ...]:
    """Keys a day word shares with the day words it can mean the same day as (DAY_WORDS): a weekday its own,
    a relative day every weekday's and the relative days' own."""
    day = DAY_WORDS.get(lang, {}).get(lower)
    if day is None:
        return ()
    if day == _RELATIVE:
        return ("<day:rel>", *(f"<day:{weekday}>" for weekday in _WEEKDAYS))
    return (f"<day:{day}>",)


def _number(lower: str, lang: str) -> str:
    digits = lower.replace(",", "").replace(".", "").replace(" ", "")
    if digits.isdigit():
        return str(int(digits))
    return NUMBER_WORDS.get(lang, {}).get(lower, "")


def word_keys(
    items: list[Word], lang: str, glosses: Mapping[str, frozenset[str]] | None = None, gloss_lang: str = "en"
) -> list[frozenset[str]]:
    """Each word's keys, with its dictionary glosses (and their keys in `gloss_lang`) when given."""
    out = []
    for w in items:
        found = set(keys(w.text, lang))
        for lemma in (glosses or {}).get(w.text, ()):
            found |= keys(lemma, gloss_lang)
        out.append(frozenset(found))
    return out


def counterparts(left: list[frozenset[str]], right: list[frozenset[str]]) -> set[int]:
    """Indexes of the left words that share a key with a right word, or are spelt like one."""
    pool = set().union(*right) if right else set()
    found = {i for i, k in enumerate(left) if k & pool}
    spelt = _alike([k for i, k in enumerate(left) if i not in found], pool)
    rest = [i for i in range(len(left)) if i not in found]
    return found | {rest[n] for n in spelt}


def _alike(left: list[frozenset[str]], pool: set[str]) -> set[int]:
    from rapidfuzz import fuzz, process

    shortest, stem = DIFFERENCES.spelling_min_length, DIFFERENCES.stem_min_length
    long_pool = [p for p in pool if len(p) >= shortest]
    stems = {p[:stem] for p in long_pool if len(p) >= stem}
    out = set()
    for n, found in enumerate(left):
        for key in found:
            if len(key) >= shortest and (
                _derived(key, stems, long_pool)
                or process.extractOne(
                    key, long_pool, scorer=fuzz.ratio, score_cutoff=DIFFERENCES.spelling_min
                )
                is not None
            ):
                out.add(n)
                break
    return out


def _derived(key: str, stems: set[str], pool: list[str]) -> bool:
    """Whether the key begins a word of the pool or one begins it (of stem_min_length letters or more)."""
    stem = DIFFERENCES.stem_min_length
    if len(key) < stem or key[:stem] not in stems:
        return False
    return any(p.startswith(key) or key.startswith(p) for p in pool if len(p) >= stem)
