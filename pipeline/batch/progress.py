"""Outcomes in, progress on stderr out: a tqdm bar on a terminal, a line now and then in a log.

With cli.py, the only place that writes to stderr: what a pair's stages noticed
reaches the user here, each line once.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

from pipeline.batch.outcome import Outcome, Status

if TYPE_CHECKING:  # tqdm is imported only when a bar is shown
    from tqdm import tqdm


class Progress:
    """Pairs done, failures, rate, ETA: a tqdm bar on a terminal, else a line now and then (file or pipe)."""

    def __init__(
        self, total: int, resumed: int, stream: TextIO | None = None, *, enabled: bool = True
    ) -> None:
        self.total, self.resumed, self.enabled = total, resumed, enabled
        self.stream = stream or sys.stderr
        self.done, self.failed, self.work = resumed, 0, 0.0
        self.shown: set[str] = set()  # notes already printed
        self.started = self.last = time.monotonic()
        self.step = max(1, total // 20)
        self.bar: tqdm | None = None

    def __enter__(self) -> Progress:
        if self.enabled and _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(
                total=self.total,
                initial=self.resumed,
                unit="pair",
                file=self.stream,
                desc="newsalign batch",
                dynamic_ncols=True,
            )
            self.bar.set_postfix(failed=0)
        if self.resumed:
            self._line(
                f"{self.resumed} of {self.total} pairs already done, {self.total - self.resumed} to align"
            )
        elif self.bar is None:
            self._line(f"{self.total} pairs to align")
        return self

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.work += outcome.seconds
        for line in outcome.notes:
            if line not in self.shown:
                self.shown.add(line)
                self._line(f"note: {line}")
        if outcome.status is Status.FAILED:
            self.failed += 1
            self._line(f"failed {outcome.pair_id}: {outcome.error_type}: {outcome.error}")
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(1)
        elif (self.done - self.resumed) % self.step == 0 or time.monotonic() - self.last >= 30:
            self._line(self.status())

    def status(self) -> str:
        ran, elapsed = self.done - self.resumed, max(time.monotonic() - self.started, 1e-9)
        left = (self.total - self.done) * elapsed / ran if ran else 0.0
        rate = 60 * ran / elapsed
        return (
            f"{self.done}/{self.total} pairs, {self.failed} failed, {rate:.1f} pairs/min, ETA {_clock(left)}"
        )

    def __exit__(self, kind, error, trace) -> None:
        if self.bar is not None:
            self.bar.close()
        if error is None:
            ran = self.done - self.resumed
            per_pair = f" ({self.work / ran:.2f} s of work per pair)" if ran else ""
            counts = self.status().split(", ETA")[0]
            took = _clock(time.monotonic() - self.started)
            self._line(f"finished: {counts}, in {took}{per_pair}")

    def _line(self, text: str) -> None:
        self.last = time.monotonic()
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.write(f"newsalign batch: {text}", file=self.stream)
        else:
            print(f"newsalign batch: {text}", file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
