"""pipeline.batch.jobs: a whole batch: failures recorded, reruns resume, kills and Ctrl-C, the real Runner."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html

from pipeline.batch.jobs import run_batch
from pipeline.batch.manifest import ReportPair, read_pairs
from pipeline.batch.outcome import DONE_MARKER, Status
from pipeline.cli import main
from pipeline.errors import UsageError
from pipeline.model import Kind

from support import EXAMPLE, TESTS
from support.batch import CONTENTS, OPTIONS, OUTPUTS, FakeRunner, make_pairs, read_error, run_fake, tree


def _expected_summary(pairs: list[ReportPair]) -> dict:
    by_id = {p.id: p for p in pairs}

    def done(pair_id, counts, relation):
        p = by_id[pair_id]
        return {
            "id": pair_id,
            "status": "done",
            "source": str(p.source),
            "target": str(p.target),
            "counts": counts,
            "relation": relation,
            "report": f"{pair_id}/report.html",
            "notes": [repr(OPTIONS)],
        }

    def failed(pair_id, kind, message):
        p = by_id[pair_id]
        return {
            "id": pair_id,
            "status": "failed",
            "source": str(p.source),
            "target": str(p.target),
            "error": {"type": kind, "message": message},
        }

    translation = {"kind": "translation", "linked": 1.0, "score": 0.9}
    adaptation = {"kind": "adaptation", "linked": 0.6667, "score": 0.9}
    return {
        "schema": "newsalign.batch/1",
        "newsalign": "0.1.0",
        "options": {
            "source_lang": None,
            "target_lang": None,
            "presegmented": False,
            "translator": "none",
            "embedder": "none",
            "word_diff": True,
            "record_paths": False,
            "tmx_links": "match",
        },
        "totals": {"pairs": 6, "done": 3, "failed": 3},
        "pairs": [
            done("a-match", {"match": 2, "partial": 0, "addition": 0, "omission": 0}, translation),
            done("b-partial", {"match": 2, "partial": 1, "addition": 0, "omission": 0}, translation),
            done("c-extra", {"match": 2, "partial": 0, "addition": 2, "omission": 0}, adaptation),
            failed("d-missing", "InputError", read_error(by_id["d-missing"].target)),
            failed("e-crash", "RuntimeError", "the aligner fell over"),
            failed("f-empty", "InputError", read_error(by_id["f-empty"].source)),
        ],
    }


def test_batch_records_failures_and_goes_on(tmp_path):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    result = run_fake(pairs, tmp_path / "out")
    assert [(o.pair_id, o.status) for o in result.outcomes] == [
        ("a-match", Status.DONE),
        ("b-partial", Status.DONE),
        ("c-extra", Status.DONE),
        ("d-missing", Status.FAILED),
        ("e-crash", Status.FAILED),
        ("f-empty", Status.FAILED),
    ]
    assert result.failed == 3
    assert json.loads(result.summary.read_text(encoding="utf-8")) == _expected_summary(pairs)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "a-match",
        "b-partial",
        "c-extra",
        "index.html",
        "summary.json",
    ]
    assert sorted(p.name for p in (out / "a-match").iterdir()) == sorted(OUTPUTS + [DONE_MARKER])


def test_rerun_skips_done_pairs_and_retries_failed_ones(tmp_path):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    first = run_fake(pairs, tmp_path / "out")
    before = tree(tmp_path / "out")
    FakeRunner.runs = 0
    second = run_fake(pairs, tmp_path / "out")
    assert FakeRunner.runs == 3  # the three failed pairs are tried again, the done ones are not
    assert [o.resumed for o in second.outcomes] == [True, True, True, False, False, False]
    assert [replace(o, resumed=False, seconds=0) for o in second.outcomes] == [
        replace(o, seconds=0) for o in first.outcomes
    ]
    assert tree(tmp_path / "out") == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda out, src: src.write_text("a\nb\nc\n", encoding="utf-8"),  # input changed
        lambda out, src: (out / "alignment.tmx").unlink(),  # an output lost
        lambda out, src: (out / "diff.xml").write_bytes(b"<half"),  # an output not whole
        lambda out, src: (out / DONE_MARKER).write_text("{not json", encoding="utf-8"),
        lambda out, src: (out / DONE_MARKER).unlink(),  # killed before the marker
    ],
)
def test_rerun_redoes_a_pair_whose_inputs_or_outputs_changed(tmp_path, damage):
    pairs = make_pairs(tmp_path / "in", {"a": ("a b", "a b"), "b": ("a b", "a b")})
    run_fake(pairs, tmp_path / "out")
    damage(tmp_path / "out" / "a", pairs[0].source)
    (tmp_path / "out" / "a" / ".report.html.x1y2.tmp").write_bytes(b"left by kill -9")
    (tmp_path / "out" / ".summary.json.k3j4.tmp").write_bytes(b"left by kill -9")
    (tmp_path / "out" / "a" / ".notes.txt.tmp").write_bytes(b"the user's, not ours")
    FakeRunner.runs = 0
    result = run_fake(pairs, tmp_path / "out")
    assert FakeRunner.runs == 1
    assert [(o.pair_id, o.resumed) for o in result.outcomes] == [("a", False), ("b", True)]
    assert sorted(p.name for p in (tmp_path / "out" / "a").iterdir()) == sorted(
        OUTPUTS + [DONE_MARKER, ".notes.txt.tmp"]
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "b", "index.html", "summary.json"]


def test_other_options_redo_every_pair(tmp_path):
    pairs = make_pairs(tmp_path / "in", {"a": ("a b", "a b")})
    run_fake(pairs, tmp_path / "out")
    result = run_batch(
        pairs, replace(OPTIONS, presegmented=True), tmp_path / "out", factory=FakeRunner, progress=False
    )
    assert [o.resumed for o in result.outcomes] == [False]


def test_pair_that_starts_failing_loses_its_old_outputs(tmp_path):
    pairs = make_pairs(tmp_path / "in", {"a": ("a b", "a b")})
    run_fake(pairs, tmp_path / "out")
    (tmp_path / "out" / "a" / "notes.txt").write_text("the user's own file", encoding="utf-8")
    pairs[0].source.write_text("CRASH\n", encoding="utf-8")
    result = run_fake(pairs, tmp_path / "out")
    assert [(o.pair_id, o.status) for o in result.outcomes] == [("a", Status.FAILED)]
    assert sorted(p.name for p in (tmp_path / "out" / "a").iterdir()) == ["notes.txt"]


def test_pair_languages_reach_the_runner(tmp_path):
    pairs = make_pairs(tmp_path / "in", {"a": ("a", "a"), "b": ("a", "a")})
    pairs[1] = replace(pairs[1], source_lang="de", target_lang="fr")
    run_fake(pairs, tmp_path / "out")
    langs = [
        (doc["source"]["lang"], doc["target"]["lang"])
        for doc in (
            json.loads((tmp_path / "out" / i / "alignment.json").read_text(encoding="utf-8")) for i in "ab"
        )
    ]
    assert langs == [("bg", "en"), ("de", "fr")]


def test_jobs_must_be_positive_and_ids_unique(tmp_path):
    pairs = make_pairs(tmp_path, {"a": ("a", "a")})
    with pytest.raises(UsageError, match="--jobs must be 1 or more, not 0"):
        run_fake(pairs, tmp_path / "out", jobs=0)
    with pytest.raises(UsageError, match="two pairs share an id"):
        run_fake(pairs * 2, tmp_path / "out")
    assert not (tmp_path / "out").exists()


_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from pipeline.batch.jobs import run_batch
from pipeline.batch.manifest import read_pairs
from support import TESTS
from support.batch import FakeRunner, OPTIONS
pairs = read_pairs(Path({manifest!r}))
run_batch(pairs, OPTIONS, Path({out!r}), jobs=2, factory=FakeRunner)
"""


