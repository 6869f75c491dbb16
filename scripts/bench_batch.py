"""`newsalign batch` throughput: pairs per minute and peak memory per worker, 1 job, 2 jobs, 2 Dask workers.

The batch pairs the seed reports (read from ../shared/seeds, never copied) and the team's
example pair with one another: foreign-with-English and English-with-English, 16 pairs.
Each configuration runs in a fresh Python process with an empty translation cache, and is
timed from the call to the batch until summary.json is written (worker start and model
loading included, as a user sees it; the Dask cluster is started before the clock).
Peak memory is the largest resident set of any worker process, sampled every 50 ms. CPU
seconds add up every process of the run; with the load average they tell a slow run on a
busy machine from a slow batch.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLE = REPO / "tests" / "fixtures" / "example"
FOREIGN = ("001_44a840e50541c4ec.txt",)
ENGLISH = (
    "000_4edc5930ec3dca38.txt",
    "002_4518efd50d4bcaac.txt",
    "003_b248ca9894450f4a.txt",
    "004_49040e62c2f46939.txt",
)

_DRIVER = """
import sys, time
from pipeline.cli import main
argv = sys.argv[1:]
cluster = None
if argv[0] == "dask":
    from distributed import LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    argv = argv[1:] + ["--dask", cluster.scheduler_address]
started = time.perf_counter()
code = main(argv)
print(f"{time.perf_counter() - started:.3f} {code}")
if cluster is not None:
    cluster.close()
"""


def manifest(folder: Path) -> tuple[Path, int]:
    """A manifest of the bench pairs (absolute paths into ../shared and tests/fixtures) and its length."""
    foreign = [SEEDS / name for name in FOREIGN] + [EXAMPLE / "plovdiv-bg.txt"]
    english = [SEEDS / name for name in ENGLISH] + [EXAMPLE / "plovdiv-en.txt"]
    rows = [(f"{s.stem[:3]}-{t.stem[:3]}", s, t) for s in foreign for t in english]
    rows += [(f"{s.stem[:3]}-{t.stem[:3]}", s, t) for s, t in combinations(english[:4], 2)]
    path = folder / "bench.csv"
    path.write_text("id,source,target\n" + "".join(f"{i},{s},{t}\n" for i, s, t in rows), encoding="utf-8")
    return path, len(rows)


def measure(args: list[str], workdir: Path) -> tuple[float, int, float, int]:
    """One batch, fresh process: seconds, exit code, CPU seconds (all processes), peak worker RSS (bytes)."""
    import psutil

    # threads as a user gets them: the embedder of each worker takes its share of the cores by itself
    env = {**os.environ, "NEWSALIGN_CACHE": str(workdir / "cache"), "ARGOS_INTRA_THREADS": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )
    root, peak = psutil.Process(child.pid), {}
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)  # usage covers the workers it waited for, too
        if pid:
            break
        for process in _workers(root, pooled=args[0] == "dask" or "--jobs" in args):
            with contextlib.suppress(psutil.Error):
                peak[process.pid] = max(peak.get(process.pid, 0), process.memory_info().rss)
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds, code = child.stdout.read().split()
    return float(seconds), int(code), usage.ru_utime + usage.ru_stime, max(peak.values(), default=0)


def _workers(root, *, pooled: bool) -> list:
    """The processes that align pairs: the batch process itself with one job, else its descendants."""
    try:
        return root.children(recursive=True) if pooled else [root]
    except Exception:
        return []


CONFIGS = (
    ("1 job", []),
    ("2 jobs", ["--jobs", "2"]),
    ("Dask LocalCluster, 2 workers", None),
)


def run() -> list[tuple[str, str, str]]:
    if not SEEDS.is_dir():
        return [("batch", "skipped", f"{SEEDS} not found")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_batch.") as temporary:
        folder = Path(temporary)
        path, count = manifest(folder)
        rows.append(("batch", "pairs (seeds + example)", str(count)))
        for name, extra in CONFIGS:
            work = folder / name.split()[0].lower()
            work.mkdir()
            common = ["batch", str(path), "-o", str(work / "out"), "-q"]
            args = ["dask", *common] if extra is None else [*common, *extra]
            load = os.getloadavg()[0]
            seconds, code, cpu, rss = measure(args, work)
            rows.append(
                (
                    f"batch {name}",
                    "pairs per minute",
                    f"{60 * count / seconds:.1f} ({seconds:.1f} s, exit {code})",
                )
            )
            rows.append(
                (
                    f"batch {name}",
                    "CPU seconds per pair",
                    f"{cpu / count:.2f} (load average {load:.1f} at start)",
                )
            )
            rows.append((f"batch {name}", "peak RSS per worker", f"{rss / 2**20:.0f} MiB"))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "scripts"))
    from bench import table

    print(table([("section", "metric", "value"), *run()]))
