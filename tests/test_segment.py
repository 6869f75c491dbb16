from pathlib import Path

import pytest

from pipeline.model import Article, Document, Sentence
from pipeline.read import read_document
from pipeline.segment import segment, split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    "paragraph, lang, expected",
    [
        ("", "en", []),
        ("   ", "bg", []),
        ("No final punctuation", "en", ["No final punctuation"]),
        ("Mr. Smith met Dr. Jones. It rained.", "en", ["Mr. Smith met Dr. Jones.", "It rained."]),
        (
            "През 2017 г. бившият министър бе осъден. Присъдата е 20 г. затвор.",
            "bg",
            ["През 2017 г. бившият министър бе осъден.", "Присъдата е 20 г. затвор."],
        ),
        ("Билетът струва 1,60 лв. на човек. Има и др. такси.", "bg", ["Билетът струва 1,60 лв. на човек.", "Има и др. такси."]),
        ("Срещата е на 5 ян. 2022 г. в София.", "bg", ["Срещата е на 5 ян. 2022 г. в София."]),
        ('Той каза, че "държавата (. . .) ще плати". Никой не повярва.', "bg", ['Той каза, че "държавата (. . .) ще плати".', "Никой не повярва."]),
        ("Ein Satz. Noch einer!", "de", ["Ein Satz.", "Noch einer!"]),
        ("Një fjali. Një tjetër.", "sq", ["Një fjali.", "Një tjetër."]),
        ("Same.  Same.", "en", ["Same.", "Same."]),
    ],
    ids=["empty", "blank", "heading", "en-abbrev", "bg-year", "bg-lev", "bg-month", "bg-ellipsis", "de", "unsupported-lang", "repeated"],
)
def test_split_sentences(paragraph, lang, expected):
    assert split_sentences(paragraph, lang) == expected


def test_split_sentences_loses_nothing():
    paragraph = "“It could take a year,” he said. “Or two weeks.” Then — silence… Really?! Yes."
    assert " ".join(split_sentences(paragraph, "en")) == paragraph


def test_segment_numbers_sentences_and_paragraphs():
    document = Document("a.txt", "en", ("Heading", "One. Two."))
    assert segment(document) == Article(
        "a.txt",
        "en",
        (Sentence(1, "Heading", 1), Sentence(2, "One.", 2), Sentence(3, "Two.", 2)),
    )


def test_presegmented_lines_are_taken_as_is():
    document = Document("a.txt", "de", ("Erster Satz. Zweiter Satz.\nDritter", "Vierter"), presegmented=True)
    assert [(s.id, s.text, s.paragraph) for s in segment(document).sentences] == [
        (1, "Erster Satz. Zweiter Satz.", 1),
        (2, "Dritter", 1),
        (3, "Vierter", 2),
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_seed_001_units():
    texts = [s.text for s in segment(read_document(SEEDS / "001_44a840e50541c4ec.txt")).sentences]
    assert {"Назарбаев в Абу Даби?", "Премиер", "БТА"} <= set(texts)
    assert any(t.startswith("През 2017 г. бившият") and t.endswith("по време на лов.") for t in texts)
    assert any("(. . .)" in t and t.startswith("Според Аблязов властта") for t in texts)
