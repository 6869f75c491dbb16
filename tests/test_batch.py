import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html

from pipeline.batch import executors, worker
from pipeline.batch.jobs import BatchResult, run_batch
from pipeline.batch.manifest import ReportPair, read_pairs
from pipeline.batch.outcome import DONE_MARKER, Counts, Outcome, Status
from pipeline.cli import main
from pipeline.errors import InputError, UsageError
from pipeline.ingest.read import read_text
from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Relation, Sentence
from pipeline.run import Aligned, Options

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE / "fixtures" / "example"
OPTIONS = Options(translator="none", embedder="none")
OUTPUTS = ["alignment.json", "alignment.tmx", "alignment.xlf", "diff.xml", "report.html"]


class FakeRunner:
    """Stands in for Runner: one sentence per line, lines paired by position.

    '~' marks a partial, CRASH makes a stage raise, DIE kills the worker process, NOISY returns a notice.
    Counts its runs per process.
    """

    runs = 0

    def __init__(self, options: Options) -> None:
        self.options = options
        _log("made")

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Aligned:
        type(self).runs += 1
        _log("ran")
        time.sleep(float(os.environ.get("NEWSALIGN_TEST_DELAY", "0")))
        src, tgt = read_text(source).split(), read_text(target).split()
        if "CRASH" in src:
            raise RuntimeError("the aligner fell over\nsecond line of the message")
        if "DIE" in src:
            os._exit(3)
        options = replace(
            self.options,
            source_lang=source_lang or self.options.source_lang,
            target_lang=target_lang or self.options.target_lang,
        )
        notices = ("translator fake (no model)",) if "NOISY" in src else ()
        return Aligned(_alignment(str(source), src, str(target), tgt, options), notices)


