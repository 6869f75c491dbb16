"""Foreign sentences in, their English (target-language) translations out, behind one interface."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError, NewsalignError, UsageError, shown
from pipeline.ingest.read import read_text
from pipeline.model import Article
from pipeline.translate.cache import CachedTranslator, cached
from pipeline.translate.interface import Translator

BACKENDS = ("auto", "argos", "apertium", "file", "none")


@dataclass(frozen=True)
class FileTranslator:
    """A translation the user already has, one line per source sentence.

    Lines are counted as lines: when the file has a line per sentence, a blank line is a sentence the
    MT left untranslated (it gets no translation, and `missing` names the line). Only when it has more
    lines than sentences, and its lines that are not blank are one per sentence, are blank lines taken
    for paragraph breaks, as a presegmented source has them.
    """

    path: Path
    lines: tuple[str, ...]  # every line of the file, less blank lines at its end
    name: str = "file"

    @classmethod
    def load(cls, path: Path) -> FileTranslator:
        lines = read_text(path).splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        return cls(path=path, lines=tuple(lines), name=f"file:{path.name}")

    def translate(self, texts: Sequence[str]) -> list[str]:
        """A translation per text; "" for a blank line (translate_article makes it no translation)."""
        return [line.strip() for line in self._lines_for(len(texts))]

    def _lines_for(self, count: int) -> tuple[str, ...]:
        if len(self.lines) == count:
            return self.lines
        written = tuple(line for line in self.lines if line.strip())
        if len(self.lines) > count and len(written) == count:
            return written
        raise InputError(
            str(self.path),
            f"{len(self.lines)} lines of translation for {count} source sentences ({len(written)} of "
            "them not blank; give one line per sentence; with --presegmented the sentences are the report's "
            "lines)",
        )

    def missing(self, article: Article) -> tuple[str, ...]:
        """A note naming the blank lines that left sentences of `article` without a translation."""
        blank = [s.id for s in article.sentences if s.translation is None]
        if not blank:
            return ()
        ids = ", ".join(map(str, blank[:10])) + (", ..." if len(blank) > 10 else "")
        if len(blank) == 1:
            return (f"{shown(self.path)}: line {ids} is blank: source sentence {ids} has no translation",)
        return (f"{shown(self.path)}: lines {ids} are blank: source sentences {ids} have no translation",)


@dataclass(frozen=True)
class Choice:
    """The translator picked for a pair (None: align without MT) and, for `auto`, which and why in words."""

    translator: Translator | None
    note: str | None = None


def choose(backend: str, source_lang: str, target_lang: str, *, source_mt: Path | None = None) -> Choice:
    """The translator for `backend`; `auto` takes the best one available and says which in the note."""
    if source_mt is not None:
        if backend not in ("auto", "file"):
            raise UsageError(f"--source-mt given with --translator {backend}")
        return Choice(FileTranslator.load(source_mt))
    if backend == "file":
        raise UsageError("--translator file needs --source-mt FILE")
    if backend == "none" or source_lang == target_lang:
        return Choice(None)
    if backend == "auto":
        return _auto(source_lang, target_lang)
    return Choice(_load(backend, source_lang, target_lang))


def _load(backend: str, source_lang: str, target_lang: str) -> Translator:
    """The backend loaded for the pair, behind the on-disk translation cache."""
    if backend == "argos":
        from pipeline.translate import argos

        return cached(argos.ArgosTranslator.load(source_lang, target_lang))
    if backend == "apertium":
        from pipeline.translate import apertium

        return cached(apertium.ApertiumTranslator.load(source_lang, target_lang))
    raise UsageError(f"unknown translator {backend!r}; choose from {', '.join(BACKENDS)}")


def _auto(source_lang: str, target_lang: str) -> Choice:
    """argos > apertium > none: the first backend that can load for the pair."""
    reasons = []
    for backend in ("argos", "apertium"):
        try:
            translator = _load(backend, source_lang, target_lang)
        except NewsalignError as error:
            reasons.append(f"{backend}: {error}")
            continue
        return Choice(translator, f"translator {translator.name} ({'; '.join(reasons) or 'first choice'})")
    return Choice(
        None, f"no translator for {source_lang}->{target_lang}, aligning without MT ({'; '.join(reasons)})"
    )


def translate_article(article: Article, translator: Translator | None) -> tuple[Article, tuple[str, ...]]:
    """The article with every sentence's translation filled in (unchanged without a translator),
    and what the translator noticed on the way (a damaged cache rebuilt, say)."""
    if translator is None or not article.sentences:
        return article, ()
    # an empty translation (a blank line of the user's file, an MT that returned nothing) is none
    translations = [text or None for text in translator.translate(article.texts())]
    translated = article.with_translations(translations)
    return translated, translator.take_notes() if isinstance(translator, CachedTranslator) else ()
