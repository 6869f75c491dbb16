"""pipeline.batch.worker: what makes a pair's key change."""

from dataclasses import replace
from pathlib import Path

from pipeline.batch import worker

from support.batch import OPTIONS, make_pairs


def test_installing_a_model_redoes_the_pairs_auto_may_translate(tmp_path, monkeypatch):
    from pipeline.translate import packages

    pair = make_pairs(tmp_path / "in", {"a": ("a", "a")})[0]
    monkeypatch.setattr(packages, "installed", lambda folder=None: [])
    before = worker.pair_key(pair, replace(OPTIONS, translator="auto"))
    unaffected = worker.pair_key(pair, replace(OPTIONS, translator="none"))
    package = packages.Package(Path("x"), "bg", "en", "1.9", 1)
    monkeypatch.setattr(packages, "installed", lambda folder=None: [package])
    assert worker.pair_key(pair, replace(OPTIONS, translator="auto")) != before
    assert worker.pair_key(pair, replace(OPTIONS, translator="none")) == unaffected
