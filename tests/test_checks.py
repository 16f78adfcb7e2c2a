"""Semantic checks (engine/format/checks.py): what each effect names, exactly where it is written.

The flags and tasks an effect names are checked through the effect table, so every row that
names something is exercised here for each owner that has it.
"""

from __future__ import annotations

import pytest

from engine.format.checks import suggest
from engine.format.effects import effects_of
from engine.format.loader import parse_scenario
from engine.format.problems import Problem, ScenarioInvalid

BASE = """\
scenario: {{id: t, title: 测试, summary: 检查。}}
roles:
  - {{id: a, name: 甲, brief: 甲。}}
  - {{id: b, name: 乙, brief: 乙。}}
flags:
  - {{id: alarm, type: bool, initial: false}}
  - {{id: count, type: int, initial: 0}}
tasks:
  - id: one
    role: a
    title: 一
    nodes:
      - id: start
        text: 开始。
        choices:
          - text: 好
            complete: done
{choice}
  - id: two
    role: b
    title: 二
    requires: {{task_done: one}}
    nodes:
      - id: start
        text: 开始。
        choices:
          - text: 好
            add: {{count: 1}}
            complete: done
  - id: fix
    role: b
    title: 补救
    remedial: true
    nodes:
      - id: start
        text: 补救。
        choices:
          - text: 好
            complete: done
events:
  - id: bang
    title: 响声
    text: 一声响。
    when: {{flag: alarm}}
{event}
endings:
  - {{id: end, title: 完, text: 完。, when: {{task_done: two}}}}
"""
TRAP = """\
          - text: 坏
            trap:
              id: bad
              title: 坏
              explanation: 真实的历史。
              source: 测试
{trap}"""


def text_of(choice: str = "", event: str = "", trap: str | None = None) -> str:
    if trap is not None:
        choice = TRAP.format(trap=trap)
    return BASE.format(choice=choice, event=event)


def where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def problems(choice: str = "", event: str = "", trap: str | None = None) -> list[Problem]:
    text = text_of(choice, event, trap)
    try:
        return [p for p in parse_scenario(text, "t.yaml").warnings if p.code != "trap-knowledge"]
    except ScenarioInvalid as exc:
        return [p for p in exc.problems if p.code != "trap-knowledge"]


def found(ps: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in ps]


def test_the_base_is_clean_but_for_the_fix_nothing_opens() -> None:
    assert found(problems()) == [(*where(BASE, "remedial: true"), "remedial-never-opened")]


def test_suggest() -> None:
    assert suggest("alarn", ["alarm", "count"]) == "；是不是 “alarm”？"
    assert suggest("zzz", []) == "；目前还没有任何可用的 id"
    assert suggest("zzz", [f"f{i}" for i in range(10)]).endswith("f7…")


# The flag and task effects of each owner, written once and checked through the table.
FLAG_FIELDS = {o: [e.field for e in effects_of(o) if e.refers == "flag"] for o in ("choice", "trap", "event")}
TASK_FIELDS = {o: [e.field for e in effects_of(o) if e.refers == "task"] for o in ("trap", "event")}


def in_owner(owner: str, line: str) -> dict[str, str]:
    """``line`` placed as a field of a choice, a trap or a team event in BASE."""
    if owner == "choice":
        return {"choice": f"          - text: 再来\n            complete: again\n            {line}"}
    if owner == "trap":
        return {"trap": f"              {line}"}
    return {"event": f"    {line}"}


@pytest.mark.parametrize(("owner", "field"), [(o, f) for o, fs in FLAG_FIELDS.items() for f in fs])
def test_an_unknown_flag_in_any_flag_effect(owner: str, field: str) -> None:
    placed = in_owner(owner, f"{field}: {{alarn: 1}}")
    ps = problems(**placed)
    (p,) = [p for p in ps if p.code == "unknown-flag"]
    assert "是不是 “alarm”" in p.message
    assert (p.file, p.line, p.column) == ("t.yaml", *where(text_of(**placed), "alarn"))


@pytest.mark.parametrize("owner", ["choice", "trap", "event"])
def test_add_to_a_bool_flag_and_set_an_int_flag_to_a_bool(owner: str) -> None:
    ps = problems(**in_owner(owner, "add: {alarm: 1}"))
    assert [p.code for p in ps if p.code == "flag-type"] == ["flag-type"]
    ps = problems(**in_owner(owner, "set: {count: true}"))
    assert [p.code for p in ps if p.code == "flag-type"] == ["flag-type"]


@pytest.mark.parametrize(("owner", "field"), [(o, f) for o, fs in TASK_FIELDS.items() for f in fs])
def test_an_unknown_task_in_any_task_effect(owner: str, field: str) -> None:
    placed = in_owner(owner, f"{field}: [fxi]")
    (p,) = [p for p in problems(**placed) if p.code == "unknown-task"]
    assert "是不是 “fix”" in p.message
    assert (p.line, p.column) == where(text_of(**placed), "fxi")


@pytest.mark.parametrize("owner", ["trap", "event"])
def test_opening_a_task_that_is_not_remedial_is_a_warning_and_opening_fix_counts(owner: str) -> None:
    placed = in_owner(owner, "open_tasks: [two, fix]")
    ps = problems(**placed)
    assert found(ps) == [(*where(text_of(**placed), "two, fix"), "open-not-remedial")]
    assert ps[0].severity == "warning"


def test_cancelling_a_task_does_not_open_it() -> None:
    assert [p.code for p in problems(event="    cancel_tasks: [fix]")] == ["remedial-never-opened"]


def test_a_trap_without_any_effect_is_a_warning() -> None:
    assert "trap-without-effect" in [p.code for p in problems(trap="")]


@pytest.mark.parametrize("effect", [e for e in effects_of("trap") if e.field], ids=lambda e: e.field or "")
def test_any_one_trap_effect_is_enough(effect: object) -> None:
    value = {
        "penalty": "5",
        "lockout_seconds": "10",
        "step_back": "start",
        "set": "{alarm: true}",
        "add": "{count: 1}",
        "open_tasks": "[fix]",
    }
    field = getattr(effect, "field")  # noqa: B009
    assert field in value, f"a new trap effect {field}: give it a value here"
    codes = [p.code for p in problems(trap=f"              {field}: {value[field]}")]
    assert "trap-without-effect" not in codes


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("{id: alarm, type: bool, initial: false, limit: 3}", "不能有 limit"),
        ("{id: count, type: int, initial: 3, limit: 3}", "应大于初始值 3"),
    ],
)
def test_a_limit_belongs_on_an_int_flag_above_its_start(flag: str, message: str) -> None:
    old = (
        "{{id: alarm, type: bool, initial: false}}"
        if "alarm" in flag
        else "{{id: count, type: int, initial: 0}}"
    )
    text = BASE.replace(old, flag.replace("{", "{{").replace("}", "}}")).format(choice="", event="")
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "t.yaml")
    (p,) = [p for p in info.value.problems if p.code == "flag-limit"]
    assert message in p.message
    assert (p.line, p.column) == where(text, "limit")


def test_a_limit_on_an_int_flag_is_fine() -> None:
    text = text_of().replace(
        "{id: count, type: int, initial: 0}", "{id: count, type: int, initial: 0, limit: 3}"
    )
    scenario = parse_scenario(text, "t.yaml")
    assert [f.limit for f in scenario.data.flags] == [None, 3]
