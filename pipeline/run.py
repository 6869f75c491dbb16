"""Report paths in, an Alignment out: the stages in order, models loaded once per Runner.

The Runner holds the steps every command takes — read and check reports, prepare each (segment,
translate into the language it is compared in), link two of them (links and relation), record the
provenance — so `align` here and `compare` (story/compare.py) run the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar

from pipeline import __version__
from pipeline.align.embed import Embedder, load_embedder
from pipeline.differences import label
from pipeline.differences.label import WordDiffer
from pipeline.differences.settings import DIFFERENCES
from pipeline.errors import shown
from pipeline.facts.decision import Judge
from pipeline.ingest.read import check_reports, read_document
from pipeline.ingest.segment import segment
from pipeline.model import Alignment, Article, Document, Link, Provenance, Relation, settings_record
from pipeline.names import labels as report_labels
from pipeline.names import recorded_path, renamed
from pipeline.translate.translator import Choice, FileTranslator, choose, translate_article

T = TypeVar("T")


# The command line's TARGET is the English report (as in TMX, the source language is the foreign one).
TARGET_LANG = "en"


@dataclass(frozen=True)
class Options:
    """How a pair is aligned and written; the same for every pair of a batch."""

    source_lang: str | None = None
    target_lang: str | None = None
    presegmented: bool = False
    translator: str = "auto"
    embedder: str = "auto"
    word_diff: bool = True
    record_paths: bool = False  # the outputs record input paths as given, absolute ones too
    tmx_links: str = "match"  # the pairs the TMX holds: "match" (faithful pairs only) or "all" (partial too)


@dataclass(frozen=True)
class Aligned:
    """One pair's alignment, and the notes of the run that the output files do not record (which
    translator `auto` picked and why, a rebuilt cache): told to the user, not written."""

    alignment: Alignment
    notes: tuple[str, ...] = ()

    def all_notes(self) -> tuple[str, ...]:
        """Everything the run has to tell its user, each once: the provenance's notes, then the run's."""
        return tuple(dict.fromkeys(self.alignment.provenance.notes + self.notes))


@dataclass(frozen=True)
class Prepared:
    """A report segmented and translated into the language it is compared in, and the translator's name
    (None: not translated). Two kinds of notes: `notes` the run tells but the outputs do not record (the
    translator `auto` chose, cache trouble), `recorded` what the outputs keep (blank lines of the user's
    translation file)."""

    article: Article
    translator: str | None = None
    notes: tuple[str, ...] = ()
    recorded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Linked:
    """Two reports' links (the first report's ids in `src`) and how the reports correspond."""

    links: tuple[Link, ...]
    relation: Relation


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A model loaded once per Runner: the model, or None and why not."""

    value: T | None
    note: str | None = None


