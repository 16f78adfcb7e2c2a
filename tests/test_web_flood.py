"""An idle-socket flood against a real `play.py host` with macOS's 256 file descriptors: the
players keep being served, the flood's sockets are closed, and the log stays small.

Before the guards, 260 idle sockets from one machine locked every player out and the host wrote
megabytes of "Too many open files". Loopback only: the flood comes from 127.0.0.1, the players
and the organizer from other loopback addresses (127.0.0.0/8 is all loopback on Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from engine.web.guard import PER_ADDRESS

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
FLOOD = 300
FDS = 256

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="needs 127.0.0.x source addresses and rlimits"
)


def _limit_fds() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (FDS, FDS))  # hard too: the host cannot raise it


def _start(db: Path, log: Path) -> tuple[subprocess.Popen[str], str, str, str]:
    cmd = [sys.executable, "-u", "play.py", "host", "--bind", "127.0.0.1", "--port", "0", "--db", str(db)]
    cmd += ["--scenario", str(TUTORIAL), "--teams", "1"]
    with log.open("w") as errors:  # a file, not a pipe: a chatty host must not block on it
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True, preexec_fn=_limit_fds
        )
    assert proc.stdout is not None
    base = secret = code = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if m := re.search(r"(http://127\.0\.0\.1:\d+)/host#k=(\w+)", line):
            base, secret = m.group(1), m.group(2)
        if m := re.search(r"队伍码 (\w+)", line):
            code = m.group(1)
        if line.startswith("手机需连接") or not line:
            break
    if not (base and code):
        proc.kill()
        pytest.fail(f"host did not start: {log.read_text(encoding='utf-8')[-2000:]}")
    return proc, base, secret, code


async def _ask(ws: Any, msg: dict[str, Any], want: str) -> dict[str, Any]:
    await ws.send(json.dumps(msg))
    while True:
        reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if reply["t"] in (want, "error"):
            return dict(reply)


async def _players(base: str, secret: str, code: str) -> tuple[list[str], int]:
    from websockets.asyncio.client import connect

    url = base.replace("http://", "ws://") + "/ws"
    names = ["张三", "李四", "王五"]
    phones = [await connect(url, local_addr=(f"127.0.0.{10 + i}", 0), open_timeout=10) for i in range(3)]
    try:
        joined = [
            (await _ask(ws, {"t": "join", "code": code, "name": name}, "joined"))["t"]
            for ws, name in zip(phones, names, strict=True)
        ]
        async with connect(url, local_addr=("127.0.0.20", 0), open_timeout=10) as org:
            dash = await _ask(org, {"t": "host", "secret": secret}, "dash")
        return joined, len(dash["teams"][0]["seats"])
    finally:
        for ws in phones:
            await ws.close()


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except (TimeoutError, BlockingIOError):
        return False


@pytest.mark.slow
def test_players_are_served_while_idle_sockets_flood_the_host(tmp_path: Path) -> None:
    log = tmp_path / "host.log"
    proc, base, secret, code = _start(tmp_path / "host.db", log)
    flood: list[socket.socket] = []
    try:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(FLOOD):
            with contextlib.suppress(OSError):
                flood.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        time.sleep(0.5)
        started = time.monotonic()
        joined, seats = asyncio.run(_players(base, secret, code))
        served_in = time.monotonic() - started
        assert joined == ["joined"] * 3 and seats == 3
        assert served_in < 10
        # beyond the per-address cap, the flood's sockets were closed at once
        open_ones = sum(not _closed(s) for s in flood)
        assert open_ones <= PER_ADDRESS, open_ones
        assert proc.poll() is None
    finally:
        for s in flood:
            s.close()
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()
    text = log.read_text(encoding="utf-8")
    assert len(text) < 20_000 and "Traceback" not in text, text[-2000:]
