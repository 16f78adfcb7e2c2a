"""Where bundled files live (scenarios, assets), relative to the checkout or installed package."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
ASSETS = ROOT / "assets"
FLAGSHIP = "yida_1921.yaml"


def bundled_scenarios() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def default_scenario() -> Path:
    """The 1921 flagship when present, else the tutorial."""
    flagship = SCENARIOS / FLAGSHIP
    return flagship if flagship.is_file() else SCENARIOS / "tutorial.yaml"
