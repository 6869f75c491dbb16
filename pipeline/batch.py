"""A manifest of report pairs (or two folders) in; OUTDIR/<id>/ per pair, summary.json and index.html out.

Resumable (a pair whose inputs and options are unchanged and whose outputs are complete is
skipped), failures isolated (a failing pair is recorded and the batch goes on), run in this
process, in worker processes (`jobs`) or on a Dask cluster (`dask_address`). Each process keeps
one Runner per set of options, so models load once per worker, not once per pair.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence, TextIO
from urllib.parse import quote

from pipeline import __version__
from pipeline.errors import InputError, UsageError
from pipeline.model import Alignment, Kind
from pipeline.run import Options, Runner
from pipeline.write import write_all, write_atomic

SCHEMA = "newsalign.batch/1"
DONE_MARKER = ".done.json"  # written last, atomically: its presence means the folder is complete
SUMMARY = "summary.json"
INDEX = "index.html"
COLUMNS = ("id", "source", "target", "source_lang", "target_lang", "source_mt")
REQUIRED = COLUMNS[:3]
MAX_ID = 200
_LANG = re.compile(r"[a-z]{2,3}")
DASK_TIMEOUT = "20s"  # how long to try reaching the scheduler
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")


class PairRunner(Protocol):
    """What a batch needs from a Runner: one pair in, an Alignment out."""

    def run(
        self,
        source: Path,
        target: Path,
        *,
        source_mt: Path | None = None,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Alignment: ...


RunnerFactory = Callable[[Options], PairRunner]


@dataclass(frozen=True)
class Pair:
    """One line of a manifest: where the two reports are, and languages if the line gives them."""

    id: str
    source: Path
    target: Path
    source_lang: str | None = None
    target_lang: str | None = None
    source_mt: Path | None = None

    def options(self, base: Options) -> Options:
        """The batch options with this pair's languages, where it names them."""
        return replace(
            base,
            source_lang=self.source_lang or base.source_lang,
            target_lang=self.target_lang or base.target_lang,
        )


class Status(str, Enum):
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Counts:
    """How many beads of each kind a pair's alignment has."""

    match: int = 0
    partial: int = 0
    addition: int = 0
    omission: int = 0

    @classmethod
    def of(cls, alignment: Alignment) -> Counts:
        return cls(*(alignment.count(kind) for kind in Kind))


@dataclass(frozen=True)
class Outcome:
    """What became of one pair. `resumed` and `seconds` go to the progress output only, never to summary.json."""

    pair_id: str
    status: Status
    counts: Counts | None = None
    error_type: str | None = None
    error: str | None = None
    resumed: bool = False
    seconds: float = 0.0
    said: tuple[str, ...] = ()  # what the stages printed on stderr; the progress shows each line once

    @classmethod
    def failure(cls, pair_id: str, error: BaseException, seconds: float = 0.0, said: tuple[str, ...] = ()) -> Outcome:
        lines = str(error).strip().splitlines()
        message = lines[0][:500] if lines else type(error).__name__
        return cls(pair_id, Status.FAILED, error_type=type(error).__name__, error=message, seconds=seconds, said=said)


@dataclass(frozen=True)
class BatchResult:
    """Every pair's outcome, sorted by id, and where the summary and index went."""

    outcomes: tuple[Outcome, ...]
    summary: Path
    index: Path

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.status is Status.FAILED)


# ---------------------------------------------------------------- reading the list of pairs


def read_pairs(manifest: Path, target_dir: Path | None = None) -> list[Pair]:
    """Pairs from a manifest file, or from two folders (`manifest` the source folder) paired by file name."""
    manifest = Path(manifest)
    if target_dir is not None:
        return pair_folders(manifest, Path(target_dir))
    if manifest.is_dir():
        raise UsageError(f"{manifest} is a folder: give a manifest file, or two folders (SOURCE_DIR TARGET_DIR)")
    return read_manifest(manifest)


