"""Pop-ups of the play screen, drawn over it: a note (feedback, trap, team event, hint, …), the
paused veil and the facilitator's menu. They draw what :mod:`engine.present` says and register
their buttons; the play scene decides when each is shown."""

from __future__ import annotations

import pygame

from engine.present import labels
from engine.present.notes import Note
from engine.present.view import TeamView
from engine.ui import theme as th
from engine.ui.motion import POP_SECONDS, ease_out, progress
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

NOTE_COLORS = {
    "trap": th.RED,
    "event": th.GOLD,
    "hint": th.GREEN,
    "feedback": th.SLATE,
    "skip": th.MUTED,
    "cancel": th.RED_DARK,
    "remedial": th.RED_DARK,
}


def dialog(ui: Ui, width: int, height: int, border: th.Color, since: float | None = None) -> pygame.Rect:
    """Shade the screen and draw a centred box of at most ``width`` x ``height``. Given ``since``
    (when it first showed), the box rises into place and the shade darkens over a moment."""
    k = ease_out(progress(since, ui.now, POP_SECONDS, ui.motion)) if since is not None else 1.0
    ui.shade(k)
    w, h = ui.surface.get_size()
    rect = pygame.Rect(0, 0, min(width, w - 2 * ui.theme.pad), min(height, h - 2 * ui.theme.pad))
    rect.center = (w // 2, h // 2 + round(ui.theme.px(36) * (1 - k)))
    ui.box(rect, th.PAPER, border, radius=ui.theme.px(14), width=ui.theme.px(5))
    return rect


def draw_paused(ui: Ui, area: pygame.Rect) -> None:
    """A veil over the panels: nothing runs while paused, and the way on is one key."""
    t = ui.theme
    veil = pygame.Surface(area.size, pygame.SRCALPHA)
    veil.fill((38, 26, 22, 120))
    ui.surface.blit(veil, area.topleft)
    width = min(area.width - 2 * t.pad, t.px(640))
    text_h = len(ui.text.lines(labels.PAUSED_TEXT, t.body, width - t.px(60))) * line_height(t.body)
    card = pygame.Rect(0, 0, width, t.px(22 + 48 + 18 + 24 + 56 + 26) + text_h)
    card.center = area.center
    ui.box(card, th.PAPER, th.RED, radius=t.px(14), width=t.px(5))
    title_w = ui.text.width(labels.PAUSED_TITLE, t.h1, bold=True)
    icon = pygame.Rect(0, 0, t.px(30), t.px(34))
    icon.topleft = (card.centerx - (title_w + icon.width + t.px(14)) // 2, card.y + t.px(28))
    for dx in (0, t.px(19)):  # a pause sign, drawn: not every font has one
        pygame.draw.rect(
            ui.surface, th.RED, (icon.x + dx, icon.y, t.px(11), icon.height), border_radius=t.px(3)
        )
    ui.label(labels.PAUSED_TITLE, (icon.right + t.px(14), card.y + t.px(22)), t.h1, th.RED, bold=True)
    drawn = ui.label(
        labels.PAUSED_TEXT,
        (card.x + t.px(30), card.y + t.px(22 + 48 + 18)),
        t.body,
        th.INK,
        width=card.width - t.px(60),
    )
    ui.button(
        "fac:pause",
        pygame.Rect(card.centerx - t.px(150), drawn.bottom + t.px(24), t.px(300), t.px(56)),
        "继续会话（回车）",
        kind="primary",
        size=t.h2,
    )


def draw_note(ui: Ui, note: Note, more: int = 0, since: float | None = None) -> None:
    """A note as a pop-up: coloured band (kicker, title), what changed, the text, its source;
    ``more`` notes wait behind it (said beside the button, never squeezed into it)."""
    t = ui.theme
    color = NOTE_COLORS[note.kind]
    width = min(t.px(900), ui.surface.get_width() - 2 * t.pad)
    inner = width - t.px(48)
    body_size = t.h2 if note.kind in ("event", "feedback") else t.body
    band_h = line_height(t.small) + line_height(t.h2) + t.px(12)
    facts_h = sum(len(ui.text.lines("· " + f, t.body, inner, bold=True)) for f in note.facts) * line_height(
        t.body
    )
    label = "继续（回车）"
    button_h = line_height(t.h2) + t.px(14)
    need = len(ui.text.lines(note.body, body_size, inner - t.px(12))) * line_height(body_size)
    need += facts_h + (t.px(8) if note.facts else 0) + (line_height(t.body) if note.body_label else 0)
    need += band_h + t.px(16 + 16 + 16) + button_h + (line_height(t.small) + t.px(6) if note.source else 0)
    rect = dialog(ui, width, max(t.px(240), need), color, since)
    band = pygame.Rect(rect.x, rect.y, rect.width, band_h)
    pygame.draw.rect(
        ui.surface, color, band, border_top_left_radius=t.px(14), border_top_right_radius=t.px(14)
    )
    with ui.within(rect):
        x = rect.x + t.px(24)
        ui.line(note.kicker, (x, band.y + t.px(6)), t.small, th.IVORY, inner)
        ui.line(note.title, (x, band.y + t.px(6) + line_height(t.small)), t.h2, th.IVORY, inner, bold=True)
        y = band.bottom + t.px(16)
        for fact in note.facts:
            y = ui.label("· " + fact, (x, y), t.body, th.RED, width=inner, bold=True).bottom
        if note.facts:
            y += t.px(8)
        if note.body_label:
            ui.label(note.body_label, (x, y), t.body, th.MUTED, bold=True)
            y += line_height(t.body)
        button = pygame.Rect(0, 0, min(inner, ui.button_width(label, t.h2) + t.px(24)), button_h)
        button.bottomright = (rect.right - t.px(24), rect.bottom - t.px(16))
        bottom = button.y - t.px(16)
        if note.source:
            ui.line(f"出处：{note.source}", (x, bottom - line_height(t.small)), t.small, th.MUTED, inner)
            bottom -= line_height(t.small) + t.px(6)
        ui.scroll_text(
            "notice", pygame.Rect(x, y, inner, max(line_height(body_size), bottom - y)), note.body, body_size
        )
        if more:
            waiting = f"后面还有 {more} 条"
            ui.line(
                waiting,
                (x, button.centery - line_height(t.body) // 2),
                t.body,
                th.MUTED,
                button.x - x - t.pad,
            )
        ui.button("notice", button, label, kind="primary", size=t.h2)


def menu_items(menu: str, team: TeamView) -> list[tuple[str, str, str]]:
    """The facilitator menu's buttons: (name, label, kind)."""
    if menu == "main":
        return [
            ("fac:pause", "继续会话" if team.paused else "暂停会话（时钟、等待和锁定都停下）", "normal"),
            ("fac:hint", "给一个提示…", "normal"),
            ("fac:skip", "跳过卡住的任务…（记入审计日志，不得分）", "normal"),
            ("fac:end", "结束会话…", "normal"),
            ("fac:close", "返回游戏（Esc）", "primary"),
        ]
    if menu in ("hint", "skip"):
        items = [
            (f"fac:{menu}-{view.role}", f"{view.name}：《{view.task_title}》", "normal")
            for view in team.roles
            if view.task is not None
        ]
        return [*items, ("fac:main", "返回（Esc）", "quiet")]
    return [("fac:end-yes", "确定结束", "primary"), ("fac:main", "返回（Esc）", "quiet")]


MENU_TITLES = {
    "main": "主持人菜单",
    "hint": "给哪个角色提示？",
    "skip": "跳过哪个角色的当前任务？",
    "end": "结束本次会话？",
}
END_TEXT = "会话会记为“已放弃”，结果和陷阱讲解仍会显示，记录保留在数据库中。"


def draw_menu(ui: Ui, menu: str, team: TeamView) -> None:
    """The facilitator's menu (``main``, or choosing a role for ``hint`` / ``skip``, or ``end``),
    as tall as its buttons."""
    t = ui.theme
    items = menu_items(menu, team)
    width = min(t.px(680), ui.surface.get_width() - 2 * t.pad)
    bw = width - t.px(60)
    bh, step = line_height(t.body) + t.px(14), line_height(t.body) + t.px(24)
    lines = len(ui.text.lines(END_TEXT, t.body, bw)) if menu == "end" else 0
    empty = menu in ("hint", "skip") and len(items) == 1
    text_h = (lines + empty) * line_height(t.body) + (t.px(16) if lines or empty else 0)
    height = t.px(20) + line_height(t.h1) + t.px(16) + text_h + len(items) * step + t.px(14)
    rect = dialog(ui, width, height, th.RED)
    x, y = rect.x + t.px(30), rect.y + t.px(20)
    with ui.within(rect):
        ui.label(MENU_TITLES[menu], (x, y), t.h1, th.RED, bold=True)
        y += line_height(t.h1) + t.px(16)
        if empty:
            ui.label("现在没有角色手上有任务。", (x, y), t.body, th.MUTED)
        elif lines:
            ui.label(END_TEXT, (x, y), t.body, th.INK, width=bw)
        y += text_h
    for n, (name, label, kind) in enumerate(items, start=1):
        ui.button(
            name,
            pygame.Rect(x, y, bw, bh),
            label,
            key_hint=str(n),
            keys=(pygame.K_0 + n, pygame.K_KP0 + n),
            kind=kind,
        )
        y += step


def draw_stop_confirm(ui: Ui, joined: int) -> None:
    """Stop hosting with players on their phones? (the host screen asks first)"""
    t = ui.theme
    ui.shade()
    w, h = ui.surface.get_size()
    rect = pygame.Rect(0, 0, min(t.px(680), w - 2 * t.pad), t.px(330))
    rect.center = (w // 2, h // 2)
    ui.box(rect, th.PAPER, th.RED, radius=t.px(14), width=t.px(5))
    x, y, inner = rect.x + t.px(30), rect.y + t.px(24), rect.width - t.px(60)
    with ui.within(rect):
        ui.label("停止主持？", (x, y), t.h1, th.RED, bold=True)
        y += line_height(t.h1) + t.px(8)
        ui.label(
            f"已有 {joined} 名队员加入或正在游戏。停止后手机会断开；进度都已保存，"
            "下次从这里（或 play.py host）用同一个数据库再次主持，各队会回到原处。",
            (x, y),
            t.body,
            th.INK,
            width=inner,
        )
    bw = (inner - t.pad) // 2
    by = rect.bottom - t.px(78)
    ui.button(
        "stop",
        pygame.Rect(x, by, bw, t.px(54)),
        "停止并返回（回车）",
        kind="primary",
        keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_y),
    )
    ui.button("cancel", pygame.Rect(x + bw + t.pad, by, bw, t.px(54)), "继续主持（Esc）", keys=(pygame.K_n,))
