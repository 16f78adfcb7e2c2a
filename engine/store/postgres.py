"""The PostgreSQL backend: one server database for many venues, hosts and branch imports.

``--db postgresql://user@host:5432/qingjing`` (or ``QINGJING_DB``) opens it through psycopg 3
(``pip install "qingjing[postgres]"``: a wheel, nothing to compile). The shared statements in
:mod:`engine.store.db` run here as written: this module turns their ``?`` into psycopg's ``%s``.

The guarantees match the SQLite file's:

- **Append-only, (session, seq) unique:** a step is one ``INSERT`` in its own transaction; the
  primary key is ``session number << 32 | seq``, so two writers of one session conflict
  (``StoreConflict``), whichever host process they run in.
- **Durable when acknowledged:** ``synchronous_commit = on`` for the game (the server flushes its
  WAL before the commit returns); simulations may ask for ``NORMAL``/``OFF`` (``off``).
- **Writers serialised where it matters:** other writes (a new session's number, the host's
  teams and seats, the schema) run in a transaction holding one advisory lock, as SQLite's
  ``BEGIN IMMEDIATE`` does; steps do not take it, so teams never wait for each other.
- **Versioned:** the ``meta`` table holds ``app`` and ``schema_version``; a new database gets the
  schema of :mod:`engine.store.pg_schema` under that lock (several hosts may start at once).
- **Not ours, never altered:** a database with other tables and no Qingjing ``meta``, or from a
  newer Qingjing, is reported before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from engine.store import base as registry
from engine.store.base import APP_ID, Store, identify, safe_label
from engine.store.errors import StoreError
from engine.store.pg_schema import BASELINE, PG_MIGRATIONS
from engine.store.place import BUSY_TIMEOUT
from engine.store.sql import Sql

WRITE_LOCK = 0x716A_0001  # the advisory lock every non-step write holds ("qj" 1)
CONNECT_TIMEOUT = 10  # seconds
_PLACEHOLDER = re.compile(r"[?%]")
_translated: dict[str, str] = {}


def pg_sql(statement: str) -> str:
    """A shared statement in psycopg's dialect: ``?`` → ``%s`` (a literal ``%`` doubled)."""
    out = _translated.get(statement)
    if out is None:
        out = _translated[statement] = _PLACEHOLDER.sub(
            lambda m: "%s" if m.group() == "?" else "%%", statement
        )
    return out


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            '要使用 PostgreSQL 数据库，需要先安装 psycopg：pip install "qingjing[postgres]"'
            '（或 pip install "psycopg[binary]"）'
        ) from None
    return psycopg


