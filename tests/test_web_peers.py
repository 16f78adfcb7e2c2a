"""Two `play.py host` processes on one PostgreSQL store serve the same teams (engine/web/peers.py).

Real processes, real sockets, phones as WebSocket clients on 127.0.0.1: a phone may join on
either process, a choice made on a phone of one process shows on the phones of the other, and a
process killed mid-game loses nothing: its phones come back on the other with their tokens and
play to the end. The browser version (two Chromium phones, one per process) is in
tests/test_web_browser_peers.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from engine.format.loader import load_scenario
from engine.rules.state import fold
from engine.store.db import Store
from engine.store.hosting import HostTables

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
ROLES = ("lida", "wanghuiwu", "lihanjun")
WAIT = 15.0
SCENARIO = load_scenario(TUTORIAL)
AIDS = itertools.count(1)  # action ids, unique across phones and processes
OPEN: list[Phone] = []  # every phone's connection, closed when its test's scenario ends


async def close_all() -> None:
    """Close every phone's WebSocket (a socket left to the garbage collector warns in a later test)."""
    while OPEN:
        await OPEN.pop().ws.close()


def run(scenario: Any) -> Any:
    """Run a test's scenario, then close its phones whatever happened."""

    async def whole() -> Any:
        try:
            return await scenario()
        finally:
            await close_all()

    return asyncio.run(whole())


class Host:
    """A `play.py host` process on 127.0.0.1 and a free port; its address, secret and codes."""

    def __init__(self, db: str, teams: int) -> None:
        cmd = [sys.executable, "-u", str(ROOT / "play.py"), "host", "--bind", "127.0.0.1", "--port", "0"]
        cmd += ["--db", db, "--teams", str(teams), "--scenario", str(TUTORIAL)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout is not None
        self.base = self.secret = ""
        self.codes: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if m := re.search(r"(http://127\.0\.0\.1:\d+)/host#k=(\w+)", line):
                self.base, self.secret = m.group(1), m.group(2)
            if m := re.search(r"队伍码 (\w+)", line):
                self.codes.append(m.group(1))
            if line.startswith("手机需连接"):
                return
        self.proc.kill()
        raise AssertionError(f"host did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")

    @property
    def ws(self) -> str:
        return self.base.replace("http://", "ws://") + "/ws"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=20)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


