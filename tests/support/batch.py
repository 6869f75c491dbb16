"""What the batch tests share: a fake Runner (one word a sentence, paired by position) and small helpers."""

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.batch.jobs import BatchResult, run_batch
from pipeline.batch.manifest import ReportPair
from pipeline.errors import InputError
from pipeline.ingest.read import read_text
from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Relation, Sentence
from pipeline.run import Aligned, Options

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
        log_event("made")

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
        log_event("ran")
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
        return Aligned(fake_alignment(str(source), src, str(target), tgt, options), notices)


def log_event(event: str) -> None:
    """Append "<event> <pid>" to $NEWSALIGN_TEST_LOG: which process made a runner, which ran a pair."""
    if os.environ.get("NEWSALIGN_TEST_LOG"):
        with open(os.environ["NEWSALIGN_TEST_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{event} {os.getpid()}\n")


def events_of(log: Path) -> dict[str, list[str]]:
    events: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        event, pid = line.split()
        events.setdefault(event, []).append(pid)
    return events


def fake_alignment(source: str, src: list[str], target: str, tgt: list[str], options: Options) -> Alignment:
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


def write_words(folder: Path, name: str, words: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(words.replace(" ", "\n") + "\n", encoding="utf-8")
    return path


def make_pairs(folder: Path, contents: dict[str, tuple[str, str]]) -> list[ReportPair]:
    """A pair per id; None as a content means the file is missing."""
    pairs = []
    for pair_id, (src, tgt) in contents.items():
        source = (
            write_words(folder, f"{pair_id}-bg.txt", src) if src is not None else folder / f"{pair_id}-bg.txt"
        )
        target = (
            write_words(folder, f"{pair_id}-en.txt", tgt) if tgt is not None else folder / f"{pair_id}-en.txt"
        )
        pairs.append(ReportPair(pair_id, source, target))
    return pairs


def read_error(path: Path) -> str:
    """The one-line message reading `path` fails with (read.py words it; these tests only pass it on)."""
    with pytest.raises(InputError) as raised:
        read_text(path)
    return str(raised.value)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_fake(pairs, out: Path, **kwargs) -> BatchResult:
    return run_batch(pairs, OPTIONS, out, factory=FakeRunner, progress=False, **kwargs)


CONTENTS = {
    "b-partial": ("~a b c", "a b c"),
    "a-match": ("a b", "a b"),
    "c-extra": ("a b c d", "a b"),
    "d-missing": ("a", None),
    "e-crash": ("a CRASH", "a b"),
    "f-empty": ("", "a"),
}
