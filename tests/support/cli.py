"""The command as a separate process, for inputs that would hang a test run in-process if a fix regressed
(a pipe, /dev/zero): the timeout turns a hang into a failure."""

from __future__ import annotations

import os
import subprocess
import sys

from support import REPO

HANG_TIMEOUT = 120  # seconds: far beyond what a refusal takes, short of hanging the suite


def newsalign(*argv: str, timeout: float = HANG_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline ARGV` with this checkout first on the path; raises TimeoutExpired on a hang."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *argv], capture_output=True, text=True, timeout=timeout, env=env
    )
