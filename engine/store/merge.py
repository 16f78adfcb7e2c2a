"""Bring sessions from branch laptops' store files into one store (a server, or another file).

Each session comes over whole and byte for byte: its row, its players, every step as stored (the
events' JSON text, the time, the status and score after it) and the scenario text it was played
with, so reports and reviews replay it exactly as on the laptop, whatever happened to the
scenario file since. Only the session's number, the high bits of its steps' keys, is the
target's own. Importing is idempotent:

- a session the target does not have is added;
- one it has with the same steps is left as it is (importing a file twice adds nothing);
- one it has as a beginning of the file's (the branch played on after an earlier import) gets
  the steps it lacks;
- one whose steps differ from the file's (another game under the same id) is refused, named in
  the result, and the target keeps its own.

A source file is never changed: it is opened read-only, and a file from an older Qingjing is
upgraded in a temporary copy (:func:`engine.store.backup.backup`), which is then read.

A session's roster links come along: each member it names is found in the target's roster by
编号 (or, without one, by 姓名 and 支部) or added to it, so member reports count branch sessions.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.store.backup import backup
from engine.store.base import SCHEMA_VERSION, SessionRow, Store
from engine.store.errors import StoreError
from engine.store.members import Member, new_member_id
from engine.store.sql import Sql
from engine.store.steps import INSERT_STEP, SEQ_BITS


@dataclass
class ImportResult:
    """What one source file brought: sessions added, extended, already there, refused (why)."""

    source: str
    added: int = 0
    extended: int = 0
    same: int = 0
    steps: int = 0
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Incoming:
    row: SessionRow
    players: dict[str, str]
    scenario: tuple[Any, ...]
    steps: list[tuple[Any, ...]]  # (seq, upto, at, events JSON, status, score, ending)
    members: dict[str, Member]  # player -> the roster member they were, on the branch


def import_store(source: Path, target: Store) -> ImportResult:
    """Merge every session of the store file ``source`` into ``target`` (see the module's note)."""
    if not source.exists():
        raise StoreError(f"找不到要导入的文件 {source}")
    if target.target == str(source) or Path(target.target).resolve() == source.resolve():
        raise StoreError(f"{source} 就是目标数据库本身；请用 --db 指定要导入到的数据库")
    with tempfile.TemporaryDirectory(prefix="qingjing-import-") as tmp:
        sessions = _read_source(source, Path(tmp))
        result = ImportResult(str(source))

        def write(sql: Sql) -> None:
            for session in sessions:
                _merge(sql, target, session, result)

        target._write(write)  # one transaction: the file's sessions all come over, or none
    return result


def _read_source(source: Path, tmp: Path) -> list[_Incoming]:
    store = Store(source, readonly=True, upgrade=False)
    try:
        if store.version < SCHEMA_VERSION:
            store.close()
            copy = tmp / "upgraded.db"
            backup(source, copy)
            store = Store(copy)  # the copy is upgraded; the branch's file is not touched
        rows = sorted(store.sessions(), key=lambda r: (r.started_at, r.id))
        roster = {m.id: m for m in store.members()}
        links = store.member_links()
        return [
            _Incoming(
                row,
                store.players(row.id),
                store.scenario_row(row.scenario_hash),
                store.raw_steps(row.id),
                {player: roster[mid] for player, mid in links.get(row.id, {}).items() if mid in roster},
            )
            for row in rows
        ]
    finally:
        store.close()


def _merge(sql: Sql, target: Store, session: _Incoming, result: ImportResult) -> None:
    row = session.row
    found = sql.execute("SELECT number, scenario_hash FROM sessions WHERE id = ?", (row.id,)).fetchone()
    if found is None:
        Store.put_scenario(sql, session.scenario)
        head = (row.id, row.scenario_hash, row.scenario_id, row.scenario_title, row.scenario_path, row.team)
        number = Store.put_session(sql, head, row.started_at, row.rules_version, row.app_version)
        sql.executemany(
            "INSERT INTO players (session_id, role, player) VALUES (?, ?, ?)",
            [(row.id, role, player) for role, player in session.players.items()],
        )
        _add_steps(sql, number, session.steps)
        sql.executemany(
            "INSERT INTO session_members (session_id, player, member_id) VALUES (?, ?, ?)",
            [(row.id, player, _member(sql, member)) for player, member in session.members.items()],
        )
        result.added += 1
        result.steps += len(session.steps)
        return
    number, scenario_hash = int(found[0]), found[1]
    base = number << SEQ_BITS
    have = [
        tuple(r)
        for r in sql.execute(
            "SELECT key - ?, upto, at, events, status, score, ending FROM steps WHERE key > ? AND key < ?"
            " ORDER BY key",
            (base, base, base + (1 << SEQ_BITS)),
        ).fetchall()
    ]
    shorter, longer = sorted((have, session.steps), key=len)
    if scenario_hash != row.scenario_hash or longer[: len(shorter)] != shorter:
        result.refused.append(
            f"会话 {row.id}（{row.team}，{row.scenario_title}）与目标数据库里同编号的会话内容不同，没有导入；"
            "目标数据库里的那场保持不变"
        )
        return
    if len(session.steps) > len(have):  # the branch played on after the last import
        _add_steps(sql, number, session.steps[len(have) :])
        result.extended += 1
        result.steps += len(session.steps) - len(have)
    else:
        result.same += 1


def _member(sql: Sql, member: Member) -> str:
    """The target's id for a branch's member: the one with the same 编号 (or, without one, the same
    姓名 and 支部), else the member added to the target's roster as the branch had them."""
    if member.number:
        found = sql.execute("SELECT id FROM members WHERE number = ?", (member.number,)).fetchone()
    else:
        found = sql.execute(
            "SELECT id FROM members WHERE name = ? AND branch = ? AND number = ''",
            (member.name, member.branch),
        ).fetchone()
    if found is not None:
        return str(found[0])
    new_id = new_member_id()
    sql.execute(
        "INSERT INTO members (id, name, branch, number, added_at) VALUES (?, ?, ?, ?, ?)",
        (new_id, member.name, member.branch, member.number, member.added_at),
    )
    return new_id


def _add_steps(sql: Sql, number: int, steps: list[tuple[Any, ...]]) -> None:
    sql.executemany(
        INSERT_STEP,
        [
            (number << SEQ_BITS | seq, upto, at, status, score, ending, events)
            for seq, upto, at, events, status, score, ending in steps
        ],
    )
