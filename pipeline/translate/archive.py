"""An .argosmodel file in, its package folder unpacked and checked out; the archive is untrusted input.

An Argos package is a zip of one folder (metadata.json, model/, sentencepiece.model). A file from the
internet may hold anything a zip can: names that climb out (`../x`, `/etc/x`, `C:\\x`), symbolic
links and device entries (Unix modes in the zip), two members of one name, or a few kilobytes that
inflate to gigabytes. Every member is checked before a byte is unpacked; the zip's own `extractall`
is not used because it trusts the names and sizes the archive gives.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import ModelError, shown

VOCABULARIES = (
    ("shared_vocabulary.json",),
    ("shared_vocabulary.txt",),
    ("source_vocabulary.json", "target_vocabulary.json"),
    ("source_vocabulary.txt", "target_vocabulary.txt"),
)
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
# Real Argos packages hold about ten files, 30-400 MB unpacked, zipped at most ~3:1 (int8 weights).
MAX_MEMBERS = 1000
MAX_UNPACKED = 4 * 2**30
MAX_RATIO = 200  # unpacked bytes per archive byte: beyond it, a zip bomb rather than a model
_CHUNK = 1 << 20
_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device file",
    stat.S_IFBLK: "a device file",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


@dataclass(frozen=True)
class Metadata:
    """What metadata.json says about a package."""

    from_code: str
    to_code: str
    version: str
    kind: str
    target_prefix: str


def read_metadata(path: Path, text: bytes | None = None) -> Metadata:
    """metadata.json parsed and checked; `text` when it comes from an archive instead of `path`."""
    try:
        data = json.loads(path.read_bytes() if text is None else text)
    except (OSError, ValueError, RecursionError) as error:
        raise ModelError(f"{shown(path)}: metadata.json is not readable JSON ({error})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{shown(path)}: metadata.json is not a JSON object")
    from_code, to_code = data.get("from_code"), data.get("to_code")
    if not (isinstance(from_code, str) and from_code and isinstance(to_code, str) and to_code):
        raise ModelError(f"{shown(path)}: metadata.json lacks from_code/to_code")
    return Metadata(
        from_code=from_code,
        to_code=to_code,
        version=str(data.get("package_version") or "0"),
        kind=str(data.get("type") or "translate"),
        target_prefix=str(data.get("target_prefix") or ""),
    )


def version_key(version: str) -> tuple:
    """A package version as something to sort by: PEP 440 versions in order, others before them."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), "")
    except InvalidVersion:
        return (0, Version("0"), version)


def check_archive(archive: Path) -> tuple[str, Metadata]:
    """The package's top folder and metadata, or ModelError with a one-line reason; nothing unpacked."""
    if not archive.is_file():
        raise ModelError(f"{shown(archive)}: no such file")
    if not zipfile.is_zipfile(archive):
        raise ModelError(f"{shown(archive)}: not an Argos package (not a zip archive)")
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            top = _check_members(archive, members)
            meta = read_metadata(archive, zipped.read(f"{top}/metadata.json"))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ModelError(f"{shown(archive)}: damaged zip archive ({error})") from None
    if meta.kind != "translate":
        raise ModelError(f"{shown(archive)}: a {meta.kind!r} package, not a translation package")
    return top, meta


def _check_members(archive: Path, members: list[zipfile.ZipInfo]) -> str:
    """The one top folder, once every member is a plain file or folder with a safe name, within the caps."""
    if len(members) > MAX_MEMBERS:
        raise ModelError(f"{shown(archive)}: {len(members)} members (the limit is {MAX_MEMBERS})")
    seen: set[str] = set()
    for member in members:
        _check_member(archive, member, seen)
    files = [m for m in members if not m.is_dir()]
    if not files:
        raise ModelError(f"{shown(archive)}: empty archive")
    tops = {PurePosixPath(m.filename).parts[0] for m in members}
    if len(tops) != 1:
        raise ModelError(
            f"{shown(archive)}: {len(tops)} top-level folders ({', '.join(sorted(tops))}); expected one"
        )
    top = tops.pop()
    _check_sizes(archive, files)
    _require_members(archive, top, {m.filename for m in files})
    return top


def _check_member(archive: Path, member: zipfile.ZipInfo, seen: set[str]) -> None:
    name = member.filename
    parts = PurePosixPath(name).parts
    climbs = name.startswith("/") or ".." in parts or "\\" in name or ":" in name
    if climbs or "\x00" in name or (len(parts) < 2 and not member.is_dir()):
        raise ModelError(f"{shown(archive)}: unexpected path {name!r} (files must sit in one package folder)")
    kind = _KINDS.get(stat.S_IFMT(member.external_attr >> 16)) if member.create_system == 3 else None
    if kind:  # zip has no hard links; a tar (which has) is refused above as "not a zip archive"
        raise ModelError(f"{shown(archive)}: {name!r} is {kind}; a package holds only files and folders")
    if name.rstrip("/") in seen:
        raise ModelError(f"{shown(archive)}: {name!r} appears twice")
    seen.add(name.rstrip("/"))


def _check_sizes(archive: Path, files: list[zipfile.ZipInfo]) -> None:
    """The sizes the archive declares, against the caps; unpacking holds each member to its own."""
    total = sum(m.file_size for m in files)
    limit = min(MAX_UNPACKED, MAX_RATIO * max(1, archive.stat().st_size))
    if total > limit:
        raise ModelError(
            f"{shown(archive)}: unpacks to {total / 2**20:,.1f} MiB "
            f"(the limit is {limit / 2**20:,.1f} MiB for this archive)"
        )


def _require_members(archive: Path, top: str, names: set[str]) -> None:
    for required in REQUIRED:
        if f"{top}/{required}" not in names:
            raise ModelError(f"{shown(archive)}: missing {top}/{required}")
    if not any(all(f"{top}/model/{v}" in names for v in group) for group in VOCABULARIES):
        raise ModelError(
            f"{shown(archive)}: missing the model vocabulary ({top}/model/shared_vocabulary.json or .txt)"
        )


def unpack(archive: Path, into: Path) -> Path:
    """Unpack a checked archive into the empty folder `into`; returns the package folder inside it.

    Files are created new (O_EXCL) and never through a link (O_NOFOLLOW); each holds exactly the bytes
    its member declares (zipfile stops there and checks the CRC), so the caps checked above hold.
    """
    top, _ = check_archive(archive)
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                target = _inside(into, member.filename)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _write_member(zipped, member, target)
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError) as error:
        raise ModelError(f"{shown(archive)}: damaged zip archive ({error})") from None
    return into / top


def _inside(folder: Path, name: str) -> Path:
    """Where a member goes; checked once more here, since writing is what must never leave `folder`."""
    target = folder.joinpath(*PurePosixPath(name).parts)
    if not target.resolve().is_relative_to(folder.resolve()):
        raise ModelError(f"{shown(folder)}: member {name!r} would land outside the package folder")
    return target


def _write_member(zipped: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(target, flags, 0o644)
    with zipped.open(member) as source, os.fdopen(descriptor, "wb") as sink:
        while chunk := source.read(_CHUNK):
            sink.write(chunk)
