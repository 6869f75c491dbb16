from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.model import Document
from pipeline.read import clean, decode, detect_language, read_document, read_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BG = "Пловдив пусна във вторник първата си трамвайна линия от петдесет години, съобщи кметът."
EN = "The Bulgarian city of Plovdiv opened its first tram line in fifty years on Tuesday."


@pytest.mark.parametrize(
    "raw, expected",
    [
        (BG.encode("utf-8"), BG),
        (b"\xef\xbb\xbf" + BG.encode("utf-8"), BG),
        (BG.encode("utf-16"), BG),
        (b"\xfe\xff" + BG.encode("utf-16-be"), BG),
        ((BG + " " + BG).encode("cp1251"), BG + " " + BG),
        (EN.encode("ascii"), EN),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "cp1251", "ascii"],
)
def test_decode_finds_the_encoding(raw, expected):
    assert decode(Path("x.txt"), raw) == expected


@pytest.mark.parametrize("raw", [b"", b"  \n\t "], ids=["empty", "whitespace"])
def test_decode_refuses_empty(raw):
    with pytest.raises(InputError, match="x.txt: empty file"):
        decode(Path("x.txt"), raw)


def test_decode_refuses_binary():
    with pytest.raises(InputError, match="not a text file"):
        decode(Path("x.bin"), bytes(range(256)) * 8)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("bell\x07 nul\x00 ok", "bell nul ok"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("e\u0301", "é"),
        ("", ""),
    ],
)
def test_clean(text, expected):
    assert clean(text) == expected


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_document_splits_paragraphs_and_keeps_headings(tmp_path):
    path = _write(tmp_path, "a.txt", f"Heading\n\n{EN}\nSecond line of the block\n\n\n{EN}\n")
    assert read_document(path, "en") == Document(
        str(path), "en", ("Heading", EN, "Second line of the block", EN)
    )


def test_hard_wrapped_lines_are_joined(tmp_path):
    wrapped = "The city council met on Tuesday to discuss the\nnew budget for the coming year and agreed on\nthe main lines of spending for schools and\nhospitals."
    path = _write(tmp_path, "a.txt", wrapped)
    assert read_document(path, "en").paragraphs == (" ".join(wrapped.split("\n")),)


def test_boilerplate_lines_are_removed_and_counted(tmp_path):
    icons = " ".join(f"{w}icon" for w in "bookmark camera check close edit file flag mail share".split())
    path = _write(tmp_path, "a.txt", f"{icons}\n\n{EN}\n\nSign up now for FREE unlimited access to Example.com\n")
    document = read_document(path, "en")
    assert document.paragraphs == (EN,)
    assert document.warnings == (f"{path}: removed 2 boilerplate line(s)",)


def test_presegmented_keeps_lines_and_blank_line_paragraphs(tmp_path):
    path = _write(tmp_path, "a.txt", "one.\ntwo.\n\nthree.\n")
    assert read_document(path, "en", presegmented=True).paragraphs == ("one.\ntwo.", "three.")


def test_html_main_text(tmp_path):
    html = (
        "<html><head><title>t</title></head><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav>"
        f"<article><h1>Tram line opens</h1><p>{EN}</p><p>{EN.replace('Tuesday', 'Monday')}</p></article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
    )
    document = read_document(_write(tmp_path, "a.html", html), "en")
    assert EN in document.paragraphs and not any("Home" in p or "Copyright" in p for p in document.paragraphs)


def test_html_without_article_text(tmp_path):
    with pytest.raises(InputError, match="HTML page with no article text"):
        read_document(_write(tmp_path, "a.html", "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><div>Accept cookies</div></body></html>"), "en")


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d, "empty.txt", ""), "empty file"),
    ],
    ids=["missing", "directory", "empty"],
)
def test_unreadable_inputs_name_the_file(tmp_path, make, problem):
    path = make(tmp_path)
    with pytest.raises(InputError, match=problem) as error:
        read_document(path)
    assert error.value.path == str(path)


@pytest.mark.parametrize("text, lang", [(BG + " " + BG, "bg"), (EN + " " + EN, "en")])
def test_detect_language(text, lang):
    assert detect_language("x", text) == lang


def test_detect_language_needs_words():
    with pytest.raises(InputError, match="no words"):
        detect_language("x.txt", "12 34 -- 56")


def test_read_text_is_cleaned(tmp_path):
    path = tmp_path / "mt.txt"
    path.write_bytes(b"one\r\ntwo\x07\r\n")
    assert read_text(path) == "one\ntwo\n"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
@pytest.mark.parametrize(
    "name, lang, junk",
    [
        ("000_4edc5930ec3dca38.txt", "en", "date 2022-01-07"),
        ("001_44a840e50541c4ec.txt", "bg", None),
        ("002_4518efd50d4bcaac.txt", "en", "bookmarkicon"),
        ("003_b248ca9894450f4a.txt", "en", "Sign up now"),
    ],
)
def test_seeds_read_without_junk(name, lang, junk):
    document = read_document(SEEDS / name)
    assert document.lang == lang
    if junk:
        assert not any(junk in p for p in document.paragraphs)
