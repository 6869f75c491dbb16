"""A file path in, a Document out: decoded text, main text of HTML, boilerplate removed, language known."""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Document

MAX_BYTES = 64 * 1024 * 1024  # larger inputs are refused rather than read into memory
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters XML 1.0 forbids and no reader wants: C0/C1 controls except tab and newline, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)

# Lines scraped web pages carry that are not part of the report. Kept as a short table of
# patterns because trafilatura only sees HTML; scraped *text* arrives with these lines still in.
_BOILERPLATE = (
    re.compile(r"^\s*sign up now\b.*", re.IGNORECASE),
    re.compile(r"^\s*(subscribe|register) (now|for free|to)\b.*", re.IGNORECASE),
    re.compile(r"^\s*(advertisement|share this article|read more|follow us on \w+)\s*:?\s*$", re.IGNORECASE),
    re.compile(r"^\s*(all rights reserved|©|copyright ©?\s*\d{4}).*$", re.IGNORECASE),
)
_ICON_TOKEN = re.compile(r"icon", re.IGNORECASE)
_MIN_ARTICLE_WORDS = 5  # below this, what trafilatura found is a menu or a label, not a report
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+")  # scraper metadata glued to the first line


def read_document(path: Path, lang: str | None = None, *, presegmented: bool = False) -> Document:
    """Read `path` into paragraphs; detect the language unless `lang` is given."""
    raw = _read_bytes(path)
    if not presegmented and _looks_like_html(path, raw):
        text = _main_text(path, raw)
    else:
        text = clean(decode(path, raw))
    warnings: list[str] = []
    if presegmented:
        paragraphs = _presegmented_paragraphs(text)
    else:
        paragraphs, removed = _paragraphs(text)
        if removed:
            warnings.append(f"{path}: removed {removed} boilerplate line(s)")
    if not any(p.strip() for p in paragraphs):
        raise InputError(str(path), "no text (the file is empty or only whitespace)")
    detected = lang or detect_language(path, "\n".join(paragraphs))
    return Document(str(path), detected, tuple(paragraphs), presegmented, tuple(warnings))


def read_text(path: Path) -> str:
    """The decoded, cleaned text of a plain-text file (used for --source-mt and manifests)."""
    return clean(decode(path, _read_bytes(path)))


def _read_bytes(path: Path) -> bytes:
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"too large ({size // 2**20} MiB; the limit is {MAX_BYTES // 2**20} MiB)")
        return path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None


def decode(path: Path, raw: bytes) -> str:
    """Bytes to text: a BOM wins, then strict UTF-8, then charset-normalizer's best guess (cp1251, UTF-16, ...)."""
    if not raw.strip():
        raise InputError(str(path), "empty file")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _guess(path, raw)


def _guess(path: Path, raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:1_000_000]).best()
    if best is None or (b"\x00" in raw and not best.encoding.startswith("utf_16")):
        raise InputError(str(path), "not a text file (binary data or an unknown encoding)")
    return raw.decode(best.encoding, errors="replace")


def clean(text: str) -> str:
    """Unify line ends, compose characters (NFC), and drop characters XML 1.0 forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", text.replace("\x0c", "\n"))


def _looks_like_html(path: Path, raw: bytes) -> bool:
    return Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML_START.match(raw[:2048]))


def _main_text(path: Path, raw: bytes) -> str:
    """The article text of an HTML page (trafilatura), one paragraph per line."""
    import trafilatura

    html = decode(path, raw)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or len(text.split()) < _MIN_ARTICLE_WORDS:
        raise InputError(str(path), "HTML page with no article text")
    return clean(text).replace("\n", "\n\n")


def _presegmented_paragraphs(text: str) -> list[str]:
    """One sentence per line; blank lines separate paragraphs (lines kept as they are)."""
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))
    return ["\n".join(line.strip() for line in block.split("\n") if line.strip()) for block in blocks if block.strip()]


def _paragraphs(text: str) -> tuple[list[str], int]:
    """Blank-line blocks; a block of short lines (headings, bullets) is one paragraph per line."""
    text = _DATE_PREFIX.sub("", text, count=1)
    paragraphs: list[str] = []
    removed = 0
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        kept = [line for line in lines if not _is_boilerplate(line)]
        removed += len(lines) - len(kept)
        if _hard_wrapped(kept):
            paragraphs.append(" ".join(kept))
        else:
            paragraphs.extend(kept)
    return paragraphs, removed


def _is_boilerplate(line: str) -> bool:
    if any(pattern.match(line) for pattern in _BOILERPLATE):
        return True
    words = line.split()
    icons = sum(1 for w in words if _ICON_TOKEN.search(w))
    return len(words) >= 8 and icons >= 0.3 * len(words)  # a scraped list of UI icon names


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines broken at a fixed width (e-mail, wire feeds): most end mid-sentence near the same length."""
    if len(lines) < 3:
        return False
    width = max(len(line) for line in lines[:-1])
    body = lines[:-1]
    near_width = sum(1 for line in body if len(line) >= 0.75 * width)
    mid_sentence = sum(1 for line in body if not line.endswith((".", "!", "?", ":", '"', "”", "»")))
    return 40 <= width <= 120 and near_width >= 0.7 * len(body) and mid_sentence >= 0.5 * len(body)


def detect_language(path: Path | str, text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid), or an error naming the file."""
    import py3langid

    sample = text[:20000]
    if not any(ch.isalpha() for ch in sample):
        raise InputError(str(path), "no words to detect the language from (give --source-lang/--target-lang)")
    lang, _ = py3langid.classify(sample)
    return _CYRILLIC_FIX.get(lang, lang) if _bulgarian_letters(sample) else lang


# langid confuses closely related Cyrillic languages on short news texts; Bulgarian is this tool's
# first case, so a Macedonian/Russian guess on text with Bulgarian-only letters is corrected.
_CYRILLIC_FIX = {"mk": "bg", "ru": "bg"}


def _bulgarian_letters(text: str) -> bool:
    """Mostly Cyrillic, with ъ/щ and without the letters Russian (ы, ё) and Macedonian (ќ) use."""
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    bulgarian_only = ("ъ" in text or "щ" in text) and "ы" not in text and "ё" not in text and "ќ" not in text
    return cyrillic > 0.5 * len(letters) and bulgarian_only
