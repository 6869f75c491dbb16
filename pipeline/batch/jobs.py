"""A list of report pairs in; OUTDIR/<id>/ per pair, summary.json and index.html out.

Resumable (a pair whose inputs and options are unchanged and whose outputs are complete is
skipped), failures isolated (a failing pair is recorded and the batch goes on), run in this
process, in worker processes (`jobs`) or on a Dask cluster (`dask_address`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pipeline.batch.executors import execute
from pipeline.batch.index import render_index, render_summary
from pipeline.batch.manifest import ReportPair
from pipeline.batch.outcome import INDEX, SUMMARY, Outcome, Status
from pipeline.batch.progress import Progress
from pipeline.batch.worker import RunnerFactory, remove_temporaries, resumed
from pipeline.errors import UsageError
from pipeline.outputs.writers import make_folder, write_atomic
from pipeline.run import Options, Runner


@dataclass(frozen=True)
class BatchResult:
    """Every pair's outcome, sorted by id, and where the summary and index went."""

    outcomes: tuple[Outcome, ...]
    summary: Path
    index: Path

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.status is Status.FAILED)


def run_batch(
    pairs: Sequence[ReportPair],
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
    with Progress(len(pairs), len(outcomes), stream, enabled=progress) as shown:
        for outcome in execute(todo, options, outdir, jobs, dask_address, factory):
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
    make_folder(outdir)
    remove_temporaries(outdir)
    return outdir
