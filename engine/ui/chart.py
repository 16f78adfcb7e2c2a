"""Draws the session timeline (:mod:`engine.ui.timeline`): one lane per role, time across."""

from __future__ import annotations

import pygame

from engine.format.scenario import Scenario
from engine.present.view import format_duration
from engine.ui import theme as th
from engine.ui.timeline import Timeline
from engine.ui.widgets import Ui

COLORS = {"task": th.GOLD, "wait": (196, 200, 214), "lock": th.SLATE}
LEGEND = (("task", "做任务"), ("wait", "等待队友"), ("lock", "陷阱锁定"))


def draw_timeline(ui: Ui, rect: pygame.Rect, scenario: Scenario, tl: Timeline) -> None:
    t = ui.theme
    ui.box(rect, th.PAPER, th.LINE, radius=t.px(8))
    label_w = t.px(90)
    top = rect.y + t.px(34)
    axis_h = t.px(26)
    lanes = list(tl.lanes.items())
    lane_h = max(t.px(14), (rect.bottom - top - axis_h - t.px(8)) // max(1, len(lanes)))
    x0 = rect.x + label_w
    span = rect.right - t.pad - x0

    def xof(at: float) -> int:
        return x0 + int(span * (at - tl.start) / tl.duration)

    # legend
    lx = rect.x + t.pad
    for kind, text in LEGEND:
        pygame.draw.rect(ui.surface, COLORS[kind], (lx, rect.y + t.px(11), t.px(18), t.px(12)))
        ui.label(text, (lx + t.px(22), rect.y + t.px(5)), t.small, th.MUTED)
        lx += t.px(22) + ui.text.width(text, t.small) + t.px(16)
    pygame.draw.polygon(ui.surface, th.RED, _triangle(lx + t.px(6), rect.y + t.px(22), t.px(6)))
    ui.label("陷阱", (lx + t.px(16), rect.y + t.px(5)), t.small, th.MUTED)
    lx += t.px(70)
    pygame.draw.line(ui.surface, th.RED_DARK, (lx, rect.y + t.px(8)), (lx, rect.y + t.px(26)), 2)
    ui.label("团队事件", (lx + t.px(8), rect.y + t.px(5)), t.small, th.MUTED)

    for i, (role, segments) in enumerate(lanes):
        y = top + i * lane_h
        ui.line(
            scenario.role_name(role),
            (rect.x + t.pad, y + (lane_h - t.px(22)) // 2),
            t.small,
            th.INK,
            label_w - t.pad,
        )
        bar = pygame.Rect(x0, y + lane_h // 5, span, lane_h * 3 // 5)
        pygame.draw.rect(ui.surface, th.IVORY, bar)
        for seg in segments:
            a, b = xof(seg.start), max(xof(seg.start) + 2, xof(seg.end))
            pygame.draw.rect(ui.surface, COLORS[seg.kind], (a, bar.y, b - a, bar.height))
        for mark in tl.marks:
            if mark.kind == "trap" and mark.role == role:
                pygame.draw.polygon(ui.surface, th.RED, _triangle(xof(mark.at), bar.bottom, t.px(7)))
    axis_y = top + len(lanes) * lane_h
    for mark in tl.marks:
        if mark.kind in ("event", "ending"):
            x = xof(mark.at)
            pygame.draw.line(ui.surface, th.RED_DARK, (x, top - t.px(4)), (x, axis_y), 2)
    pygame.draw.line(ui.surface, th.MUTED, (x0, axis_y), (x0 + span, axis_y), 1)
    ticks = 5
    for k in range(ticks + 1):
        x = x0 + span * k // ticks
        pygame.draw.line(ui.surface, th.MUTED, (x, axis_y), (x, axis_y + t.px(5)), 1)
        text = format_duration(tl.duration * k / ticks)
        ui.label(text, (min(x, x0 + span - t.px(22)), axis_y + t.px(4)), t.small, th.MUTED, center=True)


def _triangle(x: int, y: int, r: int) -> list[tuple[int, int]]:
    return [(x, y - r), (x - r, y + r // 2), (x + r, y + r // 2)]
