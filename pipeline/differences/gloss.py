"""Foreign words in, their English dictionary lemmas out: Apertium's analyser and dictionaries via lt-proc.

For Bulgarian there is no bg-en dictionary; bg->mk (apertium-mkd-bul) then mk->en (apertium-mkd-eng) gives
several English candidates per Bulgarian word ("стачки" -> стачка -> штрајк -> strike). Each word is looked
up once per Glosser (a batch worker keeps its Glosser).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

APERTIUM = Path("/usr/share/apertium")
# (analyser, [bilingual dictionaries in order]) per (source, English); the lemma and tags pass through each.
CHAINS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bg": (
        "apertium-mkd-bul/bul-mkd.automorf.bin",
        ("apertium-mkd-bul/bul-mkd.autobil.bin", "apertium-mkd-eng/mkd-eng.autobil.bin"),
    ),
    "mk": ("apertium-mkd-eng/mkd-eng.automorf.bin", ("apertium-mkd-eng/mkd-eng.autobil.bin",)),
}
_UNIT = re.compile(r"\^(.*?)\$")


@cache
def available(source_lang: str, target_lang: str) -> bool:
    """Whether this machine has the dictionaries to gloss `source_lang` words in `target_lang` (looked up
    once per process: the differ asks for every pair and every kept span)."""
    chain = CHAINS.get(source_lang)
    if target_lang != "en" or chain is None or shutil.which("lt-proc") is None:
        return False
    return all((APERTIUM / path).exists() for path in (chain[0], *chain[1]))


@dataclass
class Glosser:
    """English lemma candidates of foreign words, cached per word."""

    lang: str
    _cache: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def gloss(self, words: Sequence[str]) -> dict[str, frozenset[str]]:
        """Each word -> the lowercased English lemmas the dictionaries give it (empty when unknown)."""
        missing = list(dict.fromkeys(w for w in words if w not in self._cache))
        if missing:
            self._cache.update(zip(missing, self._lookup(missing)))
        return {w: self._cache[w] for w in words}

    def _lookup(self, words: list[str]) -> list[frozenset[str]]:
        analyser, dictionaries = CHAINS[self.lang]
        analyses = [_readings(unit) for unit in _units(_lt_proc(analyser, "\n".join(words)), len(words))]
        for dictionary in dictionaries:
            analyses = _through(dictionary, analyses)
        return [frozenset(lemma for r in readings for lemma in _lemmas(r)) for readings in analyses]


def _through(dictionary: str, analyses: list[list[str]]) -> list[list[str]]:
    """Every reading of every word through one bilingual dictionary, in one lt-proc call."""
    flat = [(i, reading) for i, readings in enumerate(analyses) for reading in readings]
    if not flat:
        return [[] for _ in analyses]
    text = "\n".join(f"^{reading}$" for _, reading in flat)
    out: list[list[str]] = [[] for _ in analyses]
    for (i, _), unit in zip(flat, _units(_lt_proc(dictionary, text, "-b"), len(flat))):
        out[i].extend(_readings(unit))
    return out


def _lt_proc(path: str, text: str, *flags: str) -> str:
    done = subprocess.run(
        ["lt-proc", *flags, str(APERTIUM / path)],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _units(output: str, expected: int) -> list[str]:
    """lt-proc's ^...$ units, one per input line (an input line that yields none gets an empty unit)."""
    lines = [line for line in output.split("\n")][:expected]
    units = [(_UNIT.findall(line) or [""])[0] for line in lines]
    return units + [""] * (expected - len(units))


def _readings(unit: str) -> list[str]:
    """The analyses or translations of a unit, without unknown (*, @, #) ones."""
    return [r for r in unit.split("/")[1:] if r and r[0] not in "*@#"]


def _lemmas(reading: str) -> set[str]:
    """The lowercased lemma of a reading and, for a multiword one ("call# for"), its head word."""
    lemma = reading.split("<", 1)[0].replace("#", "").replace("+", " ").strip().lower()
    return {lemma, lemma.split()[0]} if lemma else set()
