"""Load test of the multi-phone host on loopback: N teams x 4 phones over WebSocket, whole sessions.

The host runs as ``python play.py host`` in its own process (as on the organizer's laptop); this
script plays every phone with asyncio WebSocket clients on 127.0.0.1 only. Three phones per team
pick the tutorial's three roles, the fourth watches; each role phone drops its connection once
mid-session and comes back with its token. Phones "think" 50-300 ms between actions (a human
takes 5-40 s; this compresses a classroom hour into seconds).

Checks at the end, from the host's database: every session ended, event numbers contiguous,
each accepted action is exactly one ``choice_made`` event, every action got exactly one answer,
and every phone's last view is the stored final state (nothing lost, nothing duplicated).

Each phone connects from its own loopback address (127.0.x.y: all of 127.0.0.0/8 is loopback on
Linux), as phones on a Wi-Fi each have their own; the host limits connections and joins per
address. The same load runs twice: once plain, once while a flood of idle sockets (300 kept
open from 127.0.0.1, reopened as the host closes them) hits a host limited to 256 file
descriptors, macOS's default. Figures of the second run end in ``_flood``.

    python bench/bench_web.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from engine.format.loader import load_scenario  # noqa: E402
from engine.format.scenario import Scenario  # noqa: E402
from engine.rules.state import fold  # noqa: E402
from engine.store.db import Store  # noqa: E402
from engine.store.hosting import HostTables  # noqa: E402

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
ROLES = ("lida", "wanghuiwu", "lihanjun")
THINK = (0.05, 0.3)
TIME_LIMIT = 150.0
FLOOD = 300  # idle sockets kept open against the host during the second run
FLOOD_FDS = 256  # the host's file-descriptor limit during that run (macOS's default)


@dataclass
class Phone:
    team: str
    code: str
    name: str
    role: str  # "" = watches
    address: str = ""  # the loopback address this phone connects from
    token: str = ""
    view: dict[str, Any] = field(default_factory=dict)
    sent: dict[str, float] = field(default_factory=dict)
    acks: dict[str, int] = field(default_factory=dict)
    accepted: int = 0
    rtts: list[float] = field(default_factory=list)
    reconnected: bool = False


def choose(scenario: Scenario, role: dict[str, Any], rng: random.Random) -> int:
    """Any offered choice except a trap that locks the role out (that would cost real seconds)."""
    offered = [c["index"] for c in role["choices"]]
    node = scenario.node(role["task"], role["node"])
    ok = [i for i in offered if node.choices[i].trap is None or not node.choices[i].trap.lockout_seconds]
    return rng.choice(ok or offered)


async def recv(ws: ClientConnection) -> dict[str, Any]:
    data: Any = json.loads(await ws.recv())
    return dict(data)


def _from(address: str) -> dict[str, Any]:
    return {"local_addr": (address, 0)} if address else {}


async def play_phone(
    url: str, phone: Phone, scenario: Scenario, started: asyncio.Event, rng: random.Random
) -> None:
    ws = await connect(url, **_from(phone.address))
    await ws.send(json.dumps({"t": "join", "code": phone.code, "name": phone.name, "role": phone.role}))
    while not phone.token:
        msg = await recv(ws)
        if msg["t"] == "joined":
            phone.token = msg["token"]
        elif msg["t"] == "error":
            raise RuntimeError(msg)
    started.set()
    pending = ""
    actions = 0
    while True:
        msg = await recv(ws)
        if msg["t"] == "view":
            phone.view = msg
        elif msg["t"] == "ack":
            phone.acks[msg["aid"]] = phone.acks.get(msg["aid"], 0) + 1
            if msg["aid"] == pending:
                phone.rtts.append(time.perf_counter() - phone.sent[pending])
                phone.accepted += bool(msg["ok"])
                pending = ""
        elif msg["t"] == "error":
            raise RuntimeError(msg)
        view = phone.view
        if view.get("phase") == "over" and not pending:
            break
        if pending or view.get("phase") != "play" or not phone.role:
            continue
        mine = view["play"]["roles"][0]
        if mine["status"] != "active":
            continue
        if actions == 1 and not phone.reconnected:
            # Drop the connection mid-session and come back with the token, as a locked phone does.
            phone.reconnected = True
            await ws.close()
            ws = await connect(url, **_from(phone.address))
            await ws.send(json.dumps({"t": "hello", "token": phone.token}))
            continue
        await asyncio.sleep(rng.uniform(*THINK))
        actions += 1
        pending = f"{phone.name}-{actions}"
        phone.sent[pending] = time.perf_counter()
        await ws.send(
            json.dumps(
                {
                    "t": "act",
                    "aid": pending,
                    "role": phone.role,
                    "choice": choose(scenario, mine, rng),
                    "node": mine["node"],
                }
            )
        )
    await ws.close()


async def organizer(
    url: str, secret: str, teams: dict[str, list[Phone]], joined: dict[str, list[asyncio.Event]]
) -> None:
    async with connect(url, **_from(address(1_000))) as ws:
        await ws.send(json.dumps({"t": "host", "secret": secret}))
        dash = await recv(ws)
        while dash["t"] != "dash":
            dash = await recv(ws)
        ids = {t["code"]: t["id"] for t in dash["teams"]}
        for code, events in joined.items():
            await asyncio.gather(*(e.wait() for e in events))
            while True:  # the host answers each start; a dashboard too quick is told to slow down
                await ws.send(
                    json.dumps(
                        {"t": "org", "op": "start", "team": ids[code], "aid": f"start-{code}", "quiz": "skip"}
                    )
                )
                reply = await recv(ws)
                while reply["t"] not in ("ack", "error"):
                    reply = await recv(ws)
                if reply.get("code") != "slow_down":
                    break
                await asyncio.sleep(0.2)


def address(n: int) -> str:
    """Phone ``n``'s own loopback address (not 127.0.0.1, where the flood comes from)."""
    if not sys.platform.startswith("linux"):
        return ""  # elsewhere only 127.0.0.1 is loopback: every phone shares it
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def _limit_fds() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (FLOOD_FDS, FLOOD_FDS))


