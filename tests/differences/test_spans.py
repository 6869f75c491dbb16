import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.differences import spans
from pipeline.differences.evidence import words
from pipeline.model import Span

FUNCTION = frozenset({"the", "of", "and"})


@pytest.mark.parametrize(
    "text, matched, expected",
    [
        ("the end of the war and peace", {1}, [(4, 7)]),  # function words trimmed from the ends
        ("war peace", set(), [(0, 2)]),
        ("war", set(), []),  # too few content words
        ("war and peace", set(), [(0, 3)]),
        ("war peace love hope", {1, 2}, []),  # a matched word breaks the run
        ("", set(), []),
    ],
    ids=["trimmed", "two", "one", "function-inside", "broken", "empty"],
)
def test_runs(text, matched, expected):
    assert spans.runs(words(text), matched, FUNCTION, least=2) == expected


@pytest.mark.parametrize(
    "unknown, expected",
    [
        ({0, 3}, [(0, 4)]),  # unknown words count beside known ones
        ({0, 1, 2, 3}, []),  # a run of unknown words alone is no difference
        ({0, 1, 3}, [(0, 4)]),
    ],
    ids=["two-known", "none-known", "one-known"],
)
def test_unknown_words_count_only_beside_a_known_one(unknown, expected):
    items = words("zavladyava war peace zavladyava")
    assert spans.runs(items, set(), FUNCTION, frozenset(unknown), least=2) == expected


@pytest.mark.parametrize(
    "text, cut, expected",
    [
        (
            "For us it is an occupation, said he and called for strikes.",
            Span(39, 58),
            "For us it is an occupation, said he and .",
        ),
        ("one two", Span(0, 7), ""),
    ],
)
def test_without(text, cut, expected):
    assert spans.without(text, cut) == expected


def test_clauses():
    text = "He came late, and then, tired, went home."
    assert spans.clauses(text, words(text)) == [(0, 3), (3, 5), (5, 6), (6, 8)]
    assert spans.clauses("", []) == []


@pytest.mark.parametrize(
    "text, matched, expected",
    [
        ("war peace, love hope joy.", {0, 1}, [(2, 5)]),  # the last clause alone
        ("war peace, love hope joy.", set(), [(0, 2), (2, 5)]),  # never the whole text
        ("war peace, love hope, joy rain.", {0, 1}, [(2, 4), (2, 6), (4, 6)]),
        ("war peace, love hope joy, rain.", {0, 1, 2, 3, 5}, []),  # the last clause is said
        ("war peace, love hope joy, rain.", {0, 1, 5}, [(2, 5)]),
        ("war peace, love, hope.", {0, 1}, [(2, 4)]),  # one clause has too few, the two joined enough
        ("war peace, love the hope", {0, 1, 2}, []),  # mostly unsaid, but one word is fewer than least
        ("war peace, love hope joy rain snow", {0, 1, 2, 3, 4}, []),  # two unsaid content words of five
        ("", set(), []),
    ],
    ids=["last", "not-whole", "windows", "said", "ends-said", "joined", "least", "share", "empty"],
)
def test_windows(text, matched, expected):
    assert spans.windows(text, words(text), matched, FUNCTION, least=2) == expected


@pytest.mark.parametrize(
    "text, matched, expected",
    [
        ("war peace love hope. The axe gone?", {0, 1, 2, 3}, [(4, 7)]),  # a sentence more, all unsaid
        ("war peace love hope. The axe gone?", {0, 1, 2, 3, 5}, []),  # one of its words is said
        ("war peace love hope, the axe gone.", {0, 1, 2, 3}, []),  # a clause, not a sentence
    ],
    ids=["sentence", "said-word", "clause"],
)
def test_a_whole_unsaid_sentence_needs_fewer_words(text, matched, expected):
    assert spans.windows(text, words(text), matched, FUNCTION, least=3) == expected


@pytest.mark.parametrize(
    "text, matched, expected",
    [
        ("said Ablyazov and called the Kazakhs out", {0, 1}, (3, 7)),  # said words and "and" go
        ("the war and peace", set(), (0, 4)),  # its own function words at the ends stay
        ("war peace love hope", {3}, (0, 3)),
        ("war peace", {0, 1}, (0, 2)),  # nothing unsaid: the run as it is
    ],
    ids=["said-start", "function-ends", "said-end", "all-said"],
)
def test_unsaid_part(text, matched, expected):
    assert spans.unsaid_part(words(text), matched, FUNCTION | {"out"}, (0, len(words(text)))) == expected


