"""A page in, what headless Chromium makes of it at a window width out: a screenshot, and the layout faults
a reader would see (a page wider than the window, a cell whose content spills out of it, cells of a row on
top of each other, a word broken across lines). The faults are measured by a script run on the page in a
frame of the width asked (scripts/screenshot_report.py's `measured`)."""

from __future__ import annotations

import sys
from pathlib import Path

from support import REPO

sys.path.insert(0, str(REPO / "scripts"))
from screenshot_report import browser, measured, screenshot  # noqa: E402

__all__ = ["browser", "layout_faults", "measured", "screenshot"]

# Runs after the page is laid out. Boxes of class "scroll" are meant to scroll inside themselves; a token
# with digits or punctuation inside (a path, a file stem, a setting's name) may break where it must.
FAULTS = r"""
const faults = [];
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
const words = (el) => el.textContent.trim().split(/\s+/).slice(0, 6).join(" ");
const root = document.documentElement;
if (root.scrollWidth > window.innerWidth + 1) {
  faults.push(`page ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
}
for (const cell of document.querySelectorAll("td, th")) {
  if (shown(cell) && !cell.closest(".scroll") && cell.scrollWidth > cell.clientWidth + 1) {
    faults.push(`cell spills over: ${words(cell)}`);
  }
}
for (const row of document.querySelectorAll("tr")) {
  const boxes = [...row.children].filter(shown).map((c) => c.getBoundingClientRect());
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (wide > 2 && high > 2) faults.push(`cells on top of each other: ${words(row)}`);
  }));
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest("script, .scroll") || !shown(parent)) continue;
  for (const token of node.data.matchAll(/\S+/gu)) {
    if (/[0-9_:;+\/\\@]|\.\p{L}/u.test(token[0])) continue;  // a path, a name or a setting: may break
    for (const word of token[0].matchAll(/\p{L}{2,}/gu)) {
      range.setStart(node, token.index + word.index);
      range.setEnd(node, token.index + word.index + word[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (new Set(rects.map((r) => Math.round(r.top))).size > 1) faults.push(`word broken: ${word[0]}`);
    }
  }
}
return faults;
"""


def layout_faults(page: Path, width: int) -> list[str]:
    """The layout faults of `page` at this window width (none: it reads)."""
    faults = measured(page, width, FAULTS)
    assert isinstance(faults, list)
    return faults
