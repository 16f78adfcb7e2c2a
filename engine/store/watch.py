"""Change notices from a server store, for host processes that share it (LISTEN/NOTIFY).

The server schema's trigger (:mod:`engine.store.pg_schema`) sends a notice on channel
``qingjing`` when a step, a host team or a seat is written; PostgreSQL delivers it to every
listening connection once the transaction has committed, so a notice never announces a step
that could still roll back. :func:`watch` listens on a connection of its own, in a daemon thread,
and hands each notice's text to ``callback``. If the connection drops (a server restart, a network
blip), it connects again and sends ``""``: notices may have been missed, so read everything.

A SQLite file has one host process, so there is nothing to watch: :func:`watch` returns None.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from engine.store.base import Store
from engine.store.pg_schema import CHANNEL
from engine.store.postgres import PostgresStore

RETRY = 1.0  # seconds between attempts to listen again after the connection dropped


class Watcher:
    """Listens for change notices until :meth:`stop`."""

    def __init__(self, store: PostgresStore, callback: Callable[[str], None]) -> None:
        self._store = store
        self._callback = callback
        self._stop = threading.Event()
        self._conn: Any = None
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qingjing-watch", daemon=True)
        self._thread.start()

    def _listen(self) -> Any:
        conn = self._store.psycopg.connect(self._store.target, autocommit=True, connect_timeout=10)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                self._conn = self._listen()
            except Exception:
                self._stop.wait(RETRY)
                continue
            self.listening.set()
            if not first:
                self._callback("")  # back after a drop: what changed meanwhile is unknown
            first = False
            try:
                while not self._stop.is_set():
                    for notice in self._conn.notifies(timeout=0.5):
                        self._callback(notice.payload)
            except Exception:
                time.sleep(0)  # the connection dropped: listen again
            finally:
                self._conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def watch(store: Store, callback: Callable[[str], None]) -> Watcher | None:
    """Follow what other processes write to ``store``; None for a file (nothing to follow)."""
    if not isinstance(store, PostgresStore):
        return None
    watcher = Watcher(store, callback)
    watcher.listening.wait(timeout=15)
    return watcher
