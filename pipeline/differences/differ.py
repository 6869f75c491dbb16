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
from pipeline.differences.spans import PairText
from pipeline.model import Span, WordDiff

# The span test: a candidate stays when cutting it out raises the cosine similarity (multilingual-e5) of
# its side with the other side by at least this much. Without an embedder, MIN_CONTENT_ALONE words must do.
GAIN_MIN = 0.012
MIN_CONTENT_ALONE = 4
# Two reports in one language are compared word with word, no translation between them: the evidence is
# sure enough for shorter runs.
MIN_CONTENT_SAME_LANGUAGE = 1
SETTINGS = (
    ("diff_span_gain_min", GAIN_MIN),
    ("diff_run_min_content_words", float(spans.MIN_CONTENT)),
    ("diff_run_min_content_words_same_language", float(MIN_CONTENT_SAME_LANGUAGE)),
    ("diff_spelling_min", evidence.SPELLING_MIN),
)


@dataclass(frozen=True)
class Candidate:
    """A run of words on one side of one pair, and the texts the span test compares."""

    pair: int
    side: str  # "source", "translation" or "target"
    span: Span
    text: str
    other: str


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
    name: str = "evidence:lemma+gloss+translit+numbers+spelling;span-test"
    _glossers: dict[str, Glosser] = field(default_factory=dict, repr=False)

    def diff(self, pairs: Sequence[PairText]) -> list[WordDiff]:
        self._gloss_all(pairs)
        sides = [self._sides(pair) for pair in pairs]
        candidates = [c for i, pair in enumerate(pairs) for c in self._candidates(i, pair, sides[i])]
        kept = self._span_test(candidates)
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
        tgt_function = evidence.function_words(pair.target_lang)
        least = spans.MIN_CONTENT if pair.translation is not None else MIN_CONTENT_SAME_LANGUAGE
        left_runs = spans.runs(
            sides.translation,
            sides.matched["translation"],
            tgt_function,
            sides.unknown.get("translation", frozenset()),
            least,
        )
        out = [
            Candidate(index, left_side, spans.span(sides.translation, r), left_text, pair.target)
            for r in left_runs
        ]
        out += [
            Candidate(index, "target", spans.span(sides.target, r), pair.target, left_text)
            for r in spans.runs(sides.target, sides.matched["target"], tgt_function, least=least)
        ]
        if pair.translation is not None:
            out += [
                Candidate(index, "source", spans.span(sides.source, r), pair.source, pair.target)
                for r in self._source_runs(pair, sides, left_runs)
            ]
        return out

    def _source_runs(
        self, pair: PairText, sides: Sides, left_runs: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Runs in the foreign words: from the dictionaries when there are some, else the translation's
        runs carried over by position."""
        if available(pair.source_lang, pair.target_lang):
            function = evidence.function_words(pair.source_lang)
            unknown = sides.unknown.get("source", frozenset())
            return spans.runs(sides.source, sides.matched["source"], function, unknown)
        size = len(sides.translation)
        projected = [spans.project(r, size, pair.source, sides.source) for r in left_runs]
        return list(dict.fromkeys(r for r in projected if r is not None))

    def _span_test(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates whose side is more like the other side without them."""
        if self.embedder is None:
            return [c for c in candidates if len(_quoted(c).split()) >= MIN_CONTENT_ALONE]
        testable = [c for c in candidates if spans.without(c.text, c.span)]
        texts = [t for c in testable for t in (c.text, spans.without(c.text, c.span), c.other)]
        rows = self.embedder.embed(texts) if texts else []
        kept = []
        for n, candidate in enumerate(testable):
            whole, cut, other = rows[3 * n], rows[3 * n + 1], rows[3 * n + 2]
            if float(cut @ other) - float(whole @ other) >= GAIN_MIN:
                kept.append(candidate)
        return kept

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


def _quoted(candidate: Candidate) -> str:
    return candidate.text[candidate.span.start : candidate.span.end]