def _log(event: str) -> None:
    """Append "<event> <pid>" to $NEWSALIGN_TEST_LOG: which process made a runner, which ran a pair."""
    if os.environ.get("NEWSALIGN_TEST_LOG"):
        with open(os.environ["NEWSALIGN_TEST_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{event} {os.getpid()}\n")


def _events(log: Path) -> dict[str, list[str]]:
    events: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        event, pid = line.split()
        events.setdefault(event, []).append(pid)
    return events


def _alignment(source: str, src: list[str], target: str, tgt: list[str], options: Options) -> Alignment:
    beads = [
        Bead((i + 1,), (i + 1,), Kind.PARTIAL if src[i].startswith("~") else Kind.MATCH, 0.9)
        for i in range(min(len(src), len(tgt)))
    ]
    beads += [Bead((i + 1,), (), Kind.ADDITION, 0.1) for i in range(len(tgt), len(src))]
    beads += [Bead((), (i + 1,), Kind.OMISSION, 0.1) for i in range(len(src), len(tgt))]
    provenance = Provenance(newsalign="0.1.0", translator="fake", embedder="none", notes=(repr(options),))
    return Alignment(
        Article(source, options.source_lang or "bg", tuple(Sentence(i + 1, w, 1) for i, w in enumerate(src))),
        Article(target, options.target_lang or "en", tuple(Sentence(i + 1, w, 1) for i, w in enumerate(tgt))),
        tuple(beads),
        provenance,
        _relation(len(src), len(tgt)),
    )


def _relation(n: int, m: int) -> Relation:
    """The fake's relation: its 1-1 pairs are links."""
    linked = round(2 * min(n, m) / (n + m), 4) if n + m else 0.0
    return Relation("translation" if linked >= 0.8 else "adaptation", linked, 0.9)


def _write(folder: Path, name: str, words: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(words.replace(" ", "\n") + "\n", encoding="utf-8")
    return path


def _pairs(folder: Path, contents: dict[str, tuple[str, str]]) -> list[ReportPair]:
    """A pair per id; None as a content means the file is missing."""
    pairs = []
    for pair_id, (src, tgt) in contents.items():
        source = _write(folder, f"{pair_id}-bg.txt", src) if src is not None else folder / f"{pair_id}-bg.txt"
        target = _write(folder, f"{pair_id}-en.txt", tgt) if tgt is not None else folder / f"{pair_id}-en.txt"
        pairs.append(ReportPair(pair_id, source, target))
    return pairs


def _read_error(path: Path) -> str:
    """The one-line message reading `path` fails with (read.py words it; these tests only pass it on)."""
    with pytest.raises(InputError) as raised:
        read_text(path)
    return str(raised.value)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(pairs, out: Path, **kwargs) -> BatchResult:
    return run_batch(pairs, OPTIONS, out, factory=FakeRunner, progress=False, **kwargs)


# ---------------------------------------------------------------- manifests


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
        _write(bg, name, "x")
    for name in ("a.txt", "c.txt", "c.html", "d.txt"):
        _write(en, name, "x")
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


# ---------------------------------------------------------------- running a batch

CONTENTS = {
    "b-partial": ("~a b c", "a b c"),
    "a-match": ("a b", "a b"),
    "c-extra": ("a b c d", "a b"),
    "d-missing": ("a", None),
    "e-crash": ("a CRASH", "a b"),
    "f-empty": ("", "a"),
}


def _expected_summary(pairs: list[ReportPair]) -> dict:
    by_id = {p.id: p for p in pairs}

    def done(pair_id, counts, relation):
        p = by_id[pair_id]
        return {
            "id": pair_id,
            "status": "done",
            "source": str(p.source),
            "target": str(p.target),
            "counts": counts,
            "relation": relation,
            "report": f"{pair_id}/report.html",
            "notes": [repr(OPTIONS)],
        }

    def failed(pair_id, kind, message):
        p = by_id[pair_id]
        return {
            "id": pair_id,
            "status": "failed",
            "source": str(p.source),
            "target": str(p.target),
            "error": {"type": kind, "message": message},
        }

    translation = {"kind": "translation", "linked": 1.0, "score": 0.9}
    adaptation = {"kind": "adaptation", "linked": 0.6667, "score": 0.9}
    return {
        "schema": "newsalign.batch/1",
        "newsalign": "0.1.0",
        "options": {
            "source_lang": None,
            "target_lang": None,
            "presegmented": False,
            "translator": "none",
            "embedder": "none",
            "word_diff": True,
        },
        "totals": {"pairs": 6, "done": 3, "failed": 3},
        "pairs": [
            done("a-match", {"match": 2, "partial": 0, "addition": 0, "omission": 0}, translation),
            done("b-partial", {"match": 2, "partial": 1, "addition": 0, "omission": 0}, translation),
            done("c-extra", {"match": 2, "partial": 0, "addition": 2, "omission": 0}, adaptation),
            failed("d-missing", "InputError", _read_error(by_id["d-missing"].target)),
            failed("e-crash", "RuntimeError", "the aligner fell over"),
            failed("f-empty", "InputError", _read_error(by_id["f-empty"].source)),
        ],
    }


def test_batch_records_failures_and_goes_on(tmp_path):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    result = _run(pairs, tmp_path / "out")
    assert [(o.pair_id, o.status) for o in result.outcomes] == [
        ("a-match", Status.DONE),
        ("b-partial", Status.DONE),
        ("c-extra", Status.DONE),
        ("d-missing", Status.FAILED),
        ("e-crash", Status.FAILED),
        ("f-empty", Status.FAILED),
    ]
    assert result.failed == 3
    assert json.loads(result.summary.read_text(encoding="utf-8")) == _expected_summary(pairs)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "a-match",
        "b-partial",
        "c-extra",
        "index.html",
        "summary.json",
    ]
    assert sorted(p.name for p in (out / "a-match").iterdir()) == sorted(OUTPUTS + [DONE_MARKER])


def test_index_has_a_row_per_pair_linking_its_report(tmp_path):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    result = _run(pairs, tmp_path / "out")
    page = html.fromstring(result.index.read_bytes())
    rows = [[td.text_content() for td in tr.findall("td")] for tr in page.iter("tr") if tr.findall("td")]
    assert rows == [
        ["a-match", "done", "translation, 100% linked", "2", "0", "0", "0", ""],
        ["b-partial", "done", "translation, 100% linked", "2", "1", "0", "0", ""],
        ["c-extra", "done", "adaptation, 67% linked", "2", "0", "2", "0", ""],
        ["d-missing", "failed", "", "", "", "", "", f"InputError: {_read_error(pairs[3].target)}"],
        ["e-crash", "failed", "", "", "", "", "", "RuntimeError: the aligner fell over"],
        ["f-empty", "failed", "", "", "", "", "", f"InputError: {_read_error(pairs[5].source)}"],
    ]
    assert [tr.get("class") for tr in page.findall(".//tbody/tr")] == ["done"] * 3 + ["failed"] * 3
    assert page.find(".//input[@id='only-failed']").get("type") == "checkbox"  # the CSS filter hides tr.done
    links = [a.get("href") for a in page.iter("a")]
    assert links == ["a-match/report.html", "b-partial/report.html", "c-extra/report.html"]
    assert all((tmp_path / "out" / link).is_file() for link in links)
    assert page.find(".//style") is not None and not list(page.iter("script", "link", "img"))


def test_rerun_skips_done_pairs_and_retries_failed_ones(tmp_path):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    first = _run(pairs, tmp_path / "out")
    before = _tree(tmp_path / "out")
    FakeRunner.runs = 0
    second = _run(pairs, tmp_path / "out")
    assert FakeRunner.runs == 3  # the three failed pairs are tried again, the done ones are not
    assert [o.resumed for o in second.outcomes] == [True, True, True, False, False, False]
    assert [replace(o, resumed=False, seconds=0) for o in second.outcomes] == [
        replace(o, seconds=0) for o in first.outcomes
    ]
    assert _tree(tmp_path / "out") == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda out, src: src.write_text("a\nb\nc\n", encoding="utf-8"),  # input changed
        lambda out, src: (out / "alignment.tmx").unlink(),  # an output lost
        lambda out, src: (out / "diff.xml").write_bytes(b"<half"),  # an output not whole
        lambda out, src: (out / DONE_MARKER).write_text("{not json", encoding="utf-8"),
        lambda out, src: (out / DONE_MARKER).unlink(),  # killed before the marker
    ],
)
def test_rerun_redoes_a_pair_whose_inputs_or_outputs_changed(tmp_path, damage):
    pairs = _pairs(tmp_path / "in", {"a": ("a b", "a b"), "b": ("a b", "a b")})
    _run(pairs, tmp_path / "out")
    damage(tmp_path / "out" / "a", pairs[0].source)
    (tmp_path / "out" / "a" / ".report.html.x1y2.tmp").write_bytes(b"left by kill -9")
    (tmp_path / "out" / ".summary.json.k3j4.tmp").write_bytes(b"left by kill -9")
    (tmp_path / "out" / "a" / ".notes.txt.tmp").write_bytes(b"the user's, not ours")
    FakeRunner.runs = 0
    result = _run(pairs, tmp_path / "out")
    assert FakeRunner.runs == 1
    assert [(o.pair_id, o.resumed) for o in result.outcomes] == [("a", False), ("b", True)]
    assert sorted(p.name for p in (tmp_path / "out" / "a").iterdir()) == sorted(
        OUTPUTS + [DONE_MARKER, ".notes.txt.tmp"]
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "b", "index.html", "summary.json"]


