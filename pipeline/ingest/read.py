"""A file path in, a Document out: decoded text, main text of HTML, boilerplate removed, language known.

What reading changes in a text (docs/bad-input.md lists it for users): line ends become "\n"
(also U+0085, U+2028, vertical tab and form feed; U+2029 ends a paragraph); characters XML 1.0
forbids are dropped (C0/C1 controls other than tab and newline, lone surrogates, U+FFFE, U+FFFF);
the text is composed (NFC); lines of web-page boilerplate and a leading "date YYYY-MM-DD" token
are removed; HTML is reduced to its article text. A guessed encoding, replaced bytes, dropped
characters and removed boilerplate lines are each reported in one warning naming the file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.errors import InputError, UsageError
from pipeline.ingest.settings import INGEST
from pipeline.model import Document
from pipeline.script import cyrillic_share

MAX_BYTES = 16 * 1024 * 1024  # a larger file is refused before it is read (HTML pages run to a few MiB)
MAX_CHARS = 1_000_000  # ~10 000 sentences: five times a very long report; segmented in well under a minute
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LINE_ENDS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
)
# Characters XML 1.0 forbids and no reader wants: C0/C1 controls except tab and newline, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# what UTF-16 text read as UTF-8 is full of (NULs for Latin, 0x04 for Cyrillic)
_C0 = re.compile("[\x00-\x08\x0e-\x1f]")
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)

# Lines scraped web pages carry that are not part of the report. Kept as a short table of
# patterns because trafilatura only sees HTML; scraped *text* arrives with these lines still in.
_BOILERPLATE = (
    re.compile(r"^\s*sign up now\b.*", re.IGNORECASE),
    re.compile(r"^\s*(subscribe|register) (now|for free|to)\b.*", re.IGNORECASE),
    re.compile(r"^\s*(advertisement|share this article|read more|follow us on \w+)\s*:?\s*$", re.IGNORECASE),
    re.compile(r"^\s*(all rights reserved|©|copyright ©?\s*\d{4}).*$", re.IGNORECASE),
)
_ICON_TOKEN = re.compile(r"icon", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+")  # scraper metadata glued to the first line


def read_document(path: Path, lang: str | None = None, *, presegmented: bool = False) -> Document:
    """Read `path` into paragraphs; detect the language unless `lang` is given."""
    text, notes = _text(Path(path), read_bytes(path), html=not presegmented)
    if presegmented:
        paragraphs = _presegmented_paragraphs(text)
    else:
        paragraphs, removed = _paragraphs(text)
        if removed:
            notes.append(f"{path}: removed {removed} boilerplate line(s)")
    if not any(p.strip() for p in paragraphs):
        raise InputError(str(path), "no text (the file is empty or only whitespace)")
    detected = lang or detect_language(path, "\n".join(paragraphs))
    return Document(str(path), detected, tuple(paragraphs), presegmented, tuple(notes))


def read_text(path: Path) -> str:
    """The decoded, cleaned text of a plain-text file (used for --source-mt and manifests)."""
    return _text(Path(path), read_bytes(path), html=False)[0]


def _text(path: Path, raw: bytes, *, html: bool) -> tuple[str, list[str]]:
    """Decoded and cleaned text (HTML reduced to its article), and a warning for each change made."""
    text, note = _decode(path, raw)
    notes = [note] if note else []
    text, dropped = _clean(text)
    if dropped:
        notes.append(f"{path}: removed {dropped} control character(s) or lone surrogate(s)")
    if html and _looks_like_html(path, text):
        text = _main_text(path, text)  # the limit below is on the article, not on the page's markup
    if len(text) > MAX_CHARS:
        raise InputError(str(path), f"too long ({len(text):,} characters; the limit is {MAX_CHARS:,})")
    return text, notes


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; InputError naming the file otherwise (checked
    before the file is opened: a pipe would block and /dev/zero would never end)."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    if not path.is_file():  # a pipe or a device such as /dev/zero would be read forever
        raise InputError(str(path), "not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                str(path), f"too large ({size / 2**20:.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None


def decode(path: Path, raw: bytes) -> str:
    """Bytes to text: a BOM wins, then UTF-8, then charset-normalizer's best guess (cp1251, UTF-16, ...)."""
    return _decode(path, raw)[0]


def _decode(path: Path, raw: bytes) -> tuple[str, str | None]:
    """The text, and a warning when it was not clean UTF-8 (another encoding, or damaged bytes)."""
    if not raw:
        raise InputError(str(path), "empty file")
    if not raw.strip():
        raise InputError(str(path), "empty file (only whitespace)")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _checked(path, *_replacing(path, raw, encoding))
    raw = raw.removeprefix(codecs.BOM_UTF8)
    utf8 = _utf8(path, raw)
    if utf8 is None:
        return _checked(path, *_guess(path, raw))
    controls = _share(_C0, utf8[0])
    if controls <= 0.1:
        return utf8
    # UTF-16 text read as UTF-8 has a C0 byte in every other place (NUL, 0x04 for Cyrillic)
    if controls < 0.3:
        raise InputError(str(path), "not a text file (binary data or an unknown encoding)")
    return _checked(path, *_guess(path, raw, wide=True))


