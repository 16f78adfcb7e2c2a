"""validate at the edges: bounded output and work, files that are not files, text that is not
text, numbers out of range, and dependency cycles that run through team events and flags."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.loader import check_file, parse_scenario
from engine.format.problems import Problem, ScenarioInvalid

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (error|warning): (?P<msg>.+) \[(?P<code>[a-z0-9-]+)\]$"
)

HEAD = """scenario:
  id: t
  title: 测试
  summary: 测试场景
roles:
  - id: a
    name: 甲
    brief: 甲的简介
"""


def task(task_id: str, requires: str = "", extra_choice: str = "") -> str:
    req = f"\n    requires: {requires}" if requires else ""
    return f"""  - id: {task_id}
    role: a
    title: 任务 {task_id}{req}
    nodes:
      - id: n1
        text: 开始
        choices:
          - text: 完成
            complete: done{extra_choice}
"""


def unknown_refs(tasks: int, per_task: int) -> str:
    """``tasks`` tasks, each requiring ``per_task`` tasks that do not exist."""
    out = [HEAD, "tasks:\n"]
    for t in range(tasks):
        refs = "".join(f"\n        - task_done: missing_{t}_{k}" for k in range(per_task))
        out.append(task(f"task_{t}", f"\n      all:{refs}" if per_task else ""))
    out.append("endings:\n  - id: e\n    title: 完\n    text: 完\n    when: { task_done: task_0 }\n")
    return "".join(out)


def errors_of(text: str) -> list[str]:
    try:
        parse_scenario(text, "x.yaml")
    except ScenarioInvalid as exc:
        return [str(p) for p in exc.problems if p.severity == "error"]
    return []


# --- bounded: at most 100 problems of a kind, did-you-mean only for those ---------------------------


@pytest.mark.slow
def test_each_kind_of_problem_is_listed_at_most_100_times_then_counted(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(unknown_refs(1000, 2), encoding="utf-8")
    problems = [p for p in check_file(path) if p.code == "unknown-task"]
    assert len(problems) == 101
    last = problems[-1]
    assert "还有 1900 处同类问题" in last.message and last.more == 1899
    out = subprocess.run(
        [sys.executable, "play.py", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = out.stdout.splitlines()
    assert out.returncode == 1 and len(lines) == 102, len(lines)
    assert lines[-1].startswith("检查了 1 个文件：2000 个错误")


def test_any_check_output_is_capped_per_kind() -> None:
    from engine.format.problems import capped

    many = [Problem("f.yaml", i + 1, 1, "warning", "task-order", f"w{i}") for i in range(250)]
    one = [Problem("f.yaml", 1, 1, "error", "other", "e")]
    out = capped(many + one)
    assert [p.message for p in out[:100]] == [f"w{i}" for i in range(100)]
    assert out[100].code == "other" and out[101].code == "task-order"
    assert "还有 150 处同类问题" in out[101].message and out[101].more == 149 and out[101].line == 101
    assert len(out) == 102


def test_did_you_mean_is_worked_out_only_for_problems_that_are_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: object, **kwargs: object) -> list[str]:
        calls.append(len(list(possibilities)))
        return real(word, possibilities, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    assert len(errors_of(unknown_refs(1000, 2))) == 101
    assert len(calls) <= 100
    assert max(calls) <= 100, "compared with a few ids sharing letter pairs, not all 1,000"


def test_did_you_mean_still_finds_the_close_id_among_thousands() -> None:
    text = unknown_refs(600, 0).replace("task_599", "prepare_meeting")
    text = text.replace("when: { task_done: task_0 }", "when: { task_done: prepare_meting }")
    (problem,) = errors_of(text)
    assert "是不是 “prepare_meeting”" in problem


# --- files that are not files ---------------------------------------------------------------------

LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
from engine.cli.main import main
sys.exit(main(["validate", *sys.argv[1:]]))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and RLIMIT_AS are POSIX")
def test_validate_refuses_pipes_devices_and_huge_files_without_reading_them(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as fh:  # 600 MB, sparse: reading it whole would need 600 MB of memory
        fh.truncate(600 << 20)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", LIMITED, str(fifo), "/dev/zero", str(huge), str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,  # a FIFO with no writer used to block for ever
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr and "MemoryError" not in out.stderr
    assert f"{fifo}:1:1: error: 这不是普通文件" in out.stdout and "[not-a-file]" in out.stdout
    assert "/dev/zero:1:1: error: 这不是普通文件" in out.stdout
    assert f"{huge}:1:1: error: 文件过大（614400 KiB）" in out.stdout
    assert f"{folder}:1:1: error: 无法读取文件（这是一个文件夹）" in out.stdout


# --- text that is not text ------------------------------------------------------------------------


def tutorial_with(old: str, new: str) -> str:
    text = TUTORIAL.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ('"\\e[2J\\e[H清屏"', "control-char", "U+001B"),
        ('"回车\\r覆盖"', "control-char", "U+000D"),
        ('"\\x07响铃"', "control-char", "U+0007"),
        ("!!binary G1sySg==", "bad-value", "!!binary"),
    ],
)
def test_escapes_cannot_smuggle_control_characters(value: str, code: str, words: str) -> None:
    text = tutorial_with("title: 入门教程：筹备一大", f"title: {value}")
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "t.yaml")
    first = info.value.problems[0]
    line = text.splitlines().index(f"  title: {value}") + 1
    assert (first.line, first.code) == (line, code) and words in first.message, str(first)


def test_a_tab_or_newline_escape_in_text_is_still_text() -> None:
    text = tutorial_with("title: 入门教程：筹备一大", 'title: "第一行\\n第二行\\t缩进"')
    assert parse_scenario(text, "t.yaml").title == "第一行\n第二行\t缩进"


def test_keys_with_escapes_are_refused_and_echoed_ids_stay_one_line() -> None:
    text = tutorial_with("title: 入门教程：筹备一大", 'title: 入门教程\n  "bad\\nkey": 1')
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "t.yaml")
    assert info.value.problems[0].code == "bad-key"
    # an id may not hold a newline, and saying so must not print one
    text = tutorial_with("  id: tutorial", '  id: "tut\\n/evil.yaml:1:1: error: 伪造的问题 [x]"')
    problems = [p for p in check_file_text(text) if p.code != "too-many-problems"]
    printed = "\n".join(str(p) for p in problems)
    assert len(printed.splitlines()) == len(problems)
    assert "\\n/evil.yaml" in printed and "bad-id" in printed
    assert all(LINE.match(str(p)) for p in problems)


def check_file_text(text: str) -> list:  # type: ignore[type-arg]
    try:
        parse_scenario(text, "t.yaml")
    except ScenarioInvalid as exc:
        return exc.problems
    return []


# --- numbers in range -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  start: 0", "  start: 99999999999999999999999999"),
        ("  start: 0", "  start: -1000000000001"),
        ("  task_points: 10", "  task_points: 100000"),
        ("    initial: 0", "    initial: 9223372036854775808"),
        ("            add: { preparation: 1 }", "            add: { preparation: -9223372036854775809 }"),
    ],
)
def test_integers_are_bounded_so_nothing_overflows_later(old: str, new: str) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    if old not in text:
        pytest.skip(f"the tutorial no longer has {old.strip()!r}")
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text.replace(old, new, 1), "t.yaml")
    assert info.value.problems[0].code == "out-of-range", str(info.value.problems[0])


@pytest.mark.slow
def test_the_largest_starting_score_plays_and_stores(tmp_path: Path) -> None:
    from engine.format.model import START_MAX

    scenario_file = tmp_path / "rich.yaml"
    scenario_file.write_text(tutorial_with("  start: 0", f"  start: {START_MAX}"), encoding="utf-8")
    db = str(tmp_path / "sim.db")
    out = subprocess.run(
        [sys.executable, "play.py", "simulate", "--scenario", str(scenario_file), "--teams", "3", "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr


# --- dependency cycles through team events and flags ---------------------------------------------


def cycle_scenario(tasks: str, events: str = "", flags: str = "") -> str:
    return f"{HEAD}{flags}tasks:\n{tasks}{events}endings:\n  - id: e\n    title: 完\n    text: 完\n    when: {{ task_done: ta }}\n"


def test_a_cycle_through_a_team_event_is_found_and_named() -> None:
    text = cycle_scenario(
        task("ta", "{ event: alarm }") + task("tb", "{ task_done: ta }"),
        "events:\n  - id: alarm\n    title: 警报\n    text: 响了\n    when: { task_done: tb }\n",
    )
    (problem,) = errors_of(text)
    assert "dependency-cycle" in problem and "ta → 团队事件 alarm → tb → ta" in problem
    assert problem.startswith("x.yaml:13:5:"), problem  # ta's requires


READY = "flags:\n  - id: ready\n    type: bool\n"
SETS_READY = "\n          - text: 准备好\n            set: { ready: true }\n            complete: ready"


def test_a_cycle_through_a_flag_only_one_task_sets_is_found() -> None:
    text = cycle_scenario(
        task("ta", "{ flag: ready }") + task("tb", "{ task_done: ta }", SETS_READY), flags=READY
    )
    (problem,) = errors_of(text)
    assert "ta → tb（通过标记 ready） → ta" in problem


def test_no_cycle_when_another_task_can_set_the_flag_or_another_way_opens() -> None:
    two_setters = cycle_scenario(
        task("ta", "{ flag: ready }")
        + task("tb", "{ task_done: ta }", SETS_READY)
        + task("tc", "", SETS_READY),
        flags=READY,
    )
    assert errors_of(two_setters) == []
    either = cycle_scenario(
        task("ta", "{ any: [{ task_done: tb }, { task_done: tc }] }")
        + task("tb", "{ task_done: ta }")
        + task("tc")
    )
    assert errors_of(either) == []  # tc opens ta, then tb


def test_a_flag_that_already_holds_is_no_dependency() -> None:
    text = cycle_scenario(
        task("ta", "{ flag: ready, eq: false }") + task("tb", "{ task_done: ta }", SETS_READY), flags=READY
    )
    assert errors_of(text) == []
