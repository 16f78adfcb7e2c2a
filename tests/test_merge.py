"""`play.py import`: branch laptops' store files merge into one store (engine/store/merge.py)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.scenario import Scenario
from engine.rules.step import Choose
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.store.members import NewMember
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "play.py"), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def branch(path: Path, tutorial: Scenario, seeds: range, team: str) -> list[str]:
    store = Store(path)
    ids = [
        play_bot_session(tutorial, "random", seed=s, store=store, team=team).session_id or "" for s in seeds
    ]
    store.close()
    return ids


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_importing_branch_files_twice_adds_their_sessions_once(
    backend: str, tmp_path: Path, tutorial: Scenario
) -> None:
    east = tmp_path / "东区支部.db"
    west = tmp_path / "西区支部.db"
    ids = branch(east, tutorial, range(3), "东区") + branch(west, tutorial, range(3, 5), "西区")
    before = {p: digest(p) for p in (east, west)}
    first = cli("import", str(east), str(west), "--db", backend)
    assert first.returncode == 0, first.stderr
    assert "新增 3 场会话" in first.stdout and "新增 2 场会话" in first.stdout
    again = cli("import", str(east), str(west), "--db", backend)
    assert again.returncode == 0, again.stderr
    assert "新增 0 场会话，续上 0 场，已有 3 场" in again.stdout
    assert {p: digest(p) for p in (east, west)} == before  # the branch files are never changed
    store = Store(backend)
    assert sorted(r.id for r in store.sessions()) == sorted(ids)
    source = Store(east, readonly=True)
    for sid in ids[:3]:  # every step byte for byte, and the scenario text it was played with
        assert store.raw_steps(sid) == source.raw_steps(sid)
        assert store.events(sid) == source.events(sid)
        resumed = Session.resume(store, sid, check_file=False)
        assert resumed.state.status == "ended"
    source.close()
    store.close()
    listed = cli("sessions", "--db", backend)
    assert listed.returncode == 0 and all(sid in listed.stdout for sid in ids)


@pytest.mark.slow
def test_a_session_played_on_after_an_import_gets_its_new_steps(
    backend: str, tmp_path: Path, tutorial: Scenario
) -> None:
    laptop = tmp_path / "laptop.db"
    store = Store(laptop)
    clock = ManualClock(1_700_000_000)
    session = Session.start(tutorial, store, "队", ASSIGN, clock)
    assert cli("import", str(laptop), "--db", backend).returncode == 0
    role = next(r for r, rs in session.state.roles.items() if rs.node is not None)
    node = session.state.roles[role].node
    assert node is not None
    clock.advance(10)
    session.act(Choose(role, 0, node))
    store.close()
    out = cli("import", str(laptop), "--db", backend)
    assert out.returncode == 0 and "续上 1 场" in out.stdout
    target = Store(backend)
    assert target.events(session.id) == session.events
    target.close()


@pytest.mark.slow
def test_a_conflicting_session_is_refused_and_the_target_keeps_its_own(
    backend: str, tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.session.live.new_session_id", lambda: "00000000000000aa")
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    branch(a, tutorial, range(1), "甲")
    branch(b, tutorial, range(5, 6), "乙")  # the same id, another game
    assert cli("import", str(a), "--db", backend).returncode == 0
    target = Store(backend)
    kept = target.raw_steps("00000000000000aa")
    target.close()
    out = cli("import", str(b), "--db", backend)
    assert out.returncode == 1
    assert "未导入：会话 00000000000000aa（乙" in out.stdout and "内容不同" in out.stdout
    target = Store(backend)
    assert target.raw_steps("00000000000000aa") == kept and len(target.sessions()) == 1
    target.close()


@pytest.mark.slow
def test_an_old_branch_file_is_read_through_an_upgraded_copy(backend: str, tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "store_v1.db", old)
    before = digest(old)
    out = cli("import", str(old), "--db", backend)
    assert out.returncode == 0, out.stderr
    assert "新增 5 场会话" in out.stdout and digest(old) == before
    report = cli("report", "--db", backend, "--format", "json", "-o", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr


@pytest.mark.slow
def test_importing_a_file_that_is_not_a_store_says_so(backend: str, tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("不是数据库", encoding="utf-8")
    out = cli("import", str(junk), "--db", backend)
    assert out.returncode == 2 and "不是 SQLite 数据库文件" in out.stderr and "Traceback" not in out.stderr
    assert junk.read_text(encoding="utf-8") == "不是数据库"


@pytest.mark.slow
def test_roster_links_come_along_and_find_the_servers_members(
    backend: str, tmp_path: Path, tutorial: Scenario
) -> None:
    laptop = tmp_path / "laptop.db"
    branch_store = Store(laptop)
    branch_store.import_members([NewMember("张三", "一支部", "001"), NewMember("李四", "一支部")])
    session = Session.start(
        tutorial,
        branch_store,
        "队",
        {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "客人"},
        ManualClock(1_700_000_000),
    )
    branch_store.close()
    target = Store(backend)
    target.import_members([NewMember("张三", "机关支部", "001")])  # the server knows 001 already
    target.close()
    assert cli("import", str(laptop), "--db", backend).returncode == 0
    target = Store(backend)
    by = {m.name: m for m in target.members()}
    assert len(by) == 2 and by["张三"].branch == "机关支部"  # found by 编号, not doubled, not changed
    assert target.member_links() == {session.id: {"张三": by["张三"].id, "李四": by["李四"].id}}
    target.close()