@pytest.mark.parametrize(
    "text, matched, expected",
    [
        ("called the Kazakhs out", set(), True),
        ("called the Kazakhs out", {2}, False),  # "Kazakhs" is said
        ("called the Kazakhs out", {1}, True),  # a said function word is no evidence
        ("the and of", set(), False),  # no content word at all
        ("", set(), False),
    ],
    ids=["none-said", "one-said", "function-said", "only-function", "empty"],
)
def test_all_unsaid(text, matched, expected):
    assert spans.all_unsaid(words(text), matched, FUNCTION, (0, len(words(text)))) is expected


def test_project_snaps_to_the_clause():
    source = "Er kam spät, und dann ging er wieder nach Hause."
    assert spans.project((4, 9), 9, source, words(source)) == (3, 10)


_WORDS = st.lists(
    st.sampled_from(["war", "peace", "the", "of", "Almaty", "3,000", "l'ami", "mur-est", "и"]), max_size=12
)
_SEPARATORS = st.sampled_from([" ", ", ", " — ", "  ", " („", "\u201d "])


@given(_WORDS, st.lists(_SEPARATORS, min_size=12, max_size=12), st.sets(st.integers(0, 11)))
def test_spans_cover_whole_words(chosen, separators, matched):
    text = "".join(w + s for w, s in zip(chosen, separators))
    items = words(text)
    starts, ends = {w.start for w in items}, {w.end for w in items}
    for run in spans.runs(items, matched, FUNCTION):
        span = spans.span(items, run)
        assert span.start in starts and span.end in ends
        assert text[span.start : span.end].strip() == text[span.start : span.end]


_CLAUSES = st.lists(
    st.sampled_from(["the army", "came back", "late on Friday", "3,000 men", "l'ami", "in the"]),
    min_size=1,
    max_size=6,
)


@settings(deadline=None)  # the first example loads simplemma's dictionaries
@given(
    st.sampled_from(["Troops arrived in Almaty.", "The president resigned on Monday.", ""]),
    _CLAUSES,
    st.booleans(),
)
def test_differ_spans_land_on_whole_words(base, clause, on_target):
    """Whatever is appended to either side, every span starts and ends on a word of that side's text."""
    from pipeline.differences.differ import Differ
    from pipeline.differences.spans import PairText

    edited = (base.rstrip(".") + ", " + " ".join(clause) + ".").lstrip(", ")
    pair = PairText(base, None, edited, "en", "en") if on_target else PairText(edited, None, base, "en", "en")
    diff = Differ(None).diff([pair])[0]
    for text, found in ((pair.source, diff.source), (pair.target, diff.target)):
        items = words(text)
        for cut in found:
            assert cut.start in {w.start for w in items} and cut.end in {w.end for w in items}


@pytest.mark.parametrize(
    "text, cut, expected",
    [
        ("told AFP on Thursday (6) that", "AFP on Thursday (6", "AFP on Thursday (6)"),  # the seeds' row 1
        ("he said (in Paris) and left", "in Paris) and left", "(in Paris) and left"),
        ("the “occupation” of Kazakhstan", "occupation” of Kazakhstan", "“occupation” of Kazakhstan"),
        ("каза „нещо важно“ вчера", "нещо важно“ вчера", "„нещо важно“ вчера"),
        ('said "go now" he', 'go now" he', '"go now" he'),
        ("x (a b c d e) y", "b c d e) y", "y"),  # the other end is far: the lone end is left out
        ("said “we will go” and “stay here” now", "will go” and “stay", "and"),
        ("he said (in Paris", "said (in Paris", "said"),
        ("a (b) c", "(b)", "(b)"),  # whole already
        ("a (", "(", None),  # nothing left
    ],
)
def test_balanced_spans_never_cut_a_bracket_or_quote_open(text, cut, expected):
    start = text.index(cut)
    found = spans.balanced(text, Span(start, start + len(cut)))
    assert (text[found.start : found.end] if found else None) == expected
