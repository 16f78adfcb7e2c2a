"""The projector's view of the teams playing on phones (the desktop's phone-host screen): teams
ranked live in large type, finished teams folded into one line, and the moments the room should
share: a trap with its history, and a team's ending with its score breakdown and a celebration.

Everything drawn is a :class:`engine.present.board.TeamBoard` (the same the host web page shows);
this module only lays it out. Rows grow with fewer teams and stay readable with eight at 1280x720.
"""

from __future__ import annotations

import pygame

from engine.present import labels
from engine.present.board import RoleChip, TeamBoard
from engine.present.identity import rgb
from engine.present.notes import Note
from engine.present.view import Meter, RoleStatus
from engine.ui import theme as th
from engine.ui.celebrate import draw_confetti
from engine.ui.motion import POP_SECONDS, ease_out, progress
from engine.ui.popups import NOTE_COLORS
from engine.ui.teambar import draw_meter, meter_width
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

CHIP_FILL = {"active": None, "locked": th.SLATE, "waiting": th.LINE, "finished": th.GREEN, "over": th.MUTED}
MEDALS = {1: th.GOLD, 2: (170, 170, 178), 3: (176, 112, 58)}


def chip(ui: Ui, c: RoleChip, center: tuple[int, int], size: int) -> None:
    """A role as a coloured disc: its own colour while it acts, grey while it waits, slate while
    locked, green when done; waiting and locked discs keep a ring in the role's colour."""
    own = rgb(c.color)
    fill = CHIP_FILL.get(c.status) or own
    rect = pygame.Rect(0, 0, size, size)
    rect.center = center
    pygame.draw.rect(ui.surface, fill, rect, border_radius=size // 2)
    if c.status in ("waiting", "locked"):
        pygame.draw.rect(ui.surface, own, rect, max(2, size // 10), border_radius=size // 2)
    mark = "✓" if c.status == "finished" else c.emblem
    if not mark:
        return
    ink = th.INK if c.status == "waiting" else th.WHITE
    text_size = max(ui.theme.min_text, size * 11 // 20)
    surf = ui.text.block(mark, text_size, ink, None, True)
    at = surf.get_rect(center=rect.center)
    ui.surface.blit(surf, at)
    ui.note(mark, text_size, at, True)


def row_need(ui: Ui) -> int:
    """The least height of a team's row (one line)."""
    return line_height(ui.theme.h2) + ui.theme.px(16)


def two_line_need(ui: Ui) -> int:
    return line_height(ui.theme.h1) + line_height(ui.theme.h2) + ui.theme.px(24)


def _tail_width(ui: Ui, board: TeamBoard, chip_size: int, bar_w: int) -> int:
    """Progress, meters and role discs: the part of a row that does not shrink."""
    t = ui.theme
    count = ui.text.width(f"{board.total}/{board.total}", t.h2, True)
    meters = sum(meter_width(ui, m) + t.px(20) for m in board.meters)
    return bar_w + t.px(10) + count + t.px(20) + meters + len(board.roles) * (chip_size + t.px(8))


def draw_row(ui: Ui, rect: pygame.Rect, rank: int, board: TeamBoard, elapsed: float) -> None:
    """One playing team: rank, name, time and score; its progress, meters and roles. On one line
    when the row is low and wide enough, else on two (the lower line for progress and roles)."""
    t = ui.theme
    ui.box(rect, th.PAPER, th.GOLD if not board.paused else th.SLATE, radius=t.px(12))
    two = rect.height >= two_line_need(ui)
    chip_size = t.px(44) if two else min(rect.height - t.px(14), t.px(38))
    bar_w = t.px(160)
    head_w = t.px(60) + t.px(200) + t.px(100) + t.px(120)
    if not two and head_w + _tail_width(ui, board, chip_size, bar_w) > rect.width - 2 * t.pad:
        bar_w = t.px(70)
    with ui.within(rect):
        if two:
            top = pygame.Rect(rect.x, rect.y + t.px(8), rect.width, line_height(t.h1))
            low = pygame.Rect(rect.x, top.bottom + t.px(4), rect.width, rect.bottom - top.bottom - t.px(12))
            _head(ui, top, rank, board, elapsed, t.h1, t.huge if top.height >= line_height(t.huge) else t.h1)
            _tail(ui, low, board, chip_size, 0, left=True)
        else:
            right = _tail(ui, rect, board, chip_size, bar_w, left=False)
            head = pygame.Rect(rect.x, rect.y, right - rect.x, rect.height)
            _head(ui, head, rank, board, elapsed, t.h2, t.h1)


def _head(
    ui: Ui, rect: pygame.Rect, rank: int, board: TeamBoard, elapsed: float, name_size: int, score_size: int
) -> None:
    """Rank, name, clock and score across ``rect`` (vertically centred)."""
    t = ui.theme
    cy = rect.centery
    x = rect.x + t.pad
    badge = pygame.Rect(x, cy - t.px(22), t.px(44), t.px(44))
    pygame.draw.rect(ui.surface, MEDALS.get(rank, th.RED), badge, border_radius=badge.height // 2)
    ui.label(str(rank), (badge.centerx, cy - line_height(t.h2) // 2), t.h2, th.WHITE, bold=True, center=True)
    x = badge.right + t.px(14)
    right = rect.right - t.pad
    score = f"{board.score} 分"
    score_w = ui.text.width(score, score_size, True)
    ui.label(score, (right - score_w, cy - line_height(score_size) // 2), score_size, th.RED, bold=True)
    right -= max(score_w, ui.text.width("000 分", score_size, True)) + t.px(20)
    clock = ("暂停 " if board.paused else "") + labels.format_duration(elapsed)
    clock_w = ui.text.width(clock, t.body, True)
    ui.label(
        clock,
        (right - clock_w, cy - line_height(t.body) // 2),
        t.body,
        th.SLATE if board.paused else th.MUTED,
        bold=True,
    )
    right -= ui.text.width("暂停 00:00", t.body, True) + t.px(16)
    ui.line(
        board.team,
        (x, cy - line_height(name_size) // 2),
        name_size,
        th.INK,
        max(t.px(40), right - x),
        bold=True,
    )


def _tail(ui: Ui, rect: pygame.Rect, board: TeamBoard, chip_size: int, bar_w: int, left: bool) -> int:
    """Progress, meters and role discs, from the right of ``rect``; the bar is ``bar_w`` wide, or
    (``left``) fills the line from below the name. Returns where they begin."""
    t = ui.theme
    cy = rect.centery
    right = rect.right - t.pad
    for c in reversed(board.roles):
        chip(ui, c, (right - chip_size // 2, cy), chip_size)
        right -= chip_size + t.px(8)
    right -= t.px(12)
    for meter in reversed(board.meters):
        right = _meter(ui, meter, right, cy)
    count = f"{board.done}/{board.total}"
    count_w = ui.text.width(f"{board.total}/{board.total}", t.h2, True)  # the same on every row
    right -= count_w
    ui.label(
        count,
        (right + count_w - ui.text.width(count, t.h2, True), cy - line_height(t.h2) // 2),
        t.h2,
        th.INK,
        bold=True,
    )
    if left:  # the bar fills the line from below the name
        start = rect.x + t.pad + t.px(58)
        bar_w = max(t.px(60), right - t.px(10) - start)
    right -= bar_w + t.px(10)
    ui.progress(pygame.Rect(right, cy - t.px(10), bar_w, t.px(20)), board.done, board.total)
    return right - t.px(16)


def _meter(ui: Ui, meter: Meter, right: int, cy: int) -> int:
    left = right - meter_width(ui, meter)
    draw_meter(ui, meter, left, cy, dark=True)
    return left - ui.theme.px(20)


def draw_finished(
    ui: Ui, rect: pygame.Rect, done: list[tuple[int, TeamBoard, str]]
) -> list[tuple[str, pygame.Rect]]:
    """Finished teams (rank, board, team id) folded into one line of chips; returns each team's
    chip (a click brings its ending back)."""
    t = ui.theme
    out: list[tuple[str, pygame.Rect]] = []
    with ui.within(rect):
        label = ui.label(
            "已结束", (rect.x, rect.centery - line_height(t.body) // 2), t.body, th.MUTED, bold=True
        )
        x = label.right + t.px(14)
        for rank, board, team in done:
            heading = board.ending.heading.removeprefix("结局：") if board.ending else ""
            text = f"{rank}. {board.team} · {heading} · {board.score} 分"
            w = ui.text.width(text, t.body) + 2 * t.pad
            if x + w > rect.right:
                more = f"等 {len(done) - len(out)} 队"
                ui.label(more, (x, rect.centery - line_height(t.body) // 2), t.body, th.MUTED)
                break
            box = pygame.Rect(x, rect.y + t.px(4), w, rect.height - t.px(8))
            ui.box(box, th.GOLD_SOFT, MEDALS.get(rank, th.LINE), radius=box.height // 2)
            ui.label(text, (box.x + t.pad, box.centery - line_height(t.body) // 2), t.body, th.INK)
            out.append((team, box))
            x = box.right + t.px(10)
    return out


def card(ui: Ui, color: th.Color, since: float, height: int) -> pygame.Rect:
    """A wide card rising over the board, the screen shaded behind it."""
    t = ui.theme
    w, h = ui.surface.get_size()
    k = ease_out(progress(since, ui.now, POP_SECONDS, ui.motion))
    ui.shade(k)
    rect = pygame.Rect(0, 0, min(w - 2 * t.px(40), t.px(1160)), min(height, h - 2 * t.px(30)))
    rect.center = (w // 2, h // 2 + round(t.px(40) * (1 - k)))
    ui.box(rect, th.PAPER, color, radius=t.px(16), width=t.px(6))
    return rect


def draw_trap(ui: Ui, team: str, note: Note, since: float, left: float) -> None:
    """A trap shown to the room: whose, what it cost, the real history and its source, in the
    type size of a heading; ``left`` (0..1) of its time on screen remains."""
    t = ui.theme
    color = NOTE_COLORS["trap"]
    width = min(ui.surface.get_width() - 2 * t.px(40), t.px(1160)) - 2 * t.px(36)
    body = note.body
    need = t.px(92) + len(note.facts) * line_height(t.h2) + line_height(t.body)
    need += len(ui.text.lines(body, t.h2, width - t.px(12))) * line_height(t.h2) + t.px(30)
    need += line_height(t.body) + t.px(40) if note.source else t.px(20)
    rect = card(ui, color, since, need)
    band = pygame.Rect(rect.x, rect.y, rect.width, t.px(92))
    pygame.draw.rect(
        ui.surface, color, band, border_top_left_radius=t.px(16), border_top_right_radius=t.px(16)
    )
    with ui.within(rect):
        x = rect.x + t.px(36)
        ui.line(f"{note.kicker} · {team}", (x, band.y + t.px(6)), t.body, th.GOLD_SOFT, width)
        ui.line(note.title, (x, band.y + t.px(6) + line_height(t.body)), t.h1, th.WHITE, width, bold=True)
        y = band.bottom + t.px(14)
        for fact in note.facts:
            y = ui.label("· " + fact, (x, y), t.h2, th.RED, width=width, bold=True).bottom
        ui.label(note.body_label or "历史讲解", (x, y + t.px(6)), t.body, th.MUTED, bold=True)
        y += t.px(6) + line_height(t.body)
        bottom = rect.bottom - t.px(20) - (line_height(t.body) + t.px(8) if note.source else 0)
        ui.scroll_text("room-trap", pygame.Rect(x, y, width, bottom - y), body, t.h2)
        if note.source:
            ui.line(f"出处：{note.source}", (x, bottom + t.px(4)), t.body, th.MUTED, width)
    timer = pygame.Rect(
        rect.x + t.px(16), rect.bottom - t.px(10), round((rect.width - t.px(32)) * left), t.px(4)
    )
    pygame.draw.rect(ui.surface, color, timer, border_radius=2)


def draw_ending(ui: Ui, rank: int, board: TeamBoard, since: float, score: int) -> None:
    """A team's ending for the room: heading, the score (counting up) and its parts, each role,
    and the celebration the ending deserves."""
    t = ui.theme
    r = board.ending
    assert r is not None
    width = min(ui.surface.get_width() - 2 * t.px(40), t.px(1160)) - 2 * t.px(36)
    text_lines = min(4, len(ui.text.lines(r.text, t.body, width - t.px(12))))
    need = t.px(110) + line_height(t.huge) + line_height(t.h2) + text_lines * line_height(t.body)
    need += (len(board.roles) + 1) * line_height(t.body) + t.px(60)
    rect = card(ui, th.GOLD if r.celebrate == "big" else th.RED, since, need)
    band = pygame.Rect(rect.x, rect.y, rect.width, t.px(110))
    pygame.draw.rect(
        ui.surface, th.RED, band, border_top_left_radius=t.px(16), border_top_right_radius=t.px(16)
    )
    with ui.within(rect):
        x = rect.x + t.px(36)
        ui.line(f"第 {rank} 名 · {board.team}", (x, band.y + t.px(8)), t.h2, th.GOLD_SOFT, width, bold=True)
        ui.line(r.heading, (x, band.y + t.px(8) + line_height(t.h2)), t.h1, th.WHITE, width, bold=True)
        y = band.bottom + t.px(12)
        score_text = f"{score} 分"
        drawn = ui.label(score_text, (x, y), t.huge, th.RED, bold=True)
        parts = "　".join(f"{label} {points}" for label, points in r.part_lines) or "无加减分"
        sx = drawn.right + t.px(30)
        ui.line(parts, (sx, y + t.px(6)), t.h2, th.INK, rect.right - t.px(36) - sx, bold=True)
        ui.line(
            r.duration_line,
            (sx, y + t.px(6) + line_height(t.h2)),
            t.body,
            th.MUTED,
            rect.right - t.px(36) - sx,
        )
        y = drawn.bottom + t.px(6)
        room = text_lines * line_height(t.body)
        ui.scroll_text("room-ending", pygame.Rect(x, y, width, room), r.text, t.body)
        y += room + t.px(10)
        ui.label("各角色", (x, y), t.body, th.MUTED, bold=True)
        y += line_height(t.body)
        for role in r.roles:
            ui.line(role.who, (x, y), t.body, th.INK, width * 4 // 10, bold=True)
            ui.line("　".join(role.cells()), (x + width * 4 // 10, y), t.body, th.INK, width * 6 // 10)
            y += line_height(t.body)
    draw_confetti(ui, pygame.Rect(0, 0, *ui.surface.get_size()), r.celebrate, since, seed=len(board.team))


def draw_legend(ui: Ui, right: int, cy: int) -> int:
    """What the role discs mean, right-aligned to ``right``; returns where it begins."""
    t = ui.theme
    items: tuple[tuple[RoleStatus, str], ...] = (
        ("active", "行动"),
        ("waiting", "等待"),
        ("locked", "锁定"),
        ("finished", "完成"),
    )
    size = t.px(26)
    widths = [size + t.px(6) + ui.text.width(text, t.small) for _, text in items]
    x = right - sum(widths) - t.px(16) * (len(items) - 1)
    start = x
    for (status, text), w in zip(items, widths, strict=True):
        chip(ui, RoleChip("", "", "", status, "", "#8a4b12", ""), (x + size // 2, cy), size)
        ui.label(text, (x + size + t.px(6), cy - line_height(t.small) // 2), t.small, th.MUTED)
        x += w + t.px(16)
    return start
