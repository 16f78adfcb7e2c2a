"""The session store, as the rest of the engine opens it: ``Store(path)`` or ``Store(url)``.

    StoreError(Exception)      -- the store cannot be used; the message says why and what to do.
      StoreConflict            -- another writer appended to the same session first.
      SessionIdTaken           -- a new session's id is already taken (the caller retries).

``--db FILE`` is a SQLite file (the default: one laptop per venue needs no server,
:mod:`engine.store.sqlite_store`); ``--db postgresql://user@host:5432/db`` a PostgreSQL database
shared by many venues and host processes (:mod:`engine.store.postgres`). Both run the same
shared code (:mod:`engine.store.base`) and give the same guarantees; this module registers them
and says where the default store lives.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.store.base import (
    APP_ID,
    SCHEMA_VERSION,
    SessionRow,
    Store,
    identify,
    is_server_url,
    safe_label,
)
from engine.store.errors import SessionIdTaken, StoreConflict, StoreError
from engine.store.migrations import MIGRATIONS, migration
from engine.store.postgres import PostgresStore
from engine.store.sql import Sql
from engine.store.sqlite_store import SqliteStore
from engine.store.steps import OF_SESSION, SEQ_BITS, StoredStep, events_of_steps

__all__ = [
    "APP_ID",
    "ENV_DB",
    "MIGRATIONS",
    "OF_SESSION",
    "SCHEMA_VERSION",
    "SEQ_BITS",
    "PostgresStore",
    "SessionIdTaken",
    "SessionRow",
    "Sql",
    "SqliteStore",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoredStep",
    "default_db_path",
    "events_of_steps",
    "identify",
    "is_server_url",
    "migration",
    "safe_label",
]

ENV_DB = "QINGJING_DB"
Store.backends.update(file=SqliteStore, server=PostgresStore)


def default_db_path() -> str | Path:
    """``$QINGJING_DB`` if set (a path or a server URL), else ``qingjing.db`` in the user's data
    directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return env.strip() if is_server_url(env) else Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("qingjing", appauthor=False)) / "qingjing.db"
