"""The knowledge check in the rules (engine/rules/knowledge.py and its fold in rules/state.py):
when it is open, what an answer records, who may answer, and that its time is never play time."""

from __future__ import annotations

import pytest

from engine.format.scenario import Scenario
from engine.review.metrics import session_metrics
from engine.rules.state import Event, State, fold
from engine.rules.step import (
    Abandon,
    Answer,
    Choose,
    Pause,
    RuleViolation,
    SkipQuiz,
    Start,
    step,
)
from engine.session.replay import replay_difference
from engine.store.steps import StoredStep

T0 = 1_000.0
ASSIGN = {"lida": "甲", "wanghuiwu": "乙", "lihanjun": "甲"}  # 甲 holds two roles
PLAYERS = ["甲", "乙"]


def started(s: Scenario, quiz: str = "ask", shuffle: int | None = 3) -> tuple[list[Event], State]:
    return step(s, State(), Start("队", ASSIGN, shuffle, quiz), T0)  # type: ignore[arg-type]


def correct(s: Scenario, item: str) -> int:
    return next(i for i, o in enumerate(s.quiz[item].options) if o.correct)


def answer_all(
    s: Scenario, st: State, phase: str, at: float, right: bool = True
) -> tuple[list[Event], State]:
    """Every player answers every item (each item right, or its first wrong option)."""
    out: list[Event] = []
    for player in PLAYERS:
        for item in st.quiz_items:
            option = correct(s, item) if right else (correct(s, item) + 1) % len(s.quiz[item].options)
            events, st = step(s, st, Answer(player, item, option, phase), at)  # type: ignore[arg-type]
            out += events
            at += 1.0
    return out, st


def test_a_session_that_asks_starts_in_the_check_with_its_tasks_open(tutorial: Scenario) -> None:
    events, st = started(tutorial)
    first = events[0]
    assert first.data["quiz"] == list(tutorial.quiz) and first.data["shuffle"] == 3
    assert (st.status, st.quiz, st.quiz_items) == ("quiz", "pre", tuple(tutorial.quiz))
    assert st.roles["lida"].task == "send_letters"  # settled as ever: only acting waits
    with pytest.raises(RuleViolation, match="请先完成赛前知识小测"):
        step(tutorial, st, Choose("lida", 0, "start"), T0 + 1)
    with pytest.raises(RuleViolation, match="只有进行中的会话可以暂停"):
        step(tutorial, st, Pause(), T0 + 1)


def test_without_a_check_or_a_seed_the_start_records_neither(tutorial: Scenario) -> None:
    events, st = started(tutorial, "off", None)
    assert "quiz" not in events[0].data and "shuffle" not in events[0].data
    assert st.status == "active" and not any(e.kind.startswith("quiz") for e in events)


def test_an_answer_records_exactly_the_contract(tutorial: Scenario) -> None:
    _, st = started(tutorial)
    item = "q_chair"
    (event,), st = step(tutorial, st, Answer("乙", item, correct(tutorial, item), "pre"), T0 + 5)
    assert event.kind == "quiz_answered" and event.role == "wanghuiwu"  # the player's first role
    contract = {
        "phase": "pre",
        "player": "乙",
        "item": item,
        "option": correct(tutorial, item),
        "correct": True,
    }
    assert event.data == {**contract, "role": "wanghuiwu"}  # the role in the data, as in every event with one
    wrong = (correct(tutorial, item) + 1) % 4
    (event,), st = step(tutorial, st, Answer("甲", item, wrong, "pre"), T0 + 6)
    assert event.role == "lida" and event.data["correct"] is False  # 甲's first role is 李达
    assert st.quiz_answers == {("pre", "乙", item): correct(tutorial, item), ("pre", "甲", item): wrong}


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (Answer("乙", "q_chair", 0, "pre"), "已经答过"),
        (Answer("丙", "q_chair", 0, "pre"), "不是这个会话的玩家"),
        (Answer("乙", "q_nope", 0, "pre"), "没有这道题"),
        (Answer("乙", "q_opening_date", 4, "pre"), "没有这个选项"),
        (Answer("乙", "q_opening_date", 0, "post"), "赛后知识小测已经结束"),
    ],
)
def test_answers_the_rules_refuse(tutorial: Scenario, answer: Answer, words: str) -> None:
    _, st = started(tutorial)
    _, st = step(tutorial, st, Answer("乙", "q_chair", 0, "pre"), T0 + 1)
    with pytest.raises(RuleViolation, match=words):
        step(tutorial, st, answer, T0 + 2)


