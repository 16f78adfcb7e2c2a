"""The play screen's role panels: what each needs, how a column of them shares its height, and
how one is drawn.

A panel asks for the room its content needs (:func:`need`): an acting role its whole story and
every option at body size, a waiting role its wait lines and timer. :func:`split` shares a
column's height by those needs, so an acting panel grows while a waiting one above or below it
shrinks; only if even that is not enough (never for the shipped scenarios at 1280x720, which
``tests/test_ui_readable.py`` checks) does the story scroll. Choice text never shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from engine.present import labels
from engine.present.identity import RoleLook
from engine.present.view import RoleView
from engine.ui import theme as th
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

STATUS_FILL = {"active": th.PAPER, "locked": th.SLATE_SOFT, "waiting": th.IVORY}


@dataclass(frozen=True)
class PanelStyle:
    """How much of a panel to show: the goal line goes first when a column is crowded."""

    goal: bool = True


def _acting(view: RoleView) -> bool:
    return view.status in ("active", "locked")


def header_height(ui: Ui) -> int:
    return ui.theme.px(40)


def vpad(ui: Ui) -> int:
    """A panel's padding above and below (tighter than at the sides: height is what a column
    of two acting panels runs short of)."""
    return ui.theme.px(10)


def choices_height(ui: Ui, view: RoleView, width: int) -> int:
    gap = ui.theme.px(4)
    return sum(ui.button_height(c.text, width, ui.theme.body) + gap for c in view.choices)


def _right_width(ui: Ui, view: RoleView) -> int:
    """The header's right end: the task count and the panel's key."""
    t = ui.theme
    return ui.text.width(f"任务 {view.tasks_done}/{view.tasks_total}", t.small) + t.px(10 + 42)


def _who_width(ui: Ui, view: RoleView) -> int:
    t = ui.theme
    player = ui.text.width(f"（{view.player}）", t.body) if view.player else 0
    return t.px(54) + ui.text.width(view.name, t.h2, bold=True) + player


def title_inline(ui: Ui, view: RoleView, width: int) -> bool:
    """Does an acting panel's task title fit on its header line (beside the name)?"""
    t = ui.theme
    title = ui.text.width(f"《{view.task_title}》", t.h2, bold=True)
    return _who_width(ui, view) + t.px(16) + title + t.px(16) + _right_width(ui, view) <= width - 2 * t.pad


def need(ui: Ui, view: RoleView, width: int, style: PanelStyle = PanelStyle()) -> int:
    """The height a panel of ``width`` needs to show everything without scrolling."""
    t = ui.theme
    inner = width - 2 * t.pad
    top = vpad(ui) + header_height(ui) + t.px(4)
    if _acting(view):
        h = 0 if title_inline(ui, view, width) else line_height(t.h2)
        h += line_height(t.small) if view.goal and style.goal else 0
        h += len(ui.text.lines(view.text.strip(), t.body, inner - t.px(12))) * line_height(t.body)
        return top + h + t.px(6) + choices_height(ui, view, inner) + vpad(ui)
    if view.status == "waiting" and view.wait:
        lines = sum(len(ui.text.lines("· " + line, t.body, inner)) for line in view.wait.lines())
        return top + line_height(t.h2) + lines * line_height(t.body) + vpad(ui)
    return top + line_height(t.h2) + 2 * line_height(t.body) + vpad(ui)


