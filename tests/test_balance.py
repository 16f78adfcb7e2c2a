"""Balance lint: conservative warnings with positions; shipped scenarios checked."""

from __future__ import annotations

from pathlib import Path

from engine.format.loader import load_scenario, parse_scenario
from engine.tools.balance import balance_problems

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def codes(problems):  # type: ignore[no-untyped-def]
    return [p.code for p in problems]


def test_flagship_has_no_balance_warnings() -> None:
    assert balance_problems(load_scenario(ROOT / "scenarios" / "yida_1921.yaml")) == []


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
