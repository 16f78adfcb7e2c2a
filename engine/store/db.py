"""The local session store: one SQLite file, an append-only log of steps per session.

    StoreError(Exception)      -- the file cannot be used; the message says why and what to do.
      StoreConflict            -- another writer appended to the same session first.
      SessionIdTaken           -- a new session's id is already taken (the caller retries).

The step row's layout is in :mod:`engine.store.steps`, the migration history in
:mod:`engine.store.migrations`, the reports' reads in :mod:`engine.store.queries` and the roster
in :mod:`engine.store.members`.

A *step* is one acknowledged action (see :mod:`engine.store.steps` for its row). One row per
action keeps the hot path one INSERT, a single statement and so its own atomic transaction:
about the cost of a bare one-row commit (see bench/). The session list reads its summary from
each session's last step, so nothing else is updated per action. The schema and its upgrades
are :mod:`engine.store.migrations`; where a file may live and how it is opened (read-only
places, pipes refused) is :mod:`engine.store.place`.

Durability: WAL journal; ``synchronous=FULL`` by default, so an acknowledged action survives a
power cut, not just a crashed process (a human clicks a few times a minute; 0.3 ms is nothing).
A file that is not ours is reported, never replaced.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from engine.rules.state import Event, State
from engine.store.errors import SessionIdTaken, StoreConflict, StoreError
from engine.store.members import MemberTables
from engine.store.migrations import MIGRATIONS, migration
from engine.store.place import BUSY_TIMEOUT, Place, connect, examine, explain
from engine.store.queries import LogReads
from engine.store.steps import (
    INSERT_STEP,
    OF_SESSION,
    SEQ_BITS,
    StoredStep,
    events_of_steps,
    step_row,
    steps_of_rows,
)

__all__ = [
    "BUSY_TIMEOUT",
    "ENV_DB",
    "MIGRATIONS",
    "OF_SESSION",
    "SCHEMA_VERSION",
    "SEQ_BITS",
    "SessionIdTaken",
    "SessionRow",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoredStep",
    "default_db_path",
    "events_of_steps",
    "identify",
    "migration",
]

SCHEMA_VERSION = 4
APP_ID = "qingjing"
ENV_DB = "QINGJING_DB"
# The session list: fixed facts from `sessions`, the rest from each session's last step.
_SESSION_ROWS = (
    "SELECT s.id, s.scenario_hash, s.scenario_id, s.scenario_title, s.scenario_path, s.team,"
    " coalesce(last.status, 'new'), coalesce(last.score, 0), last.ending, s.started_at,"
    " coalesce(last.at, s.started_at), CASE WHEN last.status IN ('ended', 'stuck', 'abandoned') THEN last.at END,"
    " coalesce(last.upto, 0), s.rules_version, coalesce(s.app_version, '')"
    " FROM sessions s LEFT JOIN steps last ON last.key = (SELECT max(st.key) FROM steps st WHERE "
    + OF_SESSION
    + ")"
)


def default_db_path() -> Path:
    """``$QINGJING_DB`` if set, else ``qingjing.db`` in the user's data directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("qingjing", appauthor=False)) / "qingjing.db"


@dataclass(frozen=True)
class SessionRow:
    id: str
    scenario_hash: str
    scenario_id: str
    scenario_title: str
    scenario_path: str
    team: str
    status: str
    score: int
    ending: str | None
    started_at: float
    updated_at: float
    ended_at: float | None
    events: int
    rules_version: int | None = None  # the rules that decided the log; None: before v3 recorded it
    app_version: str = ""  # the program that started the session ("" before v3)

    @property
    def duration(self) -> float:
        return max(0.0, (self.ended_at or self.updated_at) - self.started_at)


