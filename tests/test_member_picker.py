"""Team set-up offers the roster's names (engine/ui/member_picker.py); guests still type theirs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from ui_driver import click, frame, key, type_text

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.store.members import NewMember
from engine.ui.app import App, Settings
from engine.ui.member_picker import MemberPicker
from engine.ui.scenes.setup import SetupScene

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"


def test_suggestions_match_what_was_typed_and_skip_taken_names() -> None:
    picker = MemberPicker(["张伟（一支部）", "张伟（二支部）", "李娜", "张三"])
    assert picker.suggestions("张", set()) == ["张伟（一支部）", "张伟（二支部）", "张三"]
    assert picker.suggestions("张伟", {"张伟（一支部）"}) == ["张伟（二支部）"]
    assert picker.suggestions("", set()) == ["张伟（一支部）", "张伟（二支部）", "李娜", "张三"]
    assert picker.suggestions("李娜", set()) == []  # already exactly a member: nothing to offer
    assert picker.suggestions("访客", set()) == []
    assert MemberPicker([]).suggestions("", set()) == []


@pytest.fixture
def setup(store: Store, clock: ManualClock) -> Iterator[App]:
    store.import_members(
        [NewMember("张伟", "一支部"), NewMember("张伟", "二支部"), NewMember("李娜", "一支部")]
    )
    app = App(store, Settings(scenarios=[TUTORIAL]), clock)
    frame(app)
    click(app, "new")
    pick = next(n for n, e in enumerate(app.scene.entries) if e.scenario and e.scenario.id == "tutorial")
    click(app, f"pick:{pick}")
    assert isinstance(app.scene, SetupScene)
    yield app
    app.close()


def drawn(app: App, text: str) -> bool:
    return any(k[0] == text for k in app.text._blocks)


def test_pick_members_by_keyboard_and_mouse_then_a_guest(setup: App, store: Store) -> None:
    app = setup
    scene = app.scene
    assert isinstance(scene, SetupScene)
    type_text(app, "一队")
    key(app, pygame.K_TAB)  # the first player field: the whole roster is offered
    frame(app)
    assert drawn(app, "张伟（一支部）") and drawn(app, "李娜")
    type_text(app, "张")
    frame(app)
    assert app.ui.target("member:0") is not None and app.ui.target("member:2") is None  # 李娜 filtered out
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # Enter fills the highlighted name instead of starting the game
    assert isinstance(app.scene, SetupScene)
    assert scene.players[0].value == "张伟（二支部）" and scene.focus == 2
    frame(app)
    if os.environ.get("QJ_SHOTS"):  # a folder: keep the screenshot to look at
        pygame.image.save(app.screen, str(Path(os.environ["QJ_SHOTS"]) / "setup-roster.png"))
    click(app, "member:1")  # 张伟（二支部） is taken: 李娜 is the second name now
    assert scene.players[1].value == "李娜" and scene.focus == 3
    type_text(app, "客人")  # a guest types a name of their own
    frame(app)
    assert app.ui.target("member:0") is None
    key(app, pygame.K_RETURN)  # nothing highlighted: Enter starts the game as before
    session = app.scene.session  # type: ignore[attr-defined]
    links = store.member_links()[session.id]
    ids = {m.branch + m.name: m.id for m in store.members()}
    assert links == {"张伟（二支部）": ids["二支部张伟"], "李娜": ids["一支部李娜"]}
    assert set(session.state.players.values()) == {"张伟（二支部）", "李娜", "客人"}


def test_esc_closes_the_list_then_leaves(setup: App) -> None:
    app = setup
    scene = app.scene
    key(app, pygame.K_TAB)
    type_text(app, "张")
    frame(app)
    assert app.ui.target("member:0") is not None
    key(app, pygame.K_ESCAPE)
    frame(app)
    assert app.ui.target("member:0") is None and app.scene is scene  # closed, still here
    key(app, pygame.K_ESCAPE)
    assert app.scene is not scene
