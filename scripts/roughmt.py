"""Rough-MT development cases: edited report pairs with tracked gold, each given with rough and with good MT.

Issue 24: faithful translations lost their links where the MT is poor (Bulgarian through Apertium). The
held-out sets that showed it are not here, so this script makes cases that show the effect. Two families,
each with the same sentence edits (sentences dropped, merged, moved, inserted from another text; the
gold follows every edit), given once with rough MT and once with good MT, so that the difference between
the two rows is the MT's alone:

- textberg: Text+Berg's German/French articles. Good MT: the shipped Google French. Rough MT: the same
  lines degraded as Apertium degrades a translation: names respelt as a transliteration through Cyrillic
  spells them ("Gerrard" -> "Dzherard"), words dropped, words left in German, and short runs of words in
  the German order (a literal rendering).
- apertium: English reports (the seeds) turned into a Serbo-Croatian "foreign report" by Apertium
  (eng-hbs), their names spelt as a Serbian report spells them (Latin letters with diacritics:
  "Džerard"), then edited. Rough MT: Apertium's hbs-eng back into English. Good MT: the English
  sentences each foreign sentence was made from.

Cases in TUNE were looked at while the decision was changed; HELD_OUT only measured. Third-party text is
read from ../shared when the cases are made (bench time), never copied into the repository.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate import Pair
from pipeline.model import Article, Sentence

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTBERG = SHARED / "bench" / "textberg"
SEEDS = SHARED / "seeds"
# English seeds, by the order of their file names; the first two are tuned on, the others held out
ENGLISH_SEEDS = ("000_4edc5930ec3dca38.txt", "002_4518efd50d4bcaac.txt", "003_b248ca9894450f4a.txt",
                 "004_49040e62c2f46939.txt")  # fmt: skip
TUNE = ("textberg 001", "textberg 002", "textberg 003", "textberg 004", "apertium 000", "apertium 002")
SEED = 24
DRAWS = tuple(range(SEED, SEED + 5))  # the bench's edit draws: one draw of three articles is a noisy figure

# Edits per group of source sentences (a gold bead's source side): chances that it is dropped, merged with
# the next, moved elsewhere, or that a sentence of another text is inserted before it. BTA's rewrites of
# AFP do all four, a few in every report.
DROP, MERGE, MOVE, INSERT = 0.06, 0.06, 0.04, 0.06
# Degrading the MT, per word: dropped, left in the source language; per sentence: a run in literal order.
WORD_DROP, UNTRANSLATED, LITERAL = 0.12, 0.12, 0.3


@dataclass(frozen=True)
class Line:
    """One source sentence: its own text, its rough MT and its good MT."""

    text: str
    rough: str
    good: str


@dataclass(frozen=True)
class Group:
    """Source sentences that state one gold bead's target sentences together (none: an addition)."""

    lines: tuple[Line, ...]
    targets: tuple[int, ...]


@dataclass(frozen=True)
class Case:
    """An edited pair: the source with rough MT, with good MT, the target, and the gold beads (0-based)."""

    name: str
    held_out: bool
    rough: Article
    good: Article
    target: Article
    gold: tuple[Pair, ...]


def edited(groups: Sequence[Group], pool: Sequence[Line], rng: random.Random) -> list[Group]:
    """The groups with some dropped, neighbours merged into one sentence, some moved, sentences of `pool`
    inserted (as additions)."""
    out: list[Group] = []
    moved: list[Group] = []
    for group in groups:
        if rng.random() < INSERT and pool:
            out.append(Group((rng.choice(list(pool)),), ()))
        roll = rng.random()
        if group.targets and roll < DROP:
            continue
        if group.targets and roll < DROP + MOVE:
            moved.append(group)
            continue
        previous = out[-1] if out else None
        if previous and _mergeable(previous, group) and roll < DROP + MOVE + MERGE:
            out[-1] = Group((_merged(previous.lines[0], group.lines[0]),), previous.targets + group.targets)
            continue
        out.append(group)
    for group in moved:  # a moved sentence lands anywhere: before or after where it was
        out.insert(rng.randrange(len(out) + 1), group)
    return out


