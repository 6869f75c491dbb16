"""pipeline.translate.packages and `newsalign models`: listing, checked installs from a file or an index."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ModelError, NetworkError
from pipeline.translate import argos_index, packages

from support import REPO
from support import TEST_PACKAGE as FIXTURE

TOP = "translate-bg_en-copy"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    packages = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    return packages


def fixture_members() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURE) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def expected_package(folder: Path) -> packages.Package:
    path = folder / TOP
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return packages.Package(path=path, from_code="bg", to_code="en", version="0.1", size=size)


def test_nothing_installed(folder: Path) -> None:
    assert packages.installed() == []
    assert packages.installed(folder / "does-not-exist") == []


def test_packages_live_in_the_checkout_models_folder_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    assert packages.packages_dir() == REPO / "models"


def test_install_file_then_list_and_find(folder: Path) -> None:
    package = packages.install_file(FIXTURE)
    assert package == expected_package(folder)
    assert package.name == "translate-bg_en-0_1"
    assert packages.installed() == [package]
    assert packages.find("bg", "en") == package


def test_reinstall_replaces_and_leaves_nothing_behind(folder: Path) -> None:
    packages.install_file(FIXTURE)
    again = packages.install_file(FIXTURE)
    assert [p.name for p in folder.iterdir()] == [TOP]
    assert not list(folder.parent.glob(".newsalign-install-*"))
    assert packages.installed() == [again]


def test_find_names_the_pair_and_what_is_installed(folder: Path) -> None:
    packages.install_file(FIXTURE)
    with pytest.raises(ModelError) as error:
        packages.find("de", "en")
    assert str(error.value) == (
        f"no Argos package for de->en in {folder} (installed: bg->en); run `newsalign models install de en`"
    )


def _without(name: str) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    return lambda m: {k: v for k, v in m.items() if k != f"{TOP}/{name}"}


def _with(name: str, data: bytes) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    return lambda m: {**m, name: data}


BROKEN = [
    ("not-a-zip", lambda m: None, b"hello", "not an Argos package (not a zip archive)"),
    (
        "truncated",
        lambda m: None,
        FIXTURE.read_bytes()[: FIXTURE.stat().st_size // 2],
        "not an Argos package (not a zip archive)",
    ),
    ("empty", lambda m: {}, None, "empty archive"),
    (
        "two-folders",
        _with("other/file.txt", b"x"),
        None,
        "2 top-level folders (other, translate-bg_en-copy); expected one",
    ),
    (
        "loose-file",
        _with("README.md", b"x"),
        None,
        "unexpected path 'README.md' (files must sit in one package folder)",
    ),
    (
        "zip-slip",
        _with(f"{TOP}/../../evil.txt", b"x"),
        None,
        f"unexpected path '{TOP}/../../evil.txt' (files must sit in one package folder)",
    ),
    ("no-metadata", _without("metadata.json"), None, f"missing {TOP}/metadata.json"),
    ("no-model", _without("model/model.bin"), None, f"missing {TOP}/model/model.bin"),
    ("no-sentencepiece", _without("sentencepiece.model"), None, f"missing {TOP}/sentencepiece.model"),
    (
        "no-vocabulary",
        _without("model/shared_vocabulary.json"),
        None,
        f"missing the model vocabulary ({TOP}/model/shared_vocabulary.json or .txt)",
    ),
    (
        "metadata-not-json",
        _with(f"{TOP}/metadata.json", b"{from_code: bg"),
        None,
        "metadata.json is not readable JSON",
    ),
    (
        "metadata-no-codes",
        _with(f"{TOP}/metadata.json", b'{"package_version": "1.0"}'),
        None,
        "metadata.json lacks from_code/to_code",
    ),
    (
        "not-translate",
        _with(f"{TOP}/metadata.json", b'{"from_code": "bg", "to_code": "en", "type": "sbd"}'),
        None,
        "a 'sbd' package, not a translation package",
    ),
    (
        "bad-sentencepiece",
        _with(f"{TOP}/sentencepiece.model", b"not a model"),
        None,
        "sentencepiece.model does not load",
    ),
    ("bad-model", _with(f"{TOP}/model/model.bin", b"\x00" * 64), None, "model/ does not load in CTranslate2"),
]


@pytest.mark.parametrize("case, change, raw, reason", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_refused_with_one_line_and_nothing_installed(
    tmp_path: Path,
    folder: Path,
    case: str,
    change,
    raw: bytes | None,
    reason: str,
) -> None:
    archive = tmp_path / f"{case}.argosmodel"
    archive.write_bytes(raw if raw is not None else zipped(change(fixture_members())))
    with pytest.raises(ModelError) as error:
        packages.install_file(archive)
    message = str(error.value)
    assert message.startswith(f"{archive}: ") and reason in message
    assert "\n" not in message
    assert packages.installed() == []
    assert not (folder.exists() and list(folder.iterdir()))
    assert not list(tmp_path.glob(".newsalign-install-*"))


def test_missing_file(tmp_path: Path, folder: Path) -> None:
    with pytest.raises(ModelError, match="no such file"):
        packages.install_file(tmp_path / "nothing.argosmodel")


def _index(tmp_path: Path, entries: list[dict]) -> str:
    index = tmp_path / "index.json"
    index.write_text(json.dumps(entries), encoding="utf-8")
    return index.as_uri()


def test_install_from_index_downloads_with_progress(tmp_path: Path, folder: Path) -> None:
    older = {
        "from_code": "bg",
        "to_code": "en",
        "package_version": "0.0.9",
        "type": "translate",
        "links": [(tmp_path / "missing.argosmodel").as_uri()],
    }
    newest = {
        **older,
        "package_version": "0.1",
        "links": [(tmp_path / "gone.argosmodel").as_uri(), FIXTURE.as_uri()],
    }
    other = {**older, "to_code": "de"}
    seen: list[tuple[int, int | None]] = []
    package = packages.install_from_index(
        "bg",
        "en",
        index_url=_index(tmp_path, [other, older, newest]),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert package == expected_package(folder)
    size = FIXTURE.stat().st_size
    assert seen[-1] == (size, size)


def test_offline_index_is_one_clear_line(folder: Path) -> None:
    with pytest.raises(NetworkError) as error:
        packages.install_from_index("bg", "en", index_url="http://127.0.0.1:9/index.json")
    message = str(error.value)
    assert message.startswith("cannot read the Argos package index: http://127.0.0.1:9/index.json: ")
    assert message.endswith(
        "install a downloaded file with `newsalign models install --file PATH.argosmodel`"
    )
    assert "\n" not in message


@pytest.mark.parametrize(
    "entries, message",
    [
        ([], "has no package for bg->en"),
        (
            [{"from_code": "bg", "to_code": "de", "links": ["file:///x"]}],
            "has no package for bg->en (from bg: bg->de)",
        ),
        ([{"from_code": "bg", "to_code": "en", "links": []}], "has no package for bg->en"),
    ],
)
def test_index_without_the_pair(tmp_path: Path, folder: Path, entries: list[dict], message: str) -> None:
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        packages.install_from_index("bg", "en", index_url=_index(tmp_path, entries))


def test_index_location_follows_argos_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    assert argos_index.index_location() == argos_index.DEFAULT_INDEX
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://mirror.example/argos")
    assert argos_index.index_location() == "http://mirror.example/argos/index.json"


# --- the command line -------------------------------------------------------------------------


def test_cli_install_file_then_list(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out == f"no translation packages in {folder}\n"
    assert main(["models", "install", "--file", str(FIXTURE)]) == 0
    assert capsys.readouterr().out == f"installed translate-bg_en-0_1 (bg->en, 0.3 MB) in {folder / TOP}\n"
    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "pair    version  size    name                 path",
        f"bg->en  0.1      0.3 MB  translate-bg_en-0_1  {folder / TOP}",
    ]


@pytest.mark.parametrize(
    "argv, error",
    [
        (
            ["models", "install", "bg"],
            "newsalign: error: models install takes FROM TO, or --file PATH.argosmodel",
        ),
        (["models", "install"], "newsalign: error: models install takes FROM TO, or --file PATH.argosmodel"),
        (
            ["models", "install", "bg", "en", "--file", "x.argosmodel"],
            "newsalign: error: models install takes FROM TO, or --file PATH.argosmodel",
        ),
        (
            ["models", "install", "--file", "/nonexistent/x.argosmodel"],
            "newsalign: error: /nonexistent/x.argosmodel: no such file",
        ),
    ],
)
def test_cli_refuses_with_exit_2_and_one_line(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == error + "\n"
    assert captured.out == ""


def test_cli_offline_install(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    assert main(["models", "install", "bg", "en"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "newsalign: error: cannot read the Argos package index: http://127.0.0.1:9/index.json: "
    )
    assert err.count("\n") == 1


def test_cli_models_without_action_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models"]) == 2
    assert "install" in capsys.readouterr().err
