"""pipeline.story.compare and `newsalign compare`: the team's four-report story, the seeds, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from pipeline.cli import main
from pipeline.run import Options, Runner
from pipeline.story.compare import compare
from pipeline.story.model import Story
from pipeline.translate import apertium

from support import REPO, SHARED

STORY = REPO / "tests" / "fixtures" / "story"
KRESNA = [
    STORY / name
    for name in ("kresna-wire-en.txt", "kresna-bg.txt", "kresna-daily-en.txt", "kresna-local-en.txt")
]
MT = STORY / "kresna-bg.mt-en.txt"
VARNA = [STORY / "facts" / name for name in ("varna-wire-en.txt", "varna-local-en.txt")]
# tests/fixtures/story/facts/README.md: the lines that carry no claim
VARNA_NO_CLAIM = [("r1", 10, "a photo credit"), ("r2", 2, "a byline"), ("r2", 10, "a link or button")]
SEEDS = sorted((SHARED / "seeds").glob("00[0-4]_*.txt"))
HAVE_PIVOT = shutil.which("apertium") is not None and {"bul-mkd", "mkd-eng"} <= apertium.installed_modes()
CHEAP = ("--translator", "none", "--embedder", "none", "-q")

# The known claims of tests/fixtures/story (README.md there): report -> sentence ids.
KNOWN = [
    ("fire-near-kresna", {"r1": 2, "r2": 2, "r3": 2, "r4": 2}),
    ("winds-500-hectares", {"r1": 3, "r2": 4}),
    ("300-firefighters", {"r1": 4, "r2": 3, "r3": 3, "r4": 5}),
    ("e79-closed", {"r1": 5, "r2": 6}),
    ("villages-evacuated", {"r1": 6, "r2": 5, "r4": 3}),
    ("mayor-quote", {"r1": 7, "r2": 7, "r4": 7}),
    ("nobody-hurt", {"r1": 8, "r3": 4}),
    ("haskovo-last-year", {"r1": 9, "r4": 8}),
    ("only-bg-arson", {"r2": 8}),
    ("rain-wednesday", {"r2": 9, "r3": 7}),
    ("greek-plane", {"r3": 5, "r4": 6}),
    ("only-r3-houses-burned", {"r3": 6}),
    ("only-r4-help-late", {"r4": 4}),
]
# The Bulgarian report's sentences reach the others through Apertium's rough English; the link decision
# does not yet find these same-fact pairs in it (its evidence is too weak; see the README's bench rows).
MISSED_THROUGH_ROUGH_MT = {"fire-near-kresna", "winds-500-hectares", "rain-wednesday"}


@pytest.fixture(scope="module")
def kresna() -> Story:
    if not HAVE_PIVOT:
        pytest.skip("Apertium bul-mkd and mkd-eng not installed")
    return compare(KRESNA, Runner(Options(translator="apertium"))).story


@pytest.fixture(scope="module")
def kresna_translated() -> Story:
    """The team's story with the Bulgarian report's translation given (--mt), as a good MT would give it."""
    translations = {KRESNA[1]: MT}
    return compare(KRESNA, Runner(Options(translator="none")), translations=translations).story


def _claim_of(story: Story, report: str, sentence: int) -> dict[str, int]:
    claim = next(c for c in story.claims for m in c.members if m.report == report and sentence in m.sentences)
    return {m.report: s for m in claim.members for s in m.sentences}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, members",
    [
        pytest.param(*row, marks=pytest.mark.xfail(strict=True, reason="missed through rough MT"))
        if row[0] in MISSED_THROUGH_ROUGH_MT
        else row
        for row in KNOWN
    ],
    ids=[row[0] for row in KNOWN],
)
def test_known_claims_of_the_team_story(kresna: Story, name: str, members: dict[str, int]) -> None:
    report, sentence = next(iter(members.items()))
    assert _claim_of(kresna, report, sentence) == members


@pytest.mark.parametrize("name, members", KNOWN, ids=[row[0] for row in KNOWN])
def test_known_claims_of_the_team_story_with_its_translation_given(
    kresna_translated: Story, name: str, members: dict[str, int]
) -> None:
    report, sentence = next(iter(members.items()))
    assert _claim_of(kresna_translated, report, sentence) == members


@pytest.mark.slow
def test_two_newsrooms_state_a_claim_in_other_words() -> None:
    """The Varna strike: the wire's "about 1,200 workers had joined the strike over unpaid overtime" and the
    local site's "some 1,200 port employees stopped work ... demanding payment of their overtime" are one."""
    story = compare(VARNA, Runner(Options(translator="none"))).story
    members = next(
        c.members for c in story.claims for m in c.members if m.report == "r1" and 3 in m.sentences
    )
    assert [m.report for m in members] == ["r1", "r2"] and 3 in members[1].sentences
    assert all(0.5 <= m.probability <= 1.0 for m in members)
    assert [(j.report, j.sentence, j.why) for j in story.no_claim] == VARNA_NO_CLAIM


