"""N report paths in, a Story out: each report read, translated, embedded once; every pair aligned; claims.

The stages are run.py's (read_document, segment, translate_article, the aligner) and the models are
a Runner's, loaded once: a translator per language, one embedder that caches its rows by text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from pipeline import __version__
from pipeline.errors import InputError, UsageError
from pipeline.facts.decision import Judge
from pipeline.ingest.read import check_language, read_document
from pipeline.ingest.segment import segment
from pipeline.model import Article, Document, Link, Provenance
from pipeline.run import Runner, embedder_names
from pipeline.story.model import NoClaim, PairRelation, Report, Story
from pipeline.translate.translator import Choice, FileTranslator, translate_article


@dataclass(frozen=True)
class Compared:
    """The story and what the run noticed that the files do not record (which translator, and why)."""

    story: Story
    notices: tuple[str, ...] = ()


def compare(
    paths: Sequence[Path],
    runner: Runner,
    *,
    langs: Sequence[str | None] = (),
    pivot_lang: str = "en",
    translations: Mapping[Path, Path] | None = None,
) -> Compared:
    """Read, translate and embed each report once; align every pair; group the sentences into claims.
    `translations` maps a report to a translation of it the user already has (one line per sentence)."""
    langs = _languages(paths, langs)
    files = _translation_files(paths, translations or {})
    documents = [
        read_document(Path(p), lang, presegmented=runner.options.presegmented)
        for p, lang in zip(paths, langs)
    ]
    _check(documents, langs)
    articles, translators, notices = _translated(documents, runner, pivot_lang, files)
    embedder = runner.embedder()
    provenance = _provenance(translators, embedder.value, sum((d.warnings for d in documents), ()), runner)
    story = story_of(articles, embedder.value, provenance, pivot_lang, runner.judge)
    judged = runner.judged()
    if judged is not None:  # some pair was comparable: its models are named beside the embedder
        provenance = replace(provenance, embedder=embedder_names(embedder.value, judged.value))
        story = replace(story, provenance=provenance)
    found = (embedder.note, judged.note if judged is not None else None)
    return Compared(story, tuple(dict.fromkeys(notices + tuple(n for n in found if n))))


def story_of(
    articles: Sequence[Article],
    embedder,
    provenance: Provenance,
    pivot_lang: str = "en",
    judge: Callable[[], Judge] | None = None,
) -> Story:
    """Articles already translated into the pivot language in, the Story out: pairs aligned (with the
    same-fact decision between comparable reports, when `judge` gives it), claims made, lines without a
    claim set apart."""
    from pipeline.align.relation import relation_of
    from pipeline.facts.junk import no_claim
    from pipeline.story.claims import claims_of

    if embedder is not None:  # one batch for the whole story; the aligner then finds every row cached
        several = sum(a.lang != pivot_lang for a in articles) > 1
        embedder.embed([text for article in articles for text in _embedded_texts(article, several)])
    pairs = {
        (i, j): _aligned(articles[i], articles[j], pivot_lang, embedder, judge)
        for i, j in combinations(range(len(articles)), 2)
    }
    ids = [f"r{k}" for k in range(1, len(articles) + 1)]
    junk = tuple(
        NoClaim(ids[k], s.id, why)
        for k, article in enumerate(articles)
        for s in article.sentences
        if (why := no_claim(s.text) or no_claim(s.translation or s.text))
    )
    left_out = {(ids.index(j.report), j.sentence) for j in junk}
    sentence_ids = [[s.id for s in a.sentences if (k, s.id) not in left_out] for k, a in enumerate(articles)]
    claims = claims_of(ids, sentence_ids, pairs)
    relations = tuple(
        PairRelation((ids[i], ids[j]), relation_of(links, articles[i], articles[j]))
        for (i, j), links in pairs.items()
    )
    return Story(
        pivot_lang, tuple(Report(i, a) for i, a in zip(ids, articles)), claims, relations, provenance, junk
    )


def _languages(paths: Sequence[Path], langs: Sequence[str | None]) -> list[str | None]:
    if len(paths) < 2:
        raise UsageError("compare needs at least two reports")
    if langs and len(langs) != len(paths):
        raise UsageError(f"--langs names {len(langs)} languages for {len(paths)} reports")
    return [lang or None for lang in langs] if langs else [None] * len(paths)


def _check(documents: list[Document], langs: Sequence[str | None]) -> None:
    """Refuses a report given twice or not in its declared language, naming the file."""
    seen: dict[tuple[str, ...], str] = {}
    for document, lang in zip(documents, langs):
        if document.paragraphs in seen:
            raise InputError(
                document.path, f"same text as {seen[document.paragraphs]} (the same report given twice?)"
            )
        seen[document.paragraphs] = document.path
        check_language(document, lang, "report")


def _translation_files(paths: Sequence[Path], given: Mapping[Path, Path]) -> dict[int, Path]:
    """The user's translation files by report position; a file naming no report given is refused."""
    positions = {Path(p).resolve(): k for k, p in enumerate(paths)}
    files = {}
    for report, mt in given.items():
        if Path(report).resolve() not in positions:
            raise UsageError(f"--mt names {report}, which is not one of the reports compared")
        files[positions[Path(report).resolve()]] = Path(mt)
    return files


