"""Learning from the knowledge check: per player and per item, from the log, with honest edge cases."""

from __future__ import annotations

import pytest
from quizlog import QUIZ, answer, check, first_roles, skipped, splice, with_quiz

from engine.format.scenario import Scenario
from engine.review.learning import normalized_change, quiz_items
from engine.review.metrics import session_metrics
from engine.tools.bots import play_bot_session

PLAYERS = ["张三", "李四", "王五"]
ALL = {q.id for q in QUIZ}


@pytest.fixture(scope="module")
def quizzed(tutorial: Scenario) -> Scenario:
    return with_quiz(tutorial)


@pytest.fixture(scope="module")
def game(tutorial: Scenario) -> list:
    return play_bot_session(tutorial, "random", seed=3, players=PLAYERS).events


def test_normalized_change_is_defined_everywhere_and_bounded() -> None:
    assert normalized_change(0.5, 0.75) == 0.5  # half of the room for improvement
    assert normalized_change(0.25, 1.0) == 1.0
    assert normalized_change(0.5, 0.25) == -0.5  # a fall is measured against what was known
    assert normalized_change(1.0, 1.0) == 0.0  # everyone knew it: no division by zero
    assert normalized_change(1.0, 0.5) == -0.5
    assert normalized_change(0.0, 0.0) == 0.0
    assert normalized_change(None, 0.5) is None and normalized_change(0.5, None) is None


def test_players_and_items_before_and_after(quizzed: Scenario, game: list) -> None:
    started = game[0].at
    end = game[-1].at
    pre = check(started, "pre", {"张三": {"q_chair"}, "李四": {"q_chair", "q_lodging"}, "王五": set()})
    post = check(end + 5, "post", {"张三": ALL, "李四": ALL - {"q_date"}, "王五": {"q_chair"}})
    m = session_metrics(quizzed, splice(game, pre, post), "s1")
    learning = m.learning
    assert learning is not None and learning.status == "answered"
    assert learning.phases == {"pre": "answered", "post": "answered"}
    got = {p.player: (p.pre_correct, p.post_correct, p.gain, p.items) for p in learning.players}
    assert got == {"张三": (1, 4, 3, 4), "李四": (2, 3, 1, 4), "王五": (0, 1, 1, 4)}
    items = {i.item: i for i in learning.items}
    assert [i.item for i in learning.items] == [q.id for q in QUIZ]  # authored order
    chair = items["q_chair"]
    assert (chair.pre_rate, chair.post_rate, chair.gain) == (2 / 3, 1.0, 1.0)
    date = items["q_date"]
    assert (date.pre_answered, date.pre_rate, date.post_rate) == (3, 0.0, 1 / 3)
    assert date.question == "中共一大在哪一天开幕？" and date.trap == "july_first"
    assert date.trap_title == quizzed.traps["july_first"].trap.title
    assert date.focus and not chair.focus  # 33% after play: still misunderstood


def test_the_check_moves_no_timeline(quizzed: Scenario, game: list) -> None:
    """Answering after the ending (or before play) is not play: duration and timelines stay."""
    plain = session_metrics(quizzed, game, "s")
    post = check(game[-1].at + 600, "post", {p: ALL for p in PLAYERS})
    m = session_metrics(quizzed, splice(game, [], post), "s")
    assert m.duration == plain.duration and m.ended_at == plain.ended_at
    assert m.roles["lida"].segments == plain.roles["lida"].segments
    assert m.events == plain.events + len(post)


def test_trap_in_play_is_read_from_the_same_log(quizzed: Scenario, game: list) -> None:
    post = check(game[-1].at + 1, "post", {"张三": ALL})
    m = session_metrics(quizzed, splice(game, [], post), "s")
    assert m.learning is not None
    sprung = {t.trap for t in m.traps}
    for item in m.learning.items:
        assert item.trap_exposed == int(item.trap in m.traps_exposed)
        assert item.trap_sprung == int(item.trap in sprung)


def test_a_player_who_missed_a_phase_has_no_score_there_not_zero(quizzed: Scenario, game: list) -> None:
    pre = check(game[0].at, "pre", {"张三": {"q_date"}, "李四": set()})  # 王五 came late
    post = check(game[-1].at + 1, "post", {"张三": ALL, "李四": ALL, "王五": ALL})
    m = session_metrics(quizzed, splice(game, pre, post), "s")
    assert m.learning is not None
    wang = m.learning.of("王五")
    li = m.learning.of("李四")
    assert wang is not None and li is not None
    assert (wang.pre_correct, wang.post_correct, wang.gain) == (None, 4, None)
    assert (li.pre_correct, li.gain) == (0, 4)  # answered, all wrong: that is a zero
    date = next(i for i in m.learning.items if i.item == "q_date")
    assert (date.pre_answered, date.pre_rate) == (2, 0.5)  # the rate counts answers given


def test_a_later_answer_replaces_an_earlier_one(quizzed: Scenario, game: list) -> None:
    t = game[-1].at
    post = [answer(t + 1, "post", "张三", "q_date", False), answer(t + 2, "post", "张三", "q_date", True)]
    m = session_metrics(quizzed, splice(game, [], post), "s")
    assert m.learning is not None
    assert m.learning.of("张三").post_correct == 1  # type: ignore[union-attr]
    assert len(m.learning.answers) == 1


def test_no_quiz_says_so(tutorial: Scenario, game: list) -> None:
    m = session_metrics(with_quiz(tutorial, ()), game, "s")
    assert m.learning is not None and m.learning.status == "no_quiz"
    assert "本场景没有知识检测题" in m.learning.note
    assert not m.learning.players and not m.learning.items


def test_skipped_and_not_asked_say_so(quizzed: Scenario, game: list) -> None:
    both = session_metrics(
        quizzed, splice(game, [skipped(game[0].at, "pre")], [skipped(game[-1].at, "post")]), "s"
    )
    assert both.learning is not None and both.learning.status == "skipped"
    assert "跳过" in both.learning.note and not both.learning.players
    never = session_metrics(quizzed, game, "s")
    assert never.learning is not None and never.learning.status == "not_asked"
    assert never.learning.phases == {"pre": "not_asked", "post": "not_asked"}
    half = session_metrics(
        quizzed, splice(game, [skipped(game[0].at, "pre")], check(game[-1].at, "post", {"张三": ALL})), "s"
    )
    assert half.learning is not None and half.learning.status == "answered"
    assert half.learning.phases == {"pre": "skipped", "post": "answered"}
    assert half.learning.of("张三").pre_correct is None  # type: ignore[union-attr]


def test_quiz_items_read_defensively(tutorial: Scenario, quizzed: Scenario) -> None:
    assert quiz_items(with_quiz(tutorial, ())) == {}
    items = quiz_items(quizzed)
    assert list(items) == [q.id for q in QUIZ]
    assert items["q_date"].correct == 1 and items["q_date"].options == ("7月1日", "7月23日")


def test_answering_role_is_kept(quizzed: Scenario, game: list) -> None:
    roles = first_roles({"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"})
    post = check(game[-1].at, "post", {"张三": ALL}, roles)
    m = session_metrics(quizzed, splice(game, [], post), "s")
    assert m.learning is not None and {a.role for a in m.learning.answers} == {"lida"}
