"""The play screen's team bar (engine.ui.teambar): a danger meter that escalates with colour and a
pulse as it nears its limit, a progress total that stays put, and the score that counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.view import Meter, team_view
from engine.rules.state import State
from engine.rules.step import Start, step
from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.motion import Counter
from engine.ui.teambar import draw_bar

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "yida_1921.yaml")


@pytest.fixture
def app(store: Store, clock: ManualClock) -> Iterator[App]:
    a = App(store, Settings(), clock)
    yield a
    a.close()


def bar_at(app: App, yida: Scenario, value: int, now: float) -> tuple[pygame.Surface, pygame.Rect]:
    """The bar drawn with danger at ``value`` at time ``now``; returns it and the meter's pill."""
    _, state = step(yida, State(), Start("红星小组", {r: "张三" for r in yida.roles}), 0.0)
    view = team_view(yida, state, 0.0)
    view = replace(view, meters=[Meter("alarm", "危险", value, 3)], counters=[("危险", f"{value}/3")])
    surface = pygame.Surface((1280, 720))
    surface.fill((0, 0, 0))
    app.ui.begin(surface, now)
    draw_bar(app.ui, pygame.Rect(0, 0, 1280, 52), view, Counter(view.score, view.score))
    (label,) = [d for d in app.ui.drawn if d.text == "危险"]
    return surface, pygame.Rect(label.rect.right, 0, 110, 52)


def colours(surface: pygame.Surface, rect: pygame.Rect) -> set[tuple[int, int, int]]:
    return {
        tuple(surface.get_at((x, y)))[:3]  # type: ignore[misc]
        for x in range(rect.x, rect.right, 2)
        for y in range(rect.y, rect.bottom, 2)
    }


def test_the_meter_fills_with_warmer_colours_towards_the_limit(app: App, yida: Scenario) -> None:
    calm, calm_at = bar_at(app, yida, 0, 0.0)
    warn, warn_at = bar_at(app, yida, 1, 0.0)
    over, over_at = bar_at(app, yida, 3, 0.0)
    amber, bright_red, dark_red = (222, 142, 20), (214, 38, 30), (104, 14, 14)
    assert amber not in colours(calm, calm_at) and amber in colours(warn, warn_at)
    assert dark_red in colours(over, over_at)
    assert any(d.text == "3/3" for d in app.ui.drawn)
    danger, at = bar_at(app, yida, 2, 0.0)  # one step short: bright red, and it pulses
    assert bright_red in colours(danger, at)


def test_one_step_short_of_the_limit_the_meter_pulses_and_before_it_does_not(
    app: App, yida: Scenario
) -> None:
    a, rect = bar_at(app, yida, 2, 0.0)
    b, _ = bar_at(app, yida, 2, 0.42)  # half a beat later
    assert colours(a, rect) != colours(b, rect)
    c, rect = bar_at(app, yida, 1, 0.0)
    d, _ = bar_at(app, yida, 1, 0.42)
    assert colours(c, rect) == colours(d, rect)
