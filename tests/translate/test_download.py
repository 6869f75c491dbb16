"""pipeline.translate.download over real HTTP on 127.0.0.1: the install path end to end, and servers that
fail (404, a stalled answer, a cut body, a drip, a body over the cap, a redirect out of http).

A failing server gets one line naming the URL (exit 1 for the network, 2 for a package that is not
what it should be), within the limits the test sets, and leaves the packages folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.translate import download, packages

from support import EXAMPLE, TEST_PACKAGE
from support.files import snapshot
from support.http import Route, serving

TOP = "translate-bg_en-copy"
PACKAGE = TEST_PACKAGE.read_bytes()
SIZE = len(PACKAGE)
# small limits, so a refused download takes a second, not minutes
FAST = download.Limits(max_bytes=2**20, deadline=5.0, read_timeout=0.5, window=5.0, window_bytes=1)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/work holds the packages folder (models/) and the staging folders of an install."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "work" / "models"))
    monkeypatch.setattr(download, "INDEX_LIMITS", FAST)
    monkeypatch.setattr(download, "PACKAGE_LIMITS", FAST)
    return tmp_path / "work"


def index(links: list[str], **extra: object) -> Route:
    entry = {"package_version": "0.1", "from_code": "bg", "to_code": "en", "links": links, **extra}
    return Route(json.dumps([entry]).encode())


def install(server, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["models", "install", "bg", "en", "--index", server.url("/index.json")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_install_over_http_then_align_translates_through_it(work, tmp_path, capsys):
    digest = hashlib.sha256(PACKAGE).hexdigest()
    with serving({"/pkg.argosmodel": Route(PACKAGE)}) as server:
        server.routes["/index.json"] = index([server.url("/pkg.argosmodel")], sha256=digest)
        code, out, err = install(server, capsys)
    assert (code, err) == (0, "")
    assert out == f"installed translate-bg_en-0_1 (bg->en, 0.3 MB) in {work / 'models' / TOP}\n"
    assert server.hits == ["/index.json", "/pkg.argosmodel"]
    assert sorted(p.name for p in work.iterdir()) == ["models"]  # no staging folder left

    source, target = EXAMPLE / "plovdiv-bg.txt", EXAMPLE / "plovdiv-en.txt"
    argv = ["align", str(source), str(target), "-o", str(tmp_path / "out"), "--translator", "argos"]
    assert main([*argv, "--embedder", "none", "-q"]) == 0
    document = json.loads((tmp_path / "out" / "alignment.json").read_text(encoding="utf-8"))
    assert document["provenance"]["translator"].startswith("argos:translate-bg_en-0_1")
    # the test package copies its input: every Bulgarian sentence comes back as its own "translation"
    assert [s["translation"] for s in document["source"]["sentences"]] == [
        s["text"] for s in document["source"]["sentences"]
    ]


def test_a_second_link_is_tried_when_the_first_fails(work, capsys):
    with serving({"/pkg.argosmodel": Route(PACKAGE)}) as server:
        server.routes["/index.json"] = index([server.url("/gone.argosmodel"), server.url("/pkg.argosmodel")])
        code, _, err = install(server, capsys)
    assert (code, err) == (0, "")
    assert [p.path.name for p in packages.installed()] == [TOP]


def failing(work: Path, route: Route, capsys, *, on_index: bool = False) -> tuple[int, str, str]:
    """Exit code, error line and the package URL of an install whose package (or index) route fails;
    the packages folder, holding an earlier install, must be as before."""
    packages.install_file(TEST_PACKAGE)
    before = snapshot(work)
    with serving({"/pkg.argosmodel": route}) as server:
        url = server.url("/index.json" if on_index else "/pkg.argosmodel")
        server.routes["/index.json"] = route if on_index else index([url])
        code, out, err = install(server, capsys)
    assert out == "" and err.count("\n") == 1 and err.startswith("newsalign: error: "), err
    assert snapshot(work) == before
    return code, err.removeprefix("newsalign: error: ").rstrip("\n"), url


OFFLINE = "; offline? install a downloaded file with `newsalign models install --file PATH.argosmodel`"


@pytest.mark.parametrize(
    "route, problem",
    [
        (Route(status=404), "HTTP 404 Not Found"),
        (Route(PACKAGE, stall=True), "no data for 0.5 s"),
        (Route(PACKAGE, cut=SIZE // 2), f"the connection closed after {SIZE // 2} of {SIZE} bytes"),
        (
            Route(redirect="file:///etc/passwd"),
            "HTTP 302 Found - Redirection to url 'file:///etc/passwd' is not allowed",
        ),
        (Route(redirect="ftp://127.0.0.1/x"), "HTTP 302 redirect to 'ftp://127.0.0.1/x' refused"),
    ],
    ids=["404", "stalled", "truncated", "redirect-to-file", "redirect-to-ftp"],
)
def test_failing_package_download(work, capsys, route, problem):
    code, line, url = failing(work, route, capsys)
    assert (code, line) == (1, f"download failed: {url}: {problem}")


@pytest.mark.parametrize(
    "route, problem",
    [(Route(status=404), "HTTP 404 Not Found"), (Route(b"[]", stall=True), "no data for 0.5 s")],
    ids=["404", "stalled"],
)
def test_failing_index_download(work, capsys, route, problem):
    code, line, url = failing(work, route, capsys, on_index=True)
    assert (code, line) == (1, f"cannot read the Argos package index: {url}: {problem}{OFFLINE}")


def test_a_dripping_server_is_cut_off_by_the_minimum_rate(work, capsys, monkeypatch):
    """A byte now and then keeps a per-read timeout from ever firing; the rate over a window does."""
    monkeypatch.setattr(download, "PACKAGE_LIMITS", download.Limits(2**20, 60.0, 0.5, 0.5, 1000))
    code, line, url = failing(work, Route(PACKAGE, drip=0.05), capsys)
    assert code == 1
    assert re.fullmatch(rf"download failed: {re.escape(url)}: too slow \(\d+ bytes in 0\.5 s\)", line)


def test_a_dripping_server_is_cut_off_by_the_deadline(work, capsys, monkeypatch):
    monkeypatch.setattr(download, "PACKAGE_LIMITS", download.Limits(2**20, 0.5, 0.5, 60.0, 1))
    code, line, url = failing(work, Route(PACKAGE, drip=0.05), capsys)
    assert code == 1
    assert re.fullmatch(
        rf"download failed: {re.escape(url)}: download not done after 0\.5 s \(\d+ bytes received\)", line
    )


def test_a_package_over_the_size_cap_is_refused_from_its_length(work, capsys, monkeypatch):
    monkeypatch.setattr(download, "PACKAGE_LIMITS", download.Limits(max_bytes=1000, deadline=5.0))
    code, line, url = failing(work, Route(PACKAGE), capsys)
    assert (code, line) == (2, f"{url}: {SIZE:,} bytes, over the limit of 1,000 bytes")
