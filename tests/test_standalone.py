"""The standalone folder for machines without Python: PyInstaller builds it from
packaging/qingjing.spec, then it is run as a user would (packaging/standalone.py's smoke test):
version, scenario list, title screen rendered headless, the game window opening, the tutorial
played in text mode, `new`, and the phone host serving its pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "PyInstaller",
    reason='PyInstaller is not installed: pip install -e ".[build]" to build and test the standalone folder',
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import standalone  # noqa: E402


@pytest.mark.slow
def test_the_standalone_build_starts_renders_and_plays(tmp_path: Path) -> None:
    app = standalone.build(tmp_path / "dist", tmp_path / "work")
    assert standalone.executable(app).is_file()
    bundled = app / "_internal" / "engine" / "bundled"
    assert {p.name for p in (bundled / "scenarios").glob("*.yaml")} == {
        p.name for p in (ROOT / "scenarios").glob("*.yaml")
    }
    assert (bundled / "scenario.schema.json").is_file() and (bundled / "assets" / "README.md").is_file()
    standalone.smoke(standalone.executable(app), app, tmp_path / "scratch")
    assert standalone.folder_mib(app) > 20  # the font alone is ~19 MiB
