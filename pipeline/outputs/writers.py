"""An Alignment (or a Story) and an output folder in, its output files out, each written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.model import Alignment
from pipeline.outputs import alignment_json, diffxml, report, story_html, story_json, story_xml, tmx, xliff
from pipeline.story.model import Story

# File name -> the function that renders it. Writers compute nothing.
WRITERS: tuple[tuple[str, Callable[[Alignment], bytes]], ...] = (
    ("alignment.json", alignment_json.render),
    ("alignment.tmx", tmx.render),
    ("alignment.xlf", xliff.render),
    ("diff.xml", diffxml.render),
    ("report.html", report.render),
)


STORY_WRITERS: tuple[tuple[str, Callable[[Story], bytes]], ...] = (
    ("story.json", story_json.render),
    ("story.xml", story_xml.render),
    ("story.html", story_html.render),
)


def write_all(alignment: Alignment, outdir: Path, tmx_links: str = "match") -> list[Path]:
    """Render every output into `outdir` (created if needed); returns the paths in WRITERS order.
    `tmx_links`: which pairs the TMX holds (tmx.LINKS)."""
    writers = tuple(
        (name, partial(tmx.render, links=tmx_links) if render is tmx.render else render)
        for name, render in WRITERS
    )
    return _write(alignment, writers, outdir)


def write_story(story: Story, outdir: Path) -> list[Path]:
    """Render story.json, story.xml and story.html into `outdir` (created if needed)."""
    return _write(story, STORY_WRITERS, outdir)


def _write(result: Any, writers: Sequence[tuple[str, Callable[[Any], bytes]]], outdir: Path) -> list[Path]:
    outdir = make_folder(Path(outdir))
    written = []
    for name, render in writers:
        path = outdir / name
        write_atomic(path, render(result))
        written.append(path)
    return written


def make_folder(outdir: Path) -> Path:
    """The output folder, created with its parents if needed; InputError naming it if it cannot be."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            str(outdir), f"cannot create the output folder ({error.strerror or error})"
        ) from None
    return outdir


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