def read_manifest(path: Path) -> list[Pair]:
    """CSV, TSV or JSON Lines with id, source, target[, source_lang, target_lang, source_mt]."""
    text = _manifest_text(path)
    rows = _json_rows(path, text) if _is_json_lines(path, text) else _delimited_rows(path, text)
    pairs: list[Pair] = []
    lines: dict[str, int] = {}
    for line, row in rows:
        pair = _pair(path, line, row)
        if pair.id in lines:
            raise InputError(str(path), f"line {line}: id {pair.id!r} already used on line {lines[pair.id]}")
        lines[pair.id] = line
        pairs.append(pair)
    if not pairs:
        raise InputError(str(path), "no pairs (the manifest lists none)")
    return pairs


def pair_folders(source_dir: Path, target_dir: Path) -> list[Pair]:
    """A pair per file name found in either folder; a name missing on one side becomes a pair that fails."""
    source_dir, target_dir = source_dir.absolute(), target_dir.absolute()
    names = sorted(_file_names(source_dir) | _file_names(target_dir))
    if not names:
        raise InputError(str(source_dir), f"no files here nor in {target_dir}")
    stems = [Path(name).stem for name in names]
    ids = [stem if stems.count(stem) == 1 else name for stem, name in zip(stems, names)]
    return [Pair(_check_id(source_dir, 0, i), source_dir / n, target_dir / n) for i, n in zip(ids, names)]


