"""story.json, story.xml (against story.xsd) and story.html (DOM in headless Chromium) of a made-up Story."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree, html

from pipeline.model import Article, Provenance, Relation, Sentence
from pipeline.outputs import story_html, story_json, story_xml
from pipeline.story.model import Claim, Member, NoClaim, PairRelation, Report, Story

from support import REPO

sys.path.insert(0, str(REPO / "scripts"))
from screenshot_report import browser, chromium_command  # noqa: E402
from support.chromium import layout_faults, measured, screenshot  # noqa: E402

BG = (
    Sentence(1, "Пожар избухна край Кресна.", 1, "A fire broke out near Kresna."),
    Sentence(2, "Пожарът може да е запален умишлено.", 2, "The fire may have been set on purpose."),
)
WIRE = (
    Sentence(1, "A wildfire broke out near Kresna.", 1),
    Sentence(2, "Nobody was hurt.", 1),
    Sentence(3, "The fire service said so.", 1),
)
DAILY = (
    Sentence(1, "Fire near Kresna <b>not a tag</b> & \x0bmore.", 1),
    Sentence(2, "Nobody was injured.", 1),
    Sentence(3, "Read more", 2),
)


def small_story() -> Story:
    """Three reports: a claim all make, one two make (a 2-1 member), one only bg makes, a line without one."""
    reports = (
        Report("r1", Article("wire.txt", "en", WIRE)),
        Report("r2", Article("bg.txt", "bg", BG)),
        Report("r3", Article("dir/daily.txt", "en", DAILY)),
    )
    claims = (
        Claim(1, (Member("r1", (1,), 0.95), Member("r2", (1,), 0.95), Member("r3", (1,), 0.89)), 0.93),
        Claim(2, (Member("r1", (2, 3), 0.71), Member("r3", (2,), 0.71)), 0.71),
        Claim(3, (Member("r2", (2,)),), 0.88),
    )
    relations = (
        PairRelation(("r1", "r2"), Relation("adaptation", 0.6, 0.8)),
        PairRelation(("r1", "r3"), Relation("comparable", 0.4, 0.55)),
        PairRelation(("r2", "r3"), Relation("comparable", 0.25, 0.6)),
    )
    provenance = Provenance(
        newsalign="0.1.0",
        translator="bg: apertium",
        embedder="none",
        thresholds=(("claims.merge_min", 0.5),),
        notes=("made by hand",),
    )
    return Story("en", reports, claims, relations, provenance, (NoClaim("r3", 3, "a link or button"),))


def test_json_document() -> None:
    document = json.loads(story_json.render(small_story()))
    assert list(document) == [
        "schema",
        "pivot_lang",
        "reports",
        "claims",
        "relations",
        "no_claim",
        "provenance",
    ]
    assert document["reports"][1] == {
        "id": "r2",
        "path": "bg.txt",
        "label": "bg",
        "lang": "bg",
        "sentences": [
            {"id": 1, "text": BG[0].text, "translation": BG[0].translation, "paragraph": 1},
            {"id": 2, "text": BG[1].text, "translation": BG[1].translation, "paragraph": 2},
        ],
    }
    assert document["claims"][1] == {
        "id": 2,
        "members": [
            {"report": "r1", "sentences": [2, 3], "probability": 0.71},
            {"report": "r3", "sentences": [2], "probability": 0.71},
        ],
        "score": 0.71,
    }
    assert document["no_claim"] == [{"report": "r3", "sentence": 3, "why": "a link or button"}]
    assert document["relations"][0] == {
        "reports": ["r1", "r2"],
        "kind": "adaptation",
        "linked": 0.6,
        "score": 0.8,
    }
    assert document["provenance"]["thresholds"] == {"claims.merge_min": 0.5}


@pytest.fixture(scope="module")
def story_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(story_xml.schema_path())))


def test_xml_validates_and_reads_back(story_schema: etree.XMLSchema) -> None:
    root = etree.fromstring(story_xml.render(small_story()))
    story_schema.assertValid(root)
    assert [
        (
            c.get("id"),
            c.get("reports"),
            [(m.get("report"), m.get("sentences"), m.get("probability")) for m in c],
        )
        for c in root.find("claims")
    ] == [
        ("1", "3", [("r1", "1", "0.950"), ("r2", "1", "0.950"), ("r3", "1", "0.890")]),
        ("2", "2", [("r1", "2 3", "0.710"), ("r3", "2", "0.710")]),
        ("3", "1", [("r2", "2", "1.000")]),
    ]
    assert [dict(line.attrib) for line in root.find("no-claim")] == [
        {"report": "r3", "sentence": "3", "why": "a link or button"}
    ]
    assert (
        root.find("reports/report[@id='r3']/s[@id='1']/text").text
        == "Fire near Kresna <b>not a tag</b> & more."
    )
    assert root.find("reports/report[@id='r2']/s[@id='2']/translation").text == BG[1].translation
    assert [r.get("label") for r in root.find("reports")] == ["wire", "bg", "daily"]


@pytest.mark.parametrize("change", ["unknown-report", "no-member", "bad-kind"])
def test_schema_refuses_broken_documents(story_schema: etree.XMLSchema, change: str) -> None:
    root = etree.fromstring(story_xml.render(small_story()))
    if change == "unknown-report":
        root.find("claims/claim/member").set("report", "r9")
    elif change == "no-member":
        claim = root.find("claims/claim[@id='3']")
        claim.remove(claim.find("member"))
    else:
        root.find("relations/relation").set("kind", "same")
    assert not story_schema.validate(root)


def test_xml_of_an_empty_claim_list_validates(story_schema: etree.XMLSchema) -> None:
    story = small_story()
    empty = tuple(replace(r, article=replace(r.article, sentences=())) for r in story.reports)
    story_schema.assertValid(
        etree.fromstring(story_xml.render(replace(story, reports=empty, claims=(), no_claim=())))
    )


def _rows(page: html.HtmlElement) -> list[tuple[str, list[str], str]]:
    """Each claim row: its class, each report cell's text (whitespace collapsed), its strength."""
    return [
        (
            row.get("class"),
            [" ".join(" ".join(td.itertext()).split()) for td in row.findall("td")[1:-1]],
            " ".join(row.find("td[@class='strength']").text_content().split()),
        )
        for row in page.iterfind(".//table[@class='claims']/tbody/tr")
    ]


