"""Writer and word-diff speed: render times of the four writers at 1k and 8k sentences, SimAlign pairs per second.

Runs alone (`python scripts/bench_outputs.py` prints a table) or inside `make bench` via run().
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Sentence, Span, WordDiff  # noqa: E402

WRITERS = ("tmx", "xliff", "diffxml", "report")
SIZES = (1000, 8000)
# Made-up pairs shaped like a news bead: (English MT of the foreign side, English target).
PAIRS = [
    ("Troops from Russia, called to help by the government, arrived in Almaty on Thursday.",
     "Russian troops arrived in Almaty on Thursday."),
    ("According to unconfirmed reports, the former president left with his family for Abu Dhabi.",
     "The former president has not been seen in public since the protests began."),
    ("The interim government will hold talks with the opposition next week, the minister said.",
     "The minister said talks with the opposition would take place next week."),
] * 10


def synthetic(n: int) -> Alignment:
    """n sentences per side; every 10th bead an addition, every 10th an omission, every 5th partial."""
    src, tgt, beads = [], [], []
    for i in range(n):
        mt, english = PAIRS[i % len(PAIRS)]
        src.append(Sentence(i + 1, f"Изречение номер {i + 1} с малко текст.", i // 5 + 1, mt))
        tgt.append(Sentence(i + 1, english, i // 5 + 1))
        if i % 10 == 3:
            beads += [Bead((i + 1,), (), Kind.ADDITION, 0.1), Bead((), (i + 1,), Kind.OMISSION, 0.1)]
        elif i % 5 == 1:
            beads.append(Bead((i + 1,), (i + 1,), Kind.PARTIAL, 0.6, WordDiff((Span(0, 6),), (Span(0, 7),))))
        else:
            beads.append(Bead((i + 1,), (i + 1,), Kind.MATCH, 0.9))
    provenance = Provenance(newsalign="0.1.0", translator="bench", embedder="bench")
    return Alignment(Article("s.txt", "bg", tuple(src)), Article("t.txt", "en", tuple(tgt)), tuple(beads), provenance)


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def writer_rows() -> list[tuple[str, str, str]]:
    from importlib import import_module

    rows = []
    alignments = {n: synthetic(n) for n in SIZES}
    for name in WRITERS:
        render = import_module(f"pipeline.{name}").render
        times = {n: min(_seconds(lambda: render(alignments[n])) for _ in range(2)) for n in SIZES}
        rows += [("outputs", f"{name}.render, {n} sentences per side", f"{times[n] * 1000:.0f} ms") for n in SIZES]
        rows.append(("outputs", f"{name}.render T(8k)/T(1k) (8 = linear)", f"{times[8000] / times[1000]:.1f}"))
    return rows


def wordalign_rows() -> list[tuple[str, str, str]]:
    from pipeline.wordalign import WordAligner

    started = time.perf_counter()
    aligner = WordAligner.load()
    if aligner is None:
        return [("word diff", "SimAlign", WordAligner.load_error or "unavailable")]
    loaded = time.perf_counter() - started
    aligner.diff(PAIRS[:2])  # warm-up
    batch = min(_seconds(lambda: aligner.diff(PAIRS)) for _ in range(2))
    single = _seconds(lambda: [aligner.diff([p]) for p in PAIRS])
    return [
        ("word diff", f"{aligner.name}: load (imports + model)", f"{loaded:.1f} s"),
        ("word diff", f"{len(PAIRS)} pairs (one news article), batched", f"{batch:.2f} s"),
        ("word diff", "pairs per second, batched", f"{len(PAIRS) / batch:.0f}"),
        ("word diff", "speed-up of batching over one call per pair", f"{single / batch:.1f}x"),
    ]


def run() -> list[tuple[str, str, str]]:
    return writer_rows() + wordalign_rows()


if __name__ == "__main__":
    rows = [("section", "metric", "value"), *run()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))
