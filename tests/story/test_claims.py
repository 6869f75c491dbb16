"""pipeline.story.claims: links of every pair in, claims out; invariants over random links (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Link
from pipeline.story.claims import claims_of
from pipeline.story.model import Claim, Member

IDS = ("r1", "r2", "r3", "r4")


def _members(*rows: tuple) -> tuple[Member, ...]:
    """Members from (report, sentences) or (report, sentences, probability) rows."""
    return tuple(Member(*row) for row in rows)


def test_three_reports_agree() -> None:
    """A claim one report makes scores the probability that it has no counterpart in any other report: the
    least of its pairs' one-sided scores (r1's second sentence: 0.95 against r2, 0.8 against r3)."""
    links = {
        (0, 1): [Link((1,), (1,), 0.9), Link((2,), (), 0.95), Link((), (2,), 0.97)],
        (0, 2): [Link((1,), (1,), 0.8), Link((2,), (), 0.8)],
        (1, 2): [Link((1,), (1,), 0.9), Link((2,), (), 0.9)],
    }
    assert claims_of(IDS[:3], [[1, 2], [1, 2], [1]], links) == (
        Claim(1, _members(("r1", (1,), 0.9), ("r2", (1,), 0.9), ("r3", (1,), 0.9)), 0.9),
        Claim(2, _members(("r1", (2,))), 0.8),
        Claim(3, _members(("r2", (2,))), 0.9),
    )


def test_two_reports_a_claim_alone_scores_as_align_does() -> None:
    """Issue 21, item 3: the Abu Dhabi sentence scored 0.27 in align and 1.0 in compare. With two reports
    the claim of a sentence alone carries its one-sided link's score; one with no one-sided link (no
    embedding to find a counterpart with) has none to weigh: 1.0."""
    links = {(0, 1): [Link((1,), (1,), 0.99), Link((2,), (), 0.272), Link((), (2,), 0.64)]}
    assert claims_of(IDS[:2], [[1, 2, 3], [1, 2]], links) == (
        Claim(1, _members(("r1", (1,), 0.99), ("r2", (1,), 0.99)), 0.99),
        Claim(2, _members(("r1", (2,))), 0.272),
        Claim(3, _members(("r1", (3,))), 1.0),
        Claim(4, _members(("r2", (2,))), 0.64),
    )


def test_a_merged_bead_is_one_member() -> None:
    links = {(0, 1): [Link((1, 2), (1,), 0.7)]}
    assert claims_of(IDS[:2], [[1, 2], [1]], links) == (
        Claim(1, _members(("r1", (1, 2), 0.7), ("r2", (1,), 0.7)), 0.7),
    )


def test_weak_chain_is_not_closed() -> None:
    """r1-r2 and r2-r3 weakly linked, r1-r3 not: the stronger link wins, the third sentence stays alone."""
    links = {(0, 1): [Link((1,), (1,), 0.6)], (1, 2): [Link((1,), (1,), 0.7)], (0, 2): []}
    assert claims_of(IDS[:3], [[1], [1], [1]], links) == (
        Claim(1, _members(("r1", (1,))), 0.4),
        Claim(2, _members(("r2", (1,), 0.7), ("r3", (1,), 0.7)), 0.7),
    )


def test_strong_chain_closes_through_an_unlinked_pair() -> None:
    links = {(0, 1): [Link((1,), (1,), 0.95)], (1, 2): [Link((1,), (1,), 0.95)], (0, 2): []}
    assert [c.members for c in claims_of(IDS[:3], [[1], [1], [1]], links)] == [
        _members(("r1", (1,), 0.95), ("r2", (1,), 0.95), ("r3", (1,), 0.95))
    ]


def test_conflict_settled_by_probability_not_by_report_order() -> None:
    """r3's sentence is linked to r1's 1 (weakly) and to r2's 1 (strongly); r1-r2 link 1 with 2 instead."""
    links = {
        (0, 1): [Link((1,), (2,), 0.9)],
        (0, 2): [Link((1,), (1,), 0.55)],
        (1, 2): [Link((1,), (1,), 0.9)],
    }
    claims = claims_of(IDS[:3], [[1], [1, 2], [1]], links)
    assert [c.members for c in claims] == [
        _members(("r1", (1,), 0.9), ("r2", (2,), 0.9)),
        _members(("r2", (1,), 0.9), ("r3", (1,), 0.9)),
    ]


