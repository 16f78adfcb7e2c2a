"""Run the host: in the foreground (``play.py host``) or in a background thread (the game UI).

:func:`start_host` is what a frontend calls; it returns once the server listens, with the
dashboard link, the organizer's secret and each team's join link (and QR matrix to draw):

    handle = start_host(scenario="scenarios/tutorial.yaml", teams=2)
    for link in handle.links():
        draw_qr(link.qr, caption=link.url)
    ...
    handle.stop()

The store and hub live in the server's thread (SQLite connections stay in the thread that
made them); the handle's methods cross over with ``run_coroutine_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import segno
import uvicorn

from engine.format.catalog import default_scenario
from engine.present.board import TeamBoard, team_board
from engine.session.clock import Clock
from engine.store.batch import GroupCommitter
from engine.store.db import Store, default_db_path
from engine.store.watch import watch
from engine.web.guard import ConnectionGuard, guarded_protocol, limit_logging, raise_fd_limit
from engine.web.hub import Hub, Team
from engine.web.messages import MAX_FRAME
from engine.web.server import build_app

DEFAULT_PORT = 8765
ACCEPT_BATCH = 64  # connections accepted per wake-up (and the listen queue)
T = TypeVar("T")


def lan_ip() -> str:
    """This machine's address on the local network, as phones on the same Wi-Fi reach it.

    Connecting a UDP socket only picks the outgoing interface; no packet is sent.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))
            ip = str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"
    return ip if not ip.startswith("0.") else "127.0.0.1"


