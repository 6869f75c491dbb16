"""pipeline.batch.worker: what makes a pair's key change."""

import json
import os
from dataclasses import replace
from pathlib import Path

from pipeline.batch import worker

from support import EXAMPLE
from support.batch import OPTIONS, make_pairs
from support.cli import newsalign


def test_installing_a_model_redoes_the_pairs_auto_may_translate(tmp_path, monkeypatch):
    from pipeline.translate import packages

    pair = make_pairs(tmp_path / "in", {"a": ("a", "a")})[0]
    monkeypatch.setattr(packages, "installed", lambda folder=None: [])
    before = worker.pair_key(pair, replace(OPTIONS, translator="auto"))
    unaffected = worker.pair_key(pair, replace(OPTIONS, translator="none"))
    package = packages.Package(Path("x"), "bg", "en", "1.9", 1)
    monkeypatch.setattr(packages, "installed", lambda folder=None: [package])
    assert worker.pair_key(pair, replace(OPTIONS, translator="auto")) != before
    assert worker.pair_key(pair, replace(OPTIONS, translator="none")) == unaffected


def test_a_pair_that_is_a_pipe_or_a_device_fails_alone(tmp_path):
    """The resume check hashed each input before anything looked at it: a pipe blocked the batch for
    ever, /dev/zero was hashed without end. Now such a pair fails with align's reason; the others run."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        f"id,source,target\n"
        f"fifo,{fifo},{EXAMPLE / 'plovdiv-en.txt'}\n"
        f"zero,{EXAMPLE / 'plovdiv-bg.txt'},/dev/zero\n"
        f"ok,{EXAMPLE / 'plovdiv-bg.txt'},{EXAMPLE / 'plovdiv-en.txt'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = newsalign(
        "batch", str(manifest), "-o", str(out), "--translator", "none", "--embedder", "none", "-q"
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    pairs = {p["id"]: p for p in json.loads((out / "summary.json").read_text(encoding="utf-8"))["pairs"]}
    assert (pairs["fifo"]["status"], pairs["fifo"]["error"]["message"]) == (
        "failed",
        f"{fifo}: not a regular file",
    )
    assert (pairs["zero"]["status"], pairs["zero"]["error"]["message"]) == (
        "failed",
        "/dev/zero: not a regular file",
    )
    assert pairs["ok"]["status"] == "done"
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "ok", "summary.json"]
