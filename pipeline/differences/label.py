"""Links in, labelled Beads out: match, partial (with the differing words), addition, omission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pipeline.differences.settings import DIFFERENCES
from pipeline.differences.spans import PairText, balanced
from pipeline.model import Article, Bead, Kind, Link, Span, WordDiff


class WordDiffer(Protocol):
    """What labelling needs of a word differ: for each bead's texts, the words each side says alone."""

    name: str

    def diff(self, pairs: Sequence[PairText]) -> list[WordDiff]: ...


def label(
    source: Article, target: Article, links: Sequence[Link], words: WordDiffer | None = None
) -> tuple[Bead, ...]:
    """One Bead per Link, in the aligner's order."""
    diffs = _word_diffs(source, target, links, words)
    return tuple(_bead(link, diffs.get(i), source, target) for i, link in enumerate(links))


def _word_diffs(
    source: Article, target: Article, links: Sequence[Link], words: WordDiffer | None
) -> dict[int, WordDiff]:
    """Word differences of every two-sided link whose words can be compared: both reports in one language,
    or the source side translated (one batched call)."""
    if words is None:
        return {}
    same = source.lang == target.lang
    wanted = [
        i
        for i, link in enumerate(links)
        if link.src and link.tgt and (same or source.joined_translation(link.src) is not None)
    ]
    pairs = [_pair_text(source, target, links[i]) for i in wanted]
    return dict(zip(wanted, map(_whole_marks, pairs, words.diff(pairs)))) if pairs else {}


def _whole_marks(pair: PairText, diff: WordDiff) -> WordDiff:
    """The diff with no span cutting a bracket or quote open (spans.balanced): "AFP on Thursday (6" shows
    as "AFP on Thursday (6)"."""

    def side(text: str, cuts: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(dict.fromkeys(b for cut in cuts if (b := balanced(text, cut)) is not None))

    translation = diff.translation
    return WordDiff(
        source=side(pair.source, diff.source),
        translation=None if translation is None else side(pair.translation or "", translation),
        target=side(pair.target, diff.target),
    )


def _pair_text(source: Article, target: Article, link: Link) -> PairText:
    """A bead's texts; no translation when the source is in the target's language (or untranslated)."""
    translation = source.joined_translation(link.src) if source.lang != target.lang else None
    return PairText(
        source.joined_text(link.src), translation, target.joined_text(link.tgt), source.lang, target.lang
    )


def _bead(link: Link, diff: WordDiff | None, source: Article, target: Article) -> Bead:
    if not link.tgt:
        return Bead(link.src, link.tgt, Kind.ADDITION, link.score)
    if not link.src:
        return Bead(link.src, link.tgt, Kind.OMISSION, link.score)
    if diff is None:
        kind = Kind.PARTIAL if link.score < DIFFERENCES.partial_score else Kind.MATCH
        return Bead(link.src, link.tgt, kind, link.score)
    if diff.any():
        return Bead(link.src, link.tgt, Kind.PARTIAL, link.score, diff)
    return Bead(link.src, link.tgt, Kind.MATCH, link.score)
