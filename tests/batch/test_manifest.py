"""pipeline.batch.manifest: CSV, TSV and JSON Lines manifests, two folders paired by name, bad lines named."""

import os
from pathlib import Path

import pytest

from pipeline.batch.manifest import ReportPair, read_pairs
from pipeline.cli import main
from pipeline.errors import InputError, UsageError

from support.batch import write_words
from support.cli import newsalign


def _manifest(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "lists" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, text",
    [
        ("m.csv", "id,source,target\na,bg/a.txt,en/a.txt\nb,/abs/b.txt,en/b.txt\n"),
        ("m.csv", "a,bg/a.txt,en/a.txt\n\n# a comment\nb,/abs/b.txt,en/b.txt\n"),
        ("m.csv", "\ufefftarget,id,source,note\nen/a.txt,a,bg/a.txt,x\nen/b.txt,b,/abs/b.txt,\n"),
        ("m.tsv", "id\tsource\ttarget\na\tbg/a.txt\ten/a.txt\nb\t/abs/b.txt\ten/b.txt\n"),
        ("m.list", "a\tbg/a.txt\ten/a.txt\nb\t/abs/b.txt\ten/b.txt\n"),
        (
            "m.jsonl",
            '{"id": "a", "source": "bg/a.txt", "target": "en/a.txt"}\n\n'
            '{"id": "b", "source": "/abs/b.txt", "target": "en/b.txt", "source_lang": null}\n',
        ),
        (
            "m.list",
            '{"id": "a", "source": "bg/a.txt", "target": "en/a.txt"}\n'
            '{"id": "b", "source": "/abs/b.txt", "target": "en/b.txt"}\n',
        ),
    ],
)
def test_manifest_formats_give_the_same_pairs(tmp_path, name, text):
    base = tmp_path / "lists"
    expected = [
        ReportPair("a", base / "bg/a.txt", base / "en/a.txt"),
        ReportPair("b", Path("/abs/b.txt"), base / "en/b.txt"),
    ]
    assert read_pairs(_manifest(tmp_path, name, text)) == expected


@pytest.mark.parametrize(
    "name, text",
    [
        ("m.csv", "id,source,target,source_lang,target_lang,source_mt\n7,de.txt,fr.txt,de,fr,mt.txt\n"),
        ("m.csv", "7,de.txt,fr.txt,de,fr,mt.txt\n"),
        (
            "m.jsonl",
            '{"id": 7, "source": "de.txt", "target": "fr.txt", '
            '"source_lang": "de", "target_lang": "fr", "source_mt": "mt.txt"}\n',
        ),
    ],
)
def test_manifest_optional_columns(tmp_path, name, text):
    base = tmp_path / "lists"
    expected = [ReportPair("7", base / "de.txt", base / "fr.txt", "de", "fr", base / "mt.txt")]
    assert read_pairs(_manifest(tmp_path, name, text)) == expected


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("m.csv", "id,source,target\na,x,y\nb,x\n", "line 3: 2 fields, the header has 3"),
        (
            "m.csv",
            "a,x,y\n\nb,x\n",
            "line 3: 2 field(s); expected id, source, target[, source_lang, target_lang, source_mt]",
        ),
        (
            "m.csv",
            "a,x,y,bg,en,mt,extra\n",
            "line 1: 7 field(s); expected id, source, target[, source_lang, target_lang, source_mt]",
        ),
        ("m.csv", "a,x,y\nb,,y\n", "line 2: no source"),
        ("m.csv", 'a,x,y\nb,"x,y\n', "line 2: unexpected end of data"),
        (
            "m.csv",
            'a,x,y\n"b\nc",x\n',
            "line 2: 2 field(s); expected id, source, target[, source_lang, target_lang, source_mt]",
        ),
        ("m.csv", "a,x,y\na,z,w\n", "line 2: id 'a' already used on line 1"),
        (
            "m.csv",
            "../up,x,y\n",
            "line 1: id '../up' cannot name a folder (no '/', '\\', leading '.' or control characters)",
        ),
        (
            "m.csv",
            "summary.json,x,y\n",
            "line 1: id 'summary.json' is reserved or longer than 200 characters",
        ),
        ("m.csv", "a,x,y,Bulgarian\n", "line 1: source_lang 'Bulgarian' is not an ISO 639 code such as 'bg'"),
        (
            "m.jsonl",
            '{"id": "a", "source": "x", "target": "y"}\n{"id": "b", "source": "x"\n',
            "line 2: not JSON (Expecting ',' delimiter)",
        ),
        ("m.jsonl", '["a", "x", "y"]\n', "line 1: expected a JSON object with id, source, target"),
        ("m.jsonl", '{"id": "a", "target": "y"}\n', "line 1: no source"),
        ("m.jsonl", '{"source": "x"}\n', "line 1: no id and no target"),
        ("m.csv", "", "no pairs (the manifest lists none)"),
        ("m.csv", "id,source,target\n# nothing yet\n", "no pairs (the manifest lists none)"),
    ],
)
def test_malformed_manifest_names_the_line(tmp_path, name, text, problem):
    path = _manifest(tmp_path, name, text)
    with pytest.raises(InputError) as raised:
        read_pairs(path)
    assert (raised.value.path, raised.value.problem) == (str(path), problem)


