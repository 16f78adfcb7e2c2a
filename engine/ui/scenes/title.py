"""Title screen: start a new session, continue an unfinished one (with its score, progress and
time), review, display and sound settings.

Two columns on a wide screen: what to do on the left, the unfinished sessions on the right."""

from __future__ import annotations

from datetime import datetime

import pygame

from engine.format.loader import parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.present.view import summary
from engine.rules.state import fold
from engine.session.live import Session, resumable
from engine.store.db import SessionRow, StoreError
from engine.ui import theme as th
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

MAX_RESUME = 5
STATUS = {"paused": "已暂停", "active": "进行中"}


class TitleScene(Scene):
    def enter(self) -> None:
        self.error = ""
        try:
            rows = self.app.store.sessions()
        except StoreError as exc:
            rows, self.error = [], str(exc)
        self.unfinished: list[SessionRow] = resumable(self.app.store, rows)[:MAX_RESUME]
        self.where = {row.id: self.standing(row) for row in self.unfinished}

    def standing(self, row: SessionRow) -> str:
        """``得分 · 进度 · 用时`` of a stored session, replayed from its log ("" if it cannot be)."""
        cache = self.app.stored_scenarios
        try:
            if row.scenario_hash not in cache:
                text, path = self.app.store.scenario_text(row.scenario_hash)
                cache[row.scenario_hash] = parse_scenario(text, path or "<stored>")
            return summary(cache[row.scenario_hash], fold(self.app.store.events(row.id)))
        except (StoreError, ScenarioInvalid):
            return ""

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        band = pygame.Rect(0, 0, w, t.px(150))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, (0, band.bottom), (w, band.bottom), t.px(4))
        ui.label("情景", (w // 2, t.px(10)), t.px(72), th.IVORY, bold=True, center=True)
        ui.label("党史情景 · 团队角色扮演学习", (w // 2, t.px(104)), t.h2, th.GOLD_SOFT, center=True)
        margin = t.px(48)
        wide = w >= t.px(1100)
        left_w = min(t.px(520), (w - 3 * margin) // 2) if wide else min(w - 2 * margin, t.px(560))
        x = margin + max(0, (w - 2 * margin - 2 * left_w - margin) // 2) if wide else (w - left_w) // 2
        y = band.bottom + t.px(40)
        bh = t.px(60)
        ui.button(
            "new",
            pygame.Rect(x, y, left_w, bh),
            "开始新的会话（回车）",
            kind="primary",
            size=t.h2,
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_n),
        )
        y += bh + t.px(14)
        ui.button(
            "review",
            pygame.Rect(x, y, left_w, t.px(52)),
            "回顾：会话复盘、排行榜与光荣榜",
            key_hint="R",
            keys=(pygame.K_r,),
        )
        y += t.px(52) + t.px(24)
        half = (left_w - t.pad) // 2
        settings = (
            ("script", "简体显示" if self.app.settings.traditional else "繁體顯示", "T", (pygame.K_t,)),
            ("fullscreen", "全屏", "F11", ()),
            ("sound", "声音：关" if self.app.sounds.muted else "声音：开", "M", ()),
            ("quit", "退出", "Esc", (pygame.K_ESCAPE,)),
        )
        for n, (name, text, hint, keys) in enumerate(settings):
            rect = pygame.Rect(x + (n % 2) * (half + t.pad), y + (n // 2) * t.px(58), half, t.px(48))
            ui.button(name, rect, f"{text}  {hint}", kind="quiet", keys=keys)
        y += 2 * t.px(58)
        if wide:
            self.draw_resume(ui, pygame.Rect(x + left_w + margin, band.bottom + t.px(40), left_w, 0), h)
        else:
            self.draw_resume(ui, pygame.Rect(x, y + t.px(10), left_w, 0), h)
        if self.error:
            ui.label(self.error, (t.pad, h - t.px(36)), t.small, th.RED, width=w - 2 * t.pad)

    def draw_resume(self, ui: Ui, col: pygame.Rect, h: int) -> None:
        """The unfinished sessions, each with where it stands; as many as fit."""
        t = ui.theme
        y = col.y
        ui.label("继续未完成的会话", (col.x, y), t.h2, th.INK, bold=True)
        y += line_height(t.h2)
        if not self.unfinished:
            text = "没有中断的会话。每一步都自动保存：断电或关窗后，会话会列在这里。"
            ui.label(text, (col.x, y + t.px(6)), t.body, th.MUTED, width=col.width)
            return
        ui.label("进度都已自动保存，点击或按数字键继续。", (col.x, y), t.small, th.MUTED, width=col.width)
        y += line_height(t.small) + t.px(8)
        entry_h = line_height(t.body) + line_height(t.small) + t.px(14)
        bottom = h - t.px(24)
        for n, row in enumerate(self.unfinished, start=1):
            if y + entry_h > bottom:
                break
            rect = pygame.Rect(col.x, y, col.width, entry_h)
            ui.button(f"resume:{row.id}", rect, "", key_hint=str(n), keys=(pygame.K_0 + n,))
            when = datetime.fromtimestamp(row.started_at).strftime("%m-%d %H:%M")
            tx = rect.x + t.pad + t.px(34)
            width = rect.right - t.pad - tx
            with ui.within(rect):
                stamp = f"{STATUS.get(row.status, '知识小测')} · {when}"  # else: a check still open
                stamp_w = ui.text.width(stamp, t.small)
                head = f"{row.team} · {row.scenario_title}"
                ui.line(head, (tx, rect.y + t.px(6)), t.body, th.INK, width - stamp_w - t.pad, bold=True)
                small_y = rect.y + t.px(6) + (line_height(t.body) - line_height(t.small)) // 2
                ui.label(stamp, (rect.right - t.pad - stamp_w, small_y), t.small, th.MUTED)
                where = self.where.get(row.id, "")
                ui.line(where, (tx, rect.y + t.px(6) + line_height(t.body)), t.small, th.MUTED, width)
            y += entry_h + t.px(10)

    def on_button(self, name: str) -> None:
        app = self.app
        if name == "new":
            app.show("choose")
        elif name == "review":
            app.show("review")
        elif name.startswith("resume:"):
            self.resume(name.split(":", 1)[1])
        elif name == "script":
            app.set_traditional(not app.settings.traditional)
        elif name == "fullscreen":
            app.toggle_fullscreen()
        elif name == "sound":
            app.toggle_sound()
        elif name == "quit":
            app.running = False

    def resume(self, session_id: str) -> None:
        try:
            session = Session.resume(self.app.store, session_id, self.app.clock)
            session.mark_resumed()
        except StoreError as exc:
            self.error = f"无法继续会话 {session_id}：{exc}"
            return
        self.app.show("play", session=session)