def test_lines_without_a_claim_are_in_no_claim(tmp_path: Path) -> None:
    """Every sentence is in exactly one claim or is a line that carries no claim, never both."""
    out = tmp_path / "story"
    assert main(["compare", *map(str, VARNA), "-o", str(out), *CHEAP]) == 0
    document = json.loads((out / "story.json").read_text(encoding="utf-8"))
    lines = [(j["report"], j["sentence"], j["why"]) for j in document["no_claim"]]
    assert lines == VARNA_NO_CLAIM
    held = sorted((m["report"], s) for c in document["claims"] for m in c["members"] for s in m["sentences"])
    every = sorted((r["id"], s["id"]) for r in document["reports"] for s in r["sentences"])
    assert sorted(held + [(r, s) for r, s, _ in lines]) == every


def test_translation_given_is_named_in_the_provenance(kresna_translated: Story) -> None:
    assert kresna_translated.provenance.translator == "bg kresna-bg.txt: file:kresna-bg.mt-en.txt"
    last = kresna_translated.reports[1].article.sentences[-1]
    assert last.translation == "Forecasters expect rain on Wednesday."


@pytest.mark.slow
def test_team_story_reports_and_relations(kresna: Story) -> None:
    assert [(r.id, r.article.lang, len(r.article.sentences)) for r in kresna.reports] == [
        ("r1", "en", 9),
        ("r2", "bg", 9),
        ("r3", "en", 7),
        ("r4", "en", 8),
    ]
    assert all(s.translation for s in kresna.reports[1].article.sentences)
    assert [pair.reports for pair in kresna.relations] == [
        ("r1", "r2"),
        ("r1", "r3"),
        ("r1", "r4"),
        ("r2", "r3"),
        ("r2", "r4"),
        ("r3", "r4"),
    ]
    # the kinds are the aligner's to get right (issue 8); here: every pair shares some claims, none all
    assert all(
        pair.relation.kind != "unrelated" and 0 < pair.relation.linked < 1 for pair in kresna.relations
    )


