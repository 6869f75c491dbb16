"""Writers and word diffs: render times at 1k and 8k sentences; SimAlign speed and quality on hand-made pairs.

Runs alone (`python scripts/bench_outputs.py` prints a table) or inside `make bench` via run().
"""

from __future__ import annotations

import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.model import Alignment, Article, Bead, Kind, Provenance, Sentence, Span, WordDiff  # noqa: E402
from pipeline.outputs import diffxml, report, tmx, xliff  # noqa: E402

WRITERS = {"tmx": tmx.render, "xliff": xliff.render, "diffxml": diffxml.render, "report": report.render}
SIZES = (1000, 8000)
# Made-up pairs shaped like a news bead: (English MT of the foreign side, English target).
PAIRS = [
    (
        "Troops from Russia, called to help by the government, arrived in Almaty on Thursday.",
        "Russian troops arrived in Almaty on Thursday.",
    ),
    (
        "According to unconfirmed reports, the former president left with his family for Abu Dhabi.",
        "The former president has not been seen in public since the protests began.",
    ),
    (
        "The interim government will hold talks with the opposition next week, the minister said.",
        "The minister said talks with the opposition would take place next week.",
    ),
] * 10

# Hand-made pairs (written by the team, English MT vs English target); [brackets] mark the words one side
# has without counterpart. Scored on content words (function words are never marked alone).
GOLD = [
    (
        "Troops from Russia, [called to help by the government,] arrived in Almaty on Thursday.",
        "Russian troops arrived in Almaty on Thursday.",
    ),
    (
        "The president asked for help from his allies.",
        "The president asked his allies for help, [the government said].",
    ),
    (
        "According to him, Nazarbayev, [considered a mentor of Tokayev,] fled to [Abu Dhabi] "
        "after the unrest began.",
        "According to him, Nazarbayev fled [the country] after the unrest began.",
    ),
    (
        "Eighteen members of the security forces were killed and 748 were wounded.",
        "[In addition,] 18 members of the security forces were killed and 748 wounded, "
        "[according to the government].",
    ),
    (
        "The former minister spent 14 months in prison [in Kazakhstan] before going into exile.",
        "The former minister spent 14 months in prison before going into exile "
        "[in the UK and then in France].",
    ),
    (
        "The demonstrations began on Sunday in western Kazakhstan after the rise in gas prices.",
        "The demonstrations started over the weekend in the [energy-rich] west of the country "
        "after gas prices rose.",
    ),
    (
        "Ablyazov said he was ready to become prime minister [of an interim government].",
        "Ablyazov said he was ready to become prime minister.",
    ),
    ("Protests in Almaty continued on Friday.", "Protests in Almaty continued on Friday."),
    (
        "The authorities imposed a curfew [in the capital] and blocked the internet.",
        "The authorities imposed a curfew and blocked the internet [across the country].",
    ),
    (
        "He was sentenced in absentia to 20 years in prison [in 2017].",
        "He was sentenced in absentia to 20 years in prison [for embezzlement].",
    ),
    (
        "Tokayev accepted the resignation of the cabinet [under pressure from the street].",
        "Tokayev sacked his government.",
    ),
    (
        "The bank's former head denies the accusations.",
        "The bank's former head [has consistently] denied the accusations [of fraud].",
    ),
]


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
    return Alignment(
        Article("s.txt", "bg", tuple(src)), Article("t.txt", "en", tuple(tgt)), tuple(beads), provenance
    )


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def writer_rows() -> list[tuple[str, str, str]]:
    rows = []
    alignments = {n: synthetic(n) for n in SIZES}
    for name, render in WRITERS.items():
        times = {n: min(_seconds(partial(render, alignments[n])) for _ in range(2)) for n in SIZES}
        rows += [
            ("outputs", f"{name}.render, {n} sentences per side", f"{times[n] * 1000:.0f} ms") for n in SIZES
        ]
        rows.append(
            ("outputs", f"{name}.render T(8k)/T(1k) (8 = linear)", f"{times[8000] / times[1000]:.1f}")
        )
    return rows


def wordalign_rows() -> list[tuple[str, str, str]]:
    from wordalign import WordAligner

    started = time.perf_counter()
    aligner, why_not = WordAligner.load()
    if aligner is None:
        return [("word diff", "SimAlign", why_not or "unavailable")]
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


def _unbracket(marked: str) -> tuple[str, set[int]]:
    """The text without brackets, and the positions of its characters that were inside them."""
    text, inside, gold = "", False, set()
    for char in marked:
        if char in "[]":
            inside = char == "["
            continue
        if inside:
            gold.add(len(text))
        text += char
    return text, gold


def _content_words(text: str, chars: set[int]) -> set[int]:
    from wordalign import FUNCTION_WORDS, words

    return {
        w.start
        for w in words(text)
        if w.text.lower() not in FUNCTION_WORDS and any(c in chars for c in range(w.start, w.end))
    }


def quality_rows(layers: tuple[int, ...] = (4, 6)) -> list[tuple[str, str, str]]:
    """Precision, recall and F1 of the marked content words on GOLD, for a few SimAlign layers."""
    from wordalign import WordAligner

    sides = [(_unbracket(a), _unbracket(b)) for a, b in GOLD]
    pairs = [(a[0], b[0]) for a, b in sides]
    rows = []
    for layer in layers:
        aligner, why_not = WordAligner.load(layer=layer)
        if aligner is None:
            return [("word diff", "quality", why_not or "unavailable")]
        hit = marked = gold = 0
        for ((left, left_gold), (right, right_gold)), diff in zip(sides, aligner.diff(pairs)):
            for text, truth, spans in ((left, left_gold, diff.source), (right, right_gold, diff.target)):
                expected = _content_words(text, truth)
                found = _content_words(text, {c for s in spans for c in range(s.start, s.end)})
                hit, marked, gold = hit + len(expected & found), marked + len(found), gold + len(expected)
        precision, recall = hit / max(1, marked), hit / max(1, gold)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        rows.append(
            (
                "word diff",
                f"{aligner.name}: P / R / F1 on {len(GOLD)} hand-made pairs ({gold} words)",
                f"{precision:.2f} / {recall:.2f} / {f1:.2f}",
            )
        )
    return rows


def run() -> list[tuple[str, str, str]]:
    return writer_rows() + wordalign_rows() + quality_rows()


if __name__ == "__main__":
    rows = [("section", "metric", "value"), *run()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))
