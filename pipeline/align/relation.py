"""A pair's Links in, its Relation out: translation, adaptation, comparable or unrelated, by the share linked.

A first, simple version: the share of sentences (both sides) in two-sided links against fixed
thresholds; the confidence grows with the distance to the nearest threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Link, Relation

# (lowest linked share, kind), from the most to the least parallel
KINDS = ((0.75, "translation"), (0.35, "adaptation"), (1e-9, "comparable"), (0.0, "unrelated"))
SCALE = 0.1  # distance to the nearest threshold at which the confidence reaches about 0.73


def relation_of(links: Sequence[Link], n_source: int, n_target: int) -> Relation:
    """The pair's kind from the share of its sentences in two-sided links."""
    total = n_source + n_target
    if total == 0:
        return Relation("unrelated", 0.0, 1.0)
    linked = sum(len(link.src) + len(link.tgt) for link in links if link.src and link.tgt) / total
    kind = next(name for lowest, name in KINDS if linked >= lowest)
    return Relation(kind, round(linked, 4), round(_confidence(linked), 4))


def _confidence(linked: float) -> float:
    """0.5 on a threshold, towards 1 far from every threshold."""
    if linked == 0.0:
        return 1.0
    distance = min(abs(linked - lowest) for lowest, _ in KINDS[:3])
    return 0.5 + 0.5 * (1.0 - 2.0 ** (-distance / SCALE))
