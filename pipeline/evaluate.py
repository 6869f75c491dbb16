"""A gold alignment and a test alignment in, strict/lax precision, recall, F1 and unaligned P/R out.

Gold files use the vecalign format (0-based, one bead a line: "[0, 1]:[2]",
"[]:[5]" for a target sentence without source). Test alignments are either
that format or newsalign's alignment.json (1-based ids, converted here).
Scoring follows vecalign/Bertalign's score.py: strict = exact bead match;
precision over all predicted beads, recall over gold beads with both sides
non-empty; lax = the beads overlap on both sides. Unaligned decisions (1-0
and 0-1, per sentence) get their own precision and recall, counted only on
sentences the gold covers (Text+Berg's gold leaves a few out).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError, first_line
from pipeline.ingest.read import read_bytes
from pipeline.model import Link


@dataclass(frozen=True)
class Pair:
    """One bead as sets of 0-based sentence indices."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    unaligned_precision: float
    unaligned_recall: float
    gold_beads: int
    test_beads: int
    gold_unaligned: int
    test_unaligned: int


def read_gold(path: Path) -> tuple[Pair, ...]:
    """The vecalign format: "[src ids]:[tgt ids]" per line, 0-based; at least one bead."""
    pairs = []
    for number, line in enumerate(_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            left, right = line.split(":")
            pairs.append(Pair(_ids(left), _ids(right)))
        except ValueError:
            raise InputError(
                str(path), f"line {number}: not a vecalign bead like [0, 1]:[2]: {line.strip()!r}"
            ) from None
    if not pairs:
        raise InputError(str(path), "no beads (the file is empty or only blank lines)")
    return tuple(pairs)


def _text(path: Path) -> str:
    """The file's text, read as align reads its inputs: a regular file under the size limit, UTF-8."""
    raw = read_bytes(Path(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(str(path), f"line {line}: not UTF-8 text (a binary file?)") from None


def _ids(part: str) -> tuple[int, ...]:
    inner = part.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise ValueError(part)
    return tuple(int(x) for x in inner[1:-1].split(",") if x.strip())


def write_gold(pairs: Iterable[Pair]) -> str:
    """The vecalign format of `pairs` (one bead a line)."""
    return "".join(f"[{', '.join(map(str, p.src))}]:[{', '.join(map(str, p.tgt))}]\n" for p in pairs)


def read_alignment_json(path: Path) -> tuple[Pair, ...]:
    """The beads of newsalign's alignment.json, as 0-based pairs."""
    try:
        document = json.loads(_text(path))
        return tuple(Pair(_json_ids(b["src"]), _json_ids(b["tgt"])) for b in document["beads"])
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise InputError(str(path), f"not a newsalign alignment.json ({first_line(error)[:200]})") from None


def _json_ids(ids: list) -> tuple[int, ...]:
    """alignment.json's 1-based ids, 0-based; anything but whole numbers from 1 is not an id."""
    if not all(type(i) is int and i >= 1 for i in ids):
        raise ValueError(f"ids must be whole numbers from 1, not {str(ids)[:40]}")
    return tuple(i - 1 for i in ids)


def read_alignment(path: Path) -> tuple[Pair, ...]:
    """alignment.json by its suffix, else the vecalign format."""
    return read_alignment_json(path) if Path(path).suffix == ".json" else read_gold(path)


def pairs_of(links: Sequence[Link]) -> tuple[Pair, ...]:
    """The aligner's Links (1-based ids) as 0-based pairs."""
    return tuple(Pair(tuple(i - 1 for i in link.src), tuple(j - 1 for j in link.tgt)) for link in links)


def score(gold: Sequence[Sequence[Pair]], test: Sequence[Sequence[Pair]]) -> Scores:
    """Scores summed over several documents (gold[k] goes with test[k])."""
    precision_counts = [0, 0, 0, 0]
    recall_counts = [0, 0, 0, 0]
    unaligned = [0, 0, 0]
    for gold_pairs, test_pairs in zip(gold, test, strict=True):
        _add(precision_counts, _counts(gold_pairs, test_pairs))
        _add(recall_counts, _counts(_two_sided(test_pairs), _two_sided(gold_pairs)))
        _add(unaligned, _unaligned_counts(gold_pairs, test_pairs))
    p_strict = _ratio(precision_counts[0], precision_counts[1])
    p_lax = _ratio(precision_counts[2], precision_counts[3])
    r_strict = _ratio(recall_counts[0], recall_counts[1])
    r_lax = _ratio(recall_counts[2], recall_counts[3])
    hits, predicted, expected = unaligned
    return Scores(
        p_strict,
        r_strict,
        _f1(p_strict, r_strict),
        p_lax,
        r_lax,
        _f1(p_lax, r_lax),
        hits / predicted if predicted else 1.0,
        hits / expected if expected else 1.0,
        sum(len(_two_sided(g)) for g in gold),
        sum(len(t) for t in test),
        expected,
        predicted,
    )


def _counts(gold: Sequence[Pair], test: Sequence[Pair]) -> tuple[int, int, int, int]:
    """True and false positives, strict and lax, of `test` against `gold` (vecalign's _precision)."""
    gold_set = {(p.src, p.tgt) for p in gold if p.src or p.tgt}
    gold_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            gold_targets[i].update(tgt)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in {(p.src, p.tgt) for p in test if p.src or p.tgt}:
        if (src, tgt) in gold_set:
            tp_strict, tp_lax = tp_strict + 1, tp_lax + 1
        elif set(tgt) & {j for i in src for j in gold_targets[i]}:
            fp_strict, tp_lax = fp_strict + 1, tp_lax + 1
        else:
            fp_strict, fp_lax = fp_strict + 1, fp_lax + 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def _unaligned_counts(gold: Sequence[Pair], test: Sequence[Pair]) -> tuple[int, int, int]:
    """(correct, predicted, expected) unaligned sentences, on sentences the gold covers."""
    covered = {("s", i) for p in gold for i in p.src} | {("t", j) for p in gold for j in p.tgt}
    expected, predicted = _one_sided(gold), _one_sided(test) & covered
    return len(expected & predicted), len(predicted), len(expected)


def _one_sided(pairs: Sequence[Pair]) -> set[tuple[str, int]]:
    sources = {("s", i) for p in pairs if not p.tgt for i in p.src}
    targets = {("t", j) for p in pairs if not p.src for j in p.tgt}
    return sources | targets


def _two_sided(pairs: Sequence[Pair]) -> list[Pair]:
    return [p for p in pairs if p.src and p.tgt]


def _add(total: list[int], counts: tuple[int, ...]) -> None:
    for k, value in enumerate(counts):
        total[k] += value


def _ratio(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate_files(gold: Path, test: Path) -> Scores:
    """Score one test alignment file against one gold file."""
    return score([read_gold(gold)], [read_alignment(test)])


def format_scores(scores: Scores) -> str:
    """A small table, like vecalign's."""
    return "\n".join(
        [
            "             strict    lax",
            f"precision    {scores.precision_strict:6.3f}  {scores.precision_lax:6.3f}",
            f"recall       {scores.recall_strict:6.3f}  {scores.recall_lax:6.3f}",
            f"F1           {scores.f1_strict:6.3f}  {scores.f1_lax:6.3f}",
            f"unaligned    precision {scores.unaligned_precision:.3f}  recall {scores.unaligned_recall:.3f}"
            f"  ({scores.test_unaligned} predicted, {scores.gold_unaligned} in gold)",
            f"beads        {scores.test_beads} predicted, {scores.gold_beads} two-sided in gold",
        ]
    )
