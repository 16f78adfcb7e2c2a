"""The local session store: one SQLite file, an append-only log of steps per session.

The store's exceptions are in :mod:`engine.store.errors`, the step row's layout in
:mod:`engine.store.steps`, the migration history in :mod:`engine.store.migrations` and the
reports' reads in :mod:`engine.store.queries`.

A *step* is one acknowledged action: one row holding that action's time, its events (a JSON
array of ``[kind, data]``, numbered ``seq`` .. ``upto`` within the session; an event's role is
``data["role"]``) and the session's status, score and ending after it. The row's integer key
is ``session number << 32 | seq``: unique per (session, seq), so two windows appending to one
session conflict, and the table's own B-tree is the only one an action writes (no second
index). One row per action keeps the hot path one INSERT, a single statement and so its own
atomic transaction: about the cost of a bare one-row commit (see bench/). The session list
reads its summary from each session's last step, so nothing else is updated per action. sqlite-utils owns the schema, migrations and queries.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from engine.rules.state import Event, State
from engine.store.errors import StoreConflict as StoreConflict
from engine.store.errors import StoreError as StoreError
from engine.store.migrations import MIGRATIONS
from engine.store.queries import LogReads
from engine.store.steps import INSERT_STEP, OF_SESSION, SEQ_BITS, events_of_steps, step_row

SCHEMA_VERSION = 2
APP_ID = "qingjing"
ENV_DB = "QINGJING_DB"
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another team's transaction before giving up

# The session list: fixed facts from `sessions`, the rest from each session's last step.
_SESSION_ROWS = (
    "SELECT s.id, s.scenario_hash, s.scenario_id, s.scenario_title, s.scenario_path, s.team,"
    " coalesce(last.status, 'new'), coalesce(last.score, 0), last.ending, s.started_at,"
    " coalesce(last.at, s.started_at), CASE WHEN last.status IN ('ended', 'stuck', 'abandoned') THEN last.at END,"
    " coalesce(last.upto, 0)"
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

    @property
    def duration(self) -> float:
        return max(0.0, (self.ended_at or self.updated_at) - self.started_at)


class Store(LogReads):
    """An opened store file. Use one per process; SQLite serialises writers across processes."""

    def __init__(self, path: str | Path, synchronous: str = "FULL") -> None:
        self.path = Path(path)
        if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.synchronous = synchronous.upper()
        self._numbers: dict[str, int] = {}  # session id -> number, the high bits of its steps' keys
        self._check_file()
        conn: sqlite3.Connection | None = None
        try:
            if self.readonly:
                # SQLite itself then refuses every write, even for root (who ignores file modes)
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
            else:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
            self.conn = conn
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self.db = sqlite_utils.Database(conn)
            self._check_ours()
            if not self.readonly and self.db.journal_mode != "wal":
                self._enable_wal(conn)
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(self._explain(exc)) from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise

    # --- opening -----------------------------------------------------------------------

    def _check_file(self) -> None:
        p = self.path
        self.readonly = False
        if p.exists():
            if p.is_dir():
                raise StoreError(f"数据库路径 {p} 是一个文件夹；请用 --db 指定一个文件")
            if not os.access(p, os.W_OK):
                self.readonly = True
            with p.open("rb") as fh:
                head = fh.read(16)
            if head and head != b"SQLite format 3\x00":
                raise StoreError(
                    f"{p} 不是 SQLite 数据库文件（可能是别的文件或已损坏）；"
                    "Qingjing 不会覆盖它。请用 --db 指定另一个文件，或先备份后移走它"
                )
        else:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"无法创建数据目录 {p.parent}：{exc.strerror}；请用 --db 指定可写的位置"
                ) from None

    def _check_ours(self) -> None:
        tables = set(self.db.table_names())
        if not tables:
            return
        if "meta" not in tables:
            raise StoreError(
                f"{self.path} 是别的程序的 SQLite 数据库（没有 Qingjing 的 meta 表）；"
                "Qingjing 不会改动它。请用 --db 指定另一个文件"
            )
        meta = {r["key"]: r["value"] for r in self.db.table("meta").rows}
        if meta.get("app") != APP_ID:
            raise StoreError(f"{self.path} 不是 Qingjing 的数据库；请用 --db 指定另一个文件")
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} 由更新版本的 Qingjing 创建（数据格式 v{version}，本程序支持到 v{SCHEMA_VERSION}）；"
                "请升级 Qingjing"
            )

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
            raise StoreError(f"{self.path} 是只读文件，且需要升级数据格式；请改为可写后再试")
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

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            return f"{self.path} 是只读的，无法保存进度；请改为可写，或用 --db 指定另一个文件"
        if "disk is full" in text or "database or disk is full" in text:
            return f"磁盘已满，无法保存到 {self.path}；请清理空间后重试（已保存的进度不会丢失）"
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return f"{self.path} 已损坏或不是数据库（{text}）；Qingjing 不会覆盖它。请备份该文件后用 --db 指定新文件"
        if "locked" in text or "busy" in text:
            return (
                f"{self.path} 正被其他程序占用超过 {BUSY_TIMEOUT:.0f} 秒，这一步没有保存；"
                "请稍后重试（已保存的进度不会丢失）"
            )
        if "disk I/O error" in text or "unable to open" in text:
            return f"无法读写 {self.path}（{text}）；请检查磁盘、权限和剩余空间后重试（已保存的进度不会丢失）"
        return f"数据库错误（{self.path}）：{text}"

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
            raise StoreError(f"{self.path} 是只读的，无法保存进度；请改为可写，或用 --db 指定另一个文件")
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
    ) -> None:
        """Store the scenario text (once per hash), the session row and its first step, atomically."""

        def write(conn: sqlite3.Connection) -> None:
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
                " team, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    number,
                    scenario_hash,
                    scenario_id,
                    scenario_title,
                    scenario_path,
                    team,
                    events[0].at,
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

    def events(self, session_id: str) -> list[Event]:
        base = self._number(session_id) << SEQ_BITS
        rows = self._read(
            "SELECT key - ?, upto, at, events FROM steps WHERE key >= ? AND key < ? ORDER BY key",
            (base, base, base + (1 << SEQ_BITS)),
        )
        return events_of_steps(session_id, rows)

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
