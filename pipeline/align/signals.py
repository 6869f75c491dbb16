"""Two Articles (and an embedder) in, per-sentence feature vectors out: the signals the aligner compares.

Every signal is a pair of row matrices (source, target) whose dot products,
summed over the sentences of a bead, give that bead's similarity (cosine of
summed vectors). That keeps merges exact and the aligner language-blind:
all language-specific work — transliteration, number and name anchors,
character n-grams of the machine translation — happens here. When the source
has a translation, the words of each sentence (as ids, with idf weights) also
go to the aligner, which uses them to tell a piece of a split sentence from an
addition (see attach.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pipeline.align.settings import ALIGN
from pipeline.model import Article
from pipeline.script import sound_key, to_latin, without_accents

if TYPE_CHECKING:  # scipy is imported where it is used, not when the package loads
    from scipy.sparse import csr_matrix


_NUMBER = re.compile(r"\d+(?:[.,' ]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signal:
    """One kind of evidence: rows for source and target sentences (dense ndarray or scipy CSR)."""

    name: str
    weight: float
    source: np.ndarray | csr_matrix
    target: np.ndarray | csr_matrix
    optional: bool = False  # counted only where both sides have a non-zero row (anchors)


@dataclass(frozen=True)
class Coverage:
    """Word ids per sentence (source: of its machine translation; target: of itself), each id's idf weight,
    and whether it is a content word (not a stop word of the target language)."""

    source: tuple[frozenset[int], ...]
    target: tuple[frozenset[int], ...]
    weights: np.ndarray
    content: np.ndarray
    letters: np.ndarray | None = None  # whether each word has a letter (not a number alone); None: all have


@dataclass(frozen=True)
class Features:
    """Everything the aligner needs about a pair, numbers only."""

    signals: tuple[Signal, ...]
    source_lengths: np.ndarray  # characters per sentence
    target_lengths: np.ndarray
    coverage: Coverage | None = None  # only when every source sentence has a translation


def features(source: Article, target: Article, embedder=None) -> Features:
    """The signals available for this pair: embeddings, MT overlap, raw overlap, anchors."""
    signals = []
    if embedder is not None and source.sentences and target.sentences:
        signals.append(embedding_signal(source, target, embedder))
    translations = in_target_language(source, target)
    words = None
    if source.sentences and translations is not None:
        signals.append(ngram_signal("lexical_mt", ALIGN.weight_lexical_mt, translations, target.texts()))
        words = coverage(translations, target.texts(), target.lang)
    signals.append(
        ngram_signal(
            "lexical_raw",
            ALIGN.weight_lexical_raw,
            [latin(t, source.lang) for t in source.texts()],
            [latin(t, target.lang) for t in target.texts()],
        )
    )
    signals.append(anchor_signal(source, target))
    return Features(tuple(signals), _lengths(source.texts()), _lengths(target.texts()), words)


def in_target_language(source: Article, target: Article) -> list[str] | None:
    """The source's sentences in the target's language: its translation, or itself when both reports
    share a language (two English reports are compared word with word); None when there is neither."""
    translations = source.translations()
    if all(t is not None for t in translations):
        return [str(t) for t in translations]
    return source.texts() if source.lang == target.lang else None


def embedding_signal(source: Article, target: Article, embedder) -> Signal:
    """Both sides embedded in one batch (the model's batching boundary)."""
    texts = source.texts() + target.texts()
    rows = embedder.embed(texts) * (_lengths(texts)[:, None] + 1.0) ** ALIGN.embedding_length_power
    n = len(source.sentences)
    return Signal(f"embedding:{embedder.name}", ALIGN.weight_embedding, rows[:n], rows[n:])


def ngram_signal(name: str, weight: float, source: Sequence[str], target: Sequence[str]) -> Signal:
    """chrF-like character n-grams (tf x idf over this pair), as sparse rows."""
    counts = [_ngrams(text) for text in list(source) + list(target)]
    rows = _tfidf(counts)
    return Signal(name, weight, rows[: len(source)], rows[len(source) :])


def coverage(source: Sequence[str], target: Sequence[str], lang: str) -> Coverage:
    """Lower-cased words of the translated source and of the target (both in `lang`), as ids with idf weights.

    The idf is counted within this pair.
    """
    import stopwordsiso

    vocabulary: dict[str, int] = {}
    sets = [
        frozenset(vocabulary.setdefault(w, len(vocabulary)) for w in _words(text, lang))
        for text in list(source) + list(target)
    ]
    df = np.zeros(len(vocabulary))
    for ids in sets:
        df[list(ids)] += 1
    weights = np.log((1.0 + len(sets)) / np.maximum(df, 1.0))
    stop = stopwordsiso.stopwords(lang) if stopwordsiso.has_lang(lang) else set()
    content = np.asarray([word not in stop for word in vocabulary], dtype=bool)
    letters = np.asarray([any(ch.isalpha() for ch in word) for word in vocabulary], dtype=bool)
    return Coverage(tuple(sets[: len(source)]), tuple(sets[len(source) :]), weights, content, letters)


def _words(text: str, lang: str) -> list[str]:
    """The text's lower-cased words, a name (names) as its key (name_key): a name a rough MT left
    transliterated ("Dzherard") is still the target's word ("Gerrard")."""
    words = _WORD.findall(text)
    return [name_key(w, lang) if k and _is_name(w) else w.lower() for k, w in enumerate(words)]


def anchor_signal(source: Article, target: Article) -> Signal:
    """Numbers and names (by what of them survives transliteration), which survive translation."""
    counts = [Counter(anchors(t, source.lang)) for t in source.texts()]
    counts += [Counter(anchors(t, target.lang)) for t in target.texts()]
    rows = _tfidf(counts)
    n = len(source.sentences)
    return Signal("anchors", ALIGN.weight_anchors, rows[:n], rows[n:], optional=True)


def anchors(text: str, lang: str) -> list[str]:
    """Numbers (digits only) and capitalised words after the first, as the start of their sound keys."""
    numbers = ["#" + re.sub(r"\D", "", m) for m in _NUMBER.findall(text)]
    return numbers + [name_key(w, lang) for w in names(text)]


def name_key(word: str, lang: str) -> str:
    """A name as the start of its sound key (script.sound_key), so that its spellings through another
    script meet ("Gerrard", "Dzherard", "Džerard"), and so do its inflected forms (Kresna, Kresnas)."""
    return "~" + sound_key(to_latin(word, lang))[: ALIGN.name_key_length]


def names(text: str) -> list[str]:
    """The capitalised words after the first (names, mostly), as written."""
    return [w for w in _WORD.findall(text)[1:] if _is_name(w)]


def _is_name(word: str) -> bool:
    return word[:1].isupper() and len(word) >= 3 and not word.isdigit()


def latin(text: str, lang: str) -> str:
    """Cyrillic spelt in Latin letters, accents dropped: names meet across scripts."""
    return without_accents(to_latin(text, lang))


def _ngrams(text: str) -> Counter:
    words = _WORD.findall(text.lower())
    padded = " " + " ".join(words) + " "
    return Counter(padded[i : i + n] for n in ALIGN.ngrams for i in range(len(padded) - n + 1))


def _tfidf(counts: list[Counter]):
    """Sparse rows: log-scaled counts times log inverse document frequency within this pair."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    indptr, indices, values = [0], [], []
    for c in counts:
        for gram, count in c.items():
            indices.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append((1.0 + np.log(count)) * np.log((1.0 + len(counts)) / df[gram]))
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(values, dtype=np.float64), indices, indptr), shape=(len(counts), max(1, len(vocabulary)))
    )


def _lengths(texts: Sequence[str]) -> np.ndarray:
    return np.asarray([len(t) for t in texts], dtype=np.float64)
