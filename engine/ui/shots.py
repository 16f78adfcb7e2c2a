"""Headless screenshots of every screen (for the README, reviews and the tests).

Each shot builds a fresh app on a temporary store with a manual clock, drives it to the scene
through the same code paths a player uses, and saves one frame as PNG.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.rules.step import Choose, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store
from engine.tools.bots import Policy, pick_choice, play_bot_session
from engine.ui.app import App, Settings
from engine.ui.roomshots import FrozenHosting
from engine.ui.roomshots import links as room_links
from engine.ui.scenes.host import HostScene, Moment
from engine.ui.scenes.play import PlayScene
from engine.ui.scenes.setup import SetupScene
from engine.ui.screens import SCREENS

PLAYERS = ["张三", "李四", "王五", "赵六", "孙七", "周八"]
REVIEW_TABS = {"review": "debrief", "sessions": "list", "leaderboard": "board", "honor": "honor"}


class NotInScenario(ValueError):
    """The scenario has nothing to show on this screen (e.g. no choice with feedback)."""


def has_feedback(scenario: Scenario) -> bool:
    return any(c.feedback for t in scenario.data.tasks for n in t.nodes for c in n.choices)


def take(
    scene: str,
    out: Path,
    scenario_path: Path,
    traditional: bool = False,
    size: tuple[int, int] = (1280, 720),
    inspect: Callable[[App], None] | None = None,
) -> Path:
    """Save ``scene`` as a PNG; ``inspect`` (tests) is called with the app after its last frame."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    if scene not in SCREENS:
        raise ValueError(f"没有这个画面：{scene}；可选：{'、'.join(SCREENS)}")
    scenario = load_scenario(scenario_path)
    if scene == "feedback" and not has_feedback(scenario):
        raise NotInScenario(f"{scenario.title} 没有带反馈（feedback）的选择")
    if scene == "quiz" and not scenario.quiz:
        raise NotInScenario(f"{scenario.title} 没有知识小测（quiz）")
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "shots.db", synchronous="OFF")
        players = PLAYERS[: len(scenario.roles)]
        assignment = assign_roles(scenario, players, seed=1)
        if scene == "title":  # an unfinished session, some way in, in the resume list
            _some_way_in(Session.start(scenario, store, "红星小组", assignment, clock), clock)
        # "host" listens on 127.0.0.1 only (any free port); the QR codes show a typical LAN address
        # motion off: every animation is drawn at its end, so a shot shows the screen as it settles
        settings = Settings(traditional=traditional, size=size, scenarios=[scenario_path], motion=False)
        settings.host_bind, settings.host_port, settings.host_public = "127.0.0.1", 0, "192.168.1.20"
        app = App(store, settings, clock)
        try:
            if scene == "choose":
                app.show("choose")
            elif scene == "setup":
                setup = app.show("setup", scenario=scenario)
                assert isinstance(setup, SetupScene)
                setup.team.value = "红星小组"
                for field, name in zip(setup.players, players[:3], strict=False):
                    field.value = name
                setup.picks[next(iter(scenario.roles))] = players[0]
            elif scene == "host":
                _host(app, scenario)
            elif scene == "quiz":  # the first player's first question before play
                session = Session.start(scenario, store, "红星小组", assignment, clock, shuffle=1, quiz="ask")
                app.show("quiz", session=session, fresh=True).on_button(f"quiz-ready:{players[0]}")
            elif scene.startswith("host-"):
                _room(app, scenario, scene)
            elif scene in REVIEW_TABS:
                _review_store(scenario, store)
                app.show("review", tab=REVIEW_TABS[scene])
            elif scene != "title":
                session = Session.start(scenario, store, "红星小组", assignment, clock)
                play = app.show("play", session=session)
                assert isinstance(play, PlayScene)
                rng = random.Random(1)

                def step_safe() -> bool:
                    ready = [r for r, rs in session.state.roles.items() if rs.task is not None]
                    if not ready or session.state.over:
                        return False
                    role = ready[0]
                    clock.advance(max(0.0, session.state.roles[role].locked_until - clock.now()) + 25)
                    play.act(
                        Choose(
                            role,
                            pick_choice(scenario, session.state, role, "expert", rng),
                            session.state.roles[role].node,
                        )
                    )
                    return True

                if scene == "play":
                    step_safe()
                    play.queue.clear()
                    clock.advance(37)
                elif scene == "trap":
                    _spring_trap(session, play)
                    while play.queue and play.queue[0].kind != "trap":
                        play.queue.pop(0)
                elif scene == "feedback":
                    while step_safe() and not any(n.kind == "feedback" for n in play.queue):
                        play.queue.clear()
                    play.queue[:] = [n for n in play.queue if n.kind == "feedback"]
                elif scene == "menu":
                    step_safe()
                    play.queue.clear()
                    play.on_button("menu")
                elif scene == "paused":
                    step_safe()
                    play.queue.clear()
                    clock.advance(37)
                    play.facilitator("pause")
                    clock.advance(600)  # the clock on screen must not have moved
                elif scene == "event":
                    while step_safe() and not any(n.kind == "event" for n in play.queue):
                        play.queue.clear()
                    play.queue[:] = [n for n in play.queue if n.kind == "event"]
                elif scene == "results":
                    _spring_trap(session, play)
                    while step_safe():
                        pass
                    app.show("results", session=session)
            app.frame()
            app.frame()
            out.parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(app.screen, str(out))
            if inspect is not None:
                inspect(app)
        finally:
            app.close()
            store.close()
    return out


