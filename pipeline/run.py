"""Two report paths in, an Alignment out: the stages called in order, models loaded once per Runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pipeline import __version__
from pipeline.align.embed import Embedder, load_embedder
from pipeline.differences import label
from pipeline.differences.label import WordDiffer
from pipeline.facts.decision import FactSettings, Judge
from pipeline.ingest.read import check_pair, read_document
from pipeline.ingest.segment import segment
from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Relation
from pipeline.translate.interface import Translator
from pipeline.translate.translator import Choice, choose, translate_article

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    """How a pair is aligned; the same for every pair of a batch."""

    source_lang: str | None = None
    target_lang: str | None = None
    presegmented: bool = False
    translator: str = "auto"
    embedder: str = "auto"
    word_diff: bool = True


@dataclass(frozen=True)
class Aligned:
    """One pair's alignment and what the run noticed on the way that the output files do not record
    (which translator `auto` picked and why, a rebuilt cache): told to the user, not written."""

    alignment: Alignment
    notices: tuple[str, ...] = ()

    def messages(self) -> tuple[str, ...]:
        """Everything the run has to tell its user, each once: the provenance notes, then the notices."""
        return tuple(dict.fromkeys(self.alignment.provenance.notes + self.notices))


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A model loaded once per Runner: the model, or None and why not."""

    value: T | None
    note: str | None = None


@dataclass
class Runner:
    """Aligns pair after pair; translators, the embedder and the word aligner load on first use only."""

    options: Options = field(default_factory=Options)
    _translators: dict[tuple[str, str], Choice] = field(default_factory=dict, repr=False)
    _embedder: Loaded[Embedder] | None = field(default=None, repr=False)
    _differ: WordDiffer | None = field(default=None, repr=False)
    facts: FactSettings = field(default_factory=FactSettings)  # the same-fact decision's settings
    _judge: Loaded[Judge] | None = field(default=None, repr=False)

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Aligned:
        """Align one pair; languages given here (a batch manifest's) win over the options'."""
        source_lang = source_lang or self.options.source_lang
        target_lang = target_lang or self.options.target_lang
        source_doc = read_document(Path(source), source_lang, presegmented=self.options.presegmented)
        target_doc = read_document(Path(target), target_lang, presegmented=self.options.presegmented)
        pair = check_pair(source_doc, target_doc, source_lang, target_lang)
        notes = source_doc.warnings + target_doc.warnings + pair
        choice = self.translator_for(source_doc.lang, target_doc.lang, source_mt)
        src, cache_notes = translate_article(segment(source_doc), choice.translator)
        alignment = self._align(src, segment(target_doc), choice.translator, notes)
        embedder = self.embedder()
        judged = self._judge.note if self._judge is not None else None
        notices = tuple(n for n in (choice.note, embedder.note, judged) if n) + cache_notes
        return Aligned(alignment, notices)

    def _align(
        self, src: Article, tgt: Article, translator: Translator | None, notes: tuple[str, ...]
    ) -> Alignment:
        from pipeline.align import aligner, settings
        from pipeline.align.relation import relation_of
        from pipeline.differences import differ
        from pipeline.facts.links import link_same_facts

        embedder = self.embedder().value
        links, judge = link_same_facts(aligner.align(src, tgt, embedder), src, tgt, self.judge)
        words, why_not = self._words_for(translator, src.lang, tgt.lang)
        beads = label.label(src, tgt, links, words)
        provenance = Provenance(
            newsalign=__version__,
            translator=translator.name if translator is not None else "none",
            embedder=embedder_names(embedder, judge),
            word_aligner=words.name if words is not None else "none",
            thresholds=settings.settings()
            + label.SETTINGS
            + (differ.SETTINGS if words is not None else ())
            + self.facts.record(),
            notes=notes + ((why_not,) if why_not else ()),
        )
        return Alignment(src, tgt, beads, provenance, relation_of(links, src, tgt))

    def translator_for(self, source_lang: str, target_lang: str, source_mt: Path | None = None) -> Choice:
        """The translator for a language pair, loaded once per Runner (also used by `compare`)."""
        if source_mt is not None:
            return choose(self.options.translator, source_lang, target_lang, source_mt=Path(source_mt))
        key = (source_lang, target_lang)
        if key not in self._translators:
            self._translators[key] = choose(self.options.translator, source_lang, target_lang)
        return self._translators[key]

    def embedder(self) -> Loaded[Embedder]:
        """The embedder, loaded on first use; it caches rows by text, so a report is embedded once."""
        if self._embedder is None:
            self._embedder = Loaded(*load_embedder(self.options.embedder))
        return self._embedder

    def judge(self) -> Judge:
        """The same-fact decision, loaded on first use (only comparable pairs need it): the embedder's
        evidence and the English paraphrase model's (MiniLM, a fraction of a second to load; without it, or
        with `--embedder none`, the rest of the evidence decides)."""
        if self._judge is None:
            paraphrase, note = None, None
            if self.options.embedder != "none":
                from pipeline.errors import ModelError
                from pipeline.facts.minilm import load_minilm

                try:
                    paraphrase = load_minilm()
                except ModelError as error:
                    note = f"{error}; same facts judged without it"
            self._judge = Loaded(Judge(self.embedder().value, paraphrase, self.facts), note)
        assert self._judge.value is not None
        return self._judge.value

    def judged(self) -> Loaded[Judge] | None:
        """The same-fact decision and why it lacks a model, if some pair has needed it so far."""
        return self._judge

    def _words_for(
        self, translator: Translator | None, source_lang: str, target_lang: str
    ) -> tuple[WordDiffer | None, str | None]:
        """The word differ for this pair, or None with the reason: the two sides' words are compared
        through the translation, or directly when both reports are in one language."""
        if not self.options.word_diff:
            return None, None
        if translator is None and source_lang != target_lang:
            return None, "word differences skipped: no translation of the source"
        if self._differ is None:
            from pipeline.differences.differ import Differ

            self._differ = Differ(self.embedder().value)
        return self._differ, None


