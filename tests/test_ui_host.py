"""Phones over the LAN from the game: set-up -> host scene (QR codes, team codes, dashboard).

The host binds 127.0.0.1 only (Settings.host_bind) on a free port; every request goes to loopback.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pygame
import pytest
from ui_driver import click, frame, key

from engine.format.loader import load_scenario
from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.store.hosting import HostTables
from engine.ui.app import App, Settings
from engine.ui.scenes.host import QUIET, HostScene
from engine.ui.scenes.setup import SetupScene
from engine.web.runner import TeamLink

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
LOOPBACK = "127.0.0.1"


@pytest.fixture
def app(store: Store, clock: ManualClock) -> Iterator[App]:
    settings = Settings(scenarios=[TUTORIAL], host_bind=LOOPBACK, host_port=0)
    a = App(store, settings, clock)
    yield a
    a.close()  # stops a host left running


def wait_for(app: App, ok: Callable[[], bool], what: str, seconds: float = 15) -> None:
    """Run frames (the host works on its own threads) until ``ok()``."""
    deadline = time.monotonic() + seconds
    while not ok():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        frame(app)
        time.sleep(0.01)


def open_setup(app: App) -> SetupScene:
    setup = SetupScene(app, load_scenario(TUTORIAL))
    app.go(setup)
    frame(app)
    return setup


def hosting_scene(app: App) -> HostScene:
    scene = app.scene
    assert isinstance(scene, HostScene)
    hosting = scene.hosting
    assert hosting is not None
    wait_for(app, lambda: hosting.state == "running" or hosting.state == "failed", "the host to start")
    assert hosting.state == "running", hosting.error
    frame(app)
    return scene


def links(scene: HostScene) -> list[TeamLink]:
    assert scene.hosting is not None
    return scene.hosting.links


def drawn_modules(app: App, scene: HostScene, link: TeamLink) -> list[list[bool]]:
    """Read the QR modules back from the screen's pixels (centre of each module)."""
    rect, module = scene.qr_drawn[link.code]
    surface = app.screen
    grid = []
    for r in range(len(link.qr)):
        row = []
        for c in range(len(link.qr)):
            px = surface.get_at((rect.x + c * module + module // 2, rect.y + r * module + module // 2))
            row.append(px.r + px.g + px.b < 3 * 128)
        grid.append(row)
    return grid


def quiet_zone_is_white(app: App, scene: HostScene, link: TeamLink) -> bool:
    rect, module = scene.qr_drawn[link.code]
    outer = rect.inflate(2 * QUIET * module, 2 * QUIET * module)
    points = [(x, outer.y + 1) for x in range(outer.x, outer.right, module)]
    points += [(outer.x + 1, y) for y in range(outer.y, outer.bottom, module)]
    return all(app.screen.get_at(p)[:3] == (255, 255, 255) for p in points)


def get(url: str) -> tuple[int, bytes]:
    assert urlsplit(url).hostname == LOOPBACK, url  # never any other address
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((LOOPBACK, port)) == 0


def host_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("qingjing-host")]


def join(base_url: str, code: str, name: str) -> None:
    """A phone joins over the WebSocket on loopback and leaves again."""
    from websockets.asyncio.client import connect

    assert urlsplit(base_url).hostname == LOOPBACK

    async def go() -> None:
        async with connect(base_url.replace("http://", "ws://") + "/ws") as ws:
            await ws.send(json.dumps({"t": "join", "code": code, "name": name}))
            while json.loads(await asyncio.wait_for(ws.recv(), 5))["t"] != "joined":
                pass

    asyncio.run(go())


@pytest.mark.slow
def test_key_from_setup_hosts_draws_scannable_qr_adds_a_team_and_esc_stops(app: App, store: Store) -> None:
    setup = open_setup(app)
    setup.team.value = "红星小组"
    key(app, pygame.K_F2)
    scene = hosting_scene(app)
    assert scene.hosting is not None and scene.hosting.handle is not None
    handle = scene.hosting.handle
    (first,) = links(scene)
    assert first.name == "红星小组" and first.url == f"{handle.base_url}/j/{first.code}"
    assert handle.base_url.startswith(f"http://{LOOPBACK}:")
    port = urlsplit(handle.base_url).port
    assert port is not None

    # the QR on screen is the handle's matrix, module for module, crisp and with a white quiet zone
    module = scene.qr_drawn[first.code][1]
    assert module >= 8  # 1280x720: readable from a few metres
    assert drawn_modules(app, scene, first) == first.qr
    assert quiet_zone_is_white(app, scene, first)

    # the server answers on loopback: the join page and the dashboard page
    status, body = get(f"http://{LOOPBACK}:{port}{urlsplit(first.url).path}")
    assert status == 200 and b"phone.js" in body
    assert get(f"http://{LOOPBACK}:{port}/host")[0] == 200

    # the secret stays hidden until asked for (the projector is public)
    assert not scene.show_secret
    key(app, pygame.K_s)
    assert scene.show_secret

    # add a team: a second QR code appears, also the handle's matrix
    key(app, pygame.K_a)
    wait_for(app, lambda: len(links(scene)) == 2, "the second team")
    frame(app)
    second = links(scene)[1]
    assert second.code != first.code and set(scene.qr_drawn) == {first.code, second.code}
    assert drawn_modules(app, scene, second) == second.qr != first.qr
    assert get(f"http://{LOOPBACK}:{port}{urlsplit(second.url).path}")[0] == 200

    # Esc with nobody joined: stop at once, back to set-up, the port is closed, no thread left
    assert port_open(port)
    key(app, pygame.K_ESCAPE)
    wait_for(app, lambda: app.scene is setup, "the way back to set-up")
    assert not port_open(port)
    assert host_threads() == []
    assert setup.team.value == "红星小组"  # what was typed is still there
    # the teams live in the game's own database
    names = {t.name for t in HostTables(store).teams()}
    assert names == {"红星小组", "第1队"}


@pytest.mark.slow
def test_button_click_and_confirm_before_stopping_when_players_joined(app: App) -> None:
    open_setup(app)
    click(app, "phones")
    scene = hosting_scene(app)
    assert scene.hosting is not None and scene.hosting.handle is not None
    hosting, handle = scene.hosting, scene.hosting.handle
    port = urlsplit(handle.base_url).port
    assert port is not None
    (team,) = links(scene)
    join(handle.base_url, team.code, "张三")
    hosting.refresh()
    wait_for(app, lambda: links(scene)[0].players == ("张三",), "the joined player in the team list")
    assert hosting.joined == 1

    key(app, pygame.K_ESCAPE)  # asks first
    assert scene.confirm and app.scene is scene and port_open(port)
    key(app, pygame.K_ESCAPE)  # keep hosting
    assert not scene.confirm and hosting.state == "running"
    click(app, "stop")
    assert scene.confirm
    click(app, "stop")  # the dialog's "停止并返回"
    wait_for(app, lambda: isinstance(app.scene, SetupScene), "the way back to set-up")
    assert not port_open(port) and host_threads() == []


@pytest.mark.slow
def test_dashboard_button_opens_the_browser_off_the_frame_loop(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    open_setup(app)
    key(app, pygame.K_F2)
    scene = hosting_scene(app)
    assert scene.hosting is not None and scene.hosting.handle is not None
    key(app, pygame.K_b)
    wait_for(app, lambda: bool(opened), "the browser call")
    assert opened == [scene.hosting.handle.dashboard_url]
    assert "#k=" + scene.hosting.handle.secret in opened[0]


@pytest.mark.slow
def test_a_busy_port_moves_to_the_next_one(app: App) -> None:
    with socket.socket() as busy:
        busy.bind((LOOPBACK, 0))
        busy.listen(1)
        taken = busy.getsockname()[1]
        app.settings.host_port = taken
        open_setup(app)
        key(app, pygame.K_F2)
        scene = hosting_scene(app)
        assert scene.hosting is not None and scene.hosting.handle is not None
        port = urlsplit(scene.hosting.handle.base_url).port
        assert port is not None and taken < port < taken + 5
        key(app, pygame.K_ESCAPE)
        wait_for(app, lambda: isinstance(app.scene, SetupScene), "the way back to set-up")
        assert not port_open(port)


def test_closing_the_window_while_hosting_stops_the_server(store: Store, clock: ManualClock) -> None:
    app = App(store, Settings(scenarios=[TUTORIAL], host_bind=LOOPBACK, host_port=0), clock)
    open_setup(app)
    key(app, pygame.K_F2)
    scene = hosting_scene(app)
    assert scene.hosting is not None and scene.hosting.handle is not None
    port = urlsplit(scene.hosting.handle.base_url).port
    assert port is not None and port_open(port)
    app.close()
    assert not port_open(port) and host_threads() == []


@pytest.mark.slow
def test_more_teams_than_fit_turn_pages_and_every_qr_stays_large(app: App) -> None:
    open_setup(app)
    key(app, pygame.K_F2)
    scene = hosting_scene(app)
    for n in range(2, 5):
        key(app, pygame.K_a)
        wait_for(app, lambda n=n: len(links(scene)) == n, f"team {n}")
    frame(app)
    seen: set[str] = set()
    for _ in range(3):
        assert 1 <= len(scene.qr_drawn) <= 3
        assert all(module >= 8 for _, module in scene.qr_drawn.values())
        seen |= set(scene.qr_drawn)
        key(app, pygame.K_RIGHT)
    assert seen == {link.code for link in links(scene)}
