"""Balance lint: conservative warnings with positions; shipped scenarios checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario, parse_scenario
from engine.tools.balance import balance_problems, is_real_decision, right_answer, role_decisions

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def codes(problems):  # type: ignore[no-untyped-def]
    return [p.code for p in problems]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_shipped_scenarios_have_no_balance_warnings(name: str) -> None:
    assert balance_problems(load_scenario(ROOT / "scenarios" / name)) == []


def test_no_real_choice_points_at_the_role() -> None:
    problems = balance_problems(load_scenario(FIXTURES / "verify_deadlock.yaml"))
    assert codes(problems) == ["no-real-choice"]
    p = problems[0]
    assert (p.line, p.severity) == (11, "warning") and "小王" in p.message


def test_long_wait_only_for_a_real_outlier(tutorial) -> None:  # type: ignore[no-untyped-def]
    roles = list(tutorial.roles)
    even = {r: 6 for r in roles}
    assert "long-wait" not in codes(balance_problems(tutorial, waits=even))
    skewed = {**even, roles[0]: 30}
    found = [p for p in balance_problems(tutorial, waits=skewed) if p.code == "long-wait"]
    assert len(found) == 1 and tutorial.roles[roles[0]].name in found[0].message


def test_trap_knowledge_needs_a_clue() -> None:
    text = (FIXTURES / "verify_unwinnable.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "          - text: 烧掉名单\n            set: { list_kept: false }\n            complete: burned\n",
        "          - text: 交给巡捕保管\n            trap:\n              id: hand_over\n              title: 交出名单\n"
        "              explanation: 不能交出。\n              source: 测试\n              penalty: 1\n",
    )
    scenario = parse_scenario(text, "t.yaml")
    assert "trap-knowledge" in codes(balance_problems(scenario))
    clued = parse_scenario(text.replace("你保管代表名单。", "你保管代表名单。名单要藏进夹层。"), "t.yaml")
    assert "trap-knowledge" not in codes(balance_problems(clued))


# --- real decisions: the definition and the four-per-role floor --------------------------------


def _scenario(decisions: dict[str, int], minutes: int | None = 30, extra_choice: str = "") -> str:
    """A valid scenario: each role gets that many one-node tasks whose two choices differ in outcome."""
    roles = "".join(f"  - {{ id: {r}, name: 角色{r}, brief: 你知道该怎么做。 }}\n" for r in decisions)
    tasks = ""
    for role, n in decisions.items():
        for i in range(n):
            tasks += (
                f"  - id: {role}_{i}\n    role: {role}\n    title: 任务{i}\n    nodes:\n"
                f"      - id: start\n        text: 怎么办？\n        hint: 想一想。\n        choices:\n"
                f"          - {{ text: 好办法, complete: done }}\n          - {{ text: 坏办法, complete: worse }}\n"
            )
    tasks += (
        "  - id: tail\n    role: " + next(iter(decisions)) + "\n    title: 收尾\n    nodes:\n"
        "      - id: start\n        text: 收尾。\n        choices:\n          - { text: 完成, complete: done }\n"
        + extra_choice
    )
    head = "scenario:\n  id: t\n  title: 测试\n  summary: 测试场景。\n"
    if minutes is not None:
        head += f"  expected_minutes: {minutes}\n"
    flags = "flags:\n  - { id: x, type: bool, initial: false }\n"
    return (
        head
        + "roles:\n"
        + roles
        + flags
        + "tasks:\n"
        + tasks
        + ("endings:\n  - { id: end, title: 结束, text: 结束了。, when: { task_done: tail } }\n")
    )


def _node(choices: str):  # type: ignore[no-untyped-def]
    text = _scenario({"a": 0}, extra_choice=choices)
    return parse_scenario(text, "t.yaml").node("tail", "start")


def test_a_real_decision_needs_two_offered_choices_with_different_consequences() -> None:
    # the tail node's first choice is "{ text: 完成, complete: done }"
    assert not is_real_decision(_node(""))  # one choice
    assert not is_real_decision(
        _node("          - { text: 也完成, complete: done, points: 5 }\n")
    )  # points only
    assert is_real_decision(_node("          - { text: 换个结果, complete: other }\n"))
    assert is_real_decision(_node("          - { text: 不同的后果, complete: done, set: { x: true } }\n"))
    gated_pair = _scenario({"a": 0}).replace(
        "          - { text: 完成, complete: done }\n",
        "          - { text: 完成, complete: done, when: { flag: x } }\n"
        "          - { text: 另一种, complete: other, when: { flag: x, eq: false } }\n",
    )
    assert not is_real_decision(parse_scenario(gated_pair, "t.yaml").node("tail", "start"))


def test_fewer_than_four_real_decisions_warn_in_a_full_length_scenario() -> None:
    scenario = parse_scenario(_scenario({"a": 4, "b": 3}), "t.yaml")
    assert role_decisions(scenario) == {"a": 4, "b": 3}
    problems = [p for p in balance_problems(scenario) if p.code == "few-decisions"]
    assert len(problems) == 1 and "角色b" in problems[0].message and "3 个真正的抉择" in problems[0].message
    assert not [p for p in balance_problems(parse_scenario(_scenario({"a": 4, "b": 4}), "t.yaml"))]


def test_short_drills_are_exempt_until_some_role_has_four() -> None:
    short = parse_scenario(_scenario({"a": 2, "b": 3}, minutes=10), "t.yaml")
    assert "few-decisions" not in codes(balance_problems(short))
    unset = parse_scenario(_scenario({"a": 2, "b": 3}, minutes=None), "t.yaml")
    assert "few-decisions" not in codes(balance_problems(unset))
    lopsided = parse_scenario(_scenario({"a": 4, "b": 3}, minutes=10), "t.yaml")
    assert codes(balance_problems(lopsided)) == ["few-decisions"]


def test_the_flagship_before_its_fix_would_warn_for_mao() -> None:
    """毛泽东 had three real decisions: gate the option added to 《可疑的船》 and the lint names him again."""
    text = (ROOT / "scenarios" / "yida_1921.yaml").read_text(encoding="utf-8")
    cut = text.replace(
        "          - text: 不必理会，小船未必冲着我们来——接着讨论\n            add: { alarm: 1 }\n",
        "          - text: 不必理会，小船未必冲着我们来——接着讨论\n            when: { flag: mahjong }\n",
    )
    assert cut != text
    problems = [p for p in balance_problems(parse_scenario(cut, "yida.yaml")) if p.code == "few-decisions"]
    assert len(problems) == 1 and "毛泽东" in problems[0].message and "3 个" in problems[0].message


# --- pinned order: the right answer must not sit in one place ----------------------------------


def _pin(text: str, hints: list[str]) -> str:
    """The tutorial with the nodes holding these hints pinned (shuffle: false)."""
    for hint in hints:
        text = text.replace(f"        hint: {hint}\n", f"        hint: {hint}\n        shuffle: false\n")
    return text


def test_pinned_nodes_with_the_answer_always_first_are_a_warning(tutorial) -> None:  # type: ignore[no-untyped-def]
    hints = ["各地早期组织各派两名代表。", "一大时的共产国际代表是马林和尼克尔斯基。"]
    pinned = parse_scenario(_pin(tutorial.text, hints), "t.yaml")
    (problem,) = [p for p in balance_problems(pinned) if p.code == "pinned-answer-position"]
    line = next(i for i, t in enumerate(pinned.text.splitlines(), 1) if t.strip() == "shuffle: false")
    assert (problem.line, problem.column, problem.severity) == (line, 9, "warning")
    assert "2 个节点里，有 2 个的正确选项都排在第 1 项" in problem.message


def test_one_pinned_node_or_answers_in_different_places_are_fine(tutorial) -> None:  # type: ignore[no-untyped-def]
    one = parse_scenario(_pin(tutorial.text, ["各地早期组织各派两名代表。"]), "t.yaml")
    assert "pinned-answer-position" not in codes(balance_problems(one))
    # the second pinned node written the other way round: its answer is second
    swapped = _pin(tutorial.text, ["各地早期组织各派两名代表。", "一大时的共产国际代表是马林和尼克尔斯基。"])
    right = "          - text: 迎接马林和尼克尔斯基\n            points: 5\n            complete: done\n"
    start = swapped.index(right)
    end = swapped.index("              penalty: 5\n", start) + len("              penalty: 5\n")
    swapped = swapped[:start] + swapped[start + len(right) : end] + right + swapped[end:]
    mixed = parse_scenario(swapped, "t.yaml")
    assert [c.trap is not None for c in mixed.node("greet_comintern", "start").choices] == [True, False]
    assert "pinned-answer-position" not in codes(balance_problems(mixed))


def test_the_right_answer_of_a_node() -> None:
    from engine.format.model import Node

    def node(*choices: dict) -> Node:  # type: ignore[type-arg]
        return Node.model_validate({"id": "n", "text": "t", "choices": list(choices)})

    trap = {"text": "错", "trap": {"id": "x", "title": "x"}}
    assert right_answer(node({"text": "对", "complete": "done"}, trap)) == 0
    assert right_answer(node(trap, {"text": "对", "complete": "done"})) == 1
    free = node({"text": "甲", "complete": "a"}, {"text": "乙", "complete": "b"})
    assert right_answer(free) is None  # nothing to get wrong: no trap, equal points
    assert (
        right_answer(node({"text": "甲", "complete": "a"}, {"text": "乙", "points": 5, "complete": "b"})) == 1
    )
    assert (
        right_answer(node(trap, {"text": "甲", "complete": "a"}, {"text": "乙", "complete": "b"})) is None
    )  # a tie
