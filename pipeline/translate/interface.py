"""What every translation backend offers: a name for the provenance, and sentences in, translations out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Translator(Protocol):
    """A loaded translation backend for one language pair."""

    @property
    def name(self) -> str: ...  # provenance, e.g. "argos:translate-bg_en-1_9", "apertium:bul-mkd|mkd-eng"

    def translate(self, texts: Sequence[str]) -> list[str]: ...
