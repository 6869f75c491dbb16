"""pipeline/align/signals.py: transliteration, anchors, n-gram rows, and which signals a pair gets."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.align.signals import Coverage, anchors, coverage, features, latin, ngram_signal
from pipeline.model import Article, Sentence


class FakeEmbedder:
    """Rows from a hash of the text: deterministic, no model."""

    name = "fake"

    def embed(self, texts):
        rows = np.asarray(
            [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]
        ).reshape(-1, 8)
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def article(lang, texts, translations=None):
    translations = translations or [None] * len(texts)
    return Article(
        "x", lang, tuple(Sentence(k + 1, t, 1, mt) for k, (t, mt) in enumerate(zip(texts, translations)))
    )


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Назарбаев избяга в Абу Даби", "bg", "Nazarbaev izbyaga v Abu Dabi"),
        ("Müller über Zürich", "de", "Muller uber Zurich"),
        ("Токаев", "xx", "Tokaev"),  # unknown language: Russian rules
        ("", "en", ""),
    ],
)
def test_latin(text, lang, expected):
    assert latin(text, lang) == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("In 2019, Nazarbayev left Almaty with 1,000 men.", "en", ["#2019", "#1000", "~nsrbv", "~almt"]),
        ("През 2019 г. Назарбаев напусна Алмати.", "bg", ["#2019", "~nsrbv", "~almt"]),
        ("Then Džerard and Dzherard met Gerrard.", "en", ["~srd", "~srd", "~srd"]),
        ("Prices rose 2.5 percent.", "en", ["#25"]),
        ("nothing here", "en", []),
        ("", "en", []),
    ],
)
def test_anchors(text, lang, expected):
    assert anchors(text, lang) == expected


def test_ngram_rows_make_identical_texts_closest():
    signal = ngram_signal(
        "t", 1.0, ["the bridge is long", "cats sleep"], ["the bridge is long", "dogs bark loudly"]
    )
    dots = (signal.source @ signal.target.T).toarray()
    norms = np.outer(
        np.sqrt(signal.source.multiply(signal.source).sum(1)),
        np.sqrt(signal.target.multiply(signal.target).sum(1)),
    )
    cosine = np.asarray(dots / norms)
    assert cosine[0, 0] == pytest.approx(1.0) and cosine[0, 1] < 0.2 and cosine[1, 1] < 0.2


@pytest.mark.parametrize(
    "translations, embedder, names",
    [
        (
            ["The bridge.", "It is long."],
            FakeEmbedder(),
            ["embedding:fake", "lexical_mt", "lexical_raw", "anchors"],
        ),
        (None, FakeEmbedder(), ["embedding:fake", "lexical_raw", "anchors"]),
        # MT only counts when every sentence has it
        (["The bridge.", None], None, ["lexical_raw", "anchors"]),
    ],
)
def test_features_has_the_signals_available(translations, embedder, names):
    source = article("de", ["Die Brücke.", "Sie ist lang."], translations)
    target = article("en", ["The bridge.", "It is long.", "New."])
    feats = features(source, target, embedder)
    assert [s.name for s in feats.signals] == names
    assert all(s.source.shape[0] == 2 and s.target.shape[0] == 3 for s in feats.signals)
    assert feats.source_lengths.tolist() == [11.0, 13.0] and feats.target_lengths.tolist() == [
        11.0,
        11.0,
        4.0,
    ]


def test_features_of_empty_articles():
    feats = features(article("de", []), article("en", []), FakeEmbedder())
    assert [s.name for s in feats.signals] == ["lexical_raw", "anchors"]
    assert feats.source_lengths.shape == (0,) and feats.target_lengths.shape == (0,)


@pytest.mark.parametrize(
    "lang, content",
    # no stop-word list for "xx": every word counts
    [("en", [False, True, False, False, True]), ("xx", [True] * 5)],
)
def test_coverage_gives_word_ids_weighted_by_idf(lang, content):
    found = coverage(["The bridge is long.", "The bridge"], ["THE bridge costs"], lang)
    ids = {word: k for k, word in enumerate(["the", "bridge", "is", "long", "costs"])}
    assert found.source == (
        frozenset(ids[w] for w in ("the", "bridge", "is", "long")),
        frozenset({ids["the"], ids["bridge"]}),
    )
    assert found.target == (frozenset({ids["the"], ids["bridge"], ids["costs"]}),)
    # "the" in all three: rare words weigh more
    assert found.weights == pytest.approx(np.log(4.0 / np.array([3, 3, 1, 1, 1])))
    assert found.content.tolist() == content  # stopwordsiso's English list holds "the", "is" and "long"


def test_coverage_meets_a_name_left_transliterated_by_its_sound_key():
    found = coverage(["Then Dzherard scored."], ["Then Gerrard scored.", "Then Garrett scored."], "en")
    (source,), (gerrard, garrett) = found.source, found.target
    assert len(source & gerrard) == len(source & garrett) + 1  # "then", "scored" and the name's key


@pytest.mark.parametrize(
    "translations, expected",
    [(["The bridge.", "It is long."], Coverage), (None, type(None)), (["The bridge.", None], type(None))],
)
def test_features_carry_coverage_only_with_a_whole_translation(translations, expected):
    feats = features(
        article("de", ["Die Brücke.", "Sie ist lang."], translations), article("en", ["The bridge."]), None
    )
    assert type(feats.coverage) is expected