def _manifest_of(tmp_path: Path, count: int) -> Path:
    contents = {
        f"pair{i:03d}": (" ".join("abcdefgh"[: 1 + i % 5]), " ".join("abcdefgh"[: 1 + i % 3]))
        for i in range(count)
    }
    contents["pair004"] = ("a", None)
    pairs = make_pairs(tmp_path / "in", contents)
    lines = ["id,source,target"] + [f"{p.id},in/{p.source.name},in/{p.target.name}" for p in pairs]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


@pytest.mark.slow
def test_killed_batch_resumes_to_the_same_bytes(tmp_path):
    manifest = _manifest_of(tmp_path, 24)
    pairs = read_pairs(manifest)
    run_fake(pairs, tmp_path / "whole")
    out = tmp_path / "killed"
    code = _CHILD.format(tests=str(TESTS), manifest=str(manifest), out=str(out))
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "NEWSALIGN_TEST_DELAY": "0.2"},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while (
        len(list(out.glob(f"*/{DONE_MARKER}"))) < 4 and time.monotonic() < deadline and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)  # like power loss: the parent and its workers, no clean-up
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert not (out / "summary.json").exists()
    FakeRunner.runs = 0
    result = run_fake(pairs, out)
    assert 4 <= sum(o.resumed for o in result.outcomes) < len(pairs)
    assert tree(out) == tree(tmp_path / "whole")