def test_cli_writes_the_three_files(tmp_path: Path, capsys) -> None:
    out = tmp_path / "story"
    assert main(["compare", *map(str, KRESNA[:3]), "-o", str(out), "--langs", "en,bg,en", *CHEAP]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["story.html", "story.json", "story.xml"]
    document = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert document["schema"] == "newsalign.story/1" and document["pivot_lang"] == "en"
    assert [(r["id"], r["lang"], Path(r["path"]).name) for r in document["reports"]] == [
        ("r1", "en", "kresna-wire-en.txt"),
        ("r2", "bg", "kresna-bg.txt"),
        ("r3", "en", "kresna-daily-en.txt"),
    ]
    held = sorted((m["report"], s) for c in document["claims"] for m in c["members"] for s in m["sentences"])
    held += [(line["report"], line["sentence"]) for line in document["no_claim"]]
    assert sorted(held) == sorted((r["id"], s["id"]) for r in document["reports"] for s in r["sentences"])
    assert [r["reports"] for r in document["relations"]] == [["r1", "r2"], ["r1", "r3"], ["r2", "r3"]]
    assert capsys.readouterr().out == ""


def test_cli_summary_names_reports_and_files(tmp_path: Path, capsys) -> None:
    assert main(["compare", str(KRESNA[0]), str(KRESNA[2]), "-o", str(tmp_path), *CHEAP[:4]]) == 0
    out = capsys.readouterr().out
    assert out.startswith("compared 2 reports: ")
    assert f"r2 kresna-daily-en: {KRESNA[2].name} (en), 7 sentences" in out
    assert f"wrote {tmp_path / 'story.html'}" in out


def test_labels_name_the_reports_everywhere(tmp_path: Path, capsys) -> None:
    """Issue 21: two reports in one language were both "en". `--labels` names them in the summary,
    story.json, story.xml and story.html; the files record each report's file name, not its absolute path."""
    argv = [
        "compare",
        str(KRESNA[0]),
        str(KRESNA[2]),
        "-o",
        str(tmp_path),
        *CHEAP[:4],
        "--labels",
        "Wire,Daily",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "  r1 Wire: kresna-wire-en.txt (en)" in out and "  Wire / Daily: " in out
    story = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    assert [(r["label"], r["path"]) for r in story["reports"]] == [
        ("Wire", "kresna-wire-en.txt"),
        ("Daily", "kresna-daily-en.txt"),
    ]
    root = etree.parse(str(tmp_path / "story.xml")).getroot()
    assert [r.get("label") for r in root.iter("report")] == ["Wire", "Daily"]
    page = html.fromstring((tmp_path / "story.html").read_bytes())
    assert [th.text for th in page.find_class("claims")[0].iter("th")][1:3] == ["Wire (en)", "Daily (en)"]
    assert str(REPO) not in (tmp_path / "story.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "labels, message",
    [
        ("A", "--labels names 1 reports, not 2"),
        ("A,A", "--labels: two reports have the same label"),
        ("A,", "--labels: a label is empty"),
    ],
)
def test_labels_are_one_per_report(tmp_path: Path, capsys, labels: str, message: str) -> None:
    argv = ["compare", str(KRESNA[0]), str(KRESNA[2]), "-o", str(tmp_path), *CHEAP, "--labels", labels]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"newsalign: error: {message}\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", str(KRESNA[0])], "newsalign: error: compare needs at least two reports\n"),
        (["compare", str(KRESNA[0]), "MISSING"], "newsalign: error: MISSING: no such file\n"),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--langs", "en"],
            "newsalign: error: --langs names 1 languages for 2 reports\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[2]), str(KRESNA[0])],
            f"newsalign: error: {KRESNA[0]}: same text as {KRESNA[0]} (the same report given twice?)\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--langs", "en,de"],
            f"newsalign: error: {KRESNA[1]}: the text looks like bg, not de (the declared report language)\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--mt", "translation.txt"],
            "newsalign: error: --mt 'translation.txt': expected REPORT=FILE\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--mt", f"OTHER={MT}"],
            "newsalign: error: --mt names OTHER, which is not one of the reports compared\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--mt", f"{KRESNA[0]}={MT}"],
            f"newsalign: error: --mt given for {KRESNA[0]}, which is already in en\n",
        ),
        (
            ["compare", str(KRESNA[0]), str(KRESNA[1]), "--mt", f"{KRESNA[1]}={KRESNA[2]}"],
            f"newsalign: error: {KRESNA[2]}: 13 lines of translation for 9 source sentences (7 of them not "
            "blank; give one line per sentence; with --presegmented the sentences are the report's lines)\n",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    assert main([*argv, "-o", str(tmp_path / "out"), *CHEAP]) == 2
    assert capsys.readouterr().err == message
    assert not (tmp_path / "out").exists()


def test_an_empty_report_is_named(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["compare", str(KRESNA[0]), str(empty), "-o", str(tmp_path / "out"), *CHEAP]) == 2
    assert capsys.readouterr().err.startswith(f"newsalign: error: {empty}: ")


def test_same_input_same_bytes(tmp_path: Path) -> None:
    for run in ("a", "b"):
        assert main(["compare", *map(str, KRESNA), "-o", str(tmp_path / run), *CHEAP]) == 0
    for name in ("story.json", "story.xml", "story.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_two_reports_score_as_align_scores_them(tmp_path: Path) -> None:
    """Issue 21, item 3: one meaning, one number. Of two reports, compare's claims carry align's scores: a
    claim both make its link's, a claim one makes its one-sided score (the probability that it has no
    counterpart), to the last digit."""
    wire, daily = KRESNA[0], KRESNA[2]
    assert (
        main(["align", str(wire), str(daily), "-o", str(tmp_path / "a"), "--translator", "none", "-q"]) == 0
    )
    assert (
        main(["compare", str(wire), str(daily), "-o", str(tmp_path / "s"), "--translator", "none", "-q"]) == 0
    )
    beads = json.loads((tmp_path / "a" / "alignment.json").read_text(encoding="utf-8"))["beads"]
    claims = json.loads((tmp_path / "s" / "story.json").read_text(encoding="utf-8"))["claims"]
    by_side = {"r1": "src", "r2": "tgt"}
    aligned = sorted(
        (tuple((side, tuple(b[side])) for side in ("src", "tgt") if b[side]), b["score"]) for b in beads
    )
    compared = sorted(
        (tuple((by_side[m["report"]], tuple(m["sentences"])) for m in c["members"]), c["score"])
        for c in claims
    )
    assert compared == aligned
    assert any(len(sides) == 1 and score < 1.0 for sides, score in aligned)  # the one-sided are weighed


@pytest.mark.slow
def test_seeds_abu_dhabi_is_not_in_afp_rt_or_reuters(tmp_path: Path) -> None:
    """BTA's claim that Nazarbayev fled to Abu Dhabi has no counterpart in AFP (r1), RT (r3), Reuters (r4)."""
    if len(SEEDS) != 5 or not HAVE_PIVOT:
        pytest.skip("the five seeds under ../shared/seeds and Apertium bul-mkd/mkd-eng are needed")
    out = tmp_path / "story"
    assert main(["compare", *map(str, SEEDS), "-o", str(out), "--langs", "en,bg,en,en,en", "-q"]) == 0
    document = json.loads((out / "story.json").read_text(encoding="utf-8"))
    bta = next(r for r in document["reports"] if r["id"] == "r2")
    abu_dhabi = next(s["id"] for s in bta["sentences"] if "Абу Даби" in s["text"] and "избягал" in s["text"])
    claim = next(
        c
        for c in document["claims"]
        for m in c["members"]
        if m["report"] == "r2" and abu_dhabi in m["sentences"]
    )
    assert len(document["claims"]) >= max(len(r["sentences"]) for r in document["reports"])
    assert {m["report"] for m in claim["members"]}.isdisjoint({"r1", "r3", "r4"}), claim


class _Counting:
    """A translator and an embedder that record what they are asked (upper-cases; hashes to vectors)."""

    name = "counting"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts):
        self.calls.append(list(texts))
        return [text.upper() for text in texts]

    def embed(self, texts):
        import numpy as np

        self.calls.append(list(texts))
        rows = np.array([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]).reshape(
            -1, 8
        )
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def test_each_report_translated_once_and_embedded_in_one_batch(tmp_path: Path, monkeypatch) -> None:
    from pipeline import run
    from pipeline.translate.translator import Choice

    second_bg = tmp_path / "bg2.txt"
    second_bg.write_text(
        "Пожарникарите се борят с огъня край Кресна.\n\nСелата Влахи и Ощава са евакуирани.\n",
        encoding="utf-8",
    )
    translator, embedder = _Counting(), _Counting()
    monkeypatch.setattr(run, "choose", lambda *args, **kwargs: Choice(translator))
    monkeypatch.setattr(run, "load_embedder", lambda name: (embedder, None))
    story = compare([KRESNA[0], KRESNA[1], second_bg], Runner(Options()), langs=["en", "bg", "bg"]).story
    assert sorted(map(len, translator.calls)) == [2, 9]  # once per Bulgarian report
    texts = [t for r in story.reports for s in r.article.sentences for t in (s.text, s.translation) if t]
    assert sorted(embedder.calls[0]) == sorted(texts)  # everything in the first call, each text once
    assert story.reports[2].article.sentences[1].translation == "СЕЛАТА ВЛАХИ И ОЩАВА СА ЕВАКУИРАНИ."


def test_cli_takes_a_translation_given_for_one_report(tmp_path: Path) -> None:
    argv = ["compare", *map(str, KRESNA), "--mt", f"{KRESNA[1]}={MT}", "-o", str(tmp_path), "-q"]
    assert main([*argv, "--embedder", "none"]) == 0
    story = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    assert story["provenance"]["translator"] == "bg kresna-bg.txt: file:kresna-bg.mt-en.txt"
