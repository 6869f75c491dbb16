"""An Alignment (or a Story) and an output folder in, its output files out, moved in together when whole."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, WriteError, shown
from pipeline.model import Alignment
from pipeline.outputs import alignment_json, diffxml, report, story_html, story_json, story_xml, tmx, xliff
from pipeline.outputs.text import run_time
from pipeline.story.model import Story

STAGING = ".newsalign-staging-"  # a run's files are written here first (see _write)

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
    """Every file rendered first, then written into a staging folder, then moved into `outdir` together.

    A full disk, a kill or Ctrl-C while writing leaves `outdir` as it was: never the new alignment.json
    beside the old report.html. The moves are renames on one file system, which need no space.
    """
    outdir = Path(outdir)
    rendered = [(name, render(result)) for name, render in writers]
    _remove_stale_staging(outdir)
    with _staging(outdir) as staging:
        for name, data in rendered:
            _write_file(outdir, staging / name, data)
        return _swap_in(staging, outdir, [name for name, _ in rendered])


def check_output(outdir: Path) -> None:
    """Before any work: the output folder can be made or written, and SOURCE_DATE_EPOCH (the outputs'
    date) is a date; InputError or UsageError naming what is wrong."""
    outdir = Path(outdir)
    run_time()
    if outdir.exists() or outdir.is_symlink():
        if not outdir.is_dir():
            raise InputError(str(outdir), "exists and is not a folder (give a folder for the outputs)")
        why_not = _unwritable(outdir)
        if why_not:
            raise InputError(str(outdir), f"cannot write in the output folder ({why_not})")
        return
    existing = next(p for p in outdir.absolute().parents if p.exists())  # "/" exists
    if not existing.is_dir():
        raise InputError(str(outdir), f"cannot create the output folder ({shown(existing)} is a file)")
    why_not = _unwritable(existing)
    if why_not:
        raise InputError(str(outdir), f"cannot create the output folder ({shown(existing)}: {why_not})")


def _unwritable(folder: Path) -> str | None:
    """Why nothing can be made in `folder`, or None. Tried, not guessed from permission bits: those do
    not stop root, and a read-only mount or a special file system (/sys) refuses whatever they say."""
    try:
        probe = tempfile.mkdtemp(prefix=".newsalign-probe-", dir=folder)
    except OSError as error:
        return error.strerror or str(error)
    os.rmdir(probe)
    return None


@contextmanager
def _staging(outdir: Path) -> Iterator[Path]:
    """A hidden folder inside `outdir` (or beside it, when it does not exist yet), removed afterwards."""
    inside = outdir.is_dir()
    parent = outdir if inside else make_folder(outdir.absolute().parent)
    prefix = STAGING if inside else f".{outdir.name}{STAGING}"
    try:
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as error:
        raise WriteError(outdir, f"cannot write the outputs ({error.strerror or error})") from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_file(outdir: Path, path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, 0o644)
    except OSError as error:
        raise WriteError(outdir, _write_problem(error, path.name)) from None


def _write_problem(error: OSError, name: str) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full while writing {name} ({error.strerror}); the folder is as it was"
    return f"cannot write {name} ({error.strerror or error}); the folder is as it was"


def _swap_in(staging: Path, outdir: Path, names: list[str]) -> list[Path]:
    """A new folder is the staging folder renamed; into an existing one each file is renamed over the old."""
    try:
        if not outdir.exists():
            os.chmod(staging, 0o755)  # mkdtemp's 0o700 would keep other users out of the results
            staging.rename(outdir)
            return [outdir / name for name in names]
        for name in names:
            os.replace(staging / name, outdir / name)
    except OSError as error:
        raise WriteError(outdir, f"cannot move the outputs in ({error.strerror or error})") from None
    return [outdir / name for name in names]


def _remove_stale_staging(outdir: Path) -> None:
    """Staging folders a killed run into `outdir` left inside it or beside it (runs into one folder do not
    overlap; runs into its sibling folders may, so theirs are left alone)."""
    remove_staging(outdir, STAGING)
    remove_staging(outdir.absolute().parent, f".{outdir.name}{STAGING}")


def remove_staging(folder: Path, prefix: str = f"*{STAGING}") -> None:
    """The staging folders directly in `folder` whose names start with `prefix` (by default: any)."""
    if folder.is_dir():
        for stale in folder.glob(f"{prefix}*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


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
