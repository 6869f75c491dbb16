"""Links in, labelled Beads out: match, partial (with the differing words), addition, omission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pipeline.model import Article, Bead, Kind, Link, WordDiff, joined

# A two-sided bead is `partial` when this share of one side's words has no counterpart
# on the other (word alignment), or, with no word alignment, when its score is this low.
PARTIAL_UNMATCHED_SHARE = 0.25
PARTIAL_MIN_WORDS = 3
PARTIAL_SCORE = 0.5
# Below this score an aligned pair is flagged for review (TMX note, XLIFF state, HTML mark).
LOW_CONFIDENCE = 0.5


class WordDiffer(Protocol):
    """What labelling needs of a word aligner: each (translation, target) pair's words without counterpart."""

    name: str

    def diff(self, pairs: Sequence[tuple[str, str]]) -> list[WordDiff]: ...


def label(
    source: Article, target: Article, links: Sequence[Link], words: WordDiffer | None = None
) -> tuple[Bead, ...]:
    """One Bead per Link, in the aligner's order."""
    diffs = _word_diffs(source, target, links, words)
    return tuple(_bead(link, diffs.get(i), source, target) for i, link in enumerate(links))


def _word_diffs(
    source: Article, target: Article, links: Sequence[Link], words: WordDiffer | None
) -> dict[int, WordDiff]:
    """Word differences of every two-sided link whose source side is translated (one batched call)."""
    if words is None:
        return {}
    translated = ((i, _translation(source, link)) for i, link in enumerate(links) if link.src and link.tgt)
    wanted = {i: translation for i, translation in translated if translation is not None}
    pairs = [(translation, _target_text(target, links[i])) for i, translation in wanted.items()]
    return dict(zip(wanted, words.diff(pairs))) if pairs else {}


def _bead(link: Link, diff: WordDiff | None, source: Article, target: Article) -> Bead:
    if not link.tgt:
        return Bead(link.src, link.tgt, Kind.ADDITION, link.score)
    if not link.src:
        return Bead(link.src, link.tgt, Kind.OMISSION, link.score)
    if diff is None:
        kind = Kind.PARTIAL if link.score < PARTIAL_SCORE else Kind.MATCH
        return Bead(link.src, link.tgt, kind, link.score)
    sides = ((diff.source, _translation(source, link) or ""), (diff.target, _target_text(target, link)))
    kind = Kind.PARTIAL if any(_says_more(spans, text) for spans, text in sides) else Kind.MATCH
    return Bead(link.src, link.tgt, kind, link.score, diff if kind is Kind.PARTIAL else None)


def _says_more(spans, text: str) -> bool:
    unmatched = sum(len(text[s.start : s.end].split()) for s in spans)
    return unmatched >= PARTIAL_MIN_WORDS and unmatched >= PARTIAL_UNMATCHED_SHARE * max(1, len(text.split()))


def _translation(source: Article, link: Link) -> str | None:
    parts = [source.sentences[i - 1].translation for i in link.src]
    translated = [p for p in parts if p is not None]
    return joined(translated) if len(translated) == len(parts) else None


def _target_text(target: Article, link: Link) -> str:
    return joined([target.sentences[j - 1].text for j in link.tgt])


SETTINGS = (
    ("partial_unmatched_share", PARTIAL_UNMATCHED_SHARE),
    ("partial_min_words", float(PARTIAL_MIN_WORDS)),
    ("partial_score", PARTIAL_SCORE),
    ("low_confidence", LOW_CONFIDENCE),
)
