"""The migration history (engine/store/migrations.py): old files migrate the same whatever the rules.

A migration is frozen when it ships. The v1 -> v2 step computes each step's status, score and
ending from a v1 log with its own copy of how the rules folded them then; if it called the live
rules, a rules change would silently change what an old file migrates to.
"""

from __future__ import annotations

import ast
import hashlib
import sqlite3
from pathlib import Path

import pytest

from engine.rules import state as state_mod
from engine.rules.state import Event, State, apply_event
from engine.store.db import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "fixtures" / "store_v1.db"


def migrated(tmp_path: Path, name: str = "v1.db") -> Path:
    db = tmp_path / name
    db.write_bytes(V1.read_bytes())
    Store(db).close()
    return db


def steps(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT key, upto, at, status, score, ending, events FROM steps ORDER BY key"
    ).fetchall()
    conn.close()
    return rows


def test_the_migrations_import_no_rules() -> None:
    source = (ROOT / "engine" / "store" / "migrations.py").read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not {m for m in imported if m.startswith(("engine.rules", "engine.store.steps"))}


def test_a_rules_change_does_not_change_what_a_v1_file_migrates_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = steps(migrated(tmp_path, "a.db"))

    def generous(st: State, event: Event) -> None:  # a "new rule": every choice is worth 1,000
        st.score += 1000

    monkeypatch.setitem(state_mod._APPLY, "choice_made", generous)
    monkeypatch.setitem(state_mod._APPLY, "ending_reached", lambda st, e: None)
    assert steps(migrated(tmp_path, "b.db")) == before


def test_each_migrated_step_holds_the_summary_the_fold_gives(tmp_path: Path) -> None:
    db = migrated(tmp_path)
    store = Store(db)
    try:
        for row in store.sessions():
            events = store.events(row.id)
            state = State()
            by_seq = {}
            for seq, event in enumerate(events, 1):
                apply_event(state, event)
                by_seq[seq] = (state.status, state.score, state.ending)
            (number,) = store.conn.execute("SELECT number FROM sessions WHERE id = ?", (row.id,)).fetchone()
            rows = store.conn.execute(
                "SELECT upto, status, score, ending FROM steps WHERE key >> 32 = ? ORDER BY key", (number,)
            ).fetchall()
            assert rows and all(
                by_seq[upto] == (status, score, ending) for upto, status, score, ending in rows
            )
    finally:
        store.close()


def test_a_v1_event_missing_a_field_stops_the_migration_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    db.write_bytes(V1.read_bytes())
    raw = sqlite3.connect(db)
    raw.execute(
        "UPDATE events SET data = '{}' WHERE kind = 'choice_made' AND seq = (SELECT min(seq) FROM events WHERE kind = 'choice_made')"
    )
    raw.commit()
    raw.execute("PRAGMA journal_mode = WAL")
    raw.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="无法升级"):
        Store(db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
