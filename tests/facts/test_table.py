"""pipeline.facts.table and `newsalign pairs`: rows in, the same rows with same_fact out; bad rows named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.facts.table import PairTable, read_table, render, stories

CHEAP = ("--embedder", "none", "--translator", "none", "-q")
BLAST = "Police said 12 people were killed in the blast in the market on Monday."
ROWS = [
    ("id", "sentence_a", "sentence_b", "note"),
    ("1", BLAST, "Twelve people died in Monday's market explosion, according to the police.", "other words"),
    (
        "2",
        BLAST,
        "Police said 40 people were killed in the blast in the market on Monday.",
        "a\tquoted\tfield",
    ),
]


def _write(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", lineterminator="\n").writerows(rows)
    return path


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def test_round_trip_keeps_every_column_and_adds_same_fact(tmp_path: Path, capsys) -> None:
    pairs = _write(tmp_path / "pairs.tsv", ROWS)
    assert main(["pairs", str(pairs), "-o", str(tmp_path / "scores.tsv"), *CHEAP]) == 0
    out = _read(tmp_path / "scores.tsv")
    assert out[0] == [*ROWS[0], "same_fact"]
    assert [row[:-1] for row in out[1:]] == [list(row) for row in ROWS[1:]]
    scores = [float(row[-1]) for row in out[1:]]
    assert scores[0] > 0.5 > scores[1] and all(len(row[-1]) == 5 for row in out[1:])  # three decimals
    assert capsys.readouterr().out == ""


def test_summary_line(tmp_path: Path, capsys) -> None:
    pairs = _write(tmp_path / "pairs.tsv", ROWS)
    assert main(["pairs", str(pairs), "-o", str(tmp_path / "scores.tsv"), *CHEAP[:4]]) == 0
    assert capsys.readouterr().out == (
        f"scored 2 pairs, 1 stating the same fact (>= 0.5): wrote {tmp_path / 'scores.tsv'}\n"
    )


def test_rows_of_one_story_are_weighed_together(tmp_path: Path) -> None:
    """A `story` column groups rows (their null and prior); without it, each row is its own story."""
    story = [("sentence_a", "sentence_b", "story")] + [(a, b, "blast") for _, a, b, _ in ROWS[1:]]
    table = read_table(_write(tmp_path / "story.tsv", story))
    assert stories(table) == ["blast", "blast"]
    assert stories(read_table(_write(tmp_path / "none.tsv", ROWS))) == ["line 2", "line 3"]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("a", "b")], "line 1: the header has no column sentence_a, sentence_b"),
        ([("sentence_a", "x")], "line 1: the header has no column sentence_b"),
        ([("sentence_a", "sentence_b"), ("one", "two", "three")], "line 2: 3 fields, the header has 2"),
        ([("sentence_a", "sentence_b"), ("one", " ")], "line 2: sentence_b is empty"),
        (
            [("sentence_a", "sentence_b", "lang_a"), ("one", "two", "en"), ("one", "two", "Bulgarian")],
            "line 3: lang_a 'Bulgarian' is not a language code",
        ),
        ([], "empty: expected a header row with sentence_a and sentence_b"),
    ],
    ids=["no-columns", "no-sentence-b", "extra-field", "empty-sentence", "bad-language", "empty-file"],
)
def test_bad_rows_are_named_by_line(tmp_path: Path, capsys, rows, message: str) -> None:
    pairs = _write(tmp_path / "pairs.tsv", rows)
    with pytest.raises(InputError) as caught:
        read_table(pairs)
    assert str(caught.value).startswith(f"{pairs}: {message}")
    assert main(["pairs", str(pairs), "-o", str(tmp_path / "out.tsv"), *CHEAP]) == 2
    assert capsys.readouterr().err.startswith(f"newsalign: error: {pairs}: {message}")
    assert not (tmp_path / "out.tsv").exists()


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda p: p.write_bytes("sentence_a\tsentence_b\n\xe9t\xe9\tb\n".encode("latin-1")),
            "not UTF-8 text",
        ),
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory, not a file"),
    ],
    ids=["latin-1", "missing", "folder"],
)
def test_an_unreadable_file_is_one_line(tmp_path: Path, capsys, make, message: str) -> None:
    pairs = tmp_path / "pairs.tsv"
    make(pairs)
    assert main(["pairs", str(pairs), "-o", str(tmp_path / "out.tsv"), *CHEAP]) == 2
    assert capsys.readouterr().err.startswith(f"newsalign: error: {pairs}: {message}")


def test_render_quotes_only_what_needs_it() -> None:
    table = PairTable("x.tsv", ("sentence_a", "sentence_b"), (('a "b"', "c\td"),), (2,))
    expected = 'sentence_a\tsentence_b\tsame_fact\n"a ""b"""\t"c\td"\t0.500\n'
    assert render(table, [0.5]) == expected.encode()
