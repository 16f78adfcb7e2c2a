"""The projector board of the desktop's phone host (engine.ui.projector, engine.ui.scenes.host):
eight teams fit without paging, ranked; a trap and an ending come up for the whole room.

The host here is frozen (engine.ui.roomshots.FrozenHosting): real boards from bot games, no
server; the live host's boards are checked in tests/test_web.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pygame
import pytest
from test_ui_readable import problems
from ui_driver import click, frame, key

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.board import ranked, team_board
from engine.rules.state import fold
from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.tools.bots import play_bot_session
from engine.ui.app import App, Settings
from engine.ui.roomshots import FrozenHosting, links
from engine.ui.scenes.host import HostScene

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "yida_1921.yaml")


def host_at(store: Store, clock: ManualClock, yida: Scenario, size: tuple[int, int]) -> tuple[App, HostScene]:
    app = App(store, Settings(size=size, motion=False), clock)
    scene = HostScene(app, yida)
    scene.hosting = FrozenHosting(links(yida, count=8, joining=0), clock)
    app.go(scene)
    scene.notice(scene.hosting.links)
    frame(app, 2)
    return app, scene


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_eight_teams_fit_one_screen_ranked_and_readable(
    store: Store, clock: ManualClock, yida: Scenario, size: tuple[int, int]
) -> None:
    app, scene = host_at(store, clock, yida, size)
    try:
        assert scene.hosting is not None
        boards = [x.board for x in scene.hosting.links if x.board is not None]
        assert len(boards) == 8
        texts = [d.text for d in app.ui.drawn]
        live = [b for _, b in ranked(boards) if not b.over]
        done = [b for _, b in ranked(boards) if b.over]
        assert live and done
        names = [t for t in texts if t in {b.team for b in live}]
        assert names == [b.team for b in live]  # every playing team, best first, on this one screen
        assert not any(t.startswith("第 1/") for t in texts)  # no pages to turn
        for b in done:  # finished teams folded into one line each
            assert any(t.startswith(f"{r}. {b.team} · ") for t in texts for r, x in ranked(boards) if x is b)
        assert problems(app.ui.drawn, size, app.ui.theme.min_text) == []
        assert min(app.text.sizes) >= app.ui.theme.min_text
    finally:
        app.close()


def test_a_new_trap_is_shown_to_the_room_then_the_board_again(
    store: Store, clock: ManualClock, yida: Scenario
) -> None:
    app, scene = host_at(store, clock, yida, (1280, 720))
    try:
        assert scene.hosting is not None
        game = play_bot_session(yida, "random", 11)
        cut = [i for i, e in enumerate(game.events) if e.kind == "trap_sprung"]
        before, after = game.events[: cut[0]], game.events[: cut[0] + 1]
        link = scene.hosting.links[0]
        scene.hosting.links[0] = replace(link, board=team_board(yida, fold(before), before, before[-1].at))
        scene.notice(scene.hosting.links)
        scene.hosting.links[0] = replace(link, board=team_board(yida, fold(after), after, after[-1].at))
        scene.hosting.fetched_at += 1  # as if the host reported again
        frame(app)
        assert [m.kind for m in scene.moments] == ["trap"]
        frame(app)
        trap = scene.moments[0].note
        assert trap is not None
        texts = [d.text for d in app.ui.drawn]
        assert trap.title in texts and trap.body in texts and f"出处：{trap.source}" in texts
        assert any(t.endswith(link.name) and t.startswith("⚠ 陷阱") for t in texts)
        assert list(app.sounds.played)[-1] == "trap"
        assert problems(app.ui.drawn, (1280, 720), app.ui.theme.min_text) == []
        key(app, pygame.K_RETURN)
        assert scene.moments == []
        assert trap.body not in [d.text for d in app.ui.drawn]
    finally:
        app.close()


def test_an_ending_is_celebrated_and_can_be_brought_back(
    store: Store, clock: ManualClock, yida: Scenario
) -> None:
    app, scene = host_at(store, clock, yida, (1280, 720))
    try:
        assert scene.hosting is not None
        (tid, board) = next((x.id, x.board) for x in scene.hosting.links if x.board and x.board.over)
        assert board is not None and board.ending is not None
        click(app, f"ending:{tid}")
        assert [m.kind for m in scene.moments] == ["ending"]
        frame(app)
        texts = [d.text for d in app.ui.drawn]
        assert board.ending.heading in texts and f"{board.score} 分" in texts
        assert any(label in t for t in texts for label, _ in board.ending.part_lines)
        assert list(app.sounds.played)[-1] == "ending"
        click(app, "moment")  # a click anywhere goes back to the board
        assert scene.moments == []
    finally:
        app.close()
