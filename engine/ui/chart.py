"""Draws the session timeline (:mod:`engine.present.timeline`): one lane per role, time across.

The results screen and the in-game review both draw with this, from the same timeline the HTML
report draws, so a lock-out looks the same on every screen.
"""

from __future__ import annotations

import pygame

from engine.present.timeline import Timeline
from engine.ui import theme as th
from engine.ui.widgets import Ui

COLORS = {"working": th.GOLD, "waiting": (196, 200, 214), "locked": th.SLATE}


def draw_timeline(ui: Ui, rect: pygame.Rect, tl: Timeline) -> None:
    t = ui.theme
    ui.box(rect, th.PAPER, th.LINE, radius=t.px(8))
    label_w = t.px(90)
    top = rect.y + t.px(34)
    axis_h = t.px(26)
    lane_h = max(t.px(14), (rect.bottom - top - axis_h - t.px(8)) // max(1, len(tl.lanes)))
    x0 = rect.x + label_w
    span = rect.right - t.pad - x0

    def xof(at: float) -> int:
        return x0 + int(span * min(max(at, 0.0), tl.span) / tl.span)

    # legend
    lx = rect.x + t.pad
    for kind, text in tl.legend:
        pygame.draw.rect(ui.surface, COLORS[kind], (lx, rect.y + t.px(11), t.px(18), t.px(12)))
        ui.label(text, (lx + t.px(22), rect.y + t.px(5)), t.small, th.MUTED)
        lx += t.px(22) + ui.text.width(text, t.small) + t.px(16)
    pygame.draw.polygon(ui.surface, th.RED, _triangle(lx + t.px(6), rect.y + t.px(22), t.px(6)))
    ui.label("陷阱", (lx + t.px(16), rect.y + t.px(5)), t.small, th.MUTED)
    lx += t.px(70)
    pygame.draw.line(ui.surface, th.RED_DARK, (lx, rect.y + t.px(8)), (lx, rect.y + t.px(26)), 2)
    ui.label("团队事件", (lx + t.px(8), rect.y + t.px(5)), t.small, th.MUTED)

    for i, lane in enumerate(tl.lanes):
        y = top + i * lane_h
        ui.line(lane.name, (rect.x + t.pad, y + (lane_h - t.px(22)) // 2), t.small, th.INK, label_w - t.pad)
        bar = pygame.Rect(x0, y + lane_h // 5, span, lane_h * 3 // 5)
        pygame.draw.rect(ui.surface, th.IVORY, bar)
        for seg in lane.bars:
            a = xof(seg.start)
            b = max(a + 2, xof(seg.end))
            pygame.draw.rect(ui.surface, COLORS[seg.kind], (a, bar.y, b - a, bar.height))
        for mark in tl.marks:
            if mark.kind == "trap" and mark.role == lane.role:
                pygame.draw.polygon(ui.surface, th.RED, _triangle(xof(mark.at), bar.bottom, t.px(7)))
    axis_y = top + len(tl.lanes) * lane_h
    for mark in tl.marks:
        if mark.kind in ("event", "ending"):
            x = xof(mark.at)
            pygame.draw.line(ui.surface, th.RED_DARK, (x, top - t.px(4)), (x, axis_y), 2)
    pygame.draw.line(ui.surface, th.MUTED, (x0, axis_y), (x0 + span, axis_y), 1)
    for at, text in tl.ticks():
        x = xof(at)
        pygame.draw.line(ui.surface, th.MUTED, (x, axis_y), (x, axis_y + t.px(5)), 1)
        ui.label(text, (min(x, x0 + span - t.px(22)), axis_y + t.px(4)), t.small, th.MUTED, center=True)


def _triangle(x: int, y: int, r: int) -> list[tuple[int, int]]:
    return [(x, y - r), (x - r, y + r // 2), (x + r, y + r // 2)]
