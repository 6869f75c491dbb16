"""Named errors with context; cli.py turns them into exit codes and one-line messages."""

from __future__ import annotations


class NewsalignError(Exception):
    """Base class: a problem the user can act on (exit code 2 unless said otherwise)."""

    exit_code = 2


class InputError(NewsalignError):
    """An input file cannot be used: names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UsageError(NewsalignError):
    """Options that do not fit together."""


class TranslationError(NewsalignError):
    """A translator failed at run time (model broken, backend crashed)."""

    exit_code = 1


class ModelError(NewsalignError):
    """A model package is missing, broken, or cannot be installed."""
