"""pipeline.facts.minilm: the package's MiniLM weights on ONNX Runtime give sentence-transformers' rows."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.facts.minilm import MiniLM, _bundled

TEXTS = [
    "The army fired on protesters in Almaty on Thursday.",
    "Fuel prices doubled at the start of the year, and people took to the streets in the west.",
    "Hi",
    "The mayor said the new tram line, which cost 120 million leva, would open in May.",
]


@pytest.mark.slow
def test_rows_are_sentence_transformers_rows() -> None:
    """The graph written from the weights is the model: the reference library (which imports torch, the
    reason it is not used at run time) gives the same rows, padding in a batch changing nothing."""
    st = pytest.importorskip("sentence_transformers")
    reference = st.SentenceTransformer(str(_bundled()), device="cpu").encode(TEXTS, normalize_embeddings=True)
    rows = MiniLM(threads=1).embed(TEXTS)
    assert rows.shape == (4, 384) and rows.dtype == np.float32
    assert np.min(np.sum(rows * reference, axis=1)) > 0.99999


def test_rows_are_cached_and_one_at_a_time_is_the_same() -> None:
    model = MiniLM(threads=1)
    together = model.embed(TEXTS)
    alone = np.stack([MiniLM(threads=1).embed([text])[0] for text in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)  # padding to the batch's longest changes nothing
    assert model.embed([]).shape == (0, 384)
    assert np.array_equal(model.embed(TEXTS[:1]), together[:1])  # from the cache


def test_the_written_graph_is_kept_for_the_next_process(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    first = MiniLM(threads=1).embed(TEXTS[:1])
    assert len(list(tmp_path.glob("minilm-onnx/*/encoder.onnx"))) == 1
    monkeypatch.setattr(MiniLM, "_graph", lambda self: pytest.fail("written again"))
    assert np.array_equal(MiniLM(threads=1).embed(TEXTS[:1]), first)


def test_without_a_cache_folder_the_graph_is_written_each_time(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSALIGN_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert MiniLM(threads=1).embed(TEXTS[:1]).shape == (1, 384)
    assert not list(tmp_path.rglob("*.onnx"))
