"""Argos package files or the Argos index in, installed translation packages (and a listing of them) out.

An install works in a staging folder beside the packages folder (on the same file system): the download
and the unpacked package go there, and the package folder is renamed into the packages folder only when
it is whole and loads. Nothing from the archive is written anywhere else (archive.py checks every
member). A staging folder that a killed install left behind is removed by the next install.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ModelError, NetworkError, first_line, shown
from pipeline.translate import argos_index, download
from pipeline.translate.archive import check_archive, read_metadata, unpack, version_key

__all__ = ["Package", "find", "first_line", "install_file", "install_from_index", "installed", "packages_dir"]

STAGING_PREFIX = ".newsalign-install-"
STALE_AFTER = 24 * 3600  # seconds; a staging folder older than this belongs to no running install


@dataclass(frozen=True)
class Package:
    """An installed Argos translation package."""

    path: Path
    from_code: str
    to_code: str
    version: str
    size: int  # bytes on disk
    kind: str = "translate"
    target_prefix: str = ""

    @property
    def name(self) -> str:
        """The argospm name with its version, e.g. "translate-bg_en-1_9"."""
        return f"{self.kind}-{self.from_code}_{self.to_code}-{self.version.replace('.', '_')}"


def packages_dir() -> Path:
    """ARGOS_PACKAGES_DIR when set, else models/ of the checkout (or ~/.local/share/newsalign/models)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").exists():
        return repo / "models"
    return Path.home() / ".local" / "share" / "newsalign" / "models"


def installed(folder: Path | None = None) -> list[Package]:
    """Every installed package, sorted by pair and version; broken folders are skipped."""
    folder = packages_dir() if folder is None else folder
    if not folder.exists():
        return []
    _check_folder(folder)
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and (path / "metadata.json").is_file():
            try:
                found.append(_package(path))
            except ModelError:
                continue
    return sorted(found, key=lambda p: (p.from_code, p.to_code, version_key(p.version), p.path.name))


def find(source_lang: str, target_lang: str, folder: Path | None = None) -> Package:
    """The newest installed translate package for the pair, or ModelError saying what is there."""
    candidates = [
        p
        for p in installed(folder)
        if p.kind == "translate" and (p.from_code, p.to_code) == (source_lang, target_lang)
    ]
    if candidates:
        return candidates[-1]
    where = packages_dir() if folder is None else folder
    others = ", ".join(f"{p.from_code}->{p.to_code}" for p in installed(where)) or "none"
    raise ModelError(
        f"no Argos package for {source_lang}->{target_lang} in {shown(where)} (installed: {others}); "
        f"run `newsalign models install {source_lang} {target_lang}`"
    )


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ModelError(f"{shown(folder)}: the packages folder (ARGOS_PACKAGES_DIR) is not a folder")


def _package(path: Path) -> Package:
    meta = read_metadata(path / "metadata.json")
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return Package(path, meta.from_code, meta.to_code, meta.version, size, meta.kind, meta.target_prefix)


# --- installing a file -------------------------------------------------------------------------


def install_file(archive: Path, folder: Path | None = None) -> Package:
    """Check an .argosmodel file and install it; a broken file raises ModelError and leaves nothing behind."""
    folder = _packages_folder(folder)
    check_archive(archive)
    with _staging(folder) as staging:
        return _install_checked(archive, staging, folder)


def _install_checked(archive: Path, staging: Path, folder: Path) -> Package:
    unpacked = staging / "unpacked"
    unpacked.mkdir()
    top = unpack(archive, unpacked)
    _check_loads(top, archive)
    return _move_into_place(top, folder / top.name, aside=staging / "replaced")


def _packages_folder(folder: Path | None) -> Path:
    folder = packages_dir() if folder is None else folder
    if folder.exists() or folder.is_symlink():
        _check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(
            f"{shown(folder)}: cannot create the packages folder ({error.strerror or error})"
        ) from None
    return folder


def _check_loads(path: Path, archive: Path) -> None:
    """SentencePiece and CTranslate2 must load what we are about to install."""
    import ctranslate2
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    except (OSError, RuntimeError) as error:
        raise ModelError(
            f"{shown(archive)}: sentencepiece.model does not load ({first_line(error)})"
        ) from None
    try:
        ctranslate2.Translator(str(path / "model"), device="cpu", intra_threads=1)
    except Exception as error:
        # CTranslate2 raises RuntimeError, ValueError, IndexError... on a bad model.bin
        raise ModelError(
            f"{shown(archive)}: model/ does not load in CTranslate2 ({first_line(error)})"
        ) from None


@contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A fresh staging folder on the packages folder's file system, removed afterwards whatever happens.

    Beside the packages folder, because argostranslate lists every sub-folder of it and fails on one
    without metadata.json; inside it (hidden) only when the parent is not writable or elsewhere.
    """
    parent = _staging_parent(folder)
    remove_stale_staging(parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_parent(folder: Path) -> Path:
    parent = folder.resolve().parent
    try:
        same_disk = parent.stat().st_dev == folder.stat().st_dev
    except OSError:
        same_disk = False
    return parent if same_disk and os.access(parent, os.W_OK | os.X_OK) else folder


def remove_stale_staging(parent: Path) -> list[Path]:
    """Remove the staging folders of installs that are no longer running; the folders removed."""
    removed = []
    for path in parent.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir() and not path.is_symlink() and _stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _stale(path: Path) -> bool:
    """Its install's process is gone (its id is in the name), or it is older than a day."""
    try:
        if time.time() - path.stat().st_mtime > STALE_AFTER:
            return True
    except OSError:
        return False
    pid = path.name[len(STAGING_PREFIX) :].partition("-")[0]
    if not pid.isdigit() or sys.platform == "win32":  # os.kill(pid, 0) would end the process on Windows
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _move_into_place(source: Path, destination: Path, aside: Path) -> Package:
    """Rename the whole package folder in; an older install of it is first moved `aside` (into the
    staging folder, which is removed afterwards)."""
    if destination.is_symlink() or (destination.exists() and not destination.is_dir()):
        raise ModelError(f"{shown(destination)}: already exists and is not a package folder; remove it first")
    try:
        if destination.exists():
            destination.rename(aside)
        os.rename(source, destination)
    except OSError as error:
        if aside.exists() and not destination.exists():
            aside.rename(destination)
        raise ModelError(f"{shown(destination)}: cannot install ({error.strerror or error})") from None
    return _package(destination)


# --- installing from the Argos index ---------------------------------------------------------


def install_from_index(
    source_lang: str,
    target_lang: str,
    *,
    index_url: str | None = None,
    progress: download.Progress | None = None,
    folder: Path | None = None,
) -> Package:
    """Download the newest package for the pair from the Argos index, check it, install it."""
    url = index_url or argos_index.index_location()
    entry = argos_index.newest(url, source_lang, target_lang)
    folder = _packages_folder(folder)
    with _staging(folder) as staging:
        archive = staging / "download.argosmodel"
        _download(entry, archive, progress)
        check_archive(archive)
        return _install_checked(archive, staging, folder)


def _download(entry: argos_index.Entry, out: Path, progress: download.Progress | None) -> None:
    """The first link that downloads whole; a bad package (too large, wrong checksum) stops at once."""
    failures = []
    for link in entry.usable_links():
        try:
            with out.open("wb") as sink:
                download.fetch(link, sink, download.PACKAGE_LIMITS, progress, sha256=entry.sha256)
            return
        except NetworkError as error:
            failures.append(str(error))
    raise NetworkError(f"download failed: {'; '.join(failures)}")
