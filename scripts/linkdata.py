"""The development pairs of the link decision: Text+Berg, the seeds, the team's own cases, unrelated pairs.

Each pair comes with what is right in it: gold pairs of sentences that state the
same content (0-based). Used by scripts/fit_link_model.py (which fits the decision
on them) and scripts/bench_links.py (which reports on them and on the pairs it
was not fitted on). Seed and Text+Berg texts are read from ../shared, never copied.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.append(str(REPO / "tests"))  # the own cases live in tests/align/test_align.py, which imports support

from pipeline import evaluate  # noqa: E402
from pipeline.align.embed import DiskCached, load_embedder  # noqa: E402
from pipeline.ingest.read import read_document  # noqa: E402
from pipeline.ingest.segment import segment  # noqa: E402
from pipeline.model import Article, Sentence  # noqa: E402

SHARED = REPO.parent / "shared"
TEXTBERG = SHARED / "bench" / "textberg"
SEEDS = SHARED / "seeds"
GOLD = REPO / "tests" / "fixtures" / "gold"
EXAMPLE = REPO / "tests" / "fixtures" / "example"
SEED_FILES = {
    "000": ("000_4edc5930ec3dca38.txt", "en"),
    "001": ("001_44a840e50541c4ec.txt", "bg"),
    "002": ("002_4518efd50d4bcaac.txt", "en"),
    "003": ("003_b248ca9894450f4a.txt", "en"),
    "004": ("004_49040e62c2f46939.txt", "en"),
}


@dataclass(frozen=True)
class DevPair:
    """Two reports, the regime they stand for, and the sentence pairs (0-based) stating the same content."""

    name: str
    regime: str  # translation, adaptation, comparable, unrelated
    source: Article
    target: Article
    right: frozenset[tuple[int, int]] = field(default_factory=frozenset)  # every acceptable same-content pair
    required: frozenset[tuple[int, int]] = field(default_factory=frozenset)  # what recall counts


@lru_cache(None)
def embedder():
    loaded, _ = load_embedder("auto")
    return DiskCached(loaded, REPO / ".cache" / "embeddings") if loaded is not None else None


def presegmented(path: Path, lang: str, mt: Path | None = None) -> Article:
    lines = path.read_text(encoding="utf-8").splitlines()
    translations = mt.read_text(encoding="utf-8").splitlines() if mt else [None] * len(lines)
    sentences = tuple(Sentence(k + 1, line, 1, t) for k, (line, t) in enumerate(zip(lines, translations)))
    return Article(str(path), lang, sentences)


@lru_cache(None)
def seed(key: str, with_mt: bool = True) -> Article:
    """A seed report as the pipeline reads it; the Bulgarian one with Apertium's English when asked."""
    name, lang = SEED_FILES[key]
    article = segment(read_document(SEEDS / name, lang))
    if with_mt and lang != "en":
        from pipeline.translate.apertium import ApertiumTranslator
        from pipeline.translate.translator import translate_article

        article, _ = translate_article(article, ApertiumTranslator.load(lang, "en"))
    return article


def gold_pairs(path: Path) -> frozenset[tuple[int, int]]:
    return frozenset((s, t) for bead in evaluate.read_gold(path) for s in bead.src for t in bead.tgt)


def fact_gold(path: Path) -> tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]:
    """Same-fact gold: "[s]:[t]" lines are required, "~[s]:[t]" lines acceptable too; '#' starts a comment."""
    required, acceptable = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            pairs = gold_line(line.lstrip("~"))
            (acceptable if line.startswith("~") else required).update(pairs)
    return frozenset(required), frozenset(required | acceptable)


def gold_line(line: str) -> set[tuple[int, int]]:
    left, right = line.split(":")
    src = [int(x) for x in left.strip()[1:-1].split(",") if x.strip()]
    tgt = [int(x) for x in right.strip()[1:-1].split(",") if x.strip()]
    return {(s, t) for s in src for t in tgt}


