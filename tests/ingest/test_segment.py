import pytest

from pipeline.ingest.read import read_document
from pipeline.ingest.segment import segment, split_sentences
from pipeline.model import Article, Document, Sentence

from support import SEEDS


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
        (
            "Билетът струва 1,60 лв. на човек. Има и др. такси.",
            "bg",
            ["Билетът струва 1,60 лв. на човек.", "Има и др. такси."],
        ),
        ("Срещата е на 5 ян. 2022 г. в София.", "bg", ["Срещата е на 5 ян. 2022 г. в София."]),
        (
            'Той каза, че "държавата (. . .) ще плати". Никой не повярва.',
            "bg",
            ['Той каза, че "държавата (. . .) ще плати".', "Никой не повярва."],
        ),
        ("Ein Satz. Noch einer!", "de", ["Ein Satz.", "Noch einer!"]),
        ("Një fjali. Një tjetër.", "sq", ["Një fjali.", "Një tjetër."]),
        ("Same.  Same.", "en", ["Same.", "Same."]),
    ],
    ids=[
        "empty",
        "blank",
        "heading",
        "en-abbrev",
        "bg-year",
        "bg-lev",
        "bg-month",
        "bg-ellipsis",
        "de",
        "unsupported-lang",
        "repeated",
    ],
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


# --- long paragraphs: pysbd is quadratic, so it sees a sliding window; the result must not change -----------

from pipeline.ingest import segment as segment_module  # noqa: E402

LONG_EN = " ".join(
    f"Mr. Ivanov said on Jan. {n} that sentence {n} ends here{'!' if n % 7 == 0 else '.'} "
    f"“Quote {n} spans. Two sentences,” he added."
    for n in range(1, 200)
)
LONG_BG = " ".join(
    f"През {2000 + n} г. цената беше {n},50 лв. на човек. Това е изречение {n}." for n in range(1, 300)
)


@pytest.mark.parametrize("paragraph, lang", [(LONG_EN, "en"), (LONG_BG, "bg")], ids=["en", "bg"])
def test_window_gives_what_one_pysbd_call_gives(paragraph, lang, monkeypatch):
    assert len(paragraph) > 4 * segment_module._WINDOW
    windowed = split_sentences(paragraph, lang)
    monkeypatch.setattr(segment_module, "_WINDOW", 10**9)
    assert windowed == split_sentences(paragraph, lang)
    assert len(windowed) > 350


@pytest.mark.parametrize(
    "paragraph",
    [
        "word " * 3000,  # one sentence longer than the window: the window grows and keeps it whole
        "x" * 9000,
        ("A short one. " + "long " * 1500 + "end. ") * 3,
    ],
    ids=["no-boundary", "one-token", "boundaries-far-apart"],
)
def test_window_keeps_long_sentences_whole(paragraph):
    pieces = split_sentences(paragraph, "en")
    assert " ".join(pieces) == " ".join(paragraph.split())
    assert len(pieces) == {"w": 1, "x": 1, "A": 6}[paragraph[0]]
