"""Title screen: start a new session, continue an unfinished one, display settings."""

from __future__ import annotations

from datetime import datetime

import pygame

from engine.session.live import Session, resumable
from engine.store.db import SessionRow, StoreError
from engine.ui import theme as th
from engine.ui.scene import Scene
from engine.ui.widgets import Ui

MAX_RESUME = 5


class TitleScene(Scene):
    def enter(self) -> None:
        self.error = ""
        try:
            rows = self.app.store.sessions()
        except StoreError as exc:
            rows, self.error = [], str(exc)
        self.unfinished: list[SessionRow] = resumable(self.app.store, rows)[:MAX_RESUME]

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        band = pygame.Rect(0, 0, w, t.px(190))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, (0, band.bottom), (w, band.bottom), t.px(4))
        ui.label("情景", (w // 2, t.px(22)), t.px(80), th.IVORY, bold=True, center=True)
        ui.label("党史情景 · 团队角色扮演学习", (w // 2, t.px(132)), t.h2, th.GOLD_SOFT, center=True)
        col = min(w - 2 * t.pad, t.px(560))
        x = (w - col) // 2
        y = band.bottom + t.px(30)
        bh = t.px(54)
        ui.button(
            "new",
            pygame.Rect(x, y, col, bh),
            "开始新的会话（回车）",
            kind="primary",
            size=t.h2,
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_n),
        )
        y += bh + t.px(12)
        ui.button(
            "review",
            pygame.Rect(x, y, col, t.px(46)),
            "回顾：会话复盘、排行榜与光荣榜",
            key_hint="R",
            keys=(pygame.K_r,),
        )
        y += t.px(46) + t.px(22)
        if self.unfinished:
            ui.label("继续未完成的会话（进度已自动保存）", (x, y), t.body, th.MUTED)
            y += t.px(34)
            for n, row in enumerate(self.unfinished, start=1):
                when = datetime.fromtimestamp(row.started_at).strftime("%m-%d %H:%M")
                status = {"paused": "已暂停", "active": "进行中"}.get(row.status, "知识小测")
                text = f"{row.team} · {row.scenario_title} · {when} · {status}"
                ui.button(
                    f"resume:{row.id}",
                    pygame.Rect(x, y, col, t.px(44)),
                    text,
                    key_hint=str(n),
                    keys=(pygame.K_0 + n,),
                    size=t.body,
                )
                y += t.px(52)
        y = max(y + t.px(10), h - t.px(80))
        third = (col - 2 * t.pad) // 3
        script = "简体显示" if self.app.settings.traditional else "繁體顯示"
        ui.button("script", pygame.Rect(x, y, third, t.px(46)), script, kind="quiet", keys=(pygame.K_t,))
        ui.button("fullscreen", pygame.Rect(x + third + t.pad, y, third, t.px(46)), "全屏 F11", kind="quiet")
        ui.button(
            "quit",
            pygame.Rect(x + 2 * (third + t.pad), y, third, t.px(46)),
            "退出 Esc",
            kind="quiet",
            keys=(pygame.K_ESCAPE,),
        )
        if self.error:
            ui.label(self.error, (t.pad, h - t.px(30)), t.small, th.RED, width=w - 2 * t.pad)

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
