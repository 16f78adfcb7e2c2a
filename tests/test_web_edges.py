"""The multi-phone host at its edges: hostile frames, seats taken by one connection, seats freed
by the organizer, guessing codes from one address, other sites' pages, session ids, a changed
scenario file on restart, and the socket-level guards (see test_web_flood.py for the flood)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from hub_driver import Inbox, act_first, send

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.web import guard, organizer, server
from engine.web import messages as m
from engine.web.access import origin_allowed
from engine.web.hub import Client, Hub, Team
from engine.web.runner import start_host

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
BASE = "http://192.168.1.20:8765"


def phone(address: str = "192.168.1.50") -> Client:
    return Client(Inbox(), address=address)


def started_team(
    store: Store, clock: ManualClock
) -> tuple[Hub, Team, dict[str, Client], dict[str, str], Client]:
    hub = Hub(store, BASE, TUTORIAL, clock)
    team = hub.new_team("红队")
    phones, tokens = {}, {}
    for i, (role, name) in enumerate((("lida", "张三"), ("wanghuiwu", "李四"), ("lihanjun", "王五"))):
        phones[role] = phone(f"192.168.1.{60 + i}")
        reply = send(hub, phones[role], t="join", code=team.row.code, name=name, role=role)
        assert reply["t"] == "joined", reply
        tokens[role] = reply["token"]
    org = phone("192.168.1.2")
    assert send(hub, org, t="host", secret=hub.secret)["t"] == "dash"
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="go", quiz="skip")["ok"]
    return hub, team, phones, tokens, org


# --- frames --------------------------------------------------------------------------------------


@pytest.mark.parametrize("frame", ["[" * 1000 + "]" * 1000, '{"a":' * 340 + "1" + "}" * 340, "[" * 2040])
def test_deeply_nested_json_is_refused_cleanly(frame: str) -> None:
    assert len(frame) <= m.MAX_FRAME
    with pytest.raises(m.BadMessage):
        m.parse(frame)


# --- seats ---------------------------------------------------------------------------------------


def test_one_connection_takes_one_seat(store: Store, clock: ManualClock) -> None:
    hub = Hub(store, BASE, TUTORIAL, clock)
    team = hub.new_team("红队")
    script = phone()
    assert send(hub, script, t="join", code=team.row.code, name="甲", role="lida")["t"] == "joined"
    again = send(hub, script, t="join", code=team.row.code, name="乙", role="wanghuiwu")
    assert again["code"] == "already_joined" and "只占一个座位" in again["error"]
    assert [s.name for s in team.seats.values()] == ["甲"]


def test_the_organizer_frees_a_seat_and_the_player_comes_back_on_another_phone(
    store: Store, clock: ManualClock
) -> None:
    hub, team, phones, tokens, org = started_team(store, clock)
    dash = org.listener.latest[f"team:{team.row.id}"]["team"]  # type: ignore[attr-defined]
    seat = next(s for s in dash["seats"] if s["name"] == "张三")
    assert seat["online"] and len(seat["id"]) == 16
    # a stranger cannot free seats, nor join under a seated player's name
    assert (
        send(hub, phone(), t="org", op="free_seat", team=team.row.id, seat=seat["id"], aid="x")["code"]
        == "not_organizer"
    )
    assert send(hub, phone("192.168.1.99"), t="join", code=team.row.code, name="张三")["code"] == "name_taken"

    assert send(hub, org, t="org", op="free_seat", team=team.row.id, seat=seat["id"], aid="f1")["ok"]
    told = phones["lida"].listener.latest["view"]  # type: ignore[attr-defined]
    assert told["code"] == "bad_token" and "释放" in told["error"]
    assert send(hub, phone(), t="hello", token=tokens["lida"])["code"] == "bad_token"
    assert (
        send(hub, org, t="org", op="free_seat", team=team.row.id, seat=seat["id"], aid="f2")["code"]
        == "no_seat"
    )

    # the player's new phone joins under the same name and holds lida again, where it was
    new_phone = phone("192.168.1.77")
    assert send(hub, new_phone, t="join", code=team.row.code, name="张三")["t"] == "joined"
    (role,) = new_phone.listener.latest["view"]["play"]["roles"]  # type: ignore[attr-defined]
    assert role["id"] == "lida" and role["status"] == "active"
    reply = act_first(hub, new_phone, role, "back")
    assert reply["ok"], reply
    # the freed seat is gone from the database too: a restart does not bring the old token back
    hub2 = Hub(store, BASE, TUTORIAL, clock)
    assert send(hub2, phone(), t="hello", token=tokens["lida"])["code"] == "bad_token"


# --- guessing and joining, counted per address ------------------------------------------------------


def test_guessing_codes_is_limited_per_address_across_connections(store: Store, clock: ManualClock) -> None:
    hub = Hub(store, BASE, TUTORIAL, clock)
    team = hub.new_team("红队")
    refused = 0
    for i in range(60):  # a fresh connection for every guess: reconnecting must not help
        reply = send(hub, phone("10.0.0.66"), t="peek", code=f"ZZZ{i:02d}")
        refused += reply["code"] == "slow_down"
    assert refused >= 60 - 20
    # while refused, even the right code gets no answer from that address ...
    assert send(hub, phone("10.0.0.66"), t="peek", code=team.row.code)["code"] == "slow_down"
    # ... other phones are not affected, and the address may try again later
    assert send(hub, phone("10.0.0.67"), t="peek", code=team.row.code)["t"] == "team"
    clock.advance(10)
    assert send(hub, phone("10.0.0.66"), t="peek", code=team.row.code)["t"] == "team"


def test_wrong_secrets_count_like_wrong_codes(store: Store, clock: ManualClock) -> None:
    hub = Hub(store, BASE, TUTORIAL, clock)
    codes = [send(hub, phone("10.0.0.5"), t="host", secret=f"WRONG{i:05d}")["code"] for i in range(25)]
    assert codes[:20] == ["bad_secret"] * 20 and set(codes[20:]) == {"slow_down"}
    assert send(hub, phone("10.0.0.5"), t="host", secret=hub.secret)["code"] == "slow_down"


def test_taking_seats_is_limited_per_address(store: Store, clock: ManualClock) -> None:
    hub = Hub(store, BASE, TUTORIAL, clock)
    teams = [hub.new_team(f"队{i}") for i in range(3)]
    replies = [
        send(hub, phone("10.0.0.9"), t="join", code=teams[i % 3].row.code, name=f"机器{i}")["t"]
        for i in range(15)
    ]
    assert replies[:12] == ["joined"] * 12 and set(replies[12:]) == {"error"}
    assert send(hub, phone("10.0.0.10"), t="join", code=teams[0].row.code, name="真人")["t"] == "joined"


# --- other sites ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "origin", "ok"),
    [
        ("192.168.1.20:8765", "http://192.168.1.20:8765", True),
        ("192.168.1.20:8765", None, True),  # not a browser
        ("localhost:8765", "http://localhost:8765", True),
        ("[::1]:8765", "http://[::1]:8765", True),
        ("192.168.1.20:8765", "http://evil.example", False),  # another site's page
        ("192.168.1.20:8765", "http://192.168.1.20:9999", False),
        ("evil.example:8765", "http://evil.example:8765", False),  # a rebound DNS name
        ("evil.example:8765", None, False),
        ("", None, False),
    ],
)
def test_only_this_hosts_own_pages_may_open_the_websocket(host: str, origin: str | None, ok: bool) -> None:
    assert origin_allowed(host, origin, "192.168.1.20") is ok


def test_the_name_given_as_public_host_is_allowed() -> None:
    assert origin_allowed("laptop.local:8765", "http://laptop.local:8765", "laptop.local")


# --- session ids ---------------------------------------------------------------------------------


def test_session_ids_have_64_bits_and_a_collision_is_retried(
    store: Store, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, team, *_ = started_team(store, clock)
    taken = team.row.session_id
    assert len(taken) == 16
    other = hub.new_team("蓝队")
    send(hub, phone("10.1.1.1"), t="join", code=other.row.code, name="赵六")
    ids = iter([taken, "0123456789abcdef"])
    monkeypatch.setattr(organizer, "new_session_id", lambda: next(ids))
    org = phone("10.1.1.2")
    send(hub, org, t="host", secret=hub.secret)
    reply = send(hub, org, t="org", op="start", team=other.row.id, aid="s")
    assert reply["ok"] and reply["session"] == "0123456789abcdef"
    assert store.session(taken).team == "红队" and store.session("0123456789abcdef").team == "蓝队"


# --- restart with a changed scenario file ------------------------------------------------------------


def test_a_restart_does_not_resume_a_session_whose_scenario_file_changed(
    tmp_path: Path, clock: ManualClock
) -> None:
    scenario = tmp_path / "tutorial.yaml"
    scenario.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "host.db"
    store = Store(db)
    hub = Hub(store, BASE, scenario, clock)
    team = hub.new_team("红队")
    send(hub, phone(), t="join", code=team.row.code, name="张三")
    org = phone("10.2.2.2")
    send(hub, org, t="host", secret=hub.secret)
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="s", quiz="skip")["ok"]
    events = store.events(team.row.session_id)
    store.close()

    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("筹备一大", "筹备二大"), encoding="utf-8"
    )
    store = Store(db)
    hub = Hub(store, BASE, scenario, clock)
    again = hub.by_code[team.row.code]
    assert again.session is None and "被修改过" in again.error
    org = phone("10.2.2.2")
    dash = send(hub, org, t="host", secret=hub.secret)
    assert "被修改过" in dash["teams"][0]["error"]
    refused = send(hub, org, t="org", op="start", team=team.row.id, aid="s2")
    assert not refused["ok"] and "被修改过" in refused["error"]
    assert store.events(team.row.session_id) == events  # nothing appended, not even "resumed"
    store.close()


# --- the real server: frames, /j/ and /qr/, Origin, timeouts ------------------------------------------


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def _upgrade(port: int, host: str, origin: str | None) -> str:
    """The status line the server answers a WebSocket handshake with."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        lines = [
            "GET /ws HTTP/1.1",
            f"Host: {host}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
        ]
        if origin:
            lines.append(f"Origin: {origin}")
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return s.recv(200).decode("latin-1").splitlines()[0]


