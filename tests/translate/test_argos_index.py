"""pipeline.translate.argos_index through `newsalign models install FROM TO --index URL`: crafted indexes.

Each bad index gets one line naming what is wrong and exit 2, and the packages folder (with the
package installed before) and everything around it stay as they were.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.translate import argos_index, download, packages

from support import TEST_PACKAGE
from support.files import snapshot

GOOD = {
    "package_version": "0.1",
    "argos_version": "1.9.0",
    "from_code": "bg",
    "from_name": "Bulgarian",
    "to_code": "en",
    "to_name": "English",
    "links": [TEST_PACKAGE.as_uri()],
    "code": "translate-bg_en",
}


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packages folder under tmp_path/work holding the test package already."""
    models = tmp_path / "work" / "models"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(models))
    packages.install_file(TEST_PACKAGE)
    return tmp_path


def index_file(place: Path, content: object) -> str:
    path = place / "index.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path.as_uri()


def install(place: Path, url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and the one error line of `models install bg en --index URL`, once nothing changed."""
    before = snapshot(place)
    code = main(["models", "install", "bg", "en", "--index", url])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsalign: error: "), err
    assert snapshot(place) == before
    return code, err.removeprefix("newsalign: error: ").rstrip("\n")


BAD = [
    (
        "links-string",
        [{**GOOD, "links": "http://example.invalid/x"}],
        "entry 1, links: expected a list, not a string",
    ),
    ("links-integer", [{**GOOD, "links": 7}], "entry 1, links: expected a list, not a whole number"),
    ("links-null", [{**GOOD, "links": None}], "entry 1, links: expected a list, not null"),
    ("link-not-text", [{**GOOD, "links": [None]}], "entry 1, links[0]: expected a string, not null"),
    (
        "from-code-integer",
        [{**GOOD, "from_code": 359}],
        "entry 1, from_code: expected a string, not a whole number",
    ),
    (
        "from-codes-integer",
        [{**GOOD, "from_codes": 1}],
        "entry 1, from_codes: expected a list, not a whole number",
    ),
    (
        "languages-integer",
        [{**GOOD, "languages": 1}],
        "entry 1, languages: expected a list, not a whole number",
    ),
    (
        "no-to-code",
        [{k: v for k, v in GOOD.items() if k != "to_code"}],
        "entry 1: 'to_code' is a required property",
    ),
    ("code-with-slash", [GOOD, {**GOOD, "to_code": "../en"}], "entry 2, to_code: '../en' does not match"),
    ("object", {"packages": [GOOD]}, "the index: expected a list, not an object"),
    ("bad-checksum-form", [{**GOOD, "sha256": "abc"}], "entry 1, sha256: 'abc' does not match"),
    (
        "huge-version",
        [{**GOOD, "package_version": "9" * 100}],
        "entry 1, package_version: too long (at most 64)",
    ),
]


@pytest.mark.parametrize("case, content, problem", BAD, ids=[b[0] for b in BAD])
def test_index_that_breaks_the_schema(place, capsys, case, content, problem):
    url = index_file(place, content)
    code, line = install(place, url, capsys)
    assert code == 2
    assert line.startswith(f"{url}: not a valid Argos package index ({problem}")


@pytest.mark.parametrize(
    "content, problem",
    [(b'[{"from_code": ', "not JSON: "), (b"[" * 100_000 + b"]" * 100_000, "not JSON: maximum recursion")],
    ids=["truncated", "nested-100000-deep"],
)
def test_index_that_is_not_json(place, capsys, content, problem):
    url = index_file(place, content)
    code, line = install(place, url, capsys)
    assert code == 2
    assert line.startswith(f"{url}: not an Argos package index ({problem}")


def test_index_over_the_size_cap_is_refused_before_it_is_read(place, capsys, monkeypatch):
    monkeypatch.setattr(download, "INDEX_LIMITS", download.Limits(max_bytes=1000, deadline=10))
    url = index_file(place, [GOOD] * 20)
    code, line = install(place, url, capsys)
    assert code == 2
    assert line.startswith(f"{url}: ") and line.endswith(", over the limit of 1,000 bytes")


@pytest.mark.parametrize("url", ["file:///dev/zero", "ftp://127.0.0.1/index.json", "data:,[]"])
def test_index_url_that_is_not_followed(place, capsys, url):
    code, line = install(place, url, capsys)
    assert code == 2
    assert line == (
        f"{url}: not a regular file" if url.startswith("file") else f"{url}: not an http, https or file URL"
    )


def test_link_to_dev_zero_is_not_followed(place, capsys):
    code, line = install(place, index_file(place, [{**GOOD, "links": ["file:///dev/zero"]}]), capsys)
    assert code == 2
    assert line == "file:///dev/zero: not a regular file"


def test_links_of_other_schemes_are_skipped(place, capsys):
    """The public index lists ipfs:// links beside https ones: those are never followed."""
    links = ["ipfs://QmV5bmf8", "ftp://127.0.0.1/x.argosmodel"]
    url = index_file(place, [{**GOOD, "links": links}])
    code, line = install(place, url, capsys)
    assert code == 2
    assert line == f"the Argos index {url}: no http, https or file link for bg->en ({', '.join(links)})"


def test_checksum_mismatch(place, capsys):
    wrong = "0" * 64
    code, line = install(place, index_file(place, [{**GOOD, "sha256": wrong}]), capsys)
    assert code == 2
    actual = hashlib.sha256(TEST_PACKAGE.read_bytes()).hexdigest()
    assert line == f"{TEST_PACKAGE.as_uri()}: checksum mismatch (sha256 {actual}, the index says {wrong})"


def test_checksum_that_matches_installs(place, capsys):
    digest = hashlib.sha256(TEST_PACKAGE.read_bytes()).hexdigest().upper()
    assert (
        main(["models", "install", "bg", "en", "--index", index_file(place, [{**GOOD, "sha256": digest}])])
        == 0
    )
    assert capsys.readouterr().out.startswith("installed translate-bg_en-0_1 (bg->en, ")
    assert [p.path.name for p in packages.installed()] == ["translate-bg_en-copy"]


def test_public_index_entries_pass_the_schema():
    """The shape of the public Argos index (links with ipfs:// beside https://) is valid."""
    entry = {**GOOD, "links": ["https://example.invalid/translate-bg_en-1_9.argosmodel", "ipfs://Qm"]}
    assert argos_index._schema_problem([entry, {**entry, "from_code": "zt"}]) is None
