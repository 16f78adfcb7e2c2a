"""What a role and the team see now (engine.present.view): a progress total that never moves,
a danger meter that escalates towards its limit, and waits listed one per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.view import Meter, WaitView, progress, summary, team_view
from engine.rules.state import fold
from engine.rules.step import tasks_total
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "yida_1921.yaml")


def test_the_progress_total_stays_put_while_tasks_are_cut_off_and_added(yida: Scenario) -> None:
    planned = sum(1 for t in yida.tasks.values() if not t.remedial)
    seen_old, seen_new, extras = set(), set(), set()
    for seed in range(6):
        events = play_bot_session(yida, "random", seed).events
        for k in range(1, len(events) + 1):
            state = fold(events[:k])
            made = progress(yida, state)
            seen_old.add(tasks_total(yida, state))
            seen_new.add(made.total)
            extras.add(made.extra_total)
            assert made.done <= made.total and made.extra_done <= made.extra_total
    assert len(seen_old) > 1  # these games cut off and add tasks: the old total moved
    assert seen_new == {planned}
    assert max(extras) >= 1  # a remedial task was added, and counted apart


def test_a_finished_game_has_done_every_planned_task_or_passed_it(yida: Scenario) -> None:
    result = play_bot_session(yida, "expert", 1)
    view = team_view(yida, result.state, result.state.now, result.events)
    assert result.state.ending == "red_boat"
    assert (view.done, view.total) == (19, 19)


@pytest.mark.parametrize(
    ("value", "level"), [(0, "calm"), (1, "warn"), (2, "danger"), (3, "over"), (5, "over")]
)
def test_a_meter_escalates_as_it_nears_its_limit(value: int, level: str) -> None:
    assert Meter("alarm", "危险", value, 3).level == level


def test_the_flagship_shows_danger_as_a_meter(yida: Scenario) -> None:
    result = play_bot_session(yida, "random", 3)
    view = team_view(yida, fold(result.events[:1]), 0.0)
    assert [(m.label, m.text, m.level) for m in view.meters] == [("危险", "0/3", "calm")]
    assert view.counters == [("危险", "0/3")]


def test_waits_are_one_line_per_teammate() -> None:
    wait = WaitView("入会", [("a", "李达", "A"), ("b", "张国焘", "B"), ("a", "李达", "C")], 3.0)
    assert wait.lines() == ["李达 完成《A》《C》", "张国焘 完成《B》"]
    assert wait.sentence() == "等待 李达 完成《A》《C》；张国焘 完成《B》"
    assert WaitView("入会", [], 0.0, ["不速之客"]).lines() == ["「不速之客」发生"]


def test_a_stored_session_sums_up_in_one_line(yida: Scenario) -> None:
    events = play_bot_session(yida, "random", 0).events
    cut = next(i for i, e in enumerate(events) if e.kind == "task_activated") + 1
    state = fold(events[:cut])
    made = progress(yida, state)
    clock = f"{int(state.elapsed(state.now)) // 60:02d}:{int(state.elapsed(state.now)) % 60:02d}"
    assert summary(yida, state) == (f"得分 {state.score} · 进度 {made.done}/19（补救 0/1） · 用时 {clock}")