def test_html_rows() -> None:
    assert _rows(html.fromstring(story_html.render(small_story()))) == [
        (
            "claim all",
            [
                "in wire (0.950) 1 A wildfire broke out near Kresna.",
                "in bg (0.950) 1 Пожар избухна край Кресна. A fire broke out near Kresna.",
                "in daily (0.890) 1 Fire near Kresna <b>not a tag</b> & more.",
            ],
            "0.930",
        ),
        (
            "claim some",
            [
                "in wire (0.710) 2 Nobody was hurt. 3 The fire service said so.",
                "",
                "in daily (0.710) 2 Nobody was injured.",
            ],
            "0.710",
        ),
        (
            "claim single",
            [
                "",
                "only in bg (0.880) 2 Пожарът може да е запален умишлено."
                " The fire may have been set on purpose.",
                "",
            ],
            "0.880",
        ),
    ]


def test_html_lists_the_lines_without_a_claim() -> None:
    page = html.fromstring(story_html.render(small_story()))
    assert [" ".join(li.text_content().split()) for li in page.find_class("no-claim")[0]] == [
        "daily #3 \u201cRead more\u201d: a link or button"
    ]


def test_html_header_counts_and_relations() -> None:
    page = html.fromstring(story_html.render(small_story()))
    counts = [" ".join(li.text_content().split()) for li in page.find_class("counts")[0]]
    assert counts == [
        "1 made by every report",
        "1 made by one report only",
        "1 by some",
        "wire: 3 sentences, 0 only here",
        "bg: 2 sentences, 1 only here",
        "daily: 3 sentences, 0 only here",
    ]
    cells = [
        [" ".join(c.text_content().split()) for c in row]
        for row in page.find_class("relations")[0].iter("tr")
    ]
    assert cells == [
        ["relation", "bg", "daily"],
        ["wire", "adaptation 60%", "comparable 40%"],
        ["bg", "", "comparable 25%"],
    ]
    listed = [" ".join(li.text_content().split()) for li in page.find_class("pairs")[0]]
    assert listed == [
        "wire \u2013 bg: adaptation 60%",
        "wire \u2013 daily: comparable 40%",
        "bg \u2013 daily: comparable 25%",
    ]
    headings = [th.text for th in page.find_class("claims")[0].iter("th")]
    assert headings == ["#", "wire (en)", "bg (bg)", "daily (en)", "strength"]
    named = [" ".join(c.text_content().split()) for c in page.find_class("claims")[0].iterfind(".//td/span")]
    assert [n for n in named if n.startswith(("in ", "only in "))] == [
        "in wire (0.950)",
        "in bg (0.950)",
        "in daily (0.890)",
        "in wire (0.710)",
        "in daily (0.710)",
        "only in bg (0.880)",  # the probability that no other report states it: the claim's score
    ]


