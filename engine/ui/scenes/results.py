"""Results: the ending, the score breakdown, each role's summary, the traps with their history,
and a timeline of the session drawn in the game."""

from __future__ import annotations

import pygame

from engine.present.view import format_duration, role_view
from engine.review.metrics import PART_NAMES
from engine.session.live import Session
from engine.ui import theme as th
from engine.ui.app import App, Scene
from engine.ui.chart import draw_timeline
from engine.ui.timeline import build_timeline
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

STATUS_TEXT = {"stuck": "团队陷入僵局：没有角色能继续行动", "abandoned": "主持人提前结束了会话"}


class ResultsScene(Scene):
    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        s, st = session.scenario, session.state
        self.timeline = build_timeline(s, session.events)
        if st.ending:
            ending = s.endings[st.ending]
            self.heading, self.ending_text = f"结局：{ending.title}", ending.text.strip()
        else:
            self.heading = "会话结束"
            self.ending_text = STATUS_TEXT.get(st.status, "会话已结束。")
        parts = "，".join(f"{PART_NAMES.get(k, k)} {v:+d}" for k, v in st.score_parts.items() if v)
        self.score_line = (
            f"总分 {st.score}（{parts or '无加减分'}）\n用时 {format_duration(st.now - st.started_at)}"
        )
        self.roles = []
        for role_id in s.roles:
            rs = st.roles[role_id]
            view = role_view(s, st, role_id, st.now)
            self.roles.append(
                (
                    f"{view.name}（{view.player}）",
                    f"任务 {view.tasks_done}/{view.tasks_total}",
                    f"陷阱 {rs.traps}",
                    f"等待 {format_duration(rs.waited_total)}",
                )
            )
        traps = []
        for trap_id in st.sprung:
            trap = s.traps[trap_id].trap
            who = s.role_name(s.tasks[s.traps[trap_id].task].role)
            traps.append(f"【{trap.title}】（{who}）\n{trap.explanation.strip()}")
        self.traps_text = "\n\n".join(traps) if traps else "本局没有落入任何陷阱。"

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        band = pygame.Rect(0, 0, w, t.px(70))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, band.bottomleft, band.bottomright, t.px(3))
        ui.line(self.heading, (t.px(30), t.px(12)), t.h1, th.IVORY, w - t.px(60), bold=True)
        left = pygame.Rect(t.px(30), band.bottom + t.px(16), (w - t.px(90)) * 45 // 100, 0)
        left.height = h - left.y - t.px(90)
        y = left.y
        r = ui.label(self.ending_text, (left.x, y), t.h2, th.INK, width=left.width)
        y = r.bottom + t.px(16)
        ui.label(self.score_line, (left.x, y), t.body, th.RED, width=left.width, bold=True)
        y += line_height(t.body) * 2 + t.px(8)
        ui.label("各角色", (left.x, y), t.body, th.MUTED, bold=True)
        y += line_height(t.body)
        for name, done, traps, waited in self.roles:
            ui.line(name, (left.x, y), t.body, th.INK, left.width * 45 // 100, bold=True)
            col = left.x + left.width * 45 // 100
            for k, cell in enumerate((done, traps, waited)):
                ui.label(cell, (col + k * left.width * 18 // 100, y), t.body, th.INK)
            y += line_height(t.body) + t.px(4)
        right = pygame.Rect(left.right + t.px(30), left.y, w - left.right - t.px(60), left.height)
        chart_h = min(right.height // 2, t.px(60) + len(self.roles) * t.px(44))
        draw_timeline(
            ui, pygame.Rect(right.x, right.y, right.width, chart_h), self.session.scenario, self.timeline
        )
        ty = right.y + chart_h + t.px(14)
        ui.label("陷阱与历史讲解", (right.x, ty), t.body, th.MUTED, bold=True)
        ty += line_height(t.body) + t.px(4)
        ui.scroll_text(
            "traps", pygame.Rect(right.x, ty, right.width, right.bottom - ty), self.traps_text, t.body
        )
        ui.button(
            "title",
            pygame.Rect(w - t.px(300), h - t.px(76), t.px(270), t.px(56)),
            "返回标题（回车）",
            kind="primary",
            size=t.h2,
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE),
        )

    def on_button(self, name: str) -> None:
        if name == "title":
            self.app.title()