def test_other_options_redo_every_pair(tmp_path):
    pairs = _pairs(tmp_path / "in", {"a": ("a b", "a b")})
    _run(pairs, tmp_path / "out")
    result = run_batch(
        pairs, replace(OPTIONS, presegmented=True), tmp_path / "out", factory=FakeRunner, progress=False
    )
    assert [o.resumed for o in result.outcomes] == [False]


def test_pair_that_starts_failing_loses_its_old_outputs(tmp_path):
    pairs = _pairs(tmp_path / "in", {"a": ("a b", "a b")})
    _run(pairs, tmp_path / "out")
    (tmp_path / "out" / "a" / "notes.txt").write_text("the user's own file", encoding="utf-8")
    pairs[0].source.write_text("CRASH\n", encoding="utf-8")
    result = _run(pairs, tmp_path / "out")
    assert [(o.pair_id, o.status) for o in result.outcomes] == [("a", Status.FAILED)]
    assert sorted(p.name for p in (tmp_path / "out" / "a").iterdir()) == ["notes.txt"]


def test_pair_languages_reach_the_runner(tmp_path):
    pairs = _pairs(tmp_path / "in", {"a": ("a", "a"), "b": ("a", "a")})
    pairs[1] = replace(pairs[1], source_lang="de", target_lang="fr")
    _run(pairs, tmp_path / "out")
    langs = [
        (doc["source"]["lang"], doc["target"]["lang"])
        for doc in (
            json.loads((tmp_path / "out" / i / "alignment.json").read_text(encoding="utf-8")) for i in "ab"
        )
    ]
    assert langs == [("bg", "en"), ("de", "fr")]


