"""The review section (回顾), headless: from the title screen to the session list, a debrief,
the leaderboard and the honor wall; every figure on screen must equal the report's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pygame
import pytest
from quizlog import QUIZ, check, skipped, splice, store_log
from ui_driver import click, frame, key

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.labels import STATUS_NAMES
from engine.present.timeline import timeline
from engine.report import Filters, debrief, honor_wall, leaderboard, load_review, session_list
from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.tools.bots import play_bot_session
from engine.ui import theme as th
from engine.ui.app import App, Settings
from engine.ui.scenes.review import ReviewScene, board_row, honor_row, session_row
from engine.ui.scenes.title import TitleScene

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
DAY = 86_400.0
TEAMS = [("红星小组", "random"), ("星火队", "expert"), ("曙光队", "careful"), ("红星小组", "careful")]
NAMES = ["张三", "李四", "王五", "赵六", "孙七", "周八"]
ALL = {q.id for q in QUIZ}


def fill(store: Store, scenario: Scenario, teams: list[tuple[str, str]], start: float) -> None:
    n = len(scenario.roles)
    for k, (team, policy) in enumerate(teams):
        players = [NAMES[(2 * k + i) % len(NAMES)] for i in range(n)]
        play_bot_session(scenario, policy, k, store, team, start_time=start + k * DAY, players=players)  # type: ignore[arg-type]


@contextmanager
def running(store: Store, clock: ManualClock) -> Iterator[App]:
    a = App(store, Settings(scenarios=[TUTORIAL]), clock)
    try:
        yield a
    finally:
        a.close()


@pytest.fixture
def app(store: Store, clock: ManualClock, tutorial: Scenario) -> Iterator[App]:
    fill(store, tutorial, TEAMS, 1_720_000_000.0)
    with running(store, clock) as a:
        yield a


def review_by_key(app: App) -> ReviewScene:
    """R on the title screen opens the review section."""
    frame(app)
    key(app, pygame.K_r)
    assert isinstance(app.scene, ReviewScene)
    frame(app)
    return app.scene


def drawn(app: App, text: str) -> bool:
    """The text was rendered through the game's text cache (it is what a frame blits)."""
    return any(k[0] == text for k in app.text._blocks)


def inked(app: App, rect: pygame.Rect) -> int:
    """How many pixels in ``rect`` are dark (text ink), sampled every 2 px."""
    surf = app.screen
    n = 0
    for x in range(rect.left, rect.right, 2):
        for y in range(rect.top, rect.bottom, 2):
            r, g, b, *_ = surf.get_at((x, y))
            n += r + g + b < 300
    return n


def open_review(app: App) -> ReviewScene:
    frame(app)
    assert isinstance(app.scene, TitleScene)
    click(app, "review")
    assert isinstance(app.scene, ReviewScene)
    frame(app)
    return app.scene


