"""What a folder holds, to show that a refused run changed nothing (outside its own folder, or at all)."""

from __future__ import annotations

from pathlib import Path


def snapshot(root: Path) -> dict[str, str | bytes]:
    """Each path under `root` (relative) with its bytes, "folder" or "link -> TARGET" (links not followed)."""
    found: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = f"link -> {path.readlink()}"
        elif path.is_dir():
            found[name] = "folder"
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "special"
    return found