def bind_socket(bind: str, port: int) -> socket.socket:
    """Listen before the thread starts, so "port in use" is reported to the caller."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"无法在 {bind}:{port} 上监听（{exc.strerror}）；请换一个端口：--port 8766") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def base_url(bind: str, port: int, public_host: str | None, public_url: str | None = None) -> str:
    """Where phones reach the host: ``public_url`` as given (a reverse proxy's https address),
    else ``http://`` this machine's LAN address (or ``public_host``) and the port."""
    if public_url:
        return public_url.rstrip("/")
    host = public_host or (lan_ip() if bind in ("0.0.0.0", "") else bind)
    return f"http://{host}:{port}"


@dataclass(frozen=True)
class TeamLink:
    """One team's join link for the projector: the URL, its code, the QR modules (True = dark), who joined."""

    id: str
    name: str
    code: str
    url: str
    phase: str
    qr: list[list[bool]]
    players: tuple[str, ...] = ()  # names of the phones that joined (lobby seats)
    board: TeamBoard | None = None  # the room's view once the team plays (engine.present.board)


def qr_matrix(url: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make(url, error="m").matrix_iter(scale=1, border=2)]


def _link(hub: Hub, team: Team, boards: dict[str, tuple[int, TeamBoard]] | None = None) -> TeamLink:
    """``boards`` keeps each finished team's board (its results are replayed once, not per call)."""
    url = hub.join_url(team)
    players = tuple(seat.name for seat in team.seats.values())
    board = None
    if team.session is not None:
        s = team.session
        kept = boards.get(team.row.id) if boards is not None else None
        if kept is not None and kept[0] == s.state.seq and s.state.over:
            board = kept[1]
        else:
            board = team_board(s.scenario, s.state, s.events, hub.clock.now())
            if boards is not None:
                boards[team.row.id] = (s.state.seq, board)
    return TeamLink(
        team.row.id, team.row.name, team.row.code, url, team.phase, qr_matrix(url), players, board
    )


def make_server(hub: Hub, proxies: frozenset[str] = frozenset()) -> uvicorn.Server:
    """The uvicorn server for ``hub``, with the guards of :mod:`engine.web.guard` in place.

    ``proxies``: the addresses of a reverse proxy in front of the host (``--proxy``). Requests
    from them are taken to come from the address in their ``X-Forwarded-For`` header, so the
    limits on guessing and joining still count per phone, and the proxy itself is not capped."""
    raise_fd_limit()
    limit_logging()
    config = uvicorn.Config(
        build_app(hub),
        proxy_headers=bool(proxies),
        forwarded_allow_ips=sorted(proxies) or None,
        http=guarded_protocol(ConnectionGuard(proxies=proxies)),
        ws="websockets-sansio",
        ws_max_size=MAX_FRAME * 2,
        ws_per_message_deflate=False,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
        # asyncio accepts this many connections per wake-up before any of their protocols run:
        # kept small, a flood of connects is turned away (guard.py) before it uses up the file
        # descriptors (uvicorn's default, 2048, let one burst hit "Too many open files")
        backlog=ACCEPT_BATCH,
    )
    return uvicorn.Server(config)


@contextlib.asynccontextmanager
async def serving(hub: Hub) -> AsyncIterator[None]:
    """While the server runs: steps are group-committed on their own thread, and on a server
    store the other host processes' changes reach this hub (:mod:`engine.web.peers`)."""
    loop = asyncio.get_running_loop()
    hub.committer = GroupCommitter(hub.store)

    def notice(text: str) -> None:  # on the watcher's thread: hand it to the hub's
        loop.call_soon_threadsafe(hub.peers.changed, text)

    watcher = watch(hub.store, notice)
    if watcher is not None:
        hub.peers.resync()  # what the others changed between loading and listening
    try:
        yield
    finally:
        if watcher is not None:
            watcher.stop()
        hub.committer.close()
        hub.committer = None


def open_hub(
    db: str | Path | None, scenario: str | Path | None, url: str, teams: int, clock: Clock | None = None
) -> Hub:
    """The store and hub; ``teams`` new teams are made only when none is open (a restart resumes)."""
    store = Store(db or default_db_path())
    hub = Hub(store, url, scenario or default_scenario(), clock)
    if not hub.teams:
        for _ in range(teams):
            hub.new_team()
    return hub


class HostHandle:
    """A host running in a background thread."""

    def __init__(self) -> None:
        self.base_url = ""
        self.secret = ""
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._hub: Hub | None = None
        self._thread: threading.Thread | None = None
        self._boards: dict[str, tuple[int, TeamBoard]] = {}

    @property
    def dashboard_url(self) -> str:
        """The organizer's page; the secret rides in the fragment, which browsers never send."""
        return f"{self.base_url}/host#k={self.secret}"

    def _call(self, fn: Callable[[Hub], T]) -> T:
        assert self._loop is not None and self._hub is not None
        hub = self._hub

        async def run() -> T:
            return fn(hub)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)

    def links(self) -> list[TeamLink]:
        return self._call(lambda hub: [_link(hub, t, self._boards) for t in hub.teams.values()])

    def new_team(self, name: str = "") -> TeamLink:
        return self._call(lambda hub: _link(hub, hub.new_team(name)))

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_host(
    scenario: str | Path | None = None,
    db: str | Path | None = None,
    port: int = DEFAULT_PORT,
    bind: str = "0.0.0.0",
    public_host: str | None = None,
    teams: int = 1,
    clock: Clock | None = None,
) -> HostHandle:
    """Start hosting in a daemon thread; returns when the server listens (raises if it cannot)."""
    sock = bind_socket(bind, port)
    port = sock.getsockname()[1]
    handle = HostHandle()
    handle.base_url = base_url(bind, port, public_host)

    async def main() -> None:
        try:
            hub = open_hub(db, scenario, handle.base_url, teams, clock)
            server = make_server(hub)
        except BaseException as exc:
            handle.error = exc
            handle._ready.set()
            sock.close()
            return
        handle._hub, handle._server, handle.secret = hub, server, hub.secret
        handle._loop = asyncio.get_running_loop()
        try:
            async with serving(hub):
                task = asyncio.create_task(server.serve(sockets=[sock]))
                while not server.started and not task.done():
                    await asyncio.sleep(0.01)
                handle._ready.set()
                await task
        except BaseException as exc:
            if not handle._ready.is_set():
                handle.error = exc
            raise
        finally:
            handle._ready.set()
            sock.close()
            hub.store.close()

    handle._thread = threading.Thread(target=asyncio.run, args=(main(),), name="qingjing-host", daemon=True)
    handle._thread.start()
    handle._ready.wait(timeout=30)
    if handle.error is not None:
        raise handle.error
    return handle


def serve(
    hub: Hub,
    sock: socket.socket,
    on_ready: Callable[[], None] | None = None,
    proxies: frozenset[str] = frozenset(),
) -> None:
    """Serve in the foreground until Ctrl+C (the CLI)."""
    server = make_server(hub, proxies)

    async def main() -> None:
        async with serving(hub):
            task = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.01)
            if on_ready is not None and server.started:
                on_ready()
            await task

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
