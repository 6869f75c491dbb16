"""Bad input, measured: how fast a too-large file is refused, what windowing pysbd buys, fuzz throughput.

Runs alone (`python scripts/bench_robustness.py` prints a table) or inside `make bench` via run().
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.errors import InputError  # noqa: E402
from pipeline.ingest import read, segment  # noqa: E402

SECTION = "bad input"
# A made-up Bulgarian paragraph with the abbreviations pysbd's rules have to handle.
SENTENCES = [
    f"През {2000 + n} г. общината похарчи {n},50 млн. лв. за пътища, каза кметът. "
    f"„Това е рекорд“, добави той пред БТА. Опозицията не беше съгласна."
    for n in range(2000)
]


def _seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _refusal(folder: Path) -> float:
    """A sparse 50 MB file: refused from its size, so this is the cost of a stat."""
    path = folder / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 10**6)

    def refuse() -> None:
        try:
            read.read_document(path, "bg")
        except InputError:
            return
        raise AssertionError("a 50 MB file was read")

    return _seconds(refuse)


def _segmenting(chars: int, window: int) -> tuple[float, int]:
    paragraph = " ".join(SENTENCES)[:chars]
    old, segment._WINDOW = segment._WINDOW, window
    try:
        pieces: list[str] = []
        elapsed = _seconds(lambda: pieces.extend(segment.split_sentences(paragraph, "bg")))
    finally:
        segment._WINDOW = old
    return elapsed, len(pieces)


def _fuzz_rate(seconds: float) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import test_fuzz

    rng, count = random.Random(1), 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            path.write_bytes(test_fuzz._mutate(rng, rng.choice(test_fuzz.SEEDS)))
            test_fuzz._check(path, rng.choice([None, "bg", "en"]), Path(folder) / "out")
            count += 1
    return count / seconds


def run() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        refusal = _refusal(Path(folder))
    read.read_document  # noqa: B018  (imports done; the rows below time work, not imports)
    segment.split_sentences("Загрявка. Още едно.", "bg")
    rows = [(SECTION, "50 MB file refused (from its size)", f"{refusal * 1000:.1f} ms")]
    for chars in (5_000, 20_000):  # one call on 100 KB takes minutes: quadratic
        whole, n = _segmenting(chars, 10**9)
        windowed, m = _segmenting(chars, segment._WINDOW)
        same = "same sentences" if n == m else f"{n} vs {m} sentences"
        rows.append(
            (
                SECTION,
                f"segment one {chars // 1000} KB paragraph: one pysbd call / {segment._WINDOW}-char window",
                f"{whole:.2f} s / {windowed:.2f} s ({same})",
            )
        )
    big, _ = _segmenting(400_000, segment._WINDOW)
    rows.append((SECTION, "segment speed, windowed (400 KB paragraph)", f"{400_000 / big:,.0f} chars/s"))
    rows.append(
        (SECTION, "segment time at MAX_CHARS (extrapolated)", f"{read.MAX_CHARS / (400_000 / big):.0f} s")
    )
    rows.append((SECTION, "fuzz: damaged inputs read+segmented+written", f"{_fuzz_rate(5.0):.0f} per s"))
    return rows


if __name__ == "__main__":
    table = run()
    width = max(len(metric) for _, metric, _ in table)
    for section, metric, value in table:
        print(f"{section:10}  {metric:<{width}}  {value}")
