"""pipeline.batch.outcome: one line per failure, counts of an alignment."""

import pytest

from pipeline.batch.outcome import Counts, Outcome
from pipeline.errors import InputError

from support.batch import OPTIONS, fake_alignment


@pytest.mark.parametrize(
    "error, expected",
    [
        (RuntimeError("one\ntwo"), ("RuntimeError", "one")),
        (ValueError(""), ("ValueError", "ValueError")),
        (InputError("x.txt", "empty file"), ("InputError", "x.txt: empty file")),
    ],
)
def test_failure_is_one_line(error, expected):
    outcome = Outcome.failure("p", error)
    assert (outcome.error_type, outcome.error) == expected


def test_counts_of_an_alignment():
    alignment = fake_alignment("s", ["~a", "b", "c"], "t", ["a", "b", "c", "d"], OPTIONS)
    assert Counts.of(alignment) == Counts(match=2, partial=1, addition=0, omission=1)
