"""The real client: OmegaT 3.6 (Debian) run headless fills a project's target from our TMX in tm/auto."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.model import Alignment, Kind
from pipeline.outputs import tmx

from support import OMEGAT_JAR
from support.alignments import small_alignment

pytestmark = pytest.mark.slow

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>BG</source_lang>
    <target_lang>EN-GB</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneBulgarianTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""
FAILURES = ("TF_TM_LOAD_ERROR", "TMXR_WARNING", "TMXR_ERROR", "Exception")


def _project(root: Path, alignment: Alignment) -> Path:
    """An OmegaT project with the source sentences (one paragraph each) in source/ and our TMX in tm/auto/."""
    project = root / "project"
    for folder in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (project / "source" / "article.txt").write_text(_paragraphs(alignment.source.texts()), encoding="utf-8")
    (project / "tm" / "auto" / "alignment.tmx").write_bytes(tmx.render(alignment))
    return project


def _paragraphs(texts: list[str]) -> str:
    return "\n\n".join(texts) + "\n"


# Where OmegaT's default SRX rules break: end punctuation, closing quotes, space, then no lower-case letter.
SRX_BREAK = re.compile(r"[.?!]+[\"'»”“’)]*\s+(?![a-zа-яё])\S")


def _allowed(alignment: Alignment) -> list[set[str]]:
    """Per source sentence, what OmegaT may write for it.

    A sentence matched alone (1-1, also 1-2...) must come out as its English counterpart: our TMX holds
    it exactly. A partial pair is not in the TMX (`--tmx-links match`, the default): its sentence stays.
    When OmegaT's rules cut it in two (our segmenter kept a quote of two sentences whole),
    no OmegaT segment equals our seg and the sentence may stay. A source side of two sentences or more
    is one seg that OmegaT's sentence segments never equal: those sentences stay.
    """
    allowed = [{text} for text in alignment.source.texts()]
    for bead in alignment.beads:
        if len(bead.src) == 1 and bead.tgt and bead.kind is Kind.MATCH:
            text = alignment.source_sentences(bead)[0].text
            english = " ".join(s.text for s in alignment.target_sentences(bead))
            allowed[bead.src[0] - 1] = {english, text} if SRX_BREAK.search(text) else {english}
    return allowed


def _translate(project: Path, config: Path) -> str:
    command = [
        "java",
        "-Djava.awt.headless=true",
        "-jar",
        str(OMEGAT_JAR),
        str(project),
        "--mode=console-translate",
        f"--config-dir={config}",
        "--disable-project-locking",
        "--no-team",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


needs_omegat = pytest.mark.skipif(
    not OMEGAT_JAR.exists() or shutil.which("java") is None,
    reason="OmegaT (Debian package omegat) or java not installed",
)


@needs_omegat
def test_omegat_translates_every_sentence_aligned_alone_from_our_tmx(tmp_path: Path) -> None:
    _check(tmp_path, small_alignment())


@needs_omegat
def test_omegat_on_the_seed_pair(tmp_path: Path, seed_alignment: Alignment) -> None:
    _check(tmp_path, seed_alignment)


def _check(tmp_path: Path, alignment: Alignment) -> None:
    project = _project(tmp_path, alignment)
    log = _translate(project, tmp_path / "config")
    assert "Reading of TMX file complete" in log, log[-3000:]
    assert [line for line in log.splitlines() if any(f in line for f in FAILURES)] == []
    written = (project / "target" / "article.txt").read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    allowed = _allowed(alignment)
    assert len(written) == len(allowed)
    assert [(i, text) for i, (text, ok) in enumerate(zip(written, allowed), start=1) if text not in ok] == []
    must_translate = [
        ok for ok, text in zip(allowed, alignment.source.texts()) if ok != {text} and len(ok) == 1
    ]
    assert must_translate, "nothing to check: no sentence aligned alone"
