"""The knowledge check on the shared screen (engine/ui/scenes/quiz.py), driven headless with
real key and mouse events: players in turn behind a hand-over card, the facilitator's skip, the
answers after the ending, and a session resumed from the title in the middle of a check."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from ui_driver import click, frame, key, type_text

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.ui import theme as th
from engine.ui.app import App, Settings
from engine.ui.scenes.finish import ResultsScene
from engine.ui.scenes.play import PlayScene
from engine.ui.scenes.quiz import QuizScene
from engine.ui.scenes.setup import SetupScene
from engine.ui.scenes.title import TitleScene

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
SHOTS = Path("/tmp/qingjing-shots")


@pytest.fixture
def app(store: Store, clock: ManualClock):
    a = App(store, Settings(scenarios=[TUTORIAL]), clock)
    yield a
    a.close()


def shot(app: App, name: str) -> pygame.Surface:
    SHOTS.mkdir(exist_ok=True)
    frame(app)
    pygame.image.save(app.screen, str(SHOTS / f"quiz_{name}.png"))
    return app.screen


def start(app: App, skip: bool = False) -> None:
    """Title -> the tutorial -> two players (张三 holds 李达) -> start."""
    frame(app)
    click(app, "new")
    pick = next(n for n, e in enumerate(app.scene.entries) if e.scenario and e.scenario.id == "tutorial")
    click(app, f"select:{pick}")  # shows the scenario (a click on the one shown goes on)
    if not isinstance(app.scene, SetupScene):
        click(app, "open")
    type_text(app, "一组")
    key(app, pygame.K_TAB)
    type_text(app, "张三")
    key(app, pygame.K_TAB)
    type_text(app, "李四")
    click(app, "role:lida")
    if skip:
        key(app, pygame.K_F3)
    click(app, "start")


def number_of(scene: QuizScene, right: bool) -> int:
    """The number shown for the current player's right (or a wrong) answer."""
    from engine.present.quizview import quiz_view

    progress = scene.progress
    assert progress is not None and progress.turn is not None
    view = quiz_view(scene.session.scenario, scene.session.state, progress.turn)
    assert view is not None and view.question is not None
    item = scene.session.scenario.quiz[view.question.item]
    return next(o.number for o in view.question.options if item.options[o.index].correct == right)


def answer_turn(app: App, player: str, right: bool, mouse: bool) -> None:
    """``player`` takes the screen and answers every question, by mouse or by keyboard."""
    scene = app.scene
    assert isinstance(scene, QuizScene) and scene.progress and scene.progress.turn == player
    if scene.ready != player:  # the hand-over card: "I am ..., start"
        click(app, f"quiz-ready:{player}") if mouse else key(app, pygame.K_RETURN)
    assert scene.ready == player
    while isinstance(app.scene, QuizScene) and scene.ready == player:
        n = number_of(scene, right)
        click(app, f"quiz-option:{n}") if mouse else key(app, pygame.K_0 + n)


def play_through(app: App, clock: ManualClock) -> None:
    """Play the tutorial to its ending, always a choice that is not a trap."""
    for _ in range(60):
        scene = app.scene
        if not isinstance(scene, PlayScene):
            return
        if scene.queue:
            key(app, pygame.K_RETURN)
            continue
        views = scene.team.roles
        active = [i for i, v in enumerate(views) if v.status == "active"]
        s = scene.session.scenario
        view = views[active[0]]
        number = next(c.number for c in view.choices if s.choice(view.task, view.node, c.index).trap is None)
        clock.advance(5)
        key(app, pygame.K_F1 + active[0])
        key(app, pygame.K_0 + number)


