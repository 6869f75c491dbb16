"""pipeline.outputs.tmx: valid TMX 1.4, the source text kept exact, read back in translate-toolkit."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.outputs import tmx

from support.alignments import empty_alignment, odd_alignment, small_alignment

LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _units(data: bytes) -> list[tuple]:
    """Each tu as (tuid, creationdate, notes, props, (lang, seg) per tuv)."""
    root = etree.fromstring(data)
    return [
        (
            tu.get("tuid"),
            tu.get("creationdate"),
            [n.text for n in tu.findall("note")],
            [(p.get("type"), p.text) for p in tu.findall("prop")],
            [(v.get(LANG), v.findtext("seg")) for v in tu.findall("tuv")],
        )
        for tu in root.iter("tu")
    ]


def test_units_of_small_alignment() -> None:
    """With partial pairs asked for (`--tmx-links all`), flagged: the kind, and a note saying so."""
    epoch = "19700101T000000Z"
    assert _units(tmx.render(small_alignment(), links="all")) == [
        (
            "1",
            epoch,
            [],
            [
                ("x-align-score", "0.930"),
                ("x-align-type", "1-1"),
                ("x-align-kind", "match"),
                ("x-mt", "Protests in Almaty continued on Friday."),
            ],
            [
                ("bg", "Протестите в Алмати продължиха и в петък."),
                ("en", "Protests in Almaty continued on Friday."),
            ],
        ),
        (
            "2",
            epoch,
            [
                tmx.PARTIAL_NOTE,
                "only in the source: \u201cот\u201d",
                "only in the target: \u201cthe government said\u201d",
            ],
            [
                ("x-align-score", "0.930"),
                ("x-align-type", "1-1"),
                ("x-align-kind", "partial"),
                ("x-mt", "The president asked for help from his allies."),
            ],
            [
                ("bg", "Президентът поиска помощ от съюзниците си."),
                ("en", "The president asked his allies for help, the government said."),
            ],
        ),
        (
            "3",
            epoch,
            [],
            [
                ("x-align-score", "0.970"),
                ("x-align-type", "2-1"),
                ("x-align-kind", "match"),
                ("x-mt", "The airport was closed. Flights were cancelled."),
            ],
            [
                ("bg", "Летището беше затворено. Полетите бяха отменени."),
                ("en", "The airport was closed and flights were cancelled."),
            ],
        ),
        (
            "6",
            epoch,
            ["low confidence: score 0.420 below 0.900; check before use"],
            [
                ("x-align-score", "0.420"),
                ("x-align-type", "1-1"),
                ("x-align-kind", "match"),
                ("x-mt", "The authorities declared a state of emergency."),
            ],
            [("bg", "Властите обявиха извънредно положение."), ("en", "Officials imposed a curfew.")],
        ),
    ]


@pytest.mark.parametrize("links, units", [("match", ["1", "3", "6"]), ("all", ["1", "2", "3", "6"])])
def test_partial_pairs_go_in_only_when_asked(links: str, units: list[str]) -> None:
    """Issue 21: a partial pair is an adaptation; a memory would offer it as a translation. By default the
    TMX holds matches only (the low-confidence match 6 stays, with its note); the header says which."""
    data = tmx.render(small_alignment(), **({} if links == "match" else {"links": links}))
    assert [unit[0] for unit in _units(data)] == units
    header = etree.fromstring(data).find("header")
    assert header.find("prop[@type='x-links']").text == links


def test_links_must_be_match_or_all() -> None:
    with pytest.raises(ValueError):
        tmx.render(small_alignment(), links="partial")


def test_odd_text_is_escaped_and_forbidden_characters_dropped() -> None:
    units = _units(tmx.render(odd_alignment(), links="all"))
    assert [(u[0], u[4]) for u in units] == [
        ("1", [("bg", 'Цена 5 < 6 & "кавички" край.'), ("en", 'Price 5 < 6 & "quotes" end.')]),
        # unit 2 is left out: its source holds only control characters and would be an empty seg
        ("3", [("bg", "<b>Не е таг</b> ]]> ."), ("en", "<b>Not a tag</b> ]]>.")]),
    ]
    assert all(p[0] != "x-mt" for u in units for p in u[3])  # no translation, no x-mt


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_validates_against_tmx14_xsd(make, tmx_schema) -> None:
    document = etree.fromstring(tmx.render(make(), links="all"))
    assert tmx_schema.validate(document), tmx_schema.error_log


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_no_empty_seg(make) -> None:
    segs = etree.fromstring(tmx.render(make())).iter("seg")
    assert all((seg.text or "").strip() for seg in segs)


def test_source_seg_equals_the_source_sentence_for_one_to_one_beads() -> None:
    alignment = small_alignment()
    root = etree.fromstring(tmx.render(alignment, links="all"))
    segs = {tu.get("tuid"): tu.find("tuv/seg").text for tu in root.iter("tu")}
    for number, bead in enumerate(alignment.beads, start=1):
        if bead.type == "1-1":
            assert segs[str(number)] == alignment.source_sentences(bead)[0].text


@pytest.mark.parametrize(
    "created, date",
    [
        (None, "19700101T000000Z"),
        ("2026-11-23T18:55:33Z", "20261123T185533Z"),
        ("2026-11-23T20:55:33+02:00", "20261123T185533Z"),
        ("2026-11-23T18:55:33", "20261123T185533Z"),
    ],
)
def test_creationdate(created: str | None, date: str) -> None:
    root = etree.fromstring(tmx.render(small_alignment(created)))
    dates = {root.find("header").get("creationdate")} | {tu.get("creationdate") for tu in root.iter("tu")}
    assert dates == {date}


@pytest.mark.parametrize("epoch, date", [("0", "19700101T000000Z"), ("1764475200", "20251130T040000Z")])
def test_creationdate_follows_source_date_epoch(monkeypatch, epoch: str, date: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    root = etree.fromstring(tmx.render(small_alignment()))
    assert {root.find("header").get("creationdate")} | {tu.get("creationdate") for tu in root.iter("tu")} == {
        date
    }


def test_creationdate_is_the_run_time_without_source_date_epoch(monkeypatch) -> None:
    from datetime import datetime, timezone

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    date = etree.fromstring(tmx.render(small_alignment())).find("header").get("creationdate")
    after = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert before <= date <= after


def test_header() -> None:
    header = etree.fromstring(tmx.render(small_alignment())).find("header")
    assert dict(header.attrib) == {
        "creationtool": "newsalign",
        "creationtoolversion": "0.1.0",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "bg",
        "datatype": "plaintext",
        "creationdate": "19700101T000000Z",
        "o-tmf": "newsalign",
    }


def test_same_alignment_same_bytes() -> None:
    assert tmx.render(small_alignment()) == tmx.render(small_alignment())


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_translate_toolkit_reads_it_back(make) -> None:
    from translate.storage.tmx import tmxfile

    data = tmx.render(make())
    store = tmxfile.parsestring(data)
    assert [(u.getid(), u.source, u.target) for u in store.units] == [
        (tuid, segs[0][1], segs[1][1]) for tuid, _, _, _, segs in _units(data)
    ]
