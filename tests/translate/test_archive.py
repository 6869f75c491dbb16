"""pipeline.translate.archive through `newsalign models install --file`: crafted packages are refused.

Each test builds an archive a hostile or broken server could send and asserts the one error line,
exit code 2, that nothing was written anywhere (the whole temporary tree, packages folder included,
is as before) and that no half-installed package or staging folder is left.
"""

from __future__ import annotations

import io
import stat
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.translate import archive as archive_module
from pipeline.translate import packages

from support import TEST_PACKAGE
from support.files import snapshot

TOP = "translate-bg_en-copy"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/work/models is the packages folder (staging goes to tmp_path/work); outside/ is a
    folder an archive might try to write into."""
    models = tmp_path / "work" / "models"
    models.mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(models))
    return tmp_path


def fixture_members() -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(TEST_PACKAGE) as zipped:
        return [(info, zipped.read(info)) for info in zipped.infolist()]


def special(name: str, mode: int, data: bytes = b"") -> tuple[zipfile.ZipInfo, bytes]:
    """A member with Unix file type bits (`stat.S_IFLNK` ...), as Info-ZIP stores a link or a device."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.create_system = 3
    info.external_attr = (mode | 0o777) << 16
    return info, data


def plain(name: str, data: bytes = b"x") -> tuple[zipfile.ZipInfo, bytes]:
    return zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data


def build(path: Path, members: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for info, data in members:
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, data)
    return path


