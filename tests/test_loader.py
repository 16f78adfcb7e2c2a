"""The loader and checks: every bad file gives its exact position, code and a fix-it message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.loader import check_file, load_scenario, parse_scenario
from engine.format.problems import ScenarioInvalid

BAD = Path(__file__).parent / "bad"
ROOT = Path(__file__).resolve().parent.parent

# file -> (line, column, code, words the message must contain); the first error of the file.
EXPECTED = {
    "bad_condition": (36, 5, "bad-condition", "task_done"),
    "chinese_id": (9, 5, "bad-id", "英文字母"),
    "choice_goes_nowhere": (20, 13, "choice-goes-nowhere", "goto"),
    "dependency_cycle": (16, 5, "dependency-cycle", "ta → tb → ta"),
    "duplicate_key": (35, 5, "duplicate-key", "第 34 行"),
    "duplicate_task_id": (22, 5, "duplicate-id", "第 13 行"),
    "missing_title": (22, 5, "missing-field", "title"),
    "no_way_out": (22, 9, "no-way-out", "n2"),
    "not_utf8": (3, 10, "not-utf8", "UTF-8"),
    "quiz_duplicate_id": (41, 5, "duplicate-id", "第 32 行"),
    "quiz_no_correct": (34, 5, "quiz-correct-count", "恰好有一个选项写 correct: true"),
    "quiz_two_correct": (38, 9, "quiz-correct-count", "有 2 个正确选项"),
    "quiz_unknown_trap": (38, 5, "unknown-trap", "是不是 “oops”"),
    "quiz_without_source": (32, 5, "quiz-without-source", "出处"),
    "tab_indent": (35, 1, "yaml-syntax", "制表符"),
    "trap_without_explanation": (24, 15, "trap-without-explanation", "explanation"),
    "unknown_field_typo": (25, 5, "unknown-field", "是不是想写 “requires”"),
    "unknown_flag": (36, 13, "unknown-flag", "flags"),
    "unknown_goto": (21, 13, "unknown-node", "n2"),
    "unknown_role": (23, 5, "unknown-role", "a、b"),
    "unknown_task_in_requires": (25, 17, "unknown-task", "tx"),
    "unreachable_node": (22, 9, "unreachable-node", "lost"),
    "wrong_type": (36, 5, "bad-type", "整数"),
}


def test_corpus_is_complete() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_points_at_the_problem(name: str) -> None:
    line, column, code, words = EXPECTED[name]
    path = BAD / f"{name}.yaml"
    errors = [p for p in check_file(path) if p.severity == "error"]
    assert errors, f"{name} should be rejected"
    where = {(p.line, p.column, p.code) for p in errors}
    assert (line, column, code) in where, [str(p) for p in errors]
    match = next(p for p in errors if (p.line, p.column, p.code) == (line, column, code))
    assert words in match.message
    assert str(match).startswith(f"{path}:{line}:{column}: error: ")


def test_load_raises_with_all_problems() -> None:
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(BAD / "unknown_goto.yaml")
    assert [p.code for p in info.value.problems] == ["unknown-node"]


def test_tutorial_is_clean() -> None:
    assert check_file(ROOT / "scenarios" / "tutorial.yaml") == []


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    problems = check_file(tmp_path / "nope.yaml")
    assert [p.code for p in problems] == ["unreadable"]


def test_did_you_mean_for_close_ids() -> None:
    text = (BAD.parent.parent / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    text = text.replace("requires: { task_done: prepare_room }", "requires: { task_done: prepare_rooms }")
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "tut.yaml")
    (problem,) = info.value.problems
    assert "是不是 “prepare_room”" in problem.message


def test_yaml_booleans_are_not_ids_and_keys_stay_text() -> None:
    # `on:` would be read as True by YAML 1.1; keys must stay names.
    text = (BAD.parent.parent / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    text = text.replace("summary: >-", "on: 1\n  summary: >-", 1)
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "tut.yaml")
    assert "未知字段 “on”" in info.value.problems[0].message


@pytest.mark.slow
def test_validate_command_exit_codes() -> None:
    ok = subprocess.run(
        [sys.executable, "play.py", "validate", "scenarios/*.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 个错误" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "play.py", "validate", str(BAD / "unknown_goto.yaml"), str(BAD / "wrong_type.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    lines = [line for line in bad.stdout.splitlines() if ": error: " in line]
    assert len(lines) == 2
    assert "Traceback" not in bad.stderr
