"""Text in, what its writing system tells out: Cyrillic found, counted and spelt in Latin letters.

The one place that knows scripts: reading (is this Bulgarian?), the aligner's name anchors and the
relation's shared names, the word evidence, and Apertium's pass-through words all ask here, so a name
is spelt the same way wherever two reports are compared.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CYRILLIC_LETTERS = "\u0400-\u04ff"
_CYRILLIC = re.compile(f"[{CYRILLIC_LETTERS}]")
# a Cyrillic word, with its inner hyphens and apostrophes ("Абу-Даби", "д’Артанян")
CYRILLIC_WORD = re.compile(f"[{CYRILLIC_LETTERS}]+(?:[-'\u2019][{CYRILLIC_LETTERS}]+)*")
# cyrtranslit names some languages by country: ISO 639-1 code -> its table
_TABLES = {"uk": "ua", "be": "by", "tg": "tj"}
# the table for a Cyrillic word in a language cyrtranslit has none for: the most widely read one
FALLBACK_TABLE = "ru"


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def cyrillic_share(text: str) -> float:
    """The share of the text's letters that are Cyrillic (0.0 for a text without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if _CYRILLIC.match(ch)) / len(letters) if letters else 0.0


def to_latin(text: str, lang: str) -> str:
    """The text with its Cyrillic spelt in Latin letters by the language's own table (cyrtranslit);
    unchanged when it has none."""
    if not has_cyrillic(text):
        return text
    import cyrtranslit

    return cyrtranslit.to_latin(text, _table(lang))


def without_accents(text: str) -> str:
    """Accents dropped ("Tokaïev" -> "Tokaiev"), so spellings of one name meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=64)
def _table(lang: str) -> str:
    import cyrtranslit

    code = _TABLES.get(lang, lang)
    return code if code in cyrtranslit.supported() else FALLBACK_TABLE