def declare_size(archive: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size a member declares, in its local header and the central directory."""
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        struct.pack_into("<I", raw, zipped.getinfo(name).header_offset + 22, size)
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46 : at + 46 + len(name)] != name.encode():
        at = raw.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", raw, at + 24, size)
    archive.write_bytes(bytes(raw))


def refused(place: Path, archive: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The one error line of a refused install, once nothing anywhere under `place` changed."""
    before = snapshot(place)
    code = main(["models", "install", "--file", str(archive)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("newsalign: error: ")
    assert snapshot(place) == before  # nothing outside models/, nothing half-installed, no staging left
    return err.removeprefix("newsalign: error: ").rstrip("\n")


def test_symlink_out_of_the_package_and_a_file_through_it(place, capsys):
    """Install once followed the link and wrote through it; a link to a writable folder would have
    put the file outside models/."""
    for target in ("/etc", str(place / "outside")):
        archive = build(
            place / "link.argosmodel",
            [
                *fixture_members(),
                special(f"{TOP}/link_to_etc", stat.S_IFLNK, target.encode()),
                plain(f"{TOP}/link_to_etc/EVIL_via_link.txt", b"evil"),
            ],
        )
        assert refused(place, archive, capsys) == (
            f"{archive}: '{TOP}/link_to_etc' is a symbolic link; a package holds only files and folders"
        )
    assert not (place / "outside" / "EVIL_via_link.txt").exists()


@pytest.mark.parametrize(
    "mode, kind",
    [(stat.S_IFCHR, "a device file"), (stat.S_IFBLK, "a device file"), (stat.S_IFIFO, "a named pipe")],
    ids=["character-device", "block-device", "fifo"],
)
def test_device_and_pipe_members(place, capsys, mode, kind):
    archive = build(place / "dev.argosmodel", [*fixture_members(), special(f"{TOP}/zero", mode)])
    assert refused(place, archive, capsys) == (
        f"{archive}: '{TOP}/zero' is {kind}; a package holds only files and folders"
    )


def test_hard_link_in_a_tar_is_not_a_package(place, capsys):
    """Zip cannot express a hard link; an archive that can (tar) is not an Argos package at all."""
    archive = place / "hard.argosmodel"
    with tarfile.open(archive, "w") as tar:
        data = b"x"
        info = tarfile.TarInfo(f"{TOP}/metadata.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo(f"{TOP}/passwd")
        link.type, link.linkname = tarfile.LNKTYPE, "/etc/passwd"
        tar.addfile(link)
    assert refused(place, archive, capsys) == f"{archive}: not an Argos package (not a zip archive)"


@pytest.mark.parametrize(
    "name",
    [
        "/tmp/EVIL_absolute.txt",
        f"{TOP}/../../outside/EVIL_dotdot.txt",
        f"{TOP}\\..\\..\\outside\\EVIL_backslash.txt",
        "C:/EVIL_drive.txt",
    ],
    ids=["absolute", "dot-dot", "backslash", "drive-letter"],
)
def test_names_that_climb_out(place, capsys, name):
    archive = build(place / "climb.argosmodel", [*fixture_members(), plain(name, b"evil")])
    assert refused(place, archive, capsys) == (
        f"{archive}: unexpected path {name!r} (files must sit in one package folder)"
    )


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile's warning when the test writes it
def test_a_member_twice(place, capsys):
    members = fixture_members()
    archive = build(place / "twice.argosmodel", [*members, plain(f"{TOP}/metadata.json", b"{}")])
    assert refused(place, archive, capsys) == f"{archive}: '{TOP}/metadata.json' appears twice"


def test_too_many_members(place, capsys):
    extra = [plain(f"{TOP}/many/{k}.txt") for k in range(archive_module.MAX_MEMBERS)]
    archive = build(place / "many.argosmodel", [*fixture_members(), *extra])
    count = len(extra) + len(fixture_members())
    assert refused(place, archive, capsys) == (
        f"{archive}: {count} members (the limit is {archive_module.MAX_MEMBERS})"
    )


def test_zip_bomb_is_refused_before_unpacking(place, capsys):
    """16 MiB of zeros zip to a few kilobytes: far past MAX_RATIO times the archive's size."""
    archive = build(place / "bomb.argosmodel", [*fixture_members(), plain(f"{TOP}/pad.bin", bytes(2**24))])
    size = archive.stat().st_size
    limit = archive_module.MAX_RATIO * size / 2**20
    assert refused(place, archive, capsys) == (
        f"{archive}: unpacks to 16.3 MiB (the limit is {limit:.1f} MiB for this archive)"
    )


def test_total_size_cap(place, capsys, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_UNPACKED", 2**17)
    assert refused(place, TEST_PACKAGE, capsys) == (
        f"{TEST_PACKAGE}: unpacks to 0.3 MiB (the limit is 0.1 MiB for this archive)"
    )


def test_member_larger_than_it_declares(place, capsys):
    """The sizes checked above are the declared ones: a member inflating past its own is cut and its
    CRC fails, so the caps hold for what is written too."""
    archive = build(place / "liar.argosmodel", [*fixture_members(), plain(f"{TOP}/pad.bin", bytes(2**20))])
    declare_size(archive, f"{TOP}/pad.bin", 10)
    assert refused(place, archive, capsys) == (
        f"{archive}: damaged zip archive (Bad CRC-32 for file '{TOP}/pad.bin')"
    )


def test_package_folder_name_taken_by_a_file(place, capsys):
    (place / "work" / "models" / TOP).write_text("not a package")
    assert refused(place, TEST_PACKAGE, capsys) == (
        f"{place / 'work' / 'models' / TOP}: already exists and is not a package folder; remove it first"
    )


def test_package_folder_name_taken_by_a_link(place, capsys):
    (place / "work" / "models" / TOP).symlink_to(place / "outside")
    assert refused(place, TEST_PACKAGE, capsys) == (
        f"{place / 'work' / 'models' / TOP}: already exists and is not a package folder; remove it first"
    )


def test_packages_folder_is_a_file(place, capsys, monkeypatch):
    taken = place / "work" / "models-file"
    taken.write_text("x")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(taken))
    assert refused(place, TEST_PACKAGE, capsys) == (
        f"{taken}: the packages folder (ARGOS_PACKAGES_DIR) is not a folder"
    )
    assert main(["models", "list"]) == 2
    assert capsys.readouterr().err == (
        f"newsalign: error: {taken}: the packages folder (ARGOS_PACKAGES_DIR) is not a folder\n"
    )


def test_a_failed_install_keeps_the_installed_package(place, capsys):
    packages.install_file(TEST_PACKAGE)
    archive = build(place / "dev.argosmodel", [*fixture_members(), special(f"{TOP}/tty", stat.S_IFCHR)])
    refused(place, archive, capsys)
    assert [p.path.name for p in packages.installed()] == [TOP]


def test_stale_staging_folders_are_removed(place):
    """A killed install leaves its staging folder; the next install removes it if its process is gone
    (or it is a day old), and keeps a running install's."""
    work = place / "work"
    dead = work / f"{packages.STAGING_PREFIX}999999999-abc"  # beyond any process id Linux gives
    alive = work / f"{packages.STAGING_PREFIX}1-abc"  # init never ends
    for folder in (dead, alive):
        (folder / "unpacked").mkdir(parents=True)
        (folder / "unpacked" / "model.bin").write_bytes(bytes(1024))
    packages.install_file(TEST_PACKAGE)
    assert not dead.exists() and alive.exists()
    assert sorted(p.name for p in work.iterdir()) == sorted([alive.name, "models"])
