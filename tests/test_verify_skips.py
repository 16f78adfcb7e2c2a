"""verify --skips: facilitator skips explored as moves; a skip-only dead-lock is found with a
Chinese trace that replays through the real rules; shipped scenarios still pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_verify import cli, generate  # the verify CLI runner and the bench's scenario generator

from engine.format.loader import load_scenario, parse_scenario
from engine.rules.state import State
from engine.rules.step import Skip, Start, step
from engine.tools.verify import Move, format_trace, verify

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "verify_skip_deadlock.yaml"


def test_fixture_passes_without_skips() -> None:
    report = verify(load_scenario(FIXTURE))
    assert report.ok and report.complete and not report.skips
    assert report.unreachable_endings == report.unreachable_tasks == []


def test_skip_deadlock_found_and_replays() -> None:
    s = load_scenario(FIXTURE)
    report = verify(s, skips=True)
    assert report.complete and not report.ok and report.skips
    assert len(report.deadlocks) == 1
    finding = report.deadlocks[0]
    assert finding.kind == "deadlock"
    assert finding.trace == [Move("li", "notify", "start", -1, skip=True)]
    assert format_trace(s, finding.trace) == "1. 主持人跳过 小李 的《发出通知》"
    assert "老赵 等待开始《召集代表》" in finding.message and "notice_sent" in finding.message
    # the trace replays through the real rules into a stuck session
    state = step(s, State(), Start("t", {r: r for r in s.roles}), 0.0)[1]
    for move in finding.trace:
        assert move.action() == Skip("li")
        _, state = step(s, state, move.action(), state.now)
    assert state.status == "stuck" and state.done == {"notify": "skipped"}


def test_skipped_outcome_is_kept_apart_when_a_condition_reads_outcomes() -> None:
    # zhao's prepare needs notify done (any outcome), gather needs it done *with outcome done*:
    # a skipped notify and a finished one leave everyone at the same place, so if the state key
    # merged the two outcomes the skipped branch would be cut off and the dead-lock hidden
    prepare = (
        "  - id: prepare\n    role: zhao\n    title: 准备住处\n    requires: { task_done: notify }\n"
        "    nodes:\n      - id: start\n"
        "        text: 先找好住处。\n        choices:\n          - text: 租下旅馆\n"
        "            complete: done\n          - text: 借住同乡家\n            complete: friends\n"
    )
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "requires: { flag: notice_sent }", "requires: { task_done: notify, outcome: done }"
    )
    text = text.replace("  - id: gather\n", prepare + "  - id: gather\n")
    s = parse_scenario(text, "outcome.yaml")
    assert verify(s).ok
    report = verify(s, skips=True)
    assert not report.ok and len(report.deadlocks) == 1
    trace = format_trace(s, report.deadlocks[0].trace)
    assert trace == "1. 主持人跳过 小李 的《发出通知》 2. 老赵 选择「租下旅馆」"
    assert "实际结果：跳过（主持人）" in report.deadlocks[0].message


def test_skips_turn_reduction_off_and_keep_verdicts() -> None:
    s = parse_scenario(generate(3, 9, overlap=2), "gen.yaml")
    plain, skipped = verify(s), verify(s, skips=True)
    assert plain.reduced_states > 0 and skipped.reduced_states == 0
    assert (skipped.ok, skipped.complete) == (True, True)
    exact = verify(s, reduce=False)
    # no condition reads an outcome here, so a skipped task leads to the same states as a
    # finished one: only the moves add up, and skipping everything is the shortest way
    assert skipped.states == exact.states and skipped.transitions > exact.transitions
    assert skipped.ending_steps["done"][0] == 9 < exact.ending_steps["done"][0]


def test_a_role_without_offered_choice_can_be_skipped() -> None:
    # gather's only choice is never offered: plain verify reports the role stuck there
    # (no_choice); with skips the facilitator can move the team on to the ending
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "          - text: 把代表接到住处\n            complete: done\n"
        "          - text: 请代表自己找旅馆\n            complete: scattered\n",
        "          - text: 把代表接到住处\n            when: { flag: notice_sent, eq: false }\n"
        "            complete: done\n",
    )
    s = parse_scenario(text, "nochoice.yaml")
    plain = verify(s)
    assert [f.kind for f in plain.deadlocks] == ["no_choice"] and plain.ending_steps == {}
    with_skips = verify(s, skips=True)
    assert [f.kind for f in with_skips.deadlocks] == ["deadlock"]  # only skipping notify traps
    assert with_skips.ending_steps["gathered"][0] == 2  # notify, then skip gather


@pytest.mark.slow
def test_cli_skips_text_and_exit_code() -> None:
    plain = cli(str(FIXTURE))
    assert plain.returncode == 0, plain.stdout + plain.stderr
    result = cli("--skips", str(FIXTURE))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "包含主持人跳过" in result.stdout
    assert "1. 主持人跳过 小李 的《发出通知》 → 僵局：" in result.stdout
    assert "结论：未通过" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_json_has_skip_moves() -> None:
    result = cli("--skips", "--json", str(FIXTURE))
    data = json.loads(result.stdout)
    assert data["skips"] is True and data["ok"] is False and data["complete"] is True
    step0 = data["deadlocks"][0]["trace"][0]
    assert step0["skip"] is True and step0["choice"] is None
    assert step0["role"] == "li" and step0["task"] == "notify"
    assert step0["text"] == "主持人跳过 小李 的《发出通知》"


@pytest.mark.parametrize(
    "name",
    [  # with skips the flagship explores ~100,000 states (about 15 s), 遵义 takes about 30 s
        pytest.param(p.name, marks=pytest.mark.slow) if p.name != "tutorial.yaml" else p.name
        for p in sorted((ROOT / "scenarios").glob("*.yaml"))
    ],
)
def test_shipped_scenarios_pass_with_skips(name: str) -> None:
    result = cli("--skips", "--json", f"scenarios/{name}")
    data = json.loads(result.stdout)
    assert result.returncode == 0, json.dumps(data["deadlocks"] + data["unwinnable"], ensure_ascii=False)
    assert data["skips"] is True and data["ok"] is True and data["complete"] is True
    assert data["reduced_states"] == 0
