"""Report paths in, what the outputs call each report out: a short label, and the path they record.

A label names a report wherever a person reads about it (report.html, story.html, the printed summary):
two reports in one language cannot both be "the en report". The recorded path is what the output files
keep of where a report came from: its file name, or the path as given when that is relative, so that
files shared with others do not carry the layout of the user's machine (`--record-paths` keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from pipeline.errors import UsageError


def labels(paths: Sequence[Path | str], given: Sequence[str] | None = None) -> tuple[str, ...]:
    """The reports' labels: those given (one per report, none empty, none twice), else each file's stem;
    two stems alike are told apart by their folders, and failing that by their place on the command line."""
    if given:
        return _checked(given, len(paths))
    stems = [PurePath(p).stem or str(p) for p in paths]
    if len(set(stems)) == len(stems):
        return tuple(stems)
    with_folders = [_with_folder(PurePath(p)) for p in paths]
    if len(set(with_folders)) == len(with_folders):
        return tuple(with_folders)
    return tuple(f"{stem} ({k})" for k, stem in enumerate(stems, start=1))


def parse_labels(option: str | None) -> tuple[str, ...] | None:
    """`--labels A,B,...` as a tuple (spaces around each label dropped); None when not given."""
    if option is None:
        return None
    return tuple(label.strip() for label in option.split(","))


def _checked(given: Sequence[str], count: int) -> tuple[str, ...]:
    if len(given) != count:
        raise UsageError(f"--labels names {len(given)} reports, not {count}")
    if any(not label for label in given):
        raise UsageError("--labels: a label is empty")
    if len(set(given)) != len(given):
        raise UsageError("--labels: two reports have the same label")
    return tuple(given)


def _with_folder(path: PurePath) -> str:
    return f"{path.parent.name}/{path.stem}" if path.parent.name else path.stem


def recorded_path(path: Path | str, keep: bool = False) -> str:
    """What the outputs record of a path: as given when `keep` or when relative, else the file name."""
    given = str(path)
    if keep or not PurePath(given).is_absolute():
        return given
    return PurePath(given).name or given


def renamed(note: str, given: str, recorded: str) -> str:
    """A note of reading (which opens with the file's path) naming the file by its recorded path."""
    prefix = f"{given}: "
    return recorded + note[len(given) :] if note.startswith(prefix) else note
