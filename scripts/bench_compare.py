"""`newsalign compare`: the five seeds against one `align` of 001/000 in one run; growth from 5 to 20 reports.

Runs alone (`python scripts/bench_compare.py` prints a table) or inside `make bench` via run().
The seeds rows time whole runs two ways, after one untimed warm-up of each (so the on-disk
translation cache serves both alike): as commands (a fresh process each, writing their files, as a
user runs them), and in one process (fresh models, read, translate, embed, align; `align` also
labels and word-aligns; after the warm-up the process has already imported torch and transformers).
The growth rows build reports of 50 sentences from
Text+Berg (German with Google's French, and French; pivot fr) and time story_of() with the
embeddings cached, so they show how pairwise aligning and claim grouping grow with N (N(N-1)/2 pairs).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.model import Article, Provenance, Sentence  # noqa: E402

SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
TEXTBERG = SHARED / "bench" / "textberg"
SIZES = (5, 10, 20)
SENTENCES = 50
ROW = "compare"


def run() -> list[tuple[str, str, str]]:
    rows = _seeds() + _commands() if SEEDS.exists() else [(f"{ROW} seeds", "skipped", f"{SEEDS} not found")]
    rows += _growth() if TEXTBERG.exists() else [(f"{ROW} growth", "skipped", f"{TEXTBERG} not found")]
    return rows


def _seeds() -> list[tuple[str, str, str]]:
    from pipeline.run import Options, Runner
    from pipeline.story.compare import compare

    paths = sorted(SEEDS.glob("00[0-4]_*.txt"))
    langs = ["bg" if p.name.startswith("001") else "en" for p in paths]
    align_once = lambda: Runner(Options(source_lang="bg", target_lang="en")).run(paths[1], paths[0])  # noqa: E731
    compare_once = lambda: compare(paths, Runner(Options()), langs=langs)  # noqa: E731
    align_once(), compare_once()  # warm-up: translation cache, OS file cache, imports
    rounds = [
        (_timed(align_once), _timed(compare_once)) for _ in range(3)
    ]  # shared machine: interleaved, best of 3
    aligned_s, compared_s = min(a for a, _ in rounds), min(c for _, c in rounds)
    story = compare_once().story
    single = sum(1 for c in story.claims if len(c.members) == 1)
    embedded = sum(len(r.article.sentences) for r in story.reports)
    pair = len(story.report("r1").article.sentences) + len(story.report("r2").article.sentences)
    return [
        (
            f"{ROW} seeds (5 reports)",
            "align 001/000 / compare all five (fresh models each, best of 3)",
            f"{aligned_s:.1f} s / {compared_s:.1f} s = {compared_s / aligned_s:.2f}x (target <= 1.5x)",
        ),
        (
            f"{ROW} seeds (5 reports)",
            "sentences embedded: align / compare (each once)",
            f"{pair} / {embedded}",
        ),
        (f"{ROW} seeds (5 reports)", "claims / made by one report only", f"{len(story.claims)} / {single}"),
    ]


def _commands() -> list[tuple[str, str, str]]:
    """The two commands as a user runs them: a fresh process each, writing their files."""
    import subprocess
    import tempfile

    paths = [str(p) for p in sorted(SEEDS.glob("00[0-4]_*.txt"))]
    command = [sys.executable, "-m", "pipeline"]
    with tempfile.TemporaryDirectory() as out:
        align = [
            *command,
            "align",
            paths[1],
            paths[0],
            "-o",
            f"{out}/a",
            "-q",
            "--source-lang",
            "bg",
            "--target-lang",
            "en",
        ]
        compare = [*command, "compare", *paths, "-o", f"{out}/c", "-q", "--langs", "en,bg,en,en,en"]
        run = lambda argv: subprocess.run(argv, check=True, capture_output=True, cwd=REPO)  # noqa: E731
        rounds = [(_timed(lambda: run(align)), _timed(lambda: run(compare))) for _ in range(3)]
    aligned_s, compared_s = min(a for a, _ in rounds), min(c for _, c in rounds)
    return [
        (
            f"{ROW} seeds (5 reports)",
            "`newsalign align 001 000` / `newsalign compare` all five (processes, best of 3)",
            f"{aligned_s:.1f} s / {compared_s:.1f} s = {compared_s / aligned_s:.2f}x (target <= 1.5x)",
        )
    ]


def _growth() -> list[tuple[str, str, str]]:
    from pipeline.run import Options, Runner
    from pipeline.story.compare import story_of

    embedder = _embedder()
    runner = Runner.with_embedder(Options(), embedder)
    reports = _textberg_reports(max(SIZES))
    if embedder is not None:  # embeddings are not what grows with N: pay for them once, untimed
        embedder.embed(
            [t for a in reports for t in a.texts() + [s.translation or s.text for s in a.sentences]]
        )
    provenance = Provenance(
        newsalign="bench", translator="file:mt-google.fr", embedder=getattr(embedder, "name", "none")
    )
    rows, previous, last_n = [], None, 0
    for n in SIZES:
        started = time.perf_counter()
        story = story_of(reports[:n], runner, provenance, pivot_lang="fr")
        seconds = time.perf_counter() - started
        tracemalloc.start()  # a second run for memory: tracing slows numpy several-fold
        story_of(reports[:n], runner, provenance, pivot_lang="fr")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        growth = f", x{seconds / previous:.2f} for x{n / last_n:.0f} reports" if previous else ""
        pairs = n * (n - 1) // 2
        rows.append(
            (
                f"{ROW} growth ({SENTENCES} sentences a report)",
                f"{n} reports, {pairs} pairs",
                f"{seconds:.1f} s ({seconds / pairs * 1000:.0f} ms a pair), peak {peak / 1e6:.0f} MB, "
                f"{len(story.claims)} claims{growth}",
            )
        )
        previous, last_n = seconds, n
    return rows


def _embedder():
    from pipeline.align.embed import DiskCached, load_embedder

    loaded, _ = load_embedder("auto")
    return DiskCached(loaded, REPO / ".cache" / "embeddings") if loaded is not None else None


def _textberg_reports(count: int) -> list[Article]:
    """`count` reports of SENTENCES lines: Text+Berg articles of 50 lines or more in turn, German (with its
    French MT) or French, the windows moving on."""
    stems = [
        stem
        for stem in sorted(p.with_suffix("") for p in TEXTBERG.glob("*.gold"))
        if min(_count(Path(f"{stem}.de")), _count(Path(f"{stem}.fr"))) >= SENTENCES
    ]
    reports = []
    for k in range(count):
        stem, turn = stems[k % len(stems)], k // len(stems)
        german = turn % 2 == 0
        lines = Path(f"{stem}.de" if german else f"{stem}.fr").read_text(encoding="utf-8").splitlines()
        mt = (
            Path(f"{stem}.mt-google.fr").read_text(encoding="utf-8").splitlines()
            if german
            else [None] * len(lines)
        )
        start = min(turn * 10, max(0, len(lines) - SENTENCES))
        chosen = list(zip(lines, mt))[start : start + SENTENCES]
        sentences = tuple(
            Sentence(i + 1, text, 1, translation) for i, (text, translation) in enumerate(chosen)
        )
        reports.append(
            Article(f"{stem.name}.{'de' if german else 'fr'}[{start}:]", "de" if german else "fr", sentences)
        )
    return reports


def _count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "scripts"))
    from bench import table

    print(table([("section", "metric", "value")] + run()))
