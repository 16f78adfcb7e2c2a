"""What the store's shared statements need of a database connection (either backend's)."""

from __future__ import annotations

from typing import Any, Protocol


class Sql(Protocol):
    """sqlite3's connection, or the PostgreSQL adapter (:class:`engine.store.postgres.PgSql`):
    ``?`` placeholders, ``execute`` returning a cursor (``fetchone``, ``fetchall``, ``rowcount``)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...
