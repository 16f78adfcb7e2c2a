"""Results: the ending, the score breakdown, each role's summary, the traps with their history,
and the session's timeline. Everything shown is :func:`engine.present.results.results`: the same
figures and timeline as the in-game review and the HTML report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.present.results import results
from engine.session.live import Session
from engine.ui import theme as th
from engine.ui.chart import draw_timeline
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
        self.timeline = r.timeline
        self.heading, self.ending_text = r.heading, r.text
        self.score_line = f"{r.score_line}\n{r.duration_line}"
        self.roles = [(role.who, *role.cells()) for role in r.roles]
        traps = []
        for note in r.traps:
            who = session.scenario.role_name(note.role or "")
            facts = "；".join(note.facts)
            traps.append(f"【{note.title}】（{who}{'：' + facts if facts else ''}）\n{note.body}")
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
        draw_timeline(ui, pygame.Rect(right.x, right.y, right.width, chart_h), self.timeline)
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
