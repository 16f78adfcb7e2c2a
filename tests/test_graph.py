"""graph: the scenario map as valid SVG, DOT, Mermaid and PNG, with Chinese labels."""

from __future__ import annotations

import itertools
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_cli_rejects_unknown_format(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "play.py", "graph", "scenarios/tutorial.yaml", "-o", str(tmp_path / "map.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 2 and ".svg" in result.stderr


# --- readable on a laptop ------------------------------------------------------------------------


def _segments(line) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    return [(*a, *b) for a, b in itertools.pairwise(line.points)]


def test_no_arrow_crosses_a_box(scenario) -> None:  # type: ignore[no-untyped-def]
    from engine.tools.mapshapes import Line, Rect

    drawing = layout(scenario)
    rects = [p for p in drawing.prims if isinstance(p, Rect) and p.stroke]  # boxes and connectors
    lines = [p for p in drawing.prims if isinstance(p, Line)]
    assert lines
    for line in lines:
        for x1, y1, x2, y2 in _segments(line):
            for r in rects:
                # strictly inside, 1 px in from the edge an arrow starts or ends at
                left, right, top, bottom = r.x + 1, r.x + r.w - 1, r.y + 1, r.y + r.h - 1
                if x1 == x2:
                    hit = left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top
                else:
                    hit = top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left
                assert not hit, (line.points, r)


def test_arrows_never_run_on_top_of_each_other(scenario) -> None:  # type: ignore[no-untyped-def]
    from engine.tools.mapshapes import Line

    drawing = layout(scenario)
    seen: dict[tuple[str, float], list[tuple[float, float, int]]] = {}
    for n, line in enumerate(p for p in drawing.prims if isinstance(p, Line)):
        for x1, y1, x2, y2 in _segments(line):
            key, lo, hi = (
                (("v", x1), min(y1, y2), max(y1, y2)) if x1 == x2 else (("h", y1), min(x1, x2), max(x1, x2))
            )
            for other_lo, other_hi, m in seen.get(key, []):
                assert m == n or min(hi, other_hi) - max(lo, other_lo) <= 1, (key, lo, hi, other_lo, other_hi)
            seen.setdefault(key, []).append((lo, hi, n))


def test_fits_a_laptop_screen_and_labels_have_room(scenario) -> None:  # type: ignore[no-untyped-def]
    from engine.tools.mapdraw import LABEL_W
    from engine.tools.mapshapes import Label

    drawing = layout(scenario)
    assert drawing.width <= 1700
    boxes = list(drawing.boxes.values())
    for p in drawing.prims:
        if isinstance(p, Label) and p.x == 14 and p.size in (12, 16):  # lane labels
            width = sum(p.size if ord(ch) > 0x2E80 else p.size * 0.6 for ch in p.text)
            assert p.x + width < LABEL_W, p.text
            assert all(b.x >= LABEL_W for b in boxes)


def test_png_dashes_remedial_tasks_like_the_svg(tmp_path: Path) -> None:
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from engine.ui.graph_png import SCALE, write_png

    s = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    drawing = layout(s)
    remedial = [b for b in drawing.boxes.values() if b.kind == "remedial"]
    plain = [b for b in drawing.boxes.values() if b.kind == "task" and not b.traps]
    assert remedial and plain
    assert 'stroke-dasharray="6 4"/></g>' in to_svg(s)
    out = tmp_path / "map.png"
    write_png(s, out)
    image = pygame.image.load(str(out))

    def top_edge(box) -> list[bool]:  # type: ignore[no-untyped-def]
        y = round(box.y * SCALE) + 0
        xs = range(round((box.x + 14) * SCALE), round((box.x + box.w - 14) * SCALE))
        return [sum(image.get_at((x, y))[:3]) < 450 for x in xs]  # dark: the outline

    assert all(top_edge(plain[0]))
    edge = top_edge(remedial[0])
    assert 0.35 < sum(edge) / len(edge) < 0.85  # dashes and gaps
