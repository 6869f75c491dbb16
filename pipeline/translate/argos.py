"""Sentences in, machine translations out: an installed Argos package run with SentencePiece + CTranslate2.

argostranslate's own translate() splits every call into sentences again and
runs CTranslate2 on batches of 32 tokens; here the whole list of sentences
goes to CTranslate2 in one call, batched by tokens and sorted by length
(CTranslate2 reorders inside translate_batch when max_batch_size is set).
argostranslate itself is not imported: the package folder is read directly.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import ModelError, TranslationError, UsageError
from pipeline.translate import packages

WORD_START = "\u2581"  # SentencePiece's mark of a piece that begins a word
LENGTH_PENALTY = 0.2  # what argostranslate uses, so both paths choose the same hypotheses


@dataclass(frozen=True)
class Settings:
    """How the model runs; defaults follow argostranslate's environment variables."""

    beam_size: int = 4
    # CTranslate2 intra_threads (its own default, 4, oversubscribes 2 cores)
    threads: int = min(4, os.cpu_count() or 1)
    compute_type: str = "auto"  # "auto": int8 where the CPU supports it
    device: str = "cpu"
    batch_tokens: int = 2048  # tokens per CTranslate2 batch
    max_tokens: int = 250  # longer inputs are split at word boundaries (lowered to the model's limit)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            beam_size=_whole(env, "ARGOS_BEAM_SIZE", cls.beam_size),
            threads=_whole(env, "ARGOS_INTRA_THREADS", cls.threads),
            compute_type=env.get("ARGOS_COMPUTE_TYPE", cls.compute_type),
            device=env.get("ARGOS_DEVICE_TYPE", cls.device),
            batch_tokens=_whole(env, "NEWSALIGN_BATCH_TOKENS", cls.batch_tokens),
        )


