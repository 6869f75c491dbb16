"""An Alignment in, alignment.json bytes out (schema newsalign.alignment/1) — and back again."""

from __future__ import annotations

import json
from dataclasses import asdict

from pipeline.model import (
    SCHEMA,
    Alignment,
    Article,
    Bead,
    Kind,
    Provenance,
    Relation,
    Sentence,
    Span,
    WordDiff,
)


def render(alignment: Alignment) -> bytes:
    document: dict = {"schema": SCHEMA}
    if alignment.relation is not None:
        document["relation"] = asdict(alignment.relation)
    document |= {
        "source": article_row(alignment.source, with_translation=True),
        "target": article_row(alignment.target, with_translation=False),
        "beads": [_bead(bead) for bead in alignment.beads],
        "provenance": provenance_row(alignment.provenance),
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def article_row(article: Article, *, with_translation: bool) -> dict:
    """An article as JSON: path, label, language, and its sentences (the translation of each when asked)."""

    def sentence(s: Sentence) -> dict:
        row = {"id": s.id, "text": s.text}
        if with_translation:
            row["translation"] = s.translation
        row["paragraph"] = s.paragraph
        return row

    return {
        "path": article.path,
        "label": article.label,
        "lang": article.lang,
        "sentences": [sentence(s) for s in article.sentences],
    }


def _bead(bead: Bead) -> dict:
    row: dict[str, object] = {
        "src": list(bead.src),
        "tgt": list(bead.tgt),
        "kind": bead.kind.value,
        "score": round(bead.score, 4),
    }
    if bead.diff is not None:
        translation = bead.diff.translation
        row["diff"] = {
            "source": [[s.start, s.end] for s in bead.diff.source],
            "translation": None if translation is None else [[s.start, s.end] for s in translation],
            "target": [[s.start, s.end] for s in bead.diff.target],
        }
    return row


def provenance_row(provenance: Provenance) -> dict:
    """The provenance as JSON (alignment.json and story.json share it)."""
    row = {
        "newsalign": provenance.newsalign,
        "translator": provenance.translator,
        "embedder": provenance.embedder,
        "word_aligner": provenance.word_aligner,
        "thresholds": dict(provenance.thresholds),
        "notes": list(provenance.notes),
    }
    if provenance.created is not None:
        row["created"] = provenance.created
    return row


def parse(data: bytes | str) -> Alignment:
    """Read alignment.json back into an Alignment (for evaluation and tests)."""
    document = json.loads(data)
    if document.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} document (schema: {document.get('schema')!r})")
    return Alignment(
        source=_parse_article(document["source"]),
        target=_parse_article(document["target"]),
        beads=tuple(_parse_bead(row) for row in document["beads"]),
        provenance=_parse_provenance(document["provenance"]),
        relation=Relation(**document["relation"]) if "relation" in document else None,
    )


def _parse_article(row: dict) -> Article:
    sentences = tuple(
        Sentence(id=s["id"], text=s["text"], paragraph=s["paragraph"], translation=s.get("translation"))
        for s in row["sentences"]
    )
    return Article(path=row["path"], lang=row["lang"], sentences=sentences, label=row.get("label", ""))


def _parse_bead(row: dict) -> Bead:
    diff = None
    if "diff" in row:
        translation = row["diff"].get("translation")
        diff = WordDiff(
            source=tuple(Span(a, b) for a, b in row["diff"]["source"]),
            translation=None if translation is None else tuple(Span(a, b) for a, b in translation),
            target=tuple(Span(a, b) for a, b in row["diff"]["target"]),
        )
    return Bead(tuple(row["src"]), tuple(row["tgt"]), Kind(row["kind"]), row["score"], diff)


def _parse_provenance(row: dict) -> Provenance:
    return Provenance(
        newsalign=row["newsalign"],
        translator=row["translator"],
        embedder=row["embedder"],
        word_aligner=row.get("word_aligner", "none"),
        thresholds=tuple(row.get("thresholds", {}).items()),
        notes=tuple(row.get("notes", ())),
        created=row.get("created"),
    )
