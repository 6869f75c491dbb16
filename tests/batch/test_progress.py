"""pipeline.batch.progress: lines or a bar, notices once, quiet."""

import io
import json
import re

from pipeline.batch.jobs import run_batch

from support.batch import (
    CONTENTS,
    OPTIONS,
    FakeRunner,
    make_pairs,
    read_error,
    run_fake,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    stream = io.StringIO()
    run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "newsalign batch: 6 pairs to align"
    assert [line for line in lines if "failed " in line and ":" in line.split("failed ")[1][:12]] == [
        f"newsalign batch: failed d-missing: InputError: {read_error(pairs[3].target)}",
        "newsalign batch: failed e-crash: RuntimeError: the aligner fell over",
        f"newsalign batch: failed f-empty: InputError: {read_error(pairs[5].source)}",
    ]
    status = [line for line in lines if " pairs, " in line]
    assert len(status) == 7  # one per pair (6 pairs < 20) and the closing line
    assert status[2].startswith("newsalign batch: 3/6 pairs, 0 failed, ") and ", ETA " in status[2]
    assert re.fullmatch(
        r"newsalign batch: finished: 6/6 pairs, 3 failed, [\d.]+ pairs/min, in \d+:\d\d:\d\d "
        r"\([\d.]+ s of work per pair\)",
        lines[-1],
    ), lines[-1]
    assert "Traceback" not in stream.getvalue()


def test_progress_on_a_terminal_is_a_bar(tmp_path):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    run_fake(pairs[:2], tmp_path / "out")
    stream = Terminal()
    run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    text = stream.getvalue()
    assert "newsalign batch: 2 of 6 pairs already done, 4 to align" in text
    assert "newsalign batch: 100%" in text and "6/6" in text and "failed=3" in text
    assert "newsalign batch: failed e-crash: RuntimeError: the aligner fell over" in text


def test_what_a_run_notices_is_shown_once_and_kept_in_the_summary(tmp_path, capsys):
    pairs = make_pairs(tmp_path / "in", {"a": ("NOISY", "a"), "b": ("NOISY CRASH", "a"), "c": ("a", "a")})
    stream = io.StringIO()
    result = run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    notes = (repr(OPTIONS), "translator fake (no model)")
    assert [o.notes for o in result.outcomes] == [notes, (), notes[:1]]  # b failed: no notes
    lines = stream.getvalue().splitlines()
    assert lines[1:4] == [
        f"newsalign batch: note: {notes[0]}",
        f"newsalign batch: note: {notes[1]}",
        "newsalign batch: 1/3 pairs, 0 failed, " + lines[3].split(" 0 failed, ")[1],
    ]
    assert stream.getvalue().count("note:") == 2
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [entry.get("notes") for entry in summary["pairs"]] == [list(notes), None, list(notes[:1])]
    assert capsys.readouterr() == ("", "")


def test_quiet_prints_nothing(tmp_path):
    stream = io.StringIO()
    run_batch(
        make_pairs(tmp_path / "in", CONTENTS),
        OPTIONS,
        tmp_path / "out",
        factory=FakeRunner,
        stream=stream,
        progress=False,
    )
    assert stream.getvalue() == ""
