"""A report.html in, a PNG screenshot out (headless Chromium), so anyone can see the report without a desktop.

python scripts/screenshot_report.py OUTDIR/report.html [-o report.png] [--size 1366,768] [--full]
python scripts/screenshot_report.py --example -o example.png   # the tests' hand-made alignment
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def browser() -> str | None:
    """The first headless-capable Chromium on PATH."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def chromium_command(page: Path, *extra: str) -> list[str]:
    """Headless Chromium with no network, sandbox, GPU or first-run chatter."""
    program = browser()
    if program is None:
        raise FileNotFoundError("no Chromium found on PATH (Debian package chromium)")
    return [
        program,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        *extra,
        page.resolve().as_uri(),
    ]


def screenshot(page: Path, png: Path, width: int = 1366, height: int = 768) -> None:
    """Render `page` at width x height into `png`."""
    with tempfile.TemporaryDirectory() as profile:
        command = chromium_command(
            page,
            f"--user-data-dir={profile}",
            f"--screenshot={png.resolve()}",
            f"--window-size={width},{height}",
        )
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not png.exists():
        raise RuntimeError(f"Chromium wrote no screenshot for {page}")


def measured(page: Path, width: int, script: str, height: int = 900) -> object:
    """What `script` (a function body returning something JSON can hold) returns on `page` shown at width x
    height. The page is shown in a frame of exactly that size (headless Chromium will not make a window
    narrower than 500 px, and the page itself holds no script); inside the script `window` and `document`
    are the frame's."""
    import html
    import json

    source = html.escape(page.read_text("utf-8"))
    wrapper = f"""<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" style="border:0;width:{width}px;height:{height}px" srcdoc="{source}"></iframe>
<pre id="measured"></pre><script>
const frame = document.getElementById("page");
frame.addEventListener("load", () => {{
  const window = frame.contentWindow, document = frame.contentDocument;
  const getComputedStyle = (element) => window.getComputedStyle(element);
  const result = (() => {{{script}}})();
  top.document.getElementById("measured").textContent = JSON.stringify(result);
}});
</script></body></html>"""
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "measure.html"
        copy.write_text(wrapper, encoding="utf-8")
        command = chromium_command(copy, f"--user-data-dir={Path(work) / 'profile'}", "--dump-dom")
        dom = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    if found is None:
        raise RuntimeError(f"Chromium measured nothing on {page}")
    return json.loads(html.unescape(found.group(1)))


def full_height(page: Path, width: int = 1366) -> int:
    """The height of the whole page laid out at `width` (measured by Chromium, every row counted)."""
    height = measured(page, width, "return document.documentElement.scrollHeight;")
    return int(height)  # type: ignore[call-overload]


def _example(folder: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pipeline.outputs import report

    from support.alignments import small_alignment

    page = folder / "report.html"
    page.write_bytes(report.render(small_alignment("2026-11-23T18:55:33Z")))
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, help="a report.html")
    parser.add_argument("--example", action="store_true", help="screenshot the tests' hand-made alignment")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.png"))
    parser.add_argument("--size", default="1366,768", help="window WIDTH,HEIGHT in CSS pixels")
    parser.add_argument("--full", action="store_true", help="tall enough for the whole page")
    args = parser.parse_args(argv)
    if (args.page is None) == (not args.example):
        parser.error("give a report.html or --example")
    width, height = (int(v) for v in args.size.split(","))
    with tempfile.TemporaryDirectory() as work:
        page = _example(Path(work)) if args.example else args.page
        if args.full:
            height = max(height, full_height(page, width))
        screenshot(page, args.output, width, height)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