def test_the_last_answer_opens_the_game_and_the_check_took_no_game_time(tutorial: Scenario) -> None:
    _, st = started(tutorial)
    waiting_since = st.roles["lihanjun"].waiting.since  # type: ignore[union-attr]
    events, st = answer_all(tutorial, st, "pre", T0 + 100)
    assert len(events) == len(PLAYERS) * len(tutorial.quiz)
    span = events[-1].at - T0
    assert (st.status, st.quiz, st.quiz_done) == ("active", None, frozenset({"pre"}))
    assert st.quiz_total == st.paused_total == span
    assert st.elapsed(events[-1].at + 7) == 7.0  # the clock starts when the check ends
    assert st.roles["lihanjun"].waiting.since == waiting_since + span  # type: ignore[union-attr]
    step(tutorial, st, Choose("lida", 0, "start"), events[-1].at + 1)  # now the team may act


def test_the_facilitator_skips_the_open_check_only(tutorial: Scenario) -> None:
    _, st = started(tutorial)
    with pytest.raises(RuleViolation, match="赛后知识小测已经结束"):
        step(tutorial, st, SkipQuiz("post"), T0 + 1)
    _, st = step(tutorial, st, Answer("甲", "q_chair", 0, "pre"), T0 + 1)
    (skip,), st = step(tutorial, st, SkipQuiz("pre"), T0 + 30)
    assert (skip.kind, skip.role, skip.data) == ("quiz_skipped", None, {"phase": "pre"})
    assert st.status == "active" and st.quiz_total == 30.0
    with pytest.raises(RuleViolation, match="现在没有进行中的知识小测"):
        step(tutorial, st, SkipQuiz("pre"), T0 + 31)


def play_perfectly(s: Scenario, st: State, at: float) -> tuple[list[Event], State]:
    out: list[Event] = []
    for role in ["lida", "wanghuiwu", "lihanjun", "lihanjun", "lida", "wanghuiwu"]:
        events, st = step(s, st, Choose(role, 0, st.roles[role].node), at)
        out += events
        at += 10.0
    return out, st


def test_the_ending_opens_the_check_after_play_which_counts_no_play_time(tutorial: Scenario) -> None:
    start, st = started(tutorial)
    pre, st = answer_all(tutorial, st, "pre", T0 + 10, right=False)
    played, st = play_perfectly(tutorial, st, pre[-1].at + 5)
    assert (st.status, st.ending, st.quiz) == ("ended", "perfect", "post")
    at_end = st.elapsed(played[-1].at)
    with pytest.raises(RuleViolation, match="会话已经结束"):
        step(tutorial, st, Abandon(), played[-1].at + 1)  # the check goes on: answer or skip it
    post, st = answer_all(tutorial, st, "post", played[-1].at + 500)
    assert st.quiz is None and st.quiz_done == frozenset({"pre", "post"})
    assert st.elapsed(post[-1].at + 1000) == at_end == played[-1].at - pre[-1].at
    log = start + pre + played + post
    m = session_metrics(tutorial, log)
    assert m.duration == pytest.approx(at_end)  # review figures leave both checks out too
    assert fold(log) == st


def test_a_check_skipped_at_the_start_says_so_for_both_and_never_opens(tutorial: Scenario) -> None:
    events, st = started(tutorial, "skip")
    assert [e.data for e in events if e.kind == "quiz_skipped"] == [{"phase": "pre"}, {"phase": "post"}]
    assert st.status == "active"
    _, st = play_perfectly(tutorial, st, T0 + 10)
    assert st.status == "ended" and st.quiz is None


def test_abandoning_during_the_check_closes_it(tutorial: Scenario) -> None:
    _, st = started(tutorial)
    _, st = step(tutorial, st, Abandon("走了"), T0 + 40)
    assert (st.status, st.quiz, st.elapsed(T0 + 99)) == ("abandoned", None, 0.0)


@pytest.mark.parametrize("quiz", ["ask", "skip", "off"])
def test_a_log_with_a_check_replays_action_by_action(tutorial: Scenario, quiz: str) -> None:
    start, st = started(tutorial, quiz, shuffle=None if quiz == "off" else 8)
    log = [start]
    if quiz == "ask":
        answers, st = answer_all(tutorial, st, "pre", T0 + 10)
        log += [[e] for e in answers]
    played, st = play_perfectly(tutorial, st, T0 + 500)
    log.append(played)  # several actions in one stored step, as a v1 migration leaves them
    if quiz == "ask":
        (skip,), st = step(tutorial, st, SkipQuiz("post"), T0 + 900)
        log.append([skip])
    steps, acc = [], State()
    for events in log:
        acc = fold(events, acc)
        steps.append(StoredStep(events, acc.status, acc.score, acc.ending))
    assert replay_difference(tutorial, steps) == ""
    # a changed answer is a different log
    if quiz == "ask":
        first = log[1][0]
        forged = first._replace(data={**first.data, "correct": not first.data["correct"]})
        steps[1] = StoredStep([forged], *steps[1][1:])
        assert "产生的事件不同" in replay_difference(tutorial, steps)