class PgSql:
    """The shared statements' connection on a server: ``?`` placeholders, sqlite3-like calls."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        conn = self.store.live()
        if not parameters:
            return conn.execute(sql)  # no placeholders: sent as written
        return conn.execute(pg_sql(sql), tuple(parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        with self.store.live().cursor() as cursor:
            cursor.executemany(pg_sql(sql), list(parameters))
            return cursor


class PostgresStore(Store):
    """A store in a PostgreSQL database (≥ 13). One per thread, like a SQLite connection."""

    def __init__(
        self, target: str | Path, synchronous: str = "FULL", readonly: bool = False, upgrade: bool = True
    ) -> None:
        self.psycopg = _driver()
        self.target = str(target).strip()
        self.label = safe_label(self.target)
        if synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.synchronous = synchronous.upper()
        self.readonly = readonly
        self._numbers = {}
        self.sql: Sql = PgSql(self)
        self.conn = self._connect()
        try:
            self.version = self._identify()
            if upgrade and self.version != registry.SCHEMA_VERSION:
                if readonly:
                    raise StoreError(f"{self.label} 的数据格式较旧，需要先升级；只读打开时不能升级")
                self._migrate()
        except self.psycopg.Error as exc:
            self.conn.close()
            raise StoreError(self._explain(exc)) from None
        except BaseException:
            self.conn.close()
            raise

    @property
    def server(self) -> bool:
        return True

    def _connect(self) -> Any:
        try:
            conn = self.psycopg.connect(self.target, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except self.psycopg.Error as exc:
            raise StoreError(self._explain(exc)) from None
        except Exception as exc:  # a URL psycopg cannot even parse
            raise StoreError(
                f"PostgreSQL 地址 {self.label} 无法识别（{exc}）；格式如 postgresql://用户@主机:5432/数据库"
            ) from None
        commit = "on" if self.synchronous in ("FULL", "EXTRA") else "off"
        conn.execute(f"SET synchronous_commit = {commit}")
        conn.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT)}s'")
        if self.readonly:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    def live(self) -> Any:
        """The connection, opened again if the server dropped it (a restart, a network blip):
        the statement that found it broken failed and said so; the next one gets through."""
        if self.conn.closed:
            self.conn = self._connect()
        return self.conn

    def open_writer(self) -> Store:
        return PostgresStore(self.target, self.synchronous, self.readonly, upgrade=False)

    def _tables(self) -> set[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return {r[0] for r in rows}

    def _meta(self) -> dict[str, str]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM meta").fetchall()}

    def _identify(self) -> int:
        return identify(self._tables(), self._meta, self.label, "PostgreSQL 数据库", "数据库")

    def _migrate(self) -> None:
        target = registry.SCHEMA_VERSION
        with self._begin():
            current = self._identify()  # again under the lock: another host may have done it
            if current == 0:
                self.conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                self.conn.execute("INSERT INTO meta (key, value) VALUES ('app', %s)", (APP_ID,))
                current = BASELINE - 1
            elif current < BASELINE:
                raise StoreError(
                    f"{self.label} 的数据格式 v{current} 早于服务器版的起点 v{BASELINE}；数据库可能被外部修改"
                )
            for version in range(current + 1, target + 1):
                PG_MIGRATIONS[version](self.sql)
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(target),),
            )
        self.version = target

    # --- the backend's part of the shared Store ------------------------------------------

    def _errors(self) -> tuple[type[Exception], ...]:
        return (self.psycopg.Error,)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, self.psycopg.errors.UniqueViolation)

    def _refusal(self) -> str:
        return f"{self.label} 以只读方式打开（或服务器只允许读取），无法保存进度；会话和报告仍可查看"

    def _transaction(self, serial: bool = True) -> AbstractContextManager[Sql]:
        return self._begin(serial)

    @contextmanager
    def _begin(self, serial: bool = True) -> Iterator[Sql]:
        conn = self.live()
        with conn.transaction():
            if serial:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield self.sql

    def _explain(self, exc: Exception) -> str:
        errors = self.psycopg.errors
        text = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, errors.ReadOnlySqlTransaction):
            return self._refusal()
        if isinstance(exc, errors.DiskFull):
            return f"数据库服务器 {self.label} 的磁盘已满，这一步没有保存；请清理空间后重试（已保存的进度不会丢失）"
        if isinstance(exc, errors.InvalidCatalogName) or re.search(r'database ".*" does not exist', text):
            return f"PostgreSQL 服务器上没有这个数据库：{self.label}；请先创建它（createdb），或检查 --db 里的数据库名"
        if isinstance(exc, errors.InvalidPassword | errors.InvalidAuthorizationSpecification) or re.search(
            r'password authentication failed|role ".*" does not exist|no password supplied', text
        ):
            return (
                f"无法登录 PostgreSQL（{self.label}）：用户名或密码不对（{text}）；请检查 --db 里的用户和密码"
            )
        if isinstance(exc, errors.LockNotAvailable | errors.QueryCanceled):
            return (
                f"{self.label} 正被其他程序占用超过 {BUSY_TIMEOUT:.0f} 秒，这一步没有保存；"
                "请稍后重试（已保存的进度不会丢失）"
            )
        if isinstance(exc, errors.InsufficientPrivilege):
            return f"PostgreSQL 用户没有权限（{text}）；请让数据库管理员授予这个数据库的读写和建表权限"
        if isinstance(exc, self.psycopg.OperationalError):
            return (
                f"无法连接 PostgreSQL 服务器 {self.label}（{text}）；请检查服务器是否在运行、地址和端口，"
                "这一步没有保存（已保存的进度不会丢失）"
            )
        return f"数据库错误（{self.label}）：{text}"

    def close(self) -> None:
        self.conn.close()