def _mergeable(first: Group, second: Group) -> bool:
    return len(first.lines) == len(second.lines) == 1 and bool(first.targets) and bool(second.targets)


def _merged(first: Line, second: Line) -> Line:
    return Line(f"{first.text} {second.text}", f"{first.rough} {second.rough}", f"{first.good} {second.good}")


def case(name: str, groups: Sequence[Group], target: Article, covered: set[int], lang: str) -> Case:
    """The case of edited groups: source articles (rough and good MT) and the gold, with an omission for
    every target sentence the gold covered (`covered`) that no group states any more."""
    lines = [line for group in groups for line in group.lines]
    gold, at = [], 0
    for group in groups:
        gold.append(Pair(tuple(range(at, at + len(group.lines))), group.targets))
        at += len(group.lines)
    stated = {j for group in groups for j in group.targets}
    gold += [Pair((), (j,)) for j in sorted(covered - stated)]
    texts = [line.text for line in lines]
    return Case(
        name,
        name not in TUNE,
        _article(name, lang, texts, [line.rough for line in lines]),
        _article(name, lang, texts, [line.good for line in lines]),
        target,
        tuple(gold),
    )


def _article(path: str, lang: str, texts: Sequence[str], translations: Sequence[str | None]) -> Article:
    return Article(
        path, lang, tuple(Sentence(k + 1, t, 1, mt) for k, (t, mt) in enumerate(zip(texts, translations)))
    )


# -- Text+Berg with its MT degraded


def textberg_cases(seed: int = SEED) -> list[Case]:
    """Every Text+Berg article edited, with its Google MT and with that MT degraded (edits and degradation
    drawn from `seed`)."""
    articles = sorted(path.stem for path in TEXTBERG.glob("*.gold"))
    return [_textberg_case(name, articles, seed) for name in articles]