def test_session_list_and_debrief_match_the_report(app: App, store: Store) -> None:
    scene = open_review(app)
    expected = session_list(store)
    assert len(expected) == len(TEAMS)
    assert scene.tab == "list"
    assert scene.rows("list") == [session_row(m) for m in expected]
    assert [r[1] for r in scene.rows("list")] == [t for t, _ in reversed(TEAMS)]  # newest first
    for m in expected:
        assert drawn(app, m.team) and drawn(app, str(m.score))
        assert drawn(app, STATUS_NAMES[m.status])
    first = app.ui.target("sessions:0")
    assert first is not None and inked(app, first.rect) > 50

    # the keyboard moves the selection; a click opens a debrief
    key(app, pygame.K_DOWN)
    assert scene.selected == 1
    click(app, "sessions:2")
    assert scene.tab == "debrief"
    m, scenario = debrief(store, expected[2].session_id)
    shown = scene.current
    assert shown is not None and shown.session_id == m.session_id
    assert (shown.score, shown.ending_title, shown.score_parts) == (m.score, m.ending_title, m.score_parts)
    assert [t.title for t in shown.traps] == [t.title for t in m.traps]
    assert shown.held_up == m.held_up and shown.critical_path == m.critical_path
    tl = timeline(shown)  # what the chart draws: the debrief's segments and traps
    assert [(k.at, k.role) for k in tl.marks if k.kind == "trap"] == [(t.at, t.role) for t in m.traps]
    for role, rm in m.roles.items():
        working = sum(s.end - s.start for s in tl.lane(role).bars if s.kind == "working")
        assert working == pytest.approx(rm.total("working"))
    frame(app)
    assert drawn(app, str(m.score)) and drawn(app, m.ending_title)
    if m.ending:
        assert drawn(app, scenario.endings[m.ending].text.strip())
    for trap in m.traps:
        assert drawn(app, f"【{trap.title}】") and drawn(app, trap.explanation.strip())
    for step in m.critical_path:
        assert any(step.title in k[0] for k in app.text._blocks)
    for rm in m.roles.values():
        assert drawn(app, rm.name) and drawn(app, rm.player)
    # the Gantt chart drew each role's working time in the chart's gold
    w, h = app.screen.get_size()
    chart = pygame.Rect(0, h // 3, w // 2, h // 3)
    gold = sum(
        app.screen.get_at((x, y))[:3] == th.GOLD
        for x in range(chart.left, chart.right, 3)
        for y in range(chart.top, chart.bottom, 3)
    )
    assert gold > 100

    # ←/→ walk through sessions; Esc goes back to the list, then to the title
    key(app, pygame.K_RIGHT)
    assert scene.current is not None and scene.current.session_id == expected[3].session_id
    key(app, pygame.K_RIGHT)  # already the oldest
    assert scene.current.session_id == expected[3].session_id
    key(app, pygame.K_LEFT)
    assert scene.current.session_id == expected[2].session_id
    key(app, pygame.K_ESCAPE)
    assert scene.tab == "list"
    key(app, pygame.K_ESCAPE)
    assert isinstance(app.scene, TitleScene)


def test_leaderboard_and_honor_wall_match_the_report(app: App, store: Store) -> None:
    scene = review_by_key(app)
    key(app, pygame.K_3)
    assert scene.tab == "board"
    board = leaderboard(store)
    assert scene.rows() == [board_row(i, r) for i, r in enumerate(board, start=1)]
    assert board[0].team == scene.rows()[0][1]
    frame(app)
    assert drawn(app, board[0].team) and drawn(app, str(board[0].best_score))
    key(app, pygame.K_4)
    assert scene.tab == "honor"
    wall = honor_wall(store)
    assert wall and scene.rows() == [honor_row(i, p) for i, p in enumerate(wall, start=1)]
    assert len({p.player for p in wall}) > 3  # distinct players from the bots' names
    frame(app)
    assert drawn(app, wall[0].player) and drawn(app, str(wall[0].points))
    click(app, "tab:debrief")  # nothing chosen yet: the newest session
    assert scene.tab == "debrief" and scene.current is not None
    assert scene.current.session_id == session_list(store)[0].session_id
    key(app, pygame.K_TAB)
    assert scene.tab == "board"


def test_scenario_filter_and_scrolling(
    store: Store, clock: ManualClock, tutorial: Scenario, tmp_path: Path
) -> None:
    other_path = tmp_path / "other.yaml"
    other_path.write_text(
        TUTORIAL.read_text(encoding="utf-8").replace("id: tutorial", "id: tutorial_b", 1), encoding="utf-8"
    )
    other = load_scenario(other_path)
    assert other.id == "tutorial_b"
    fill(store, tutorial, TEAMS * 3, 1_720_000_000.0)  # 12 sessions: more than a screen holds
    fill(store, other, TEAMS[:2], 1_710_000_000.0)
    with running(store, clock) as app:
        scene = review_by_key(app)
        assert len(scene.rows("list")) == 14
        assert {sid for sid, _ in scene.scenarios} == {"tutorial", "tutorial_b"}
        # scroll: the wheel over the list, then the keyboard selection keeps its row in view
        area, overflow = app.ui.scroll_areas["sessions"]
        assert overflow > 0
        pygame.mouse.set_pos(area.center)
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False))
        frame(app)
        assert 0 < app.ui.scroll["sessions"] <= overflow
        for _ in range(13):
            key(app, pygame.K_DOWN)
        assert scene.selected == 13
        assert app.ui.scroll["sessions"] == overflow
        assert app.ui.target("sessions:13") is not None and app.ui.target("sessions:0") is None
        # the scenario filter cycles: all -> each scenario -> all
        seen = []
        for _ in range(3):
            key(app, pygame.K_s)
            expected = session_list(store, Filters(scenario=scene.scenario))
            assert scene.rows("list") == [session_row(m) for m in expected]
            seen.append((scene.scenario, len(expected)))
        assert sorted(seen, key=str) == sorted([(None, 14), ("tutorial", 12), ("tutorial_b", 2)], key=str)
        key(app, pygame.K_s)
        key(app, pygame.K_3)
        board = leaderboard(store, Filters(scenario=scene.scenario))
        assert scene.rows() == [board_row(i, r) for i, r in enumerate(board, start=1)]


