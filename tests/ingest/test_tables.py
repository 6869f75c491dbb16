"""pipeline.ingest.tables: layout tables unwrapped (at any depth), tables of figures left for extraction."""

from __future__ import annotations

import pytest

from pipeline.ingest.tables import unwrap_layout_tables

FIGURES = "<table><tr><th>Team</th><th>Points</th></tr><tr><td>Levski</td><td>42</td></tr></table>"


def nested(depth: int, inner: str) -> str:
    return "<table><tr><td>" * depth + inner + "</td></tr></table>" * depth


@pytest.mark.parametrize("depth", [1, 3, 100, 1000])
def test_layout_tables_lose_their_tags_at_any_depth(depth):
    page = f"<html><body>{nested(depth, '<p>One.</p><p>Two &amp; three.</p>')}</body></html>"
    assert unwrap_layout_tables(page) == (
        "<html><body><p>One.</p><p>Two &amp; three.</p>" + "<br>" * depth + "</body></html>"
    )


def test_tables_of_figures_keep_their_markup_also_inside_a_layout_table():
    page = f"<body><!-- c --><table class='x'><tr><td><p>Text.</p>{FIGURES}</td></tr></table></body>"
    assert unwrap_layout_tables(page) == f"<body><!-- c --><p>Text.</p>{FIGURES}<br></body>"


@pytest.mark.parametrize(
    "page", ["", "<p>No table.</p>", f"<body>{FIGURES}</body>"], ids=["empty", "none", "figures"]
)
def test_pages_without_layout_tables_are_returned_as_they_are(page):
    assert unwrap_layout_tables(page) is page
