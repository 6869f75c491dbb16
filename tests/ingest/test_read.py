from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest.read import clean, decode, detect_language, read_document, read_text
from pipeline.model import Document

from support import SEEDS

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
    wrapped = (
        "The city council met on Tuesday to discuss the\n"
        "new budget for the coming year and agreed on\n"
        "the main lines of spending for schools and\n"
        "hospitals."
    )
    path = _write(tmp_path, "a.txt", wrapped)
    assert read_document(path, "en").paragraphs == (" ".join(wrapped.split("\n")),)


def test_boilerplate_lines_are_removed_and_counted(tmp_path):
    names = ["bookmark", "camera", "check", "close", "edit", "file", "flag", "mail", "share"]
    icons = " ".join(f"{w}icon" for w in names)
    path = _write(
        tmp_path, "a.txt", f"{icons}\n\n{EN}\n\nSign up now for FREE unlimited access to Example.com\n"
    )
    document = read_document(path, "en")
    assert document.paragraphs == (EN,)
    assert document.notes == (f"{path}: removed 2 boilerplate line(s)",)


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
        read_document(
            _write(
                tmp_path,
                "a.html",
                "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                "<div>Accept cookies</div></body></html>",
            ),
            "en",
        )


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


# --- decoding: what each kind of bytes becomes, and the warning it gets ------------------------------------

import os  # noqa: E402

from pipeline.ingest import read as read_module  # noqa: E402  (kept apart from the lead's imports above)
from pipeline.ingest.read import check_language, check_reports  # noqa: E402


@pytest.mark.parametrize(
    "raw, text, note",
    [
        (BG.encode("utf-8"), BG, None),
        (b"\xef\xbb\xbf" + BG.encode("utf-8"), BG, None),
        (BG.encode("utf-16"), BG, "x.txt: decoded from UTF-16 (byte-order mark)"),
        (BG.encode("utf-32"), BG, "x.txt: decoded from UTF-32 (byte-order mark)"),
        ((BG + " " + BG).encode("cp1251"), BG + " " + BG, "x.txt: decoded from cp1251 (guessed; not UTF-8)"),
        (
            (BG + " " + EN).encode("utf-16-le"),
            BG + " " + EN,
            "x.txt: decoded from utf_16_le (guessed; not UTF-8)",
        ),
        (
            (EN + " " + EN).encode("utf-16-be"),
            EN + " " + EN,
            "x.txt: decoded from utf_16_be (guessed; not UTF-8)",
        ),
        (
            (BG + "\n").encode() * 3 + b"\xff\xfe" + BG.encode(),
            (BG + "\n") * 3 + "\ufffd\ufffd" + BG,
            "x.txt: 2 invalid byte sequence(s) replaced with U+FFFD (first on line 4)",
        ),
        (
            b"\xef\xbb\xbf" + BG.encode() + b"\xc0",
            BG + "\ufffd",
            "x.txt: 1 invalid byte sequence(s) replaced with U+FFFD (first on line 1)",
        ),
        (b"Lone " + b"\xed\xa0\x80" + b" surrogate.", "Lone \ud800 surrogate.", None),
        (b"Smile " + b"\xed\xa0\xbd\xed\xb8\x80" + b" (CESU-8).", "Smile \U0001f600 (CESU-8).", None),
        ("A real \ufffd stays.".encode(), "A real \ufffd stays.", None),
        # a stray NUL in a short text: still UTF-8 (clean drops it)
        (b"town town \x00.", "town town \x00.", None),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf32-bom",
        "cp1251",
        "utf16le-no-bom",
        "utf16be-no-bom",
        "damaged-utf8",
        "damaged-utf8-bom",
        "encoded-lone-surrogate",
        "cesu8-pair",
        "existing-fffd",
        "stray-nul",
    ],
)
def test_decode_says_what_it_did(raw, text, note):
    assert read_module._decode(Path("x.txt"), raw) == (text, note)


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)),
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 65, 66]) * 100,  # no NUL, valid UTF-8, still binary
    ],
    ids=["all-bytes", "png-header", "controls-without-nul"],
)
def test_decode_refuses_binary_kinds(raw):
    with pytest.raises(InputError, match="x.bin: not a text file"):
        decode(Path("x.bin"), raw)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a\x0bb\x0cc\x85d\u2028e", "a\nb\nc\nd\ne"),
        ("para\u2029next", "para\n\nnext"),
        ("e\x07\u0301", "é"),  # controls go before composing, so the accent still joins its letter
        ("tab\tkept", "tab\tkept"),
        ("\ufffe\uffff\x7f\x9f", ""),
        ("عربي 🎉 עברית \u200f", "عربي 🎉 עברית \u200f"),
    ],
    ids=["line-ends", "paragraph-separator", "nfc-after-drop", "tab", "nonchars", "rtl-emoji-untouched"],
)
def test_clean_more(text, expected):
    assert clean(text) == expected