def _dom(page: Path, profile: str) -> str:
    command = chromium_command(page, f"--user-data-dir={profile}", "--dump-dom", "--virtual-time-budget=2000")
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="Chromium not installed (Debian package chromium)")
def test_chromium_renders_the_matrix(tmp_path: Path) -> None:
    """The page as Chromium builds it: a row per claim, a column per report, the filters, the translation."""
    page = tmp_path / "story.html"
    page.write_bytes(story_html.render(small_story()))
    with tempfile.TemporaryDirectory() as profile:
        dom = html.fromstring(_dom(page, profile))
    assert [th.text_content().split()[0] for th in dom.findall(".//table[@class='claims']/thead/tr/th")] == [
        "#",
        "wire",
        "bg",
        "daily",
        "strength",
    ]
    assert [row.get("class") for row in dom.findall(".//table[@class='claims']/tbody/tr")] == [
        "claim all",
        "claim some",
        "claim single",
    ]
    assert [i.get("id") for i in dom.findall(".//input[@name='filter']")] == [
        "show-every",
        "show-single",
        "show-all",
    ]
    assert dom.find(".//tr[@id='claim-3']//div[@class='mt']").text == BG[1].translation


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="Chromium not installed (Debian package chromium)")
def test_chromium_filter_hides_rows(tmp_path: Path) -> None:
    """With 'claims only one report makes' checked, only the single claim's row is displayed (its height)."""
    data = story_html.render(small_story()).replace(b'id="show-every" checked', b'id="show-every"')
    data = data.replace(b'id="show-single"', b'id="show-single" checked')
    script = (
        b"<script>document.addEventListener('DOMContentLoaded', () => {document.body.dataset.shown = "
        b"[...document.querySelectorAll('table.claims tbody tr')].filter(r => r.offsetHeight > 0)"
        b".map(r => r.id).join(' ');});</script></body>"
    )
    page = tmp_path / "story.html"
    page.write_bytes(data.replace(b"</body>", script))
    with tempfile.TemporaryDirectory() as profile:
        dom = html.fromstring(_dom(page, profile))
    assert dom.find(".//body").get("data-shown") == "claim-3"


def wide_story() -> Story:
    """Five reports of one story, long sentences and long words: the matrix at its most crowded."""
    text = (
        "Firefighters from Blagoevgrad, Sandanski and Simitli fought the wildfire near Kresna throughout "
        "Wednesday night, while the authorities evacuated the neighbouring villages as a precaution."
    )
    reports = tuple(
        Report(f"r{k}", Article(f"newsroom-{k}.txt", "en", (Sentence(1, text, 1), Sentence(2, text, 1))))
        for k in range(1, 6)
    )
    claims = (
        Claim(1, tuple(Member(f"r{k}", (1,)) for k in range(1, 6)), 0.9),
        Claim(2, (Member("r1", (2,)), Member("r4", (2,))), 0.6),
        *(Claim(k + 1, (Member(f"r{k}", (2,)),), 0.8) for k in (2, 3, 5)),
    )
    relations = tuple(
        PairRelation((f"r{i}", f"r{j}"), Relation("comparable", 0.3, 0.7))
        for i in range(1, 6)
        for j in range(i + 1, 6)
    )
    return replace(small_story(), reports=reports, claims=claims, relations=relations, no_claim=())


# Which of the relations' two forms the reader sees: the matrix, or on a phone the list of pairs.
SHOWN = """
const shown = (name) => document.querySelector("." + name).getClientRects().length > 0;
return {matrix: shown("matrix"), pairs: shown("pairs")};
"""


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="Chromium not installed (Debian package chromium)")
@pytest.mark.parametrize("width", [1400, 420], ids=["desktop", "phone"])
def test_reads_on_a_desktop_and_on_a_phone(tmp_path: Path, width: int) -> None:
    """Issue 21: at 420 px story.html split words into 2-4 letters. Now no word breaks across lines, nothing
    spills out of its cell and the page is no wider than the window (on a phone the relations are a list
    of pairs, the matrix hidden); below 720 px a claim stacks the cells of the reports that state it."""
    page = tmp_path / "story.html"
    page.write_bytes(story_html.render(wide_story()))
    assert layout_faults(page, width) == []
    shown = measured(page, width, SHOWN)
    assert shown == ({"matrix": True, "pairs": False} if width > 720 else {"matrix": False, "pairs": True})
    png = tmp_path / "story.png"
    screenshot(page, png, width, 900)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