def split(ui: Ui, views: list[RoleView], width: int, height: int, gap: int) -> tuple[list[int], PanelStyle]:
    """Heights of a column of panels stacked in ``height``, and how much of each to show."""
    room = height - gap * (len(views) - 1)
    if len(views) == 1:
        return [room], PanelStyle()
    for style in (PanelStyle(), PanelStyle(goal=False)):
        needs = [need(ui, v, width, style) for v in views]
        if sum(needs) <= room:
            spare = room - sum(needs)
            # the spare room goes to waiting panels (they show the role's brief in it), else evenly
            takers = [i for i, v in enumerate(views) if not _acting(v)] or list(range(len(views)))
            for k, i in enumerate(takers):
                needs[i] += spare // len(takers) + (1 if k < spare % len(takers) else 0)
            return needs, style
    needs = [need(ui, v, width, PanelStyle(goal=False)) for v in views]  # too much: by need, scroll
    total = sum(needs)
    heights = [room * n // total for n in needs]
    heights[-1] += room - sum(heights)
    return heights, PanelStyle(goal=False)


@dataclass
class Panel:
    """One role's panel as drawn this frame."""

    index: int
    view: RoleView
    look: RoleLook
    rect: pygame.Rect
    focused: bool
    style: PanelStyle
    paused: bool = False
    brief: str = ""  # the role's brief, shown while waiting when there is room


def draw_panel(ui: Ui, p: Panel) -> None:
    t = ui.theme
    view, rect = p.view, p.rect
    border = th.RED if p.focused else (th.GOLD if view.status == "active" else th.LINE)
    ui.button(f"panel:{p.index}", rect, "", kind="quiet")  # click anywhere to focus
    ui.box(
        rect,
        STATUS_FILL.get(view.status, th.IVORY),
        border,
        radius=t.px(12),
        width=t.px(4) if p.focused else 2,
    )
    with ui.within(rect):
        body = _header(ui, p)
        if _acting(view):
            _task(ui, p, body)
        elif view.status == "waiting" and view.wait:
            _waiting(ui, p, body)
        elif view.status == "finished":
            ui.label("✓ 任务全部完成", (body.x, body.y), t.h2, th.GREEN, bold=True)
            ui.label(
                "请关注队友的进展，必要时出谋划策。",
                (body.x, body.y + line_height(t.h2)),
                t.body,
                th.MUTED,
                width=body.width,
            )
        else:
            ui.label("会话已结束", (body.x, body.y), t.h2, th.MUTED, bold=True)


def _header(ui: Ui, p: Panel) -> pygame.Rect:
    """Emblem in the role's colour, name, who plays it, tasks and the panel's key; returns the body."""
    t = ui.theme
    view, rect = p.view, p.rect
    x, y, hh = rect.x + t.pad, rect.y + vpad(ui), header_height(ui)
    size = t.px(40)
    emblem = pygame.Rect(x, y + (hh - size) // 2, size, size)
    color = p.look.rgb if view.status in ("active", "locked", "waiting") else th.MUTED
    pygame.draw.rect(ui.surface, color, emblem, border_radius=size // 2)
    mark = ui.text.block(p.look.emblem, t.h2, th.WHITE, None, True)
    ui.surface.blit(mark, mark.get_rect(center=emblem.center))
    ui.note(p.look.emblem, t.h2, mark.get_rect(center=emblem.center), True)
    key = pygame.Rect(rect.right - t.pad - t.px(42), y + (hh - t.px(30)) // 2, t.px(42), t.px(30))
    pygame.draw.rect(ui.surface, th.RED if p.focused else th.LINE, key, border_radius=t.px(6))
    ui.label(
        f"F{p.index + 1}",
        (key.centerx, key.y + (key.height - line_height(t.small)) // 2),
        t.small,
        th.IVORY if p.focused else th.INK,
        bold=True,
        center=True,
    )
    count = f"任务 {view.tasks_done}/{view.tasks_total}"
    count_w = ui.text.width(count, t.small)
    count_x = key.x - t.px(10) - count_w
    hx = emblem.right + t.px(10)
    ny = y + (hh - line_height(t.h2)) // 2
    name_w = min(ui.text.width(view.name, t.h2, bold=True) + 4, (count_x - hx) * 6 // 10)
    ui.line(view.name, (hx, ny), t.h2, th.INK, name_w, bold=True)
    sx = hx + name_w + t.px(4)
    small_y = ny + (line_height(t.h2) - line_height(t.small)) // 2
    if _acting(view):  # who should act, and on what
        if view.player:
            body_y = ny + (line_height(t.h2) - line_height(t.body)) // 2
            sx = ui.label(f"（{view.player}）", (sx, body_y), t.body, th.INK).right
        if title_inline(ui, view, rect.width):
            title = f"《{view.task_title}》"
            ui.line(title, (sx + t.px(6), ny), t.h2, th.RED, count_x - t.px(10) - sx, bold=True)
    else:
        sub = " · ".join(s for s in (view.player and f"玩家 {view.player}", view.title) if s)
        if sub and count_x - t.px(16) - sx > t.px(40):
            ui.line(sub, (sx + t.px(6), small_y), t.small, th.MUTED, count_x - t.px(16) - sx)
    ui.label(count, (count_x, small_y), t.small, th.MUTED)
    top = y + hh + t.px(4)
    return pygame.Rect(x, top, rect.width - 2 * t.pad, rect.bottom - vpad(ui) - top)


def _task(ui: Ui, p: Panel, body: pygame.Rect) -> None:
    t = ui.theme
    view = p.view
    locked = view.status == "locked"
    y = body.y
    if not title_inline(ui, view, p.rect.width):
        title = f"《{view.task_title}》"
        ui.line(title, (body.x - t.px(6), y), t.h2, th.RED, body.width + t.px(6), bold=True)
        y += line_height(t.h2)
    if view.goal and p.style.goal:
        ui.line(f"目标：{view.goal}", (body.x, y), t.small, th.MUTED, body.width)
        y += line_height(t.small)
    gap = t.px(4)
    heights = [ui.button_height(c.text, body.width, t.body) for c in view.choices]
    choices_h = sum(h + gap for h in heights)
    lh = line_height(t.body)
    text = view.text.strip()
    text_h = len(ui.text.lines(text, t.body, body.width - t.px(12))) * lh
    room = min(text_h, body.bottom - t.px(6) - choices_h - y)  # scrolls only if a column is too full
    story = ui.scroll_text(
        f"text:{view.role}", pygame.Rect(body.x, y, body.width, max(lh, room)), text, t.body
    )
    cy = min(story.bottom + t.px(6), body.bottom - choices_h) + gap // 2
    for c, ch in zip(view.choices, heights, strict=True):
        ui.button(
            f"choice:{p.index}:{c.number}",
            pygame.Rect(body.x, cy, body.width, ch),
            c.text,
            key_hint=str(c.number),
            enabled=not locked and not p.paused,
            focused=p.focused,
        )
        cy += ch + gap
    if locked:
        veil = pygame.Surface(body.size, pygame.SRCALPHA)
        veil.fill((226, 228, 236, 170))
        ui.surface.blit(veil, body.topleft)
        box = pygame.Rect(
            0, 0, min(body.width, t.px(340)), line_height(t.body) + line_height(t.h1) + t.px(24)
        )
        box.center = body.center
        ui.box(box, th.SLATE, th.INK, radius=t.px(10))
        ui.label("锁定中（陷阱惩罚）", (box.centerx, box.y + t.px(10)), t.body, th.IVORY, center=True)
        ui.label(
            f"还需 {view.locked_left} 秒",
            (box.centerx, box.y + t.px(10) + line_height(t.body)),
            t.h1,
            th.IVORY,
            bold=True,
            center=True,
        )


def _waiting(ui: Ui, p: Panel, body: pygame.Rect) -> None:
    t = ui.theme
    wait = p.view.wait
    assert wait is not None
    ui.label("等待队友", (body.x, body.y), t.h2, th.MUTED, bold=True)
    clock = f"已等 {labels.format_duration(wait.seconds)}"
    ui.label(
        clock,
        (body.right - ui.text.width(clock, t.h2, bold=True) - t.px(4), body.y),
        t.h2,
        th.SLATE,
        bold=True,
    )
    y = body.y + line_height(t.h2)
    for line in wait.lines():  # one teammate per line: nothing runs into the border
        y = ui.label("· " + line, (body.x, y), t.body, th.INK, width=body.width).bottom
    lh = line_height(t.small)
    room = (body.bottom - y - t.px(8)) // lh * lh
    if p.brief and room >= 2 * lh:
        ui.scroll_text(
            f"text:{p.view.role}",
            pygame.Rect(body.x, y + t.px(8), body.width, room),
            "你的身份：" + p.brief,
            t.small,
            th.MUTED,
        )
