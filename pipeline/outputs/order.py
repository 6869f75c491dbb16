"""An Alignment in, its beads in either report's reading order out, and which linked beads were moved.

The beads of alignment.json follow the English report; a reviewer of the foreign report reads it in its
own order (XLIFF, the printed summary, report.html by default). A one-sided bead has a place in one
report only: in the other's order it follows the bead that holds the sentence before it there (first, if
it opens its report). A link is moved when it breaks the order both reports share: it is not among the
largest set of links that both reports tell in the same order.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from pipeline.model import Alignment, Bead


@dataclass(frozen=True)
class Placed:
    """A bead in a reading order: its number (1-based place in alignment.json's beads, as diff.xml and the
    TMX number it), the bead, and whether it is a link told in another order by the two reports."""

    number: int
    bead: Bead
    moved: bool


def by_source(alignment: Alignment) -> list[Placed]:
    """The beads in the foreign (source) report's order."""
    return _ordered(alignment, side=0)


def by_target(alignment: Alignment) -> list[Placed]:
    """The beads in the English (target) report's order."""
    return _ordered(alignment, side=1)


def _ordered(alignment: Alignment, side: int) -> list[Placed]:
    beads = alignment.beads
    moved = moved_beads(beads)
    keys = _keys(beads, side)
    order = sorted(range(len(beads)), key=lambda k: keys[k])
    return [Placed(k + 1, beads[k], k in moved) for k in order]


def _ids(bead: Bead, side: int) -> tuple[int, ...]:
    return bead.src if side == 0 else bead.tgt


def _keys(beads: tuple[Bead, ...], side: int) -> list[tuple[int, int, int]]:
    """A sort key per bead: (place in the side's order, 0 for its own sentences or 1 for a bead placed after
    them, its first sentence of the other side), so beads without a sentence of this side follow the bead
    that holds the other side's sentence before them."""
    other = 1 - side
    owner = {i: k for k, bead in enumerate(beads) for i in _ids(bead, other) if _ids(bead, side)}
    keys = []
    for bead in beads:
        own = _ids(bead, side)
        if own:
            keys.append((min(own), 0, 0))
            continue
        first = min(_ids(bead, other))
        before = max((i for i in owner if i < first), default=None)
        at = min(_ids(beads[owner[before]], side)) if before is not None else 0
        keys.append((at, 1, first))
    return keys


def moved_beads(beads: tuple[Bead, ...]) -> set[int]:
    """Indices of the links outside a longest run of links that both reports tell in the same order."""
    links = sorted((k for k, b in enumerate(beads) if b.src and b.tgt), key=lambda k: min(beads[k].src))
    kept = _longest_increasing([min(beads[k].tgt) for k in links])
    return {k for position, k in enumerate(links) if position not in kept}


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting, the earliest ends)."""
    tails: list[int] = []  # tails[length - 1]: position of the smallest end of a run of that length
    ends: list[int] = []  # its value
    previous = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_left(ends, value)
        previous[position] = tails[length - 1] if length else -1
        if length == len(tails):
            tails.append(position)
            ends.append(value)
        else:
            tails[length], ends[length] = position, value
    kept, position = set(), tails[-1] if tails else -1
    while position >= 0:
        kept.add(position)
        position = previous[position]
    return kept
