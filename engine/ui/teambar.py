"""The play screen's team bar (time, score, danger meters, progress) and its bottom line (the latest
events beside the key hints).

The score counts to a new value and shows the change floating beside it; a meter (a displayed
flag with a limit, :class:`engine.present.view.Meter`) fills one pip per step in amber, turns red
and pulses one step short of its limit, and stays dark red at it. The progress total never moves
(:func:`engine.present.view.progress`); remedial tasks added during play are shown apart.
"""

from __future__ import annotations

import pygame

from engine.present.view import Meter, TeamView
from engine.ui import theme as th
from engine.ui.motion import Counter, pulse
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

HINTS = "Tab/F1–F6 切换角色 · 数字键选择 · M 静音"


def meter_width(ui: Ui, meter: Meter) -> int:
    t = ui.theme
    return (
        ui.text.width(meter.label, t.body, True)
        + t.px(8)
        + meter.limit * t.px(22)
        + t.px(12)
        + ui.text.width(meter.text, t.body, True)
    )


def draw_meter(ui: Ui, meter: Meter, x: int, cy: int, dark: bool = False) -> int:
    """Label, pips and ``2/3`` centred on ``cy`` from ``x`` (``dark``: on paper rather than on
    the red bar); returns the right edge."""
    t = ui.theme
    level = meter.level
    color = th.METER_COLORS[level]
    beat = pulse(ui.now) if level == "danger" and ui.motion else 0.0
    if level == "danger":
        color = th.mix(th.RED_BRIGHT, th.WHITE, 0.45 * beat)
    if dark:
        label_color = th.RED if level in ("danger", "over") else th.INK
    else:
        label_color = th.WHITE if level in ("danger", "over") else th.GOLD_SOFT
    drawn = ui.label(meter.label, (x, cy - line_height(t.body) // 2), t.body, label_color, bold=True)
    pill = pygame.Rect(drawn.right + t.px(6), cy - t.px(13), meter.limit * t.px(22) + t.px(8), t.px(26))
    ring = (
        th.mix(th.GOLD, th.WHITE, beat)
        if level == "danger"
        else (th.RED_DARK if level == "over" else th.GOLD)
    )
    if level == "danger":  # a glow that breathes: one more step and it is over
        glow = pill.inflate(t.px(6) + round(t.px(6) * beat), t.px(6) + round(t.px(6) * beat))
        pygame.draw.rect(
            ui.surface, th.mix(th.RED, th.WHITE, 0.3 + 0.5 * beat), glow, border_radius=glow.height // 2
        )
    ui.box(pill, th.PAPER, ring, radius=pill.height // 2, width=t.px(3))
    for k in range(meter.limit):
        pip = pygame.Rect(pill.x + t.px(6) + k * t.px(22), pill.y + t.px(6), t.px(18), pill.height - t.px(12))
        filled = k < meter.value
        pygame.draw.rect(ui.surface, color if filled else th.LINE, pip, border_radius=t.px(4))
    text = ui.label(
        meter.text, (pill.right + t.px(6), cy - line_height(t.body) // 2), t.body, label_color, bold=True
    )
    return text.right


def draw_bar(ui: Ui, rect: pygame.Rect, team: TeamView, score: Counter) -> None:
    t = ui.theme
    pygame.draw.rect(ui.surface, th.RED, rect)
    pygame.draw.line(ui.surface, th.GOLD, rect.bottomleft, rect.bottomright, t.px(3))
    cy = rect.centery
    y2 = cy - line_height(t.h2) // 2
    y1 = cy - line_height(t.body) // 2
    gap = t.px(22)
    with ui.within(rect):
        # from the right: the facilitator's button, progress, meters; the title takes what is left
        bw = ui.button_width("主持人 Esc", t.body)
        ui.button(
            "menu",
            pygame.Rect(rect.right - t.pad - bw, rect.y + t.px(8), bw, rect.height - t.px(16)),
            "主持人 Esc",
            kind="quiet",
            size=t.body,
        )
        right = rect.right - t.pad - bw - gap
        extra = f"补救 {team.extra_done}/{team.extra_total}" if team.extra_total else ""
        count = f"{team.done}/{team.total}"
        widths = (
            ui.text.width("进度", t.body) + t.px(8) + t.px(110) + t.px(8) + ui.text.width(count, t.body, True)
        )
        widths += ui.text.width(extra, t.body) + t.px(12) if extra else 0
        x = right - widths
        ui.label("进度", (x, y1), t.body, th.GOLD_SOFT)
        x += ui.text.width("进度", t.body) + t.px(8)
        ui.progress(pygame.Rect(x, cy - t.px(9), t.px(110), t.px(18)), team.done, team.total)
        x += t.px(118)
        x = ui.label(count, (x, y1), t.body, th.IVORY, bold=True).right + t.px(12)
        if extra:
            ui.label(extra, (x, y1), t.body, th.GOLD_SOFT)
        right -= widths + gap
        for meter in reversed(team.meters):
            right -= meter_width(ui, meter)
            draw_meter(ui, meter, right, cy)
            right -= gap
        metered = {m.label for m in team.meters}  # a counter drawn as a meter is not repeated
        counters = [(label, value) for label, value in team.counters if label not in metered]
        for label, value in reversed(counters):
            text = f"{label} {value}"
            right -= ui.text.width(text, t.body, True)
            ui.label(text, (right, y1), t.body, th.GOLD_SOFT, bold=True)
            right -= gap
        # the score: counting to its new value, the change floating up beside it
        now, motion = ui.now, ui.motion
        value = f"得分 {score.value(now, motion)}"
        right -= ui.text.width(f"得分 {team.score}", t.h2, True) + t.px(8)
        ui.label(value, (right, y2), t.h2, th.IVORY, bold=True)
        fade = score.floating(now, motion)
        if fade > 0:
            delta = f"{score.delta:+d}"
            color = th.mix(th.RED, th.GOLD_SOFT if score.delta > 0 else th.WHITE, fade)
            rise = round(t.px(14) * (1 - fade))
            ui.label(
                delta,
                (right + ui.text.width(value, t.h2, True) + t.px(4), y1 - rise),
                t.body,
                color,
                bold=True,
            )
        right -= gap + t.px(30)
        clock = f"暂停 {team.clock}" if team.paused else f"用时 {team.clock}"
        right -= ui.text.width("用时 00:00", t.h2, True)
        ui.label(clock, (right, y2), t.h2, th.IVORY if team.paused else th.GOLD_SOFT, bold=True)
        right -= gap
        ui.line(
            f"{team.team} · {team.title}",
            (rect.x + t.pad, y2),
            t.h2,
            th.IVORY,
            max(t.px(60), right - rect.x - t.pad),
            bold=True,
        )


def draw_feed(ui: Ui, rect: pygame.Rect, text: str, color: th.Color) -> None:
    """The latest events on the left, the key hints on the right, a rule between them."""
    t = ui.theme
    pygame.draw.rect(ui.surface, th.GOLD_SOFT, rect)
    pygame.draw.line(ui.surface, th.GOLD, rect.topleft, rect.topright, 2)
    hints_w = ui.text.width(HINTS, t.small)
    split = rect.right - t.pad - hints_w - t.px(16)
    with ui.within(rect):
        ui.line(
            text,
            (rect.x + t.pad, rect.centery - line_height(t.body) // 2),
            t.body,
            color,
            split - t.px(16) - rect.x - t.pad,
        )
        pygame.draw.line(ui.surface, th.GOLD, (split, rect.y + t.px(8)), (split, rect.bottom - t.px(8)), 2)
        ui.label(HINTS, (split + t.px(16), rect.centery - line_height(t.small) // 2), t.small, th.MUTED)