def _some_way_in(session: Session, clock: ManualClock, actions: int = 8) -> None:
    """A few good moves, half a minute apart, as a team that is getting on."""
    rng = random.Random(1)
    for _ in range(actions):
        ready = [r for r, rs in session.state.roles.items() if rs.task is not None]
        if not ready or session.state.over:
            return
        role = ready[0]
        clock.advance(30)
        choice = pick_choice(session.scenario, session.state, role, "expert", rng)
        session.act(Choose(role, choice, session.state.roles[role].node))


def _host(app: App, scenario: Scenario) -> None:
    """The set-up screen's phone button, then a second team; the server stops with the app."""
    setup = app.show("setup", scenario=scenario)
    assert isinstance(setup, SetupScene)
    setup.team.value = "红星小组"
    setup.on_button("phones")
    host = app.scene
    assert isinstance(host, HostScene) and host.hosting is not None
    hosting = host.hosting
    for want in (1, 2):
        deadline = time.monotonic() + 30
        while len(hosting.links) < want and hosting.state != "failed" and time.monotonic() < deadline:
            app.frame()
            time.sleep(0.02)
        if hosting.state == "failed" or len(hosting.links) < want:
            raise RuntimeError(hosting.error or "主持没有及时启动")
        if want == 1:
            hosting.new_team()


def _room(app: App, scenario: Scenario, scene: str) -> None:
    """The projector with teams at every stage (bot games, no server): the board, a trap shown
    to the room, a team's ending."""
    host = HostScene(app, scenario)
    host.hosting = FrozenHosting(room_links(scenario), app.clock)
    app.go(host)
    host.notice(host.hosting.links)  # what is already there is known: nothing pops up
    if scene == "host-trap":
        link = next(x for x in host.hosting.links if x.board and x.board.traps and not x.board.over)
        assert link.board is not None
        host.moments.append(Moment("trap", link.id, link.board.traps[-1]))
    elif scene == "host-ending":
        link = next(x for x in host.hosting.links if x.board and x.board.over)
        host.moments.append(Moment("ending", link.id))


def _spring_trap(session: Session, play: PlayScene) -> None:
    """Take the first trap choice any role is offered now (a lock-out or a penalty trap)."""
    s, st = session.scenario, session.state
    for role, rs in st.roles.items():
        if rs.task is None or rs.node is None:
            continue
        for index in visible_choices(s, st, rs.task, rs.node):
            if s.choice(rs.task, rs.node, index).trap is not None:
                play.act(Choose(role, index, rs.node))
                return


REVIEW_TEAMS: tuple[tuple[str, Policy, int], ...] = (
    ("红星小组", "random", 0),
    ("星火队", "expert", 1),
    ("曙光队", "careful", 2),
    ("红星小组", "careful", 3),
)


def _review_store(scenario: Scenario, store: Store) -> None:
    """A few bot sessions by different teams and players, a day apart, for the review screens."""
    n = len(scenario.roles)
    for k, (team, policy, seed) in enumerate(REVIEW_TEAMS):
        players = [PLAYERS[(k * 2 + i) % len(PLAYERS)] for i in range(n)]
        start = 1_720_000_000.0 + k * 86_400
        play_bot_session(scenario, policy, seed, store, team, start_time=start, players=players)
