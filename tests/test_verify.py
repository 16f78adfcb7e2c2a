"""verify: planted dead-lock and unwinnable branch found with Chinese traces; shipped scenarios pass."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.loader import load_scenario, parse_scenario
from engine.tools.verify import Move, format_trace, verify

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "bench"))
from bench_verify import generate  # noqa: E402


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "play.py", "verify", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_finds_planted_deadlock_with_trace() -> None:
    s = load_scenario(FIXTURES / "verify_deadlock.yaml")
    report = verify(s)
    assert report.complete and not report.ok
    assert len(report.deadlocks) == 1
    finding = report.deadlocks[0]
    assert finding.kind == "deadlock"
    assert finding.trace == [Move("zhang", "draft", "start", 1)]
    assert format_trace(s, finding.trace) == "1. 老张 选择「等小王先交」"
    assert "老张 等待开始《审阅》" in finding.message and "小王 等待开始《誊写》" in finding.message
    assert "draft_ready" in finding.message
    assert report.unwinnable == []  # the dead-lock itself is the point of no return


def test_finds_unwinnable_branch_with_trace_and_continuation() -> None:
    s = load_scenario(FIXTURES / "verify_unwinnable.yaml")
    report = verify(s)
    assert report.complete and not report.ok
    assert report.deadlocks == []
    assert len(report.unwinnable) == 1
    finding = report.unwinnable[0]
    assert format_trace(s, finding.trace) == "1. 小李 选择「烧掉名单」"
    assert "没有任何结局的条件成立" in finding.message
    assert format_trace(s, finding.continuation, 2) == "2. 老赵 选择「挨家挨户通知」"
    assert report.ending_steps == {"gathered": (2, 2)}


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["verify_deadlock.yaml", "verify_unwinnable.yaml"])
def test_cli_prints_trace_and_fails(fixture: str) -> None:
    result = cli(str(FIXTURES / fixture))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1. " in result.stdout and "选择「" in result.stdout
    assert "结论：未通过" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_shipped_scenarios_pass(name: str) -> None:
    result = cli(f"scenarios/{name}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ 没有僵局" in result.stdout
    assert "每个结局、任务、陷阱、选项和团队事件都有玩法能到达" in result.stdout
    assert "每秒" in result.stdout


@pytest.mark.slow
def test_json_output() -> None:
    result = cli("--json", str(FIXTURES / "verify_deadlock.yaml"))
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["complete"] is True
    assert data["deadlocks"][0]["trace"][0]["text"] == "老张 选择「等小王先交」"
    assert data["states"] >= 1 and data["states_per_second"] >= 0


@pytest.mark.slow
def test_bad_file_exits_2() -> None:
    result = cli(str(ROOT / "tests" / "bad" / "unknown_goto.yaml"))
    assert result.returncode == 2
    assert "error" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_max_states_stops_with_message(tutorial) -> None:  # type: ignore[no-untyped-def]
    report = verify(tutorial, max_states=5)
    assert not report.complete and report.states <= 5
    result = cli("--max-states", "5", "scenarios/tutorial.yaml")
    assert result.returncode == 1
    assert "已达到上限 --max-states 5" in result.stdout and "结论：未完成" in result.stdout


def test_unreachable_content_is_reported() -> None:
    text = (FIXTURES / "verify_unwinnable.yaml").read_text(encoding="utf-8")
    text += (
        "  - id: burned\n    title: 名单被毁\n    text: 名单没了。\n    when: { flag: list_kept, eq: false }\n"
        "  - id: impossible\n    title: 不可能\n    text: 不会发生。\n    when:\n      all:\n"
        "        - { task_done: notify }\n        - { not: { task_done: notify } }\n"
    )
    s = parse_scenario(text, "x.yaml")
    report = verify(s)
    assert report.ok  # burning the list now ends the session with its own ending
    assert report.unreachable_endings == ["impossible"]
    assert set(report.ending_steps) == {"gathered", "burned"}


def test_reduction_preserves_verdicts() -> None:
    s = parse_scenario(generate(3, 9, overlap=2), "gen.yaml")
    reduced, exact = verify(s), verify(s, reduce=False)
    assert reduced.reduced_states > 0 and exact.reduced_states == 0
    assert reduced.states < exact.states
    assert (reduced.ok, reduced.complete) == (exact.ok, exact.complete) == (True, True)
    assert set(reduced.ending_steps) == set(exact.ending_steps)
    assert reduced.unreachable_nodes == exact.unreachable_nodes == []


def test_locked_out_role_is_not_a_deadlock(tutorial) -> None:  # type: ignore[no-untyped-def]
    # wrong_delegate locks lida out for 20 s; the team must still be able to finish
    report = verify(tutorial)
    assert report.ok and "wrong_delegate" not in report.unreachable_traps
    assert set(report.ending_steps) == {"perfect", "opened"}
    assert all(w is not None and w >= 0 for w in report.role_wait.values())
