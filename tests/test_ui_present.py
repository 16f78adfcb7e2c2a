"""The desktop game shows what the presentation layer says, on real pygame screens (headless):
a choice's feedback, a trap that raises danger saying so, a pause that stops every clock, and a
results timeline identical to the review's and the HTML report's."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from ui_driver import click, frame, key, press_choice

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.labels import format_duration
from engine.present.timeline import timeline
from engine.report import Filters, load_review
from engine.report.html import render
from engine.rules.step import visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.scenes.finish import ResultsScene
from engine.ui.scenes.play import PlayScene

ROOT = Path(__file__).resolve().parent.parent
YIDA = ROOT / "scenarios" / "yida_1921.yaml"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
ASSIGN = {"lihanjun": "张三", "zhangguotao": "李四", "lida": "王五", "maozedong": "赵六"}
SHOTS = os.environ.get("QJ_SHOTS", "")  # a folder: keep screenshots of the pop-ups to look at


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(YIDA)


@pytest.fixture
def app(store: Store, clock: ManualClock) -> Iterator[App]:
    a = App(store, Settings(scenarios=[YIDA, TUTORIAL]), clock)
    yield a
    a.close()


def play_scene(app: App, scenario: Scenario, assignment: dict[str, str]) -> PlayScene:
    session = Session.start(scenario, app.store, "红星小组", assignment, app.clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    frame(app)
    return scene


def shot(app: App, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.screen, str(Path(SHOTS) / f"{name}.png"))


def texts_drawn(app: App) -> list[str]:
    """Every text the next frame draws (through the game's text cache)."""
    seen: list[str] = []
    block = app.text.block

    def spy(text: str, *args: object, **kwargs: object) -> pygame.Surface:
        seen.append(text)
        return block(text, *args, **kwargs)  # type: ignore[arg-type]

    app.text.block = spy  # type: ignore[method-assign]
    try:
        frame(app)
    finally:
        app.text.block = block  # type: ignore[method-assign]
    return seen


def advance_safely(app: App, scene: PlayScene, clock: ManualClock, want: str) -> tuple[str, int]:
    """Play right answers by key until some role is offered a choice matching ``want``
    ("feedback" or "danger"); returns (role, choice index) without taking it."""
    s = scene.session.scenario
    for _ in range(200):
        while scene.queue:
            key(app, pygame.K_RETURN)
        st = scene.session.state
        assert not st.over, "the game ended first"
        ready = [r for r, rs in st.roles.items() if rs.task and rs.locked_until <= clock.now()]
        if not ready:
            clock.advance(5)
            frame(app)
            continue
        for role in ready:
            rs = st.roles[role]
            assert rs.task is not None and rs.node is not None
            for i in visible_choices(s, st, rs.task, rs.node):
                c = s.choice(rs.task, rs.node, i)
                if (want == "feedback" and c.feedback and not c.trap) or (
                    want == "danger" and c.trap is not None and c.trap.add.get("alarm")
                ):
                    return role, i
        role = ready[0]
        rs = st.roles[role]
        assert rs.task is not None and rs.node is not None
        safe = [
            i for i in visible_choices(s, st, rs.task, rs.node) if s.choice(rs.task, rs.node, i).trap is None
        ]
        clock.advance(3)
        press_choice(app, role, safe[0])
    raise AssertionError(f"never offered a {want} choice")


def test_a_choice_with_feedback_shows_it(app: App, clock: ManualClock, yida: Scenario) -> None:
    scene = play_scene(app, yida, ASSIGN)
    role, index = advance_safely(app, scene, clock, "feedback")
    st = scene.session.state
    rs = st.roles[role]
    assert rs.task is not None and rs.node is not None
    choice = yida.choice(rs.task, rs.node, index)
    press_choice(app, role, index)
    note = scene.queue[0]
    assert (note.kind, note.role, note.body) == ("feedback", role, (choice.feedback or "").strip())
    drawn = texts_drawn(app)
    assert (choice.feedback or "").strip() in drawn and f"{yida.role_name(role)} 的选择" in drawn
    shot(app, "feedback")
    key(app, pygame.K_RETURN)
    assert not scene.queue


def test_a_trap_that_raises_danger_says_so(app: App, clock: ManualClock, yida: Scenario) -> None:
    scene = play_scene(app, yida, ASSIGN)
    role, index = advance_safely(app, scene, clock, "danger")
    before = scene.session.state.flags["alarm"]
    press_choice(app, role, index)
    trap = next(n for n in scene.queue if n.kind == "trap")
    while scene.queue[0] is not trap:
        key(app, pygame.K_RETURN)
    after = scene.session.state.flags["alarm"]
    assert after > before
    line = f"危险 升至 {after}/3（+{after - before}）"
    assert line in trap.facts
    assert f"· {line}" in texts_drawn(app)  # on the pop-up, not only in the team bar
    shot(app, "danger-trap")


def visible_clocks(app: App) -> list[str]:
    return [t for t in texts_drawn(app) if re.search(r"\d\d:\d\d|还需 \d+ 秒", t)]


def test_a_pause_of_ten_seconds_changes_no_clock_wait_or_lockout(
    app: App, clock: ManualClock, tutorial: Scenario
) -> None:
    scene = play_scene(app, tutorial, {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"})
    clock.advance(12)
    press_choice(app, "lida", 0)  # 李达 done: 李汉俊 still waits for 王会悟
    clock.advance(5)
    frame(app)
    team = scene.team
    assert team.roles[2].status == "waiting"
    shown = visible_clocks(app)
    assert "用时 00:17" in shown and "已等 00:17" in shown
    key(app, pygame.K_ESCAPE)
    click(app, "fac:pause")
    assert scene.team.paused
    clock.advance(10)
    paused = texts_drawn(app)
    assert "暂停 00:17" in paused and "已等 00:17" in paused and "会话已暂停" in paused
    key(app, pygame.K_2)  # nothing can be chosen while paused
    assert "会话已暂停" in scene.flash and scene.session.state.roles["wanghuiwu"].task == "arrange_lodging"
    key(app, pygame.K_RETURN)  # Enter continues
    assert scene.session.state.status == "active"
    assert visible_clocks(app) == shown  # exactly where it stopped
    clock.advance(1)
    assert "用时 00:18" in visible_clocks(app)


def test_a_pause_does_not_eat_a_lockout(app: App, clock: ManualClock, tutorial: Scenario) -> None:
    scene = play_scene(app, tutorial, {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"})
    session = scene.session
    # straight to 李达's lock-out trap: 致信 → (王会悟 住处, 李汉俊 布置) → 迎接: pick 维经斯基
    for role, index in (("lida", 0), ("wanghuiwu", 0), ("lihanjun", 0), ("lihanjun", 0)):
        clock.advance(2)
        press_choice(app, role, index)
        while scene.queue:
            key(app, pygame.K_RETURN)
    rs = session.state.roles["lida"]
    assert rs.task == "greet_comintern"
    press_choice(app, "lida", 1)  # 迎接维经斯基: locked 20 s
    while scene.queue:
        key(app, pygame.K_RETURN)
    clock.advance(5)
    assert "还需 15 秒" in texts_drawn(app)
    key(app, pygame.K_ESCAPE)
    click(app, "fac:pause")
    clock.advance(10)
    assert "还需 15 秒" in texts_drawn(app)
    key(app, pygame.K_RETURN)
    assert "还需 15 秒" in texts_drawn(app)
    clock.advance(14.5)
    press_choice(app, "lida", 0)
    assert "锁定" in scene.flash and session.state.roles["lida"].task == "greet_comintern"
    clock.advance(0.5)
    press_choice(app, "lida", 0)  # now the lock-out is over
    assert "greet_comintern" in session.state.done


def test_results_timeline_is_the_review_and_report_timeline(
    app: App, store: Store, clock: ManualClock, tutorial: Scenario
) -> None:
    scene = play_scene(app, tutorial, {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"})
    plan = [
        ("lida", 0),
        ("wanghuiwu", 0),
        ("lihanjun", 0),
        ("lihanjun", 0),
        ("lida", 1),  # the lock-out trap (20 s)
        ("pause", 0),
        ("lida", 0),
        ("wanghuiwu", 0),
    ]
    for role, index in plan:
        clock.advance(6)
        if role == "pause":
            key(app, pygame.K_ESCAPE)
            click(app, "fac:pause")
            clock.advance(30)
            key(app, pygame.K_RETURN)
            clock.advance(20)
            continue
        press_choice(app, role, index)
        while scene.queue:
            key(app, pygame.K_RETURN)
    frame(app, 2)
    results = app.scene
    assert isinstance(results, ResultsScene)
    review = load_review(store, Filters(session=scene.session.id))
    (m,) = review.sessions
    assert results.timeline == timeline(m)
    lida = results.timeline.lane("lida")
    locked = [b for b in lida.bars if b.kind == "locked"]
    assert len(locked) == 1 and locked[0].end - locked[0].start == 20  # the 30 s pause is not in it
    assert m.roles["lida"].total("locked") == 20 and m.paused == 30
    # the HTML report draws the same lock-out: one segment, same start and end
    html = render(review)
    spans = re.findall(r'class="seg locked"[^>]*><title>锁定 (\d\d:\d\d)–(\d\d:\d\d)', html)
    assert spans == [(format_duration(locked[0].start), format_duration(locked[0].end))]
    assert results.results.duration == m.duration == clock.now() - 1_627_000_000.0 - 30
