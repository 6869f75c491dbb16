"""Prints the requirements of one optional extra of pyproject.toml (`make lint` installs only its own)."""

import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

if __name__ == "__main__":
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    print(" ".join(extras[sys.argv[1]]))