def start_host(
    db: str, teams: int, errors: Any, limited: bool = False, entry: list[str] | None = None, env: Any = None
) -> tuple[subprocess.Popen[str], str, str, list[str]]:
    """``play.py host`` (or ``entry``: what follows ``python -u`` instead of ``play.py``) in its
    own process, with ``env`` as its environment when given."""
    cmd = [
        sys.executable,
        "-u",
        *(entry or [str(ROOT / "play.py")]),
        "host",
        "--bind",
        "127.0.0.1",
        "--port",
        "0",
    ]
    cmd += ["--db", db, "--teams", str(teams), "--scenario", str(TUTORIAL)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        cwd=ROOT,
        env=env,
        preexec_fn=_limit_fds if limited else None,
    )
    assert proc.stdout is not None
    base = secret = ""
    codes: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.search(r"(http://127\.0\.0\.1:\d+)/host#k=(\w+)", line):
            base, secret = m.group(1), m.group(2)
        if m := re.search(r"队伍码 (\w+)", line):
            codes.append(m.group(1))
        if line.startswith("手机需连接"):
            return proc, base, secret, codes
    proc.kill()
    raise RuntimeError("host did not start")


async def drive(bases: list[str], secret: str, codes: list[str], phones_per_team: int) -> list[Phone]:
    """Play every team; phone ``n`` talks to host process ``n % len(bases)`` (with two processes,
    every team has phones on both: each choice must reach the other process's phones)."""
    urls = [base.replace("http://", "ws://") + "/ws" for base in bases]
    scenario = load_scenario(TUTORIAL)
    rng = random.Random(7)
    teams: dict[str, list[Phone]] = {}
    joined: dict[str, list[asyncio.Event]] = {}
    tasks = []
    for t, code in enumerate(codes):
        teams[code] = [
            Phone(
                code, code, f"p{t}-{i}", ROLES[i] if i < len(ROLES) else "", address(t * phones_per_team + i)
            )
            for i in range(phones_per_team)
        ]
        joined[code] = [asyncio.Event() for _ in teams[code]]
        for i, (phone, event) in enumerate(zip(teams[code], joined[code], strict=True)):
            url = urls[(t * phones_per_team + i) % len(urls)]
            tasks.append(play_phone(url, phone, scenario, event, random.Random(rng.random())))
    await asyncio.wait_for(asyncio.gather(organizer(urls[0], secret, teams, joined), *tasks), TIME_LIMIT)
    return [p for team in teams.values() for p in team]


