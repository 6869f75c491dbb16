"""pipeline.batch.index: index.html has a row per pair, linking its report."""

import pytest
from lxml import html

from support.batch import CONTENTS, make_pairs, read_error, run_fake
from support.chromium import browser, layout_faults, measured, screenshot


def test_index_has_a_row_per_pair_linking_its_report(tmp_path):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    result = run_fake(pairs, tmp_path / "out")
    page = html.fromstring(result.index.read_bytes())
    rows = [[td.text_content() for td in tr.findall("td")] for tr in page.iter("tr") if tr.findall("td")]
    assert rows == [
        [
            "a-match",
            "done",
            "translation (100% of all sentences linked, confidence 0.90)",
            "2",
            "0",
            "0",
            "0",
            "",
        ],
        [
            "b-partial",
            "done",
            "translation (100% of all sentences linked, confidence 0.90)",
            "2",
            "1",
            "0",
            "0",
            "",
        ],
        [
            "c-extra",
            "done",
            "adaptation (67% of all sentences linked, confidence 0.90)",
            "2",
            "0",
            "2",
            "0",
            "",
        ],
        ["d-missing", "failed", "", "", "", "", "", f"InputError: {read_error(pairs[3].target)}"],
        ["e-crash", "failed", "", "", "", "", "", "RuntimeError: the aligner fell over"],
        ["f-empty", "failed", "", "", "", "", "", f"InputError: {read_error(pairs[5].source)}"],
    ]
    assert [tr.get("class") for tr in page.findall(".//tbody/tr")] == ["done"] * 3 + ["failed"] * 3
    assert page.find(".//input[@id='only-failed']").get("type") == "checkbox"  # the CSS filter hides tr.done
    links = [a.get("href") for a in page.iter("a")]
    assert links == ["a-match/report.html", "b-partial/report.html", "c-extra/report.html"]
    assert all((tmp_path / "out" / link).is_file() for link in links)
    assert page.find(".//style") is not None and not list(page.iter("script", "link", "img"))


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="Chromium not installed (Debian package chromium)")
@pytest.mark.parametrize("width", [1400, 420], ids=["desktop", "phone"])
def test_index_reads_on_a_desktop_and_on_a_phone(tmp_path, width):
    """Issue 21: at 420 px the index cut its columns. Now the page is no wider than the window, nothing spills
    out of a cell and no word breaks; below 720 px a pair's row stacks its cells, each naming its column."""
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    index = run_fake(pairs, tmp_path / "out").index
    assert layout_faults(index, width) == []
    png = tmp_path / "index.png"
    screenshot(index, png, width, 900)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    labels = "return [...document.querySelectorAll('tr.failed td')].map((td) => td.dataset.label || '');"
    assert measured(index, width, labels)[:2] == ["", "status"]
