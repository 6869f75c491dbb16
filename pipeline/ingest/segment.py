"""A Document in, an Article out: paragraphs split into sentences, numbered in reading order."""

from __future__ import annotations

import re
from functools import cache

from pipeline.model import Article, Document, Sentence

# pysbd's rule sets (Golden Rules); other languages use the English rules, which split on . ! ? sensibly.
# fmt: off
_PYSBD_LANGS = frozenset([
    "en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl", "da", "fr", "my",
    "el", "it", "ja", "de", "kk", "sk",
])
# fmt: on
# Abbreviations pysbd's Bulgarian rules miss; a sentence ending in one is joined with the next.
_NO_BREAK_AFTER = {
    "bg": re.compile(
        r"(?:\b(?:ян|фев|авг|сеп|септ|окт|ное|дек|г|гр|ул|бул|лв|др|т\.нар|т\.е|напр|проф|доц|акад|св|вж|стр"
        r"|с|мин|млн|млрд|хил|ок|пр|сл)\.)$"
    ),
    "en": re.compile(
        r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sen|Rep|Gov|St|Jan|Feb|Aug|Sept|Oct|Nov|Dec|No|vs|approx"
        r"|Inc|Corp|Ltd|U\.S)\.)$"
    ),
}


def segment(document: Document) -> Article:
    """Sentences of every paragraph; a presegmented document keeps its lines as sentences."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        parts = paragraph.split("\n") if document.presegmented else split_sentences(paragraph, document.lang)
        for text in parts:
            sentences.append(Sentence(id=len(sentences) + 1, text=text, paragraph=number))
    return Article(path=document.path, lang=document.lang, sentences=tuple(sentences))


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of one paragraph, each a stripped slice of it: joined back they give the paragraph."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    return _join_abbreviations(_windowed(text, lang), lang)


_WINDOW = 2000  # characters given to pysbd at once: it is quadratic in the length of what it gets


def _windowed(text: str, lang: str) -> list[str]:
    """pysbd over a sliding window, so a long paragraph costs linear time.

    All sentences but the last two of a window are kept; the next window starts where the
    second-to-last began, so every boundary is decided with a sentence of context after it.
    A window that holds no boundary grows until it does or reaches the end.
    """
    pieces: list[str] = []
    start, window = 0, _WINDOW
    while start < len(text):
        end = min(len(text), start + window)
        cuts = [start + cut for cut in _cuts(text[start:end], _segmenter(lang).segment(text[start:end]))]
        if end == len(text):
            return pieces + _slices(text, cuts + [end])
        if len(cuts) >= 3:
            pieces += _slices(text, cuts[:-1])
            start, window = cuts[-2], _WINDOW
        else:
            window *= 2
    return pieces


def _slices(text: str, cuts: list[int]) -> list[str]:
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


@cache
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in _PYSBD_LANGS else "en", clean=False)


def _cuts(text: str, pieces: list[str]) -> list[int]:
    """Where pysbd's pieces start in `text` (the first at 0); [0] when they cannot all be placed.

    pysbd returns strings, not offsets, and its char_span mode mislocates repeated sentences,
    so the pieces are found in order from a moving cursor instead. Unplaceable text stays whole.
    """
    cuts, cursor = [], 0
    for piece in (p.strip() for p in pieces):
        start = text.find(piece, cursor) if piece else -1
        if start < 0:
            return [0]
        cuts.append(start)
        cursor = start + len(piece)
    return [0] + cuts[1:]


def _join_abbreviations(pieces: list[str], lang: str) -> list[str]:
    rule = _NO_BREAK_AFTER.get(lang)
    if rule is None:
        return pieces
    joined: list[str] = []
    for piece in pieces:
        if joined and rule.search(joined[-1]) and not _starts_sentence(piece):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def _starts_sentence(piece: str) -> bool:
    """A new sentence after an abbreviation starts with a capital or an opening quote followed by one."""
    head = piece.lstrip("\"'“„«(—– ")
    return bool(head) and head[0].isupper() and not head.split(" ", 1)[0].rstrip(",").isdigit()
