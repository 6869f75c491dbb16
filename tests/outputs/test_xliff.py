"""pipeline.outputs.xliff: XLIFF 1.2 valid against the strict XSD that reads back in translate-toolkit."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.outputs import xliff

from support.alignments import empty_alignment, moved_alignment, odd_alignment, small_alignment

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def _units(data: bytes) -> list[tuple]:
    """Each trans-unit as (id, translate, source, target, state, notes, machine translation)."""
    root = etree.fromstring(data)
    return [
        (
            unit.get("id"),
            unit.get("translate", "yes"),
            unit.findtext("x:source", namespaces=NS),
            unit.findtext("x:target", namespaces=NS),
            unit.find("x:target", NS).get("state") if unit.find("x:target", NS) is not None else None,
            [note.text for note in unit.findall("x:note", NS)],
            unit.findtext("x:alt-trans/x:target", namespaces=NS),
        )
        for unit in root.iterfind(".//x:trans-unit", NS)
    ]


def test_units_of_small_alignment() -> None:
    """Units in the foreign report's order (the omission after the pair holding the English sentence before
    it); the partial pair needs review whatever its score, and says why."""
    assert _units(xliff.render(small_alignment())) == [
        (
            "1",
            "yes",
            "Протестите в Алмати продължиха и в петък.",
            "Protests in Almaty continued on Friday.",
            "translated",
            ["match 1-1, score 0.930"],
            "Protests in Almaty continued on Friday.",
        ),
        (
            "2",
            "yes",
            "Президентът поиска помощ от съюзниците си.",
            "The president asked his allies for help, the government said.",
            "needs-review-translation",
            [
                "partial 1-1, score 0.930",
                xliff.PARTIAL_NOTE,
                "only in bg: \u201cот\u201d",
                "only in bg (in its translation): \u201cfrom\u201d",
                "only in en: \u201cthe government said\u201d",
            ],
            "The president asked for help from his allies.",
        ),
        (
            "3",
            "yes",
            "Летището беше затворено. Полетите бяха отменени.",
            "The airport was closed and flights were cancelled.",
            "translated",
            ["match 2-1, score 0.970"],
            "The airport was closed. Flights were cancelled.",
        ),
        (
            "5",
            "no",
            "The measures had no effect.",
            None,
            None,
            ["omission 0-1, score 0.080", "only in en (the target report): bg has no counterpart"],
            None,
        ),
        (
            "4",
            "yes",
            "Според източници той е заминал за Абу Даби.",
            None,
            None,
            ["addition 1-0, score 0.120", "only in bg (the source report): en has no counterpart"],
            "According to sources, he left for Abu Dhabi.",
        ),
        (
            "6",
            "yes",
            "Властите обявиха извънредно положение.",
            "Officials imposed a curfew.",
            "needs-review-translation",
            ["match 1-1, score 0.420"],
            "The authorities declared a state of emergency.",
        ),
    ]


def test_units_follow_the_foreign_report() -> None:
    """Issue 21: the XLIFF is the foreign document under review, so its units go in its order; a unit's id
    stays its bead's number in alignment.json."""
    units = _units(xliff.render(moved_alignment()))
    assert [(u[0], u[2]) for u in units] == [
        ("3", "Министърът подаде оставка в сряда."),
        ("4", "His deputy will stand in until a successor is named."),
        ("1", "Протестите продължиха цяла седмица."),
        ("2", "Опозицията поиска предсрочни избори."),
        ("5", "Парламентът ще гласува в петък."),
    ]


def test_odd_text_is_escaped_and_forbidden_characters_dropped() -> None:
    units = _units(xliff.render(odd_alignment()))
    assert [(u[0], u[2], u[3], u[6]) for u in units] == [
        ("1", 'Цена 5 < 6 & "кавички" край.', 'Price 5 < 6 & "quotes" end.', None),
        ("2", "", "Only English.", None),
        ("3", "<b>Не е таг</b> ]]> .", "<b>Not a tag</b> ]]>.", None),
    ]


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_validates_against_xliff12_strict_xsd(make, xliff_schema) -> None:
    document = etree.fromstring(xliff.render(make()))
    assert xliff_schema.validate(document), xliff_schema.error_log


@pytest.mark.parametrize(
    "created, date", [(None, None), ("2026-11-23T20:55:33+02:00", "2026-11-23T18:55:33Z")]
)
def test_file_attributes(created: str | None, date: str | None) -> None:
    file = etree.fromstring(xliff.render(small_alignment(created))).find("x:file", NS)
    expected = {
        "original": "bg.txt",
        "source-language": "bg",
        "target-language": "en",
        "datatype": "plaintext",
        "tool-id": "newsalign",
    }
    if date:
        expected["date"] = date
    assert dict(file.attrib) == expected


def test_same_alignment_same_bytes() -> None:
    assert xliff.render(small_alignment()) == xliff.render(small_alignment())


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_translate_toolkit_reads_it_back(make) -> None:
    from translate.storage.xliff import xlifffile

    data = xliff.render(make())
    store = xlifffile.parsestring(data)
    assert [(u.getid().split("\x04")[-1], u.source, u.target) for u in store.units] == [
        (i, source, target) for i, _, source, target, *_ in _units(data)
    ]


def test_translate_toolkit_sees_state_and_languages() -> None:
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsestring(xliff.render(small_alignment()))
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("bg", "en")
    # 100 = translated, 80 = needs review (the partial pair, the low-confidence match), 0 = no target
    assert [u.get_state_n() for u in store.units] == [100, 80, 100, 0, 0, 80]
