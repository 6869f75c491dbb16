"""Text+Berg in, word-difference cases out: translation pairs, a quarter with a clause one side lacks.

Each case is a gold 1-1 bead of ../shared/bench/textberg (a German sentence, its French machine translation,
its French target sentence). Every fourth pair, in a fixed random order, gets another bead's sentence added:
to the source side (its German text and its MT appended as a clause) or to the target side (its French
sentence appended). The added characters are known, so the words a differ should mark are known.
Text+Berg is read at bench time and never copied into the repository. Beads a person marked as saying
different things (tests/fixtures/word_diff/textberg_1-1.tsv: mostly a photo caption glued into one side
by OCR) are left out: an untouched pair must be a faithful translation, or a differ that finds the
caption counts as wrong.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import Span

TEXTBERG = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg"
TUNE = ("001", "002", "003", "004")
HELD_OUT = ("005", "006", "007")
MIN_WORDS = 6
SEED = 12
ANNOTATION = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "word_diff" / "textberg_1-1.tsv"


@dataclass(frozen=True)
class Case:
    """One pair of bead texts and the spans that were added (None: nothing added on that side)."""

    article: str
    source: str
    translation: str
    target: str
    added_source: Span | None = None
    added_translation: Span | None = None
    added_target: Span | None = None

    @property
    def touched(self) -> bool:
        return self.added_source is not None or self.added_target is not None


def _lines(article: str, suffix: str) -> list[str]:
    return (TEXTBERG / f"{article}.{suffix}").read_text(encoding="utf-8").split("\n")


def one_to_one(article: str, faithful_only: bool = True) -> list[tuple[str, str, str]]:
    """(de, fr MT, fr) of every gold 1-1 bead whose sides have MIN_WORDS words or more, without those
    annotated as saying different things unless `faithful_only` is False."""
    de, mt, fr = _lines(article, "de"), _lines(article, "mt-google.fr"), _lines(article, "fr")
    differing = _differing() if faithful_only else set()
    out = []
    for line in (TEXTBERG / f"{article}.gold").read_text().split("\n"):
        found = re.fullmatch(r"\[(\d+)\]:\[(\d+)\]", line.strip())
        if found:
            i, j = int(found.group(1)), int(found.group(2))
            if min(len(de[i].split()), len(fr[j].split())) >= MIN_WORDS and (article, i, j) not in differing:
                out.append((de[i].strip(), mt[i].strip(), fr[j].strip()))
    return out


def _differing() -> set[tuple[str, int, int]]:
    """(article, src, tgt) of the beads annotated `differs`."""
    rows = [line.split("\t") for line in ANNOTATION.read_text(encoding="utf-8").splitlines()]
    return {(r[0], int(r[1]), int(r[2])) for r in rows if not r[0].startswith("#") and r[3] == "differs"}


def _clause(text: str, extra: str) -> tuple[str, Span]:
    """`text` with `extra` appended as a clause after a comma; the span of `extra`'s words."""
    head = text.rstrip(" .") + ", "
    body = extra.rstrip(" .")
    return head + body + ".", Span(len(head), len(head) + len(body))


def _sentence(text: str, extra: str) -> tuple[str, Span]:
    head = text + " "
    body = extra.rstrip(" .")
    return head + extra, Span(len(head), len(head) + len(body))


def cases(articles: tuple[str, ...], seed: int = SEED, faithful_only: bool = True) -> list[Case]:
    """The pairs of these articles; every fourth (fixed random order) gets a clause, sides alternating.
    Another `seed` draws other pairs and other clauses: more development data from the same articles."""
    out: list[Case] = []
    for article in articles:
        beads = one_to_one(article, faithful_only)
        order = list(range(len(beads)))
        random.Random(f"{seed}:{article}").shuffle(order)
        for rank, index in enumerate(order):
            de, mt, fr = beads[index]
            if rank % 4 != 0 or len(beads) < 3:
                out.append(Case(article, de, mt, fr))
                continue
            other = beads[order[(rank + len(beads) // 2) % len(beads)]]
            if rank % 8 == 0:
                source, at_source = _clause(de, other[0])
                translation, at_translation = _clause(mt, other[1])
                out.append(Case(article, source, translation, fr, at_source, at_translation))
            else:
                target, at_target = _sentence(fr, other[2])
                out.append(Case(article, de, mt, target, added_target=at_target))
    return out


if __name__ == "__main__":
    for name, articles in (("tune", TUNE), ("held out", HELD_OUT)):
        built = cases(articles)
        print(f"{name}: {len(built)} pairs, {sum(c.touched for c in built)} with an added clause")
