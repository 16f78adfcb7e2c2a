"""A cohort's knowledge check (engine/review/gains.py): sums of sessions, what to teach next time."""

from __future__ import annotations

import pytest
from quizlog import QUIZ, check, skipped, splice, with_quiz

from engine.format.scenario import Scenario
from engine.review.cohort import cohort_metrics
from engine.review.learning import FOCUS_BELOW
from engine.review.metrics import session_metrics
from engine.review.records import SessionMetrics
from engine.tools.bots import play_bot_session

PLAYERS = ["张三", "李四", "王五"]
ALL = {q.id for q in QUIZ}


@pytest.fixture(scope="module")
def sessions(tutorial: Scenario) -> tuple[Scenario, list[SessionMetrics]]:
    quizzed = with_quiz(tutorial)
    out = []
    for seed in range(4):
        game = play_bot_session(
            tutorial, "random", seed=seed, players=PLAYERS, start_time=1_700_000_000 + seed * 9000
        ).events
        t0, t1 = game[0].at, game[-1].at + 1
        if seed == 0:  # 张三 knew one item, learns all; the others knew nothing and learn q_chair
            log = splice(
                game,
                check(t0, "pre", {"张三": {"q_chair"}, "李四": set()}),
                check(t1, "post", {"张三": ALL, "李四": {"q_chair"}}),
            )
        elif seed == 1:
            log = splice(
                game,
                check(t0, "pre", {"王五": {"q_chair", "q_date"}}),
                check(t1, "post", {"王五": {"q_chair"}}),
            )
        elif seed == 2:
            log = splice(game, [skipped(t0, "pre")], [skipped(t1, "post")])
        else:
            log = game  # recorded before the check existed
        out.append(session_metrics(quizzed, log, f"s{seed}"))
    return quizzed, out


def test_item_rates_sum_answers_over_sessions(sessions: tuple[Scenario, list[SessionMetrics]]) -> None:
    quizzed, ms = sessions
    c = cohort_metrics(ms, {quizzed.hash: quizzed}).learning
    assert (c.sessions_answered, c.sessions_skipped, c.sessions_not_asked, c.sessions_no_quiz) == (2, 1, 1, 0)
    items = {i.item: i for i in c.items}
    chair = items["q_chair"]  # before: 张三 yes, 李四 no, 王五 yes; after: all three yes
    assert (chair.pre_answered, chair.pre_right, chair.post_answered, chair.post_right) == (3, 2, 3, 3)
    assert chair.gain == 1.0 and not chair.focus
    date = items["q_date"]  # before: 王五 yes; after: 张三 yes only
    assert (date.pre_rate, date.post_rate) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert date.gain == 0.0 and date.focus
    assert (c.pre_answered, c.pre_right) == (12, 3)
    assert (c.post_answered, c.post_right) == (12, 6)
    assert c.gain == pytest.approx((6 / 12 - 3 / 12) / (1 - 3 / 12))


def test_items_needing_teaching_come_first_with_their_trap_rate(
    sessions: tuple[Scenario, list[SessionMetrics]],
) -> None:
    quizzed, ms = sessions
    cohort = cohort_metrics(ms, {quizzed.hash: quizzed})
    c = cohort.learning
    posts = [i.post_rate for i in c.items]
    assert posts == sorted(posts)  # lowest after-play rate first
    assert c.focus == [i for i in c.items if i.post_rate is not None and i.post_rate < FOCUS_BELOW]
    rates = {(r.scenario_id, r.trap): (r.exposed, r.sprung) for r in cohort.trap_rates}
    for item in c.items:  # the in-game rate is the cohort's, over every selected session
        assert (item.trap_exposed, item.trap_sprung) == rates.get(("tutorial", item.trap or ""), (0, 0))


def test_players_sum_their_sessions(sessions: tuple[Scenario, list[SessionMetrics]]) -> None:
    quizzed, ms = sessions
    c = cohort_metrics(ms, {quizzed.hash: quizzed}).learning
    by = {p.player: p for p in c.players}
    assert (by["张三"].pre_correct, by["张三"].post_correct, by["张三"].gain) == (1, 4, 3)
    assert (by["王五"].pre_correct, by["王五"].post_correct, by["王五"].sessions) == (2, 1, 1)
    assert by["王五"].gain == -1


def test_no_check_anywhere(tutorial: Scenario) -> None:
    game = play_bot_session(tutorial, "expert", seed=1).events
    c = cohort_metrics(
        [session_metrics(with_quiz(tutorial, ()), game, "x")], {tutorial.hash: tutorial}
    ).learning
    assert c.items == [] and c.pre_rate is None and c.post_rate is None and c.gain is None
    assert c.sessions_no_quiz == 1
