"""Group commit: the steps several teams stored at about the same moment, in one transaction.

With ``synchronous=FULL`` every commit waits for the disk (an fsync, a few milliseconds when the
machine is busy). A host serving thirty teams committed each click on its own, on the thread
that also reads every phone's messages, so clicks queued behind each other's flushes. The
:class:`GroupCommitter` runs commits on a thread of its own, with its own connection: whatever
steps arrived while one commit was flushing go together in the next transaction, one flush for
all of them. A step is acknowledged (its future resolved) only after the transaction that holds
it has committed, so a durable acknowledgement still means the step is stored; one that conflicts
with another writer fails alone (a savepoint each), the others still commit.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

from engine.store.base import Store
from engine.store.errors import CONFLICT, StoreConflict, StoreError
from engine.store.steps import INSERT_STEP

MAX_BATCH = 256  # steps per transaction: bounds one commit's time when a burst arrives


class GroupCommitter:
    """Commits submitted step rows in batches on a background thread (see the module's note)."""

    def __init__(self, store: Store) -> None:
        self._open = store.open_writer
        self._queue: list[tuple[tuple[Any, ...], Future[None]]] = []
        self._wake = threading.Condition()
        self._closed = False
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.commits = 0  # transactions committed (for the benchmark: steps per commit)
        self.steps = 0
        self._thread = threading.Thread(target=self._run, name="qingjing-commits", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    def submit(self, row: tuple[Any, ...]) -> Future[None]:
        """Queue one step row; the future resolves once it is committed (or fails with StoreError)."""
        done: Future[None] = Future()
        with self._wake:
            if self._closed:
                done.set_exception(StoreError("主持程序正在停止，这一步没有保存；请稍后重试"))
                return done
            self._queue.append((row, done))
            self._wake.notify()
        return done

    def close(self) -> None:
        """Commit what is queued, then stop the thread."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            writer = self._open()  # in this thread: a connection stays with the thread that made it
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                with self._wake:
                    while not self._queue and not self._closed:
                        self._wake.wait()
                    batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                if not batch:
                    return  # closed and drained
                try:
                    outcomes = write_steps(writer, [row for row, _ in batch])
                except BaseException as exc:  # never leave a step unanswered, whatever went wrong
                    failed = StoreError(f"保存失败（{exc}）；这一步没有保存，请重试")
                    outcomes = [failed] * len(batch)
                self.commits += 1
                self.steps += len(batch)
                for (_, done), outcome in zip(batch, outcomes, strict=True):
                    if outcome is None:
                        done.set_result(None)
                    else:
                        done.set_exception(outcome)
        finally:
            writer.close()


def write_steps(store: Store, rows: list[tuple[Any, ...]]) -> list[StoreError | None]:
    """Several sessions' steps in one transaction (a group commit: one flush for all). Each
    row's outcome, in order: None once committed, StoreConflict where another writer stored
    that (session, seq) first (the others still commit), or the StoreError that kept the
    whole transaction from committing."""
    if len(rows) == 1:  # alone: one INSERT, its own transaction (as append)
        try:
            with store._writing():
                store.sql.execute(INSERT_STEP, rows[0])
        except StoreError as exc:
            return [exc]
        return [None]
    try:  # together: one statement for all; a conflict (rare) sends them through savepoints
        with store._writing(), store._transaction(serial=False) as sql:
            sql.executemany(INSERT_STEP, rows)
        return [None] * len(rows)
    except StoreConflict:
        pass
    except StoreError as exc:
        return [exc] * len(rows)
    outcomes: list[StoreError | None] = []
    try:
        with store._writing(), store._transaction(serial=False) as sql:
            for row in rows:
                sql.execute("SAVEPOINT step")
                try:
                    sql.execute(INSERT_STEP, row)
                except store._errors() as exc:
                    if not store._is_conflict(exc):
                        raise
                    sql.execute("ROLLBACK TO SAVEPOINT step")
                    outcomes.append(StoreConflict(CONFLICT))
                else:
                    outcomes.append(None)
                sql.execute("RELEASE SAVEPOINT step")
    except StoreError as exc:
        return [exc] * len(rows)
    return outcomes
