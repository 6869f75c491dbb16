"""Every setting that shapes a result lives in its stage's frozen settings object, and the provenance of
`align` and `compare` records each of them, by the name and with the value the run used."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

import pytest

from pipeline.align.settings import ALIGN
from pipeline.differences.settings import DIFFERENCES
from pipeline.facts.settings import FACTS
from pipeline.ingest.settings import INGEST
from pipeline.model import settings_record
from pipeline.run import Options, Runner
from pipeline.story.compare import compare
from pipeline.story.settings import STORY

from support import REPO

STAGES = ("ingest", "align", "differences", "story", "facts")
# Module constants that are numbers but no setting: they refuse an input or split the work, and never
# change a result (the test below finds any other).
NOT_SETTINGS = {
    "pipeline/ingest/read.py": {"MAX_BYTES", "MAX_CHARS"},
    "pipeline/ingest/segment.py": {"_WINDOW"},
    "pipeline/facts/minilm.py": {"BATCH"},  # sentences per forward pass: splits the work
    "pipeline/align/e5file.py": {"BLOCK"},  # the model file's format: 4-bit weights in blocks of 32
}


def _numeric_constants(path: Path) -> set[str]:
    """Names bound at module level to a number or a tuple of numbers, as a setting is written (literals and
    arithmetic on them: 16 * 1024 * 1024)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        if _constant(value) and _numeric(eval(compile(ast.Expression(value), str(path), "eval"), {}, {})):
            found.add(name)
    return found


def _constant(node: ast.expr) -> bool:
    """Whether the expression holds nothing but literals and arithmetic (safe to evaluate)."""
    allowed = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Tuple, ast.operator, ast.unaryop, ast.Load)
    return all(isinstance(n, allowed) for n in ast.walk(node))


def _numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, tuple):
        return bool(value) and all(_numeric(v) for v in value)
    return isinstance(value, (int, float))


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_module_keeps_a_setting_of_its_own(stage):
    for path in sorted((REPO / "pipeline" / stage).glob("*.py")):
        if path.name == "settings.py":
            continue
        relative = str(path.relative_to(REPO))
        assert _numeric_constants(path) == NOT_SETTINGS.get(relative, set()), relative


def _expected(stages: dict[str, object]) -> set[str]:
    names = set()
    for stage, settings in stages.items():
        for f in fields(settings):  # type: ignore[arg-type]
            value = getattr(settings, f.name)
            named = (
                isinstance(value, tuple)
                and value
                and all(isinstance(v, tuple) and isinstance(v[0], str) for v in value)
            )
            names |= {f"{stage}.{f.name}.{k}" for k, _ in value} if named else {f"{stage}.{f.name}"}
    return names


def test_settings_record_names_every_field_once_with_its_value():
    record = settings_record({"align": ALIGN})
    names = [name for name, _ in record]
    assert len(names) == len(set(names)) and set(names) == _expected({"align": ALIGN})
    values = dict(record)
    assert values["align.skip_cost_parallel"] == ALIGN.skip_cost_parallel
    assert values["align.shapes"][:2] == [[1, 0], [1, 1]]  # tuples as JSON lists
    assert values["align.link_model.bias"] == dict(ALIGN.link_model)["bias"]
    assert values["align.null_prior.embedding"] == list(dict(ALIGN.null_prior)["embedding"])


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    source, target = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text("The mayor opened a bridge.\n\nIt cost ten million.\n", encoding="utf-8")
    target.write_text("A bridge was opened by the mayor.\n\nRain fell all day.\n", encoding="utf-8")
    return source, target


def test_align_records_every_setting_of_its_stages(tmp_path):
    runner = Runner(Options(source_lang="en", target_lang="en", translator="none", embedder="none"))
    provenance = runner.run(*_pair(tmp_path)).alignment.provenance
    stages = {"ingest": INGEST, "align": ALIGN, "facts": FACTS, "differences": DIFFERENCES}
    assert {name for name, _ in provenance.thresholds} == _expected(stages)
    assert provenance.thresholds == settings_record(stages)


def test_compare_records_every_setting_of_its_stages(tmp_path):
    runner = Runner(Options(translator="none", embedder="none"))
    story = compare(list(_pair(tmp_path)), runner, langs=["en", "en"]).story
    stages = {"ingest": INGEST, "align": ALIGN, "facts": FACTS, "story": STORY}
    assert {name for name, _ in story.provenance.thresholds} == _expected(stages)
