"""Pairs in, their Outcomes out as they finish: in this process, in worker processes, or on a Dask cluster."""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.batch.manifest import ReportPair
from pipeline.batch.outcome import Outcome, Status
from pipeline.batch.worker import RunnerFactory, process_in_thread, process_pair, warm, warm_quietly
from pipeline.errors import UsageError
from pipeline.run import Options

DASK_TIMEOUT = "20s"  # how long to try reaching the scheduler
_DIED = "the worker process died while aligning this pair (a crash in native code, or out of memory)"


def execute(
    todo: list[ReportPair],
    options: Options,
    outdir: Path,
    jobs: int,
    dask_address: str | None,
    factory: RunnerFactory,
) -> Iterator[Outcome]:
    if not todo:
        return iter(())
    if dask_address is not None:
        return _on_dask(todo, options, outdir, dask_address, factory)
    if jobs == 1:
        return (process_pair(pair, options, outdir, factory) for pair in todo)
    return _in_processes(todo, options, outdir, min(jobs, len(todo)), factory)


def _in_processes(
    todo: list[ReportPair], options: Options, outdir: Path, jobs: int, factory: RunnerFactory
) -> Iterator[Outcome]:
    """Worker processes with one Runner each. If a worker dies (crash, out of memory), the pool is
    replaced; the pairs it had in flight are run again one at a time, and the one that kills its
    worker again is recorded as failed while the rest go on."""
    queue = deque(todo)
    suspects: deque[ReportPair] = deque()
    while queue or suspects:
        solo = bool(suspects)
        workers = 1 if solo else jobs
        pool = ProcessPoolExecutor(workers, initializer=warm, initargs=(factory, options, workers))
        try:
            lost = yield from _drain(
                pool, suspects if solo else queue, 1 if solo else 2 * jobs, options, outdir, factory
            )
        finally:
            _stop(pool)
        for pair in lost:
            if solo:
                yield Outcome(pair.id, Status.FAILED, error_type="WorkerDied", error=_DIED)
            else:
                suspects.append(pair)


def _drain(
    pool: ProcessPoolExecutor,
    source: deque[ReportPair],
    limit: int,
    options: Options,
    outdir: Path,
    factory: RunnerFactory,
) -> Generator[Outcome, None, list[ReportPair]]:
    """Keep at most `limit` pairs in flight; returns the pairs in flight when the pool broke (else [])."""
    flying: dict[Future, ReportPair] = {}
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
    """Shut the pool down at once: on Ctrl-C, pairs in flight are abandoned (their markers never written)."""
    # the executor has no public handle on them
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def _on_dask(
    todo: list[ReportPair], options: Options, outdir: Path, address: str, factory: RunnerFactory
) -> Iterator[Outcome]:
    """The same on a Dask cluster: each worker keeps one Runner (warmed by a plugin), writes OUTDIR itself."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--dask needs Dask's distributed scheduler: pip install 'newsalign[dask]'") from None
    try:
        client = Client(address, timeout=DASK_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({error})") from None
    with client:
        client.register_plugin(_warm_plugin(factory, options), name="newsalign-runner")
        futures = client.map(
            process_in_thread, todo, options=options, outdir=outdir.absolute(), factory=factory, pure=False
        )
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
    """A WorkerPlugin that builds the Runner once per worker.

    Defined in this function so that `distributed` is imported only for --dask.
    """
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmRunner(WorkerPlugin):
        def __init__(self, factory: RunnerFactory, options: Options) -> None:
            self.factory, self.options = factory, options

        def setup(self, worker) -> None:
            warm_quietly(self.factory, self.options)

    return WarmRunner(factory, options)
