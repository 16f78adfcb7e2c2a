"""The store's reads for reviews and reports: which sessions match, and their whole logs at once.

Reports recompute every figure from the events (:mod:`engine.review.metrics`), so what they need
from a store is the matching sessions' logs and the scenario texts they were played with
(``Store.scenario_text``). Any backend implements these methods; the SQL stays here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from engine.rules.state import Event
from engine.store.steps import OF_SESSION, SEQ_BITS, events_of_steps


@dataclass(frozen=True)
class SessionQuery:
    """Which sessions; ``None`` matches all. Start times are seconds since the epoch."""

    session_id: str | None = None  # an exact id (``Store.session`` resolves a prefix)
    scenario_id: str | None = None
    team: str | None = None
    started_from: float | None = None  # inclusive
    started_before: float | None = None  # exclusive


class StoredLog(NamedTuple):
    """One session's whole log and the scenario (by content hash) it was played with."""

    session_id: str
    scenario_hash: str
    events: list[Event]


def _where(query: SessionQuery) -> tuple[str, list[Any]]:
    tests = [
        ("s.id = ?", query.session_id),
        ("s.scenario_id = ?", query.scenario_id),
        ("s.team = ?", query.team),
        ("s.started_at >= ?", query.started_from),
        ("s.started_at < ?", query.started_before),
    ]
    used = [(sql, value) for sql, value in tests if value is not None]
    where = " WHERE " + " AND ".join(sql for sql, _ in used) if used else ""
    return where, [value for _, value in used]


class LogReads:
    """Mixed into :class:`engine.store.db.Store`, which provides the reads and their messages."""

    def _read(self, sql: str, args: Any = ()) -> list[Any]:
        raise NotImplementedError

    def session_logs(self, query: SessionQuery | None = None) -> list[StoredLog]:
        """Every matching session (in the order they were stored) with its whole log, read in one
        pass over the steps. A session without steps comes back with no events; a log with a
        gap or an unreadable step raises StoreError."""
        where, args = _where(query or SessionQuery())
        sessions = self._read(f"SELECT s.id, s.scenario_hash FROM sessions s{where} ORDER BY s.number", args)
        steps: dict[str, list[tuple[int, int, float, str]]] = {sid: [] for sid, _ in sessions}
        rows = self._read(
            f"SELECT s.id, st.key - (s.number << {SEQ_BITS}), st.upto, st.at, st.events"
            f" FROM sessions s JOIN steps st ON {OF_SESSION}{where} ORDER BY st.key",
            args,
        )
        for sid, seq, upto, at, payload in rows:
            if sid in steps:  # a session begun between the two reads: left for the next report
                steps[sid].append((seq, upto, at, payload))
        return [StoredLog(sid, h, events_of_steps(sid, steps[sid])) for sid, h in sessions]