def identify(db: sqlite_utils.Database, path: Path) -> int:
    """The file's schema version (0: empty); StoreError if it is someone else's or too new."""
    tables = set(db.table_names())
    if not tables:
        return 0
    if "meta" not in tables:
        raise StoreError(
            f"{path} 是别的程序的 SQLite 数据库（没有 Qingjing 的 meta 表）；"
            "Qingjing 不会改动它。请用 --db 指定另一个文件"
        )
    meta = {r["key"]: r["value"] for r in db.table("meta").rows}
    if meta.get("app") != APP_ID:
        raise StoreError(f"{path} 不是 Qingjing 的数据库；请用 --db 指定另一个文件")
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} 由更新版本的 Qingjing 创建（数据格式 v{version}，本程序支持到 v{SCHEMA_VERSION}）；"
            "请升级 Qingjing"
        )
    return version


class Store(LogReads, MemberTables):
    """An opened store file. Use one per process; SQLite serialises writers across processes.

    ``readonly=True`` opens it for reading only, even where it could be written (a read-only
    place is always opened so); ``upgrade=False`` leaves an older file's schema as it is (only
    :mod:`engine.store.backup` needs that: it copies a file without touching it).
    """

    def __init__(
        self, path: str | Path, synchronous: str = "FULL", readonly: bool = False, upgrade: bool = True
    ) -> None:
        self.path = Path(path)
        if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.synchronous = synchronous.upper()
        self._numbers: dict[str, int] = {}  # session id -> number, the high bits of its steps' keys
        place = examine(self.path)
        if readonly and not place.readonly:
            if not place.exists:
                raise StoreError(f"数据库 {self.path} 不存在；请用 --db 指定已有的数据库文件")
            place = replace(place, readonly="file")
        self.place: Place = place
        self.readonly = bool(place.readonly)
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(place)
            self.conn = conn
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self.db = sqlite_utils.Database(conn)
            self.version = identify(self.db, self.path)
            if not self.readonly and self.db.journal_mode != "wal":
                self._enable_wal(conn)
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
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
        if self._version() == SCHEMA_VERSION:
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
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](self.db)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self.version = SCHEMA_VERSION

    def _explain(self, exc: sqlite3.Error) -> str:
        return explain(self.place, exc)

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(self._explain(exc)) from None

    def close(self) -> None:
        self.conn.close()

    # --- writing -----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write's SQLite errors as the user's messages (a duplicate step: someone else's)."""
        if self.readonly:
            raise StoreError(self.place.refusal())
        try:
            yield
        except sqlite3.IntegrityError:
            raise StoreConflict("另一个窗口或进程已经推进了这个会话；请重新载入后再操作") from None
        except sqlite3.Error as exc:
            raise StoreError(self._explain(exc)) from None

    def _write(self, fn: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``fn`` in one BEGIN IMMEDIATE ... COMMIT; on any failure nothing of it is kept."""
        conn = self.conn
        with self._writing():
            conn.execute("BEGIN IMMEDIATE")
            try:
                fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back (e.g. disk full); a second ROLLBACK would
                # replace the real reason with "no transaction is active"
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _number(self, session_id: str) -> int:
        number = self._numbers.get(session_id)
        if number is None:
            rows = self._read("SELECT number FROM sessions WHERE id = ?", (session_id,))
            if not rows:
                raise StoreError(f"找不到会话 “{session_id}”；用 `python play.py sessions` 查看已有会话")
            number = self._numbers[session_id] = int(rows[0][0])
        return number

    def begin_session(
        self,
        session_id: str,
        scenario_hash: str,
        scenario_id: str,
        scenario_title: str,
        scenario_version: str,
        scenario_path: str,
        scenario_text: str,
        team: str,
        players: dict[str, str],
        events: list[Event],
        state: State,
        rules_version: int | None = None,
        app_version: str = "",
    ) -> None:
        """Store the scenario text (once per hash), the session row and its first step, atomically.

        Raises SessionIdTaken if ``session_id`` is already in the file (nothing is written)."""

        def write(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise SessionIdTaken(f"会话编号 {session_id} 已被使用")
            conn.execute(
                "INSERT OR IGNORE INTO scenarios (hash, scenario_id, title, version, path, text, first_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_hash,
                    scenario_id,
                    scenario_title,
                    scenario_version,
                    scenario_path,
                    scenario_text,
                    events[0].at,
                ),
            )
            (number,) = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM sessions").fetchone()
            conn.execute(
                "INSERT INTO sessions (id, number, scenario_hash, scenario_id, scenario_title, scenario_path,"
                " team, started_at, rules_version, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    number,
                    scenario_hash,
                    scenario_id,
                    scenario_title,
                    scenario_path,
                    team,
                    events[0].at,
                    rules_version,
                    app_version,
                ),
            )
            numbers[session_id] = number
            conn.executemany(
                "INSERT INTO players (session_id, role, player) VALUES (?, ?, ?)",
                [(session_id, role, player) for role, player in players.items()],
            )
            conn.execute(INSERT_STEP, step_row(number, 1, events, state))

        numbers: dict[str, int] = {}
        self._write(write)
        self._numbers.update(numbers)

    def append(self, session_id: str, first_seq: int, events: list[Event], state: State) -> None:
        """Store one action: its events (numbered from ``first_seq``) and ``state``, the session after them.

        This is the hot path of every click: one INSERT, which SQLite runs as its own
        transaction, so the step is all there or not at all. The primary key (session, seq)
        makes a concurrent double-append fail as StoreConflict instead of silently interleaving
        two histories.
        """
        if not events:
            return
        row = step_row(self._number(session_id), first_seq, events, state)
        with self._writing():
            self.conn.execute(INSERT_STEP, row)

    # --- reading -----------------------------------------------------------------------

    def _step_rows(self, session_id: str, columns: str = "") -> list[Any]:
        base = self._number(session_id) << SEQ_BITS
        return self._read(
            f"SELECT key - ?, upto, at, events{columns} FROM steps WHERE key >= ? AND key < ? ORDER BY key",
            (base, base, base + (1 << SEQ_BITS)),
        )

    def events(self, session_id: str) -> list[Event]:
        return events_of_steps(session_id, self._step_rows(session_id))

    def steps(self, session_id: str) -> list[StoredStep]:
        """The session's actions in order: each one's events and the summary stored after it."""
        rows = self._step_rows(session_id, ", status, score, ending")
        batches = steps_of_rows(session_id, (row[:4] for row in rows))
        return [StoredStep(batch, *row[4:]) for batch, row in zip(batches, rows, strict=True)]

    def sessions(self, scenario_id: str | None = None) -> list[SessionRow]:
        where, args = (" WHERE s.scenario_id = ?", [scenario_id]) if scenario_id else ("", [])
        rows = self._read(f"{_SESSION_ROWS}{where} ORDER BY s.started_at DESC", args)
        return [SessionRow(*row) for row in rows]

    def session(self, session_id: str) -> SessionRow:
        """A session by id or unique id prefix."""
        matches = [s for s in self.sessions() if s.id.startswith(session_id)] if session_id else []
        exact = [s for s in matches if s.id == session_id]
        if exact:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise StoreError(f"找不到会话 “{session_id}”；用 `python play.py sessions` 查看已有会话")
        raise StoreError(f"“{session_id}” 对应多个会话：{'、'.join(s.id for s in matches)}；请写完整 id")

    def players(self, session_id: str) -> dict[str, str]:
        return dict(self._read("SELECT role, player FROM players WHERE session_id = ?", (session_id,)))

    def scenario_text(self, scenario_hash: str) -> tuple[str, str]:
        """(text, path) of the scenario as it was played."""
        rows = self._read("SELECT text, path FROM scenarios WHERE hash = ?", (scenario_hash,))
        row = rows[0] if rows else None
        if row is None:
            raise StoreError(f"数据库中缺少场景 {scenario_hash[:12]}…；数据可能被外部修改")
        return row[0], row[1]
