"""An HTML page in, the same page with its layout tables unwrapped out, so the text inside them is kept.

Article extraction (trafilatura, without tables) drops every table: right for a table of figures, wrong
for a page laid out in tables, where the report itself sits in cells, as on older news sites. And
libxml2, which parses the page for trafilatura, loses whole branches of tables nested a hundred deep:
such a page lost four of its five paragraphs without a word. A table is layout when one of its own
cells holds a paragraph, a heading, a list or another table; its table, row and cell tags are removed
(a cell's end leaves a line break, so neighbouring cells' words stay apart) and nothing of its nesting
is left. Tables of data keep their markup, and the extraction drops them as before.

Written on the standard library's HTML tokenizer, which keeps no tree and so has no depth limit: one
pass finds the layout tables, a second writes the page again without their tags.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "table", "article", "section", "ul", "ol", "blockquote", "pre"}
_BLOCKS |= {f"h{level}" for level in range(1, 7)}
_TABLE_TAGS = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"}


def unwrap_layout_tables(html: str) -> str:
    """`html` with every layout table unwrapped; the same string when it has none."""
    if "<table" not in html.lower():
        return html
    finder = _LayoutFinder()
    finder.feed(html)
    finder.close()
    if not any(finder.layout):
        return html
    writer = _Unwrapper(finder.layout)
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


class _LayoutFinder(HTMLParser):
    """Which tables (numbered in the order their start tags come) are layout."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.layout: list[bool] = []
        self._open: list[list[int]] = []  # per open table: [its number, cells open in it]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS and self._open and self._open[-1][1] > 0:
            self.layout[self._open[-1][0]] = True
        if tag == "table":
            self._open.append([len(self.layout), 0])
            self.layout.append(False)
        elif tag in ("td", "th") and self._open:
            self._open[-1][1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self._open.pop()
        elif tag in ("td", "th") and self._open and self._open[-1][1] > 0:
            self._open[-1][1] -= 1


class _Unwrapper(HTMLParser):
    """The page again, token by token, without the tags of the layout tables."""

    def __init__(self, layout: list[bool]) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self._layout = layout
        self._count = 0
        self._open: list[bool] = []  # per open table: is it layout

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self._open.append(self._count < len(self._layout) and self._layout[self._count])
            self._count += 1
        if not self._unwrapped(tag):
            self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self._unwrapped(tag):
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        unwrapped = self._unwrapped(tag)
        if tag == "table" and self._open:
            self._open.pop()
        if not unwrapped:
            self.out.append(f"</{tag}>")
        elif tag in ("td", "th", "caption"):
            self.out.append("<br>")

    def _unwrapped(self, tag: str) -> bool:
        return tag in _TABLE_TAGS and bool(self._open) and self._open[-1]

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")
