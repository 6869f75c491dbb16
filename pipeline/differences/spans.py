"""Per-word decisions in, candidate spans of whole words out: runs of words without counterpart, windows of
mostly unsaid clauses, their projection from a translation onto the original, and a text with a span cut
out (for the span test)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.differences.evidence import Word
from pipeline.differences.settings import DIFFERENCES
from pipeline.model import Span

_CLAUSE_END = re.compile(r"[,;:.!?\"“”„«»()—–-]\s*$")
_SENTENCE_END = re.compile(r"[.!?…]\W*$")


@dataclass(frozen=True)
class PairText:
    """The texts of one two-sided bead: the source (foreign) words, their translation (None when the
    source is already in the target's language) and the target words, each side joined by one space."""

    source: str
    translation: str | None
    target: str
    source_lang: str
    target_lang: str


def runs(
    items: list[Word],
    matched: set[int],
    function: frozenset[str],
    unknown: frozenset[int] = frozenset(),
    least: int = DIFFERENCES.min_content,
) -> list[tuple[int, int]]:
    """Word ranges [i, j) of runs of unmatched words holding at least `least` unmatched content words.
    Function words and `unknown` words (that no evidence can judge) may sit inside a run, not at its ends."""
    neutral = {k for k, w in enumerate(items) if w.text.lower() in function}
    out: list[tuple[int, int]] = []
    start = None
    for index in range(len(items) + 1):
        inside = index < len(items) and (index not in matched or index in neutral)
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            out += _trimmed(matched, neutral, set(unknown), start, index, least)
            start = None
    return out


def _trimmed(
    matched: set[int], neutral: set[int], unknown: set[int], i: int, j: int, least: int
) -> list[tuple[int, int]]:
    """The run from its first to its last unmatched content word, when it has `least` of them and
    at least one that the evidence knows (unknown words count only beside a known one)."""
    content = [k for k in range(i, j) if k not in matched and k not in neutral]
    if len(content) < least or all(k in unknown for k in content):
        return []
    return [(content[0], content[-1] + 1)]


def clauses(text: str, items: list[Word]) -> list[tuple[int, int]]:
    """Word ranges [i, j) of the clauses of a text: the words between clause punctuation."""
    bounds = [0, *(k for k in range(1, len(items)) if _after_clause(text, items, k)), len(items)]
    return [(i, j) for i, j in zip(bounds, bounds[1:]) if j > i]


def windows(
    text: str,
    items: list[Word],
    matched: set[int],
    function: frozenset[str],
    least: int = DIFFERENCES.min_content,
) -> list[tuple[int, int]]:
    """Word ranges of consecutive whole clauses, short of the whole text, that begin and end with a mostly
    unsaid clause and hold at least `least` content words without counterpart. Added words come as clauses
    (a relative clause, an apposition, a sentence more); testing the whole clause keeps the words the other
    side happens to share with it (a name, a date) and tests the cut on a text that still reads."""
    found = clauses(text, items)
    content = [[k for k in range(i, j) if items[k].text.lower() not in function] for i, j in found]
    unsaid = [[k for k in ks if k not in matched] for ks in content]
    mostly = [bool(u) and len(u) >= DIFFERENCES.clause_unsaid_share * len(c) for u, c in zip(unsaid, content)]
    out = []
    for first in range(len(found)):
        for last in range(first, len(found)):
            whole = first == 0 and last == len(found) - 1
            count = sum(len(u) for u in unsaid[first : last + 1])
            sentences = _between_sentences(text, items, found[first][0], found[last][1])
            silent = all(u == c for u, c in zip(unsaid[first : last + 1], content[first : last + 1]))
            need = min(least, DIFFERENCES.sentence_min_content) if sentences and silent else least
            if mostly[first] and mostly[last] and not whole and count >= need:
                out.append((found[first][0], found[last][1]))
    return out


def unsaid(items: list[Word], matched: set[int], function: frozenset[str], run: tuple[int, int]) -> list[int]:
    """The content words of the run that have no counterpart."""
    return [k for k in range(*run) if k not in matched and items[k].text.lower() not in function]


def unsaid_part(
    items: list[Word], matched: set[int], function: frozenset[str], run: tuple[int, int]
) -> tuple[int, int]:
    """The run without the said content words at its ends (and the function words beside them): a clause
    that begins "said Ablyazov and called ..." shows from "called"."""
    content = [k for k in range(*run) if items[k].text.lower() not in function]
    missing = unsaid(items, matched, function, run)
    if not missing:
        return run
    start = run[0] if content[0] == missing[0] else missing[0]
    end = run[1] if content[-1] == missing[-1] else missing[-1] + 1
    return start, end


def all_unsaid(items: list[Word], matched: set[int], function: frozenset[str], run: tuple[int, int]) -> bool:
    """Whether the run holds content words and none of them has a counterpart."""
    content = [k for k in range(*run) if items[k].text.lower() not in function]
    return bool(content) and unsaid(items, matched, function, run) == content


def span(items: list[Word], run: tuple[int, int]) -> Span:
    """The characters from the run's first word to its last."""
    return Span(items[run[0]].start, items[run[1] - 1].end)


def project(run: tuple[int, int], size: int, text: str, items: list[Word]) -> tuple[int, int] | None:
    """The words of `items` (an original of `size` translated words) that a translation's run stands for,
    by relative position, widened or narrowed to the nearest clause boundaries of the original."""
    if not items or size == 0:
        return None
    start = round(run[0] / size * len(items))
    end = max(start + 1, round(run[1] / size * len(items)))
    start, end = _snap_start(text, items, start), _snap_end(text, items, min(end, len(items)))
    return (start, end) if end > start else None


def _snap_start(text: str, items: list[Word], start: int) -> int:
    """The nearest word index at or around `start` that follows a clause boundary (or the first word)."""
    bounds = [k for k in range(len(items)) if k == 0 or _after_clause(text, items, k)]
    return min(bounds, key=lambda k: abs(k - start))


def _snap_end(text: str, items: list[Word], end: int) -> int:
    last = len(items)
    bounds = [k for k in range(1, last + 1) if k == last or _after_clause(text, items, k)]
    return min(bounds, key=lambda k: abs(k - end))


def _between_sentences(text: str, items: list[Word], i: int, j: int) -> bool:
    """Whether the words [i, j) are whole sentences: a sentence ends before word i and at word j."""

    def ends(k: int) -> bool:
        return k in (0, len(items)) or bool(_SENTENCE_END.search(text[items[k - 1].end : items[k].start]))

    return ends(i) and ends(j)


def _after_clause(text: str, items: list[Word], k: int) -> bool:
    """Whether punctuation between word k-1 and word k closes a clause."""
    return bool(_CLAUSE_END.search(text[items[k - 1].end : items[k].start]))


def without(text: str, cut: Span) -> str:
    """The text with the span removed and the spaces around it closed up."""
    return " ".join((text[: cut.start].rstrip() + " " + text[cut.end :].lstrip()).split())