def embedder_names(embedder: Embedder | None, judge: Judge | None) -> str:
    """The provenance's embedder: the aligner's, and the same-fact decision's models when it ran."""
    name = embedder.name if embedder is not None else "none"
    return f"{name}; same facts: {judge.name}" if judge is not None else name


def summary(alignment: Alignment, written: list[Path]) -> str:
    """What a person wants to see after a run: where the files are, the counts, and what differed."""
    counts = ", ".join(f"{alignment.count(kind)} {kind.value}" for kind in Kind)
    source, target = alignment.source, alignment.target
    lines = [f"aligned {source.path} ({source.lang}) with {target.path} ({target.lang}): {counts}"]
    if alignment.relation is not None:
        lines[0] += f"; {describe(alignment.relation)}"
    lines += [f"  wrote {path}" for path in written]
    for bead in alignment.beads:
        if bead.kind is Kind.ADDITION:
            for s in alignment.source_sentences(bead):
                gloss = f"  [{s.translation}]" if s.translation else ""
                lines.append(f"  + only in {source.lang} #{s.id}: {s.text}{gloss}")
        elif bead.kind is Kind.OMISSION:
            for s in alignment.target_sentences(bead):
                lines.append(f"  - only in {target.lang} #{s.id}: {s.text}")
        elif bead.kind is Kind.PARTIAL:
            lines += _partial_lines(alignment, bead)
    lines.append(f"translator: {alignment.provenance.translator}; embedder: {alignment.provenance.embedder}")
    return "\n".join(lines)


def _partial_lines(alignment: Alignment, bead: Bead) -> list[str]:
    """A partial pair: which sentences, and the words each side says alone (the foreign words with their
    translation's in brackets)."""
    from pipeline.outputs.text import differing_words

    source, target = alignment.source, alignment.target
    ids = f"{source.lang} #{'+'.join(map(str, bead.src))} / {target.lang} #{'+'.join(map(str, bead.tgt))}"
    quoted = dict(differing_words(alignment, bead))
    lines = [f"  ~ partial {ids}"]
    foreign = quoted.get("source", quoted.get("translation"))
    if foreign:
        gloss = "; ".join(quoted["translation"]) if "source" in quoted and "translation" in quoted else ""
        lines.append(f"      only in {source.lang}: {_quotes(foreign)}" + (f"  [{gloss}]" if gloss else ""))
    if "target" in quoted:
        lines.append(f"      only in {target.lang}: {_quotes(quoted['target'])}")
    return lines


def _quotes(parts: list[str]) -> str:
    return "; ".join(f"\u201c{part}\u201d" for part in parts)


def describe(relation: Relation) -> str:
    """The relation in words, as the summary line and the report's header say it."""
    return f"{relation.kind} ({relation.linked:.0%} of sentences linked, confidence {relation.score:.2f})"
