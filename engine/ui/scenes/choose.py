"""Choose a scenario: a list on the left (any number of scenarios: it scrolls), the chosen one's
roles, length and whole introduction on the right.

↑/↓ (or a click) select, Enter (or the button) goes on to the team set-up; 1–9 pick directly."""

from __future__ import annotations

import pygame

from engine.format.catalog import ORIGIN_LABEL, Entry, entries
from engine.present.identity import looks
from engine.ui import theme as th
from engine.ui.datagrid import scroll_offset, scrollbar
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Target, Ui

NUMBER_KEYS = {pygame.K_1 + i: i for i in range(9)} | {pygame.K_KP1 + i: i for i in range(9)}


class ChooseScene(Scene):
    def enter(self) -> None:
        # files given with --scenario, the bundled ones, then the organizer's own folder
        self.entries: list[Entry] = entries(self.app.settings.scenarios)
        self.selected = 0

    def meta(self, entry: Entry) -> str:
        s = entry.scenario
        if s is None:
            return "无法载入"
        minutes = s.data.scenario.expected_minutes
        parts = [f"{len(s.roles)} 个角色", f"{len(s.tasks)} 项任务"]
        parts += [f"约 {minutes} 分钟"] if minutes else []
        parts += [ORIGIN_LABEL[entry.origin]] if entry.origin != "bundled" else []
        return " · ".join(parts)

    def row_height(self, ui: Ui) -> int:
        return line_height(ui.theme.h2) + line_height(ui.theme.small) + ui.theme.px(18)

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        ui.label("选择场景", (t.px(40), t.px(20)), t.h1, th.RED, bold=True)
        bw = ui.button_width("返回 Esc", t.body)
        ui.button(
            "back",
            pygame.Rect(w - t.px(40) - bw, t.px(22), bw, t.px(46)),
            "返回 Esc",
            kind="quiet",
            keys=(pygame.K_ESCAPE,),
        )
        top = t.px(86)
        x = t.px(40)
        list_w = min(t.px(440), (w - 3 * x) * 4 // 10)
        area = pygame.Rect(x, top, list_w, h - top - t.px(24))
        self.draw_list(ui, area)
        if self.entries:
            detail = pygame.Rect(area.right + x, top, w - area.right - 2 * x, area.height)
            self.draw_detail(ui, self.entries[self.selected], detail)

    def draw_list(self, ui: Ui, area: pygame.Rect) -> None:
        t = ui.theme
        rh = self.row_height(ui)
        step = rh + t.px(8)
        offset, overflow = scroll_offset(ui, "scenarios", area, len(self.entries) * step - t.px(8))
        ui.surface.set_clip(area)
        for n, entry in enumerate(self.entries):
            rect = pygame.Rect(area.x, area.y + n * step - offset, area.width - t.px(12), rh)
            if rect.bottom < area.y or rect.y > area.bottom:
                continue
            chosen = n == self.selected
            fill = th.RED if chosen else (th.PAPER if entry.scenario else th.SLATE_SOFT)
            ui.box(rect, fill, th.RED_DARK if chosen else th.GOLD, radius=t.px(10))
            ink, muted = (th.IVORY, th.GOLD_SOFT) if chosen else (th.INK, th.MUTED)
            badge = str(n + 1) if n < 9 else ""
            tx = rect.x + t.px(48)
            with ui.within(rect):
                if badge:
                    ui.label(
                        badge, (rect.x + t.px(24), rect.y + t.px(8)), t.h2, muted, bold=True, center=True
                    )
                title = entry.scenario.title if entry.scenario else entry.path.name
                ui.line(title, (tx, rect.y + t.px(8)), t.h2, ink, rect.right - t.pad - tx, bold=True)
                meta = self.meta(entry)
                ui.line(
                    meta, (tx, rect.y + t.px(8) + line_height(t.h2)), t.small, muted, rect.right - t.pad - tx
                )
            visible = rect.clip(area)
            if ui.interactive and visible.height > rh // 3:
                ui.targets.append(Target(f"select:{n}", visible, (pygame.K_1 + n,) if n < 9 else ()))
        ui.surface.set_clip(None)
        scrollbar(ui, area, offset, overflow, len(self.entries) * step)

    def draw_detail(self, ui: Ui, entry: Entry, rect: pygame.Rect) -> None:
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        inner = rect.inflate(-2 * t.px(24), -2 * t.px(18))
        s = entry.scenario
        with ui.within(rect):
            if s is None:
                ui.label(f"{entry.path}：无法载入", inner.topleft, t.h2, th.MUTED, width=inner.width)
                error = str(entry.problems[0]) if entry.problems else ""
                ui.label(error, (inner.x, inner.y + t.px(50)), t.body, th.RED, width=inner.width)
                return
            y = ui.label(s.title, inner.topleft, t.h1, th.RED, bold=True, width=inner.width).bottom
            ui.label(self.meta(entry), (inner.x, y), t.small, th.MUTED)
            y += line_height(t.small) + t.px(10)
            x = inner.x
            look = looks(s)
            for role in s.roles.values():  # each role in its colour, as in play
                width = t.px(36) + ui.text.width(role.name, t.body, True) + t.px(14)
                if x + width > inner.right:
                    x, y = inner.x, y + t.px(40)
                dot = pygame.Rect(x, y + t.px(2), t.px(30), t.px(30))
                pygame.draw.rect(ui.surface, look[role.id].rgb, dot, border_radius=dot.height // 2)
                mark = ui.text.block(look[role.id].emblem, t.small, th.WHITE, None, True)
                ui.surface.blit(mark, mark.get_rect(center=dot.center))
                ui.note(look[role.id].emblem, t.small, mark.get_rect(center=dot.center), True)
                ui.label(role.name, (dot.right + t.px(6), y), t.body, th.INK, bold=True)
                x += width
            y += t.px(44)
            button_h = t.px(56)
            room = inner.bottom - button_h - t.px(14) - y
            ui.scroll_text(
                "summary", pygame.Rect(inner.x, y, inner.width, room), s.data.scenario.summary.strip(), t.body
            )
            label = "用这个场景组队（回车）"
            bw = ui.button_width(label, t.h2) + t.px(20)
            ui.button(
                "open",
                pygame.Rect(inner.right - bw, inner.bottom - button_h, bw, button_h),
                label,
                kind="primary",
                size=t.h2,
                keys=(pygame.K_RETURN, pygame.K_KP_ENTER),
            )

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_UP, pygame.K_DOWN) and self.entries:
            step = 1 if event.key == pygame.K_DOWN else -1
            self.select((self.selected + step) % len(self.entries))
            return True
        if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            sign = 1 if event.key == pygame.K_PAGEDOWN else -1
            self.app.ui.scroll_by("summary", sign * self.app.ui.theme.px(120))
            return True
        if event.key in NUMBER_KEYS and NUMBER_KEYS[event.key] < len(self.entries):
            self.select(NUMBER_KEYS[event.key])
            self.open()
            return True
        return False

    def select(self, index: int) -> None:
        if index != self.selected:
            self.app.ui.scroll.pop("summary", None)
        self.selected = index
        ui = self.app.ui
        area = ui.scroll_areas.get("scenarios")
        if area is not None:  # keep the selected row in view
            step = self.row_height(ui) + ui.theme.px(8)
            top, bottom = index * step, index * step + self.row_height(ui)
            offset = ui.scroll.get("scenarios", 0)
            if top < offset:
                ui.scroll["scenarios"] = top
            elif bottom > offset + area[0].height:
                ui.scroll["scenarios"] = bottom - area[0].height

    def open(self) -> None:
        entry = self.entries[self.selected] if self.entries else None
        if entry is not None and entry.scenario is not None:
            self.app.show("setup", scenario=entry.scenario)

    def on_button(self, name: str) -> None:
        if name == "back":
            self.app.title()
        elif name.startswith("select:"):
            index = int(name.split(":")[1])
            if index == self.selected:  # a second click on the chosen one goes on
                self.open()
            else:
                self.select(index)
        elif name == "open":
            self.open()
