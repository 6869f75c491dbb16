"""Bad input through the command line: one test per row of docs/bad-input.md.

Each row runs `newsalign align` in-process on files made in tmp_path and asserts the exit code and
the whole of stderr: exactly one line naming the file and the problem (or nothing, where nothing is
wrong), never a traceback. Refused inputs leave no output folder; usable ones give every output,
with every sentence in exactly one bead.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.ingest import read

from support.files import snapshot

OUTPUTS = ["alignment.json", "alignment.tmx", "alignment.xlf", "diff.xml", "report.html"]
CHEAP = ["--translator", "none", "--embedder", "none"]

# A made-up story, written for these tests: four Bulgarian sentences and their English counterparts.
BG = (
    "Общината откри нов мост над реката в събота.\n\n"
    "Строежът струва 12 милиона лева и продължи две години.\n\n"
    "Кметът каза, че мостът ще намали задръстванията в центъра. Първите коли минаха по обяд.\n"
)
EN = (
    "The town opened a new bridge over the river on Saturday.\n\n"
    "Building it cost 12 million leva and took two years.\n\n"
    "The mayor said the bridge would ease traffic in the centre. The first cars crossed at noon.\n"
)
DE = (
    "Die Gemeinde hat am Samstag eine neue Brücke über den Fluss eröffnet.\n\n"
    "Der Bau kostete zwölf Millionen Lewa und dauerte zwei Jahre.\n"
)
EN_OTHER = (
    "A bridge across the river was opened by the town at the weekend.\n\n"
    "Officials said it had taken two years to build and cost about six million euros.\n"
)


def _file(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# Notes the Runner adds that are about the run, not the input (--translator none means no word differences).
RUN_NOTES = ("newsalign: warning: word differences skipped: ",)


def _align(tmp_path: Path, capsys, source: Path, target: Path, *options: str) -> tuple[int, list[str]]:
    """Exit code and stderr lines of one run into tmp_path/out, less the Runner's notes on the run itself
    (without -q, which would silence the warnings these tests look for)."""
    code = main(["align", str(source), str(target), "-o", str(tmp_path / "out"), *CHEAP, *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    return code, [line for line in captured.err.splitlines() if not line.startswith(RUN_NOTES)]


def _result(tmp_path: Path) -> dict:
    """alignment.json of a successful run, once all outputs are there and each sentence is in one bead."""
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    for name in ("alignment.tmx", "alignment.xlf", "diff.xml"):
        etree.parse(str(out / name))  # raises on anything XML 1.0 forbids
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    for side, key in (("source", "src"), ("target", "tgt")):
        ids = sorted(i for bead in document["beads"] for i in bead[key])
        assert ids == [s["id"] for s in document[side]["sentences"]] == list(range(1, len(ids) + 1))
    return document


def _texts(document: dict, side: str) -> list[str]:
    return [s["text"] for s in document[side]["sentences"]]


def _refused(
    tmp_path: Path, capsys, source: Path, target: Path, bad: Path, problem: str, *options: str
) -> None:
    assert _align(tmp_path, capsys, source, target, *options) == (2, [f"newsalign: error: {bad}: {problem}"])
    assert not (tmp_path / "out").exists()


# --- refused: exit 2, one line, nothing written -------------------------------------------------------------


def _png(folder: Path) -> Path:
    return _file(folder, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: (d / "folder").mkdir() or d / "folder", "is a directory, not a file"),
        (lambda d: os.mkfifo(d / "pipe") or d / "pipe", "not a regular file"),
        (lambda d: _file(d, "empty.txt", b""), "empty file"),
        (lambda d: _file(d, "blank.txt", b" \r\n\t\n  \n"), "empty file (only whitespace)"),
        (
            lambda d: _file(d, "blank16.txt", "  \n \t\n".encode("utf-16")),
            "no text (the file is empty or only whitespace)",
        ),
        (
            lambda d: _file(d, "junk.txt", "Sign up now for free!\n\nAdvertisement\n"),
            "no text (the file is empty or only whitespace)",
        ),
        (_png, "not a text file (binary data or an unknown encoding)"),
        (
            lambda d: _file(
                d,
                "menu.html",
                "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                "<div>Accept cookies</div></body></html>",
            ),
            "HTML page with no article text",
        ),
        (
            lambda d: _file(d, "digits.txt", "12 345\n\n-- 67 --\n"),
            "no words to detect the language from (give --source-lang/--target-lang)",
        ),
    ],
    ids=[
        "missing",
        "directory",
        "pipe",
        "empty",
        "whitespace",
        "whitespace-utf16",
        "only-boilerplate",
        "binary",
        "html-without-article",
        "no-letters",
    ],
)
@pytest.mark.parametrize("side", ["source", "target"])
def test_unusable_file_is_refused(tmp_path, capsys, make, problem, side):
    bad, good = make(tmp_path), _file(tmp_path, "good.txt", BG if side == "target" else EN)
    source, target = (bad, good) if side == "source" else (good, bad)
    _refused(tmp_path, capsys, source, target, bad, problem)


def test_file_in_neither_declared_language(tmp_path, capsys):
    source, target = _file(tmp_path, "de.txt", DE), _file(tmp_path, "en.txt", EN)
    _refused(
        tmp_path,
        capsys,
        source,
        target,
        source,
        "the text looks like de, not bg (the declared source language)",
        "--source-lang",
        "bg",
        "--target-lang",
        "en",
    )


def test_source_in_the_target_language_when_languages_are_declared(tmp_path, capsys):
    source, target = _file(tmp_path, "a.txt", EN_OTHER), _file(tmp_path, "en.txt", EN)
    _refused(
        tmp_path,
        capsys,
        source,
        target,
        source,
        "the text looks like en, not bg (the declared source language)",
        "--source-lang",
        "bg",
        "--target-lang",
        "en",
    )


@pytest.mark.parametrize("same_path", [True, False], ids=["same-path", "copy"])
def test_identical_files(tmp_path, capsys, same_path):
    source = _file(tmp_path, "bg.txt", BG)
    # same text, other bytes
    target = source if same_path else _file(tmp_path, "copy.txt", BG.replace("\n", "\r\n"))
    _refused(
        tmp_path, capsys, source, target, target, f"same text as {source} (the same report given twice?)"
    )


def test_50_mb_input_is_refused_at_once(tmp_path, capsys):
    """Refused by its size before a byte is read (a sparse file: the test writes one line, not 50 MB)."""
    big = _file(tmp_path, "big.txt", BG)
    with big.open("r+b") as handle:
        handle.truncate(50 * 10**6)
    _refused(
        tmp_path, capsys, big, _file(tmp_path, "en.txt", EN), big, "too large (48 MiB; the limit is 16 MiB)"
    )


def test_text_over_the_character_limit_is_refused(tmp_path, capsys):
    """Under the byte limit but over the character limit (a book, not a report)."""
    sentence = "The town opened a new bridge over the river on Saturday. "
    long = _file(tmp_path, "long.txt", sentence * (read.MAX_CHARS // len(sentence) + 1))
    chars = len(sentence) * (read.MAX_CHARS // len(sentence) + 1)
    _refused(
        tmp_path,
        capsys,
        _file(tmp_path, "bg.txt", BG),
        long,
        long,
        f"too long ({chars:,} characters; the limit is {read.MAX_CHARS:,})",
    )


# --- usable: exit 0, every output, one warning line where reading changed or doubted something --------------


@pytest.mark.parametrize(
    "data, warning",
    [
        (BG.encode("cp1251"), "decoded from cp1251 (guessed; not UTF-8)"),
        (BG.encode("utf-16"), "decoded from UTF-16 (byte-order mark)"),
        (BG.encode("utf-16-le"), "decoded from utf_16_le (guessed; not UTF-8)"),
    ],
    ids=["cp1251", "utf16-bom", "utf16-no-bom"],
)
def test_other_encodings_give_the_same_sentences(tmp_path, capsys, data, warning):
    source, target = _file(tmp_path, "bg.txt", data), _file(tmp_path, "en.txt", EN)
    assert _align(tmp_path, capsys, source, target) == (0, [f"newsalign: warning: {source.name}: {warning}"])
    document = _result(tmp_path)
    assert _texts(document, "source") == [
        "Общината откри нов мост над реката в събота.",
        "Строежът струва 12 милиона лева и продължи две години.",
        "Кметът каза, че мостът ще намали задръстванията в центъра.",
        "Първите коли минаха по обяд.",
    ]


def test_invalid_utf8_bytes_become_replacement_characters(tmp_path, capsys):
    data = BG.encode("utf-8").replace(b"12", b"1\xff2").replace("по обяд".encode(), b"\xc3(")
    source, target = _file(tmp_path, "bg.txt", data), _file(tmp_path, "en.txt", EN)
    assert _align(tmp_path, capsys, source, target) == (
        0,
        [
            f"newsalign: warning: {source.name}: "
            "2 invalid byte sequence(s) replaced with U+FFFD (first on line 3)"
        ],
    )
    texts = _texts(_result(tmp_path), "source")
    assert texts[1] == "Строежът струва 1\ufffd2 милиона лева и продължи две години."
    assert texts[3] == "Първите коли минаха \ufffd(."


def test_stray_cp1252_bytes_in_english_utf8_stay_utf8(tmp_path, capsys):
    """Three Windows-1252 bytes in a UTF-8 file with curly quotes made the whole file decode as
    mac_iceland (every quote mojibake in every output); they are damage in UTF-8 text, each a U+FFFD."""
    text = (
        "The mayor said the bridge would \u201cease traffic\u201d in the centre.\n\n"
        "Building it cost 12 million leva and took two years, the town\u2019s staff said.\n\n"
        "The first cars crossed at noon.\n"
    )
    data = text.encode("utf-8").replace(b"two years", b"two \x93long\x94 years").replace(b"noon", b"noon\x92")
    source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "en.txt", data)
    assert _align(tmp_path, capsys, source, target) == (
        0,
        [
            f"newsalign: warning: {target.name}: "
            "3 invalid byte sequence(s) replaced with U+FFFD (first on line 3)"
        ],
    )
    assert _texts(_result(tmp_path), "target") == [
        "The mayor said the bridge would \u201cease traffic\u201d in the centre.",
        "Building it cost 12 million leva and took two \ufffdlong\ufffd years, the town\u2019s staff said.",
        "The first cars crossed at noon\ufffd.",
    ]


def test_control_characters_and_lone_surrogates_are_dropped(tmp_path, capsys):
    data = (
        "Общината\x00 откри нов мост\x07 над реката в събота.\x1b\n\n".encode()
        + "Строежът струва 12 милиона лева".encode()
        + b"\xed\xa0\x80"
        + " и продължи две години.\x7f\n".encode()
        + "Кметът каза,\x0b че мостът ще намали задръстванията в центъра.\x0c\n".encode()
    )
    source, target = _file(tmp_path, "bg.txt", data), _file(tmp_path, "en.txt", EN)
    assert _align(tmp_path, capsys, source, target) == (
        0,
        [f"newsalign: warning: {source.name}: removed 5 control character(s) or lone surrogate(s)"],
    )
    assert _texts(_result(tmp_path), "source") == [
        "Общината откри нов мост над реката в събота.",
        "Строежът струва 12 милиона лева и продължи две години.",
        "Кметът каза,",  # a vertical tab is a line break (as Word writes it), so a line of its own
        "че мостът ще намали задръстванията в центъра.",
    ]


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["windows-crlf", "old-mac-cr"])
def test_windows_line_endings_change_nothing(tmp_path, capsys, line_end):
    lf = _file(tmp_path, "lf.txt", BG)
    crlf = _file(tmp_path, "crlf.txt", BG.replace("\n", line_end))
    en = _file(tmp_path, "en.txt", EN.replace("\n", line_end))
    assert _align(tmp_path, capsys, crlf, en) == (0, [])
    with_crlf = _result(tmp_path)
    assert _align(tmp_path / "lf", capsys, lf, en) == (0, [])
    with_lf = _result(tmp_path / "lf")
    assert [with_crlf[k]["sentences"] for k in ("source", "target")] == [
        with_lf[k]["sentences"] for k in ("source", "target")
    ]
    assert with_crlf["beads"] == with_lf["beads"]


def test_both_files_in_the_same_language(tmp_path, capsys):
    source, target = _file(tmp_path, "a.txt", EN_OTHER), _file(tmp_path, "b.txt", EN)
    assert _align(tmp_path, capsys, source, target) == (
        0,
        [
            f"newsalign: warning: {source.name}, {target.name}: "
            "both reports are in en; aligning without translation"
        ],
    )
    document = _result(tmp_path)
    assert (document["source"]["lang"], document["target"]["lang"]) == ("en", "en")


@pytest.mark.parametrize(
    "options", [[], ["--source-lang", "bg", "--target-lang", "en"]], ids=["detected", "declared"]
)
def test_one_sentence_documents(tmp_path, capsys, options):
    source = _file(tmp_path, "bg.txt", "Общината откри нов мост над реката в събота.\n")
    target = _file(tmp_path, "en.txt", "The town opened a new bridge over the river on Saturday.")
    assert _align(tmp_path, capsys, source, target, *options) == (0, [])
    document = _result(tmp_path)
    assert (document["source"]["lang"], document["target"]["lang"]) == ("bg", "en")
    assert [(b["src"], b["tgt"]) for b in document["beads"]] in ([([1], [1])], [([1], []), ([], [1])])


def test_sentence_longer_than_any_model_takes_comes_out_whole(tmp_path, capsys):
    """No sentence end for 60 000 characters: it stays one sentence (argos splits it for the model)."""
    huge = "Мостът " + " ".join(f"дълъг{n}" for n in range(8000)) + " край."
    source = _file(tmp_path, "bg.txt", f"{BG}\n{huge}\n")
    assert _align(tmp_path, capsys, source, _file(tmp_path, "en.txt", EN)) == (0, [])
    assert _texts(_result(tmp_path), "source")[-1] == huge


@pytest.mark.parametrize(
    "source_text, lang",
    [
        (
            "افتتحت البلدية جسرا جديدا فوق النهر يوم السبت 🎉.\n\n"
            "وقال رئيس البلدية إن الجسر سيخفف الازدحام 🚗🚕.\n",
            "ar",
        ),
        (
            "העירייה פתחה ביום שבת גשר חדש מעל הנהר \u200f🌉.\n\nראש העיר אמר שהגשר יקל על הפקקים 👍🏽.\n",
            "he",
        ),
    ],
    ids=["arabic", "hebrew"],
)
def test_right_to_left_and_emoji_text_is_kept_exactly(tmp_path, capsys, source_text, lang):
    source = _file(tmp_path, f"{lang}.txt", source_text)
    target = _file(
        tmp_path,
        "en.txt",
        "The town opened a new bridge 🌉 over the river on Saturday.\n\n"
        "The mayor said 👍 it would ease traffic.\n",
    )
    assert _align(tmp_path, capsys, source, target) == (0, [])
    document = _result(tmp_path)
    assert document["source"]["lang"] == lang
    assert _texts(document, "source") == [p.strip() for p in source_text.split("\n\n") if p.strip()]
    assert "🌉" in _texts(document, "target")[0]


# --- interrupted writes: a file is whole or absent, never half there ----------------------------------------


def _interrupt_fsync_after(monkeypatch, calls: int, error: BaseException | None = None) -> None:
    """os.fsync raises `error` (by default KeyboardInterrupt, as Ctrl-C does) on call number `calls`;
    it is called once per output."""
    count = iter(range(1, 100))
    real = os.fsync

    def fsync(descriptor: int) -> None:
        if next(count) == calls:
            raise error if error is not None else KeyboardInterrupt
        real(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)


def _earlier_run(tmp_path: Path, capsys, earlier: bool) -> dict:
    """With `earlier`, a first run into tmp_path/out (of BG against EN_OTHER); what out/ holds then."""
    if earlier:
        source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "other.txt", EN_OTHER)
        assert _align(tmp_path, capsys, source, target) == (0, [])
    return snapshot(tmp_path / "out")


@pytest.mark.parametrize("earlier", [False, True], ids=["new-folder", "rewrite"])
@pytest.mark.parametrize("interrupted_at", [1, 3, 5])
def test_interrupted_run_leaves_the_folder_as_it_was(tmp_path, capsys, monkeypatch, interrupted_at, earlier):
    """A run's files are moved in together when all are written: an interrupted run leaves no folder, or
    the earlier run's files, all of them, unchanged (never the new alignment.json beside an old report)."""
    before = _earlier_run(tmp_path, capsys, earlier)
    source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "en.txt", EN)
    _interrupt_fsync_after(monkeypatch, interrupted_at)
    assert _align(tmp_path, capsys, source, target) == (130, ["newsalign: interrupted"])
    assert (tmp_path / "out").exists() is earlier
    assert snapshot(tmp_path / "out") == before  # no staging folder left inside it either
    assert not list(tmp_path.glob(".*"))  # nor beside it