class Phone:
    """One phone's WebSocket: the latest view it was sent, and the answers to its actions."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.view: dict[str, Any] = {}
        self.acks: dict[str, dict[str, Any]] = {}
        self.token = ""

    @classmethod
    async def open(cls, url: str) -> Phone:
        from websockets.asyncio.client import connect

        phone = cls(await connect(url))
        OPEN.append(phone)
        return phone

    async def send(self, **msg: Any) -> None:
        await self.ws.send(json.dumps(msg))

    async def until(self, test: Any, timeout: float = WAIT) -> dict[str, Any]:
        """Read frames until ``test(frame)`` holds for one; keep the latest view and every ack."""
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic())))
            if frame["t"] == "view":
                self.view = frame
            elif frame["t"] == "ack":
                self.acks[frame["aid"]] = frame
            elif frame["t"] == "joined":
                self.token = frame["token"]
            if test(frame):
                return frame

    def mine(self) -> dict[str, Any]:
        return dict(self.view["play"]["roles"][0])


async def join(url: str, code: str, name: str, role: str) -> Phone:
    phone = await Phone.open(url)
    await phone.send(t="join", code=code, name=name, role=role)
    await phone.until(lambda f: f["t"] == "joined")
    return phone


def safe_choice(mine: dict[str, Any]) -> int:
    """A shown choice that springs no trap: these tests are about processes, not traps, and a trap's
    lock-out would only make them wait (options are shuffled per session, so the first may be one)."""
    node = SCENARIO.node(mine["task"], mine["node"])
    shown = [c["index"] for c in mine["choices"]]
    return next((i for i in shown if node.choices[i].trap is None), shown[0])


async def act(phone: Phone, aid: str) -> dict[str, Any]:
    mine = phone.mine()
    await phone.send(t="act", aid=aid, role=mine["id"], choice=safe_choice(mine), node=mine["node"])
    return await phone.until(lambda f: f["t"] == "ack" and f["aid"] == aid)


async def drain(phone: Phone, timeout: float = 0.03) -> None:
    """Take in whatever the host has sent meanwhile (the newest view)."""
    with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
        await phone.until(lambda f: False, timeout)


async def drive(team: list[Phone], acked: dict[str, int], code: str, actions: int) -> None:
    """Up to ``actions`` accepted choices by whichever phone of the team has one, until the game is
    over (or ``WAIT`` seconds pass without one); the highest acknowledged seq goes into ``acked[code]``."""
    done = 0
    stalled = time.monotonic() + WAIT
    while done < actions and time.monotonic() < stalled:
        for phone in team:
            await drain(phone)
        if all(p.view.get("phase") == "over" for p in team):
            return
        ready = [p for p in team if p.view.get("phase") == "play" and p.mine()["choices"]]
        ready = [p for p in ready if p.mine()["status"] != "locked"]
        if not ready:
            await asyncio.sleep(0.1)
            continue
        ack = await act(ready[0], f"{code}-{next(AIDS)}")
        if ack["ok"]:
            acked[code] = max(acked[code], ack["seq"])
            done += 1
            stalled = time.monotonic() + WAIT


@pytest.mark.slow
def test_a_choice_on_one_postgres_host_process_shows_on_the_other(postgres_url: str) -> None:
    a = Host(postgres_url, teams=1)
    b = Host(postgres_url, teams=1)  # finds A's team in the store: makes none of its own
    try:
        assert b.codes == a.codes and b.secret == a.secret
        code = a.codes[0]

        async def scenario() -> tuple[int, dict[str, Any]]:
            lida = await join(a.ws, code, "张三", "lida")  # on process A
            wang = await join(b.ws, code, "李四", "wanghuiwu")  # on process B
            li = await join(b.ws, code, "王五", "lihanjun")
            org = await Phone.open(a.ws)
            await org.send(t="host", secret=a.secret)
            dash = await org.until(lambda f: f["t"] == "dash")
            assert len(dash["teams"]) == 1 and len(dash["teams"][0]["seats"]) == 3  # B's joins, seen on A
            await org.send(t="org", op="start", team=dash["teams"][0]["id"], aid="go", quiz="skip")
            for phone in (lida, wang, li):  # started on A: every phone is playing, whichever process
                await phone.until(lambda f: f["t"] == "view" and f["phase"] == "play")
            ack = await act(lida, "a1")  # a choice on A ...
            assert ack["ok"], ack
            seen = await wang.until(lambda f: f["t"] == "view" and f["seq"] >= ack["seq"])  # ... shows on B
            return int(ack["seq"]), seen

        seq, seen = run(scenario)
        assert seen["seq"] == seq
        assert any("张三" in line or "李达" in line for line in seen["play"]["team"]["recent"])
    finally:
        a.stop()
        b.stop()


@pytest.mark.slow
def test_a_killed_postgres_host_process_loses_nothing_and_its_phones_go_on_at_the_other(
    postgres_url: str,
) -> None:
    a = Host(postgres_url, teams=2)
    b = Host(postgres_url, teams=0)
    try:
        codes = a.codes

        async def scenario() -> dict[str, int]:
            phones: dict[str, list[Phone]] = {}
            for t, code in enumerate(codes):  # team 0's phones on A, team 1's on B
                url = (a, b)[t].ws
                phones[code] = [await join(url, code, f"p{t}{i}", role) for i, role in enumerate(ROLES)]
            org = await Phone.open(b.ws)
            await org.send(t="host", secret=b.secret)
            dash = await org.until(lambda f: f["t"] == "dash")
            for team in dash["teams"]:
                await org.send(t="org", op="start", team=team["id"], aid=f"go{team['id']}", quiz="skip")
            for team in phones.values():
                for phone in team:
                    await phone.until(lambda f: f["t"] == "view" and f["phase"] == "play")
            acked = {code: 0 for code in codes}
            await asyncio.gather(*(drive(phones[c], acked, c, 2) for c in codes))
            a.stop(signal.SIGKILL)  # process A dies mid-game, its phones' connections with it
            moved = []
            for phone in phones[codes[0]]:  # they come back on B with their tokens
                fresh = await Phone.open(b.ws)
                fresh.token = phone.token
                await fresh.send(t="hello", token=phone.token)
                await fresh.until(lambda f: f["t"] == "view" and f["seq"] >= acked[codes[0]])
                moved.append(fresh)
            phones[codes[0]] = moved
            await asyncio.gather(*(drive(phones[c], acked, c, 60) for c in codes))
            left = {
                c: [p.mine()["situation"] for p in team if p.view["phase"] != "over"]
                for c, team in phones.items()
            }
            assert not any(left.values()), left
            return acked

        acked = run(scenario)
        store = Store(postgres_url)
        tables = HostTables(store)
        for team in tables.teams():
            events = store.events(team.session_id)  # contiguous 1..n, or it raises
            assert len(events) >= acked[team.code]  # every acknowledged step is stored
            assert fold(events).status == "ended"
        store.close()
    finally:
        a.stop()
        b.stop()
