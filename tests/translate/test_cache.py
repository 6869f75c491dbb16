"""pipeline.translate.cache: hits and misses, persistence, damaged files, several processes at once."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from pipeline.translate import cache as cache_module
from pipeline.translate.cache import FILENAME, CachedTranslator, TranslationCache, cache_dir, cached


class Upper:
    """A fake translator that counts what it is asked."""

    name = "upper"
    model_id = "upper/v1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        return [t.upper() for t in texts]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / FILENAME


def test_get_and_put(path: Path) -> None:
    cache = TranslationCache(path)
    assert cache.get("m", ["a", "b"]) == {}
    cache.put("m", [("a", "A"), ("b", "B")])
    cache.put("other", [("a", "not A")])
    assert cache.get("m", ["a", "b", "c"]) == {"a": "A", "b": "B"}
    assert cache.get("other", ["a", "b"]) == {"a": "not A"}
    assert cache.get("m", []) == {}


def test_many_texts_cross_query_batches(path: Path) -> None:
    cache = TranslationCache(path)
    texts = [f"sentence {i}" for i in range(1234)]
    cache.put("m", [(t, t[::-1]) for t in texts])
    assert cache.get("m", texts) == {t: t[::-1] for t in texts}


def test_second_run_makes_no_model_call(path: Path) -> None:
    first = Upper()
    texts = ["Да.", "", "Не.", "Да.", "  "]
    assert CachedTranslator(first, TranslationCache(path)).translate(texts) == ["ДА.", "", "НЕ.", "ДА.", ""]
    assert first.calls == [["Да.", "Не."]]
    second = Upper()  # a new process: new translator, new connection, same file
    assert CachedTranslator(second, TranslationCache(path)).translate(texts) == ["ДА.", "", "НЕ.", "ДА.", ""]
    assert second.calls == []


def test_only_misses_reach_the_model(path: Path) -> None:
    inner = Upper()
    translator = CachedTranslator(inner, TranslationCache(path))
    translator.translate(["a", "b"])
    assert translator.translate(["b", "c", "a", "d"]) == ["B", "C", "A", "D"]
    assert inner.calls == [["a", "b"], ["c", "d"]]
    assert translator.name == "upper"


def _damage_pages(path: Path) -> None:
    """A real cache file whose table pages are overwritten with junk (header left intact)."""
    cache = TranslationCache(path)
    cache.put("m", [(f"text {i}" * 20, "x" * 200) for i in range(300)])
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))


DAMAGE = {
    "random-bytes": lambda p: p.write_bytes(b"this is not a database at all" * 100),
    "empty-header": lambda p: p.write_bytes(b"\x00" * 8192),
    "damaged-pages": _damage_pages,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_file_is_rebuilt(path: Path, damage, capsys: pytest.CaptureFixture[str]) -> None:
    path.parent.mkdir(parents=True)
    damage(path)
    inner = Upper()
    translator = CachedTranslator(inner, TranslationCache(path))
    assert translator.translate(["a", "b"]) == ["A", "B"]
    (note,) = translator.take_notes()
    assert note.startswith(f"translation cache {path} was damaged") and note.endswith("; starting a new one")
    assert translator.take_notes() == () and capsys.readouterr() == ("", "")  # returned once, never printed
    assert CachedTranslator(Upper(), TranslationCache(path)).translate(["a"]) == ["A"]
    assert TranslationCache(path).get("upper/v1", ["a", "b"]) == {"a": "A", "b": "B"}


def test_unusable_location_translates_without_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    inner = Upper()
    translator = CachedTranslator(inner, TranslationCache(blocker / FILENAME))
    assert translator.translate(["a"]) == ["A"]
    assert translator.translate(["a"]) == ["A"]
    assert inner.calls == [["a"], ["a"]]
    (note,) = translator.take_notes()
    assert note.startswith(f"translation cache {blocker / FILENAME} unusable") and note.endswith(
        "translating without it"
    )
    assert capsys.readouterr() == ("", "")


def _worker(args: tuple[str, int]) -> dict[str, str]:
    path, worker = args
    cache = TranslationCache(Path(path))
    texts = [f"shared {i}" for i in range(150)] + [f"own {worker} {i}" for i in range(150)]
    for start in range(0, len(texts), 30):
        part = texts[start : start + 30]
        cache.put("m", [(t, t.upper()) for t in part])
        cache.get("m", texts)
    return cache.get("m", texts)


def test_several_processes_share_one_file(path: Path) -> None:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        results = list(pool.map(_worker, [(str(path), w) for w in range(4)]))
    for worker, result in enumerate(results):
        assert len(result) == 300 and result[f"own {worker} 7"] == f"OWN {worker} 7"
    everything = TranslationCache(path).get("m", [f"own {w} {i}" for w in range(4) for i in range(150)])
    assert len(everything) == 600


@pytest.mark.parametrize(
    "value, expected",
    [
        ("off", None),
        ("OFF", None),
        ("/some/where", Path("/some/where")),
        ("", Path.home() / ".cache" / "newsalign"),
    ],
)
def test_cache_dir(monkeypatch: pytest.MonkeyPatch, value: str, expected: Path | None) -> None:
    monkeypatch.setenv("NEWSALIGN_CACHE", value)
    assert cache_dir() == expected


def test_cached_is_a_no_op_when_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inner = Upper()
    monkeypatch.setenv("NEWSALIGN_CACHE", "off")
    assert cached(inner) is inner
    monkeypatch.setenv("NEWSALIGN_CACHE", str(tmp_path))
    wrapped = cached(inner)
    assert isinstance(wrapped, CachedTranslator) and wrapped.cache.path == tmp_path / FILENAME


def _child(cache: TranslationCache, worker: int) -> None:
    cache.put("m", [(f"child {worker}", "C")])
    if cache.get("m", ["parent", f"child {worker}"]) != {"parent": "P", f"child {worker}": "C"}:
        raise SystemExit(3)
    if cache._pid != os.getpid():  # still on the connection it inherited
        raise SystemExit(4)


def test_forked_workers_do_not_use_the_parents_connection(path: Path) -> None:
    cache = TranslationCache(path)
    cache.put("m", [("parent", "P")])  # the parent's connection is open when the workers fork
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_child, args=(cache, w)) for w in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert cache.get("m", ["parent", "child 0", "child 1", "child 2"]) == {
        "parent": "P",
        "child 0": "C",
        "child 1": "C",
        "child 2": "C",
    }


def _locked_first(cache: TranslationCache, times: int):
    """cache._connect that says "database is locked" `times` times, then connects."""
    connect, calls = cache._connect, []

    def flaky():
        calls.append(1)
        if len(calls) <= times:
            raise sqlite3.OperationalError("database is locked")
        return connect()

    return flaky


def test_a_busy_moment_is_waited_out(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = TranslationCache(path)
    cache.put("m", [("a", "A")])
    waits: list[float] = []
    monkeypatch.setattr(cache_module.time, "sleep", waits.append)
    monkeypatch.setattr(cache, "_connect", _locked_first(cache, 2))
    assert cache.get("m", ["a"]) == {"a": "A"}
    assert waits == [cache_module.BUSY_FIRST_WAIT, 2 * cache_module.BUSY_FIRST_WAIT]
    assert cache.pending_notes == []


def test_a_database_locked_for_good_turns_the_cache_off(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = TranslationCache(path)
    monkeypatch.setattr(cache_module.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(cache, "_connect", _locked_first(cache, 1000))
    assert cache.get("m", ["a"]) == {}
    (note,) = cache.pending_notes
    assert note == f"translation cache {path} unusable (database is locked); translating without it"