def _utf8(path: Path, raw: bytes) -> tuple[str, str | None] | None:
    """UTF-8, also with encoded surrogates or a few damaged bytes; None when it is clearly not UTF-8."""
    for errors in ("strict", "surrogatepass"):  # surrogatepass: UTF-8 that carries (lone) surrogates
        try:
            return _pair_surrogates(raw.decode("utf-8", errors)), None
        except UnicodeDecodeError:
            pass
    return _replacing(path, raw, "utf-8") if _mostly_utf8(raw) else None


def _replacing(path: Path, raw: bytes, encoding: str) -> tuple[str, str | None]:
    """Decoded with U+FFFD for each invalid byte sequence, and a warning saying so and naming the encoding."""
    text = raw.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - raw.decode(encoding, errors="ignore").count("\ufffd")
    parts = [] if encoding == "utf-8" else [f"decoded from {encoding.upper()} (byte-order mark)"]
    if bad:
        line = text[: text.index("\ufffd")].count("\n") + 1
        parts.append(f"{bad} invalid byte sequence(s) replaced with U+FFFD (first on line {line})")
    return text, f"{path}: {'; '.join(parts)}" if parts else None


def _mostly_utf8(raw: bytes) -> bool:
    """Damaged UTF-8 rather than another encoding: at least as many valid multi-byte characters as bad
    sequences. In cp1251 or cp1252 text a byte pair that happens to be valid UTF-8 is rare beside the
    many bytes that are not; in an English UTF-8 file with curly quotes, three stray cp1252 bytes are
    damage (read as another encoding, every quote of the file would turn to mojibake)."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= max(1, bad)


def _pair_surrogates(text: str) -> str:
    """Surrogate pairs encoded one by one (CESU-8) become the character they stand for; lone ones stay."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _guess(path: Path, raw: bytes, *, wide: bool = False) -> tuple[str, str]:
    """charset-normalizer's reading and a warning naming it; with `wide`, a UTF-16/32 reading or none."""
    from charset_normalizer import from_bytes

    # too short to tell UTF-16 from bytes, or not whole code units
    if wide and (len(raw) < 16 or len(raw) % 2):
        raise InputError(str(path), "not a text file (binary data or an unknown encoding)")
    best = from_bytes(raw[:1_000_000]).best()
    is_wide = best is not None and best.encoding.startswith(("utf_16", "utf_32"))
    if best is None or ((wide or b"\x00" in raw) and not is_wide):
        raise InputError(str(path), "not a text file (binary data or an unknown encoding)")
    text = raw.decode(best.encoding, errors="replace")
    return text, f"{path}: decoded from {best.encoding} (guessed; not UTF-8)"


def _checked(path: Path, text: str, note: str | None) -> tuple[str, str | None]:
    """Refuses text where more than one character in ten is a control: binary data that happened to decode."""
    if _share(_CONTROL, text) > 0.1:
        raise InputError(str(path), "not a text file (binary data or an unknown encoding)")
    return text, note


def _share(characters: re.Pattern, text: str) -> float:
    sample = text[:100_000]
    return len(characters.findall(sample)) / max(1, len(sample))


def clean(text: str) -> str:
    """Unify line ends, drop characters XML 1.0 forbids, and compose characters (NFC)."""
    return _clean(text)[0]


def _clean(text: str) -> tuple[str, int]:
    """The cleaned text and how many characters were dropped (not counting line-end changes)."""
    text = text.replace("\r\n", "\n").translate(_LINE_ENDS)
    text, dropped = _CONTROL.subn("", text)
    return unicodedata.normalize("NFC", text), dropped


def _looks_like_html(path: Path, text: str) -> bool:
    return Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML_START.match(text[:2048]))


def _main_text(path: Path, html: str) -> str:
    """The article text of an HTML page (trafilatura), one paragraph per line."""
    import trafilatura

    from pipeline.ingest.tables import unwrap_layout_tables

    page = unwrap_layout_tables(html)  # a report laid out in tables is kept; tables of figures are not
    text = trafilatura.extract(page, include_comments=False, include_tables=False, favor_precision=True)
    if not text or len(text.split()) < INGEST.min_article_words:
        raise InputError(str(path), "HTML page with no article text")
    return clean(text).replace("\n", "\n\n")


