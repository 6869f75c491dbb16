"""An Alignment or a Story in, what a person reads after a run out: the relation in words, the summaries.

The one place where how two reports correspond is put into words: the command line's summaries, the
report's header and the batch index all say it through describe() and RELATION_WORDS.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipeline.model import Alignment, Bead, Kind, Relation, Sentence
from pipeline.outputs.order import by_source
from pipeline.outputs.text import differing_words, may_have_counterpart
from pipeline.story.model import Story

RELATION_WORDS = {
    "translation": "one report is a translation of the other",
    "adaptation": "one report is an edited version of the other: reordered, cut, with material added",
    "comparable": "two newsrooms' own reports of one story: few sentences state the same fact",
    "unrelated": "the reports tell different stories: no sentence states the same content",
}


def figures(relation: Relation) -> str:
    """ "84% of all sentences linked, confidence 0.70" """
    return f"{relation.linked:.0%} of all sentences linked, confidence {relation.score:.2f}"


def describe(relation: Relation) -> str:
    """ "translation (84% of all sentences linked, confidence 0.70)" """
    return f"{relation.kind} ({figures(relation)})"


def alignment_summary(alignment: Alignment, written: Sequence[Path]) -> str:
    """Where the files are, the counts, the relation, and what differed, in the foreign report's order: each
    addition, omission and partial pair with its words, each report named by its label."""
    counts = ", ".join(f"{alignment.count(kind)} {kind.value}" for kind in Kind)
    source, target = alignment.source, alignment.target
    lines = [f"aligned {source.path} ({source.lang}) with {target.path} ({target.lang}): {counts}"]
    if alignment.relation is not None:
        lines[0] += f"; {describe(alignment.relation)}"
    lines += [f"  wrote {path}" for path in written]
    for placed in by_source(alignment):
        lines += _bead_lines(alignment, placed.bead, placed.moved)
    lines.append(f"translator: {alignment.provenance.translator}; embedder: {alignment.provenance.embedder}")
    return "\n".join(lines)


def _bead_lines(alignment: Alignment, bead: Bead, moved: bool) -> list[str]:
    source, target = alignment.source, alignment.target
    check = f" (check: {bead.score:.2f} that it has no counterpart)" if may_have_counterpart(bead) else ""
    if bead.kind is Kind.ADDITION:
        return [
            f"  + only in {source.label} #{s.id}{check}: {_bracketed(s)}"
            for s in alignment.source_sentences(bead)
        ]
    if bead.kind is Kind.OMISSION:
        return [
            f"  - only in {target.label} #{s.id}{check}: {s.text}" for s in alignment.target_sentences(bead)
        ]
    if bead.kind is Kind.PARTIAL:
        return _partial_lines(alignment, bead, moved)
    return []


def _partial_lines(alignment: Alignment, bead: Bead, moved: bool) -> list[str]:
    """A partial pair: which sentences (moved: told elsewhere in the other report's order), and the words
    each side says alone (the foreign words with their translation's in brackets)."""
    source, target = alignment.source, alignment.target
    ids = f"{source.label} #{'+'.join(map(str, bead.src))} / {target.label} #{'+'.join(map(str, bead.tgt))}"
    quoted = dict(differing_words(alignment, bead))
    lines = [f"  ~ partial {ids}" + (" (moved)" if moved else "")]
    foreign = quoted.get("source", quoted.get("translation"))
    if foreign:
        gloss = "; ".join(quoted["translation"]) if "source" in quoted and "translation" in quoted else ""
        lines.append(f"      only in {source.label}: {_quotes(foreign)}" + (f"  [{gloss}]" if gloss else ""))
    if "target" in quoted:
        lines.append(f"      only in {target.label}: {_quotes(quoted['target'])}")
    return lines


def _bracketed(sentence: Sentence) -> str:
    """A foreign sentence with its translation in brackets, when it has one."""
    return sentence.text + (f"  [{sentence.translation}]" if sentence.translation else "")


def _quotes(parts: list[str]) -> str:
    return "; ".join(f"\u201c{part}\u201d" for part in parts)


def story_summary(story: Story, written: Sequence[Path]) -> str:
    """Claims by spread, each report's sentences and the claims only it makes, the pairs' relations, where
    the files are."""
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
            f"  {report.id} {article.label}: {article.path} ({article.lang}), "
            f"{len(article.sentences)} sentences, {only} only here"
        )
    lines += [
        f"  {story.report(first).article.label} / {story.report(second).article.label}: "
        f"{describe(pair.relation)}"
        for pair in story.relations
        for first, second in (pair.reports,)
    ]
    lines += [f"  wrote {path}" for path in written]
    provenance = story.provenance
    lines.append(f"translator: {provenance.translator}; embedder: {provenance.embedder}")
    return "\n".join(lines)