@pytest.mark.parametrize("earlier", [False, True], ids=["new-folder", "rewrite"])
def test_disk_full_mid_run_leaves_the_folder_as_it_was(tmp_path, capsys, monkeypatch, earlier):
    """Disk full while writing the third file left the new alignment.json and .tmx beside the old .xlf,
    diff.xml and report.html, with "internal error"; now one line naming the folder, exit 1. (A full
    disk shows at fsync when the file system allocates late, as ext4 and XFS do.)"""
    before = _earlier_run(tmp_path, capsys, earlier)
    source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "en.txt", EN)
    _interrupt_fsync_after(monkeypatch, 3, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    out = tmp_path / "out"
    assert _align(tmp_path, capsys, source, target) == (
        1,
        [
            f"newsalign: error: {out}: disk full while writing alignment.xlf (No space left on device); "
            "the folder is as it was"
        ],
    )
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".*"))


def test_interrupted_rewrite_keeps_the_old_file(tmp_path, monkeypatch):
    from pipeline.outputs.writers import write_atomic

    path = _file(tmp_path, "alignment.json", '{"old": true}\n')
    _interrupt_fsync_after(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b'{"new": true}\n')
    assert [p.name for p in tmp_path.iterdir()] == ["alignment.json"]
    assert path.read_text() == '{"old": true}\n'


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from pipeline.outputs.writers import write_atomic

