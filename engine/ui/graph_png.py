"""PNG of the scenario map (``play.py graph -o map.png``), painted with pygame from the same
drawing as the SVG (:func:`engine.tools.graph.layout`): the same boxes, dashes, colours and
arrowheads, using the game's Chinese font."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pygame

from engine.format.scenario import Scenario
from engine.tools.graph import layout
from engine.tools.mapshapes import Label, Line, Rect
from engine.ui.fonts import load_fonts

SCALE = 1.25
DASH, GAP = 6.0, 4.0  # as the SVG's stroke-dasharray="6 4"


def _color(hex_color: str) -> pygame.Color:
    text = hex_color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    return pygame.Color(int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def _dashed(
    surface: pygame.Surface, color: pygame.Color, a: tuple[float, float], b: tuple[float, float], width: int
) -> None:
    length = math.dist(a, b)
    if length == 0:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    pos = 0.0
    while pos < length:
        end = min(pos + DASH * SCALE, length)
        pygame.draw.line(
            surface,
            color,
            (a[0] + ux * pos, a[1] + uy * pos),
            (a[0] + ux * end, a[1] + uy * end),
            width,
        )
        pos = end + GAP * SCALE


def _dashed_rect(
    surface: pygame.Surface, color: pygame.Color, rect: pygame.Rect, width: int, radius: int
) -> None:
    """A dashed rounded outline: dashes along the straight sides, the corners drawn as arcs."""
    r = radius
    sides = [
        ((rect.left + r, rect.top), (rect.right - r, rect.top)),
        ((rect.right - 1, rect.top + r), (rect.right - 1, rect.bottom - r)),
        ((rect.right - r, rect.bottom - 1), (rect.left + r, rect.bottom - 1)),
        ((rect.left, rect.bottom - r), (rect.left, rect.top + r)),
    ]
    for a, b in sides:
        _dashed(surface, color, a, b, width)
    for cx, cy, start in (
        (rect.left + r, rect.top + r, math.pi / 2),
        (rect.right - r, rect.top + r, 0.0),
        (rect.right - r, rect.bottom - r, -math.pi / 2),
        (rect.left + r, rect.bottom - r, math.pi),
    ):
        box = pygame.Rect(cx - r, cy - r, 2 * r, 2 * r)
        pygame.draw.arc(surface, color, box, start, start + math.pi / 2, width)


def write_png(scenario: Scenario, path: str | Path) -> None:
    """Render the map to ``path``; raises engine.ui.fonts.FontError without a Chinese font.

    Text is drawn with the fonts' baseline origin, at the same coordinates as the SVG."""
    fonts = load_fonts()
    drawing = layout(scenario)

    def p(v: float) -> int:
        return round(v * SCALE)

    surface = pygame.Surface((p(drawing.width), p(drawing.height)))
    for prim in drawing.prims:
        if isinstance(prim, Rect):
            rect = pygame.Rect(p(prim.x), p(prim.y), p(prim.w), p(prim.h))
            radius = p(prim.radius)
            pygame.draw.rect(surface, _color(prim.fill), rect, border_radius=radius)
            if prim.stroke:
                width = max(1, p(prim.width))
                if prim.dash:
                    _dashed_rect(surface, _color(prim.stroke), rect, width, radius)
                else:
                    pygame.draw.rect(surface, _color(prim.stroke), rect, width, border_radius=radius)
        elif isinstance(prim, Label):
            font = fonts.get(p(prim.size), prim.bold)
            left = p(prim.x) - font.get_rect(prim.text).width // 2 if prim.middle else p(prim.x)
            font.render_to(surface, (left, p(prim.y)), prim.text, _color(prim.color))
        elif isinstance(prim, Line):
            _line(surface, prim)
    pygame.image.save(surface, str(path))


def _line(surface: pygame.Surface, prim: Line) -> None:
    scale = SCALE
    points = [(x * scale, y * scale) for x, y in prim.points]
    color = _color(prim.color)
    width = max(1, round(prim.width * scale))
    for a, b in itertools.pairwise(points):
        if prim.dash:
            _dashed(surface, color, a, b, width)
        else:
            pygame.draw.line(surface, color, a, b, width)
    if prim.arrow and len(points) >= 2:
        (ax, ay), (bx, by) = points[-2], points[-1]
        angle = math.atan2(by - ay, bx - ax)
        size = 10 * scale
        head = [
            (bx, by),
            (bx - size * math.cos(angle - 0.45), by - size * math.sin(angle - 0.45)),
            (bx - size * math.cos(angle + 0.45), by - size * math.sin(angle + 0.45)),
        ]
        pygame.draw.polygon(surface, color, head)
