"""Whole-process speed against Bleualign on the same sentences and MT: the seeds' BTA/AFP pair cold, and a
large pair (all seven Text+Berg articles joined, ~1,000 x 1,000 sentences, word differences on).

Each figure is a fresh process timed from start to exit, with its peak resident memory (os.wait4), as a
user meets it. The seeds run with Apertium's translation from the disk cache (the first run fills it);
Bleualign (`newsalign[bench]`) gets newsalign's own sentences of the pair and their translations, so both
tools read the same text. Runs alternate (newsalign, Bleualign, ...) and the medians are compared, so a
busy machine slows both. `python scripts/bench_speed.py --against DIR` also times the checkout in DIR
(say, the commit before a change), interleaved, for before/after figures from one run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
TEXTBERG = SHARED / "bench" / "textberg"
SEED_PAIR = (SEEDS / "001_44a840e50541c4ec.txt", SEEDS / "000_4edc5930ec3dca38.txt")
ROUNDS = 3
# Targets of issue 22, printed beside the figures.
SEEDS_MAX_SECONDS, SEEDS_MAX_RATIO = 4.0, 4.0
LARGE_MAX_SECONDS, LARGE_MAX_MIB = 90.0, 700.0

_BLEUALIGN = """
import sys
from bleualign.align import Aligner
source, target, mt, out = sys.argv[1:]
options = {"srcfile": source, "targetfile": target, "srctotarget": [mt], "output": out, "verbosity": 0}
Aligner(options).mainloop()
"""


def timed(argv: list[str], cwd: Path = REPO) -> tuple[float, float, float]:
    """Run a command to its end: wall seconds, peak resident memory in MiB and CPU seconds (on a busy
    machine the CPU seconds tell a slow run from a starved one)."""
    import time

    env = {**os.environ, "PYTHONPATH": str(cwd)}
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(
            f"{argv[:4]} failed: {child.stderr.read().decode()[-500:] if child.stderr else ''}"
        )
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def align_argv(source: Path, target: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "align", str(source), str(target), "-o", str(out), "-q", *extra]


def bleualign_inputs(alignment: Path, folder: Path) -> tuple[Path, Path, Path]:
    """newsalign's sentences of a pair and their translation (from its alignment.json), one a line."""
    data = json.loads(alignment.read_text(encoding="utf-8"))
    files = {
        "source.txt": [s["text"] for s in data["source"]["sentences"]],
        "mt.txt": [s["translation"] or s["text"] for s in data["source"]["sentences"]],
        "target.txt": [s["text"] for s in data["target"]["sentences"]],
    }
    for name, lines in files.items():
        (folder / name).write_text("".join(" ".join(x.split()) + "\n" for x in lines), encoding="utf-8")
    return folder / "source.txt", folder / "target.txt", folder / "mt.txt"


def bleualign_argv(inputs: tuple[Path, Path, Path], out: Path) -> list[str]:
    source, target, mt = inputs
    return [sys.executable, "-c", _BLEUALIGN, str(source), str(target), str(mt), str(out)]


def large_pair(folder: Path) -> tuple[Path, Path, Path]:
    """All Text+Berg articles joined: German, French, and the shipped Google MT of the German."""
    paths = []
    for suffix in ("de", "fr", "mt-google.fr"):
        lines = [
            line
            for n in range(1, 8)
            for line in (TEXTBERG / f"{n:03d}.{suffix}").read_text("utf-8").splitlines()
        ]
        path = folder / f"large.{suffix}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def _median(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def seeds_rows(trees: dict[str, Path], folder: Path) -> list[tuple[str, str, str]]:
    langs = ("--source-lang", "bg", "--target-lang", "en", "--translator", "apertium")
    for tree in trees.values():  # fills the translation cache: the rows time cold processes, warm cache
        timed(align_argv(*SEED_PAIR, folder / "warm", *langs), tree)
    inputs = bleualign_inputs(folder / "warm" / "alignment.json", folder)
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in [*trees, "Bleualign"]}
    for _ in range(ROUNDS):
        for name, tree in trees.items():
            runs[name].append(timed(align_argv(*SEED_PAIR, folder / name, *langs), tree))
        runs["Bleualign"].append(timed(bleualign_argv(inputs, folder / "bleualign")))
    reference, _, _ = _median(runs["Bleualign"])
    rows = [("speed seeds", f"Bleualign, same sentences and MT (median of {ROUNDS})", f"{reference:.2f} s")]
    for name in trees:
        seconds, mib, cpu = _median(runs[name])
        rows.append(
            (
                "speed seeds",
                f"{name}: cold align 001/000 "
                f"(target <= {SEEDS_MAX_SECONDS:.0f} s, <= {SEEDS_MAX_RATIO:.0f}x)",
                f"{seconds:.2f} s ({cpu:.1f} CPU-s), {mib:.0f} MiB, {seconds / reference:.1f}x Bleualign",
            )
        )
    return rows


def large_rows(trees: dict[str, Path], folder: Path) -> list[tuple[str, str, str]]:
    source, target, mt = large_pair(folder)
    extra = ("--presegmented", "--source-mt", str(mt), "--source-lang", "de", "--target-lang", "fr")
    reference, _, _ = timed(bleualign_argv((source, target, mt), folder / "bleualign-large"))
    rows = [("speed large pair", "Text+Berg 001-007 joined, sentences", _counts(source, target))]
    rows.append(("speed large pair", "Bleualign, same sentences and MT", f"{reference:.1f} s"))
    for name, tree in trees.items():
        seconds, mib, cpu = timed(align_argv(source, target, folder / f"large-{name}", *extra), tree)
        rows.append(
            (
                "speed large pair",
                f"{name}: full run with word differences (target <= {LARGE_MAX_SECONDS:.0f} s, "
                f"<= {LARGE_MAX_MIB:.0f} MiB)",
                f"{seconds:.1f} s ({cpu:.0f} CPU-s), {mib:.0f} MiB, {seconds / reference:.0f}x Bleualign",
            )
        )
    return rows


def _counts(source: Path, target: Path) -> str:
    return " x ".join(str(len(p.read_text("utf-8").splitlines())) for p in (source, target))


def run(against: Path | None = None, large: bool = True) -> list[tuple[str, str, str]]:
    if not SEEDS.is_dir() or not TEXTBERG.is_dir():
        return [("speed", "skipped", f"{SEEDS} or {TEXTBERG} not found")]
    try:
        import bleualign  # noqa: F401
    except ImportError:
        return [("speed", "skipped", "Bleualign is not installed (pip install 'newsalign[bench]')")]
    trees = {"newsalign": REPO} if against is None else {"before": against, "after": REPO}
    with tempfile.TemporaryDirectory(prefix="bench_speed.") as temporary:
        folder = Path(temporary)
        return seeds_rows(trees, folder) + (large_rows(trees, folder) if large else [])


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "scripts"))
    from bench import table

    args = sys.argv[1:]
    against = Path(args[args.index("--against") + 1]).resolve() if "--against" in args else None
    print(table([("section", "metric", "value"), *run(against, large="--no-large" not in args)]))
