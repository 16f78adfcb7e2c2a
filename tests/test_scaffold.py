"""new: a valid, verified, warning-free scaffold; never overwrites. The authoring guide's
walk-through works as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli.commands.validate import file_problems
from engine.format.loader import load_scenario, parse_scenario
from engine.tools.balance import balance_problems
from engine.tools.verify import format_trace, verify

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"


def play(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "play.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.slow
def test_new_writes_a_clean_scenario_into_the_own_folder(tmp_path: Path, own_scenarios: Path) -> None:
    result = play("new", "my_story", "--title", "我的故事", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = own_scenarios / "my_story.yaml"
    assert str(out) in result.stdout and "python play.py validate my_story" in result.stdout
    assert list(tmp_path.iterdir()) == [], "nothing is written into the current folder"
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    # the schema the modeline names exists beside the file and is this engine's schema
    assert first == "# yaml-language-server: $schema=scenario.schema.json"
    assert (own_scenarios / "scenario.schema.json").read_bytes() == (
        ROOT / "scenario.schema.json"
    ).read_bytes()
    assert file_problems(str(out)) == []
    scenario = load_scenario(out)
    assert scenario.id == "my_story" and scenario.title == "我的故事"
    assert len(scenario.roles) == 3
    report = verify(scenario)
    assert report.ok and report.complete
    assert not (report.unreachable_endings or report.unreachable_tasks or report.unreachable_traps)
    assert balance_problems(scenario, waits=report.role_wait) == []


@pytest.mark.slow
def test_new_with_a_path_points_its_modeline_at_the_shipped_schema(tmp_path: Path) -> None:
    out = tmp_path / "work" / "deep" / "x.yaml"
    result = play("new", "x", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ref = out.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
    # VS Code's YAML extension resolves a relative $schema from the file's own folder
    assert (
        not ref.startswith("/") and (out.parent / ref).resolve() == (ROOT / "scenario.schema.json").resolve()
    )
    assert f"python play.py validate {out}" in result.stdout
    in_repo = play("new", "y", "-o", str(tmp_path / "scenarios" / "y.yaml"), cwd=tmp_path)
    assert in_repo.returncode == 0


@pytest.mark.slow
def test_new_refuses_an_id_another_scenario_has(tmp_path: Path, own_scenarios: Path) -> None:
    result = play("new", "tutorial", cwd=tmp_path)
    assert result.returncode == 1
    assert "已经有 id 为 “tutorial” 的场景" in result.stderr and "tutorial.yaml" in result.stderr
    assert not own_scenarios.exists()


@pytest.mark.slow
def test_new_refuses_to_overwrite_and_bad_names(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("mine", encoding="utf-8")
    result = play("new", "x", "-o", str(target))
    assert result.returncode == 1 and "不会覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    bad = play("new", "南湖", "-o", str(tmp_path / "y.yaml"))
    assert bad.returncode == 2 and "--title" in bad.stderr
    assert not (tmp_path / "y.yaml").exists()


def _final_yaml() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    after = text.split("<!-- walkthrough:final -->", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", after, re.S)
    assert match
    return match.group(1)


@pytest.mark.slow
def test_guide_walkthrough_commands(tmp_path: Path, own_scenarios: Path) -> None:
    # Step 1 as the guide says it, then the finished file from the guide, then the guide's
    # commands by scenario id, from a folder that is not the project's.
    assert play("new", "nanhu_boat", "--title", "南湖红船", cwd=tmp_path).returncode == 0
    path = own_scenarios / "nanhu_boat.yaml"
    path.write_text(_final_yaml(), encoding="utf-8")
    validated = play("validate", "nanhu_boat", cwd=tmp_path)
    assert validated.returncode == 0 and "0 个错误，0 个警告" in validated.stdout, validated.stdout
    verified = play("verify", "nanhu_boat", cwd=tmp_path)
    assert verified.returncode == 0 and "结论：通过" in verified.stdout, verified.stdout
    graphed = play("graph", "nanhu_boat", "-o", "nanhu.svg", cwd=tmp_path)
    assert graphed.returncode == 0 and (tmp_path / "nanhu.svg").is_file()
    simulated = play("simulate", "--scenario", "nanhu_boat", "--teams", "20", "--seed", "1", cwd=tmp_path)
    assert simulated.returncode == 0


def test_guide_snippets_agree_with_the_final_file() -> None:
    final = _final_yaml()
    text = GUIDE.read_text(encoding="utf-8").split("<!-- walkthrough:final -->")[0]
    for snippet in re.findall(r"```yaml\n(.*?)```", text, re.S):
        for line in snippet.splitlines():
            if line.strip():
                assert line.strip() in final, line


def test_guide_thought_experiment_is_a_deadlock() -> None:
    text = _final_yaml().replace(
        "        - { task_done: rent_boat }\n        - { task_done: take_train }\n",
        "        - { task_done: play_mahjong }\n",
    )
    scenario = parse_scenario(text, "nanhu.yaml")
    report = verify(scenario)
    assert not report.ok and report.deadlocks
    finding = report.deadlocks[0]
    assert format_trace(scenario, finding.trace).startswith("1. ")
    assert "张国焘 等待开始《船上开会》" in finding.message


def test_guide_names_every_organizer_command() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for command in ("new", "validate", "verify", "graph", "simulate", "schema", "text"):
        assert f"python play.py {command}" in text
