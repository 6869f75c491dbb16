"""Texts of two-sided beads in, WordDiffs out: the words of each side (foreign, translation, target)
that the other side does not say — candidates from per-word evidence, kept when the pair is more alike
without them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.differences import evidence, spans
from pipeline.differences.evidence import Word
from pipeline.differences.gloss import Glosser, available
from pipeline.differences.settings import DIFFERENCES
from pipeline.differences.spans import PairText
from pipeline.model import Span, WordDiff


@dataclass(frozen=True)
class Test:
    """One view of the span test: a text, the text with the candidate's words cut out, and the text that
    should not say them."""

    whole: str
    cut: str
    other: str


@dataclass(frozen=True)
class Candidate:
    """Words on one side of one pair, the views the span test compares and the mean gain it asks of them."""

    pair: int
    side: str  # "source", "translation" or "target"
    span: Span
    tests: tuple[Test, ...]
    gain_min: float
    clauses: bool = False  # whole clauses (spans.windows) rather than a run of words (spans.runs)
    all_unsaid: bool = False  # no content word of the shown span has a counterpart on the other side
    # foreign clauses: the translation's words at their place, when none of their content words is said
    # either (the dictionaries and the translation agree that nothing of it is said)
    confirmed: Span | None = None


@dataclass(frozen=True)
class Sides:
    """One pair's words and which of them have a counterpart on the other side."""

    source: list[Word]
    translation: list[Word]
    target: list[Word]
    matched: dict[str, set[int]]
    unknown: dict[str, frozenset[int]] = field(default_factory=dict)


