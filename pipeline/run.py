"""Two report paths in, an Alignment out: the stages called in order, models loaded once per Runner."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__, compare, translate
from pipeline.model import Alignment, Article, Kind, Provenance
from pipeline.read import check_pair, read_document
from pipeline.render import LOW_CONFIDENCE
from pipeline.segment import segment


@dataclass(frozen=True)
class Options:
    """How a pair is aligned; the same for every pair of a batch."""

    source_lang: str | None = None
    target_lang: str | None = None
    presegmented: bool = False
    translator: str = "auto"
    embedder: str = "auto"
    word_diff: bool = True


@dataclass
class Runner:
    """Aligns pair after pair; translators, the embedder and the word aligner load on first use only."""

    options: Options = field(default_factory=Options)
    _translators: dict = field(default_factory=dict, repr=False)
    _embedder: object = field(default=None, repr=False)
    _word_aligner: object = field(default=None, repr=False)
    _word_aligner_error: str | None = field(default=None, repr=False)

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Alignment:
        """Align one pair; languages given here (a batch manifest's) win over the options'."""
        source_lang = source_lang or self.options.source_lang
        target_lang = target_lang or self.options.target_lang
        source_doc = read_document(Path(source), source_lang, presegmented=self.options.presegmented)
        target_doc = read_document(Path(target), target_lang, presegmented=self.options.presegmented)
        pair = check_pair(source_doc, target_doc, source_lang, target_lang)
        notes = list(source_doc.warnings + target_doc.warnings + pair)
        translator = self._translator(source_doc.lang, target_doc.lang, source_mt)
        src = translate.translate_article(segment(source_doc), translator)
        tgt = segment(target_doc)
        return self._align(src, tgt, translator, tuple(notes))

    def _align(self, src: Article, tgt: Article, translator, notes: tuple[str, ...]) -> Alignment:
        from pipeline import align

        embedder = self._load_embedder()
        links = align.align(src, tgt, embedder)
        words, why_not = self._words_for(translator, tgt.lang)
        beads = compare.compare(src, tgt, links, words)
        provenance = Provenance(
            newsalign=__version__,
            translator=translator.name if translator is not None else "none",
            embedder=embedder.name if embedder is not None else "none",
            word_aligner=words.name if words is not None else "none",
            thresholds=tuple(align.settings()) + compare.SETTINGS + (("low_confidence", LOW_CONFIDENCE),),
            notes=notes + ((why_not,) if why_not else ()),
        )
        return Alignment(src, tgt, beads, provenance)

    def _translator(self, source_lang: str, target_lang: str, source_mt: Path | None):
        if source_mt is not None:
            return translate.choose(self.options.translator, source_lang, target_lang, source_mt=Path(source_mt))
        key = (source_lang, target_lang)
        if key not in self._translators:
            self._translators[key] = translate.choose(self.options.translator, source_lang, target_lang)
        return self._translators[key]

    def _load_embedder(self):
        if self._embedder is None:
            from pipeline.embed import load_embedder

            self._embedder = load_embedder(self.options.embedder) or _NONE
        return None if self._embedder is _NONE else self._embedder

    def _words_for(self, translator, target_lang: str):
        """The word aligner for this pair, or None with the reason (it compares English with English)."""
        if not self.options.word_diff:
            return None, None
        if translator is None:
            return None, "word differences skipped: no translation of the source"
        if target_lang != "en":
            return None, f"word differences skipped: the word aligner's model is English, the target is {target_lang}"
        if self._word_aligner is None:
            from pipeline.wordalign import WordAligner

            self._word_aligner = WordAligner.load() or _NONE
            self._word_aligner_error = WordAligner.load_error
        if self._word_aligner is _NONE:
            return None, self._word_aligner_error
        return self._word_aligner, None


_NONE = object()  # "tried to load, nothing available" — distinct from "not loaded yet"


def summary(alignment: Alignment, written: list[Path]) -> str:
    """What a person wants to see after a run: where the files are, the counts, and what differed."""
    counts = ", ".join(f"{alignment.count(kind)} {kind.value}" for kind in Kind)
    lines = [f"aligned {alignment.source.path} ({alignment.source.lang}) with {alignment.target.path} ({alignment.target.lang}): {counts}"]
    lines += [f"  wrote {path}" for path in written]
    for bead in alignment.beads:
        if bead.kind is Kind.ADDITION:
            for s in alignment.source_sentences(bead):
                lines.append(f"  + only in {alignment.source.lang} #{s.id}: {s.text}" + (f"  [{s.translation}]" if s.translation else ""))
        elif bead.kind is Kind.OMISSION:
            for s in alignment.target_sentences(bead):
                lines.append(f"  - only in {alignment.target.lang} #{s.id}: {s.text}")
    lines.append(f"translator: {alignment.provenance.translator}; embedder: {alignment.provenance.embedder}")
    return "\n".join(lines)