def test_jobs_must_be_positive_and_ids_unique(tmp_path):
    pairs = _pairs(tmp_path, {"a": ("a", "a")})
    with pytest.raises(UsageError, match="--jobs must be 1 or more, not 0"):
        _run(pairs, tmp_path / "out", jobs=0)
    with pytest.raises(UsageError, match="two pairs share an id"):
        _run(pairs * 2, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "error, expected",
    [
        (RuntimeError("one\ntwo"), ("RuntimeError", "one")),
        (ValueError(""), ("ValueError", "ValueError")),
        (InputError("x.txt", "empty file"), ("InputError", "x.txt: empty file")),
    ],
)
def test_failure_is_one_line(error, expected):
    outcome = Outcome.failure("p", error)
    assert (outcome.error_type, outcome.error) == expected


@pytest.mark.slow
def test_two_worker_processes_give_the_same_bytes_with_one_runner_each(tmp_path, monkeypatch):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    _run(pairs, tmp_path / "one")
    monkeypatch.setenv("NEWSALIGN_TEST_LOG", str(tmp_path / "log"))
    monkeypatch.setattr(worker, "_RUNNERS", {})  # this process built one above; workers start without
    result = _run(pairs, tmp_path / "two", jobs=2)
    assert result.failed == 3
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    events = _events(tmp_path / "log")
    assert len(events["made"]) == len(set(events["made"])) == 2  # each worker built its runner once, at start
    assert len(events["ran"]) == 6 and set(events["ran"]) <= set(events["made"])


@pytest.mark.slow
def test_a_pair_that_kills_its_worker_fails_alone(tmp_path):
    contents = {f"p{i}": ("a b", "a b") for i in range(6)}
    contents["p2"] = ("DIE", "a")
    result = _run(_pairs(tmp_path / "in", contents), tmp_path / "out", jobs=2)
    assert [(o.pair_id, o.status, o.error_type) for o in result.outcomes] == [
        (f"p{i}", Status.FAILED, "WorkerDied") if i == 2 else (f"p{i}", Status.DONE, None) for i in range(6)
    ]


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_bytes_with_one_runner_per_worker(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    pairs = _pairs(tmp_path / "in", CONTENTS)
    _run(pairs, tmp_path / "local")
    monkeypatch.setenv("NEWSALIGN_TEST_LOG", str(tmp_path / "log"))
    monkeypatch.setattr(worker, "_RUNNERS", {})  # this process built one above; workers start without
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None, scheduler_port=0
    ) as cluster:
        result = _run(pairs, tmp_path / "dask", dask_address=cluster.scheduler_address)
    assert result.failed == 3
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    assert _events(tmp_path / "log") == {"made": [str(os.getpid())], "ran": [str(os.getpid())] * 6}


@pytest.mark.slow
def test_unreachable_dask_scheduler_is_a_usage_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_TIMEOUT", "0.5s")
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch(
            _pairs(tmp_path, {"a": ("a", "a")}),
            OPTIONS,
            tmp_path / "out",
            factory=FakeRunner,
            progress=False,
            dask_address="tcp://127.0.0.1:9",
        )


# ---------------------------------------------------------------- interrupted batches