def fsync(descriptor):
    print("written, not yet renamed", flush=True)
    time.sleep(60)

os.fsync = fsync
write_atomic(Path(sys.argv[1]), b"x" * 1_000_000)
"""


@pytest.mark.parametrize("existing", [None, b"old and whole\n"], ids=["new-file", "rewrite"])
def test_killed_writer_leaves_no_file_that_looks_complete(tmp_path, existing):
    """SIGKILL between write and rename: the name holds the old file or nothing; the rest is a hidden .tmp."""
    import signal
    import subprocess
    import sys

    path = tmp_path / "alignment.json"
    if existing is not None:
        path.write_bytes(existing)
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline() == "written, not yet renamed\n"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
    assert (path.read_bytes() if path.exists() else None) == existing
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert (
        len(leftovers) == 1 and leftovers[0].startswith(".alignment.json.") and leftovers[0].endswith(".tmp")
    )


# --- faults that hung, garbled or mixed (issue 25) ----------------------------------------------------------


def test_report_in_tables_nested_100_deep_keeps_every_paragraph(tmp_path, capsys):
    """libxml2 lost branches of deeply nested tables and the extraction dropped tables: four of five
    paragraphs went without a word. Layout tables are unwrapped first; every paragraph is read."""
    paragraphs = [p for p in EN.split("\n\n") if p.strip()] + [
        "Officials said the old bridge will close for repairs next spring."
    ]
    cells = "".join(f"<p>{p.strip()}</p>" for p in paragraphs)
    page = "<html><body>" + "<table><tr><td>" * 100 + cells + "</td></tr></table>" * 100 + "</body></html>"
    source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "en.html", page)
    assert _align(tmp_path, capsys, source, target) == (0, [])
    assert " ".join(_texts(_result(tmp_path), "target")) == " ".join(p.strip() for p in paragraphs)


def test_a_file_name_with_a_newline_stays_one_error_line(tmp_path, capsys):
    bad = tmp_path / "new\nline.txt"
    source = _file(tmp_path, "bg.txt", BG)
    assert _align(tmp_path, capsys, source, bad) == (
        2,
        [f"newsalign: error: {tmp_path}/new\\nline.txt: no such file"],
    )


@pytest.mark.parametrize(
    "options, problem",
    [
        (
            ["--source-lang", "BG"],
            "--source-lang 'BG' is not an ISO 639 code such as 'bg' (2-3 small letters)",
        ),
        (
            ["--target-lang", "english"],
            "--target-lang 'english' is not an ISO 639 code such as 'bg' (2-3 small letters)",
        ),
    ],
    ids=["upper-case", "a-name"],
)
def test_language_codes_are_checked(tmp_path, capsys, options, problem):
    """`--source-lang BG` ran without translation (no model is named BG); batch already refused it."""
    source, target = _file(tmp_path, "bg.txt", BG), _file(tmp_path, "en.txt", EN)
    assert _align(tmp_path, capsys, source, target, *options) == (2, [f"newsalign: error: {problem}"])
    assert not (tmp_path / "out").exists()
