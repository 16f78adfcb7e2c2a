"""verify fails on dead content: endings, tasks, traps, choices and team events no play reaches,
each with its reason, in text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.loader import load_scenario, parse_scenario
from engine.tools.deadcode import find_dead
from engine.tools.verify import verify

ROOT = Path(__file__).resolve().parent.parent
DEAD = ROOT / "tests" / "fixtures" / "verify_dead.yaml"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "play.py"), "verify", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_each_dead_item_has_its_reason() -> None:
    s = load_scenario(DEAD)
    dead = {d.item: d for d in find_dead(s, verify(s))}
    assert sorted(dead) == ["burn_list", "caught_before", "delivered_late", "write/start/2"]
    assert dead["delivered_late"].sentence() == (
        "结局「迟到的送达」到不了：它前面的结局「信已送到」条件相同或更宽，总是先成立"
    )
    assert dead["burn_list"].reason == "它是补救任务（remedial），但没有任何陷阱或团队事件打开它"
    assert dead["write/start/2"].reason == (
        "它的出现条件（when）中的“标记「行踪暴露」为真”每次走到这一步时都不成立"
    )
    assert dead["caught_before"].reason.startswith(
        "它的条件的各部分分别都能成立，但在任何玩法下都不会同时成立"
    )
    assert (dead["delivered_late"].line, dead["delivered_late"].column) == (82, 5)


@pytest.mark.slow
def test_cli_fails_with_reasons_in_text_and_json() -> None:
    result = cli(str(DEAD))
    assert result.returncode == 1, result.stdout
    assert "✗ 有任何玩法都到不了的内容（4 处）" in result.stdout
    assert f"{DEAD}:82:5: 结局「迟到的送达」到不了：它前面的结局「信已送到」条件相同或更宽" in result.stdout
    assert "结论：未通过" in result.stdout
    data = json.loads(cli("--json", str(DEAD)).stdout)
    assert data["ok"] is False
    assert {d["kind"] for d in data["dead"]} == {"ending", "task", "event", "choice"}
    assert any(d["message"].startswith("任务《销毁名单》到不了") for d in data["dead"])


def test_impossible_ending_names_the_part_that_never_holds() -> None:
    text = DEAD.read_text(encoding="utf-8") + (
        "  - id: never\n    title: 永不\n    text: 不会。\n    when:\n      all:\n"
        "        - { task_done: write, outcome: burned }\n        - { task_done: deliver }\n"
    )
    s = parse_scenario(text, "x.yaml")
    (never,) = [d for d in find_dead(s, verify(s)) if d.item == "never"]
    assert (
        never.reason == "它的条件中的“《写密信》已完成，结果为「既然暴露了，就烧掉信」”在任何玩法下都不成立"
    )


def test_dead_trap_on_a_step_never_reached() -> None:
    text = DEAD.read_text(encoding="utf-8").replace(
        "            when: { flag: exposed }\n            complete: burned\n",
        "            when: { flag: exposed }\n            goto: ashes\n"
        "      - id: ashes\n        text: 灰烬。\n        choices:\n"
        "          - text: 再写一封\n            complete: done\n"
        "          - text: 留下残页\n            trap:\n              id: scraps\n              title: 留下残页\n"
        "              explanation: 残页会暴露。\n              source: 测试\n            complete: done\n",
    )
    s = parse_scenario(text, "x.yaml")
    dead = {d.item: d for d in find_dead(s, verify(s))}
    assert (
        dead["scraps"].sentence()
        == "陷阱「留下残页」（执笔人 选「留下残页」）到不了：它所在的那一步「灰烬。」从来走不到"
    )


def test_task_whose_requirement_never_holds() -> None:
    text = DEAD.read_text(encoding="utf-8").replace(
        "    title: 销毁名单                     # DEAD: a remedial task nothing opens\n    remedial: true\n",
        "    title: 销毁名单\n    requires: { event: caught_before }\n",
    )
    s = parse_scenario(text, "x.yaml")
    dead = {d.item: d for d in find_dead(s, verify(s))}
    assert (
        dead["burn_list"].reason
        == "它的开始条件（requires）中的“团队事件「信还没写就暴露」已发生”在任何玩法下都不成立"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
@pytest.mark.parametrize("skips", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_shipped_scenarios_have_no_dead_content(name: str, skips: bool) -> None:
    s = load_scenario(ROOT / "scenarios" / name)
    report = verify(s, skips=skips)
    assert report.complete and find_dead(s, report, skips=skips) == []
