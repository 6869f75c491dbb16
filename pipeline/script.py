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


# Letters with which Slavic languages spell a name in Latin (Serbo-Croatian, Czech, ...), as the digraphs
# a romanised Cyrillic name has instead: "Džerard" and "Dzherard" are one spelling.
_SLAVIC_LATIN = {"dž": "dzh", "đ": "dj", "č": "ch", "ć": "ch", "š": "sh", "ž": "zh"}
# What a transliteration keeps of a name, in order on its lower-cased letters: the consonants by the class
# of sound they spell (every hushing, hissing or affricate spelling one class, "S"; hard c, q and x one,
# "k"), vowels and the semivowels y, j, h dropped after the first letter. "Gerrard", "Dzherard", "Džerard"
# become "srd"; "Rangers", "Reyndzhărs" "rnsrs"; "Kazakhstan", "Kazahstan" "kzstn"; "Tokayev", "Tokajev"
# "tkv".
_SOUND_CLASSES = (
    (r"^j", "S"),
    (r"dzh|dz|dj|zh|tsch|tch|sch|sh|ch|ts|tz|cz|sz|[sz]|g(?=[eiy])|c(?=[eiy])", "S"),
    (r"kh", "h"),
    (r"ph", "f"),
    (r"th|dt", "t"),
    (r"w", "v"),
    (r"x", "kS"),
    (r"ck|q|c", "k"),
)
_DROPPED = re.compile(r"(?<=.)[aeiouyjh]")


def sound_key(name: str) -> str:
    """What of a name survives transliteration, so that spellings of it through other scripts meet:
    "Gerrard", "Dzherard" (romanised from Cyrillic) and "Džerard" (Serbo-Croatian) give one key."""
    word = name.lower()
    for letters, digraph in _SLAVIC_LATIN.items():
        word = word.replace(letters, digraph)
    word = without_accents(word)
    for pattern, sound in _SOUND_CLASSES:
        word = re.sub(pattern, sound, word)
    word = _DROPPED.sub("", word)
    return re.sub(r"(.)\1+", r"\1", word).lower()


def transliterated(word: str) -> bool:
    """Whether the word is spelt as a transliteration spells a name: in Cyrillic, or in Latin letters
    with the marks of a Slavic language's alphabet."""
    return has_cyrillic(word) or any(letter in _SLAVIC_LATIN for letter in word.lower())
