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


def test_many_scenarios_scroll_in_the_list_and_the_chosen_one_shows_whole(
    store: Store, clock: ManualClock, own_scenarios: Path
) -> None:
    from ui_driver import key

    from engine.ui.typeset import line_height

    own_scenarios.mkdir(parents=True)
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    for n in range(8):
        own = text.replace("id: tutorial", f"id: branch_{n}", 1).replace(
            "入门教程：筹备一大", f"支部自编第{n + 1}号", 1
        )
        (own_scenarios / f"branch_{n}.yaml").write_text(own, encoding="utf-8")
    app = App(store, Settings(size=(1280, 720)), clock)
    try:
        click(app, "new")
        scene = app.scene
        assert isinstance(scene, ChooseScene) and len(scene.entries) == 11
        area, overflow = app.ui.scroll_areas["scenarios"]
        assert overflow > 0  # more than fit: the list scrolls
        for _ in range(10):  # down to the last one: it is scrolled into view and shown
            key(app, pygame.K_DOWN)
        assert scene.selected == 10
        frame(app)
        last = app.ui.target("select:10")
        assert last is not None and area.contains(last.rect)
        assert app.ui.target("select:0") is None  # scrolled out of view
        # the flagship's long introduction is whole, not cut behind a scrollbar
        key(app, pygame.K_1)
        assert isinstance(app.scene, SetupScene)
        chooser = app.show("choose")
        assert isinstance(chooser, ChooseScene)
        flagship = next(
            i for i, e in enumerate(chooser.entries) if e.scenario and e.scenario.id == "yida_1921"
        )
        chooser.select(flagship)
        frame(app)
        summary = chooser.entries[flagship].scenario.data.scenario.summary.strip()  # type: ignore[union-attr]
        (drawn,) = [d for d in app.ui.drawn if d.text == summary]
        assert app.ui.scroll_areas["summary"][1] == 0
        assert drawn.rect.height >= 4 * line_height(app.ui.theme.body)
    finally:
        app.close()