def _translated(documents: list[Document], runner: Runner, pivot_lang: str, files: Mapping[int, Path]):
    """Each report segmented and, unless it is in the pivot language, translated into it, once: from the
    user's file when there is one, else by the runner's translator for its language."""
    articles, translators, notices = [], {}, []
    for k, document in enumerate(documents):
        article = segment(document)
        if k in files and document.lang == pivot_lang:
            raise UsageError(f"--mt given for {document.path}, which is already in {pivot_lang}")
        if document.lang != pivot_lang:
            choice = (
                Choice(FileTranslator.load(files[k]))
                if k in files
                else runner.translator_for(document.lang, pivot_lang)
            )
            article, cache_notes = translate_article(article, choice.translator)
            name = choice.translator.name if choice.translator is not None else "none"
            translators[f"{document.lang} {Path(document.path).name}" if k in files else document.lang] = name
            notices += [n for n in (choice.note,) if n] + list(cache_notes)
        articles.append(article)
    return articles, translators, tuple(notices)


def _embedded_texts(article: Article, translated_targets: bool) -> list[str]:
    """What the aligner will embed of this report: its own text, and its translation when a translated
    report can be the aligner's target (when the story has several reports not in the pivot language)."""
    return article.texts() + [t for t in article.translations() if t is not None and translated_targets]


def _aligned(
    first: Article, second: Article, pivot_lang: str, embedder, judge: Callable[[], Judge] | None
) -> list[Link]:
    """The pair's links, first report's ids in `src`: a translated report is the aligner's source, and a
    second translated report is read in the pivot language (the aligner compares English with English).
    Between comparable reports, the same-fact decision adds its links (facts/links.py)."""
    from pipeline.align import aligner
    from pipeline.facts.links import link_same_facts

    if second.lang != pivot_lang and first.lang == pivot_lang:
        source, target, swapped = second, first, True
    else:
        source, target, swapped = (
            first,
            _in_pivot(second, pivot_lang) if second.lang != pivot_lang else second,
            False,
        )
    links = aligner.align(source, target, embedder)
    if judge is not None:
        links, _ = link_same_facts(links, source, target, judge)
    return [Link(link.tgt, link.src, link.score) for link in links] if swapped else list(links)


def _in_pivot(article: Article, pivot_lang: str) -> Article:
    """The report as its translation reads (same ids); unchanged when it has no translation."""
    translations = [s.translation for s in article.sentences]
    if any(t is None for t in translations):
        return article
    sentences = tuple(
        replace(s, text=str(t), translation=None) for s, t in zip(article.sentences, translations)
    )
    return replace(article, lang=pivot_lang, sentences=sentences)


def _provenance(translators: dict[str, str], embedder, notes: tuple[str, ...], runner: Runner) -> Provenance:
    from pipeline.align import settings
    from pipeline.story import claims

    translator = "; ".join(f"{lang}: {name}" for lang, name in sorted(translators.items())) or "none"
    return Provenance(
        newsalign=__version__,
        translator=translator,
        embedder=embedder.name if embedder is not None else "none",
        thresholds=settings.settings() + claims.SETTINGS + runner.facts.record(),
        notes=notes,
    )


def summary(story: Story, written: list[Path]) -> str:
    """What a person wants to see after a run: claims by spread, the pairs' relations, where the files are."""
    single = [c for c in story.claims if len(c.members) == 1]
    every = sum(1 for c in story.claims if len(c.members) == len(story.reports))
    lines = [
        f"compared {len(story.reports)} reports: {len(story.claims)} claims, {every} made by every report, "
        f"{len(single)} by one report only"
    ]
    for report in story.reports:
        only = sum(1 for c in single if c.members[0].report == report.id)
        article = report.article
        lines.append(
            f"  {report.id} {article.path} ({article.lang}): "
            f"{len(article.sentences)} sentences, {only} only here"
        )
    for pair in story.relations:
        relation = pair.relation
        lines.append(f"  {pair.reports[0]}-{pair.reports[1]}: {relation.kind} ({relation.linked:.0%} linked)")
    lines += [f"  wrote {path}" for path in written]
    provenance = story.provenance
    lines.append(f"translator: {provenance.translator}; embedder: {provenance.embedder}")
    return "\n".join(lines)
