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


# Brackets and quotes a span must hold both ends of: opening mark -> closing mark. "„" closes with "“"
# (Bulgarian, German), which opens in English; a straight quote closes itself.
_MARKS = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›", "“": "”", "„": "“", "‘": "’", '"': '"'}
_CLOSERS = set(_MARKS.values())


def balanced(text: str, cut: Span) -> Span | None:
    """The span holding both ends of every bracket and quote it holds one end of: widened to the other end
    when only punctuation and spaces lie between, else narrowed to leave the lone end out ("AFP on
    Thursday (6" becomes "AFP on Thursday (6)"). None when nothing of it is left."""
    openers, closers = _lone_marks(text, cut)
    start, end = cut.start, cut.end
    for at in closers:  # each closes something opened before the span
        opened = _mate_before(text, start, text[at])
        start = opened if opened is not None else max(start, _next_word(text, at + 1))
    for at in reversed(openers):
        closed = _mate_after(text, end, _MARKS[text[at]])
        end = closed if closed is not None else min(end, _previous_word_end(text, at))
    return Span(start, end) if end > start and re.search(r"\w", text[start:end]) else None


def _lone_marks(text: str, cut: Span) -> tuple[list[int], list[int]]:
    """Positions of the opening marks the span does not close, and of the closing marks it did not open."""
    stack: list[int] = []
    closers: list[int] = []
    for at in range(cut.start, cut.end):
        mark = text[at]
        if stack and mark == _MARKS[text[stack[-1]]]:
            stack.pop()
        elif (
            mark in _CLOSERS
            and not stack
            and (mark not in _MARKS or _mate_before(text, cut.start, mark) is not None)
        ):
            closers.append(at)  # a mark that opens and closes ("“", '"') closes one right before the span
        elif mark in _MARKS:
            stack.append(at)
    return stack, closers


def _mate_before(text: str, start: int, closer: str) -> int | None:
    """Where an opening mark of `closer` stands right before `start`, only punctuation and spaces between."""
    gap = re.search(r"[^\w]*$", text[:start])
    before = gap.group() if gap else ""
    at = max((before.rfind(o) for o, c in _MARKS.items() if c == closer), default=-1)
    return start - len(before) + at if at >= 0 else None


def _mate_after(text: str, end: int, closer: str) -> int | None:
    """The end of `closer` right after `end`, only punctuation and spaces between."""
    gap = re.match(r"[^\w]*", text[end:])
    at = gap.group().find(closer) if gap else -1
    return end + at + 1 if at >= 0 else None


def _next_word(text: str, at: int) -> int:
    found = re.search(r"\w", text[at:])
    return at + found.start() if found else len(text)


def _previous_word_end(text: str, at: int) -> int:
    found = re.search(r"\w[^\w]*$", text[:at])
    return found.start() + 1 if found else 0


def without(text: str, cut: Span) -> str:
    """The text with the span removed and the spaces around it closed up."""
    return " ".join((text[: cut.start].rstrip() + " " + text[cut.end :].lstrip()).split())
