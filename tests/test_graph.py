"""graph: the scenario map as valid SVG, DOT, Mermaid and PNG, with Chinese labels."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.tools.graph import layout, to_dot, to_mermaid, to_svg

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: p.stem)
def scenario(request):  # type: ignore[no-untyped-def]
    return load_scenario(request.param)


def test_svg_is_well_formed_with_chinese_labels(scenario) -> None:  # type: ignore[no-untyped-def]
    svg = to_svg(scenario)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for role in scenario.roles.values():
        assert role.name in texts
    for ending in scenario.endings.values():
        assert ending.title[:4] in texts


def test_layout_boxes_do_not_overlap(scenario) -> None:  # type: ignore[no-untyped-def]
    boxes = list(layout(scenario).boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a.id, b.id)


def test_dot_is_consistent(scenario) -> None:  # type: ignore[no-untyped-def]
    dot = to_dot(scenario)
    assert dot.startswith("digraph scenario {") and dot.rstrip().endswith("}")
    assert dot.count("{") == dot.count("}")
    declared = set(re.findall(r"^\s+([A-Za-z_][A-Za-z0-9_]*) \[label=", dot, re.M))
    edges = re.findall(r"^\s+(\w+) -> (\w+)", dot, re.M)
    assert edges and all(a in declared and b in declared for a, b in edges)
    assert len(declared) == len(scenario.tasks) + len(scenario.events) + len(scenario.endings)
    for role in scenario.roles.values():
        assert f'label="{role.name}"' in dot


def test_mermaid_is_consistent(scenario) -> None:  # type: ignore[no-untyped-def]
    mmd = to_mermaid(scenario)
    lines = mmd.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(1 for line in lines if line.strip().startswith("subgraph ")) == sum(
        1 for line in lines if line.strip() == "end"
    )
    declared = set(re.findall(r"^\s+([A-Za-z_]\w*)(?:\[|\(|\{)", mmd, re.M))
    links = re.findall(r"^\s+(\w+) (?:-->|==>|-\. \S+ \.->) (\w+)$", mmd, re.M)
    assert links and all(a in declared and b in declared for a, b in links)


@pytest.mark.parametrize("suffix", [".svg", ".dot", ".mmd", ".png"])
def test_cli_writes_each_format(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"map{suffix}"
    result = subprocess.run(
        [sys.executable, "play.py", "graph", "scenarios/tutorial.yaml", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        import pygame

        image = pygame.image.load(str(out))
        assert image.get_width() > 800 and image.get_height() > 300
    else:
        assert "李达" in data.decode("utf-8")


def test_cli_rejects_unknown_format(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "play.py", "graph", "scenarios/tutorial.yaml", "-o", str(tmp_path / "map.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 2 and ".svg" in result.stderr
