"""N report paths in, a Story out: each report read, translated, embedded once; every pair linked; claims.

The steps are the Runner's (run.py), the same `align` takes: read and check the reports, prepare each
(segment, translate into the pivot language), link two reports, record the provenance; the models are the
Runner's, loaded once: a translator per language, one embedder that caches its rows by text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.model import Article, Provenance
from pipeline.names import labels as report_labels
from pipeline.run import Prepared, Runner
from pipeline.story.model import NoClaim, PairRelation, Report, Story
from pipeline.story.settings import STORY
from pipeline.translate.translator import Choice, FileTranslator


@dataclass(frozen=True)
class Compared:
    """The story, and the notes of the run that the files do not record (which translator, and why)."""

    story: Story
    notes: tuple[str, ...] = ()


def compare(
    paths: Sequence[Path],
    runner: Runner,
    *,
    langs: Sequence[str | None] = (),
    pivot_lang: str = "en",
    translations: Mapping[Path, Path] | None = None,
    labels: Sequence[str] | None = None,
) -> Compared:
    """Read, translate and embed each report once; link every pair; group the sentences into claims.
    `translations` maps a report to a translation of it the user already has (one line per sentence);
    `labels` name the reports (default: their files' stems)."""
    declared = _languages(paths, langs)
    files = _translation_files(paths, translations or {})
    names = report_labels(paths, labels)
    documents = runner.read([Path(p) for p in paths], declared, ["report"] * len(paths))
    for k, document in enumerate(documents):
        if k in files and document.lang == pivot_lang:
            raise UsageError(f"--mt given for {paths[k]}, which is already in {pivot_lang}")
    prepared = [
        runner.prepare(d, pivot_lang, Choice(FileTranslator.load(files[k])) if k in files else None)
        for k, d in enumerate(documents)
    ]
    translator = _translators(prepared, files, pivot_lang)
    recorded = sum((d.notes for d in documents), ()) + sum((p.recorded for p in prepared), ())
    provenance = runner.provenance(translator, recorded, {"story": STORY})
    articles = [replace(p.article, label=name) for p, name in zip(prepared, names)]
    story = story_of(articles, runner, provenance, pivot_lang)
    # made again now that the pairs are linked: it names the same-fact decision's models if they ran
    story = replace(story, provenance=runner.provenance(translator, recorded, {"story": STORY}))
    embedder_note = runner.embedder().note
    notes = sum((p.notes for p in prepared), ()) + ((embedder_note,) if embedder_note else ())
    return Compared(story, tuple(dict.fromkeys(notes + runner.judge_notes())))


def story_of(
    articles: Sequence[Article], runner: Runner, provenance: Provenance, pivot_lang: str = "en"
) -> Story:
    """Articles already translated into the pivot language in, the Story out: pairs linked (between
    comparable reports the same-fact decision's links too), lines that carry no claim set apart, claims
    made."""
    from pipeline.story.claims import claims_of

    embedder = runner.embedder().value
    if embedder is not None:  # one batch for the whole story; the aligner then finds every row cached
        several = sum(a.lang != pivot_lang for a in articles) > 1
        embedder.embed([text for article in articles for text in _embedded_texts(article, several)])
    pairs = {
        (i, j): runner.link(articles[i], articles[j], pivot_lang)
        for i, j in combinations(range(len(articles)), 2)
    }
    ids = [f"r{k}" for k in range(1, len(articles) + 1)]
    junk = _no_claim(articles, ids)
    left_out = {(j.report, j.sentence) for j in junk}
    sentence_ids = [
        [s.id for s in a.sentences if (ids[k], s.id) not in left_out] for k, a in enumerate(articles)
    ]
    claims = claims_of(ids, sentence_ids, {pair: linked.links for pair, linked in pairs.items()})
    relations = tuple(PairRelation((ids[i], ids[j]), linked.relation) for (i, j), linked in pairs.items())
    return Story(
        pivot_lang, tuple(Report(i, a) for i, a in zip(ids, articles)), claims, relations, provenance, junk
    )


def _no_claim(articles: Sequence[Article], ids: Sequence[str]) -> tuple[NoClaim, ...]:
    """The lines that carry no claim (facts/junk.py, on the text and its translation), in report order."""
    from pipeline.facts.junk import no_claim

    return tuple(
        NoClaim(ids[k], s.id, why)
        for k, article in enumerate(articles)
        for s in article.sentences
        if (why := no_claim(s.text) or no_claim(s.translation or s.text))
    )


def _languages(paths: Sequence[Path], langs: Sequence[str | None]) -> list[str | None]:
    if len(paths) < 2:
        raise UsageError("compare needs at least two reports")
    if langs and len(langs) != len(paths):
        raise UsageError(f"--langs names {len(langs)} languages for {len(paths)} reports")
    return [lang or None for lang in langs] if langs else [None] * len(paths)


def _translation_files(paths: Sequence[Path], given: Mapping[Path, Path]) -> dict[int, Path]:
    """The user's translation files by report position; a file naming no report given is refused."""
    positions = {Path(p).resolve(): k for k, p in enumerate(paths)}
    files = {}
    for report, mt in given.items():
        if Path(report).resolve() not in positions:
            raise UsageError(f"--mt names {report}, which is not one of the reports compared")
        files[positions[Path(report).resolve()]] = Path(mt)
    return files


def _translators(prepared: Sequence[Prepared], files: Mapping[int, Path], pivot_lang: str) -> str:
    """The translators of the reports not in the pivot language, "bg: apertium:...; bg kresna.txt: file:..."
    ("none" when every report is in it)."""
    used = {
        _translated_as(p.article, k in files): p.translator or "none"
        for k, p in enumerate(prepared)
        if p.article.lang != pivot_lang
    }
    return "; ".join(f"{lang}: {name}" for lang, name in sorted(used.items())) or "none"


def _translated_as(article: Article, from_file: bool) -> str:
    return f"{article.lang} {Path(article.path).name}" if from_file else article.lang


def _embedded_texts(article: Article, translated_targets: bool) -> list[str]:
    """What the aligner will embed of this report: its own text, and its translation when a translated
    report can be the aligner's target (when the story has several reports not in the pivot language)."""
    return article.texts() + [t for t in article.translations() if t is not None and translated_targets]
