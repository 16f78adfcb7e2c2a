"""The game's scenario chooser lists the organizer's own scenarios beside the bundled ones."""

from __future__ import annotations

from pathlib import Path

import pygame
from ui_driver import click, frame

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.scenes.choose import ChooseScene
from engine.ui.scenes.setup import SetupScene

ROOT = Path(__file__).resolve().parent.parent


def test_own_scenarios_appear_in_the_chooser_and_can_be_played(
    store: Store, clock: ManualClock, own_scenarios: Path
) -> None:
    own_scenarios.mkdir(parents=True)
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    text = text.replace("id: tutorial", "id: branch_story", 1)
    text = text.replace("title: 入门教程：筹备一大", "title: 支部自编：南湖夜航", 1)
    (own_scenarios / "branch_story.yaml").write_text(text, encoding="utf-8")
    app = App(store, Settings(), clock)
    try:
        click(app, "new")
        assert isinstance(app.scene, ChooseScene)
        listed = [(e.scenario.id if e.scenario else "", e.origin) for e in app.scene.entries]
        assert ("branch_story", "own") in listed and ("tutorial", "bundled") in listed
        frame(app)
        shot = Path("/tmp") / "qingjing-test-choose-own.png"
        pygame.image.save(app.screen, str(shot))
        own_card = app.ui.target(f"select:{listed.index(('branch_story', 'own'))}")
        assert own_card is not None
        # the card shows ink (its title and the 我的场景 tag), not an empty box
        area = app.screen.subsurface(own_card.rect)
        colours = {area.get_at((x, y))[:3] for x in range(0, area.get_width(), 5) for y in range(0, 60, 3)}
        assert len(colours) > 10
        click(app, f"select:{listed.index(('branch_story', 'own'))}")  # shows its introduction
        assert isinstance(app.scene, ChooseScene)
        assert any(d.text.startswith("1921年7月，上海") for d in app.ui.drawn)
        click(app, "open")
        assert isinstance(app.scene, SetupScene)
        assert app.scene.scenario.id == "branch_story"
    finally:
        app.close()
