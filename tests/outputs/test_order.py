"""pipeline.outputs.order: beads in either report's reading order, and which links were moved."""

from __future__ import annotations

import pytest

from pipeline.model import Bead, Kind
from pipeline.outputs import order

from support.alignments import empty_alignment, moved_alignment, small_alignment


def _numbers(placed) -> list[tuple[int, bool]]:
    return [(p.number, p.moved) for p in placed]


def test_by_source_puts_a_one_sided_english_bead_after_the_pair_holding_the_sentence_before_it() -> None:
    # small: beads 1-3 pairs, 4 addition (bg 5), 5 omission (en 4, after en 3 of bead 3), 6 pair (bg 6)
    assert _numbers(order.by_source(small_alignment())) == [
        (1, False),
        (2, False),
        (3, False),
        (5, False),
        (4, False),
        (6, False),
    ]


def test_by_target_is_the_beads_own_order_when_the_aligner_gave_it() -> None:
    assert [p.number for p in order.by_target(small_alignment())] == [1, 2, 3, 4, 5, 6]
    assert [p.number for p in order.by_target(moved_alignment())] == [1, 2, 3, 4, 5]


def test_a_moved_link_is_marked_in_both_orders() -> None:
    alignment = moved_alignment()
    assert _numbers(order.by_source(alignment)) == [(3, True), (4, False), (1, False), (2, False), (5, False)]
    assert {p.number for p in order.by_target(alignment) if p.moved} == {3}


@pytest.mark.parametrize(
    "links, moved",
    [
        ([((1,), (1,)), ((2,), (2,)), ((3,), (3,))], set()),
        ([((1,), (3,)), ((2,), (1,)), ((3,), (2,))], {0}),  # the first told last: one moved, not two
        ([((1,), (2,)), ((2,), (1,))], {0}),  # a swapped pair: one of them moved (the earlier in the source)
        ([((1, 2), (4,)), ((3,), (1,)), ((4,), (2,)), ((5,), (3,))], {0}),  # a merge that moved
        ([], set()),
    ],
    ids=["in-order", "one-moved", "swapped", "merge", "none"],
)
def test_moved_beads(links, moved) -> None:
    beads = tuple(Bead(src, tgt, Kind.MATCH, 0.9) for src, tgt in links)
    assert order.moved_beads(beads) == moved


def test_one_sided_beads_are_never_moved_and_an_empty_alignment_has_no_order() -> None:
    beads = (Bead((1,), (), Kind.ADDITION, 0.9), Bead((), (1,), Kind.OMISSION, 0.9))
    assert order.moved_beads(beads) == set()
    assert order.by_source(empty_alignment()) == [] == order.by_target(empty_alignment())


def test_an_english_sentence_before_any_pair_opens_the_foreign_order() -> None:
    from dataclasses import replace

    alignment = moved_alignment()
    beads = (Bead((), (1,), Kind.OMISSION, 0.9), *alignment.beads[1:])
    assert [p.number for p in order.by_source(replace(alignment, beads=beads))] == [1, 3, 4, 2, 5]
