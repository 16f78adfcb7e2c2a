"""PNG of the scenario map (``play.py graph -o map.png``), drawn with pygame from the same
layout as the SVG (:func:`engine.tools.graph.layout`), using the game's Chinese font."""

from __future__ import annotations

import math
from pathlib import Path

import pygame

from engine.format.scenario import Scenario
from engine.tools.graph import ARROW_COLOR, COL_GAP, FILL, LANE_H, TOP, anchor_points, layout
from engine.ui.fonts import load_fonts

SCALE = 1.5


def _color(hex_color: str) -> pygame.Color:
    text = hex_color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    return pygame.Color(int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def write_png(scenario: Scenario, path: str | Path) -> None:
    """Render the map to ``path``; raises engine.ui.fonts.FontError without a Chinese font.

    Text is drawn with the fonts' baseline origin, at the same coordinates as the SVG."""
    fonts = load_fonts()
    lay = layout(scenario)

    def p(v: float) -> int:
        return round(v * SCALE)

    surface = pygame.Surface((p(lay.width), p(lay.height)))
    surface.fill(_color("#fbfaf7"))

    def text(
        x: float,
        y: float,
        content: str,
        size: int,
        color: str = "#222",
        center: bool = False,
        bold: bool = False,
    ) -> None:
        font = fonts.get(p(size), bold)
        rect = font.get_rect(content)
        left = p(x) - rect.width // 2 if center else p(x)
        font.render_to(surface, (left, p(y)), content, _color(color))

    text(16, 32, lay.title, 20, bold=True)
    end_x = next((b.x for b in lay.boxes.values() if b.kind == "ending"), lay.width) - COL_GAP / 2
    for i, (label, y) in enumerate(lay.lanes[:-1]):
        shade = "#f1ede4" if i % 2 == 0 else "#f7f4ee"
        pygame.draw.rect(surface, _color(shade), (0, p(y), p(end_x), p(LANE_H)))
        for j, part in enumerate(label.split("\n")):
            text(14, y + 34 + j * 20, part, 16 if j == 0 else 12, bold=j == 0)
    pygame.draw.rect(
        surface, _color("#eef5ec"), (p(end_x), p(TOP), p(lay.width - end_x), p(lay.height - TOP))
    )
    text(end_x + 12, TOP + 14, "结局", 12, "#2e7d32")
    for a in lay.arrows:
        x1, y1, x2, y2 = anchor_points(lay.boxes[a.src], lay.boxes[a.dst])
        color = _color(ARROW_COLOR[a.kind])
        mid = (x1 + x2) / 2
        points = []
        for k in range(21):  # the SVG's cubic curve, sampled
            t = k / 20
            bx = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * mid + 3 * (1 - t) * t**2 * mid + t**3 * x2
            by = (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t**2 * y2 + t**3 * y2
            points.append((p(bx), p(by)))
        if a.kind in ("opens", "cancels"):
            for k in range(0, len(points) - 1, 2):
                pygame.draw.line(surface, color, points[k], points[k + 1], 2)
        else:
            pygame.draw.lines(surface, color, False, points, 2)
        (ax, ay), (bx2, by2) = points[-2], points[-1]
        angle = math.atan2(by2 - ay, bx2 - ax)
        head = [
            (bx2, by2),
            (bx2 - 12 * math.cos(angle - 0.4), by2 - 12 * math.sin(angle - 0.4)),
            (bx2 - 12 * math.cos(angle + 0.4), by2 - 12 * math.sin(angle + 0.4)),
        ]
        pygame.draw.polygon(surface, color, head)
    for box in lay.boxes.values():
        rect = pygame.Rect(p(box.x), p(box.y), p(box.w), p(box.h))
        radius = p(18 if box.kind in ("ending", "event") else 8)
        pygame.draw.rect(surface, _color(FILL[box.kind]), rect, border_radius=radius)
        stroke = "#b3261e" if box.traps else "#555"
        pygame.draw.rect(surface, _color(stroke), rect, 4 if box.traps else 2, border_radius=radius)
        for j, line in enumerate(box.lines):
            text(box.x + box.w / 2, box.y + 26 + j * 20, line, 14, center=True)
        if box.traps:
            text(box.x + box.w / 2, box.y + box.h - 8, f"陷阱 ×{len(box.traps)}", 11, "#b3261e", center=True)
    text(14, lay.height - 8, "箭头：需要先完成 · 红色虚线：陷阱/事件打开补救任务 · 红框：含陷阱", 11, "#555")
    pygame.image.save(surface, str(path))
