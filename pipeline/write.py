"""An Alignment and an output folder in, the five output files out, each written atomically."""
from __future__ import annotations

import os
import tempfile
from importlib import import_module
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Alignment

# File name -> module whose render(alignment) -> bytes makes it. Writers compute nothing.
WRITERS = (
    ("alignment.json", "pipeline.jsonout"),
    ("alignment.tmx", "pipeline.tmx"),
    ("alignment.xlf", "pipeline.xliff"),
    ("diff.xml", "pipeline.diffxml"),
    ("report.html", "pipeline.report"),
)


def write_all(alignment: Alignment, outdir: Path) -> list[Path]:
    """Render every output into `outdir` (created if needed); returns the paths in WRITERS order."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(str(outdir), f"cannot create the output folder ({error.strerror or error})") from None
    written = []
    for name, module in WRITERS:
        path = outdir / name
        write_atomic(path, import_module(module).render(alignment))
        written.append(path)
    return written


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
