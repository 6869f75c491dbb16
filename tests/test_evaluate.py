"""pipeline/evaluate.py: vecalign gold format, alignment.json, strict/lax and unaligned scoring, the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.evaluate import Pair, Scores, pairs_of, read_alignment, read_gold, score, write_gold
from pipeline.model import Link

from support.cli import newsalign

GOLD = (Pair((0,), (0,)), Pair((1, 2), (1,)), Pair((), (2,)), Pair((3,), ()), Pair((4,), (3, 4)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[0]:[0, 1]\n[]:[2]\n[1, 2]:[]\n", (Pair((0,), (0, 1)), Pair((), (2,)), Pair((1, 2), ()))),
        ("[0]:[0]\n\n[1]:[1]", (Pair((0,), (0,)), Pair((1,), (1,)))),
    ],
)
def test_read_gold(tmp_path, text, expected):
    path = tmp_path / "x.gold"
    path.write_text(text, encoding="utf-8")
    assert read_gold(path) == expected


@pytest.mark.parametrize("line", ["0:0", "[0]-[1]", "[a]:[1]", "[0]:[1]:[2]"])
def test_read_gold_names_the_bad_line(tmp_path, line):
    path = tmp_path / "bad.gold"
    path.write_text(f"[0]:[0]\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_gold(path)


def test_write_gold_round_trips(tmp_path):
    path = tmp_path / "x.gold"
    path.write_text(write_gold(GOLD), encoding="utf-8")
    assert read_gold(path) == GOLD


def test_perfect_alignment_scores_one():
    assert score([GOLD], [GOLD]) == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3, 5, 2, 2)


def test_scores_count_like_vecalign():
    """Test beads: one exact, one lax (2-1 split in 1-1 + addition), one wrong, unaligned decisions mixed."""
    test = (
        Pair((0,), (0,)),
        Pair((1,), (1,)),
        Pair((2,), ()),
        Pair((), (2,)),
        Pair((3,), (3, 4)),
        Pair((4,), ()),
    )
    result = score([GOLD], [test])
    # precision over 6 test beads: strict hits (0)-(0), ()-(2); lax adds (1)-(1);
    # (2)-(), (3)-(3,4), (4)-() miss
    assert (result.precision_strict, result.precision_lax) == (2 / 6, 3 / 6)
    # recall over 3 two-sided gold beads against the 3 two-sided test beads: (0)-(0) strict, (1,2)-(1) lax,
    # (4)-(3,4) missed (test source 4 is an addition)
    assert (result.recall_strict, result.recall_lax) == (1 / 3, 2 / 3)
    # unaligned: gold {t2, s3}; test {s2, t2, s4}; one right
    assert (result.unaligned_precision, result.unaligned_recall) == (1 / 3, 1 / 2)


def test_unaligned_sentences_outside_the_gold_are_not_counted():
    gold = (Pair((0,), (0,)),)
    test = (Pair((0,), (0,)), Pair((1,), ()))  # source 1 is not in the gold at all
    assert score([gold], [test]).unaligned_precision == 1.0


def test_empty_inputs_score_zero_without_dividing_by_zero():
    assert score([()], [()]) == Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0, 0, 0, 0)


def test_several_documents_are_pooled():
    one = score([GOLD, GOLD], [GOLD, (Pair((0,), (1,)),)])
    assert one.precision_strict == 5 / 6 and one.gold_beads == 6


def test_links_and_alignment_json_become_zero_based_pairs(tmp_path):
    links = (Link((1,), (1, 2), 0.9), Link((2,), (), 0.1), Link((), (3,), 0.2))
    assert pairs_of(links) == (Pair((0,), (0, 1)), Pair((1,), ()), Pair((), (2,)))
    path = tmp_path / "alignment.json"
    beads = [
        {"src": list(link.src), "tgt": list(link.tgt), "kind": "match", "score": link.score} for link in links
    ]
    path.write_text(json.dumps({"beads": beads}), encoding="utf-8")
    assert read_alignment(path) == pairs_of(links)


@pytest.mark.parametrize("content", ["not json", '{"beads": [{"src": [1]}]}', "[]"])
def test_broken_alignment_json_is_an_input_error(tmp_path, content):
    path = tmp_path / "alignment.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="alignment.json"):
        read_alignment(path)


def test_cli_evaluate_prints_the_table(tmp_path, capsys):
    gold = tmp_path / "gold.txt"
    gold.write_text(write_gold(GOLD), encoding="utf-8")
    test = tmp_path / "test.txt"
    test.write_text(write_gold(GOLD[:2]), encoding="utf-8")
    assert main(["evaluate", str(gold), str(test)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[3] == "F1            0.800   0.800"
    assert printed.splitlines()[1] == "precision     1.000   1.000"
    assert printed.splitlines()[2] == "recall        0.667   0.667"


@pytest.mark.parametrize("missing", ["gold", "test"])
def test_cli_evaluate_missing_file_exits_2(tmp_path, capsys, missing):
    gold, test = tmp_path / "gold.txt", tmp_path / "test.txt"
    for path in (gold, test):
        if path.stem != missing:
            path.write_text("[0]:[0]\n", encoding="utf-8")
    assert main(["evaluate", str(gold), str(test)]) == 2
    assert "no such file" in capsys.readouterr().err


GOLD_TEXT = "[0]:[0]\n"
ALIGNMENT = json.dumps({"beads": [{"src": [1], "tgt": [1]}]})
BAD_FILES = [
    # (which file, its content, the problem named after "FILE: ")
    ("gold", b"", "no beads (the file is empty or only blank lines)"),
    ("gold", b"\n \n\n", "no beads (the file is empty or only blank lines)"),
    ("gold", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", "line 1: not UTF-8 text (a binary file?)"),
    (
        "gold",
        b"[0]:[0]\nsome words of garbage\n",
        "line 2: not a vecalign bead like [0, 1]:[2]: 'some words of garbage'",
    ),
    ("gold", "folder", "is a directory, not a file"),
    ("alignment", b"\xff\xfe\x00binary", "line 1: not UTF-8 text (a binary file?)"),
    ("alignment", b"[" * 100_000, "not a newsalign alignment.json (maximum recursion depth exceeded"),
    ("alignment", b'{"beads": [{"src": ["1"], "tgt": []}]}', "not a newsalign alignment.json (ids must be"),
    ("alignment", b'{"beads": [{"src": [0], "tgt": []}]}', "not a newsalign alignment.json (ids must be"),
]


@pytest.mark.parametrize(
    "which, content, problem",
    BAD_FILES,
    ids=[
        "empty",
        "blank",
        "binary",
        "garbage",
        "folder",
        "json-binary",
        "json-deep",
        "json-text-id",
        "json-id-0",
    ],
)
def test_cli_evaluate_refuses_an_unusable_file_in_one_line(tmp_path, capsys, which, content, problem):
    """Binary, empty or garbage gold files ended in a traceback or exit 0; now one line and exit 2."""
    gold, alignment = tmp_path / "gold.txt", tmp_path / "alignment.json"
    gold.write_text(GOLD_TEXT, encoding="utf-8")
    alignment.write_text(ALIGNMENT, encoding="utf-8")
    bad = gold if which == "gold" else alignment
    if content == "folder":
        bad.unlink()
        bad.mkdir()
    else:
        bad.write_bytes(content)
    assert main(["evaluate", str(gold), str(alignment)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"newsalign: error: {bad}: {problem}")
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("which", ["gold", "alignment"])
@pytest.mark.parametrize("make", ["fifo", "dev-zero"])
def test_cli_evaluate_refuses_a_pipe_or_device_at_once(tmp_path, which, make):
    """evaluate read whatever it was given: /dev/zero grew until the kernel killed it, a pipe blocked."""
    gold, alignment = tmp_path / "gold.txt", tmp_path / "alignment.json"
    gold.write_text(GOLD_TEXT, encoding="utf-8")
    alignment.write_text(ALIGNMENT, encoding="utf-8")
    bad = Path("/dev/zero")
    if make == "fifo":
        bad = tmp_path / "pipe"
        os.mkfifo(bad)
    argv = [str(bad), str(alignment)] if which == "gold" else [str(gold), str(bad)]
    done = newsalign("evaluate", *argv)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"newsalign: error: {bad}: not a regular file\n"
