"""Notes (engine.present.notes): every consequence of a trap or a team event is announced."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.notes import Note, notes
from engine.rules.state import Event, State
from engine.rules.step import Choose, Hint, Skip, Start, step
from engine.tools.bots import play_bot_session

FIXTURE = Path(__file__).parent / "fixtures" / "consequences.yaml"
YIDA = Path(__file__).resolve().parent.parent / "scenarios" / "yida_1921.yaml"


@pytest.fixture(scope="module")
def consequences() -> Scenario:
    return load_scenario(FIXTURE)


def turns(scenario: Scenario, actions: list[tuple[float, object]]) -> list[tuple[list[Event], int]]:
    """(events, first seq) per action, starting with the start of the session."""
    events, state = step(scenario, State(), Start("队", {"lookout": "甲", "clerk": "乙"}), 0.0)
    out = [(events, 1)]
    for at, action in actions:
        first = state.seq + 1
        events, state = step(scenario, state, action, at)  # type: ignore[arg-type]
        out.append((events, first))
    return out


def test_a_trap_announces_every_consequence_in_order(consequences: Scenario) -> None:
    (_, _), (events, first) = turns(consequences, [(10.0, Choose("lookout", 1, "start"))])
    note, _patrol = notes(consequences, events, first)
    assert (note.kind, note.role, note.kicker, note.title) == (
        "trap",
        "lookout",
        "⚠ 陷阱 · 望风者",
        "大声喝问",
    )
    assert note.facts == (
        "全队扣 5 分",
        "望风者 锁定 20 秒",
        "文件被留在了桌上",  # a hidden flag: its description says what happened
        "危险 升至 1（+1）",  # a displayed counter going up
        "新增补救任务：《收起文件》（记录员）",
        "望风者 退回上一步重新选择",
    )
    assert (note.body_label, note.body, note.source) == (
        "历史讲解",
        "望风要不露声色，喝问只会引来更多注意。",
        "测试出处",
    )
    assert note.seq == first + [e.kind for e in events].index("trap_sprung")


def test_trap_then_the_event_it_triggers(consequences: Scenario) -> None:
    # the trap raises danger to 1; the patrol waits for danger >= 1 and so fires in the same action
    (_, _), (events, first) = turns(consequences, [(10.0, Choose("lookout", 1, "start"))])
    kinds = [n.kind for n in notes(consequences, events, first)]
    assert kinds == ["trap", "event"]
    event = notes(consequences, events, first)[1]
    assert (event.role, event.kicker, event.title) == (None, "团队事件 · 全体注意", "巡捕路过")
    assert event.facts == ("危险 升至 2（+1）", "《整理记录》被迫中断（记录员）")
    assert event.body == "一队巡捕从弄堂口经过，朝里面看了一眼。"


def test_feedback_hint_and_skip(consequences: Scenario) -> None:
    actions = [(5.0, Hint("clerk")), (6.0, Skip("clerk")), (10.0, Choose("lookout", 0, "start"))]
    _, (hint, h1), (skip, s1), (feedback, f1) = turns(consequences, actions)
    assert notes(consequences, hint, h1) == [
        Note(
            h1,
            "hint",
            "clerk",
            "主持人提示",
            "给 记录员 的提示",
            "这一步没有预设提示：请回顾角色简介和之前的剧情。",
        )
    ]
    (skipped,) = notes(consequences, skip, s1)
    assert (skipped.kind, skipped.role, skipped.title) == ("skip", "clerk", "跳过了 记录员 的《整理记录》")
    (fb,) = notes(consequences, feedback, f1)
    assert (fb.kind, fb.role, fb.kicker, fb.title, fb.body) == (
        "feedback",
        "lookout",
        "望风者 的选择",
        "不动声色，记下他的样子",
        "沉着是望风的第一要务。",
    )


def test_lines_are_what_text_mode_prints(consequences: Scenario) -> None:
    (_, _), (events, first) = turns(consequences, [(10.0, Choose("lookout", 1, "start"))])
    trap = notes(consequences, events, first)[0]
    assert trap.lines() == [
        "⚠ 陷阱 · 望风者：大声喝问",
        "· 全队扣 5 分",
        "· 望风者 锁定 20 秒",
        "· 文件被留在了桌上",
        "· 危险 升至 1（+1）",
        "· 新增补救任务：《收起文件》（记录员）",
        "· 望风者 退回上一步重新选择",
        "历史讲解：望风要不露声色，喝问只会引来更多注意。",
        "出处：测试出处",
    ]


@pytest.mark.parametrize("seed", range(12))
def test_the_whole_log_gives_the_notes_of_its_actions(seed: int) -> None:
    """A resumed host rebuilds its notes from the log: the same notes as live, action by action."""
    yida = load_scenario(YIDA)
    result = play_bot_session(yida, "random", seed=seed)
    events = result.events
    starts = [i for i, e in enumerate(events) if e.kind in ("session_started", "choice_made")]
    live: list[Note] = []
    for a, b in zip(starts, [*starts[1:], len(events)], strict=True):
        live += notes(yida, events[a:b], a + 1)
    assert notes(yida, events) == live


def test_every_danger_raising_trap_of_the_flagship_says_so() -> None:
    yida = load_scenario(YIDA)
    raising = {t for t, site in yida.traps.items() if site.trap.add.get("alarm")}
    assert raising  # the flagship's 危险 counter
    label = next(f.display for f in yida.data.flags if f.id == "alarm")
    assert label and label.startswith("危险")
    seen: set[str] = set()
    for seed in range(60):
        events = play_bot_session(yida, "random", seed=seed).events
        for i, e in enumerate(events):
            if e.kind == "trap_sprung" and e.data["trap"] in raising:
                note = next(n for n in notes(yida, events) if n.seq == i + 1)
                assert any(f.startswith(f"{label} 升至 ") for f in note.facts), note.facts
                seen.add(e.data["trap"])
    assert len(seen) >= len(raising) // 2