def test_a_member_is_as_probable_as_its_likeliest_link_to_another_member() -> None:
    """r1-r2 sure, r2-r3 likely, r1-r3 barely: r3 states the claim with its likeliest link's probability."""
    links = {
        (0, 1): [Link((1,), (1,), 0.95)],
        (1, 2): [Link((1,), (1,), 0.64)],
        (0, 2): [Link((1,), (1,), 0.55)],
    }
    (claim,) = claims_of(IDS[:3], [[1], [1], [1]], links)
    assert claim.members == _members(("r1", (1,), 0.95), ("r2", (1,), 0.95), ("r3", (1,), 0.64))


def test_sentences_left_out_are_in_no_claim_and_their_links_count_for_nothing() -> None:
    """r2's sentence 2 carries no claim (a "read more"): the link that holds it joins nothing."""
    links = {(0, 1): [Link((1,), (1, 2), 0.9), Link((2,), (), 0.9)]}
    assert claims_of(IDS[:2], [[1, 2], [1]], links) == (
        Claim(1, _members(("r1", (1,), 0.9), ("r2", (1,), 0.9)), 0.9),
        Claim(2, _members(("r1", (2,))), 0.9),
    )


def test_no_reports_no_sentences() -> None:
    assert claims_of(IDS[:2], [[], []], {(0, 1): []}) == ()


@st.composite
def _stories(draw):
    """2-4 reports of 0-8 sentences and, for every pair, random links (merged beads too), random scores."""
    sizes = draw(st.lists(st.integers(0, 8), min_size=2, max_size=4))
    links = {}
    for i in range(len(sizes)):
        for j in range(i + 1, len(sizes)):
            links[(i, j)] = draw(st.lists(_link(sizes[i], sizes[j]), max_size=10))
    return sizes, links


def _link(n: int, m: int):
    side = lambda k: st.lists(st.integers(1, k), min_size=1, max_size=3, unique=True) if k else st.just([])  # noqa: E731
    return st.builds(
        lambda s, t, p: Link(tuple(sorted(s)), tuple(sorted(t)), p), side(n), side(m), st.floats(0, 1)
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_stories())
def test_every_sentence_in_one_claim_one_member_per_report(story) -> None:
    sizes, links = story
    claims = claims_of(IDS[: len(sizes)], [list(range(1, n + 1)) for n in sizes], links)
    held = sorted((m.report, s) for c in claims for m in c.members for s in m.sentences)
    assert held == sorted((IDS[r], s) for r, n in enumerate(sizes) for s in range(1, n + 1))
    for claim in claims:
        reports = [m.report for m in claim.members]
        assert reports == sorted(set(reports)) and claim.members and 0.0 <= claim.score <= 1.0
    assert [c.id for c in claims] == list(range(1, len(claims) + 1))
    firsts = [min((IDS.index(m.report), min(m.sentences)) for m in c.members) for c in claims]
    assert firsts == sorted(firsts)


@st.composite
def _untied_stories(draw):
    """Stories whose links are one-to-one per pair, distinct scores inside the clipped range (no ties)."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    scores = iter(draw(st.lists(st.floats(0.02, 0.98), min_size=60, max_size=60, unique=True)))
    links = {}
    for i in range(len(sizes)):
        for j in range(i + 1, len(sizes)):
            left = draw(st.permutations(range(1, sizes[i] + 1)))
            right = draw(st.permutations(range(1, sizes[j] + 1)))
            count = draw(st.integers(0, min(sizes[i], sizes[j])))
            links[(i, j)] = [Link((s,), (t,), next(scores)) for s, t in zip(left[:count], right[:count])]
    return sizes, links


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_untied_stories(), st.randoms(use_true_random=False))
def test_report_order_does_not_decide_the_claims(story, random) -> None:
    """The same links read with the reports in another order give the same claims (as sets of sentences)."""
    sizes, links = story
    order = list(range(len(sizes)))
    random.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    moved = {}
    for (i, j), pair in links.items():
        a, b = position[i], position[j]
        moved[(min(a, b), max(a, b))] = [
            link if a < b else Link(link.tgt, link.src, link.score) for link in pair
        ]

    def as_sets(claims, names):
        return {frozenset((names[m.report], s) for m in c.members for s in m.sentences) for c in claims}

    before = claims_of(IDS[: len(sizes)], [list(range(1, n + 1)) for n in sizes], links)
    after = claims_of(IDS[: len(sizes)], [list(range(1, sizes[old] + 1)) for old in order], moved)
    original = {IDS[k]: k for k in range(len(sizes))}
    renamed = {IDS[new]: old for new, old in enumerate(order)}
    assert as_sets(after, renamed) == as_sets(before, original)