def check(db: str, phones: list[Phone]) -> dict[str, int]:
    store = Store(db)
    try:
        lost = duplicated = 0
        by_team: dict[str, list[Phone]] = {}
        for p in phones:
            by_team.setdefault(p.code, []).append(p)
            lost += sum(1 for aid in p.sent if p.acks.get(aid, 0) == 0)
            duplicated += sum(n - 1 for n in p.acks.values() if n > 1)
        ended = 0
        for code, team in by_team.items():
            events = store.events(_session_of(store, code))  # raises on a gap in the numbering
            state = fold(events)
            ended += state.status == "ended"
            choices = sum(e.kind == "choice_made" for e in events)
            accepted = sum(p.accepted for p in team)
            lost += max(0, accepted - choices)
            duplicated += max(0, choices - accepted)
            lost += sum(1 for p in team if p.view.get("seq") != len(events))
        return {"lost": lost, "duplicated": duplicated, "ended": ended}
    finally:
        store.close()


def _session_of(store: Store, code: str) -> str:
    return next(t.session_id for t in HostTables(store).teams() if t.code == code)


def flood_sockets(port: int, stop: Any, opened: Any) -> None:
    """Keep ``FLOOD`` idle sockets open against the host from 127.0.0.1, reopening each one the
    host closes, until ``stop`` is set; ``opened`` counts them. Runs in its own process, so it
    costs the phones' measurements nothing."""
    held: list[socket.socket] = []
    while not stop.is_set():
        alive = []
        for s in held:
            try:
                if s.recv(1) == b"":
                    s.close()
                    continue
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                continue
            alive.append(s)
        held = alive
        while len(held) < FLOOD and not stop.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1)
            except OSError:
                break
            s.setblocking(False)
            held.append(s)
            with opened.get_lock():
                opened.value += 1
        stop.wait(0.2)
    for s in held:
        s.close()


def _load(
    teams: int, phones_per_team: int, flood: bool = False, db: str = "", hosts: int = 1, **host: Any
) -> tuple[dict[str, float | str], int, int]:
    """One load: ``hosts`` host processes on the store ``db`` (a new SQLite file when empty);
    ``host``: more of :func:`start_host`'s arguments (``entry``, ``env``)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db or str(Path(tmp) / "bench.db")
        log = Path(tmp) / "host.log"
        procs = []
        with log.open("w") as errors:
            proc, base, secret, codes = start_host(db, teams, errors, limited=flood, **host)
            procs.append(proc)
            bases = [base]
            for _ in range(hosts - 1):  # the others find the first one's teams in the store
                other, other_base, _, _ = start_host(db, 0, errors, **host)
                procs.append(other)
                bases.append(other_base)
        stop, opened = multiprocessing.Event(), multiprocessing.Value("i", 0)
        port = int(base.rsplit(":", 1)[1])
        flooder = multiprocessing.Process(target=flood_sockets, args=(port, stop, opened)) if flood else None
        try:
            if flooder is not None:
                flooder.start()
                time.sleep(1.0)  # the flood is on before the first phone arrives
            t0 = time.perf_counter()
            phones = asyncio.run(drive(bases, secret, codes, phones_per_team))
            wall = time.perf_counter() - t0
        finally:
            if flooder is not None:
                stop.set()
                flooder.join(timeout=10)
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
                if proc.stdout is not None:
                    proc.stdout.close()
        result = check(db, phones)
        log_bytes = log.stat().st_size
    rtts = sorted(r * 1000 for p in phones for r in p.rtts)
    q = statistics.quantiles(rtts, n=100, method="inclusive")
    if result["ended"] != teams or result["lost"] or result["duplicated"]:
        raise RuntimeError(f"bench_web: consistency check failed: {result}")
    figures: dict[str, float | str] = {
        "web_actions": float(len(rtts)),
        "web_actions_per_s": round(len(rtts) / wall, 1),
        "web_rtt_p50_ms": round(q[49], 2),
        "web_rtt_p99_ms": round(q[98], 2),
        "web_rtt_max_ms": round(rtts[-1], 2),
        "web_lost_events": float(result["lost"]),
        "web_duplicated_events": float(result["duplicated"]),
        "web_wall_s": round(wall, 1),
    }
    return figures, opened.value, log_bytes


def busy_machine(workers: int, stop: Any) -> list[multiprocessing.Process]:
    """Keep the machine busy as other jobs do (test suites, installs, builds): ``workers``
    processes each writing a file and flushing it to disk in a loop (the disk the host's commits
    share), with some CPU work in between."""
    procs = [multiprocessing.Process(target=_busy, args=(stop,), daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    return procs


def _busy(stop: Any) -> None:
    block = os.urandom(256 * 1024)
    with tempfile.TemporaryFile() as f:
        while not stop.is_set():
            f.seek(0)
            f.write(block)
            f.flush()
            os.fsync(f.fileno())
            sum(i * i for i in range(20_000))  # ~1 ms of CPU


def postgres_store() -> tuple[str, Callable[[], None]]:
    """A fresh schema on ``QINGJING_TEST_POSTGRES``, or on a throwaway durable cluster (server
    defaults: fsync on), and how to drop it; ``("", ...)`` without PostgreSQL."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import psycopg  # noqa: F401
        from pg_cluster import ENV, Cluster, fresh_schema, server_programs
    except ImportError:
        return "", lambda: None
    cluster = None
    base = os.environ.get(ENV, "")
    if not base:
        if server_programs() is None:
            return "", lambda: None
        cluster = Cluster(durable=True)
        base = cluster.url
    schema = fresh_schema(base)
    url = schema.__enter__()

    def done() -> None:
        schema.__exit__(None, None, None)
        if cluster is not None:
            cluster.stop()

    return url, done


