"""The command line as a user meets it: help, default store location, documented commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli.main import _command_modules, build_parser, with_default_command
from engine.store.db import default_db_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_help_lists_every_command_in_chinese_and_english() -> None:
    out = subprocess.run([sys.executable, "play.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for mod in _command_modules():
        assert mod.NAME in out.stdout
        assert "/" in mod.HELP, f"{mod.NAME}: help should be Chinese / English"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [m.NAME for m in _command_modules() if m.NAME != "game" and f"play.py {m.NAME}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


@pytest.mark.slow
def test_env_variable_overrides_the_default_store(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("QINGJING_DB", raising=False)
    default = default_db_path()
    assert default.name == "qingjing.db" and "qingjing" in str(default.parent)
    target = tmp_path / "env.db"
    env = {**os.environ, "QINGJING_DB": str(target)}
    out = subprocess.run(
        [sys.executable, "play.py", "sessions"], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert str(target) in out.stdout
    assert target.exists()


@pytest.mark.slow
def test_parser_builds_without_importing_pygame() -> None:
    code = "import sys, engine.cli.main as c; c.build_parser(); print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
    assert build_parser().prog == "python play.py"


def test_game_options_work_without_naming_the_game_command() -> None:
    parser = build_parser()
    args = parser.parse_args(with_default_command(["--db", "x.db", "--traditional"]))
    assert (args.command, args.db, args.traditional) == ("game", "x.db", True)
    assert parser.parse_args(with_default_command([])).command == "game"
    assert with_default_command(["--help"]) == ["--help"]
    assert with_default_command(["sessions", "--db", "x.db"]) == ["sessions", "--db", "x.db"]
