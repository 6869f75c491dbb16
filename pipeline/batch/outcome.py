"""What becomes of each pair of a batch, and the names of the files a batch writes into OUTDIR."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pipeline.model import Alignment, Kind, Relation

SUMMARY = "summary.json"
INDEX = "index.html"
# in OUTDIR/<id>/, written last, atomically: its presence means the folder is complete
DONE_MARKER = ".done.json"


class Status(str, Enum):
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Counts:
    """How many beads of each kind a pair's alignment has."""

    match: int = 0
    partial: int = 0
    addition: int = 0
    omission: int = 0

    @classmethod
    def of(cls, alignment: Alignment) -> Counts:
        return cls(*(alignment.count(kind) for kind in Kind))


@dataclass(frozen=True)
class Outcome:
    """What became of one pair. `resumed` and `seconds` go to the progress output, never to summary.json."""

    pair_id: str
    status: Status
    counts: Counts | None = None
    relation: Relation | None = None
    error_type: str | None = None
    error: str | None = None
    resumed: bool = False
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # what the run noticed (Aligned.all_notes); the progress shows each line once

    @classmethod
    def failure(cls, pair_id: str, error: BaseException, seconds: float = 0.0) -> Outcome:
        lines = str(error).strip().splitlines()
        message = lines[0][:500] if lines else type(error).__name__
        return cls(pair_id, Status.FAILED, error_type=type(error).__name__, error=message, seconds=seconds)
