"""Word differences: pairs flagged and added words found on Text+Berg with clauses added (tuned on 001-004,
held out 005-007), words highlighted in untouched pairs, and the cold one-pair run time and its loading share."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_word_diff_data import HELD_OUT, TUNE, Case, cases  # noqa: E402

from pipeline.differences.compare import Differ  # noqa: E402
from pipeline.differences.evidence import words  # noqa: E402
from pipeline.differences.spans import PairText  # noqa: E402
from pipeline.model import Span, WordDiff  # noqa: E402

SEEDS = HERE.parents[1] / "shared" / "seeds"


def _inside(text: str, spans: tuple[Span, ...] | None) -> set[int]:
    """Indexes of the words of `text` that lie in any span."""
    return {k for k, w in enumerate(words(text)) if any(s.start <= w.start and w.end <= s.end for s in spans or ())}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score(built: list[Case], diffs: list[WordDiff]) -> dict[str, float]:
    """Pair-level and word-level precision/recall, and the share of words highlighted in untouched pairs."""
    flagged = [d.any() for d in diffs]
    truth = [c.touched for c in built]
    hits = sum(f and t for f, t in zip(flagged, truth))
    out = {"pairs P": _ratio(hits, sum(flagged)), "pairs R": _ratio(hits, sum(truth))}
    for side in ("source", "translation", "target"):
        found = gold = right = 0
        for case, diff in zip(built, diffs):
            text = getattr(case, side)
            marked, added = _inside(text, getattr(diff, side)), _inside(text, (getattr(case, f"added_{side}"),)
                                                                     if getattr(case, f"added_{side}") else ())
            found, gold, right = found + len(marked), gold + len(added), right + len(marked & added)
        out[f"{side} words P"], out[f"{side} words R"] = _ratio(right, found), _ratio(right, gold)
    quiet = [(c, d) for c, d in zip(built, diffs) if not c.touched]
    lit = sum(len(_inside(getattr(c, s), getattr(d, s))) for c, d in quiet for s in ("source", "translation", "target"))
    total = sum(len(words(getattr(c, s))) for c, _ in quiet for s in ("source", "translation", "target"))
    out["untouched words highlighted"] = _ratio(lit, total)
    return out


def textberg_rows(differ: Differ) -> list[tuple[str, str, str]]:
    rows = []
    for name, articles in (("tuned on 001-004", TUNE), ("held out 005-007", HELD_OUT)):
        built = cases(articles)
        diffs = differ.diff([PairText(c.source, c.translation, c.target, "de", "fr") for c in built])
        result = score(built, diffs)
        label = f"Text+Berg {name}, {len(built)} pairs, {sum(c.touched for c in built)} with a clause added"
        rows.append(("word diff", f"{label}: pairs flagged P / R",
                     f"{result['pairs P']:.2f} / {result['pairs R']:.2f}"))
        for side in ("target", "translation", "source"):
            rows.append(("word diff", f"{label}: added {side} words P / R",
                         f"{result[side + ' words P']:.2f} / {result[side + ' words R']:.2f}"))
        rows.append(("word diff", f"{label}: words highlighted in untouched pairs",
                     f"{100 * result['untouched words highlighted']:.1f}%"))
    return rows


def cold_run_rows() -> list[tuple[str, str, str]]:
    """A fresh process aligns the seeds' BTA/AFP pair with Apertium; its time and the part spent loading models."""
    script = (
        "import time; t0 = time.perf_counter()\n"
        "from pipeline.run import Runner, Options\n"
        "from pipeline.align.embed import load_embedder\n"
        "t1 = time.perf_counter(); load_embedder('auto'); load = time.perf_counter() - t1\n"
        f"Runner(Options(translator='apertium')).run({str(SEEDS / '001_44a840e50541c4ec.txt')!r}, "
        f"{str(SEEDS / '000_4edc5930ec3dca38.txt')!r}, source_lang='bg', target_lang='en')\n"
        "print(time.perf_counter() - t0, load)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    total, load = map(float, done.stdout.split()[-2:])
    return [("word diff", "cold one-pair run (seeds 001/000, Apertium), whole process", f"{total:.1f} s"),
            ("word diff", "  of which loading models (embedder; no word aligner is loaded)",
             f"{load:.1f} s ({100 * load / total:.0f}%)")]


def run() -> list[tuple[str, str, str]]:
    from pipeline.align.embed import load_embedder

    embedder, _ = load_embedder("auto")
    started = time.perf_counter()
    rows = textberg_rows(Differ(embedder))
    rows.append(("word diff", "Text+Berg word diffs, both sets", f"{time.perf_counter() - started:.1f} s"))
    return rows + cold_run_rows()


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