def run(quick: bool, busy: int = 0, servers: bool = True) -> dict[str, float | str]:
    teams = 4 if quick else 30
    phones_per_team = 4
    stop = multiprocessing.Event()
    burners = busy_machine(busy, stop)
    try:
        plain, _, _ = _load(teams, phones_per_team)
        flooded, opened, log_bytes = _load(teams, phones_per_team, flood=True)
        out: dict[str, float | str] = {
            "web_teams": float(teams),
            "web_phones": float(teams * phones_per_team),
            "web_busy_workers": float(busy),
            **plain,
            **{f"{name}_flood": value for name, value in flooded.items()},
            "web_flood_sockets_opened": float(opened),
            "web_flood_host_log_bytes": float(log_bytes),
        }
        if servers:
            out.update(side_by_side(10 if quick else 100, phones_per_team))
        return out
    finally:
        stop.set()
        for proc in burners:
            proc.join(timeout=10)


def side_by_side(teams: int, phones_per_team: int) -> dict[str, float | str]:
    """The same load on one host process on SQLite and on two host processes sharing PostgreSQL
    (each team's phones spread over both), in the same run."""
    out: dict[str, float | str] = {
        "multi_teams": float(teams),
        "multi_phones": float(teams * phones_per_team),
    }
    sqlite, _, _ = _load(teams, phones_per_team)
    out.update({f"sqlite_1host_{k.removeprefix('web_')}": v for k, v in sqlite.items()})
    url, done = postgres_store()
    if not url:
        out["postgres_2hosts"] = (
            "n/a (no PostgreSQL: set QINGJING_TEST_POSTGRES or apt-get install postgresql)"
        )
        return out
    try:
        pg, _, _ = _load(teams, phones_per_team, db=url, hosts=2)
    finally:
        done()
    out.update({f"postgres_2hosts_{k.removeprefix('web_')}": v for k, v in pg.items()})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="4 teams instead of 30 (10 instead of 100)")
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        metavar="N",
        help="N processes writing and flushing files meanwhile (a busy machine)",
    )
    parser.add_argument("--no-servers", action="store_true", help="skip the 100-team SQLite/PostgreSQL runs")
    args = parser.parse_args()
    for name, value in run(args.quick, args.busy, not args.no_servers).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
