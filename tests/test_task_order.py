"""Task order: a role starts the first listed task whose requires holds; validate warns where a
later task can overtake an earlier one, and is silent where it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario, parse_scenario
from engine.rules.state import State
from engine.tools.verify import verify

ROOT = Path(__file__).resolve().parent.parent

RIVER = """
scenario: { id: river, title: 四渡赤水, summary: 红军长征途中。 }
roles:
  - { id: liu, name: 刘伯承, brief: 你指挥先遣队。 }
  - { id: eng, name: 工兵连长, brief: 你负责扎竹筏。 }
tasks:
  - id: rafts
    role: eng
    title: 扎竹筏
    nodes:
      - id: start
        text: 江边有竹子。
        choices:
          - { text: 扎竹筏, complete: done }
          - { text: 再看看, goto: start }
  - id: cross
    role: liu
    title: 强渡乌江
    requires: { task_done: rafts }
    nodes:
      - { id: start, text: 竹筏到了。, choices: [ { text: 渡江, complete: done } ] }
  - id: zunyi
    role: liu
    title: 智取遵义
    REQUIRES
    nodes:
      - { id: start, text: 遵义城就在前面。, choices: [ { text: 进城, complete: done } ] }
endings:
  - { id: won, title: 胜利, text: 到了遵义。, when: { all: [ { task_done: cross }, { task_done: zunyi } ] } }
"""


def _overtakes(scenario_text: str) -> list[tuple[str, str]]:
    """Every (later, earlier) pair where some play opens ``later`` before ``earlier`` is done."""
    s = parse_scenario(scenario_text, "x.yaml")
    found: set[tuple[str, str]] = set()

    def observe(st: State) -> None:
        for role, rs in st.roles.items():
            if rs.task is None:
                continue
            plan = [t for t in s.role_tasks[role] if not s.tasks[t].remedial]
            for earlier in plan[: plan.index(rs.task)] if rs.task in plan else []:
                if earlier not in st.done and earlier not in st.cancelled:
                    found.add((rs.task, earlier))

    verify(s, reduce=False, observe=observe)
    return sorted(found)


def test_later_task_without_requires_overtakes_and_validate_says_so() -> None:
    text = RIVER.replace("    REQUIRES\n", "")
    assert _overtakes(text) == [("zunyi", "cross")]  # 遵义 before 乌江: what the rule does
    (warning,) = [p for p in parse_scenario(text, "x.yaml").warnings if p.code == "task-order"]
    assert warning.message.startswith("《智取遵义》可能先于同一角色（刘伯承）排在前面的《强渡乌江》开始")
    assert "requires: { task_done: cross }" in warning.message
    assert (warning.line, warning.column) == (text.splitlines().index("  - id: zunyi") + 1, 5)


def test_requiring_the_earlier_task_keeps_the_order_and_silences_the_warning() -> None:
    text = RIVER.replace("    REQUIRES\n", "    requires: { task_done: cross }\n")
    assert _overtakes(text) == []
    assert [p for p in parse_scenario(text, "x.yaml").warnings if p.code == "task-order"] == []


def test_later_task_needing_more_than_the_earlier_one_is_not_reported() -> None:
    text = RIVER.replace("    REQUIRES\n", "    requires: { task_done: rafts }\n")
    assert _overtakes(text) == []
    assert [p for p in parse_scenario(text, "x.yaml").warnings if p.code == "task-order"] == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tutorial.yaml", "yida_1921.yaml"])
def test_no_warning_means_no_overtaking_in_any_play(name: str) -> None:
    text = (ROOT / "scenarios" / name).read_text(encoding="utf-8")
    assert [p for p in load_scenario(ROOT / "scenarios" / name).warnings if p.code == "task-order"] == []
    assert _overtakes(text) == []