def test_real_server_refuses_other_origins_and_rate_limits_code_pages(tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    handle = start_host(TUTORIAL, tmp_path / "h.db", port=0, bind="127.0.0.1", teams=1)
    try:
        port = int(handle.base_url.rsplit(":", 1)[1])
        code = handle.links()[0].code
        assert " 101 " in _upgrade(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
        assert " 403 " in _upgrade(port, f"127.0.0.1:{port}", "http://evil.example")
        assert " 403 " in _upgrade(port, f"evil.example:{port}", f"http://evil.example:{port}")

        async def nested_then_peek() -> tuple[dict[str, Any], dict[str, Any]]:
            async with connect(handle.base_url.replace("http", "ws") + "/ws") as ws:
                await ws.send("[" * 1000 + "]" * 1000)
                bad = json.loads(await asyncio.wait_for(ws.recv(), 5))
                await ws.send(json.dumps({"t": "peek", "code": code}))
                return bad, json.loads(await asyncio.wait_for(ws.recv(), 5))

        bad, team = asyncio.run(nested_then_peek())
        assert bad["code"] == "bad_message" and team["t"] == "team"  # the connection lives on

        statuses = [_get(f"{handle.base_url}/qr/ZZ{i:03d}.svg") for i in range(25)]
        assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}
        assert _get(f"{handle.base_url}/j/{code}") == 429  # this address is guessing: no page for now
    finally:
        handle.stop()


@pytest.mark.slow
def test_idle_and_dribbling_sockets_are_closed_and_silent_websockets_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from websockets.asyncio.client import connect

    monkeypatch.setattr(guard, "HEAD_TIMEOUT", 0.6)
    monkeypatch.setattr(server, "IDENTIFY_TIMEOUT", 0.8)
    handle = start_host(TUTORIAL, tmp_path / "h.db", port=0, bind="127.0.0.1", teams=1)
    try:
        port = int(handle.base_url.rsplit(":", 1)[1])
        code = handle.links()[0].code
        idle = socket.create_connection(("127.0.0.1", port), timeout=5)
        dribble = socket.create_connection(("127.0.0.1", port), timeout=5)
        started = time.monotonic()
        closed_at = None
        for ch in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
            try:
                dribble.sendall(bytes([ch]))
            except OSError:
                closed_at = time.monotonic() - started
                break
            time.sleep(0.05)
        assert idle.recv(10) == b""  # closed by the host, no response
        assert closed_at is None or closed_at < 3
        dribble.settimeout(3)
        with contextlib.suppress(ConnectionResetError):
            assert dribble.recv(10) == b""
        idle.close()
        dribble.close()

        # a keep-alive connection that was answered, then dribbles its next request
        again = socket.create_connection(("127.0.0.1", port), timeout=5)
        again.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while not answer.endswith(b"ok"):
            answer += again.recv(200)
        assert answer.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        with contextlib.suppress(OSError):
            for ch in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 60:
                again.sendall(bytes([ch]))
                time.sleep(0.05)
        again.settimeout(3)
        with contextlib.suppress(ConnectionResetError):
            assert again.recv(10) == b""
        assert time.monotonic() - started < 3.5  # not the 60 bytes x 50 ms the dribble wanted
        again.close()

        async def silent_and_known() -> tuple[bool, bool]:
            url = handle.base_url.replace("http", "ws") + "/ws"
            async with connect(url) as silent, connect(url) as known:
                await known.send(json.dumps({"t": "peek", "code": code}))
                await asyncio.wait_for(known.recv(), 5)
                await asyncio.sleep(1.5)
                try:
                    await asyncio.wait_for(silent.recv(), 2)
                    silent_closed = False
                except Exception:  # ConnectionClosed: the host hung up
                    silent_closed = True
                await known.send(json.dumps({"t": "sync"}))
                answer = json.loads(await asyncio.wait_for(known.recv(), 5))
                return silent_closed, answer["code"] == "no_seat"

        silent_closed, known_alive = asyncio.run(silent_and_known())
        assert silent_closed and known_alive
    finally:
        handle.stop()


def test_the_same_log_line_is_written_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(guard.time, "monotonic", lambda: now[0])
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("qingjing-test-flood")
    logger.propagate = False
    logger.addHandler(Keep())
    logger.addFilter(guard.RateLimitedLog(10.0))
    for _ in range(5000):
        logger.error("socket.accept() out of system resource\nsocket: <fd=7>")
    logger.error("another problem")
    now[0] += 11
    logger.error("socket.accept() out of system resource\nsocket: <fd=7>")
    assert len(records) == 3
    assert records[2].endswith("[4999 more like this in the last 10 s]")


def test_a_connection_may_send_30_messages_at_once_then_10_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(server.time, "monotonic", lambda: now[0])
    bucket = server.Bucket()
    assert all(bucket.take() for _ in range(30)) and not bucket.take()
    now[0] += 1.0
    assert sum(bucket.take() for _ in range(30)) == 10


@pytest.mark.skipif(sys.platform == "win32", reason="file-descriptor limits are POSIX")
def test_the_host_raises_its_file_descriptor_limit_as_far_as_allowed() -> None:
    code = (
        "import resource\n"
        "from engine.web.guard import raise_fd_limit\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, 1024))\n"
        "print(raise_fd_limit(), resource.getrlimit(resource.RLIMIT_NOFILE))\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))\n"
        "print(raise_fd_limit(), resource.getrlimit(resource.RLIMIT_NOFILE))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.stdout.split("\n")[:2] == ["(256, 1024) (1024, 1024)", "(256, 256) (256, 256)"], out.stderr