def test_empty_store_shows_a_message(store: Store, clock: ManualClock) -> None:
    with running(store, clock) as app:
        scene = review_by_key(app)
        for k in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4):
            key(app, k)
            assert scene.rows() == []
        assert drawn(app, "还没有玩家获得积分。")


@pytest.fixture
def quiz_app(store: Store, clock: ManualClock, tutorial: Scenario) -> Iterator[App]:
    """Three sessions: one whose team checked before and after play, one skipped, one without."""
    game = play_bot_session(
        tutorial, "careful", seed=2, team="检测队", players=["张三", "李四", "王五"]
    ).events
    pre = check(game[0].at, "pre", {"张三": {"q_chair"}, "李四": set(), "王五": {"q_date"}})
    post = check(game[-1].at + 1, "post", {"张三": ALL, "李四": ALL - {"q_date"}, "王五": {"q_chair"}})
    store_log(store, tutorial, "quiz1", splice(game, pre, post))
    game = play_bot_session(tutorial, "expert", seed=3, team="跳过队", start_time=1_627_100_000.0).events
    store_log(
        store, tutorial, "skip1", splice(game, [skipped(game[0].at, "pre")], [skipped(game[-1].at, "post")])
    )
    play_bot_session(tutorial, "expert", seed=4, store=store, team="旧队", start_time=1_627_200_000.0)
    with running(store, clock) as a:
        yield a


def shot(app: App, name: str) -> None:
    """Keep a screenshot to look at when ``QJ_SHOTS`` names a folder."""
    if os.environ.get("QJ_SHOTS"):
        pygame.image.save(app.screen, str(Path(os.environ["QJ_SHOTS"]) / f"{name}.png"))


def test_learning_page_shows_the_reports_figures(quiz_app: App, store: Store) -> None:
    app = quiz_app
    scene = review_by_key(app)
    key(app, pygame.K_5)
    assert scene.tab == "learn"
    frame(app)
    c = load_review(store).cohort.learning
    assert c.sessions_answered == 1 and c.sessions_skipped == 1
    headline = f"课前答对率 {c.pre_rate:.0%} → 课后 {c.post_rate:.0%}（归一化提升 {c.gain:+.0%}）"
    assert drawn(app, headline) and drawn(app, "下次重点讲")
    for n, item in enumerate(c.items, start=1):
        assert drawn(app, f"{n}. {item.question}")
        assert drawn(app, f"{item.post_rate:.0%}")
    shot(app, "review-learning")
    w, h = app.screen.get_size()
    green = sum(
        app.screen.get_at((x, y))[:3] == th.GREEN for x in range(0, w, 3) for y in range(h // 4, h, 3)
    )
    assert green > 100  # the after-play bars
    # the honor wall explains itself and shows 得分率
    key(app, pygame.K_4)
    wall = load_review(store).cohort.honor_wall
    assert scene.rows() == [honor_row(i, p) for i, p in enumerate(wall, start=1)]
    assert scene.rows()[0][2] == f"{wall[0].rate:.0%}"
    frame(app)
    assert any("按得分率排名" in k[0] for k in app.text._blocks)


def test_debrief_learning_section_and_honest_notes(quiz_app: App, store: Store) -> None:
    app = quiz_app
    scene = review_by_key(app)
    sessions = [m.session_id for m in scene.sessions]
    scene.open(sessions.index("quiz1"))
    frame(app)
    assert drawn(app, "学习效果（课前 / 课后知识检测）")
    m = scene.current
    assert m is not None and m.learning is not None
    zhang = m.learning.of("张三")
    assert zhang is not None and (zhang.pre_correct, zhang.post_correct) == (1, 4)
    assert drawn(app, "1/4") and drawn(app, "+3 题")
    shot(app, "review-debrief-learning")
    scene.open(sessions.index("skip1"))
    frame(app)
    assert drawn(app, "本局跳过了知识检测（主持人选择）。")
    scene.open(sessions.index(next(s for s in sessions if s not in ("quiz1", "skip1"))))
    frame(app)
    assert any(k[0].startswith("本") and "知识检测" in k[0] for k in app.text._blocks)
