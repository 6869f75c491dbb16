import json

from pipeline.model import SCHEMA
from pipeline.outputs import alignment_json

from support.alignments import small_alignment


def test_render_follows_the_design_schema():
    document = json.loads(alignment_json.render(small_alignment()))
    assert list(document) == ["schema", "source", "target", "beads", "provenance"]
    assert document["schema"] == SCHEMA
    assert document["source"]["sentences"][0] == {
        "id": 1,
        "text": "Протестите в Алмати продължиха и в петък.",
        "translation": "Protests in Almaty continued on Friday.",
        "paragraph": 1,
    }
    assert document["target"]["sentences"][3] == {
        "id": 4,
        "text": "The measures had no effect.",
        "paragraph": 2,
    }
    assert document["beads"][3] == {"src": [5], "tgt": [], "kind": "addition", "score": 0.12}
    assert document["beads"][1]["diff"] == {
        "source": [[25, 27]],
        "translation": [[29, 33]],
        "target": [[41, 60]],
    }
    assert document["provenance"]["translator"] == "argos:translate-bg_en-1_9"


def test_every_sentence_in_exactly_one_bead():
    document = json.loads(alignment_json.render(small_alignment()))
    for side, key in (("source", "src"), ("target", "tgt")):
        ids = sorted(i for bead in document["beads"] for i in bead[key])
        assert ids == [s["id"] for s in document[side]["sentences"]]


def test_round_trip():
    alignment = small_alignment(created="2024-01-01T00:00:00Z")
    assert alignment_json.parse(alignment_json.render(alignment)) == alignment


def test_same_input_same_bytes():
    assert alignment_json.render(small_alignment()) == alignment_json.render(small_alignment())


def test_parse_refuses_other_documents():
    import pytest

    with pytest.raises(ValueError, match="not a newsalign.alignment/1 document"):
        alignment_json.parse(b'{"schema": "other"}')


def test_relation_is_written_after_the_schema_and_read_back():
    from dataclasses import replace

    from pipeline.model import Relation

    from support.alignments import small_alignment

    alignment = replace(small_alignment(), relation=Relation("adaptation", 0.62, 0.97))
    data = alignment_json.render(alignment)
    document = json.loads(data)
    assert list(document)[:2] == ["schema", "relation"]
    assert document["relation"] == {"kind": "adaptation", "linked": 0.62, "score": 0.97}
    assert alignment_json.parse(data) == alignment
