"""Named errors with context; cli.py turns them into exit codes and one-line messages."""

from __future__ import annotations

import re
from pathlib import Path

# Characters that would break a one-line message (a file name may hold a newline or an escape sequence).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(path: str | Path) -> str:
    """A path as a message shows it: control characters escaped, so the message stays one line."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(path))


class NewsalignError(Exception):
    """Base class: a problem the user can act on (exit code 2 unless said otherwise)."""

    exit_code = 2


class InputError(NewsalignError):
    """An input file cannot be used: names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{shown(path)}: {problem}")
        self.path = path
        self.problem = problem


class UsageError(NewsalignError):
    """Options that do not fit together."""


class TranslationError(NewsalignError):
    """A translator failed at run time (model broken, backend crashed)."""

    exit_code = 1


class ModelError(NewsalignError):
    """A model package or package index is missing, broken, or cannot be installed."""


class NetworkError(NewsalignError):
    """A download failed (unreachable, refused, too slow, cut short): the network's fault, not the input's."""

    exit_code = 1


class WriteError(NewsalignError):
    """An output could not be written (disk full, a folder that turned unwritable): names the folder."""

    exit_code = 1

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{shown(path)}: {problem}")
        self.path = str(path)
        self.problem = problem


def first_line(error: object) -> str:
    """The first line of an error's message (library errors can be long), for one-line reports."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
