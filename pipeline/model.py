"""The data model that flows between stages: articles, sentences, links, beads, alignments."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import PurePath

SCHEMA = "newsalign.alignment/1"


@dataclass(frozen=True)
class Sentence:
    """One unit of a report; `id` is its 1-based position in reading order."""

    id: int
    text: str
    paragraph: int
    translation: str | None = None


@dataclass(frozen=True)
class Article:
    """One report, segmented: where it came from (the path the outputs record), its language, its sentences,
    and the short label a person reads it by (the file's stem unless given)."""

    path: str
    lang: str
    sentences: tuple[Sentence, ...]
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", PurePath(self.path).stem or self.path)

    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def translations(self) -> list[str | None]:
        return [s.translation for s in self.sentences]

    def joined_text(self, ids: tuple[int, ...]) -> str:
        """The text of the sentences `ids`, joined as a bead side is (spans index this)."""
        return joined([self.sentences[i - 1].text for i in ids])

    def joined_translation(self, ids: tuple[int, ...]) -> str | None:
        """The translation of the sentences `ids`, joined; None when there are none or one lacks it."""
        parts = [self.sentences[i - 1].translation for i in ids]
        return joined([p for p in parts if p is not None]) if parts and None not in parts else None

    def with_translations(self, translations: list[str | None]) -> Article:
        if len(translations) != len(self.sentences):
            raise ValueError(f"{len(translations)} translations for {len(self.sentences)} sentences")
        sentences = tuple(replace(s, translation=t) for s, t in zip(self.sentences, translations))
        return replace(self, sentences=sentences)


@dataclass(frozen=True)
class Link:
    """What the aligner decides: source ids and target ids (either may be empty) and a score in [0, 1]."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float


class Kind(str, Enum):
    MATCH = "match"
    PARTIAL = "partial"
    ADDITION = "addition"  # only in the source (foreign) report
    OMISSION = "omission"  # only in the target (English) report


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a bead side's joined text (sentences joined by one space)."""

    start: int
    end: int


@dataclass(frozen=True)
class WordDiff:
    """Words of a partial match that the other side does not say, as spans of each side's joined text.

    `source` indexes the source sentences' own text (the foreign words), `translation` their
    translation (None when there is none: both reports in one language), `target` the target text.
    """

    source: tuple[Span, ...] = ()
    translation: tuple[Span, ...] | None = None
    target: tuple[Span, ...] = ()

    def any(self) -> bool:
        """Whether some side has a span."""
        return bool(self.source or self.translation or self.target)


@dataclass(frozen=True)
class Bead:
    """One unit of the comparison: aligned sentences and what kind of correspondence they are."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    kind: Kind
    score: float
    diff: WordDiff | None = None

    @property
    def type(self) -> str:
        """The TMX-style shape of the bead, e.g. "1-1", "2-1", "0-1"."""
        return f"{len(self.src)}-{len(self.tgt)}"


# A recorded setting: a number, or a list of them (the bead shapes, a null model's centre and spread).
SettingValue = float | int | list


@dataclass(frozen=True)
class Provenance:
    """Every setting needed to reproduce a result (like sacrebleu's signature)."""

    newsalign: str
    translator: str
    embedder: str
    word_aligner: str = "none"
    thresholds: tuple[tuple[str, SettingValue], ...] = ()  # settings_record of the stages' settings
    notes: tuple[str, ...] = ()
    created: str | None = None  # ISO timestamp; None keeps output byte-identical across runs


@dataclass(frozen=True)
class Relation:
    """How two reports correspond: kind, the share of all their sentences in links, confidence in the kind."""

    kind: str  # "translation" | "adaptation" | "comparable" | "unrelated"
    linked: float
    score: float


@dataclass(frozen=True)
class Alignment:
    """The result every writer renders: both articles, the beads, and how they were made."""

    source: Article
    target: Article
    beads: tuple[Bead, ...]
    provenance: Provenance
    relation: Relation | None = None  # None only for alignments read from files that predate it

    def source_sentences(self, bead: Bead) -> list[Sentence]:
        return [self.source.sentences[i - 1] for i in bead.src]

    def target_sentences(self, bead: Bead) -> list[Sentence]:
        return [self.target.sentences[i - 1] for i in bead.tgt]

    def count(self, kind: Kind) -> int:
        return sum(1 for b in self.beads if b.kind is kind)


def joined(parts: list[str]) -> str:
    """How a bead side's sentences are joined into one text (spans in WordDiff index this)."""
    return " ".join(parts)


@dataclass(frozen=True)
class Document:
    """A file as read: its path, language and paragraphs of plain text, before segmentation."""

    path: str
    lang: str
    paragraphs: tuple[str, ...]
    presegmented: bool = False  # paragraphs hold one sentence per line, taken as is
    notes: tuple[str, ...] = field(default=())  # what reading changed or doubted, naming the file


def settings_record(stages: Mapping[str, object]) -> tuple[tuple[str, SettingValue], ...]:
    """Every field of each stage's frozen settings object, named "stage.field", in the objects' own order:
    the provenance's record, made from the objects themselves (as sacrebleu's signature is) so that no
    setting can be left out. A table of (name, value) pairs (the link model) gives "stage.field.name"."""
    return tuple(
        item for stage, settings in stages.items() for item in _flattened(stage, _as_items(settings))
    )


def _as_items(settings: object) -> list[tuple[str, object]]:
    return [(f.name, getattr(settings, f.name)) for f in fields(settings)]  # type: ignore[arg-type]


def _flattened(prefix: str, items: list[tuple[str, object]]) -> Iterator[tuple[str, SettingValue]]:
    for name, value in items:
        if isinstance(value, tuple) and value and all(_is_named(v) for v in value):
            yield from _flattened(f"{prefix}.{name}", list(value))
        else:
            yield f"{prefix}.{name}", _json(value)


def _is_named(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)


def _json(value: object) -> SettingValue:
    """Tuples as (nested) lists, numbers as they are."""
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"a setting must be a number or a tuple of them, not {value!r}")
