"""(model id, source text) in, a translation made earlier out: an on-disk SQLite cache shared by processes.

Lives in $NEWSALIGN_CACHE (a folder; "off" turns caching off) or
~/.cache/newsalign. SQLite in WAL mode lets `batch --jobs N` workers read and
write at once. A damaged cache file is deleted and started afresh; any other
cache failure only costs speed, never the translation (a note the run returns).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.translate.interface import Translator

FILENAME = "translations.sqlite3"
SCHEMA_VERSION = 1
BATCH = 500  # rows per SELECT ... IN (...)
CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
# SQLite answers "database is locked" at once, without waiting out the connection's timeout, in a few
# cases (a reader meeting another process's WAL recovery, the switch to WAL mode): seen under load with
# four processes on one file. Such a moment passes: try again after 0.05, 0.1, 0.2 ... s before giving up.
BUSY_RETRIES = 6
BUSY_FIRST_WAIT = 0.05
# connections a forked process got from its parent (SQLite forbids using them)
_INHERITED: list[sqlite3.Connection] = []


def cache_dir() -> Path | None:
    """Where the cache lives, or None when NEWSALIGN_CACHE=off."""
    configured = os.environ.get("NEWSALIGN_CACHE", "")
    if configured.lower() in ("off", "0", "none"):
        return None
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "newsalign"


class TranslationCache:
    """Translations by (model id, source text); every method degrades to a miss instead of failing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._pid = os.getpid()
        self._broken = False
        # what went wrong with the file, said once each; CachedTranslator hands it on
        self.pending_notes: list[str] = []

    def get(self, model: str, texts: Sequence[str]) -> dict[str, str]:
        """The cached translations among `texts`, keyed by source text."""
        found: dict[str, str] = {}
        for start in range(0, len(texts), BATCH):
            part = list(texts[start : start + BATCH])
            placeholders = ",".join("?" * len(part))
            rows = self._query(
                "SELECT source, translation FROM translations "
                f"WHERE model = ? AND source IN ({placeholders})",
                [model, *part],
            )
            found.update(rows)
        return found

    def put(self, model: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(model, source, translation) for source, translation in pairs]
        if rows:
            self._write(
                "INSERT OR REPLACE INTO translations (model, source, translation) VALUES (?, ?, ?)", rows
            )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- the SQLite file, rebuilt when damaged -------------------------------------------------

    def _query(self, sql: str, args: list[str]) -> list[tuple[str, str]]:
        return self._attempt(lambda db: db.execute(sql, args).fetchall(), [])

    def _write(self, sql: str, rows: list[tuple[str, str, str]]) -> None:
        def write(db: sqlite3.Connection) -> None:
            with _transaction(db):
                db.executemany(sql, rows)

        self._attempt(write, None)

    def _attempt(self, action, fallback):
        """Run `action` on the database; a damaged file is rebuilt once, a busy one waited for a little,
        other failures turn the cache off."""
        rebuilt, waits = False, 0
        while not self._broken:
            try:
                return action(self._connect())
            except (sqlite3.Error, OSError) as error:
                if not rebuilt and isinstance(error, sqlite3.Error) and _is_damage(error):
                    self._rebuild(error)
                    rebuilt = True
                elif waits < BUSY_RETRIES and isinstance(error, sqlite3.Error) and _is_busy(error):
                    time.sleep(BUSY_FIRST_WAIT * 2**waits)
                    waits += 1
                else:
                    self._give_up(error)
        return fallback

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None and self._pid != os.getpid():
            _INHERITED.append(self._db)  # a forked worker: never use (or close) the parent's connection
            self._db = None
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            try:
                _prepare(db)
            except sqlite3.Error:
                db.close()
                raise
            self._db, self._inode, self._pid = db, self.path.stat().st_ino, os.getpid()
        return self._db

    def _rebuild(self, error: sqlite3.Error) -> None:
        """Delete the damaged file (unless another process already replaced it) and start afresh."""
        self.close()
        try:
            if self._inode is None or self.path.stat().st_ino == self._inode:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass
        self._inode = None
        self.pending_notes.append(f"translation cache {self.path} was damaged ({error}); starting a new one")

    def _give_up(self, error: Exception) -> None:
        """Translate without the cache from now on (say so once)."""
        self.close()
        self._broken = True
        self.pending_notes.append(f"translation cache {self.path} unusable ({error}); translating without it")


def _is_busy(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "")  # Python >= 3.11
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(error)


def _is_damage(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", "")  # Python >= 3.11
    return name in CORRUPT or any(m in str(error) for m in ("malformed", "not a database"))


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): one writer at a time, others wait for the lock."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.db.execute("COMMIT")
            return
        with contextlib.suppress(sqlite3.Error):  # the original error says more
            self.db.execute("ROLLBACK")


def _prepare(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version == SCHEMA_VERSION:
        return
    with _transaction(db):
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version == SCHEMA_VERSION:  # another process made it meanwhile
            return
        db.execute("DROP TABLE IF EXISTS translations")
        db.execute(
            "CREATE TABLE translations (model TEXT NOT NULL, source TEXT NOT NULL, "
            "translation TEXT NOT NULL, PRIMARY KEY (model, source)) WITHOUT ROWID"
        )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class CachedTranslator:
    """A translator that asks the cache first and the model only for what the cache lacks."""

    def __init__(self, inner: Translator, cache: TranslationCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.model_id = getattr(inner, "model_id", inner.name)

    def translate(self, texts: Sequence[str]) -> list[str]:
        wanted = list(dict.fromkeys(t for t in texts if t.strip()))
        found = self.cache.get(self.model_id, wanted)
        missing = [t for t in wanted if t not in found]
        if missing:
            fresh = dict(zip(missing, self.inner.translate(missing)))
            self.cache.put(self.model_id, fresh.items())
            found.update(fresh)
        return [found.get(t, "") for t in texts]

    def take_notes(self) -> tuple[str, ...]:
        """The cache's notes since the last call (each once)."""
        notes, self.cache.pending_notes[:] = tuple(self.cache.pending_notes), []
        return notes


def cached(translator: Translator) -> Translator:
    """`translator` behind the on-disk cache (unchanged when caching is off)."""
    folder = cache_dir()
    if folder is None:
        return translator
    return CachedTranslator(translator, TranslationCache(folder / FILENAME))
