"""The labelled same-fact pairs: ECB+ and STS headlines, train and dev splits, read from
../shared/data/same-fact (never copied; their test splits are not on this machine), and the embedders the
fitting script and the bench share (rows cached on disk under .cache/, so a rerun embeds nothing).

Train pairs also get contrasts (`contrasts`): a same-event ECB+ pair whose second sentence has one shared
number, or one shared name, changed to another - the same opening with a different number or actor, which
states a different fact. ECB+ holds few such pairs of its own, and they are what a fact-checker must not
be told are one claim.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.align.embed import DiskCached  # noqa: E402
from pipeline.facts.decision import Judge  # noqa: E402
from pipeline.facts.words import statement  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "same-fact"
ECBPLUS = DATA / "ecbplus" / "pairs.tsv"
STS = DATA / "sts-headlines" / "headlines_en.tsv"
CONTRASTS = 600  # of each kind (number, name), drawn from the train positives with a fixed seed
_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass(frozen=True)
class Pairs:
    """Sentence pairs, their labels (1: same fact), the story each belongs to, and the source's own kind."""

    first: list[str]
    second: list[str]
    labels: np.ndarray
    stories: list[str]
    kinds: list[str]  # ECB+ pair_type; STS: the 0-5 score as text
    stories_column: bool = True  # whether `newsalign pairs` is given the stories (False: one per file)

    def __add__(self, other: Pairs) -> Pairs:
        return Pairs(
            self.first + other.first,
            self.second + other.second,
            np.concatenate([self.labels, other.labels]),
            self.stories + other.stories,
            self.kinds + other.kinds,
        )


def _rows(path: Path, split: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["split"] == split]


@lru_cache(None)
def ecbplus(split: str) -> Pairs:
    """ECB+ pairs of one split; a story is a topic (two real events of one kind, many articles)."""
    rows = _rows(ECBPLUS, split)
    return Pairs(
        [r["sentence_a"] for r in rows],
        [r["sentence_b"] for r in rows],
        np.array([int(r["label"]) for r in rows]),
        [f"ecb+ topic {r['topic']}" for r in rows],
        [r["pair_type"] for r in rows],
    )


@lru_cache(None)
def sts(split: str) -> Pairs:
    """STS headline pairs of one split; a pair is a story of its own (headlines of many stories, unnamed)."""
    rows = _rows(STS, split)
    return Pairs(
        [r["sentence_a"] for r in rows],
        [r["sentence_b"] for r in rows],
        np.array([int(r["label"]) for r in rows]),
        [r["id"] for r in rows],
        [r["score"] for r in rows],
        stories_column=False,
    )


def contrasts(pairs: Pairs) -> Pairs:
    """Different-fact twins of same-fact pairs, labelled 0, in the same story: one shared number, or one
    shared name, of the second sentence changed (a number to another value, a name to one of another
    story), against the first sentence and against the second sentence itself (the same words around another
    number or actor); and, labelled 1, a second sentence against itself, so that the model learns that
    what the twins lack is the number or the name, not the words."""
    rng = np.random.default_rng(0)
    names = sorted({n for text in pairs.second for n in _name_words(text)})
    made: dict[str, list[tuple[str, str, str]]] = {"number": [], "name": [], "itself": []}
    for k in rng.permutation(len(pairs.first)):
        if not pairs.labels[k] or len(made["itself"]) >= CONTRASTS:
            continue
        a, b, story = pairs.first[k], pairs.second[k], pairs.stories[k]
        number = _other_number(a, b) or _other_number(b, b)
        name = _other_name(a, b, names, rng) or _other_name(b, b, names, rng)
        for kind, changed in (("number", number), ("name", name)):
            if changed and len(made[kind]) < 2 * CONTRASTS:
                made[kind] += [(a, changed, story), (b, changed, story)]
        if number or name:
            made["itself"].append((b, b, story))
    rows = made["number"] + made["name"] + made["itself"]
    kinds = [f"contrast {kind}" for kind in made for _ in made[kind]]
    return Pairs(
        [a for a, _, _ in rows],
        [b for _, b, _ in rows],
        np.array([int(kind == "contrast itself") for kind in kinds]),
        [s for _, _, s in rows],
        kinds,
    )


def _other_number(a: str, b: str) -> str | None:
    shared = statement(a).numbers & statement(b).numbers
    for match in _DIGITS.finditer(b):
        value = float(match.group().replace(",", ""))
        if value in shared and not 1900 <= value <= 2100:
            other = value + max(3, round(value * 0.5))
            text = f"{other:,.0f}" if "," in match.group() else f"{other:g}"
            return b[: match.start()] + text + b[match.end() :]
    return None


def _other_name(a: str, b: str, names: list[str], rng) -> str | None:
    shared = {w for w in _name_words(b) if w[:5].lower() in statement(a).names}
    if not shared:
        return None
    word = sorted(shared)[0]
    others = [n for n in names if n[:5].lower() not in statement(a).names | statement(b).names]
    if not others:
        return None
    return re.sub(rf"\b{re.escape(word)}\b", others[int(rng.integers(len(others)))], b, count=1)


def _name_words(text: str) -> list[str]:
    from wordfreq import zipf_frequency

    from pipeline.align.signals import names

    # names, not capitalised common words ("Dairy", "Ruling"): rare as English words
    return [w for w in names(text) if w.isalpha() and zipf_frequency(w.lower(), "en") < 3.5]


@lru_cache(None)
def judge() -> Judge:
    """The decision with both embedders, their rows cached on disk."""
    from pipeline.align.embed import load_embedder
    from pipeline.facts.minilm import load_minilm

    general, _ = load_embedder("auto")
    folder = REPO / ".cache" / "embeddings"
    return Judge(
        DiskCached(general, folder) if general is not None else None, DiskCached(load_minilm(), folder)
    )