def textberg(i: int, with_mt: bool = True) -> DevPair:
    stem = TEXTBERG / f"{i:03d}"
    mt = Path(f"{stem}.mt-google.fr") if with_mt else None
    right = gold_pairs(Path(f"{stem}.gold"))
    label = f"textberg {i:03d}" + (" +MT" if with_mt else "")
    return DevPair(
        label,
        "translation",
        presegmented(Path(f"{stem}.de"), "de", mt),
        presegmented(Path(f"{stem}.fr"), "fr"),
        right,
        right,
    )


def textberg_unrelated(i: int, j: int) -> DevPair:
    source = presegmented(TEXTBERG / f"{i:03d}.de", "de", TEXTBERG / f"{i:03d}.mt-google.fr")
    return DevPair(
        f"textberg {i:03d}de x {j:03d}fr", "unrelated", source, presegmented(TEXTBERG / f"{j:03d}.fr", "fr")
    )


def own_cases() -> list[DevPair]:
    spec = importlib.util.spec_from_file_location("test_align", REPO / "tests" / "align" / "test_align.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = []
    for name, source, target, gold in module.own_cases():
        right = gold_pairs(gold)
        out.append(DevPair(f"own {name}", "translation", source, target, right, right))
    return out


def example() -> tuple[Article, Article]:
    source = seed_like(EXAMPLE / "plovdiv-bg.txt", "bg")
    return source, segment(read_document(EXAMPLE / "plovdiv-en.txt", "en"))


def seed_like(path: Path, lang: str) -> Article:
    from pipeline.translate.apertium import ApertiumTranslator
    from pipeline.translate.translator import translate_article

    article = segment(read_document(path, lang))
    return translate_article(article, ApertiumTranslator.load(lang, "en"))[0] if lang != "en" else article


def development() -> list[DevPair]:
    """The pairs the decision is fitted on."""
    pairs = [textberg(i) for i in range(1, 8)] + [textberg(i, with_mt=False) for i in (1, 3, 5)]
    right = gold_pairs(GOLD / "seeds_001_000.gold")
    pairs.append(DevPair("seeds 001/000 +Apertium", "adaptation", seed("001"), seed("000"), right, right))
    for a, b in (("000", "004"), ("001", "004")):
        required, acceptable = fact_gold(GOLD / f"seeds_{a}_{b}.facts")
        pairs.append(DevPair(f"seeds {a}/{b}", "comparable", seed(a), seed(b), acceptable, required))
    pairs += own_cases()
    pairs += [textberg_unrelated(i, j) for i, j in ((1, 2), (3, 4), (5, 6), (7, 1), (2, 5))]
    bg, en = example()
    pairs += [
        DevPair("seed 000 x own example en", "unrelated", seed("000"), en),
        DevPair("own example bg x seed 004", "unrelated", bg, seed("004")),
        DevPair("seed 001 x own example en", "unrelated", seed("001"), en),
    ]
    return pairs


@lru_cache(None)
def rough() -> tuple[DevPair, ...]:
    """Issue 24's rough-MT cases (scripts/roughmt.py) the decision may be fitted on: the tuned ones, with
    rough MT (Text+Berg degraded, Apertium's hbs-eng where installed)."""
    import roughmt

    translate = roughmt.apertium_lines()
    cases = roughmt.textberg_cases() + (roughmt.apertium_cases(translate) if translate else [])
    pairs = []
    for case in cases:
        if not case.held_out:
            right = frozenset((i, j) for pair in case.gold for i in pair.src for j in pair.tgt)
            pairs.append(DevPair(f"rough {case.name}", "translation", case.rough, case.target, right, right))
    return tuple(pairs)


def unseen() -> list[DevPair]:
    """Pairs nobody annotated or fitted on: only their relation and links are reported."""
    return [DevPair(f"seeds 000/{b} (unseen)", "comparable", seed("000"), seed(b)) for b in ("002", "003")]
