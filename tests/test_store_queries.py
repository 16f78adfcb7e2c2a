"""The store's reads for reports (engine/store/queries.py): matching sessions, whole logs, no gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.store.db import Store, StoreError
from engine.store.queries import SessionQuery
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
DAY = 86_400.0


@pytest.fixture
def filled(store: Store, tutorial: Scenario) -> Store:
    """Six sessions: two teams, two scenarios, a day apart each."""
    yida = load_scenario(ROOT / "scenarios" / "yida_1921.yaml")
    for i in range(6):
        scenario = tutorial if i % 3 else yida
        play_bot_session(
            scenario, "random", seed=i, store=store, team=f"队{i % 2}", start_time=1_700_000_000 + i * DAY
        )
    return store


def test_every_session_comes_back_whole_in_stored_order(filled: Store) -> None:
    logs = filled.session_logs()
    assert [log.session_id for log in logs] == [
        r.id for r in sorted(filled.sessions(), key=lambda r: r.started_at)
    ]
    for log in logs:
        assert log.events == filled.events(log.session_id)
        assert log.scenario_hash == filled.session(log.session_id).scenario_hash


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SessionQuery(scenario_id="tutorial"), [1, 2, 4, 5]),
        (SessionQuery(team="队1"), [1, 3, 5]),
        (SessionQuery(team="队0", scenario_id="yida_1921"), [0]),
        (SessionQuery(started_from=1_700_000_000 + 2 * DAY), [2, 3, 4, 5]),
        (SessionQuery(started_before=1_700_000_000 + 2 * DAY), [0, 1]),
        (SessionQuery(started_from=1_700_000_000 + DAY, started_before=1_700_000_000 + 3 * DAY), [1, 2]),
        (SessionQuery(scenario_id="nope"), []),
    ],
)
def test_queries_select_sessions(filled: Store, query: SessionQuery, expected: list[int]) -> None:
    order = [r.id for r in sorted(filled.sessions(), key=lambda r: r.started_at)]
    assert [log.session_id for log in filled.session_logs(query)] == [order[i] for i in expected]


def test_one_session_by_id(filled: Store) -> None:
    some = filled.sessions()[2].id
    (log,) = filled.session_logs(SessionQuery(session_id=some))
    assert log.session_id == some and log.events == filled.events(some)


def test_a_session_whose_steps_were_deleted_comes_back_empty(filled: Store) -> None:
    first = filled.session_logs()[0].session_id
    (number,) = filled.conn.execute("SELECT number FROM sessions WHERE id = ?", (first,)).fetchone()
    filled.conn.execute("DELETE FROM steps WHERE key >> 32 = ?", (number,))
    logs = {log.session_id: log.events for log in filled.session_logs()}
    assert logs[first] == [] and all(logs[sid] for sid in logs if sid != first)


def test_a_gap_in_a_log_is_refused(filled: Store) -> None:
    first = filled.session_logs()[0].session_id
    (number,) = filled.conn.execute("SELECT number FROM sessions WHERE id = ?", (first,)).fetchone()
    filled.conn.execute(
        "DELETE FROM steps WHERE key = (SELECT min(key) FROM steps WHERE key >> 32 = ? AND key & 0xFFFFFFFF > 1)",
        (number,),
    )
    with pytest.raises(StoreError, match="不连续"):
        filled.session_logs()
