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
