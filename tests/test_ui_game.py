"""The real game, headless: a whole tutorial session driven by posted mouse and keyboard events."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from ui_driver import click, frame, key, type_text

from engine.format.loader import load_scenario
from engine.present.view import progress
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.scenes.finish import ResultsScene
from engine.ui.scenes.play import PlayScene
from engine.ui.scenes.setup import SetupScene
from engine.ui.scenes.title import TitleScene

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
# tutorial choice texts the test steers by (a trap with a step back, one with a lock-out)
STEP_BACK_TRAP = "只请北京、上海两地来人，其余地方不必通知"
LOCKOUT_TRAP = "迎接维经斯基，他是帮助建党的共产国际代表"


@pytest.fixture
def app(store: Store, clock: ManualClock):
    a = App(store, Settings(scenarios=[TUTORIAL]), clock)
    yield a
    a.close()


def set_up_team(app: App) -> PlayScene:
    click(app, "new")
    pick = next(n for n, e in enumerate(app.scene.entries) if e.scenario and e.scenario.id == "tutorial")
    click(app, f"select:{pick}")  # shows the scenario (a click on the one shown goes on)
    if not isinstance(app.scene, SetupScene):
        click(app, "open")
    assert isinstance(app.scene, SetupScene)
    type_text(app, "红星")
    type_text(app, "小组")
    key(app, pygame.K_TAB)
    type_text(app, "张三")
    key(app, pygame.K_TAB)
    type_text(app, "李四")
    click(app, "role:lida")  # 随机 -> 张三
    assert app.scene.picks["lida"] == "张三"
    click(app, "quiz")  # these tests play; the knowledge check has its own (test_ui_quiz.py)
    assert app.scene.quiz is False
    click(app, "start")
    assert isinstance(app.scene, PlayScene), getattr(app.scene, "error", "")
    return app.scene


def choice_number(scene: PlayScene, panel: int, text: str | None) -> int:
    """The number of the choice with ``text``; without text, the first choice that is not a trap."""
    view = scene.team.roles[panel]
    s = scene.session.scenario
    for c in view.choices:
        choice = s.choice(view.task, view.node, c.index)
        if (text is not None and choice.text == text) or (text is None and choice.trap is None):
            return c.number
    raise AssertionError(f"no such choice on panel {panel}: {text}")


def test_full_tutorial_game_by_mouse_and_keyboard(app: App, store: Store, clock: ManualClock) -> None:
    frame(app)
    assert isinstance(app.scene, TitleScene)
    scene = set_up_team(app)
    session = scene.session
    assert session.state.players["lida"] == "张三"
    assert set(session.state.players.values()) == {"张三", "李四"}  # one player holds two roles
    assert session.state.team == "红星小组"

    seen_trap = seen_event = seen_lock = False
    for _ in range(60):
        if isinstance(app.scene, ResultsScene):
            break
        scene = app.scene
        if scene.queue:
            kinds = {n.kind for n in scene.queue}
            seen_trap |= "trap" in kinds
            seen_event |= "event" in kinds
            if scene.queue[0].kind == "trap":
                assert scene.queue[0].body and scene.queue[0].facts  # penalty and history shown
            key(app, pygame.K_RETURN) if len(scene.queue) % 2 else click(app, "notice")
            continue
        views = scene.team.roles
        locked = [v for v in views if v.status == "locked"]
        active = [i for i, v in enumerate(views) if v.status == "active"]
        if not active and locked:
            seen_lock = True
            panel = views.index(locked[0])
            frame(app)
            assert "还需" in "".join(scene.team.roles[panel].headline())
            key(app, pygame.K_F1 + panel)
            key(app, pygame.K_1)  # refused while locked: a message, no event
            assert "锁定" in scene.flash
            clock.advance(locked[0].locked_seconds + 0.5)
            frame(app)
            continue
        panel = active[0]
        role = views[panel].role
        wanted = None
        if role == "lida" and "only_two_cities" not in session.state.sprung:
            wanted = STEP_BACK_TRAP
        elif (
            role == "lida"
            and views[panel].task == "greet_comintern"
            and "wrong_delegate" not in session.state.sprung
        ):
            wanted = LOCKOUT_TRAP
        number = choice_number(scene, panel, wanted)
        clock.advance(7)
        if panel % 2 == 0:  # keyboard for even panels, mouse for odd ones
            key(app, pygame.K_F1 + panel)
            key(app, pygame.K_0 + number)
        else:
            click(app, f"choice:{panel}:{number}")
    else:
        pytest.fail("the game did not reach its results screen")

    assert seen_trap and seen_event and seen_lock
    row = store.session(session.id)
    assert row.status == "ended" and row.ending == "opened"
    stored = store.events(session.id)
    assert len(stored) == len(session.events) == row.events
    kinds = [e.kind for e in stored]
    assert kinds.count("trap_sprung") == 2 and "team_event" in kinds and kinds[-1] == "ending_reached"
    results = app.scene
    assert isinstance(results, ResultsScene)
    assert [lane.role for lane in results.timeline.lanes] == ["lida", "wanghuiwu", "lihanjun"]
    assert any(bar.kind == "locked" for bar in results.timeline.lane("lida").bars)
    assert "维经斯基" in results.traps_text
    click(app, "title")
    assert isinstance(app.scene, TitleScene)
    assert not any(t.name.startswith("resume:") for t in app.ui.targets)  # finished: nothing to resume


def test_facilitator_menu_hint_skip_pause_end(app: App, store: Store) -> None:
    scene = set_up_team(app)
    sid = scene.session.id
    key(app, pygame.K_ESCAPE)
    assert scene.menu == "main"
    click(app, "fac:hint")
    click(app, "fac:hint-lida")
    assert scene.queue and scene.queue[0].kind == "hint" and "两名代表" in scene.queue[0].body
    key(app, pygame.K_SPACE)
    key(app, pygame.K_ESCAPE)
    click(app, "fac:skip")
    click(app, "fac:skip-wanghuiwu")
    assert scene.session.state.done["arrange_lodging"] == "skipped"
    assert scene.queue[0].kind == "skip" and scene.queue[0].title == "跳过了 王会悟 的《安排住处》"
    key(app, pygame.K_RETURN)
    key(app, pygame.K_ESCAPE)
    click(app, "fac:pause")
    assert scene.session.state.status == "paused"
    key(app, pygame.K_F1)
    key(app, pygame.K_1)
    assert "暂停" in scene.flash and "send_letters" not in scene.session.state.done
    key(app, pygame.K_ESCAPE)
    click(app, "fac:pause")
    assert scene.session.state.status == "active"
    key(app, pygame.K_ESCAPE)
    click(app, "fac:end")
    click(app, "fac:end-yes")
    frame(app)
    assert isinstance(app.scene, ResultsScene)
    kinds = [e.kind for e in store.events(sid)]
    assert {"hint_given", "task_skipped", "session_paused", "session_unpaused", "session_abandoned"} <= set(
        kinds
    )
    assert store.session(sid).status == "abandoned"


@pytest.mark.slow
def test_resume_from_title_in_a_fresh_app(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "resume.db"
    store = Store(db)
    first = App(store, Settings(scenarios=[TUTORIAL]), clock)
    scene = set_up_team(first)
    sid = scene.session.id
    panel = next(i for i, v in enumerate(scene.team.roles) if v.status == "active")
    click(first, f"choice:{panel}:{choice_number(scene, panel, None)}")
    before = len(store.events(sid))
    first.close()
    store.close()  # the program is gone; only the file remains

    store = Store(db)
    second = App(store, Settings(scenarios=[TUTORIAL]), ManualClock(clock.now() + 600))
    try:
        frame(second)
        # the resume entry says where the session stands, replayed from the file
        state = Session.resume(store, sid, check_file=False).state
        made = progress(load_scenario(TUTORIAL), state)
        where = [d.text for d in second.ui.drawn if d.text.startswith("得分 ")]
        assert where == [f"得分 {state.score} · 进度 {made.done}/{made.total} · 用时 00:00"]
        click(second, f"resume:{sid}")
        resumed = second.scene
        assert isinstance(resumed, PlayScene) and resumed.session.id == sid
        assert len(resumed.session.events) == before + 1  # + session_resumed
        assert resumed.session.events[-1].kind == "session_resumed"
        for _ in range(40):
            if isinstance(second.scene, ResultsScene):
                break
            s = second.scene
            if s.queue:
                key(second, pygame.K_RETURN)
                continue
            views = s.team.roles
            active = [i for i, v in enumerate(views) if v.status == "active"]
            assert active, [v.headline() for v in views]
            click(second, f"choice:{active[0]}:{choice_number(s, active[0], None)}")
        assert isinstance(second.scene, ResultsScene)
        assert store.session(sid).ending == "perfect"
        assert Session.resume(store, sid).state.over
    finally:
        second.close()
        store.close()


@pytest.mark.slow
def test_window_resize_and_traditional_toggle(app: App) -> None:
    scene = set_up_team(app)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=600, size=(1024, 600)))
    frame(app, 2)
    assert app.screen.get_size() == (1024, 600)
    for t in app.ui.targets:  # every button lies inside the window
        assert app.screen.get_rect().contains(t.rect), t.name
    app.set_traditional(True)
    frame(app)
    assert app.text.show("党史") == "黨史"
    assert scene.session.state.status == "active"