def test_dropped_characters_are_counted_in_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"{EN}\x07\x00\n\n{EN}\ud800\n", encoding="utf-8", errors="surrogatepass")
    document = read_document(path, "en")
    assert document.paragraphs == (EN, EN)
    assert document.notes == (f"{path}: removed 3 control character(s) or lone surrogate(s)",)


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(read_module.MAX_BYTES + 1)  # sparse: nothing is written to disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    with pytest.raises(InputError, match=r"big.txt: too large \(16 MiB; the limit is 16 MiB\)"):
        read_document(path)


def test_too_long_text_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read_module, "MAX_CHARS", 100)
    path = _write(tmp_path, "long.txt", EN * 2)
    with pytest.raises(InputError, match=r"long.txt: too long \(166 characters; the limit is 100\)"):
        read_document(path, "en")


def test_character_limit_is_on_the_article_not_the_page(tmp_path, monkeypatch):
    page = (
        f"<html><head><style>{'p {{ margin: 0 }} ' * 40}</style></head>"
        f"<body><article><p>{EN}</p></article></body></html>"
    )
    monkeypatch.setattr(read_module, "MAX_CHARS", 200)
    assert read_document(_write(tmp_path, "a.html", page), "en").paragraphs == (EN,)
    with pytest.raises(InputError, match="too long"):
        read_document(_write(tmp_path, "b.html", page.replace(EN, EN * 3)), "en")


@pytest.mark.parametrize(
    "make",
    [lambda d: os.mkfifo(d / "pipe") or d / "pipe", lambda d: Path("/dev/zero")],
    ids=["fifo", "device"],
)
def test_special_files_are_refused_without_reading(tmp_path, make):
    path = make(tmp_path)
    with pytest.raises(InputError, match="not a regular file"):
        read_document(path)


def _doc(text: str, lang: str, path: str = "a.txt") -> Document:
    return Document(path, lang, tuple(text.split("\n\n")))


DE = (
    "Die Stadt Plowdiw hat am Dienstag ihre erste Straßenbahnlinie seit fünfzig Jahren eröffnet, "
    "teilte der Bürgermeister mit."
)
RU = "Пловдив открыл во вторник свою первую трамвайную линию за пятьдесят лет, сообщил мэр города."


@pytest.mark.parametrize(
    "text, declared, refused",
    [
        (EN, "en", None),
        (BG, "bg", None),
        (RU, "bg", None),  # close languages pass: only clear cases are refused
        (BG, "mk", None),
        (DE, "en", "looks like de, not en"),
        (EN, "bg", "looks like en, not bg"),
        (BG, "en", "looks like bg, not en"),
        ("Premier", "de", None),  # too few letters to judge
        ("Назарбаев в Абу Даби? 12 345 678", "en", None),
        (EN, "xx", None),  # a code langid does not know
        (EN, None, None),
    ],
)
def test_check_language(text, declared, refused):
    if refused is None:
        assert check_language(_doc(text, declared or "en"), declared, "source") is None
    else:
        with pytest.raises(InputError, match=f"a.txt: the text {refused} \\(the declared source language\\)"):
            check_language(_doc(text, declared, "a.txt"), declared, "source")


@pytest.mark.parametrize("text, declared", [(EN, "en"), (BG, "bg"), (DE, "de")])
def test_a_declared_language_its_stop_words_confirm_needs_no_language_model(monkeypatch, text, declared):
    from pipeline.ingest import read

    monkeypatch.setattr(read, "_identifier", lambda: pytest.fail("langid loaded"))
    assert check_language(_doc(text, declared), declared, "source") is None


def test_a_declared_language_its_stop_words_do_not_confirm_goes_to_the_language_model(monkeypatch):
    from pipeline.ingest import read

    asked, real = [], read._identifier
    monkeypatch.setattr(read, "_identifier", lambda: asked.append(True) or real())
    with pytest.raises(InputError, match="looks like de, not en"):
        check_language(_doc(DE, "en", "a.txt"), "en", "source")
    assert asked == [True]


@pytest.mark.parametrize("count", [2, 3])
def test_check_reports_refuses_the_same_text_twice(count):
    others = [_doc(EN + " Other.", "en", "c.txt")] * (count - 2)
    with pytest.raises(InputError) as error:
        check_reports(
            [_doc(BG, "bg", "a.txt"), *others, _doc(BG, "bg", "b.txt")], [None] * count, ["report"] * count
        )
    assert (error.value.path, error.value.problem) == (
        "b.txt",
        "same text as a.txt (the same report given twice?)",
    )


@pytest.mark.parametrize("langs", [("bg", "en"), (None, None), (None, "en")])
def test_check_reports_passes_reports_in_their_languages(langs):
    assert (
        check_reports([_doc(BG, "bg", "a.txt"), _doc(EN, "en", "b.txt")], langs, ("source", "target")) is None
    )


def test_check_reports_refuses_a_file_in_another_language_naming_its_role():
    documents = [_doc(EN + " Other.", "en", "b.txt"), _doc(EN, "bg", "a.txt")]
    with pytest.raises(
        InputError, match="a.txt: the text looks like en, not bg \\(the declared source language"
    ):
        check_reports(documents, ["en", "bg"], ["target", "source"])