_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from pipeline.batch.jobs import run_batch
from pipeline.batch.manifest import read_pairs
from test_batch import FakeRunner, OPTIONS
pairs = read_pairs(Path({manifest!r}))
run_batch(pairs, OPTIONS, Path({out!r}), jobs=2, factory=FakeRunner)
"""


def _manifest_of(tmp_path: Path, count: int) -> Path:
    contents = {
        f"pair{i:03d}": (" ".join("abcdefgh"[: 1 + i % 5]), " ".join("abcdefgh"[: 1 + i % 3]))
        for i in range(count)
    }
    contents["pair004"] = ("a", None)
    pairs = _pairs(tmp_path / "in", contents)
    lines = ["id,source,target"] + [f"{p.id},in/{p.source.name},in/{p.target.name}" for p in pairs]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


@pytest.mark.slow
def test_killed_batch_resumes_to_the_same_bytes(tmp_path):
    manifest = _manifest_of(tmp_path, 24)
    pairs = read_pairs(manifest)
    _run(pairs, tmp_path / "whole")
    out = tmp_path / "killed"
    code = _CHILD.format(tests=str(HERE), manifest=str(manifest), out=str(out))
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "NEWSALIGN_TEST_DELAY": "0.2"},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while (
        len(list(out.glob(f"*/{DONE_MARKER}"))) < 4 and time.monotonic() < deadline and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)  # like power loss: the parent and its workers, no clean-up
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert not (out / "summary.json").exists()
    FakeRunner.runs = 0
    result = _run(pairs, out)
    assert 4 <= sum(o.resumed for o in result.outcomes) < len(pairs)
    assert _tree(out) == _tree(tmp_path / "whole")


_CTRL_C_CHILD = """
import sys
sys.path.insert(0, {tests!r})
import test_batch
from pipeline.batch import jobs
real = jobs.run_batch  # the CLI imports run_batch when it runs: hand it the fake runner there
jobs.run_batch = lambda *a, **k: real(*a, factory=test_batch.FakeRunner, **k)
from pipeline.cli import main
sys.exit(main(["batch", {manifest!r}, "-o", {out!r}, "--jobs", "2",
               "--translator", "none", "--embedder", "none"]))