@dataclass
class Runner:
    """Aligns pair after pair; translators, the embedder and the word differ load on first use only."""

    options: Options = field(default_factory=Options)
    _translators: dict[tuple[str, str], Choice] = field(default_factory=dict, repr=False)
    _embedder: Loaded[Embedder] | None = field(default=None, repr=False)
    _differ: WordDiffer | None = field(default=None, repr=False)
    _judge: Loaded[Judge] | None = field(default=None, repr=False)

    @classmethod
    def with_embedder(cls, options: Options, embedder: Embedder | None) -> Runner:
        """A Runner that uses this embedder instead of loading one (benches reuse rows cached on disk)."""
        return cls(options, _embedder=Loaded(embedder))

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
        labels: Sequence[str] | None = None,
    ) -> Aligned:
        """Align one pair; languages given here (a batch manifest's) win over the options'. `labels` name
        the two reports (default: their files' stems)."""
        declared = [source_lang or self.options.source_lang, target_lang or self.options.target_lang]
        source_doc, target_doc, names, swap = self._read_pair(
            [Path(source), Path(target)], declared, labels, source_mt is not None
        )
        src = self.prepare(
            source_doc, target_doc.lang, self._given_translation(source_doc, target_doc, source_mt)
        )
        tgt = self.prepare(target_doc, target_doc.lang)
        src_article, tgt_article = replace(src.article, label=names[0]), replace(tgt.article, label=names[1])
        linked = self.link(src_article, tgt_article, target_doc.lang)
        words, why_not = self._words_for(src.translator, src_article.lang, tgt_article.lang)
        beads = label.label(src_article, tgt_article, linked.links, words)
        notes = (
            swap + source_doc.notes + target_doc.notes + _same_language(source_doc, target_doc) + src.recorded
        )
        provenance = self.provenance(
            src.translator or "none",
            notes + ((why_not,) if why_not else ()),
            {"differences": DIFFERENCES},
            words.name if words is not None else "none",
        )
        alignment = Alignment(src_article, tgt_article, beads, provenance, linked.relation)
        return Aligned(alignment, src.notes + self._embedder_notes() + self.judge_notes())

    def _read_pair(
        self,
        paths: list[Path],
        declared: list[str | None],
        labels: Sequence[str] | None,
        own_translation: bool,
    ) -> tuple[Document, Document, list[str], tuple[str, ...]]:
        """SOURCE and TARGET read and checked, with their labels, the foreign report first (and the note
        saying so when they were given the other way round)."""
        names = list(report_labels(paths, labels))  # a bad --labels is refused before any work
        source, target = self.read(paths, declared, ("source", "target"))
        swap = _english_first(source, target, declared, own_translation)
        if swap:
            return target, source, names[::-1], swap
        return source, target, names, swap

    def read(
        self, paths: Sequence[Path], declared: Sequence[str | None], roles: Sequence[str]
    ) -> list[Document]:
        """The reports read (languages detected unless declared) and checked: none is another's text, each
        is in its declared language; each then named by the path the outputs record (names.py), in its
        notes too."""
        documents = [
            read_document(path, lang, presegmented=self.options.presegmented)
            for path, lang in zip(paths, declared)
        ]
        check_reports(documents, declared, roles)
        return [_recorded(document, self.options.record_paths) for document in documents]

    def prepare(self, document: Document, into_lang: str, choice: Choice | None = None) -> Prepared:
        """The report segmented and, unless it is in `into_lang`, translated into it: by the translator
        chosen for it (the user's own translation), else by this Runner's for the pair (loaded once)."""
        article = segment(document)
        if choice is None and document.lang != into_lang:
            choice = self.translator_for(document.lang, into_lang)
        elif choice is None:
            return Prepared(article)
        translated, cache_notes = translate_article(article, choice.translator)
        name = choice.translator.name if choice.translator is not None else None
        notes = tuple(n for n in (choice.note,) if n) + cache_notes
        if isinstance(choice.translator, FileTranslator):
            return Prepared(translated, name, notes, self._recorded_notes(choice.translator, translated))
        return Prepared(translated, name, notes)

    def _recorded_notes(self, given: FileTranslator, article: Article) -> tuple[str, ...]:
        """The user's translation file's notes for the outputs, naming it by the path they record."""
        path = recorded_path(given.path, self.options.record_paths)
        return tuple(renamed(note, shown(given.path), path) for note in given.missing(article))

    def link(self, first: Article, second: Article, pivot_lang: str) -> Linked:
        """The two reports' links, the first report's ids in `src`, and their relation. A translated report
        is the aligner's source; a second translated one is read in the pivot language (the aligner compares
        the source's translation with the target's own text). Between comparable reports the same-fact
        decision adds its links (facts/links.py); its models load then, not before."""
        from pipeline.align import aligner
        from pipeline.align.relation import relation_of
        from pipeline.facts.links import link_same_facts

        embedder = self.embedder().value
        swapped = second.lang != pivot_lang and first.lang == pivot_lang
        if swapped:
            source, target = second, first
        else:
            source, target = first, _in_pivot(second, pivot_lang) if second.lang != pivot_lang else second
        links, _ = link_same_facts(aligner.align(source, target, embedder), source, target, self.judge)
        if swapped:
            links = tuple(Link(link.tgt, link.src, link.score) for link in links)
        return Linked(links, relation_of(links, first, second))

    def provenance(
        self,
        translator: str,
        notes: Sequence[str],
        last_stage: Mapping[str, object],
        word_aligner: str = "none",
    ) -> Provenance:
        """What made the result: versions, models, every setting of the stages that ran (reading, aligning,
        and the command's own last stage: {name: its settings object}), recorded whole from their settings
        objects, and what reading noticed."""
        from pipeline.align.settings import ALIGN
        from pipeline.facts.settings import FACTS
        from pipeline.ingest.settings import INGEST

        stages = {"ingest": INGEST, "align": ALIGN, "facts": FACTS, **last_stage}
        embedder = self.embedder().value
        judged = self._judge.value if self._judge is not None else None
        return Provenance(
            newsalign=__version__,
            translator=translator,
            embedder=embedder_names(embedder, judged),
            word_aligner=word_aligner,
            thresholds=settings_record(stages),
            notes=tuple(notes),
        )

    def _given_translation(self, source: Document, target: Document, source_mt: Path | None) -> Choice | None:
        """The user's translation of the source (checked against --translator), or None: the Runner's."""
        if source_mt is None and self.options.translator != "file":
            return None
        return choose(self.options.translator, source.lang, target.lang, source_mt=source_mt)

    def translator_for(self, source_lang: str, target_lang: str) -> Choice:
        """The translator for a language pair, loaded once per Runner."""
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
            self._judge = Loaded(Judge(self.embedder().value, paraphrase), note)
        assert self._judge.value is not None
        return self._judge.value

    def judge_notes(self) -> tuple[str, ...]:
        """Why the same-fact decision lacks a model, if some pair has needed it so far."""
        return (self._judge.note,) if self._judge is not None and self._judge.note else ()

    def _embedder_notes(self) -> tuple[str, ...]:
        note = self.embedder().note
        return (note,) if note else ()

    def _words_for(
        self, translator: str | None, source_lang: str, target_lang: str
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


def _recorded(document: Document, keep: bool) -> Document:
    """The document named by the path the outputs record (the file name of an absolute path, unless kept)."""
    path = recorded_path(document.path, keep)
    return replace(document, path=path, notes=tuple(renamed(n, document.path, path) for n in document.notes))


def _english_first(
    source: Document, target: Document, declared: Sequence[str | None], own_translation: bool
) -> tuple[str, ...]:
    """When SOURCE turns out English and TARGET not, languages detected (not declared) and no translation of
    SOURCE given, the reports were given the other way round: a note saying so, and that they are swapped
    (the foreign report is the one translated, and the TMX's source language). Declared languages keep the
    order given (an English source is wanted for an en->xx memory)."""
    if any(declared) or own_translation or source.lang != TARGET_LANG or target.lang == TARGET_LANG:
        return ()
    return (
        f"{source.path} is in {source.lang} and {target.path} in {target.lang}: aligned {target.path} as "
        f"the source (the foreign report) and {source.path} as the target; to keep the order given, "
        f"declare the languages (--source-lang {source.lang} --target-lang {target.lang})",
    )


def embedder_names(embedder: Embedder | None, judge: Judge | None) -> str:
    """The provenance's embedder: the aligner's, and the same-fact decision's models when it ran."""
    name = embedder.name if embedder is not None else "none"
    return f"{name}; same facts: {judge.name}" if judge is not None else name


def _same_language(source: Document, target: Document) -> tuple[str, ...]:
    if source.lang != target.lang:
        return ()
    return (f"{source.path}, {target.path}: both reports are in {source.lang}; aligning without translation",)


def _in_pivot(article: Article, pivot_lang: str) -> Article:
    """The report as its translation reads (same ids); unchanged when it has no translation."""
    translations = [s.translation for s in article.sentences]
    if any(t is None for t in translations):
        return article
    sentences = tuple(
        replace(s, text=str(t), translation=None) for s, t in zip(article.sentences, translations)
    )
    return replace(article, lang=pivot_lang, sentences=sentences)
