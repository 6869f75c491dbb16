"""An English sentence in, what a fact is made of out: content lemmas (weighted by rarity), actions (verb
lemmas), names, numbers and dates.

Every report reaches the same-fact decision in English (the pivot language), so the evidence is English:
lemmas by simplemma, rarity by wordfreq (a word's Zipf frequency: 7 is "the", 1 one in a billion words),
actions by the verb forms of lemminflect's English lexicon (its table is read directly: importing the
package would import spaCy, seconds of loading for a dictionary lookup).
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

from pipeline.align.settings import ALIGN
from pipeline.align.signals import names
from pipeline.differences.evidence import NUMBER_WORDS
from pipeline.facts.settings import FACTS

# Verbs that carry no action of their own: auxiliaries, and the reporting verbs every news sentence has
# (ECB+ leaves reporting verbs out of its events too).
LIGHT_VERBS = frozenset(
    "be have do will would shall should can could may might must get make go take "
    "say tell report add state accord cite quote".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# "May" and "March" are months only when capitalised (see _months); the rest in any case
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Statement:
    """What one sentence says, as the same-fact decision compares it."""

    content: frozenset[str]  # lemmas of its content words (not function words, not numbers)
    actions: frozenset[str]  # lemmas of its verbs, light verbs left out
    names: frozenset[str]  # capitalised words after the first, as Latin prefixes (weekdays, months aside)
    numbers: frozenset[float]  # in digits or words, years aside
    dates: frozenset[str]  # weekdays, months and years named


@lru_cache(maxsize=65536)
def statement(text: str) -> Statement:
    """The sentence's evidence (cached: a story's sentences meet every sentence of the other reports)."""
    import simplemma

    words = [w.lower() for w in _WORD.findall(text)]
    function = _function_words()
    lemmas = {w: simplemma.lemmatize(w, lang="en").lower() for w in words}
    content = frozenset(
        lemmas[w] for w in words if w not in function and lemmas[w] not in function and len(w) > 1
    )
    verbs = _verbs()
    actions = frozenset(verbs[w] for w in words if w in verbs and verbs[w] not in LIGHT_VERBS)
    numbers, years = _numbers(text, words)
    dates = frozenset(w for w in words if w in WEEKDAYS) | _months(text) | years
    calendar = {w[: ALIGN.name_prefix] for w in WEEKDAYS | MONTHS}
    named = frozenset(n.lower()[: ALIGN.name_prefix] for n in names(text) + _opening_name(text)) - calendar
    return Statement(content - WEEKDAYS - MONTHS, actions, named, numbers, dates)


@cache
def rarity(lemma: str) -> float:
    """How rare a lemma is in English: FACTS.rarity_ceiling less its Zipf frequency, at least 0."""
    from wordfreq import zipf_frequency

    return max(0.0, FACTS.rarity_ceiling - zipf_frequency(lemma, "en"))


def _numbers(text: str, words: list[str]) -> tuple[frozenset[float], frozenset[str]]:
    """Numbers in digits ("1,000", "2.5") or words ("fifty"), and apart from them the years ("2019")."""
    found, years = set(), set()
    for match in _NUMBER.findall(text):
        if _YEAR.match(match):
            years.add(match)
        else:
            found.add(float(match.replace(",", "")))
    spelt = NUMBER_WORDS["en"]
    found |= {float(spelt[w]) for w in words if w in spelt}
    return frozenset(found), frozenset(years)


def _opening_name(text: str) -> list[str]:
    """The sentence's first word when it reads as a name: capitalised and rare as an English word."""
    from wordfreq import zipf_frequency

    first = _WORD.search(text)
    if first is None or not first.group()[:1].isupper() or len(first.group()) < 3:
        return []
    return (
        [first.group()] if zipf_frequency(first.group().lower(), "en") < FACTS.opening_name_max_zipf else []
    )


def _months(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() in MONTHS and w[0].isupper())


@cache
def _function_words() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("en"))


@cache
def _verbs() -> dict[str, str]:
    """English forms that can only be verbs in lemminflect's lexicon, with their lemma ("fled" -> "flee",
    "killed" -> "kill"); a form that may also be a noun or an adjective ("police", "protests", "blast") is
    no sure action without a tagger, and is left to the content words. Empty without lemminflect."""
    spec = find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        return {}
    table = Path(list(spec.submodule_search_locations)[0]) / "resources" / "lemma_lu.csv.gz"
    verbs: dict[str, str] = {}
    other: set[str] = set()
    with gzip.open(table, "rt", encoding="utf-8") as rows:
        for form, category, lemmas, *_ in csv.reader(rows):
            if category in ("verb", "aux"):
                verbs.setdefault(form.lower(), lemmas.split("/")[0].lower())
            else:
                other.add(form.lower())
    return {form: lemma for form, lemma in verbs.items() if form not in other}
