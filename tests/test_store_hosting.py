"""The web host's teams and seats are store tables under the store's one migration history.

tests/fixtures/store_v2_host.db was written by the code before this (schema v2 plus the host's
own ``web_meta``/``web_teams``/``web_seats``): a team "红队" playing the tutorial (three phones,
one action and a hint so far) and a team "蓝队" in its lobby (one phone, lida picked). After the
upgrade every code, token and the organizer's secret still work and the game goes on.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hub_driver import Inbox, act_first, send

from engine.session.clock import ManualClock
from engine.store import migrations
from engine.store.db import SCHEMA_VERSION, Store
from engine.store.hosting import HostTables
from engine.web.hub import Client, Hub

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# what the fixture's phones and organizer hold (tokens live only on the phones)
SECRET = "URB4UAZCU8"
CODES = {"红队": "QGZVK", "蓝队": "64KWV"}
SESSION = "b9338cc2"
TOKENS = {
    "张三": "VfVpoVvFiAs2fXHhk8lYIlXvy8X83wUI",
    "李四": "zmBXSfU8_GbQMmYKaKo0tFFDaX2mjnVi",
    "王五": "Gx23bymE3_NqBSa87xTQIZ1meDrfs5Tb",
    "赵六": "p1PDdXQPn2qnedcbH16WRxzfHFUnyRIY",
}


def test_one_migration_history_with_the_host_tables(tmp_path: Path) -> None:
    assert sorted(migrations.MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
    store = Store(tmp_path / "new.db")
    tables = set(store.db.table_names())
    assert {"host_teams", "host_seats"} <= tables and not any(t.startswith("web_") for t in tables)
    store.close()


def test_a_v1_store_opens_and_gets_the_host_tables(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "store_v1.db", db)
    store = Store(db)
    assert len(store.sessions()) == 5 and HostTables(store).teams() == []
    store.close()


def _host_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "host.db"
    shutil.copyfile(FIXTURES / "store_v2_host.db", db)
    # the teams name their scenario relative to where the host ran; give it the text they played
    raw = sqlite3.connect(db)
    (text,) = raw.execute("SELECT text FROM scenarios").fetchone()
    raw.close()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "tutorial.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return db


def test_a_host_database_from_before_keeps_every_team_seat_token_and_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _host_fixture(tmp_path, monkeypatch)
    raw = sqlite3.connect(db)
    old_seats = sorted(raw.execute("SELECT token_hash, team_id, name, pick FROM web_seats").fetchall())
    raw.close()

    store = Store(db)
    tables = set(store.db.table_names())
    assert not any(t.startswith("web_") for t in tables)
    host = HostTables(store)
    teams = {t.name: t for t in host.teams()}
    assert {name: t.code for name, t in teams.items()} == CODES and teams["红队"].session_id == SESSION
    seats = sorted(
        (s.token_hash, s.team_id, s.name, s.pick) for t in teams.values() for s in host.seats(t.id)
    )
    assert seats == old_seats

    clock = ManualClock(1_767_000_100.0)
    hub = Hub(store, "http://127.0.0.1:9", "scenarios/tutorial.yaml", clock)
    assert hub.secret == SECRET
    red, blue = hub.by_code[CODES["红队"]], hub.by_code[CODES["蓝队"]]
    assert red.error == "" and red.session is not None and red.session.events[-1].kind == "session_resumed"
    assert blue.phase == "lobby"
    org = Client(Inbox())
    assert send(hub, org, t="host", secret=SECRET)["t"] == "dash"
    zhao = send(hub, Client(Inbox()), t="hello", token=TOKENS["赵六"])
    assert zhao["me"] == {"name": "赵六", "pick": "lida"}
    # every red phone is back on its role, and whoever may act plays on
    roles = {}
    for name, role_id in (("张三", "lida"), ("李四", "wanghuiwu"), ("王五", "lihanjun")):
        phone = Client(Inbox())
        (role,) = send(hub, phone, t="hello", token=TOKENS[name])["play"]["roles"]
        assert role["id"] == role_id
        roles[role_id] = (phone, role)
    phone, role = next(pr for pr in roles.values() if pr[1]["status"] == "active")
    reply = act_first(hub, phone, role, "after-upgrade")
    assert reply["ok"], reply
    assert store.events(SESSION) == red.session.events
    # a new team's code does not collide with any stored one, and the lobby team starts
    assert send(hub, org, t="org", op="start", team=blue.row.id, aid="go")["ok"]
    store.close()
