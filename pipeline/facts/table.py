"""A TSV of sentence pairs in, the same rows with `same_fact` out: what `newsalign pairs` reads and writes.

The input has a header row naming its columns; `sentence_a` and `sentence_b` are required, `lang_a` and
`lang_b` optional (ISO 639-1, default en: a sentence in another language is translated into English
first, as `compare` translates a report), and `story` optional: rows of one story are weighed against
that story (its null and prior, see decision.py); without it, each row is a story of its own. Every other
column is passed through. The output is the input's rows in order, its columns, and `same_fact`: the
probability that the two sentences state the same fact, three decimals.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import InputError, ModelError

if TYPE_CHECKING:
    from pipeline.run import Runner

REQUIRED = ("sentence_a", "sentence_b")
OUTPUT_COLUMN = "same_fact"
DEFAULT_LANG = "en"
_LANG = re.compile(r"[a-z]{2,3}")

Translate = Callable[[str, list[str]], list[str]]  # (language, sentences) -> their English


@dataclass(frozen=True)
class PairTable:
    """The rows of a pairs file, as read: its header and each row's fields (line numbers for errors)."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]  # the file line each row starts on

    def column(self, name: str, default: str | None = None) -> list[str]:
        if name not in self.header:
            return [default if default is not None else ""] * len(self.rows)
        k = self.header.index(name)
        return [row[k] for row in self.rows]


def read_table(path: Path) -> PairTable:
    """The file's rows; an InputError naming the file (not a regular file, not UTF-8) or the line (a header
    without the required columns, a row with another number of fields, an empty sentence, a language code
    that is none)."""
    from pipeline.ingest.read import read_bytes

    raw = read_bytes(Path(path))  # a regular file of bounded size, checked before it is opened
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            str(path), f"not UTF-8 text (byte {error.start}): save the pairs file as UTF-8"
        ) from error
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    try:
        records = [(reader.line_num, row) for row in reader if row]
    except csv.Error as error:
        raise InputError(str(path), f"line {reader.line_num}: {error}") from error
    if not records:
        raise InputError(str(path), "empty: expected a header row with sentence_a and sentence_b")
    (_, header), rows = records[0], records[1:]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(str(path), f"line 1: the header has no column {', '.join(missing)}")
    table = PairTable(str(path), tuple(header), tuple(tuple(r) for _, r in rows), tuple(n for n, _ in rows))
    for line, row in zip(table.lines, table.rows):
        _check(table, line, row)
    return table


def _check(table: PairTable, line: int, row: tuple[str, ...]) -> None:
    if len(row) != len(table.header):
        problem = f"{len(row)} fields, the header has {len(table.header)} (a tab missing or too many?)"
        raise InputError(table.path, f"line {line}: {problem}")
    fields = dict(zip(table.header, row))
    for name in REQUIRED:
        if not fields[name].strip():
            raise InputError(table.path, f"line {line}: {name} is empty")
    for name in ("lang_a", "lang_b"):
        if name in fields and fields[name] and not _LANG.fullmatch(fields[name]):
            raise InputError(table.path, f"line {line}: {name} {fields[name]!r} is not a language code")


@dataclass(frozen=True)
class Scored:
    """A pairs file scored: its rows, each row's probability, and the run's notes (which translator)."""

    table: PairTable
    scores: tuple[float, ...]
    notes: tuple[str, ...] = ()


def score_file(path: Path, runner: Runner) -> Scored:
    """The file's rows scored by the same decision as align and compare, on the runner's models."""
    table = read_table(path)
    notes: list[str] = []

    def translate(lang: str, texts: list[str]) -> list[str]:
        choice = runner.translator_for(lang, DEFAULT_LANG)
        if choice.translator is None:
            raise ModelError(f"{table.path}: no translator for {lang}->{DEFAULT_LANG} ({choice.note})")
        notes.extend(n for n in (choice.note,) if n)
        return list(choice.translator.translate(texts))

    judge = runner.judge()
    scores = judge.rows(english(table, "a", translate), english(table, "b", translate), stories(table))
    notes += list(runner.judge_notes())
    return Scored(table, tuple(float(s) for s in scores), tuple(dict.fromkeys(notes)))


def english(table: PairTable, side: str, translate: Translate) -> list[str]:
    """One side's sentences in English: as written where in English, else translated, a batch per language."""
    texts = table.column(f"sentence_{side}")
    langs = [lang or DEFAULT_LANG for lang in table.column(f"lang_{side}", DEFAULT_LANG)]
    out = list(texts)
    for lang in sorted(set(langs) - {DEFAULT_LANG}):
        at = [k for k, code in enumerate(langs) if code == lang]
        for k, translation in zip(at, translate(lang, [texts[k] for k in at])):
            out[k] = translation
    return out


def stories(table: PairTable) -> list[str]:
    """The `story` of each row, or the row's own line when the file has no such column."""
    if "story" in table.header:
        return table.column("story")
    return [f"line {line}" for line in table.lines]


def render(table: PairTable, scores: Sequence[float]) -> bytes:
    """The rows with `same_fact` appended (three decimals), tab-separated, quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow([*table.header, OUTPUT_COLUMN])
    for row, score in zip(table.rows, scores):
        writer.writerow([*row, f"{score:.3f}"])
    return out.getvalue().encode("utf-8")
