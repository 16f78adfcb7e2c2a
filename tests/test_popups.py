"""Pop-ups of the play screen (engine.ui.popups): a trap and a team event arriving together keep
every word inside its box (the button says only what it does; what waits is said beside it),
and a pop-up rises into place over a moment without slowing the frame."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from test_ui_readable import problems
from ui_driver import frame, key

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.notes import notes
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store
from engine.tools.bots import play_bot_session
from engine.ui import app as app_module
from engine.ui.app import App, Settings
from engine.ui.scenes.play import PlayScene

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "yida_1921.yaml")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The frames' clock (for motion), set by the test."""
    t = [100.0]
    monkeypatch.setattr(app_module.time, "monotonic", lambda: t[0])
    return t


def play_with(
    store: Store, clock: ManualClock, yida: Scenario, size: tuple[int, int], motion: bool
) -> tuple[App, PlayScene]:
    app = App(store, Settings(size=size, motion=motion), clock)
    players = ["张三", "李四", "王五", "赵六"]
    session = Session.start(yida, store, "红星小组", assign_roles(yida, players, seed=1), clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    told = notes(yida, play_bot_session(yida, "random", 1).events)
    trap = max((n for n in told if n.kind == "trap"), key=lambda n: (len(n.facts), len(n.body)))
    event = next(n for n in told if n.kind == "event" and n.facts)
    scene.queue[:] = [trap, event]  # as when both arrive with one action
    return app, scene


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (800, 520)])
def test_a_trap_and_an_event_together_keep_every_word_in_its_box(
    store: Store, clock: ManualClock, yida: Scenario, size: tuple[int, int]
) -> None:
    app, _ = play_with(store, clock, yida, size, motion=False)
    try:
        frame(app)
        button = app.ui.target("notice")
        assert button is not None
        (label,) = [d for d in app.ui.drawn if d.box == button.rect]
        assert label.text == "继续（回车）"  # one line, inside the button
        assert label.rect.height <= button.rect.height
        assert "后面还有 1 条" in [d.text for d in app.ui.drawn]
        assert problems(app.ui.drawn, size, app.ui.theme.min_text if size != (800, 520) else 1) == []
        key(app, pygame.K_RETURN)
        assert [d.text for d in app.ui.drawn if d.text.startswith("后面还有")] == []
    finally:
        app.close()


def test_a_pop_up_rises_into_place(
    store: Store, clock: ManualClock, yida: Scenario, now: list[float]
) -> None:
    app, _ = play_with(store, clock, yida, (1280, 720), motion=True)
    try:
        frame(app)
        first = app.ui.target("notice")
        now[0] += 0.08
        frame(app)
        middle = app.ui.target("notice")
        now[0] += 1.0
        frame(app)
        settled = app.ui.target("notice")
        assert first is not None and middle is not None and settled is not None
        assert first.rect.y > middle.rect.y > settled.rect.y  # rising, then still
        now[0] += 1.0
        frame(app)
        again = app.ui.target("notice")
        assert again is not None and again.rect == settled.rect
    finally:
        app.close()