def test_manifest_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("a,x,y\nб,x,y\n".encode("cp1251"))
    with pytest.raises(InputError, match=r"m.csv: line 2: not UTF-8 text"):
        read_pairs(path)


def test_missing_manifest_and_folder_without_partner(tmp_path):
    with pytest.raises(InputError, match="nope.csv: no such file"):
        read_pairs(tmp_path / "nope.csv")
    with pytest.raises(UsageError, match="is a folder"):
        read_pairs(tmp_path)


def test_cli_malformed_manifest_is_one_line_exit_2(tmp_path, capsys):
    path = _manifest(tmp_path, "m.csv", "id,source,target\na,x,y\nb\n")
    assert main(["batch", str(path), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"newsalign: error: {path}: line 3: 1 fields, the header has 3\n"
    assert not (tmp_path / "out").exists()


def test_folders_paired_by_file_name(tmp_path):
    bg, en = tmp_path / "bg", tmp_path / "en"
    for name in ("a.txt", "b.txt", "c.txt", "c.html", ".hidden"):
        write_words(bg, name, "x")
    for name in ("a.txt", "c.txt", "c.html", "d.txt"):
        write_words(en, name, "x")
    (bg / "sub").mkdir()
    assert read_pairs(bg, en) == [
        ReportPair("a", bg / "a.txt", en / "a.txt"),
        ReportPair("b", bg / "b.txt", en / "b.txt"),  # no partner: it will fail with "no such file"
        ReportPair("c.html", bg / "c.html", en / "c.html"),
        ReportPair("c.txt", bg / "c.txt", en / "c.txt"),
        ReportPair("d", bg / "d.txt", en / "d.txt"),
    ]


@pytest.mark.parametrize("make", [lambda tmp: (tmp / "none", tmp), lambda tmp: (tmp, tmp)])
def test_folders_missing_or_empty(tmp_path, make):
    with pytest.raises(InputError):
        read_pairs(*make(tmp_path))


@pytest.mark.parametrize("make", ["fifo", "dev-zero"])
def test_manifest_that_is_a_pipe_or_a_device_is_refused_at_once(tmp_path, make):
    """The manifest was read before anything checked it: a pipe blocked for ever, /dev/zero filled memory."""
    if make == "fifo":
        manifest = tmp_path / "manifest.csv"
        os.mkfifo(manifest)
    else:
        manifest = Path("/dev/zero")
    done = newsalign("batch", str(manifest), "-o", str(tmp_path / "out"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"newsalign: error: {manifest}: not a regular file\n"
    assert not (tmp_path / "out").exists()
