"""The host behind a reverse proxy (`host --public-url URL --proxy ADDR`, docs/web.md): links and
QR codes name the public https address, a browser page of that address may open the WebSocket,
the proxy's many connections are not capped as one phone's, and the limits on guessing count per
phone (from X-Forwarded-For), not for the whole proxy. Only 127.0.0.1 is used."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from engine.store.db import Store
from engine.store.members import NewMember
from engine.web.guard import PER_ADDRESS, ConnectionGuard

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "https://qingjing.example.cn"


class _Transport:
    def is_closing(self) -> bool:
        return False


def test_the_proxy_is_not_capped_as_one_address() -> None:
    guard = ConnectionGuard(proxies=frozenset({"10.0.0.2"}))
    assert all(guard.admit("10.0.0.2", _Transport()) for _ in range(PER_ADDRESS * 3))  # type: ignore[arg-type]
    assert all(guard.admit("10.0.0.9", _Transport()) for _ in range(PER_ADDRESS))  # type: ignore[arg-type]
    assert not guard.admit("10.0.0.9", _Transport())  # type: ignore[arg-type]


@pytest.mark.slow
def test_behind_a_proxy_links_origins_and_limits_follow_the_public_address(tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    store = Store(tmp_path / "p.db")
    store.import_members([NewMember("张伟")])
    store.close()
    cmd = [sys.executable, "-u", str(ROOT / "play.py"), "host", "--bind", "127.0.0.1", "--port", "0"]
    cmd += ["--db", str(tmp_path / "p.db"), "--public-url", PUBLIC + "/", "--proxy", "127.0.0.1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    lines = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if not line or line.startswith("手机需连接"):
                break
        text = "".join(lines)
        assert f"{PUBLIC}/host#k=" in text and re.search(rf"{re.escape(PUBLIC)}/j/\w+", text)
        assert "加入页不列出名册中的名字" in text  # on the internet the roster stays on the server
        code = re.findall(r"队伍码 (\w+)", text)[0]
        listening = re.search(r"本机监听 127\.0\.0\.1:(\d+)", text)
        assert listening, text
        port = int(listening.group(1))

        async def phone(forwarded: str) -> Any:
            # as the proxy forwards it: Host and Origin of the public address, the phone's own IP
            return await connect(
                "ws://qingjing.example.cn/ws",
                host="127.0.0.1",
                port=port,
                origin=PUBLIC,  # type: ignore[arg-type]
                additional_headers={"X-Forwarded-For": forwarded},
            )

        async def peek(ws: Any) -> str:
            await ws.send(json.dumps({"t": "peek", "code": "ZZZZZ"}))
            return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["code"])

        async def guesses() -> tuple[list[str], str, str, str]:
            ws = await phone("203.0.113.7")
            seen = [await peek(ws) for _ in range(20)]  # one phone guesses codes ...
            again = await phone("203.0.113.7")
            refused = await peek(again)  # ... and is refused, on a new connection too ...
            other = await phone("203.0.113.8")
            answer = await peek(other)  # ... while another phone behind the same proxy is not
            many = [await phone(f"198.51.100.{i}") for i in range(PER_ADDRESS + 6)]  # all via 127.0.0.1
            last = await peek(many[-1])
            await many[0].send(json.dumps({"t": "peek", "code": code}))
            team = json.loads(await asyncio.wait_for(many[0].recv(), 10))
            assert team["members"] == [] and team["roster_hidden"] is True
            for each in [ws, again, other, *many]:
                await each.close()
            return seen, refused, answer, last

        seen, refused, answer, last = asyncio.run(guesses())
        assert seen == ["bad_code"] * 20 and refused == "slow_down"
        assert answer == "bad_code" and last == "bad_code"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
