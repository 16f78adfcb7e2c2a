"""The commands on a PostgreSQL store (engine/store/postgres.py), as a user runs them.

Each test needing a server names ``postgres`` and takes the ``postgres_url`` fixture: a fresh
schema on the server CI started, or on a throwaway cluster (skipped, saying why, without one).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from text_script import lines

from engine.format.loader import load_scenario
from engine.store.db import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
SEED = 11  # the order options are shown in: the script presses that order's numbers
ASSIGNMENT = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
PERFECT = lines(
    load_scenario(ROOT / "scenarios" / "tutorial.yaml"),
    SEED,
    ASSIGNMENT,
    [(1, 0), (2, 0), (None, 0), (None, 0), (None, 0), (None, 0)],
)


def cli(
    *args: str, cwd: Path = ROOT, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "play.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=180,
        env=env,
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once closed


@pytest.mark.slow
def test_a_postgres_url_is_never_taken_for_a_path(tmp_path: Path) -> None:
    url = f"postgresql://nobody:hunter2@127.0.0.1:{closed_port()}/qingjing"
    out = cli("sessions", "--db", url, cwd=tmp_path)
    assert (
        out.returncode == 2 and "无法连接 PostgreSQL 服务器" in out.stderr and "Traceback" not in out.stderr
    )
    assert "hunter2" not in out.stderr + out.stdout  # the password is never shown
    assert list(tmp_path.iterdir()) == []  # no folder named "postgresql:", no SQLite file
    env = {**os.environ, "QINGJING_DB": url}
    out = cli("sessions", cwd=tmp_path, env=env)
    assert out.returncode == 2 and "无法连接 PostgreSQL 服务器" in out.stderr
    out = cli("sessions", "--db", "mysql://h/db", cwd=tmp_path)
    assert out.returncode == 2 and "不支持的数据库地址" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_postgres_database_is_named(postgres_server: str) -> None:
    url = postgres_server.rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StoreError, match="没有这个数据库"):
        Store(url)


@pytest.mark.slow
def test_two_concurrent_simulate_runs_into_one_postgres_database(postgres_url: str, tmp_path: Path) -> None:
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "play.py"),
                "simulate",
                "--scenario",
                "tutorial",
                "--teams",
                "15",
                "--seed",
                str(seed),
                "--db",
                postgres_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for seed in (1, 2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
        assert "已把 15 局存入" in out
    store = Store(postgres_url)
    rows = store.sessions()
    assert len(rows) == 30 and all(r.status == "ended" for r in rows)
    numbers = sorted(n for (n,) in store._read("SELECT number FROM sessions"))
    assert numbers == list(range(1, 31))  # each run's sessions got their own numbers
    store.close()
    listed = cli("sessions", "--db", postgres_url)
    assert listed.returncode == 0 and all(r.id in listed.stdout for r in rows)
    report = cli("report", "--db", postgres_url, "--format", "json", "-o", str(tmp_path / "r.json"))
    assert report.returncode == 0, report.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["cohort"]["totals"]["sessions"] == 30 and len(data["sessions"]) == 30


@pytest.mark.slow
def test_text_mode_and_resume_on_postgres(postgres_url: str) -> None:
    args = ["text", "--scenario", "tutorial", "--players", "张三,李四,王五"]
    args += ["--roles", "lida=张三,wanghuiwu=李四,lihanjun=王五", "--simulated-clock", "--db", postgres_url]
    args += ["--seed", str(SEED), "--no-quiz"]
    first = cli(*args, stdin="".join(x + "\n" for x in PERFECT[:2]))
    assert first.returncode == 0, first.stderr
    store = Store(postgres_url)
    (row,) = store.sessions()
    store.close()
    assert row.status == "active"
    rest = cli(
        "resume",
        row.id[:6],
        "--simulated-clock",
        "--db",
        postgres_url,
        stdin="".join(x + "\n" for x in PERFECT[2:]),
    )
    assert rest.returncode == 0, rest.stderr
    assert "══ 结局：筹备圆满 ══" in rest.stdout


@pytest.mark.slow
def test_backup_of_a_postgres_store_uses_pg_dump(postgres_url: str, tmp_path: Path) -> None:
    from engine.store.backup import pg_dump_program

    assert cli("simulate", "--scenario", "tutorial", "--teams", "3", "--db", postgres_url).returncode == 0
    target = tmp_path / "备份.dump"
    out = cli("backup", "--db", postgres_url, "-o", str(target))
    if pg_dump_program() is None:
        assert out.returncode == 2 and "找不到 pg_dump" in out.stderr
        return
    assert out.returncode == 0, out.stderr
    assert "3 场会话" in out.stdout and "pg_restore" in out.stdout
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    again = cli("backup", "--db", postgres_url, "-o", str(target))
    assert again.returncode == 2 and "已经存在" in again.stderr


@pytest.mark.slow
def test_the_roster_command_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "成员.csv"
    sheet.write_bytes("姓名,支部,编号\r\n张三,一支部,001\r\n李四,二支部,\r\n".encode("utf-8-sig"))
    out = cli("roster", "import", str(sheet), "--db", postgres_url)
    assert out.returncode == 0, out.stderr
    assert "新增 2 人" in out.stdout
    listed = cli("roster", "list", "--db", postgres_url)
    assert listed.returncode == 0 and "张三" in listed.stdout and "李四" in listed.stdout


@pytest.mark.slow
def test_the_game_window_on_postgres(postgres_url: str) -> None:
    """The pygame game on a server store: a team set up and playing, then resumed from the title."""
    import pygame
    from test_ui_game import TUTORIAL, choice_number, set_up_team
    from ui_driver import click, frame

    from engine.session.clock import ManualClock
    from engine.ui.app import App, Settings
    from engine.ui.scenes.play import PlayScene

    clock = ManualClock(1_700_000_000)
    store = Store(postgres_url)
    first = App(store, Settings(scenarios=[TUTORIAL]), clock)
    scene = set_up_team(first)
    sid = scene.session.id
    panel = next(i for i, v in enumerate(scene.team.roles) if v.status == "active")
    click(first, f"choice:{panel}:{choice_number(scene, panel, None)}")
    stored = len(store.events(sid))
    first.close()
    store.close()
    store = Store(postgres_url)
    second = App(store, Settings(scenarios=[TUTORIAL]), ManualClock(clock.now() + 60))
    try:
        frame(second)
        if os.environ.get("QJ_SHOTS"):
            pygame.image.save(second.screen, str(Path(os.environ["QJ_SHOTS"]) / "title-postgres.png"))
        click(second, f"resume:{sid}")
        assert isinstance(second.scene, PlayScene) and len(second.scene.session.events) == stored + 1
    finally:
        second.close()
        store.close()
