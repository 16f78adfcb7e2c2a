"""The SQLite backend: one file per store, the default (a laptop per venue needs no server).

Durability: WAL journal; ``synchronous=FULL`` by default, so an acknowledged action survives a
power cut, not just a crashed process (a human clicks a few times a minute; 0.3 ms is nothing).
Where a file may live and how it is opened (read-only places, pipes refused) is
:mod:`engine.store.place`; the file's schema history is :mod:`engine.store.migrations`. A file
that is not ours is reported, never replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from engine.store import base as registry
from engine.store.base import APP_ID, Store, identify
from engine.store.errors import StoreError
from engine.store.migrations import MIGRATIONS
from engine.store.place import BUSY_TIMEOUT, Place, connect, examine, explain
from engine.store.sql import Sql


class SqliteStore(Store):
    """A store file. Use one per thread; SQLite serialises writers across processes."""

    def __init__(
        self, target: str | Path, synchronous: str = "FULL", readonly: bool = False, upgrade: bool = True
    ) -> None:
        self.path = Path(target)
        self.target = self.label = str(self.path)
        if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.synchronous = synchronous.upper()
        self._numbers = {}
        place = examine(self.path)
        if readonly and not place.readonly:
            if not place.exists:
                raise StoreError(f"数据库 {self.path} 不存在；请用 --db 指定已有的数据库文件")
            place = replace(place, readonly="file")
        self.place: Place = place
        self.readonly = bool(place.readonly)
        conn: sqlite3.Connection | None = None
        try:
            conn = self._connect()
            self.conn = conn
            self.sql = conn
            self.db = sqlite_utils.Database(conn)
            self.version = identify(
                set(self.db.table_names()), self._meta, str(self.path), "SQLite 数据库", "文件"
            )
            if not self.readonly and self.db.journal_mode != "wal":
                self._enable_wal(conn)
            if upgrade:
                self._migrate()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(explain(self.place, exc)) from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        conn = connect(self.place)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        conn.execute(f"PRAGMA synchronous = {self.synchronous}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def open_writer(self) -> Store:
        """A second connection to this file, for the thread that calls this (a group committer's
        own: a connection stays in the thread that made it)."""
        other = object.__new__(SqliteStore)
        other.__dict__.update(self.__dict__)
        other._numbers = {}
        try:
            other.conn = other.sql = other._connect()
        except sqlite3.Error as exc:
            raise StoreError(explain(self.place, exc)) from None
        other.db = sqlite_utils.Database(other.conn)
        return other

    def _meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.db.table("meta").rows}

    # --- opening -----------------------------------------------------------------------

    def _version(self) -> int:
        if "meta" not in self.db.table_names():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        # Two teams creating the same new file at once: the journal-mode switch needs the file to
        # itself, and SQLite does not always call the busy handler for it; retry for a while.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self) -> None:
        target = registry.SCHEMA_VERSION  # read at call time: tests add a version
        if self._version() == target:
            return
        if self.readonly:
            raise StoreError(f"{self.place.refusal()}（这个文件需要先升级数据格式才能读取）")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # read again under the write lock: another process may have migrated meanwhile
            current = self._version()
            if "meta" not in self.db.table_names():
                self.db.table("meta").create({"key": str, "value": str}, pk="key")
                conn.execute("INSERT INTO meta (key, value) VALUES ('app', ?)", (APP_ID,))
            for version in range(current + 1, target + 1):
                MIGRATIONS[version](self.db)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(target),),
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self.version = target

    # --- the backend's part of the shared Store ------------------------------------------

    def _explain(self, exc: Exception) -> str:
        assert isinstance(exc, sqlite3.Error)
        return explain(self.place, exc)

    def _errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def _refusal(self) -> str:
        return self.place.refusal()

    def _transaction(self, serial: bool = True) -> AbstractContextManager[Sql]:
        return self._begin()  # every SQLite write transaction is serial (BEGIN IMMEDIATE)

    @contextmanager
    def _begin(self) -> Iterator[Sql]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (e.g. disk full); a second ROLLBACK would
            # replace the real reason with "no transaction is active"
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