"""


@pytest.mark.slow
def test_ctrl_c_stops_with_130_and_no_traceback_and_a_rerun_finishes(tmp_path):
    manifest = _manifest_of(tmp_path, 24)
    out = tmp_path / "out"
    code = _CTRL_C_CHILD.format(tests=str(HERE), manifest=str(manifest), out=str(out))
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "NEWSALIGN_TEST_DELAY": "0.2"},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while (
        len(list(out.glob(f"*/{DONE_MARKER}"))) < 3 and time.monotonic() < deadline and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
    err = child.communicate(timeout=60)[1]
    assert child.returncode == 130
    assert err.splitlines()[-1] == "newsalign: interrupted"
    assert "Traceback" not in err
    result = _run(read_pairs(manifest), out)
    assert 3 <= sum(o.resumed for o in result.outcomes) < 24
    assert [o.pair_id for o in result.outcomes if o.status is Status.FAILED] == ["pair004"]


# ---------------------------------------------------------------- progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    stream = io.StringIO()
    run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "newsalign batch: 6 pairs to align"
    assert [line for line in lines if "failed " in line and ":" in line.split("failed ")[1][:12]] == [
        f"newsalign batch: failed d-missing: InputError: {_read_error(pairs[3].target)}",
        "newsalign batch: failed e-crash: RuntimeError: the aligner fell over",
        f"newsalign batch: failed f-empty: InputError: {_read_error(pairs[5].source)}",
    ]
    status = [line for line in lines if " pairs, " in line]
    assert len(status) == 7  # one per pair (6 pairs < 20) and the closing line
    assert status[2].startswith("newsalign batch: 3/6 pairs, 0 failed, ") and ", ETA " in status[2]
    assert re.fullmatch(
        r"newsalign batch: finished: 6/6 pairs, 3 failed, [\d.]+ pairs/min, in \d+:\d\d:\d\d "
        r"\([\d.]+ s of work per pair\)",
        lines[-1],
    ), lines[-1]
    assert "Traceback" not in stream.getvalue()


def test_progress_on_a_terminal_is_a_bar(tmp_path):
    pairs = _pairs(tmp_path / "in", CONTENTS)
    _run(pairs[:2], tmp_path / "out")
    stream = Terminal()
    run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    text = stream.getvalue()
    assert "newsalign batch: 2 of 6 pairs already done, 4 to align" in text
    assert "newsalign batch: 100%" in text and "6/6" in text and "failed=3" in text
    assert "newsalign batch: failed e-crash: RuntimeError: the aligner fell over" in text


def test_what_a_run_notices_is_shown_once_and_kept_in_the_summary(tmp_path, capsys):
    pairs = _pairs(tmp_path / "in", {"a": ("NOISY", "a"), "b": ("NOISY CRASH", "a"), "c": ("a", "a")})
    stream = io.StringIO()
    result = run_batch(pairs, OPTIONS, tmp_path / "out", factory=FakeRunner, stream=stream)
    notes = (repr(OPTIONS), "translator fake (no model)")
    assert [o.notes for o in result.outcomes] == [notes, (), notes[:1]]  # b failed: no notes
    lines = stream.getvalue().splitlines()
    assert lines[1:4] == [
        f"newsalign batch: note: {notes[0]}",
        f"newsalign batch: note: {notes[1]}",
        "newsalign batch: 1/3 pairs, 0 failed, " + lines[3].split(" 0 failed, ")[1],
    ]
    assert stream.getvalue().count("note:") == 2
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [entry.get("notes") for entry in summary["pairs"]] == [list(notes), None, list(notes[:1])]
    assert capsys.readouterr() == ("", "")


def test_quiet_prints_nothing(tmp_path):
    stream = io.StringIO()
    run_batch(
        _pairs(tmp_path / "in", CONTENTS),
        OPTIONS,
        tmp_path / "out",
        factory=FakeRunner,
        stream=stream,
        progress=False,
    )
    assert stream.getvalue() == ""


def test_counts_of_an_alignment():
    alignment = _alignment("s", ["~a", "b", "c"], "t", ["a", "b", "c", "d"], OPTIONS)
    assert Counts.of(alignment) == Counts(match=2, partial=1, addition=0, omission=1)


# ---------------------------------------------------------------- end to end with the real Runner

CHEAP = ["--translator", "none", "--embedder", "none", "--source-lang", "bg", "--target-lang", "en"]
_TOWNS = ("Пловдив", "Варна", "Бургас", "Русе", "Плевен", "Сливен", "Добрич", "Шумен")
_TOWNS_EN = ("Plovdiv", "Varna", "Burgas", "Ruse", "Pleven", "Sliven", "Dobrich", "Shumen")


def _story(i: int) -> tuple[str, str]:
    """A short made-up report in Bulgarian and English; every third one has a sentence only in Bulgarian."""
    town, town_en = _TOWNS[i % 8], _TOWNS_EN[i % 8]
    bg = [
        f"{town} откри {i + 3} нови училища през {2000 + i} г.",
        f"Кметът каза, че струват {i * 7 + 11} милиона лева.",
        f"Учениците ще бъдат {i * 40 + 120}.",
    ]
    en = [
        f"{town_en} opened {i + 3} new schools in {2000 + i}.",
        f"The mayor said they cost {i * 7 + 11} million levs.",
        f"There will be {i * 40 + 120} pupils.",
    ]
    if i % 3 == 0:
        bg.append(f"Строежът е започнал през {1990 + i % 20} г.")
    return "\n\n".join(bg) + "\n", "\n\n".join(en) + "\n"


def _two_hundred(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A JSON Lines manifest of 200 pairs, five broken; returns it and the broken ids with their bad file."""
    folder = tmp_path / "archive"
    folder.mkdir()
    lines = []
    for i in range(200):
        bg, en = _story(i)
        (folder / f"{i:03d}-bg.txt").write_text(bg, encoding="utf-8")
        (folder / f"{i:03d}-en.txt").write_text(en, encoding="utf-8")
        lines.append(
            json.dumps(
                {
                    "id": f"story-{i:03d}",
                    "source": f"archive/{i:03d}-bg.txt",
                    "target": f"archive/{i:03d}-en.txt",
                }
            )
        )
    (folder / "017-bg.txt").unlink()
    (folder / "050-en.txt").write_bytes(b"")
    (folder / "101-bg.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "150-bg.txt").unlink()
    (folder / "150-bg.txt").mkdir()
    # English where Bulgarian is declared
    (folder / "190-bg.txt").write_text(_story(190)[1] * 3, encoding="utf-8")
    broken = {
        "story-017": "017-bg.txt",
        "story-050": "050-en.txt",
        "story-101": "101-bg.txt",
        "story-150": "150-bg.txt",
        "story-190": "190-bg.txt",
    }
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest, broken


@pytest.mark.slow
def test_two_hundred_pairs_with_five_broken(tmp_path, capsys):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    manifest, broken = _two_hundred(tmp_path)
    out = tmp_path / "out"
    assert main(["batch", str(manifest), "-o", str(out), "-q", *CHEAP]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"pairs": 200, "done": 195, "failed": 5}
    assert [p["id"] for p in summary["pairs"]] == [f"story-{i:03d}" for i in range(200)]
    failed = {p["id"]: p["error"] for p in summary["pairs"] if p["status"] == "failed"}
    folder = tmp_path / "archive"
    wrong_language = failed.pop("story-190")
    assert wrong_language["type"] == "InputError" and wrong_language["message"].startswith(
        f"{folder / '190-bg.txt'}: "
    )
    assert failed == {
        pair_id: {"type": "InputError", "message": _read_error(folder / name)}
        for pair_id, name in broken.items()
        if pair_id != "story-190"
    }
    done = [p for p in summary["pairs"] if p["status"] == "done"]
    assert all(
        sorted(p.name for p in (out / d["id"]).iterdir()) == sorted(OUTPUTS + [DONE_MARKER]) for d in done
    )
    for entry in done:  # summary counts are the counts of the pair's own alignment.json
        beads = json.loads((out / entry["id"] / "alignment.json").read_text(encoding="utf-8"))["beads"]
        assert entry["counts"] == {kind.value: sum(b["kind"] == kind.value for b in beads) for kind in Kind}
    assert capsys.readouterr() == ("", "")
    page = html.fromstring((out / "index.html").read_bytes())
    assert len(page.findall(".//tbody/tr")) == 200


@pytest.mark.slow
def test_batch_of_folders_writes_what_align_writes(tmp_path, capsys):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    bg, en = tmp_path / "bg", tmp_path / "en"
    bg.mkdir(), en.mkdir()
    (bg / "plovdiv.txt").write_bytes((EXAMPLE / "plovdiv-bg.txt").read_bytes())
    (en / "plovdiv.txt").write_bytes((EXAMPLE / "plovdiv-en.txt").read_bytes())
    assert main(["batch", str(bg), str(en), "-o", str(tmp_path / "batch"), *CHEAP]) == 0
    assert (
        main(
            [
                "align",
                str(bg / "plovdiv.txt"),
                str(en / "plovdiv.txt"),
                "-o",
                str(tmp_path / "one"),
                "-q",
                *CHEAP,
            ]
        )
        == 0
    )
    written = _tree(tmp_path / "batch" / "plovdiv")
    del written[DONE_MARKER]
    assert written == _tree(tmp_path / "one")
    out, err = capsys.readouterr()
    batch = tmp_path / "batch"
    assert out == f"1 of 1 pairs done, 0 failed: see {batch / 'summary.json'} and {batch / 'index.html'}\n"
    assert err.splitlines()[0] == "newsalign batch: 1 pairs to align"


@pytest.mark.slow
def test_real_batch_killed_with_sigkill_resumes_to_the_same_bytes(tmp_path):
    pytest.importorskip("pipeline.align", reason="the aligner (pipeline/align.py) has not landed yet")
    manifest, _ = _two_hundred(tmp_path)
    manifest.write_text(
        "\n".join(manifest.read_text(encoding="utf-8").splitlines()[:30]) + "\n", encoding="utf-8"
    )
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    command = [sys.executable, "-m", "pipeline", "batch", str(manifest), "-q", "--jobs", "2", *CHEAP]
    subprocess.run([*command, "-o", str(whole)], check=False, capture_output=True, timeout=300)
    child = subprocess.Popen([*command, "-o", str(killed)], stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while (
        len(list(killed.glob(f"*/{DONE_MARKER}"))) < 6
        and time.monotonic() < deadline
        and child.poll() is None
    ):
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL and not (killed / "summary.json").exists()
    rerun = subprocess.run([*command, "-o", str(killed)], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 1  # story-017 has no source
    assert _tree(killed) == _tree(whole)


def test_installing_a_model_redoes_the_pairs_auto_may_translate(tmp_path, monkeypatch):
    from pipeline.translate import packages

    pair = _pairs(tmp_path / "in", {"a": ("a", "a")})[0]
    monkeypatch.setattr(packages, "installed", lambda folder=None: [])
    before = worker.pair_key(pair, replace(OPTIONS, translator="auto"))
    unaffected = worker.pair_key(pair, replace(OPTIONS, translator="none"))
    package = packages.Package(Path("x"), "bg", "en", "1.9", 1)
    monkeypatch.setattr(packages, "installed", lambda folder=None: [package])
    assert worker.pair_key(pair, replace(OPTIONS, translator="auto")) != before
    assert worker.pair_key(pair, replace(OPTIONS, translator="none")) == unaffected