@pytest.mark.slow
def test_players_answer_in_turn_before_and_after_play(app: App, store: Store, clock: ManualClock) -> None:
    start(app)
    scene = app.scene
    assert isinstance(scene, QuizScene)
    session = scene.session
    assert session.state.status == "quiz" and session.state.players["lida"] == "张三"
    surface = shot(app, "handover")
    names = {t.name for t in app.ui.targets}
    assert "quiz-ready:张三" in names and not any(
        n.startswith("quiz-option") for n in names
    )  # nothing to peek at
    ready = app.ui.target("quiz-ready:张三")
    assert ready is not None and surface.get_at((ready.rect.x + 8, ready.rect.centery))[:3] == th.RED
    answer_turn(app, "张三", right=False, mouse=False)
    shot(app, "second_player")
    assert app.scene.progress.turn == "李四"  # type: ignore[union-attr]
    click(app, "quiz-ready:李四")
    surface = shot(app, "question")
    option = app.ui.target("quiz-option:1")
    assert option is not None and surface.get_at((option.rect.x + 1, option.rect.centery))[:3] == th.GOLD
    assert scene.message == ""
    key(app, pygame.K_9)  # no ninth option: refused on screen, nothing stored
    assert "没有第 9 项" in scene.message
    answer_turn(app, "李四", right=True, mouse=True)
    assert isinstance(app.scene, PlayScene) and session.state.status == "active"
    clock.advance(3)
    play_through(app, clock)
    assert isinstance(app.scene, QuizScene) and session.state.quiz == "post"
    shot(app, "after_the_ending")
    answer_turn(app, "张三", right=True, mouse=True)
    answer_turn(app, "李四", right=True, mouse=False)
    surface = shot(app, "key")
    assert (
        "张三：赛前 0/5 → 赛后 5/5" in app.scene.key_text
        and "李四：赛前 5/5 → 赛后 5/5" in app.scene.key_text
    )
    assert "正确答案：马林和尼克尔斯基" in app.scene.key_text
    key(app, pygame.K_RETURN)
    assert isinstance(app.scene, ResultsScene)
    answers = [e for e in store.events(session.id) if e.kind == "quiz_answered"]
    assert len(answers) == 2 * 2 * 5
    assert {(e.data["phase"], e.data["player"]): e.data["correct"] for e in answers} == {
        ("pre", "张三"): False,
        ("pre", "李四"): True,
        ("post", "张三"): True,
        ("post", "李四"): True,
    }


def test_the_facilitator_skips_the_check_on_the_spot_or_at_set_up(app: App, store: Store) -> None:
    start(app)
    key(app, pygame.K_RETURN)  # 张三 takes the screen and answers one question
    key(app, pygame.K_0 + number_of(app.scene, True))  # type: ignore[arg-type]
    key(app, pygame.K_ESCAPE)
    shot(app, "skip")
    assert app.scene.confirm  # type: ignore[attr-defined]
    key(app, pygame.K_ESCAPE)  # changed their mind
    assert not app.scene.confirm  # type: ignore[attr-defined]
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_1)
    assert isinstance(app.scene, PlayScene)
    kinds = [
        (e.kind, e.data.get("phase")) for e in store.events(app.scene.session.id) if e.kind.startswith("quiz")
    ]
    assert kinds == [("quiz_answered", "pre"), ("quiz_skipped", "pre")]
    key(app, pygame.K_ESCAPE)
    click(app, "fac:end")
    click(app, "fac:end-yes")
    click(app, "title")
    start(app, skip=True)  # F3 on the set-up screen: no check at all, and the log says so
    assert isinstance(app.scene, PlayScene)
    kinds = [
        (e.kind, e.data.get("phase")) for e in store.events(app.scene.session.id) if e.kind.startswith("quiz")
    ]
    assert kinds == [("quiz_skipped", "pre"), ("quiz_skipped", "post")]


@pytest.mark.slow
def test_a_session_resumes_in_the_middle_of_either_check(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "q.db"
    store = Store(db)
    first = App(store, Settings(scenarios=[TUTORIAL]), clock)
    start(first)
    scene = first.scene
    sid = scene.session.id  # type: ignore[attr-defined]
    key(first, pygame.K_RETURN)
    for _ in range(2):
        key(first, pygame.K_0 + number_of(scene, True))  # type: ignore[arg-type]
    first.close()
    store.close()  # the program is gone mid-check

    store = Store(db)
    second = App(store, Settings(scenarios=[TUTORIAL]), ManualClock(clock.now() + 60))
    frame(second)
    assert isinstance(second.scene, TitleScene) and sid in {r.id for r in second.scene.unfinished}
    click(second, f"resume:{sid}")
    frame(second)
    resumed = second.scene
    assert isinstance(resumed, QuizScene) and resumed.progress.players[0] == ("张三", 2, 5)  # type: ignore[union-attr]
    answer_turn(second, "张三", right=True, mouse=False)
    answer_turn(second, "李四", right=True, mouse=True)
    play_through(second, second.clock)  # type: ignore[arg-type]
    assert isinstance(second.scene, QuizScene)
    answer_turn(second, "张三", right=True, mouse=False)
    second.close()
    store.close()  # gone again, now in the check after the ending (the session's status: ended)

    store = Store(db)
    third = App(store, Settings(scenarios=[TUTORIAL]), ManualClock(clock.now() + 600))
    try:
        frame(third)
        assert store.session(sid).status == "ended"
        click(third, f"resume:{sid}")
        frame(third)
        assert isinstance(third.scene, QuizScene) and third.scene.progress.turn == "李四"  # type: ignore[union-attr]
        answer_turn(third, "李四", right=True, mouse=True)
        assert "李四：赛前 5/5 → 赛后 5/5" in third.scene.key_text  # type: ignore[attr-defined]
    finally:
        third.close()
        store.close()