def _textberg_case(article: str, articles: Sequence[str], seed: int) -> Case:
    rng = random.Random(f"{seed} textberg {article}")
    de, good, fr = (_lines(TEXTBERG / f"{article}.{suffix}") for suffix in ("de", "mt-google.fr", "fr"))
    lines = [Line(d, degraded(mt, d, rng), mt) for d, mt in zip(de, good)]
    beads = [_gold_line(line) for line in (TEXTBERG / f"{article}.gold").read_text().splitlines() if line]
    groups = [Group(tuple(lines[i] for i in src), tgt) for src, tgt in beads if src]
    other = articles[(articles.index(article) + 1) % len(articles)]
    pool = [
        Line(d, degraded(mt, d, rng), mt)
        for d, mt in zip(*(_lines(TEXTBERG / f"{other}.{s}") for s in ("de", "mt-google.fr")))
    ]
    target = _article(f"{article}.fr", "fr", fr, [None] * len(fr))
    covered = {j for _, tgt in beads for j in tgt}
    return case(f"textberg {article}", edited(groups, pool, rng), target, covered, "de")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _gold_line(line: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    left, right = line.split(":")
    return _ids(left), _ids(right)


def _ids(part: str) -> tuple[int, ...]:
    return tuple(int(x) for x in part.strip()[1:-1].split(",") if x.strip())


_WORD = re.compile(r"\w[\w'’-]*")


def degraded(mt: str, source: str, rng: random.Random) -> str:
    """The MT line as a rough rule-based MT would give it: names respelt, words dropped or left in the
    source's language, a short run of words in the source's order."""
    words = mt.split()
    foreign = [w for w in source.split() if _WORD.fullmatch(w) and len(w) > 3]
    out = []
    for k, word in enumerate(words):
        roll = rng.random()
        if k > 0 and word[:1].isupper() and len(word) >= 3:
            out.append(rough_spelling(word, diacritics=False))
        elif roll < WORD_DROP and len(words) > 3:
            continue
        elif roll < WORD_DROP + UNTRANSLATED and foreign:
            out.append(foreign[min(len(foreign) - 1, k * len(foreign) // max(len(words), 1))])
        else:
            out.append(word)
    if len(out) > 4 and rng.random() < LITERAL:
        at = rng.randrange(len(out) - 3)
        out[at : at + 3] = reversed(out[at : at + 3])
    return " ".join(out)


# -- names respelt as a transliteration spells them

# (pattern, sound) applied in order to the lower-cased name; sounds in capitals are spelt at the end
_SOUNDS = (
    (r"tsch|tch", "C"), (r"sch|sh|ch", "S"), (r"ph", "f"), (r"th", "t"), (r"ck|q", "k"), (r"zh", "Z"),
    (r"j|g(?=[eiy])", "J"), (r"c(?=[eiy])", "ts"), (r"c", "k"), (r"w", "v"), (r"x", "ks"),
    (r"ou|oo", "u"), (r"ee|ie", "i"), (r"[äæ]", "e"), (r"[öø]", "yo"), (r"ü", "yu"), (r"[éèêë]", "e"),
    (r"[àâ]", "a"), (r"ç", "s"), (r"([bdfgklmnprstvz])\1", r"\1"), (r"(?<=[aeiou])y|y(?=[aeiou])", "Y"),
    (r"y", "i"),
)  # fmt: skip
_SPELT = {
    False: {"C": "ch", "S": "sh", "Z": "zh", "J": "dzh", "Y": "y"},  # Bulgarian romanised (Apertium's output)
    True: {"C": "č", "S": "š", "Z": "ž", "J": "dž", "Y": "j"},  # Serbo-Croatian Latin letters
}


def rough_spelling(name: str, diacritics: bool) -> str:
    """The name as heard and spelt again in a Slavic language's letters, e.g. "Gerrard" -> "Dzherard"
    (Bulgarian, romanised) or "Džerard" (Serbo-Croatian)."""
    word = name.lower()
    for pattern, sound in _SOUNDS:
        word = re.sub(pattern, sound, word)
    word = "".join(_SPELT[diacritics].get(ch, ch) for ch in word)
    return word[:1].upper() + word[1:]


# -- English reports through Apertium


def apertium_cases(translate: Callable[[str, str, list[str]], list[str]]) -> list[Case]:
    """The English seeds as Serbo-Croatian reports (names respelt, then Apertium eng-hbs), edited; rough MT
    back through hbs-eng. `translate(from, to, lines)` runs Apertium."""
    from pipeline.ingest.read import read_document
    from pipeline.ingest.segment import segment

    english = {name[:3]: segment(read_document(SEEDS / name, "en")).texts() for name in ENGLISH_SEEDS}
    cases = []
    for key, texts in english.items():
        rng = random.Random(f"{SEED} apertium {key}")
        other = english[min(k for k in english if k != key)]
        foreign = translate("en", "sh", [respelt(line) for line in texts + other])
        rough = translate("sh", "en", foreign)
        lines = [Line(f, r, g) for f, r, g in zip(foreign, rough, texts + other)]
        groups = [Group((line,), (j,)) for j, line in enumerate(lines[: len(texts)])]
        target = _article(f"seed {key}", "en", texts, [None] * len(texts))
        covered = set(range(len(texts)))
        cases.append(case(f"apertium {key}", edited(groups, lines[len(texts) :], rng), target, covered, "sh"))
    return cases


def apertium_lines() -> Callable[[str, str, list[str]], list[str]] | None:
    """translate(from, to, lines) through Debian's Apertium, or None where a mode it needs is missing."""
    from pipeline.errors import ModelError
    from pipeline.translate.apertium import ApertiumTranslator

    try:
        there, back = ApertiumTranslator.load("en", "sh"), ApertiumTranslator.load("sh", "en")
    except ModelError:
        return None
    translators = {("en", "sh"): there, ("sh", "en"): back}
    return lambda source, target, lines: translators[source, target].translate(lines)


def respelt(text: str) -> str:
    """Capitalised words after the first spelt as a Serbian report spells a foreign name (Apertium passes
    a word it does not know through as it is)."""
    words = text.split(" ")
    return " ".join([words[0]] + [_respelt_word(w) for w in words[1:]])


def _respelt_word(word: str) -> str:
    core = _WORD.match(word)
    if not core or not word[:1].isupper() or len(core.group(0)) < 3 or core.group(0).isupper():
        return word
    return rough_spelling(core.group(0), diacritics=True) + word[core.end() :]
