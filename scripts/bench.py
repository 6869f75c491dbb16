"""`make bench`: runs every scripts/bench_<topic>.py side by side in one process and prints one table.

Each bench module exposes run() -> list of (section, metric, value) rows. Timings on a shared
machine are noisy, so the modules report ratios measured within the same run.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("align", "translate", "batch")  # others follow in name order


def _modules(selected: list[str]) -> list[Path]:
    found = {p.stem.removeprefix("bench_"): p for p in HERE.glob("bench_*.py")}
    names = [n for n in ORDER if n in found] + sorted(set(found) - set(ORDER))
    return [found[n] for n in names if not selected or n in selected]


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table(rows: list[tuple[str, str, str]]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [line]
    for i, row in enumerate(rows):
        out.append(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths)))
        if i == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)


def main(argv: list[str]) -> int:
    rows = [("section", "metric", "value")]
    failed = 0
    for path in _modules(argv):
        started = time.perf_counter()
        print(f"bench: {path.name} ...", file=sys.stderr, flush=True)
        try:
            rows += [tuple(map(str, row)) for row in _load(path).run()]
        except Exception as error:  # one broken benchmark must not hide the others' figures
            rows.append((path.stem, "FAILED", f"{type(error).__name__}: {error}"))
            failed += 1
        print(
            f"bench: {path.name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True
        )
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
