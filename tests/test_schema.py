"""schema: the committed JSON Schema is the generated one and accepts the shipped scenarios."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

from engine.cli.commands.schema import schema_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "scenario.schema.json"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "run: python play.py schema -o scenario.schema.json"
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_validate_against_schema(path: Path) -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_carry_the_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../scenario.schema.json"


def test_schema_rejects_typos_and_bad_conditions() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    data = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    data["tasks"][1]["requries"] = data["tasks"][1].pop("requires")
    assert any("requries" in e.message for e in validator.iter_errors(data))
    data = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    data["endings"][0]["when"] = {"task_finished": "keep_watch"}
    assert list(validator.iter_errors(data))


@pytest.mark.slow
def test_cli_writes_schema(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = subprocess.run(
        [sys.executable, "play.py", "schema", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == schema_text()
