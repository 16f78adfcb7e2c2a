"""Shared fixtures: the tutorial scenario, a fresh store, a manual clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# GUI tests drive real pygame screens headless; set before anything imports pygame.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.session.clock import ManualClock
from engine.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(autouse=True)
def own_scenarios(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own (empty, not yet created) "我的场景" folder: no test reads or writes
    the developer's real one, and no test sees another's scenarios. Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("own") / "scenarios"
    monkeypatch.setenv("QINGJING_SCENARIOS", str(folder))
    return folder


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return load_scenario(TUTORIAL)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