def _whole(env, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise UsageError(f"{name}={value!r} is not a whole number")
    return int(value)


class ArgosTranslator:
    """One installed Argos package, loaded once; `.translate` takes any number of sentences."""

    def __init__(self, package: packages.Package, settings: Settings) -> None:
        import ctranslate2
        import sentencepiece

        self.package = package
        self.name = f"argos:{package.name}"
        self.positions = position_limit(package.path / "model" / "model.bin")
        self.settings = _fit_to_model(settings, self.positions)
        self.compute_type = _compute_type(self.settings)
        try:
            self._pieces = sentencepiece.SentencePieceProcessor(
                model_file=str(package.path / "sentencepiece.model")
            )
            self._model = ctranslate2.Translator(
                str(package.path / "model"),
                device=self.settings.device,
                compute_type=self.compute_type,
                intra_threads=self.settings.threads,
            )
        except Exception as error:
            # CTranslate2 raises RuntimeError, ValueError, IndexError... on a bad model
            raise ModelError(
                f"{package.path}: cannot load the package ({packages.first_line(error)})"
            ) from None

    @classmethod
    def load(cls, source_lang: str, target_lang: str, settings: Settings | None = None) -> ArgosTranslator:
        """The newest installed package for the pair; ModelError (one line) when there is none."""
        return cls(packages.find(source_lang, target_lang), settings or Settings.from_env())

    @property
    def model_id(self) -> str:
        """What a cached translation depends on: package, its files, and the decoding settings."""
        stat = (self.package.path / "model" / "model.bin").stat()
        return f"{self.name}@{stat.st_size}:{stat.st_mtime_ns}/beam{self.settings.beam_size}"

    def translate(self, texts: Sequence[str]) -> list[str]:
        """One translation per text; empty texts stay empty; identical texts are translated once."""
        unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
        translated = dict(zip(unique, self._translate_unique(unique)))
        return [translated.get(t.strip(), "") for t in texts]

    def _translate_unique(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        pieces = self._pieces.encode(texts, out_type=str)
        chunks, owners = split_long(pieces, self.settings.max_tokens)
        joined = [""] * len(texts)
        for chunk, owner, output in zip(chunks, owners, self._run(chunks)):
            glue = " " if joined[owner] and output and chunk[0].startswith(WORD_START) else ""
            joined[owner] += glue + output
        return joined

    def _run(self, chunks: list[list[str]]) -> list[str]:
        prefix = self.package.target_prefix
        longest = max(len(c) for c in chunks)
        try:
            results = self._model.translate_batch(
                chunks,
                target_prefix=[[prefix] for _ in chunks] if prefix else None,
                max_batch_size=self.settings.batch_tokens,
                batch_type="tokens",
                beam_size=self.settings.beam_size,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                max_input_length=0,  # never truncate: split_long already bounded every chunk
                max_decoding_length=min(2 * longest + 10, self.positions or 1024),
            )
        except (RuntimeError, ValueError) as error:
            raise TranslationError(
                f"{self.name}: CTranslate2 failed ({packages.first_line(error)})"
            ) from None
        return [self._decode(r.hypotheses[0], prefix) for r in results]

    def _decode(self, tokens: list[str], prefix: str) -> str:
        if prefix and tokens and tokens[0] == prefix:
            tokens = tokens[1:]
        return self._pieces.decode(tokens).strip()


def split_long(pieces: list[list[str]], limit: int) -> tuple[list[list[str]], list[int]]:
    """Inputs of at most `limit` tokens, cut before word starts; and which input each chunk came from."""
    chunks, owners = [], []
    for owner, tokens in enumerate(pieces):
        for chunk in _chunks(tokens, limit):
            chunks.append(chunk)
            owners.append(owner)
    return chunks, owners


def _chunks(tokens: list[str], limit: int) -> list[list[str]]:
    if len(tokens) <= limit:
        return [tokens]
    out, start = [], 0
    while len(tokens) - start > limit:
        cut = _cut(tokens, start, limit)
        out.append(tokens[start:cut])
        start = cut
    out.append(tokens[start:])
    return out


def _cut(tokens: list[str], start: int, limit: int) -> int:
    """Where the chunk at `start` ends: after punctuation if it can, else before a word, else at the limit."""
    end = start + limit
    words = [i for i in range(start + 1, end + 1) if i < len(tokens) and tokens[i].startswith(WORD_START)]
    after_punctuation = [i for i in words if tokens[i - 1].rstrip(WORD_START)[-1:] in ",;:.!?)»“”\"'"]
    for candidates in (after_punctuation, words):
        late = [i for i in candidates if i - start >= limit // 2]
        if late:
            return late[-1]
    return end


def _fit_to_model(settings: Settings, positions: int | None) -> Settings:
    """Lower max_tokens to what the model's position table holds (the source also gets an end token)."""
    if positions is None or positions - 1 >= settings.max_tokens:
        return settings
    return replace(settings, max_tokens=max(1, positions - 1))


def position_limit(model_bin: Path) -> int | None:
    """Rows of the smallest position table in a CTranslate2 model.bin (None: no table, or an unknown format).

    Read from the file header (variable names and shapes; the weights are skipped).
    """
    try:
        with model_bin.open("rb") as f:
            (version,) = struct.unpack("<I", f.read(4))
            if version not in (5, 6):
                return None
            _string(f)
            _revision, count = struct.unpack("<II", f.read(8))
            rows = []
            for _ in range(count):
                name = _string(f)
                (rank,) = struct.unpack("<B", f.read(1))
                shape = struct.unpack(f"<{rank}I", f.read(4 * rank))
                _dtype, size = struct.unpack("<BI", f.read(5))
                f.seek(size, os.SEEK_CUR)
                if name.endswith("position_encodings/encodings") and shape:
                    rows.append(shape[0])
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return min(rows) if rows else None


def _string(f) -> str:
    (length,) = struct.unpack("<H", f.read(2))
    return f.read(length)[:-1].decode("utf-8")


def _compute_type(settings: Settings) -> str:
    if settings.compute_type != "auto":
        return settings.compute_type
    import ctranslate2

    return "int8" if "int8" in ctranslate2.get_supported_compute_types(settings.device) else "default"
