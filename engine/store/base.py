"""The store's shared part: an append-only log of steps per session, whatever holds it.

    StoreError(Exception)      -- the store cannot be used; the message says why and what to do.
      StoreConflict            -- another writer appended to the same session first.
      SessionIdTaken           -- a new session's id is already taken (the caller retries).

``Store(target)`` (imported from :mod:`engine.store.db`, which registers the backends) opens a
store by what the user typed: a file path (SQLite, the default, :mod:`engine.store.sqlite_store`)
or a ``postgresql://`` URL (PostgreSQL ≥ 13, one database for many venues and hosts,
:mod:`engine.store.postgres`). Both give the same guarantees: steps are
only ever appended, a step's key is unique per (session, seq) so two writers conflict cleanly,
the schema is versioned (one history), an acknowledged step is durable, and a store that is not
ours is reported and never altered. Everything above the store sees one API; the statements
below are plain SQL both backends run as written (``?`` placeholders, ``ON CONFLICT``).

A *step* is one acknowledged action (see :mod:`engine.store.steps` for its row). One row per
action keeps the hot path one INSERT, a single statement and so its own atomic transaction:
about the cost of a bare one-row commit (see bench/). The session list reads its summary from
each session's last step, so nothing else is updated per action. The roster's tables are
:mod:`engine.store.members`, the host's :mod:`engine.store.hosting`, the reports' reads
:mod:`engine.store.queries`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from engine.rules.state import Event, State
from engine.store.errors import CONFLICT, SessionIdTaken, StoreConflict, StoreError
from engine.store.members import MemberTables
from engine.store.queries import LogReads
from engine.store.sql import Sql
from engine.store.steps import (
    INSERT_STEP,
    OF_SESSION,
    SEQ_BITS,
    StoredStep,
    events_of_steps,
    step_row,
    steps_of_rows,
)

SCHEMA_VERSION = 4
APP_ID = "qingjing"
SERVER_SCHEMES = ("postgresql://", "postgres://")
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


# "scheme:" of two letters or more: a URL (one letter is a Windows drive, C:\...)
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_server_url(target: str | Path) -> bool:
    """Is ``--db`` a database server's URL rather than a file? (``postgresql://...``)"""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_SCHEMES)