@dataclass
class Differ:
    """Decides the differing words of bead texts; glossers load on first use and are kept per language."""

    embedder: Any = None
    name: str = "evidence:lemma+gloss+translit+numbers+spelling;clauses;span-test"
    _glossers: dict[str, Glosser] = field(default_factory=dict, repr=False)

    def diff(self, pairs: Sequence[PairText]) -> list[WordDiff]:
        self._gloss_all(pairs)
        sides = [self._sides(pair) for pair in pairs]
        candidates = [c for i, pair in enumerate(pairs) for c in self._candidates(i, pair, sides[i])]
        kept = self._follow(pairs, sides, self._span_test(candidates))
        return [self._word_diff(i, pair, kept) for i, pair in enumerate(pairs)]

    def _sides(self, pair: PairText) -> Sides:
        tgt_lang = pair.target_lang
        source, target = evidence.words(pair.source), evidence.words(pair.target)
        translation = evidence.words(pair.translation) if pair.translation is not None else source
        glosses = self._gloss(pair, source)
        source_keys = evidence.word_keys(source, pair.source_lang, glosses, tgt_lang)
        left_keys = evidence.word_keys(translation, tgt_lang) if pair.translation is not None else source_keys
        target_keys = evidence.word_keys(target, tgt_lang)
        other_keys = left_keys + (source_keys if pair.translation is not None else [])
        matched = {
            "translation": evidence.counterparts(left_keys, target_keys),
            "target": evidence.counterparts(target_keys, other_keys),
            "source": evidence.counterparts(source_keys, target_keys),
        }
        return Sides(source, translation, target, matched, self._unknown(pair, source, translation, glosses))

    @staticmethod
    def _unknown(
        pair: PairText, source: list[Word], translation: list[Word], glosses: dict[str, frozenset[str]] | None
    ) -> dict[str, frozenset[int]]:
        """Words no evidence can judge: foreign words the dictionaries do not know (names aside), and the
        translator's copies of such words (Apertium passes unknown words through, transliterated). They
        count towards a run only beside a word the evidence knows."""
        if pair.translation is None:
            return {}
        copies = {k for w in source for k in evidence.keys(w.text, pair.source_lang)}
        unknown_translation = frozenset(i for i, w in enumerate(translation) if w.text.lower() in copies)
        if glosses is None:
            return {"translation": unknown_translation}
        unknown_source = frozenset(
            i for i, w in enumerate(source) if not glosses.get(w.text) and w.text[:1].islower()
        )
        return {"translation": unknown_translation, "source": unknown_source}

    def _gloss_all(self, pairs: Sequence[PairText]) -> None:
        """Look up the foreign words of all pairs at once (one lt-proc call per dictionary and language)."""
        for lang in {p.source_lang for p in pairs}:
            glossed = [p for p in pairs if p.source_lang == lang and p.translation is not None]
            if glossed and available(lang, glossed[0].target_lang):
                glosser = self._glossers.setdefault(lang, Glosser(lang))
                glosser.gloss([w.text for p in glossed for w in evidence.words(p.source)])

    def _gloss(self, pair: PairText, source: list[Word]) -> dict[str, frozenset[str]] | None:
        if pair.translation is None or not available(pair.source_lang, pair.target_lang):
            return None
        glosser = self._glossers.setdefault(pair.source_lang, Glosser(pair.source_lang))
        return glosser.gloss([w.text for w in source])

    def _candidates(self, index: int, pair: PairText, sides: Sides) -> list[Candidate]:
        left_side = "translation" if pair.translation is not None else "source"
        left_text = pair.translation if pair.translation is not None else pair.source
        function = evidence.function_words(pair.target_lang)
        unknown = sides.unknown.get("translation", frozenset())
        left = [
            self._candidate(index, pair, sides, left_side, r, clauses)
            for r, clauses in _ranges(
                left_text,
                sides.translation,
                sides.matched["translation"],
                function,
                unknown,
                pair.translation is None,
            )
        ]
        right = [
            self._candidate(index, pair, sides, "target", r, clauses)
            for r, clauses in _ranges(
                pair.target,
                sides.target,
                sides.matched["target"],
                function,
                frozenset(),
                pair.translation is None,
            )
        ]
        return left + right + self._foreign_candidates(index, pair, sides)

    @staticmethod
    def _candidate(
        index: int, pair: PairText, sides: Sides, side: str, run: tuple[int, int], clauses: bool
    ) -> Candidate:
        """A candidate and its span test: alone for runs and for one language; clauses of a translated pair
        are also tested on the foreign text."""
        items, text, other = (
            (sides.target, pair.target, pair.translation or pair.source)
            if side == "target"
            else (sides.translation, pair.translation or pair.source, pair.target)
        )
        cut = spans.span(items, run)
        tests = (Test(text, spans.without(text, cut), other),)
        if not clauses:
            return Candidate(
                index,
                side,
                cut,
                tests,
                DIFFERENCES.gain_min if pair.translation is None else DIFFERENCES.run_gain_min,
            )
        matched = sides.matched["target" if side == "target" else "translation"]
        shown, unsaid = _shown(items, matched, evidence.function_words(pair.target_lang), run)
        if pair.translation is None:
            return Candidate(index, side, shown, tests, DIFFERENCES.gain_min, clauses=True)
        foreign = _foreign_test(pair, sides, side, run, tests[0])
        return Candidate(index, side, shown, (*tests, *foreign), DIFFERENCES.clauses_gain_min, True, unsaid)

    @staticmethod
    def _foreign_candidates(index: int, pair: PairText, sides: Sides) -> list[Candidate]:
        """Candidates in the foreign words when dictionaries judge them (else the foreign spans follow the
        translation's, see _follow): tested like the translation's, on the foreign text against the target
        and on the translation (the words they stand for cut) against the target."""
        if pair.translation is None or not available(pair.source_lang, pair.target_lang):
            return []
        function = evidence.function_words(pair.source_lang)
        unknown = sides.unknown.get("source", frozenset())
        matched = sides.matched["source"]
        out = []
        for run, clauses in _ranges(pair.source, sides.source, matched, function, unknown, False):
            cut = spans.span(sides.source, run)
            tests = (
                Test(pair.source, spans.without(pair.source, cut), pair.target),
                *_at_place(run, len(sides.source), pair.translation, sides.translation, pair.target),
            )
            if not clauses:
                out.append(Candidate(index, "source", cut, tests, DIFFERENCES.run_gain_min))
                continue
            shown, unsaid = _shown(sides.source, matched, function, run)
            confirmed = _confirmed(pair, sides, run) if unsaid else None
            out.append(
                Candidate(
                    index, "source", shown, tests, DIFFERENCES.clauses_gain_min, True, unsaid, confirmed
                )
            )
        return out

    def _span_test(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates whose side is more like the other side without them; of overlapping ones, the
        one that gains most. A clause that gains too little, or a foreign clause the translation confirms
        (nothing of either is said), stays when the other side has no clause like it."""
        if self.embedder is None:
            return _apart(
                [
                    (len(w), c)
                    for c in candidates
                    if len(w := _quoted(c).split()) >= DIFFERENCES.min_content_alone
                ]
            )
        testable = [c for c in candidates if all(t.cut for t in c.tests)]
        views = self._view_gains(testable)
        means = [sum(v) / len(v) if v else None for v in views]
        passed = [n for n, (g, c) in enumerate(zip(means, testable)) if g is not None and g >= c.gain_min]
        nearly = [
            n
            for n, (v, c) in enumerate(zip(views, testable))
            if (_nearly(v, c) or c.confirmed is not None) and n not in passed
        ]
        unmatched = [n for n, m in zip(nearly, self._unmatched([testable[n] for n in nearly])) if m]
        return _apart([(means[n] or 0.0, testable[n]) for n in sorted(passed + unmatched)])

    def _view_gains(self, testable: list[Candidate]) -> list[list[float] | None]:
        """Each candidate's gains, one per view; None for a clause whose first view gains less than
        further_tests_from (its other views are not embedded)."""
        first = self._gains([c.tests[0] for c in testable])
        further = [
            n
            for n, c in enumerate(testable)
            if len(c.tests) > 1 and first[n] >= DIFFERENCES.further_tests_from
        ]
        rest = iter(self._gains([t for n in further for t in testable[n].tests[1:]]))
        out: list[list[float] | None] = [[g] if len(c.tests) == 1 else None for g, c in zip(first, testable)]
        for n in further:
            out[n] = [first[n], *(next(rest) for _ in testable[n].tests[1:])]
        return out

    def _unmatched(self, candidates: list[Candidate]) -> list[bool]:
        """Whether each candidate's words are unlike every clause of its other side (clause_match_max)."""
        quoted = [_quoted(c) for c in candidates]
        others = [_clause_texts(c.tests[0].other) for c in candidates]
        rows = iter(self.embedder.embed([*quoted, *(t for o in others for t in o)]) if candidates else [])
        mine = [next(rows) for _ in candidates]
        return [
            max((float(v @ next(rows)) for _ in o), default=1.0) < DIFFERENCES.clause_match_max
            for v, o in zip(mine, others)
        ]

    def _gains(self, views: list[Test]) -> list[float]:
        """How much closer to its other text each view's text comes with the candidate's words cut out."""
        rows = iter(
            self.embedder.embed([x for t in views for x in (t.whole, t.cut, t.other)]) if views else []
        )
        return [_gain(next(rows), next(rows), next(rows)) for _ in views]

    @staticmethod
    def _follow(pairs: Sequence[PairText], sides: list[Sides], kept: list[Candidate]) -> list[Candidate]:
        """The kept candidates, and the foreign words each kept translation span stands for: carried over
        by position and snapped to clauses, then, where dictionaries judge the foreign words, narrowed to
        those without counterpart (none left: nothing is shown)."""
        out = list(kept)
        for candidate in kept:
            pair, words = pairs[candidate.pair], sides[candidate.pair]
            if candidate.confirmed is not None:
                mirror = Candidate(candidate.pair, "translation", candidate.confirmed, candidate.tests, 0.0)
                if not any(_overlap(mirror, k) for k in out):
                    out.append(mirror)
            if candidate.side != "translation":
                continue
            run = _run(words.translation, candidate.span)
            counterpart = spans.project(run, len(words.translation), pair.source, words.source)
            if counterpart is not None and available(pair.source_lang, pair.target_lang):
                matched, function = words.matched["source"], evidence.function_words(pair.source_lang)
                if spans.unsaid(words.source, matched, function, counterpart):
                    counterpart = spans.unsaid_part(words.source, matched, function, counterpart)
                else:
                    counterpart = None
            if counterpart is None:
                continue
            cut = spans.span(words.source, counterpart)
            followed = Candidate(candidate.pair, "source", cut, candidate.tests, candidate.gain_min)
            if not any(_overlap(followed, k) for k in out):
                out.append(followed)
        return out

    def _word_diff(self, index: int, pair: PairText, kept: list[Candidate]) -> WordDiff:
        def side(name: str) -> tuple[Span, ...]:
            return tuple(
                sorted(
                    {c.span for c in kept if c.pair == index and c.side == name},
                    key=lambda s: (s.start, s.end),
                )
            )

        translation = side("translation") if pair.translation is not None else None
        return WordDiff(source=side("source"), translation=translation, target=side("target"))


def _ranges(
    text: str,
    items: list[Word],
    matched: set[int],
    function: frozenset[str],
    unknown: frozenset[int],
    same_language: bool,
) -> list[tuple[tuple[int, int], bool]]:
    """Word ranges of one side's candidates, each with whether it is whole clauses: the windows of mostly
    unsaid clauses, and the runs of unsaid words outside them (a window's test speaks for its words)."""
    least = DIFFERENCES.min_content_same_language if same_language else DIFFERENCES.min_content
    clauses = spans.windows(text, items, matched, function, least)
    runs = [
        r
        for r in spans.runs(items, matched, function, unknown, least)
        if not any(i <= r[0] and r[1] <= j for i, j in clauses)
    ]
    return [(r, False) for r in runs] + [(r, True) for r in clauses]


def _foreign_test(
    pair: PairText, sides: Sides, side: str, run: tuple[int, int], test: Test
) -> tuple[Test, ...]:
    """The span test of translated clauses on the foreign text: the target without them against the
    foreign text; for translation clauses, the foreign text without the words they stand for against the
    target."""
    if side == "target":
        return (Test(test.whole, test.cut, pair.source),)
    return _at_place(run, len(sides.translation), pair.source, sides.source, test.other)


def _at_place(run: tuple[int, int], size: int, text: str, items: list[Word], other: str) -> tuple[Test, ...]:
    """The test of the words of `text` that a run of another version (of `size` words) stands for:
    carried over by position, snapped to clauses, cut from `text`, against `other`. None when nothing of
    `text` would be left."""
    counterpart = spans.project(run, size, text, items)
    cut = spans.without(text, spans.span(items, counterpart)) if counterpart else ""
    return (Test(text, cut, other),) if cut else ()


def _shown(
    items: list[Word], matched: set[int], function: frozenset[str], run: tuple[int, int]
) -> tuple[Span, bool]:
    """What a clause window shows (without the said words at its ends), and whether none of its content
    words is said."""
    part = spans.unsaid_part(items, matched, function, run)
    return spans.span(items, part), spans.all_unsaid(items, matched, function, part)


def _confirmed(pair: PairText, sides: Sides, run: tuple[int, int]) -> Span | None:
    """The translation's words at the place of a wholly unsaid foreign clause, when none of their content
    words is said either: what they show."""
    if pair.translation is None:
        return None
    counterpart = spans.project(run, len(sides.source), pair.translation, sides.translation)
    matched, function = sides.matched["translation"], evidence.function_words(pair.target_lang)
    if counterpart is None or not spans.all_unsaid(sides.translation, matched, function, counterpart):
        return None
    return spans.span(sides.translation, counterpart)


def _nearly(views: list[float] | None, candidate: Candidate) -> bool:
    """A translated clause without a said content word that every view brings closer, though by less than
    the gain asked."""
    return candidate.all_unsaid and views is not None and len(views) > 1 and min(views) >= 0.0


def _clause_texts(text: str) -> list[str]:
    """The clauses of a text, each as its words from first to last."""
    items = evidence.words(text)
    return [text[s.start : s.end] for s in (spans.span(items, r) for r in spans.clauses(text, items))]


def _gain(whole: Any, cut: Any, other: Any) -> float:
    return float(cut @ other) - float(whole @ other)


def _run(items: list[Word], cut: Span) -> tuple[int, int]:
    """The word range a span of whole words covers."""
    inside = [k for k, w in enumerate(items) if cut.start <= w.start and w.end <= cut.end]
    return inside[0], inside[-1] + 1


def _apart(passed: list[tuple[float, Candidate]]) -> list[Candidate]:
    """Of overlapping candidates, the one that gains most."""
    kept: list[Candidate] = []
    for _, candidate in sorted(passed, key=lambda g: -g[0]):
        if not any(_overlap(candidate, k) for k in kept):
            kept.append(candidate)
    return kept


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.pair == b.pair and a.side == b.side and a.span.start < b.span.end and b.span.start < a.span.end


def _quoted(candidate: Candidate) -> str:
    return candidate.tests[0].whole[candidate.span.start : candidate.span.end]
