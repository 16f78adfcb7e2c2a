"""Readable from the back row (issue 18): on rendered screens, no text smaller than the theme's
minimum, no text outside its box, and an acting panel that shows its whole story and every option.

The play screen is drawn with the longest texts of every shipped scenario: each role at the node
that needs the most room, all four acting at once (the worst the game can show), at 1280x720 and
1920x1080. Every other screen is checked through ``play.py screenshot``'s own drivers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.view import ChoiceView, RoleView, TeamView, team_view
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.panels import need
from engine.ui.scenes.play import PlayScene
from engine.ui.screens import SCREENS
from engine.ui.shots import NotInScenario, take
from engine.ui.theme import Theme
from engine.ui.widgets import Drawn

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
SHOTS = os.environ.get("QJ_SHOTS", "")


def acting(scenario: Scenario, role: str, task: str, node: str) -> RoleView:
    t = scenario.tasks[task]
    n = scenario.node(task, node)
    return RoleView(
        role=role,
        name=scenario.roles[role].name,
        title=scenario.roles[role].title or "",
        player="欧阳明月",  # a long player name
        status="active",
        task=task,
        task_title=t.title,
        goal=t.goal or "",
        node=node,
        text=n.text,
        choices=[ChoiceView(i, i + 1, c.text) for i, c in enumerate(n.choices)],
        tasks_done=0,
        tasks_total=len(scenario.role_tasks[role]),
    )


def longest(app: App, scenario: Scenario, width: int) -> TeamView:
    """Every role acting at the node that needs the most room in a panel of ``width``."""
    roles = []
    for role in scenario.roles:
        views = [
            acting(scenario, role, t.id, n.id) for t in scenario.data.tasks if t.role == role for n in t.nodes
        ]
        roles.append(max(views, key=lambda v: need(app.ui, v, width)))
    state = Session.start(
        scenario, app.store, "红星小组第一队", {r: "欧阳明月" for r in scenario.roles}
    ).state
    return replace(team_view(scenario, state, 0.0), roles=roles)


@pytest.fixture
def app_at(store: Store, clock: ManualClock) -> Iterator[list[App]]:
    made: list[App] = []
    yield made
    for a in made:
        a.close()


def problems(ui_drawn: list[Drawn], size: tuple[int, int], minimum: int) -> list[str]:
    window = pygame.Rect(0, 0, *size)
    out = []
    for d in ui_drawn:
        if d.size < minimum:
            out.append(f"{d.text[:20]!r} at {d.size}px < {minimum}px")
        if not window.contains(d.rect):
            out.append(f"{d.text[:20]!r} leaves the window: {d.rect}")
        elif d.box is not None and not d.box.contains(d.rect):
            out.append(f"{d.text[:20]!r} leaves its box {d.box}: {d.rect}")
    return out


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_longest_texts_fit_their_panels_at_body_size(
    path: Path, size: tuple[int, int], store: Store, clock: ManualClock, app_at: list[App]
) -> None:
    scenario = load_scenario(path)
    app = App(store, Settings(size=size, motion=False), clock)
    app_at.append(app)
    players = [f"玩家{i}" for i in range(len(scenario.roles))]
    session = Session.start(scenario, store, "队", assign_roles(scenario, players, seed=1), clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    scene.queue.clear()
    app.frame()
    cols = 2 if len(scenario.roles) == 4 else len(scenario.roles)
    panel_w = (size[0] - 2 * app.ui.theme.px(8) - (cols - 1) * app.ui.theme.px(8)) // cols
    scene.team = longest(app, scenario, panel_w)
    app.screen.fill((250, 244, 230))
    app.ui.begin(app.screen, 0.0)
    scene.draw(app.ui)
    if SHOTS:
        pygame.image.save(app.screen, str(Path(SHOTS) / f"longest-{path.stem}-{size[0]}.png"))
    t = app.ui.theme
    assert t.min_text == Theme.for_size(*size).px(18)
    assert problems(app.ui.drawn, size, t.min_text) == []
    # every story whole (no scrolling) and every option drawn, at body size
    for view in scene.team.roles:
        _, overflow = app.ui.scroll_areas[f"text:{view.role}"]
        assert overflow == 0, f"{view.name}《{view.task_title}》 needs scrolling"
        for c in view.choices:
            (label,) = [d for d in app.ui.drawn if d.text == c.text]
            assert label.size == t.body
    assert min(app.text.sizes) >= t.min_text


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_keeps_text_readable_and_in_its_box(
    screen: str, size: tuple[int, int], tmp_path: Path
) -> None:
    seen: dict[str, object] = {}

    def inspect(app: App) -> None:
        seen["drawn"] = list(app.ui.drawn)
        seen["sizes"] = set(app.text.sizes)
        seen["minimum"] = app.ui.theme.min_text

    try:
        take(
            screen,
            tmp_path / f"{screen}.png",
            ROOT / "scenarios" / "yida_1921.yaml",
            size=size,
            inspect=inspect,
        )
    except NotInScenario:
        pytest.skip("the flagship has nothing for this screen")
    minimum = seen["minimum"]
    assert isinstance(minimum, int)
    drawn = seen["drawn"]
    assert isinstance(drawn, list) and drawn
    assert problems(drawn, size, minimum) == []
    assert min(seen["sizes"]) >= minimum  # type: ignore[call-overload]


def test_scrolling_shows_whole_lines_and_a_resize_or_fullscreen_starts_clean(
    store: Store, clock: ManualClock, app_at: list[App]
) -> None:
    from ui_driver import frame, key

    from engine.ui.typeset import line_height

    scenario = load_scenario(ROOT / "scenarios" / "yida_1921.yaml")
    app = App(store, Settings(size=(1280, 720), motion=False), clock)
    app_at.append(app)
    players = ["张三", "李四", "王五", "赵六"]
    session = Session.start(scenario, store, "队", assign_roles(scenario, players, seed=1), clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    scene.queue.clear()
    frame(app)
    # a waiting role's brief is long: it scrolls, by whole lines only
    waiting = next(i for i, v in enumerate(scene.team.roles) if v.status == "waiting")
    name = f"text:{scene.roles[waiting]}"
    rect, overflow = app.ui.scroll_areas[name]
    assert overflow > 0
    key(app, pygame.K_F1 + waiting)
    key(app, pygame.K_PAGEDOWN)
    frame(app)
    lh = line_height(app.ui.theme.small)
    assert app.ui.scroll[name] > 0 and app.ui.scroll[name] % lh == 0
    assert rect.height % lh == 0  # the area shows whole lines: none is cut in half
    # PgDn, then F11 (fullscreen) and back: the text starts again from its top, nothing left over
    key(app, pygame.K_F11)  # (key() draws a frame after it)
    assert app.ui.scroll.get(name, 0) == 0
    key(app, pygame.K_F11)
    frame(app)
    assert app.screen.get_size() == (1280, 720)
    assert problems(app.ui.drawn, (1280, 720), app.ui.theme.min_text) == []
    # a resized window is redrawn for its new size, the same way
    key(app, pygame.K_PAGEDOWN)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=900, size=(1600, 900)))
    frame(app)
    frame(app)
    assert app.screen.get_size() == (1600, 900) and app.ui.scroll.get(name, 0) == 0
    assert problems(app.ui.drawn, (1600, 900), app.ui.theme.min_text) == []
