"""An Alignment and an output folder in, the five output files out, each written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Alignment
from pipeline.outputs import alignment_json, diffxml, report, tmx, xliff

# File name -> the function that renders it. Writers compute nothing.
WRITERS: tuple[tuple[str, Callable[[Alignment], bytes]], ...] = (
    ("alignment.json", alignment_json.render),
    ("alignment.tmx", tmx.render),
    ("alignment.xlf", xliff.render),
    ("diff.xml", diffxml.render),
    ("report.html", report.render),
)


def write_all(alignment: Alignment, outdir: Path) -> list[Path]:
    """Render every output into `outdir` (created if needed); returns the paths in WRITERS order."""
    outdir = make_folder(Path(outdir))
    written = []
    for name, render in WRITERS:
        path = outdir / name
        write_atomic(path, render(alignment))
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
