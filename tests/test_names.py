"""pipeline.names: the label a person reads a report by, and the path the outputs record of it."""

from __future__ import annotations

import pytest

from pipeline.errors import UsageError
from pipeline.names import labels, parse_labels, recorded_path, renamed


@pytest.mark.parametrize(
    "paths, given, expected",
    [
        (["/home/u/news/bta.txt", "afp.html"], None, ("bta", "afp")),
        (["a/report.txt", "b/report.txt"], None, ("a/report", "b/report")),
        (["report.txt", "./report.html"], None, ("report (1)", "report (2)")),
        (["bta.txt", "afp.txt"], ("BTA", "AFP"), ("BTA", "AFP")),
        ([".hidden", "x.txt"], None, (".hidden", "x")),
        ([], None, ()),
    ],
    ids=["stems", "same-stem", "same-folder", "given", "dotfile", "none"],
)
def test_labels(paths, given, expected) -> None:
    assert labels(paths, given) == expected


@pytest.mark.parametrize(
    "given, message",
    [
        (("A",), "--labels names 1 reports, not 2"),
        (("A", ""), "--labels: a label is empty"),
        (("A", "A"), "--labels: two reports have the same label"),
    ],
)
def test_labels_given_must_name_each_report_once(given, message) -> None:
    with pytest.raises(UsageError, match=message):
        labels(["a.txt", "b.txt"], given)


def test_parse_labels() -> None:
    assert parse_labels(None) is None
    assert parse_labels(" BTA , AFP") == ("BTA", "AFP")
    assert parse_labels("A,") == ("A", "")


@pytest.mark.parametrize(
    "path, keep, expected",
    [
        ("/home/u/news/bta.txt", False, "bta.txt"),
        ("/home/u/news/bta.txt", True, "/home/u/news/bta.txt"),
        ("news/bta.txt", False, "news/bta.txt"),
        ("../shared/seeds/001.txt", False, "../shared/seeds/001.txt"),
        ("bta.txt", False, "bta.txt"),
        ("/", False, "/"),
    ],
)
def test_recorded_path(path, keep, expected) -> None:
    assert recorded_path(path, keep) == expected


def test_renamed_names_the_file_by_its_recorded_path_only_where_the_note_opens_with_it() -> None:
    given = "/home/u/news/bta.txt"
    assert renamed(f"{given}: decoded from cp1251", given, "bta.txt") == "bta.txt: decoded from cp1251"
    assert renamed("word differences skipped", given, "bta.txt") == "word differences skipped"
    assert renamed(f"{given}x: other file", given, "bta.txt") == f"{given}x: other file"