def safe_label(target: str) -> str:
    """A store as messages show it: a server URL never shows its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", target.strip())


def _not_a_url(target: str | Path) -> None:
    """A URL we do not speak must not become a file path: ``mysql://h/db`` would otherwise create a
    folder named ``mysql:`` and a SQLite file in it."""
    text = str(target).strip()
    if not is_server_url(text) and _URL_LIKE.match(text) and not Path(text).exists():
        raise StoreError(
            f"不支持的数据库地址 {safe_label(text)}：--db 只接受文件路径或 postgresql://用户@主机:端口/库名"
        )


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


def identify(tables: set[str], meta: Callable[[], dict[str, str]], label: str, kind: str, other: str) -> int:
    """The store's schema version (0: empty); StoreError if it is someone else's or too new.

    ``tables`` are the names the database holds, ``meta`` reads our ``meta`` table; ``kind`` and
    ``other`` name the store in messages ("SQLite 数据库", "文件")."""
    if not tables:
        return 0
    if "meta" not in tables:
        raise StoreError(
            f"{label} 是别的程序的{kind}（没有 Qingjing 的 meta 表）；"
            f"Qingjing 不会改动它。请用 --db 指定另一个{other}"
        )
    rows = meta()
    if rows.get("app") != APP_ID:
        raise StoreError(f"{label} 不是 Qingjing 的数据库；请用 --db 指定另一个{other}")
    version = int(rows.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{label} 由更新版本的 Qingjing 创建（数据格式 v{version}，本程序支持到 v{SCHEMA_VERSION}）；"
            "请升级 Qingjing"
        )
    return version


class Store(LogReads, MemberTables):
    """An opened store. ``Store(path)`` is a SQLite file, ``Store("postgresql://...")`` a server.

    ``readonly=True`` opens it for reading only; ``upgrade=False`` leaves an older schema as it is
    (only a backup needs that). ``synchronous`` is SQLite's setting (FULL: an acknowledged step
    survives a power cut); on a server, FULL means ``synchronous_commit = on`` and NORMAL/OFF let
    the server acknowledge before its WAL is flushed (simulations only). Use one per thread.
    """

    target: str  # what was given: a file path or the server URL, to open it again elsewhere
    label: str  # how messages name it (a server URL without its password)
    readonly: bool
    version: int
    sql: Sql
    _numbers: dict[str, int]  # session id -> number, the high bits of its steps' keys

    # the backends by kind ("file", "server"), registered by engine.store.db (they import this)
    backends: ClassVar[dict[str, type[Store]]] = {}

    def __new__(cls, target: str | Path, *args: Any, **kwargs: Any) -> Store:
        if cls is Store:
            _not_a_url(target)
            cls = Store.backends["server" if is_server_url(target) else "file"]
        return super().__new__(cls)

    def __init__(
        self, target: str | Path, synchronous: str = "FULL", readonly: bool = False, upgrade: bool = True
    ) -> None:
        raise NotImplementedError  # each backend opens its own kind of store

    # --- what each backend provides ----------------------------------------------------------

    @property
    def server(self) -> bool:
        """Is this a database server (several hosts may share it), not a file?"""
        return False

    def close(self) -> None:
        raise NotImplementedError

    def _explain(self, exc: Exception) -> str:
        raise NotImplementedError

    def _errors(self) -> tuple[type[Exception], ...]:
        """The driver's own exceptions, to turn into StoreError."""
        raise NotImplementedError

    def _is_conflict(self, exc: Exception) -> bool:
        """Is this a duplicate key: another writer stored the same (session, seq) first?"""
        raise NotImplementedError

    def _transaction(self, serial: bool = True) -> AbstractContextManager[Sql]:
        """One write transaction, rolled back on any failure; ``serial``: one at a time with every
        other serial writer (a new session's number, the host's rows), which steps need not be."""
        raise NotImplementedError

    def _refusal(self) -> str:
        """Why a read-only store refuses writes, and what to do."""
        raise NotImplementedError

    def open_writer(self) -> Store:
        """Another connection to the same store (a second thread's own: group commits)."""
        raise NotImplementedError

    # --- shared ------------------------------------------------------------------------------

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[Any]:
        try:
            return list(self.sql.execute(sql, tuple(args)).fetchall())
        except self._errors() as exc:
            raise StoreError(self._explain(exc)) from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write's driver errors as the user's messages (a duplicate step: someone else's)."""
        if self.readonly:
            raise StoreError(self._refusal())
        try:
            yield
        except self._errors() as exc:
            if self._is_conflict(exc):
                raise StoreConflict(CONFLICT) from None
            raise StoreError(self._explain(exc)) from None

    def _write(self, fn: Callable[[Sql], None]) -> None:
        """Run ``fn`` in one write transaction; on any failure nothing of it is kept."""
        with self._writing(), self._transaction() as sql:
            fn(sql)

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

        Raises SessionIdTaken if ``session_id`` is already in the store (nothing is written)."""
        numbers: dict[str, int] = {}

        def write(sql: Sql) -> None:
            if sql.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise SessionIdTaken(f"会话编号 {session_id} 已被使用")
            self.put_scenario(
                sql,
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
            head = (session_id, scenario_hash, scenario_id, scenario_title, scenario_path, team)
            numbers[session_id] = number = self.put_session(
                sql, head, events[0].at, rules_version, app_version
            )
            sql.executemany(
                "INSERT INTO players (session_id, role, player) VALUES (?, ?, ?)",
                [(session_id, role, player) for role, player in players.items()],
            )
            sql.execute(INSERT_STEP, step_row(number, 1, events, state))

        self._write(write)
        self._numbers.update(numbers)

    @staticmethod
    def put_scenario(sql: Sql, row: tuple[Any, ...]) -> None:
        """A scenario's text by content hash, kept once (the same hash is the same text)."""
        sql.execute(
            "INSERT INTO scenarios (hash, scenario_id, title, version, path, text, first_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
            row,
        )

    @staticmethod
    def put_session(
        sql: Sql, head: tuple[str, ...], started_at: float, rules_version: int | None, app_version: str
    ) -> int:
        """A new session row (id, scenario hash/id/title/path, team) under the next number."""
        (number,) = sql.execute("SELECT coalesce(max(number), 0) + 1 FROM sessions").fetchone()
        sql.execute(
            "INSERT INTO sessions (id, scenario_hash, scenario_id, scenario_title, scenario_path,"
            " team, number, started_at, rules_version, app_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*head, number, started_at, rules_version, app_version),
        )
        return int(number)

    def append(self, session_id: str, first_seq: int, events: list[Event], state: State) -> None:
        """Store one action: its events (numbered from ``first_seq``) and ``state``, the session after them.

        This is the hot path of every click: one INSERT, its own transaction, so the step is all
        there or not at all. The key (session, seq) makes a concurrent double-append fail as
        StoreConflict instead of silently interleaving two histories.
        """
        if not events:
            return
        row = self.step_row(session_id, first_seq, events, state)
        with self._writing():
            self.sql.execute(INSERT_STEP, row)

    def step_row(self, session_id: str, first_seq: int, events: list[Event], state: State) -> tuple[Any, ...]:
        """The row :meth:`append` would write (a group commit writes several at once)."""
        return step_row(self._number(session_id), first_seq, events, state)

    # --- reading -----------------------------------------------------------------------

    def _step_rows(self, session_id: str, columns: str = "", after: int = 0) -> list[Any]:
        base = self._number(session_id) << SEQ_BITS
        return self._read(
            f"SELECT key - ?, upto, at, events{columns} FROM steps WHERE key > ? AND key < ? ORDER BY key",
            (base, base + after, base + (1 << SEQ_BITS)),
        )

    def events(self, session_id: str) -> list[Event]:
        return events_of_steps(session_id, self._step_rows(session_id))

    def events_after(self, session_id: str, seq: int) -> list[Event]:
        """The session's events after ``seq`` (a step boundary): what another process stored since."""
        return events_of_steps(session_id, self._step_rows(session_id, after=seq), after=seq)

    def steps(self, session_id: str) -> list[StoredStep]:
        """The session's actions in order: each one's events and the summary stored after it."""
        rows = self._step_rows(session_id, ", status, score, ending")
        batches = steps_of_rows(session_id, (row[:4] for row in rows))
        return [StoredStep(batch, *row[4:]) for batch, row in zip(batches, rows, strict=True)]

    def raw_steps(self, session_id: str) -> list[tuple[Any, ...]]:
        """The session's step rows as stored, ``(seq, upto, at, events JSON, status, score, ending)``:
        copied byte for byte by an import."""
        return [tuple(r) for r in self._step_rows(session_id, ", status, score, ending")]

    def sessions(self, scenario_id: str | None = None) -> list[SessionRow]:
        where, args = (" WHERE s.scenario_id = ?", [scenario_id]) if scenario_id else ("", [])
        rows = self._read(f"{_SESSION_ROWS}{where} ORDER BY s.started_at DESC, s.number DESC", args)
        return [SessionRow(*row) for row in rows]

    def has_session(self, session_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM sessions WHERE id = ?", (session_id,)))

    def session(self, session_id: str) -> SessionRow:
        """A session by id or unique id prefix."""
        rows = self._read(f"{_SESSION_ROWS} WHERE s.id = ?", (session_id,))
        if rows:  # one row, not the whole list (a host attaches sessions by their full id)
            return SessionRow(*rows[0])
        matches = [s for s in self.sessions() if s.id.startswith(session_id)] if session_id else []
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

    def scenario_row(self, scenario_hash: str) -> tuple[Any, ...]:
        """The stored scenario's whole row (hash, id, title, version, path, text, first seen)."""
        rows = self._read(
            "SELECT hash, scenario_id, title, version, path, text, first_seen FROM scenarios WHERE hash = ?",
            (scenario_hash,),
        )
        if not rows:
            raise StoreError(f"数据库中缺少场景 {scenario_hash[:12]}…；数据可能被外部修改")
        return tuple(rows[0])
