"""The roster in the store (engine/store/members.py): display names, import, links, migration."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from engine.format.scenario import Scenario
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import SCHEMA_VERSION, Store
from engine.store.members import MAX_NAME, Member, NewMember, display_names, match_players

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_display_names_are_unique_and_fit_a_players_name() -> None:
    members = [
        Member("a", "张伟", "一支部"),
        Member("b", "张伟", "二支部"),
        Member("c", "张伟", "", "007"),
        Member("d", "李娜"),
        Member("e", "王芳", "机关第一党支部第二党小组的很长的名字"),
        Member("f", "王芳", "机关第一党支部第二党小组的很长的名字"),
    ]
    shown = display_names(members)
    assert shown == {
        "a": "张伟（一支部）",
        "b": "张伟（二支部）",
        "c": "张伟（007）",
        "d": "李娜",
        "e": "王芳2",  # the branch would not fit in a player's name
        "f": "王芳3",
    }
    assert len(set(shown.values())) == len(members)
    assert all(len(n) <= MAX_NAME for n in shown.values())


def test_players_match_members_by_display_name_only() -> None:
    members = [Member("a", "张伟", "一支部"), Member("b", "张伟", "二支部"), Member("d", "李娜")]
    links = match_players(members, ["张伟（一支部）", "张伟", "李娜 ", "访客"])
    # a bare 张伟 is ambiguous: no link, rather than the wrong person's 积分
    assert links == {"张伟（一支部）": "a", "李娜 ": "d"}


def test_import_adds_then_updates_all_or_nothing(store: Store) -> None:
    assert store.import_members(
        [NewMember("张三", "一支部", "001"), NewMember("李四", "一支部")], now=10.0
    ) == (2, 0)
    # again: 张三 found by 编号 (moved branch), 李四 by name and branch, 王五 new
    added, updated = store.import_members(
        [NewMember("张三", "二支部", "001"), NewMember("李四", "一支部"), NewMember("王五")], now=20.0
    )
    assert (added, updated) == (1, 1)
    assert [(m.name, m.branch, m.number) for m in store.members()] == [
        ("张三", "二支部", "001"),
        ("李四", "一支部", ""),
        ("王五", "", ""),
    ]
    # a member first imported without 编号 gets it on a later import instead of a twin
    assert store.import_members([NewMember("李四", "一支部", "002")]) == (0, 1)
    assert len(store.members()) == 3


def test_a_session_started_by_members_records_them(store: Store, tutorial: Scenario) -> None:
    store.import_members([NewMember("张伟", "一支部"), NewMember("张伟", "二支部"), NewMember("李娜")])
    players = {"lida": "张伟（二支部）", "wanghuiwu": "李娜", "lihanjun": "客人"}
    session = Session.start(tutorial, store, "一队", players, ManualClock(1_700_000_000.0), "s1")
    ids = {m.branch or m.name: m.id for m in store.members()}
    assert store.member_links() == {"s1": {"张伟（二支部）": ids["二支部"], "李娜": ids["李娜"]}}
    # what the session logged is exactly what it logs without a roster
    plain = Session.start(
        tutorial, Store(store.path.with_name("plain.db")), "一队", players, ManualClock(1_700_000_000.0), "s1"
    )
    assert [(e.kind, e.data) for e in session.events] == [(e.kind, e.data) for e in plain.events]
    plain.store.close()


def test_no_roster_no_links(store: Store, tutorial: Scenario) -> None:
    Session.start(
        tutorial, store, "一队", {"lida": "甲", "wanghuiwu": "乙", "lihanjun": "丙"}, ManualClock(1.0e9)
    )
    assert store.member_links() == {}


def test_a_v3_store_migrates_to_the_roster(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "store_v2_host.db", db)
    conn = sqlite3.connect(db)
    assert "members" not in {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    conn.close()
    store = Store(db)
    assert store.version == SCHEMA_VERSION == 4
    assert store.members() == [] and store.member_links() == {}
    assert len(store.sessions()) == sessions
    assert store.import_members([NewMember("张三")]) == (1, 0)
    store.close()


def test_an_old_program_refuses_the_new_file_rather_than_losing_the_roster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.store import base as store_mod
    from engine.store.errors import StoreError

    Store(tmp_path / "new.db").close()
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 3)
    with pytest.raises(StoreError, match="更新版本的 Qingjing"):
        Store(tmp_path / "new.db")
