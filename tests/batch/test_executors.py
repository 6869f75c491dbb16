"""pipeline.batch.executors: worker processes and Dask give the bytes one process gives."""

import os

import pytest

from pipeline.batch import executors, worker
from pipeline.batch.jobs import run_batch
from pipeline.batch.outcome import Status
from pipeline.errors import UsageError

from support.batch import CONTENTS, OPTIONS, FakeRunner, events_of, make_pairs, run_fake, tree


@pytest.mark.slow
def test_two_worker_processes_give_the_same_bytes_with_one_runner_each(tmp_path, monkeypatch):
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    run_fake(pairs, tmp_path / "one")
    monkeypatch.setenv("NEWSALIGN_TEST_LOG", str(tmp_path / "log"))
    monkeypatch.setattr(worker, "_RUNNERS", {})  # this process built one above; workers start without
    result = run_fake(pairs, tmp_path / "two", jobs=2)
    assert result.failed == 3
    assert tree(tmp_path / "two") == tree(tmp_path / "one")
    events = events_of(tmp_path / "log")
    assert len(events["made"]) == len(set(events["made"])) == 2  # each worker built its runner once, at start
    assert len(events["ran"]) == 6 and set(events["ran"]) <= set(events["made"])


@pytest.mark.slow
def test_a_pair_that_kills_its_worker_fails_alone(tmp_path):
    contents = {f"p{i}": ("a b", "a b") for i in range(6)}
    contents["p2"] = ("DIE", "a")
    result = run_fake(make_pairs(tmp_path / "in", contents), tmp_path / "out", jobs=2)
    assert [(o.pair_id, o.status, o.error_type) for o in result.outcomes] == [
        (f"p{i}", Status.FAILED, "WorkerDied") if i == 2 else (f"p{i}", Status.DONE, None) for i in range(6)
    ]


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_bytes_with_one_runner_per_worker(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    pairs = make_pairs(tmp_path / "in", CONTENTS)
    run_fake(pairs, tmp_path / "local")
    monkeypatch.setenv("NEWSALIGN_TEST_LOG", str(tmp_path / "log"))
    monkeypatch.setattr(worker, "_RUNNERS", {})  # this process built one above; workers start without
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None, scheduler_port=0
    ) as cluster:
        result = run_fake(pairs, tmp_path / "dask", dask_address=cluster.scheduler_address)
    assert result.failed == 3
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")
    assert events_of(tmp_path / "log") == {"made": [str(os.getpid())], "ran": [str(os.getpid())] * 6}


@pytest.mark.slow
def test_unreachable_dask_scheduler_is_a_usage_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_TIMEOUT", "0.5s")
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch(
            make_pairs(tmp_path, {"a": ("a", "a")}),
            OPTIONS,
            tmp_path / "out",
            factory=FakeRunner,
            progress=False,
            dask_address="tcp://127.0.0.1:9",
        )