def _file_names(folder: Path) -> set[str]:
    if not folder.is_dir():
        raise InputError(str(folder), "no such folder")
    return {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def _manifest_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(str(path), f"line {line}: not UTF-8 text") from None


def _is_json_lines(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".tab", ".txt"):
        return False
    return text.lstrip().startswith("{")


def _json_rows(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(content)
        except json.JSONDecodeError as error:
            raise InputError(str(path), f"line {line}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise InputError(str(path), f"line {line}: expected a JSON object with id, source, target")
        yield line, {str(k): ("" if v is None else str(v)) for k, v in row.items()}


def _delimited_rows(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") or _first_line(text).count("\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    header: tuple[str, ...] | None = None
    first = _first_row_line(text)
    while True:
        line = reader.line_num + 1  # where the record starts (a quoted field may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(str(path), f"line {line}: {error}") from None
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None and line == first:
            header = _header(cells)
            if header:
                continue
        yield line, _cells(path, line, cells, header or ())


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")


def _first_row_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            return number
    return 0


def _header(cells: list[str]) -> tuple[str, ...]:
    """The column names if `cells` is a header row (it names id, source and target), else ()."""
    names = tuple(c.strip().lower() for c in cells)
    return names if set(REQUIRED) <= set(names) else ()


def _cells(path: Path, line: int, cells: list[str], header: tuple[str, ...]) -> dict:
    if header:
        if len(cells) != len(header):
            raise InputError(str(path), f"line {line}: {len(cells)} fields, the header has {len(header)}")
        return dict(zip(header, cells))
    if not len(REQUIRED) <= len(cells) <= len(COLUMNS):
        raise InputError(
            str(path), f"line {line}: {len(cells)} field(s); expected {', '.join(REQUIRED)}[, source_lang, target_lang, source_mt]"
        )
    return dict(zip(COLUMNS, cells))


def _pair(path: Path, line: int, row: dict) -> Pair:
    values = {name: row.get(name, "").strip() for name in COLUMNS}
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise InputError(str(path), f"line {line}: no {' and no '.join(missing)}")
    for name in ("source_lang", "target_lang"):
        if values[name] and not _LANG.fullmatch(values[name]):
            raise InputError(str(path), f"line {line}: {name} {values[name]!r} is not an ISO 639 code such as 'bg'")
    base = path.absolute().parent
    return Pair(
        id=_check_id(path, line, values["id"]),
        source=_resolve(base, values["source"]),
        target=_resolve(base, values["target"]),
        source_lang=values["source_lang"] or None,
        target_lang=values["target_lang"] or None,
        source_mt=_resolve(base, values["source_mt"]) if values["source_mt"] else None,
    )


def _check_id(path: Path, line: int, pair_id: str) -> str:
    """An id names the pair's output folder, so it must be one plain folder name."""
    where = f"line {line}: " if line else ""
    if pair_id in (".", "..") or pair_id.startswith(".") or _BAD_ID.search(pair_id):
        raise InputError(str(path), f"{where}id {pair_id!r} cannot name a folder (no '/', '\\', leading '.' or control characters)")
    if pair_id in (SUMMARY, INDEX) or len(pair_id) > MAX_ID:
        raise InputError(str(path), f"{where}id {pair_id!r} is reserved or longer than {MAX_ID} characters")
    return pair_id


def _resolve(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


# ---------------------------------------------------------------- one pair (runs in a worker)

_RUNNERS: dict[tuple[RunnerFactory, Options], PairRunner] = {}
_LOCK = threading.Lock()  # Dask runs tasks in threads; one Runner is not made for concurrent use


def warm(factory: RunnerFactory, options: Options) -> None:
    """Process-pool initializer: build this process's one Runner; the models it loads serve every later pair."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no worker tracebacks
    _warm_quietly(factory, options)


def _warm_quietly(factory: RunnerFactory, options: Options) -> None:
    """Build the Runner; if that fails, each pair fails with the real reason instead of a broken pool."""
    try:
        _runner(factory, options)
    except Exception:
        pass


def _runner(factory: RunnerFactory, options: Options) -> PairRunner:
    key = (factory, options)
    if key not in _RUNNERS:
        _RUNNERS[key] = factory(options)
    return _RUNNERS[key]


def process_pair(pair: Pair, options: Options, outdir: Path, factory: RunnerFactory = Runner) -> Outcome:
    """Align one pair into OUTDIR/<id>/ and write its done-marker last; any failure becomes an Outcome."""
    started, stderr = time.perf_counter(), io.StringIO()
    folder = Path(outdir) / pair.id
    try:
        _forget(folder)
        key = pair_key(pair, options)
        with contextlib.redirect_stderr(stderr):  # a worker's notes would tear the progress bar apart
            alignment = _runner(factory, options).run(
                pair.source, pair.target,
                source_mt=pair.source_mt, source_lang=pair.source_lang, target_lang=pair.target_lang,
            )
        written = write_all(alignment, folder)
        counts = Counts.of(alignment)
        _write_marker(folder, key, counts, written)
    except Exception as error:  # failure isolation: whatever one pair does, the batch goes on
        _remove_outputs(folder)
        return Outcome.failure(pair.id, error, time.perf_counter() - started, _said(stderr))
    return Outcome(pair.id, Status.DONE, counts, seconds=time.perf_counter() - started, said=_said(stderr))


def _said(stderr: io.StringIO) -> tuple[str, ...]:
    return tuple(line.removeprefix("newsalign: ") for line in stderr.getvalue().splitlines() if line.strip())


def _process_in_thread(pair: Pair, options: Options, outdir: Path, factory: RunnerFactory) -> Outcome:
    with _LOCK:
        return process_pair(pair, options, outdir, factory)


def pair_key(pair: Pair, options: Options) -> str:
    """A hash of everything a pair's outputs depend on: version, options, installed models, paths, input bytes."""
    digest = hashlib.sha256()
    parts = (__version__, repr(pair.options(options)), _models_in_use(options), str(pair.source), str(pair.target), str(pair.source_mt))
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for path in (pair.source, pair.target, pair.source_mt):
        digest.update(_file_digest(path) + b"\0")
    return digest.hexdigest()


def _models_in_use(options: Options) -> str:
    """The installed Argos packages when the translator may pick one: installing a model redoes the pairs."""
    if options.translator not in ("auto", "argos"):
        return "-"
    from pipeline.models import installed

    return ",".join(sorted(package.name for package in installed()))


def _file_digest(path: Path | None) -> bytes:
    if path is None:
        return b"-"
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError as error:
        return f"unreadable:{type(error).__name__}".encode()


def _write_marker(folder: Path, key: str, counts: Counts, written: list[Path]) -> None:
    record = {"key": key, "counts": asdict(counts), "files": {p.name: p.stat().st_size for p in written}}
    write_atomic(folder / DONE_MARKER, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def resumed(pair: Pair, options: Options, outdir: Path) -> Outcome | None:
    """The pair's earlier outcome if its marker matches its inputs and every output it lists is there, whole."""
    folder = Path(outdir) / pair.id
    try:
        record = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
        complete = all((folder / name).stat().st_size == size for name, size in record["files"].items())
        if record["key"] != pair_key(pair, options) or not complete:
            return None
        return Outcome(pair.id, Status.DONE, Counts(**record["counts"]), resumed=True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _forget(folder: Path) -> None:
    """Before a pair runs: no marker (its outputs are about to change) and no temp files a killed run left."""
    (folder / DONE_MARKER).unlink(missing_ok=True)
    _remove_temporaries(folder)


def _remove_temporaries(folder: Path) -> None:
    """write_atomic's temp files (".<name>.<random>.tmp") of the files a batch writes, left by a kill -9."""
    from pipeline.write import WRITERS

    if folder.is_dir():
        for name in [name for name, _ in WRITERS] + [DONE_MARKER, SUMMARY, INDEX]:
            for path in folder.glob(f".{name}.*.tmp"):
                path.unlink(missing_ok=True)


def _remove_outputs(folder: Path) -> None:
    """A failed pair keeps no outputs of an earlier run: they would not belong to its current inputs."""
    from pipeline.write import WRITERS

    try:
        _forget(folder)
        for name, _ in WRITERS:
            (folder / name).unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass  # the failure being recorded matters more than tidying up


# ---------------------------------------------------------------- the batch


def run_batch(
    pairs: Sequence[Pair],
    options: Options,
    outdir: Path,
    *,
    jobs: int = 1,
    dask_address: str | None = None,
    factory: RunnerFactory = Runner,
    progress: bool = True,
    stream: TextIO | None = None,
) -> BatchResult:
    """Align every pair not already done, then write summary.json and index.html (both sorted by id)."""
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    if len({pair.id for pair in pairs}) != len(pairs):
        raise UsageError("two pairs share an id; each id names its own output folder")
    outdir = _output_folder(Path(outdir))
    outcomes = {pair.id: o for pair in pairs if (o := resumed(pair, options, outdir)) is not None}
    todo = [pair for pair in pairs if pair.id not in outcomes]
    with Progress(len(pairs), len(outcomes), stream or sys.stderr, enabled=progress) as shown:
        for outcome in _execute(todo, options, outdir, jobs, dask_address, factory):
            outcomes[outcome.pair_id] = outcome
            shown.update(outcome)
    ordered = tuple(sorted(outcomes.values(), key=lambda o: o.pair_id))
    by_id = {pair.id: pair for pair in pairs}
    summary = outdir / SUMMARY
    write_atomic(summary, render_summary([by_id[o.pair_id] for o in ordered], ordered, options))
    index = outdir / INDEX
    write_atomic(index, render_index([by_id[o.pair_id] for o in ordered], ordered))
    return BatchResult(ordered, summary, index)


def _output_folder(outdir: Path) -> Path:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(str(outdir), f"cannot create the output folder ({error.strerror or error})") from None
    _remove_temporaries(outdir)
    return outdir


def _execute(
    todo: list[Pair], options: Options, outdir: Path, jobs: int, dask_address: str | None, factory: RunnerFactory
) -> Iterator[Outcome]:
    if not todo:
        return iter(())
    if dask_address is not None:
        return _on_dask(todo, options, outdir, dask_address, factory)
    if jobs == 1:
        return (process_pair(pair, options, outdir, factory) for pair in todo)
    return _in_processes(todo, options, outdir, min(jobs, len(todo)), factory)


def _in_processes(todo: list[Pair], options: Options, outdir: Path, jobs: int, factory: RunnerFactory) -> Iterator[Outcome]:
    """Worker processes with one Runner each. If a worker dies (crash, out of memory), the pool is
    replaced; the pairs it had in flight are run again one at a time, and the one that kills its
    worker again is recorded as failed while the rest go on."""
    queue, suspects = deque(todo), deque()
    while queue or suspects:
        solo = bool(suspects)
        pool = ProcessPoolExecutor(max_workers=1 if solo else jobs, initializer=warm, initargs=(factory, options))
        try:
            lost = yield from _drain(pool, suspects if solo else queue, 1 if solo else 2 * jobs, options, outdir, factory)
        finally:
            _stop(pool)
        for pair in lost:
            if solo:
                yield Outcome(pair.id, Status.FAILED, error_type="WorkerDied", error=_DIED)
            else:
                suspects.append(pair)


_DIED = "the worker process died while aligning this pair (a crash in native code, or out of memory)"


def _drain(
    pool: ProcessPoolExecutor, source: deque, limit: int, options: Options, outdir: Path, factory: RunnerFactory
) -> Iterator[Outcome]:
    """Keep at most `limit` pairs in flight; returns the pairs in flight when the pool broke (else [])."""
    flying: dict[Future, Pair] = {}
    while source or flying:
        while source and len(flying) < limit:
            pair = source.popleft()
            flying[pool.submit(process_pair, pair, options, outdir, factory)] = pair
        finished, _ = wait(flying, return_when=FIRST_COMPLETED)
        if any(isinstance(f.exception(), BrokenProcessPool) for f in finished):
            return list(flying.values())
        for future in finished:
            flying.pop(future)
            yield future.result()
    return []


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down at once: on Ctrl-C, pairs in flight are abandoned (their markers are never written)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # the executor has no public handle on them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def _on_dask(todo: list[Pair], options: Options, outdir: Path, address: str, factory: RunnerFactory) -> Iterator[Outcome]:
    """The same pairs on a Dask cluster: each worker keeps one Runner (warmed by a plugin), writes OUTDIR itself."""
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=DASK_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({error})") from None
    with client:
        client.register_plugin(_warm_plugin(factory, options), name="newsalign-runner")
        futures = client.map(_process_in_thread, todo, options=options, outdir=outdir.absolute(), factory=factory, pure=False)
        ids = {future.key: pair.id for future, pair in zip(futures, todo)}
        try:
            for future in as_completed(futures, loop=client.loop):
                yield _dask_outcome(future, ids[future.key])
        except BaseException:
            client.cancel(futures)
            raise


def _dask_outcome(future, pair_id: str) -> Outcome:
    if future.status == "error":  # process_pair catches everything, so this is a lost or killed worker
        return Outcome.failure(pair_id, future.exception())
    return future.result()


def _warm_plugin(factory: RunnerFactory, options: Options):
    """A WorkerPlugin (defined here so `distributed` is imported only for --dask) that builds the Runner once per worker."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmRunner(WorkerPlugin):
        def __init__(self, factory: RunnerFactory, options: Options) -> None:
            self.factory, self.options = factory, options

        def setup(self, worker) -> None:
            _warm_quietly(self.factory, self.options)

    return WarmRunner(factory, options)


# ---------------------------------------------------------------- progress on stderr


class Progress:
    """Pairs done, failures, rate and ETA: a tqdm bar on a terminal; a line now and then when stderr is a file or pipe."""

    def __init__(self, total: int, resumed: int, stream: TextIO, *, enabled: bool = True) -> None:
        self.total, self.resumed, self.stream, self.enabled = total, resumed, stream, enabled
        self.done, self.failed, self.work = resumed, 0, 0.0
        self.said: set[str] = set()
        self.started = self.last = time.monotonic()
        self.step = max(1, total // 20)
        self.bar = None

    def __enter__(self) -> Progress:
        if self.enabled and _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, initial=self.resumed, unit="pair", file=self.stream, desc="newsalign batch", dynamic_ncols=True)
            self.bar.set_postfix(failed=0)
        if self.resumed:
            self._line(f"{self.resumed} of {self.total} pairs already done, {self.total - self.resumed} to align")
        elif self.bar is None:
            self._line(f"{self.total} pairs to align")
        return self

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.work += outcome.seconds
        for line in outcome.said:
            if line not in self.said:
                self.said.add(line)
                self._line(f"note: {line}")
        if outcome.status is Status.FAILED:
            self.failed += 1
            self._line(f"failed {outcome.pair_id}: {outcome.error_type}: {outcome.error}")
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(1)
        elif (self.done - self.resumed) % self.step == 0 or time.monotonic() - self.last >= 30:
            self._line(self.status())

    def status(self) -> str:
        ran, elapsed = self.done - self.resumed, max(time.monotonic() - self.started, 1e-9)
        left = (self.total - self.done) * elapsed / ran if ran else 0.0
        return f"{self.done}/{self.total} pairs, {self.failed} failed, {60 * ran / elapsed:.1f} pairs/min, ETA {_clock(left)}"

    def __exit__(self, kind, error, trace) -> None:
        if self.bar is not None:
            self.bar.close()
        if error is None:
            ran = self.done - self.resumed
            per_pair = f" ({self.work / ran:.2f} s of work per pair)" if ran else ""
            self._line(f"finished: {self.status().split(', ETA')[0]}, in {_clock(time.monotonic() - self.started)}{per_pair}")

    def _line(self, text: str) -> None:
        self.last = time.monotonic()
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.write(f"newsalign batch: {text}", file=self.stream)
        else:
            print(f"newsalign batch: {text}", file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# ---------------------------------------------------------------- summary.json and index.html


def render_summary(pairs: Sequence[Pair], outcomes: Sequence[Outcome], options: Options) -> bytes:
    """summary.json: options, totals and one entry per pair in id order; no timings, so a resumed run gives the same bytes."""
    failed = sum(1 for o in outcomes if o.status is Status.FAILED)
    document = {
        "schema": SCHEMA,
        "newsalign": __version__,
        "options": asdict(options),
        "totals": {"pairs": len(outcomes), "done": len(outcomes) - failed, "failed": failed},
        "pairs": [_summary_entry(pair, outcome) for pair, outcome in zip(pairs, outcomes)],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _summary_entry(pair: Pair, outcome: Outcome) -> dict:
    entry: dict = {"id": pair.id, "status": outcome.status.value, "source": str(pair.source), "target": str(pair.target)}
    for field in ("source_lang", "target_lang", "source_mt"):
        if getattr(pair, field) is not None:
            entry[field] = str(getattr(pair, field))
    if outcome.counts is not None:
        entry["counts"] = asdict(outcome.counts)
        entry["report"] = f"{pair.id}/report.html"
    else:
        entry["error"] = {"type": outcome.error_type, "message": outcome.error}
    return entry


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
#only-failed:checked ~ table tr.done { display: none; }
label { display: inline-block; margin: 0 0 .8em .3em; }
tr.failed td { background: #fdecea; }
.failed .status { color: #b00020; font-weight: bold; }
"""
_HEAD = ("pair", "status", "matches", "partials", "additions", "omissions", "reason")


def render_index(pairs: Sequence[Pair], outcomes: Sequence[Outcome]) -> bytes:
    """index.html: one self-contained page, a row per pair linking its report.html."""
    from lxml import html
    from lxml.html import builder as E

    failed = sum(1 for o in outcomes if o.status is Status.FAILED)
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE("newsalign batch"), E.STYLE(_CSS)),
        E.BODY(
            E.H1("newsalign batch"),
            E.P(f"{len(outcomes)} pairs: {len(outcomes) - failed} done, {failed} failed."),
            E.INPUT(type="checkbox", id="only-failed"),
            E.LABEL("show only the failed pairs", **{"for": "only-failed"}),
            E.TABLE(E.THEAD(E.TR(*(_header_cell(h) for h in _HEAD))), E.TBODY(*(_index_row(p, o) for p, o in zip(pairs, outcomes)))),
        ),
    )
    return html.tostring(page, doctype="<!DOCTYPE html>", encoding="utf-8", pretty_print=True)


def _header_cell(name: str):
    from lxml.html import builder as E

    return E.TH(name, E.CLASS("n")) if name in _HEAD[2:6] else E.TH(name)


def _index_row(pair: Pair, outcome: Outcome):
    from lxml.html import builder as E

    from pipeline.render import xml_safe

    name = E.A(pair.id, href=f"{quote(pair.id)}/report.html") if outcome.counts is not None else pair.id
    counts = _count_cells(outcome.counts)
    reason = f"{outcome.error_type}: {xml_safe(outcome.error or '')}" if outcome.status is Status.FAILED else ""
    return E.TR(
        E.TD(name),
        E.TD(outcome.status.value, E.CLASS("status")),
        *(E.TD(str(n), E.CLASS("n")) for n in counts),
        E.TD(reason),
        E.CLASS(outcome.status.value),
    )


def _count_cells(counts: Counts | None) -> tuple[str | int, ...]:
    if counts is None:
        return ("",) * len(fields(Counts))
    return tuple(getattr(counts, f.name) for f in fields(Counts))
