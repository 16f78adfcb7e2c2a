"""How a step (one acknowledged action) is laid out in the ``steps`` table.

A step row holds that action's time, its events (a JSON array of ``[kind, data]``, numbered
``seq`` .. ``upto`` within the session; an event's role is ``data["role"]``) and the session's
status, score and ending after it. The row's integer key is ``session number << SEQ_BITS | seq``:
unique per (session, seq), so two windows appending to one session conflict, and the table's own
B-tree is the only one an action writes (no second index).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import orjson

from engine.rules.state import Event, State
from engine.store.errors import StoreError

SEQ_BITS = 32  # a step's key is (session number << SEQ_BITS) | seq
# A session's steps: keys from its number << SEQ_BITS, below the next number's.
OF_SESSION = f"st.key >= (s.number << {SEQ_BITS}) AND st.key < ((s.number + 1) << {SEQ_BITS})"
INSERT_STEP = "INSERT INTO steps (key, upto, at, status, score, ending, events) VALUES (?, ?, ?, ?, ?, ?, ?)"

# An action's events share its time, stored once (floats are slow to encode). orjson writes the
# same JSON as the standard library (compact, UTF-8) in a quarter of the time; integers beyond
# 64 bits (a flag can hold any) fall back to the standard encoder.
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
decode_json = json.loads  # not orjson: it reads an integer beyond 64 bits as a float


class StoredStep(NamedTuple):
    """One stored action: the events it produced and the session's summary after it."""

    events: list[Event]
    status: str
    score: int
    ending: str | None


def encode_events(events: list[Event]) -> str:
    pairs = [(e.kind, e.data) for e in events]
    try:
        return orjson.dumps(pairs).decode()
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits
        return _encode_json(pairs)


def step_row(number: int, first_seq: int, events: list[Event], state: State) -> tuple[Any, ...]:
    """The ``steps`` row of one action: its events numbered from ``first_seq``, ``state`` after them."""
    return (
        number << SEQ_BITS | first_seq,
        first_seq + len(events) - 1,
        events[-1].at,
        state.status,
        state.score,
        state.ending,
        encode_events(events),
    )


def _step_events(session_id: str, seq: int, upto: int, at: float, payload: str) -> list[Event]:
    try:
        batch = [Event(kind, at, data, data.get("role")) for kind, data in decode_json(payload)]
    except (ValueError, TypeError, AttributeError):
        batch = []
    if not batch or len(batch) != upto - seq + 1:
        raise StoreError(f"会话 {session_id} 的第 {seq} 条事件无法读取；数据可能被外部修改或已损坏")
    return batch


def _batches(
    session_id: str, steps: Iterable[tuple[int, int, float, str]], after: int = 0
) -> Iterator[list[Event]]:
    """Each stored step's events, in seq order from ``after + 1``; refuses, in Chinese, a gap or an
    unreadable step (a report built on it would be wrong without saying so)."""
    count = after
    for seq, upto, at, payload in steps:
        if seq != count + 1:
            raise StoreError(
                f"会话 {session_id} 的事件序号不连续（缺少第 {count + 1} 条）；数据可能被外部修改"
            )
        batch = _step_events(session_id, seq, upto, at, payload)
        count += len(batch)
        yield batch


def steps_of_rows(session_id: str, steps: Iterable[tuple[int, int, float, str]]) -> list[list[Event]]:
    """A session's actions, each as the list of its events, from its stored steps."""
    return list(_batches(session_id, steps))


def events_of_steps(
    session_id: str, steps: Iterable[tuple[int, int, float, str]], after: int = 0
) -> list[Event]:
    """A session's events from its stored steps ``(seq, upto, at, events JSON)`` in seq order
    (those after ``after``, when the caller already holds the first ones)."""
    out: list[Event] = []
    for batch in _batches(session_id, steps, after):
        out.extend(batch)
    return out
