"""One pair in, OUTDIR/<id>/ and an Outcome out: the per-pair work, its resume marker, and failure isolation.

Runs in the batch's own process, in a worker process or on a Dask worker; each
process keeps one Runner per set of options, so models load once per worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Protocol

from pipeline import __version__
from pipeline.batch.manifest import ReportPair
from pipeline.batch.outcome import DONE_MARKER, INDEX, SUMMARY, Counts, Outcome, Status
from pipeline.ingest.read import MAX_BYTES
from pipeline.model import Relation
from pipeline.outputs.writers import WRITERS, remove_staging, write_all, write_atomic
from pipeline.run import Aligned, Options, Runner


class PairRunner(Protocol):
    """What a batch needs from a Runner: one pair in, its alignment and notes out."""

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Aligned: ...


RunnerFactory = Callable[[Options], PairRunner]
_RUNNERS: dict[tuple[RunnerFactory, Options], PairRunner] = {}
_LOCK = threading.Lock()  # Dask runs tasks in threads; one Runner is not made for concurrent use


def warm(factory: RunnerFactory, options: Options, workers: int = 1) -> None:
    """Pool initializer: build this process's one Runner (its models take this worker's share of the
    cores); the models it loads serve every later pair."""
    import signal

    from pipeline.align.embed import share_cores

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no worker tracebacks
    share_cores(workers)
    warm_quietly(factory, options)


def warm_quietly(factory: RunnerFactory, options: Options) -> None:
    """Build the Runner; if that fails, each pair fails with the real reason instead of a broken pool."""
    with contextlib.suppress(Exception):
        _runner(factory, options)


def _runner(factory: RunnerFactory, options: Options) -> PairRunner:
    key = (factory, options)
    if key not in _RUNNERS:
        _RUNNERS[key] = factory(options)
    return _RUNNERS[key]


def process_pair(
    pair: ReportPair, options: Options, outdir: Path, factory: RunnerFactory = Runner
) -> Outcome:
    """Align one pair into OUTDIR/<id>/ and write its done-marker last; any failure becomes an Outcome."""
    started = time.perf_counter()
    folder = Path(outdir) / pair.id
    try:
        _forget(folder)
        key = pair_key(pair, options)
        aligned = _runner(factory, options).run(
            pair.source,
            pair.target,
            source_mt=pair.source_mt,
            source_lang=pair.source_lang,
            target_lang=pair.target_lang,
        )
        written = write_all(aligned.alignment, folder, tmx_links=options.tmx_links)
        alignment = aligned.alignment
        outcome = Outcome(
            pair.id, Status.DONE, Counts.of(alignment), relation=alignment.relation, notes=aligned.all_notes()
        )
        _write_marker(folder, key, outcome, written)
    except Exception as error:  # failure isolation: whatever one pair does, the batch goes on
        _remove_outputs(folder)
        return Outcome.failure(pair.id, error, time.perf_counter() - started)
    return replace(outcome, seconds=time.perf_counter() - started)


def process_in_thread(pair: ReportPair, options: Options, outdir: Path, factory: RunnerFactory) -> Outcome:
    with _LOCK:
        return process_pair(pair, options, outdir, factory)


def pair_key(pair: ReportPair, options: Options) -> str:
    """A hash of all a pair's outputs depend on: version, options, installed models, paths, input bytes."""
    digest = hashlib.sha256()
    parts = (
        __version__,
        repr(pair.options(options)),
        _models_in_use(options),
        str(pair.source),
        str(pair.target),
        str(pair.source_mt),
    )
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in (pair.source, pair.target, pair.source_mt):
        digest.update(_file_digest(path) + b"\0")
    return digest.hexdigest()


def _models_in_use(options: Options) -> str:
    """The installed Argos packages when the translator may pick one: installing a model redoes the pairs."""
    if options.translator not in ("auto", "argos"):
        return "-"
    from pipeline.errors import ModelError
    from pipeline.translate.packages import installed

    try:
        return ",".join(sorted(package.name for package in installed()))
    except ModelError as error:  # a packages folder that is not one: the pairs say so when they run
        return str(error)


def _file_digest(path: Path | None) -> bytes:
    """The file's SHA-256; for a file the run refuses unread (a pipe, a device, one over the size limit)
    what stat says, since reading a pipe would block and /dev/zero would never end."""
    if path is None:
        return b"-"
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return f"unread:{stat.S_IFMT(info.st_mode)}:{info.st_size}:{info.st_mtime_ns}".encode()
        digest = hashlib.sha256()
        with open(path, "rb") as handle:  # hashlib.file_digest would need Python 3.11; 3.10 is supported
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.digest()
    except OSError as error:
        return f"unreadable:{type(error).__name__}".encode()


def _write_marker(folder: Path, key: str, outcome: Outcome, written: list[Path]) -> None:
    record = {
        "key": key,
        "counts": asdict(outcome.counts) if outcome.counts else None,
        "relation": asdict(outcome.relation) if outcome.relation else None,
        "notes": list(outcome.notes),
        "files": {p.name: p.stat().st_size for p in written},
    }
    write_atomic(folder / DONE_MARKER, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def resumed(pair: ReportPair, options: Options, outdir: Path) -> Outcome | None:
    """The pair's earlier outcome if its marker matches its inputs and each listed output is there, whole."""
    folder = Path(outdir) / pair.id
    try:
        record = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
        complete = all((folder / name).stat().st_size == size for name, size in record["files"].items())
        if record["key"] != pair_key(pair, options) or not complete:
            return None
        notes = tuple(str(note) for note in record.get("notes", ()))
        relation = Relation(**record["relation"]) if record.get("relation") else None
        counts = Counts(**record["counts"])
        return Outcome(pair.id, Status.DONE, counts, relation=relation, notes=notes, resumed=True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _forget(folder: Path) -> None:
    """Before a pair runs: no marker (its outputs are about to change) and no temp files a killed run left."""
    (folder / DONE_MARKER).unlink(missing_ok=True)
    remove_temporaries(folder)


def remove_temporaries(folder: Path) -> None:
    """write_atomic's temp files (".<name>.<random>.tmp") of the files a batch writes, and the staging
    folders of write_all, left by a kill -9."""
    remove_staging(folder)
    if folder.is_dir():
        for name in [name for name, _ in WRITERS] + [DONE_MARKER, SUMMARY, INDEX]:
            for path in folder.glob(f".{name}.*.tmp"):
                path.unlink(missing_ok=True)


def _remove_outputs(folder: Path) -> None:
    """A failed pair keeps no outputs of an earlier run: they would not belong to its current inputs."""
    try:
        _forget(folder)
        for name, _ in WRITERS:
            (folder / name).unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass  # the failure being recorded matters more than tidying up