def _presegmented_paragraphs(text: str) -> list[str]:
    """One sentence per line; blank lines separate paragraphs (lines kept as they are)."""
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))
    return [
        "\n".join(line.strip() for line in block.split("\n") if line.strip())
        for block in blocks
        if block.strip()
    ]


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
    return len(words) >= INGEST.icon_line_words and icons >= INGEST.icon_share * len(words)


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines broken at a fixed width (e-mail, wire feeds): most end mid-sentence near the same length."""
    if len(lines) < INGEST.wrap_min_lines:
        return False
    width = max(len(line) for line in lines[:-1])
    body = lines[:-1]
    near_width = sum(1 for line in body if len(line) >= INGEST.wrap_near * width)
    mid_sentence = sum(1 for line in body if not line.endswith((".", "!", "?", ":", '"', "”", "»")))
    return (
        INGEST.wrap_min_width <= width <= INGEST.wrap_max_width
        and near_width >= INGEST.wrap_filled_share * len(body)
        and mid_sentence >= INGEST.wrap_mid_sentence_share * len(body)
    )


def detect_language(path: Path | str, text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid), or an error naming the file."""
    sample = text[: INGEST.lang_sample]
    if not any(ch.isalpha() for ch in sample):
        raise InputError(str(path), "no words to detect the language from (give --source-lang/--target-lang)")
    lang, _ = _identifier().classify(sample)
    return _CYRILLIC_FIX.get(lang, lang) if _bulgarian_letters(sample) else lang


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 or -3, as langid and the models name them


def check_language_code(code: str, option: str) -> str:
    """`code` when it is an ISO 639 code such as 'bg', else UsageError naming the option."""
    if not LANGUAGE_CODE.fullmatch(code):
        raise UsageError(f"{option} {code!r} is not an ISO 639 code such as 'bg' (2-3 small letters)")
    return code


def check_reports(
    documents: Sequence[Document], declared: Sequence[str | None], roles: Sequence[str]
) -> None:
    """Refuses reports that cannot be meant, naming the file: one given twice (the same text as an earlier
    one), or one not in the language declared for it (`roles` name each report in the message)."""
    seen: dict[tuple[str, ...], str] = {}
    for document in documents:
        if document.paragraphs in seen:
            raise InputError(
                document.path, f"same text as {seen[document.paragraphs]} (the same report given twice?)"
            )
        seen[document.paragraphs] = document.path
    for document, lang, role in zip(documents, declared, roles):
        check_language(document, lang, role)


def check_language(document: Document, declared: str | None, role: str) -> None:
    """Refuses a document whose text is clearly in another language than the one declared for it.

    Only clear cases: enough letters to judge, langid sure of another language, and the declared
    one neither among its three best guesses nor given 1% (close languages such as bg/mk/ru pass).
    """
    sample = "\n".join(document.paragraphs)[: INGEST.lang_sample]
    if not declared or sum(1 for ch in sample if ch.isalpha()) < INGEST.judge_letters:
        return
    if _confirmed(sample, declared):
        return
    ranked = _identifier().rank(sample)
    labels = [label for label, _ in ranked]
    if declared not in labels:
        return  # a code langid does not know: nothing to judge by
    (top, confidence), position = ranked[0], labels.index(declared)
    sure_elsewhere = (
        confidence >= INGEST.judge_confidence
        and position >= INGEST.judge_top_guesses
        and ranked[position][1] < INGEST.judge_min_probability
    )
    if sure_elsewhere and top not in _close(declared):
        raise InputError(
            document.path, f"the text looks like {top}, not {declared} (the declared {role} language)"
        )


# Languages langid mixes up on news-length texts: a guess within the group does not contradict a declaration.
_GROUPS = (
    "bg mk ru uk be sr",
    "sr hr bs",
    "cs sk",
    "da no nb nn sv",
    "id ms",
    "es ca gl pt",
    "hi ur",
    "fa ps",
)


_WORD = re.compile(r"\w+")


def _confirmed(sample: str, declared: str) -> bool:
    """Whether the declared language's stop words are frequent enough in the sample to take it as given
    (INGEST.confirm_share), so that langid's model (0.5-0.9 s to load) need not judge it."""
    import stopwordsiso

    if not stopwordsiso.has_lang(declared):
        return False
    listed = stopwordsiso.stopwords(declared)
    words = [w.lower() for w in _WORD.findall(sample)]
    return bool(words) and sum(w in listed for w in words) >= INGEST.confirm_share * len(words)


def _close(lang: str) -> set[str]:
    return {other for group in _GROUPS if lang in group.split() for other in group.split()}


@lru_cache(maxsize=1)
def _identifier():
    """py3langid with probabilities normalised to [0, 1] (its module-level one gives raw scores)."""
    from py3langid import langid

    return langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)


# langid confuses closely related Cyrillic languages on short news texts; Bulgarian is this tool's
# first case, so a Macedonian/Russian guess on text with Bulgarian-only letters is corrected.
_CYRILLIC_FIX = {"mk": "bg", "ru": "bg"}


def _bulgarian_letters(text: str) -> bool:
    """Mostly Cyrillic, with ъ/щ and without the letters Russian (ы, ё) and Macedonian (ќ) use."""
    bulgarian_only = ("ъ" in text or "щ" in text) and "ы" not in text and "ё" not in text and "ќ" not in text
    return cyrillic_share(text) > 0.5 and bulgarian_only
