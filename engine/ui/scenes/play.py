"""The play screen: one panel per role (hot-seat), the team bar, pop-ups and the facilitator menu.

Keys: Tab / Shift+Tab or F1-F6 move the focus between panels; 1-9 pick a choice in the focused
panel; PgUp/PgDn scroll its text; Enter or Space closes a pop-up; Esc opens the facilitator
menu (pause, hint, skip a stuck task, end the session). Mouse: click choices, wheel scrolls.
While paused, a veil over the panels says so and Enter (or its button) continues.

What it shows comes from the presentation layer: the team view, the notes after each action
(feedback, traps with every consequence, team events, hints) and the input mapping; this module
only draws them and forwards keys and clicks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.present import labels
from engine.present.feed import recent_feed
from engine.present.inputs import FacilitatorOp, Refused, choose, facilitator
from engine.present.notes import Note, notes
from engine.present.view import RoleView, TeamView, team_view
from engine.rules.step import Action, RuleViolation
from engine.session.live import Session
from engine.store.db import StoreError
from engine.ui import theme as th
from engine.ui.popups import draw_menu, draw_note, draw_paused
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

if TYPE_CHECKING:
    from engine.ui.app import App


FLASH_SECONDS = 4.0
NUMBER_KEYS = {pygame.K_1 + i: i + 1 for i in range(9)} | {pygame.K_KP1 + i: i + 1 for i in range(9)}
FOCUS_KEYS = {pygame.K_F1 + i: i for i in range(6)}


def grid(count: int) -> tuple[int, int]:
    """(columns, rows) for the role panels: 2x2 for four, side by side for two or three."""
    if count <= 3:
        return max(1, count), 1
    if count == 4:
        return 2, 2
    return 3, 2


class PlayScene(Scene):
    def __init__(self, app: App, session: Session, fresh: bool = False) -> None:
        """``fresh``: the session just started; what its start announced (a team event at the
        start) pops up first. A resumed session shows nothing old."""
        super().__init__(app)
        self.session = session
        self.roles = list(session.scenario.roles)
        self.focus = 0
        self.queue: list[Note] = notes(session.scenario, session.events) if fresh else []
        self.menu: str | None = None  # None | "main" | "hint" | "skip" | "end"
        self.flash = ""
        self.flash_until = 0.0
        self._feed: list[str] = []
        self._feed_len = -1
        self.team: TeamView = self.view_now(app.clock.now())
        self._focus_next_active()

    # --- state --------------------------------------------------------------------------

    def view_now(self, now: float) -> TeamView:
        """The team view for this frame; the event feed is rebuilt only when the log grew."""
        s = self.session
        if self._feed_len != len(s.events):
            self._feed, self._feed_len = recent_feed(s.scenario, s.events), len(s.events)
        return team_view(s.scenario, s.state, now, recent=self._feed)

    def update(self, now: float) -> None:
        s = self.session
        self.team = self.view_now(now)
        if s.state.status == "quiz":  # the check before play (a resumed session): the game never began
            self.app.show("quiz", session=s, fresh=True)
        elif s.state.quiz is not None and not self.queue and self.menu is None:  # after the ending
            self.app.show("quiz", session=s)
        elif s.state.over and not self.queue and self.menu is None:
            self.app.show("results", session=s)

    def act(self, action: Action) -> None:
        first = self.session.state.seq + 1  # the sequence number of the action's first event
        try:
            events = self.session.act(action)
        except RuleViolation as exc:
            self.say(str(exc))
            return
        except StoreError as exc:
            self.say(f"无法保存：{exc}")
            return
        self.queue.extend(notes(self.session.scenario, events, first))
        for e in events:
            if e.kind == "node_entered" or (e.kind == "task_opened" and e.role):
                self.app.ui.scroll.pop(f"text:{e.role}", None)
        self.team = self.view_now(self.app.clock.now())

    def say(self, text: str) -> None:
        self.flash = text
        self.flash_until = self.app.clock.now() + FLASH_SECONDS

    def _focus_next_active(self) -> None:
        views = self.team.roles
        if views and views[self.focus].status == "active":
            return
        for k in range(1, len(views) + 1):
            i = (self.focus + k) % len(views)
            if views[i].status == "active":
                self.focus = i
                return

    # --- input --------------------------------------------------------------------------

    def on_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if self.queue:
            if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE):
                self.queue.pop(0)
                return True
            return False
        if self.menu is not None:
            if key == pygame.K_ESCAPE:
                self.menu = None if self.menu == "main" else "main"
                return True
            return False
        if key == pygame.K_ESCAPE:
            self.menu = "main"
            return True
        if self.team.paused and key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.facilitator("pause")
            return True
        if key == pygame.K_TAB:
            step = -1 if event.mod & pygame.KMOD_SHIFT else 1
            self.focus = (self.focus + step) % len(self.roles)
            return True
        if key in FOCUS_KEYS and FOCUS_KEYS[key] < len(self.roles):
            self.focus = FOCUS_KEYS[key]
            return True
        if key in NUMBER_KEYS:
            self.choose(self.focus, NUMBER_KEYS[key])
            return True
        if key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            sign = 1 if key == pygame.K_PAGEDOWN else -1
            self.app.ui.scroll_by(f"text:{self.roles[self.focus]}", sign * self.app.ui.theme.px(120))
            return True
        return False

    def choose(self, panel: int, number: int) -> None:
        try:
            action = choose(self.team, panel, number)
        except Refused as exc:
            self.say(str(exc))
            return
        self.focus = panel
        self.act(action)
        self._focus_next_active()

    def on_button(self, name: str) -> None:
        kind, _, arg = name.partition(":")
        if kind == "notice":
            if self.queue:
                self.queue.pop(0)
        elif kind == "choice":
            panel, number = arg.split(":")
            self.choose(int(panel), int(number))
        elif kind == "panel":
            self.focus = int(arg)
        elif kind == "menu":
            self.menu = "main"
        elif kind == "fac":
            self.facilitator(arg)

    def facilitator(self, arg: str) -> None:
        if arg == "close":
            self.menu = None
        elif arg == "main":
            self.menu = "main"
        elif arg == "pause":
            self.menu = None
            self.act(facilitator("unpause" if self.team.paused else "pause"))
        elif arg in ("hint", "skip", "end"):
            self.menu = arg
        elif arg.startswith("hint-") or arg.startswith("skip-"):
            what, role = arg.split("-", 1)
            op: FacilitatorOp = "hint" if what == "hint" else "skip"
            self.menu = None
            self.act(facilitator(op, role))
        elif arg == "end-yes":
            self.menu = None
            self.act(facilitator("abandon"))
        elif arg == "title":
            self.app.title()

    # --- drawing ------------------------------------------------------------------------

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        blocked = bool(self.queue) or self.menu is not None
        ui.interactive = not blocked
        bar_h = t.px(66)
        feed_h = t.px(40)
        self.draw_bar(ui, pygame.Rect(0, 0, w, bar_h))
        cols, rows = grid(len(self.roles))
        gap = t.px(10)
        area = pygame.Rect(gap, bar_h + gap, w - 2 * gap, h - bar_h - feed_h - 2 * gap)
        pw = (area.width - (cols - 1) * gap) // cols
        ph = (area.height - (rows - 1) * gap) // rows
        for i, view in enumerate(self.team.roles):
            c, r = i % cols, i // cols
            rect = pygame.Rect(area.x + c * (pw + gap), area.y + r * (ph + gap), pw, ph)
            self.draw_panel(ui, i, view, rect)
        self.draw_feed(ui, pygame.Rect(0, h - feed_h, w, feed_h))
        ui.interactive = True
        if self.queue:
            draw_note(ui, self.queue[0], len(self.queue) - 1)
        elif self.menu is not None:
            draw_menu(ui, self.menu, self.team)
        elif self.team.paused:
            draw_paused(ui, area)

    def draw_bar(self, ui: Ui, rect: pygame.Rect) -> None:
        t = ui.theme
        team = self.team
        pygame.draw.rect(ui.surface, th.RED, rect)
        pygame.draw.line(ui.surface, th.GOLD, rect.bottomleft, rect.bottomright, t.px(3))
        y = rect.y + (rect.height - line_height(t.h2)) // 2
        x = t.pad
        title_w = rect.width * 30 // 100
        ui.line(f"{team.title} · {team.team}", (x, y), t.h2, th.IVORY, title_w, bold=True)
        x += title_w + t.pad
        clock = f"暂停 {team.clock}" if team.paused else f"用时 {team.clock}"
        ui.label(clock, (x, y), t.h2, th.IVORY if team.paused else th.GOLD_SOFT, bold=True)
        x += t.px(170)
        ui.label(f"得分 {team.score}", (x, y), t.h2, th.IVORY, bold=True)
        x += t.px(140)
        for label, value in team.counters:
            drawn = ui.label(f"{label} {value}", (x, y + t.px(3)), t.body, th.GOLD_SOFT, bold=True)
            x = drawn.right + t.px(28)
        ui.label("进度", (x, y + t.px(3)), t.body, th.GOLD_SOFT)
        x += t.px(48)
        bw = max(t.px(60), rect.right - x - t.px(250))
        ui.progress(pygame.Rect(x, rect.centery - t.px(9), bw, t.px(18)), team.done, team.total)
        ui.label(f"{team.done}/{team.total}", (x + bw + t.px(8), y + t.px(3)), t.body, th.IVORY, bold=True)
        ui.button(
            "menu",
            pygame.Rect(rect.right - t.px(150), rect.y + t.px(12), t.px(138), rect.height - t.px(24)),
            "主持人 Esc",
            kind="quiet",
            size=t.body,
        )

    def draw_panel(self, ui: Ui, index: int, view: RoleView, rect: pygame.Rect) -> None:
        t = ui.theme
        focused = index == self.focus
        fill = {"active": th.PAPER, "locked": th.SLATE_SOFT, "waiting": th.IVORY}.get(view.status, th.IVORY)
        border = th.RED if focused else (th.GOLD if view.status == "active" else th.LINE)
        ui.button(f"panel:{index}", rect, "", kind="quiet")  # click anywhere to focus
        ui.box(rect, fill, border, radius=t.px(12), width=t.px(4) if focused else 2)
        # header: portrait placeholder, name, title, player (one line when panels are short)
        p = t.pad
        compact = rect.height < t.px(380)
        size = t.px(38) if compact else t.px(50)
        portrait = pygame.Rect(rect.x + p, rect.y + p - (t.px(4) if compact else 0), size, size)
        pygame.draw.rect(
            ui.surface, th.RED if view.status == "active" else th.MUTED, portrait, border_radius=size // 2
        )
        ui.label(
            view.name[:1],
            (portrait.centerx, portrait.centery - line_height(t.h2) // 2),
            t.h2,
            th.IVORY,
            bold=True,
            center=True,
        )
        hx = portrait.right + t.px(10)
        key = pygame.Rect(
            rect.right - p - t.px(40), rect.y + p - (t.px(4) if compact else 0), t.px(40), t.px(28)
        )
        pygame.draw.rect(ui.surface, th.RED if focused else th.LINE, key, border_radius=t.px(6))
        ui.label(
            f"F{index + 1}",
            (key.centerx, key.y + t.px(2)),
            t.small,
            th.IVORY if focused else th.INK,
            bold=True,
            center=True,
        )
        sub = " · ".join(x for x in (view.title, f"玩家：{view.player}" if view.player else "") if x)
        count = f"任务 {view.tasks_done}/{view.tasks_total}"
        count_w = ui.text.width(count, t.small)
        if compact:
            name_w = min(ui.text.width(view.name, t.h2, bold=True), (key.x - hx) // 2)
            ny = portrait.centery - line_height(t.h2) // 2
            ui.line(view.name, (hx, ny), t.h2, th.INK, name_w + 2, bold=True)
            sx = hx + name_w + t.px(12)
            ui.line(f"{sub} · {count}", (sx, ny + t.px(7)), t.small, th.MUTED, key.x - t.px(8) - sx)
        else:
            ui.line(view.name, (hx, rect.y + p - t.px(2)), t.h2, th.INK, key.x - t.px(8) - hx, bold=True)
            ui.line(
                sub, (hx, rect.y + p + t.px(30)), t.small, th.MUTED, rect.right - p - count_w - t.px(10) - hx
            )
            ui.label(count, (rect.right - p - count_w, rect.y + p + t.px(32)), t.small, th.MUTED)
        body = pygame.Rect(rect.x + p, portrait.bottom + t.px(6 if compact else 10), rect.width - 2 * p, 0)
        body.height = rect.bottom - p - body.y
        if view.status in ("active", "locked"):
            self.draw_task(ui, index, view, body, focused)
        elif view.status == "waiting" and view.wait:
            ui.label("等待中", (body.x, body.y), t.body, th.MUTED, bold=True)
            drawn = ui.label(
                view.wait.sentence(), (body.x, body.y + t.px(32)), t.h2, th.INK, width=body.width
            )
            timer_y = body.bottom - line_height(t.h1)
            ui.label(
                f"已等 {labels.format_duration(view.wait.seconds)}",
                (body.x, timer_y),
                t.h1,
                th.SLATE,
                bold=True,
            )
            lh = line_height(t.small)
            room = (timer_y - drawn.bottom - t.px(20)) // lh * lh  # whole lines only
            brief = pygame.Rect(body.x, drawn.bottom + t.px(12), body.width, room)
            if brief.height > line_height(t.small) * 2:
                role = self.session.scenario.roles[view.role]
                ui.scroll_text(
                    f"text:{view.role}", brief, "你的身份：" + role.brief.strip(), t.small, th.MUTED
                )
        elif view.status == "finished":
            ui.label("✓ 任务全部完成", (body.x, body.y + t.px(10)), t.h2, th.GREEN, bold=True)
            ui.label(
                "请关注队友的进展，必要时出谋划策。",
                (body.x, body.y + t.px(50)),
                t.body,
                th.MUTED,
                width=body.width,
            )
        else:
            ui.label("会话已结束", (body.x, body.y + t.px(10)), t.h2, th.MUTED, bold=True)

    def draw_task(self, ui: Ui, index: int, view: RoleView, body: pygame.Rect, focused: bool) -> None:
        t = ui.theme
        locked = view.status == "locked"
        paused = self.team.paused
        ui.line(f"《{view.task_title}》", (body.x - t.px(6), body.y), t.h2, th.RED, body.width, bold=True)
        y = body.y + line_height(t.h2) + t.px(2)
        gap = t.px(6)

        def choices_height(size: int) -> tuple[list[int], int]:
            heights = [ui.button_height(c.text, body.width, size) for c in view.choices]
            return heights, sum(heights) + gap * len(heights)

        size = t.body
        heights, choices_h = choices_height(size)
        room = body.bottom - y - choices_h - t.px(6)
        if room < 2 * line_height(t.body):  # crowded: smaller choices first, then drop the goal line
            size = t.small
            heights, choices_h = choices_height(size)
            room = body.bottom - y - choices_h - t.px(6)
        show_goal = bool(view.goal) and room - line_height(t.small) >= 2 * line_height(t.body)
        if show_goal:
            ui.line(f"目标：{view.goal}", (body.x, y), t.small, th.MUTED, body.width)
            y += line_height(t.small) + t.px(2)
            room -= line_height(t.small) + t.px(2)
        text_size = t.body if room >= 2 * line_height(t.body) else t.small
        lh = line_height(text_size)
        text_h = max(lh, room // lh * lh)  # whole lines only: nothing half cut
        ui.scroll_text(
            f"text:{view.role}", pygame.Rect(body.x, y, body.width, text_h), view.text.strip(), text_size
        )
        cy = body.bottom - choices_h + gap
        for c, ch in zip(view.choices, heights, strict=True):
            ui.button(
                f"choice:{index}:{c.number}",
                pygame.Rect(body.x, cy, body.width, ch),
                c.text,
                key_hint=str(c.number),
                size=size,
                enabled=not locked and not paused,
                focused=focused,
            )
            cy += ch + gap
        if locked:
            veil = pygame.Surface(body.size, pygame.SRCALPHA)
            veil.fill((226, 228, 236, 170))
            ui.surface.blit(veil, body.topleft)
            secs = view.locked_left
            box = pygame.Rect(0, 0, min(body.width, t.px(320)), t.px(110))
            box.center = body.center
            ui.box(box, th.SLATE, th.INK, radius=t.px(10))
            ui.label("锁定中（陷阱惩罚）", (box.centerx, box.y + t.px(12)), t.body, th.IVORY, center=True)
            ui.label(
                f"还需 {secs} 秒", (box.centerx, box.y + t.px(46)), t.h1, th.IVORY, bold=True, center=True
            )

    def draw_feed(self, ui: Ui, rect: pygame.Rect) -> None:
        t = ui.theme
        pygame.draw.rect(ui.surface, th.GOLD_SOFT, rect)
        pygame.draw.line(ui.surface, th.GOLD, rect.topleft, rect.topright, 2)
        now = self.app.clock.now()
        if self.flash and now < self.flash_until:
            text, color = self.flash, th.RED
        elif self.team.paused:
            text, color = f"{labels.PAUSED_TITLE} —— 回车或主持人菜单（Esc）里继续", th.RED
        else:
            text, color = (
                "　·　".join(self.team.recent[-3:][::-1]) or "游戏开始：各角色按自己的任务行动。",
                th.INK,
            )
        y = rect.y + (rect.height - line_height(t.body)) // 2
        ui.line(text, (rect.x + t.pad, y), t.body, color, rect.width - 2 * t.pad - t.px(330))
        ui.label(
            "Tab/F1–F6 切换角色 · 数字键选择",
            (rect.right - t.pad - t.px(320), y + t.px(2)),
            t.small,
            th.MUTED,
        )
