"""Results: the ending, the score and where it came from, each role's summary, the traps with their
history, and the session's timeline. Everything shown is :func:`engine.present.results.results`:
the same figures and timeline as the in-game review and the HTML report.

An ending is celebrated as the presentation layer says (confetti for the best endings, a sprinkle
for the others) and greeted with the ending's sound; the score counts up to its total."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.present.identity import looks
from engine.present.results import results
from engine.session.live import Session
from engine.ui import theme as th
from engine.ui.celebrate import draw_confetti
from engine.ui.chart import draw_timeline
from engine.ui.motion import Counter
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

if TYPE_CHECKING:
    from engine.ui.app import App


class ResultsScene(Scene):
    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.results = r = results(session.scenario, session.events, session.id)
        self.looks = looks(session.scenario)
        self.timeline = r.timeline
        traps = []
        for note in r.traps:
            who = session.scenario.role_name(note.role or "")
            facts = "；".join(note.facts)
            traps.append(f"【{note.title}】（{who}{'：' + facts if facts else ''}）\n{note.body}")
        self.traps_text = "\n\n".join(traps) if traps else "本局没有落入任何陷阱。"
        self.since = 0.0
        self.score = Counter()

    def enter(self) -> None:
        self.since = self.app.ui.now
        self.score.set(self.results.score, self.since)
        if self.results.celebrate != "none":
            self.app.sounds.play("ending")

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        r = self.results
        w, h = ui.surface.get_size()
        band = pygame.Rect(0, 0, w, t.px(76))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, band.bottomleft, band.bottomright, t.px(3))
        score = f"总分 {self.score.value(ui.now, ui.motion)}"
        score_w = ui.text.width(f"总分 {r.score}", t.h1, True)
        with ui.within(band):
            y = (band.height - line_height(t.h1)) // 2
            ui.line(r.heading, (t.px(30), y), t.h1, th.IVORY, w - score_w - t.px(90), bold=True)
            ui.label(score, (w - t.px(30) - score_w, y), t.h1, th.GOLD_SOFT, bold=True)
        left = pygame.Rect(t.px(30), band.bottom + t.px(16), (w - t.px(90)) * 46 // 100, 0)
        left.height = h - left.y - t.px(16)
        self.draw_left(ui, left)
        right = pygame.Rect(left.right + t.px(30), left.y, w - left.right - t.px(60), h - left.y - t.px(92))
        chart_h = min(right.height // 2, t.px(64) + len(r.roles) * t.px(40))
        draw_timeline(ui, pygame.Rect(right.x, right.y, right.width, chart_h), self.timeline)
        ty = right.y + chart_h + t.px(12)
        ui.label("陷阱与历史讲解", (right.x, ty), t.body, th.MUTED, bold=True)
        ty += line_height(t.body)
        ui.scroll_text(
            "traps", pygame.Rect(right.x, ty, right.width, right.bottom - ty), self.traps_text, t.body
        )
        label = "返回标题（回车）"
        bw = ui.button_width(label, t.h2) + t.px(20)
        ui.button(
            "title",
            pygame.Rect(w - t.px(30) - bw, h - t.px(72), bw, t.px(56)),
            label,
            kind="primary",
            size=t.h2,
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE),
        )
        draw_confetti(ui, pygame.Rect(0, 0, w, h), r.celebrate, self.since)

    def draw_left(self, ui: Ui, left: pygame.Rect) -> None:
        """The score's parts, each role's summary, and the ending's text in the room left."""
        t = ui.theme
        r = self.results
        parts = "　".join(f"{label} {points}" for label, points in r.part_lines) or "无加减分"
        lh = line_height(t.body)
        role_h = len(r.roles) * (lh + t.px(4))
        below = lh * 2 + t.px(12) + lh + role_h  # breakdown, time, heading, roles
        text_room = left.height - below - t.px(16)
        text = ui.scroll_text("ending", pygame.Rect(left.x, left.y, left.width, text_room), r.text, t.body)
        y = min(text.bottom, left.y + len(ui.text.lines(r.text, t.body, left.width - t.px(12))) * lh)
        y += t.px(16)
        y = ui.label(f"得分：{parts}", (left.x, y), t.body, th.RED, width=left.width, bold=True).bottom
        ui.label(r.duration_line, (left.x, y), t.body, th.RED, bold=True)
        y += lh + t.px(12)
        ui.label("各角色", (left.x, y), t.body, th.MUTED, bold=True)
        y += lh
        name_w = left.width * 36 // 100
        cells = [(left.width - name_w) * k // 66 for k in (20, 18, 28)]  # 任务 4/4 · 陷阱 1 · 等待 02:30
        for role in r.roles:
            dot = pygame.Rect(left.x, y + (lh - t.px(14)) // 2, t.px(14), t.px(14))
            pygame.draw.rect(ui.surface, self.looks[role.role].rgb, dot, border_radius=dot.height // 2)
            ui.line(role.who, (dot.right + t.px(8), y), t.body, th.INK, name_w - t.px(30), bold=True)
            x = left.x + name_w
            for cell, cell_w in zip(role.cells(), cells, strict=True):
                ui.line(cell, (x, y), t.body, th.INK, cell_w - t.px(6))
                x += cell_w
            y += lh + t.px(4)

    def on_button(self, name: str) -> None:
        if name == "title":
            self.app.title()