_CTRL_C_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from support import TESTS
from support.batch import FakeRunner
from pipeline.batch import jobs
real = jobs.run_batch  # the CLI imports run_batch when it runs: hand it the fake runner there
jobs.run_batch = lambda *a, **k: real(*a, factory=FakeRunner, **k)
from pipeline.cli import main
sys.exit(main(["batch", {manifest!r}, "-o", {out!r}, "--jobs", "2",
               "--translator", "none", "--embedder", "none"]))
"""


@pytest.mark.slow
def test_ctrl_c_stops_with_130_and_no_traceback_and_a_rerun_finishes(tmp_path):
    manifest = _manifest_of(tmp_path, 24)
    out = tmp_path / "out"
    code = _CTRL_C_CHILD.format(tests=str(TESTS), manifest=str(manifest), out=str(out))
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "NEWSALIGN_TEST_DELAY": "0.2"},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while (
        len(list(out.glob(f"*/{DONE_MARKER}"))) < 3 and time.monotonic() < deadline and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
    err = child.communicate(timeout=60)[1]
    assert child.returncode == 130
    assert err.splitlines()[-1] == "newsalign: interrupted"
    assert "Traceback" not in err
    result = run_fake(read_pairs(manifest), out)
    assert 3 <= sum(o.resumed for o in result.outcomes) < 24
    assert [o.pair_id for o in result.outcomes if o.status is Status.FAILED] == ["pair004"]


CHEAP = ["--translator", "none", "--embedder", "none", "--source-lang", "bg", "--target-lang", "en"]


_TOWNS = ("Пловдив", "Варна", "Бургас", "Русе", "Плевен", "Сливен", "Добрич", "Шумен")


_TOWNS_EN = ("Plovdiv", "Varna", "Burgas", "Ruse", "Pleven", "Sliven", "Dobrich", "Shumen")


def _story(i: int) -> tuple[str, str]:
    """A short made-up report in Bulgarian and English; every third one has a sentence only in Bulgarian."""
    town, town_en = _TOWNS[i % 8], _TOWNS_EN[i % 8]
    bg = [
        f"{town} откри {i + 3} нови училища през {2000 + i} г.",
        f"Кметът каза, че струват {i * 7 + 11} милиона лева.",
        f"Учениците ще бъдат {i * 40 + 120}.",
    ]
    en = [
        f"{town_en} opened {i + 3} new schools in {2000 + i}.",
        f"The mayor said they cost {i * 7 + 11} million levs.",
        f"There will be {i * 40 + 120} pupils.",
    ]
    if i % 3 == 0:
        bg.append(f"Строежът е започнал през {1990 + i % 20} г.")
    return "\n\n".join(bg) + "\n", "\n\n".join(en) + "\n"


def _two_hundred(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A JSON Lines manifest of 200 pairs, five broken; returns it and the broken ids with their bad file."""
    folder = tmp_path / "archive"
    folder.mkdir()
    lines = []
    for i in range(200):
        bg, en = _story(i)
        (folder / f"{i:03d}-bg.txt").write_text(bg, encoding="utf-8")
        (folder / f"{i:03d}-en.txt").write_text(en, encoding="utf-8")
        lines.append(
            json.dumps(
                {
                    "id": f"story-{i:03d}",
                    "source": f"archive/{i:03d}-bg.txt",
                    "target": f"archive/{i:03d}-en.txt",
                }
            )
        )
    (folder / "017-bg.txt").unlink()
    (folder / "050-en.txt").write_bytes(b"")
    (folder / "101-bg.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "150-bg.txt").unlink()
    (folder / "150-bg.txt").mkdir()
    # English where Bulgarian is declared
    (folder / "190-bg.txt").write_text(_story(190)[1] * 3, encoding="utf-8")
    broken = {
        "story-017": "017-bg.txt",
        "story-050": "050-en.txt",
        "story-101": "101-bg.txt",
        "story-150": "150-bg.txt",
        "story-190": "190-bg.txt",
    }
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest, broken


@pytest.mark.slow
def test_two_hundred_pairs_with_five_broken(tmp_path, capsys):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    manifest, broken = _two_hundred(tmp_path)
    out = tmp_path / "out"
    assert main(["batch", str(manifest), "-o", str(out), "-q", *CHEAP]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"pairs": 200, "done": 195, "failed": 5}
    assert [p["id"] for p in summary["pairs"]] == [f"story-{i:03d}" for i in range(200)]
    failed = {p["id"]: p["error"] for p in summary["pairs"] if p["status"] == "failed"}
    folder = tmp_path / "archive"
    wrong_language = failed.pop("story-190")
    assert wrong_language["type"] == "InputError" and wrong_language["message"].startswith(
        f"{folder / '190-bg.txt'}: "
    )
    assert failed == {
        pair_id: {"type": "InputError", "message": read_error(folder / name)}
        for pair_id, name in broken.items()
        if pair_id != "story-190"
    }
    done = [p for p in summary["pairs"] if p["status"] == "done"]
    assert all(
        sorted(p.name for p in (out / d["id"]).iterdir()) == sorted(OUTPUTS + [DONE_MARKER]) for d in done
    )
    for entry in done:  # summary counts are the counts of the pair's own alignment.json
        beads = json.loads((out / entry["id"] / "alignment.json").read_text(encoding="utf-8"))["beads"]
        assert entry["counts"] == {kind.value: sum(b["kind"] == kind.value for b in beads) for kind in Kind}
    assert capsys.readouterr() == ("", "")
    page = html.fromstring((out / "index.html").read_bytes())
    assert len(page.findall(".//tbody/tr")) == 200


@pytest.mark.slow
def test_batch_of_folders_writes_what_align_writes(tmp_path, capsys):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    bg, en = tmp_path / "bg", tmp_path / "en"
    bg.mkdir(), en.mkdir()
    (bg / "plovdiv.txt").write_bytes((EXAMPLE / "plovdiv-bg.txt").read_bytes())
    (en / "plovdiv.txt").write_bytes((EXAMPLE / "plovdiv-en.txt").read_bytes())
    assert main(["batch", str(bg), str(en), "-o", str(tmp_path / "batch"), *CHEAP]) == 0
    assert (
        main(
            [
                "align",
                str(bg / "plovdiv.txt"),
                str(en / "plovdiv.txt"),
                "-o",
                str(tmp_path / "one"),
                "-q",
                *CHEAP,
            ]
        )
        == 0
    )
    written = tree(tmp_path / "batch" / "plovdiv")
    del written[DONE_MARKER]
    assert written == tree(tmp_path / "one")
    out, err = capsys.readouterr()
    batch = tmp_path / "batch"
    assert out == f"1 of 1 pairs done, 0 failed: see {batch / 'summary.json'} and {batch / 'index.html'}\n"
    assert err.splitlines()[0] == "newsalign batch: 1 pairs to align"


@pytest.mark.slow
def test_real_batch_killed_with_sigkill_resumes_to_the_same_bytes(tmp_path):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    manifest, _ = _two_hundred(tmp_path)
    manifest.write_text(
        "\n".join(manifest.read_text(encoding="utf-8").splitlines()[:30]) + "\n", encoding="utf-8"
    )
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    command = [sys.executable, "-m", "pipeline", "batch", str(manifest), "-q", "--jobs", "2", *CHEAP]
    subprocess.run([*command, "-o", str(whole)], check=False, capture_output=True, timeout=300)
    child = subprocess.Popen([*command, "-o", str(killed)], stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while (
        len(list(killed.glob(f"*/{DONE_MARKER}"))) < 6
        and time.monotonic() < deadline
        and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL and not (killed / "summary.json").exists()
    rerun = subprocess.run([*command, "-o", str(killed)], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 1  # story-017 has no source
    assert tree(killed) == tree(whole)
