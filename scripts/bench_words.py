"""Word differences: pairs flagged and added words found on Text+Berg with clauses added (tuned on
001-004, held out 005-007), words highlighted in untouched pairs, the cold one-pair time and its loading."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The repository this script lives in comes first: an editable install elsewhere (another worktree's
# checkout) must not be what is measured.
sys.path[:0] = [str(HERE), str(HERE.parent)]

from make_word_diff_data import HELD_OUT, SEED, TUNE, Case, cases  # noqa: E402

from pipeline.differences.differ import Differ  # noqa: E402
from pipeline.differences.evidence import words  # noqa: E402
from pipeline.differences.spans import PairText  # noqa: E402
from pipeline.model import Span, WordDiff  # noqa: E402

SEEDS = HERE.parents[1] / "shared" / "seeds"
OWN = HERE.parent / "tests" / "fixtures" / "word_diff" / "own_pairs.tsv"
ANNOTATION = HERE.parent / "tests" / "fixtures" / "word_diff" / "seeds_001_000.tsv"
# The draw the rows above report, and four more: which pairs get a clause and which clause.
DRAWS = tuple(range(SEED, SEED + 5))


def _inside(text: str, spans: tuple[Span, ...] | None) -> set[int]:
    """Indexes of the words of `text` that lie in any span."""
    return {
        k
        for k, w in enumerate(words(text))
        if any(s.start <= w.start and w.end <= s.end for s in spans or ())
    }


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
            text = getattr(case, side) or ""
            marked, added = (
                _inside(text, getattr(diff, side)),
                _inside(text, (getattr(case, f"added_{side}"),) if getattr(case, f"added_{side}") else ()),
            )
            found, gold, right = found + len(marked), gold + len(added), right + len(marked & added)
        out[f"{side} words P"], out[f"{side} words R"] = _ratio(right, found), _ratio(right, gold)
    quiet = [(c, d) for c, d in zip(built, diffs) if not c.touched]
    lit = sum(
        len(_inside(getattr(c, s) or "", getattr(d, s)))
        for c, d in quiet
        for s in ("source", "translation", "target")
    )
    total = sum(
        len(words(getattr(c, s) or "")) for c, _ in quiet for s in ("source", "translation", "target")
    )
    out["untouched words highlighted"] = _ratio(lit, total)
    return out


def textberg_rows(differ: Differ) -> list[tuple[str, str, str]]:
    rows = []
    for name, articles in (("tuned on 001-004", TUNE), ("held out 005-007", HELD_OUT)):
        built = cases(articles)
        diffs = differ.diff([PairText(c.source, c.translation, c.target, "de", "fr") for c in built])
        result = score(built, diffs)
        label = f"Text+Berg {name}, {len(built)} pairs, {sum(c.touched for c in built)} with a clause added"
        rows.append(
            (
                "word diff",
                f"{label}: pairs flagged P / R",
                f"{result['pairs P']:.2f} / {result['pairs R']:.2f}",
            )
        )
        for side in ("target", "translation", "source"):
            rows.append(
                (
                    "word diff",
                    f"{label}: added {side} words P / R",
                    f"{result[side + ' words P']:.2f} / {result[side + ' words R']:.2f}",
                )
            )
        rows.append(
            (
                "word diff",
                f"{label}: words highlighted in untouched pairs",
                f"{100 * result['untouched words highlighted']:.1f}%",
            )
        )
        rows.append(_draws_row(differ, name, articles))
        rows.append(_unannotated_row(differ, name, articles))
    return rows


def _unannotated_row(differ: Differ, name: str, articles: tuple[str, ...]) -> tuple[str, str, str]:
    """Pairs flagged P / R when the pairs come from every gold 1-1 bead, the beads annotated as saying
    different things included (an untouched one flagged counts as wrong): the figure before annotation."""
    built = cases(articles, faithful_only=False)
    result = score(
        built, differ.diff([PairText(c.source, c.translation, c.target, "de", "fr") for c in built])
    )
    touched = sum(c.touched for c in built)
    return (
        "word diff",
        f"Text+Berg {name}, every 1-1 bead ({len(built)} pairs, {touched} with a clause added; unannotated): "
        "pairs flagged P / R",
        f"{result['pairs P']:.2f} / {result['pairs R']:.2f}",
    )


def _draws_row(differ: Differ, name: str, articles: tuple[str, ...]) -> tuple[str, str, str]:
    """Pairs flagged P / R pooled over DRAWS: other pairs get the clauses, so one lucky or unlucky draw of
    ~60 touched pairs (one pair is 0.017 of recall) weighs less."""
    flagged = touched = hits = 0
    for seed in DRAWS:
        built = cases(articles, seed)
        diffs = differ.diff([PairText(c.source, c.translation, c.target, "de", "fr") for c in built])
        flagged += sum(d.any() for d in diffs)
        touched += sum(c.touched for c in built)
        hits += sum(d.any() and c.touched for c, d in zip(built, diffs))
    return (
        "word diff",
        f"Text+Berg {name}, {len(DRAWS)} draws ({touched} pairs with a clause added): pairs flagged P / R",
        f"{_ratio(hits, flagged):.2f} / {_ratio(hits, touched):.2f}",
    )


def cold_run_rows() -> list[tuple[str, str, str]]:
    """Fresh processes: one aligns the seeds' BTA/AFP pair with Apertium (translations come from the disk
    cache after the first bench); the other only loads what that run loads (imports, the embedder's first
    call, simplemma's dictionaries, lt-proc's analyser). The second over the first is the share spent
    loading."""
    pair = f"{str(SEEDS / '001_44a840e50541c4ec.txt')!r}, {str(SEEDS / '000_4edc5930ec3dca38.txt')!r}"
    run = (
        "from pipeline.run import Runner, Options\n"
        f"Runner(Options(translator='apertium')).run({pair}, source_lang='bg', target_lang='en')\n"
    )
    load = (
        "import pipeline.run, pipeline.align.aligner, pipeline.differences.differ, simplemma\n"
        "from pipeline.align.embed import load_embedder\n"
        "from pipeline.differences.gloss import Glosser\n"
        "load_embedder('auto')[0].embed(['x'])\n"
        "simplemma.lemmatize('x', 'en'); simplemma.lemmatize('x', 'bg')\n"
        "Glosser('bg').gloss(['x'])\n"
    )
    cold, loading = _seconds(run), _seconds(load)
    without = _seconds(run.replace("translator='apertium'", "translator='apertium', word_diff=False"))
    return [
        ("word diff", "cold one-pair run (seeds 001/000, Apertium), whole process", f"{cold:.1f} s"),
        (
            "word diff",
            "  of which loading (imports, the embedder, lemma dictionaries, lt-proc)",
            f"{loading:.1f} s ({100 * loading / cold:.0f}%)",
        ),
        ("word diff", "  the same run without word differences", f"{without:.1f} s"),
    ]


def _seconds(code: str) -> float:
    script = f"import time; t0 = time.perf_counter()\n{code}print(time.perf_counter() - t0)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def own_pairs() -> list[Case]:
    """The team's own bg/en and en/en pairs (tests/fixtures/word_diff/own_pairs.tsv), Bulgarian translated
    with Apertium; [brackets] mark the added words."""
    from pipeline.translate.apertium import ApertiumTranslator

    rows = [
        line.split("\t")
        for line in OWN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [_unbracket(row[1]) for row in rows]
    targets = [_unbracket(row[2]) for row in rows]
    bulgarian = [s[0] for row, s in zip(rows, sources) if row[0] == "bg"]
    translated = iter(ApertiumTranslator.load("bg", "en").translate(bulgarian))
    out = []
    for row, (source, at_source), (target, at_target) in zip(rows, sources, targets):
        translation = next(translated) if row[0] == "bg" else None
        out.append(Case(row[0], source, translation, target, at_source, None, at_target))
    return out


def _unbracket(marked: str) -> tuple[str, Span | None]:
    """The text without its [brackets], and the span of the bracketed words (leading punctuation aside)."""
    if "[" not in marked:
        return marked, None
    head, rest = marked.split("[", 1)
    inside, tail = rest.split("]", 1)
    lead = len(inside) - len(inside.lstrip(" ,"))
    return head + inside + tail, Span(len(head) + lead, len(head) + len(inside))


def own_rows(differ: Differ) -> list[tuple[str, str, str]]:
    built = own_pairs()
    diffs = differ.diff([PairText(c.source, c.translation, c.target, c.article, "en") for c in built])
    result = score(built, diffs)
    touched = sum(c.touched for c in built)
    label = f"own pairs ({len(built)}: bg-en via Apertium and en-en, {touched} with additions)"
    rows = [
        ("word diff", f"{label}: pairs flagged P / R", f"{result['pairs P']:.2f} / {result['pairs R']:.2f}")
    ]
    for side in ("target", "source"):
        rows.append(
            (
                "word diff",
                f"{label}: added {side} words P / R",
                f"{result[side + ' words P']:.2f} / {result[side + ' words R']:.2f}",
            )
        )
    return rows


def simalign_gold_rows(differ: Differ) -> list[tuple[str, str, str]]:
    """The 12 hand-made English pairs of bench_outputs.py (where SimAlign was tuned), scored the same way."""
    from bench_outputs import GOLD, _content_words
    from bench_outputs import _unbracket as unbracket_chars

    sides = [(unbracket_chars(a), unbracket_chars(b)) for a, b in GOLD]
    diffs = differ.diff([PairText(a[0], None, b[0], "en", "en") for a, b in sides])
    hit = marked = gold = 0
    for ((left, left_gold), (right, right_gold)), diff in zip(sides, diffs):
        for text, truth, found_spans in ((left, left_gold, diff.source), (right, right_gold, diff.target)):
            expected = _content_words(text, truth)
            found = _content_words(text, {c for s in found_spans for c in range(s.start, s.end)})
            hit, marked, gold = hit + len(expected & found), marked + len(found), gold + len(expected)
    precision, recall = hit / max(1, marked), hit / max(1, gold)
    return [
        (
            "word diff",
            f"{differ.name}: P / R on bench_outputs' {len(GOLD)} hand-made en-en pairs ({gold} words)",
            f"{precision:.2f} / {recall:.2f}",
        )
    ]


def seeds_rows() -> list[tuple[str, str, str]]:
    """The seeds' BTA/AFP pair with Apertium: annotated real partials found, faithful pairs left unmarked."""
    from pipeline.run import Options, Runner

    aligned = Runner(Options(translator="apertium")).run(
        SEEDS / "001_44a840e50541c4ec.txt",
        SEEDS / "000_4edc5930ec3dca38.txt",
        source_lang="bg",
        target_lang="en",
    )
    kinds = {(b.src, b.tgt): b.diff is not None and b.diff.any() for b in aligned.alignment.beads}
    annotated = _annotation()
    partial = [kinds.get(key, False) for key, label in annotated.items() if label == "partial"]
    faithful = [kinds.get(key, False) for key, label in annotated.items() if label == "faithful"]
    return [
        (
            "word diff",
            "seeds 001/000 (Apertium): annotated real partials marked",
            f"{sum(partial)} / {len(partial)}",
        ),
        (
            "word diff",
            "seeds 001/000 (Apertium): annotated faithful pairs with a highlight",
            f"{sum(faithful)} / {len(faithful)}",
        ),
    ]


def _annotation() -> dict[tuple[tuple[int, ...], tuple[int, ...]], str]:
    rows = {}
    for line in ANNOTATION.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            src, tgt, label = line.split("\t")[:3]
            rows[(tuple(map(int, src.split(","))), tuple(map(int, tgt.split(","))))] = label
    return rows


def run() -> list[tuple[str, str, str]]:
    from pipeline.align.embed import DiskCached, load_embedder

    embedder, _ = load_embedder("auto")
    cached = DiskCached(embedder, HERE.parent / ".cache" / "embeddings") if embedder is not None else None
    started = time.perf_counter()
    rows = textberg_rows(Differ(cached))
    rows.append(
        (
            "word diff",
            "Text+Berg word diffs, both sets (embeddings cached on disk)",
            f"{time.perf_counter() - started:.1f} s",
        )
    )
    differ = Differ(cached)
    return rows + own_rows(differ) + simalign_gold_rows(differ) + seeds_rows() + cold_run_rows()


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
