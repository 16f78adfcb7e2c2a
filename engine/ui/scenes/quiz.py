"""The knowledge check on the shared screen: the players answer in turn, the others look away.

Before play (then on to the play screen) and after the ending (then the answers and the
results). Each player's turn begins with a hand-over card that names them and asks everyone
else to look away, so nobody sees another's questions or answers; then one question at a time,
options as buttons (click, or press 1-9), nothing graded until the check after the ending is
over. Esc is the facilitator's: skip the rest of the check (recorded in the log).

What it shows is :mod:`engine.present.quizview`; this module only draws it and forwards keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.present.inputs import Refused
from engine.present.quizview import (
    LOOK_AWAY,
    SKIP_LABEL,
    QuizProgress,
    answer,
    quiz_key,
    quiz_progress,
    quiz_scores,
    quiz_view,
)
from engine.rules.knowledge import open_phase
from engine.rules.step import Action, RuleViolation, SkipQuiz
from engine.session.live import Session
from engine.store.db import StoreError
from engine.ui import theme as th
from engine.ui.popups import dialog
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

if TYPE_CHECKING:
    from engine.ui.app import App

NUMBER_KEYS = {pygame.K_1 + i: i + 1 for i in range(9)} | {pygame.K_KP1 + i: i + 1 for i in range(9)}
GO_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


class QuizScene(Scene):
    def __init__(self, app: App, session: Session, fresh: bool = False) -> None:
        """``fresh``: the session just started (passed on to the play screen after the check)."""
        super().__init__(app)
        self.session = session
        self.fresh = fresh
        self.ready = ""  # the player who took the screen (a hand-over card shows until then)
        self.confirm = False  # the facilitator's "skip the check?" dialog
        self.message = ""
        self.key_text = ""  # after the check that follows the ending: the answers

    # --- state --------------------------------------------------------------------------

    @property
    def progress(self) -> QuizProgress | None:
        return quiz_progress(self.session.state)

    def update(self, now: float) -> None:
        state = self.session.state
        if state.quiz is not None or self.key_text:
            return
        if not state.over:  # the check before play is over: play
            self.app.show("play", session=self.session, fresh=self.fresh)
        elif any(s.pre is not None or s.post is not None for s in quiz_scores(self.session.scenario, state)):
            self.key_text = self._key()
        else:
            self.app.show("results", session=self.session)

    def _key(self) -> str:
        s, state = self.session.scenario, self.session.state
        lines = [score.line() for score in quiz_scores(s, state)]
        for n, item in enumerate(quiz_key(s, state), start=1):
            after = [p for p, (_, post) in item.right.items() if post]
            lines += [
                "",
                f"{n}. {item.question}",
                f"正确答案：{item.answer}",
                f"{item.explanation}（出处：{item.source}）",
            ]
            if after:
                lines.append(f"赛后答对：{'、'.join(after)}")
        return "\n".join(lines)

    def act(self, action: Action) -> None:
        try:
            self.session.act(action)
        except (RuleViolation, Refused) as exc:
            self.message = str(exc)
        except StoreError as exc:
            self.message = f"无法保存：{exc}"
        else:
            self.message = ""

    def choose(self, number: int) -> None:
        progress = self.progress
        player = progress.turn if progress else None
        view = quiz_view(self.session.scenario, self.session.state, player) if player else None
        if view is None or player != self.ready:
            return
        try:
            action = answer(view, number)
        except Refused as exc:
            self.message = str(exc)
            return
        self.act(action)
        after = self.progress
        if after is None or after.turn != player:
            self.ready = ""  # the next player takes the screen with a hand-over card

    # --- input --------------------------------------------------------------------------

    def on_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if self.key_text:
            if key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
                sign = 1 if key == pygame.K_PAGEDOWN else -1
                self.app.ui.scroll_by("quiz-key", sign * self.app.ui.theme.px(120))
                return True
            return False  # the button's keys
        if self.confirm:
            if key == pygame.K_ESCAPE:
                self.confirm = False
                return True
            return False
        if key == pygame.K_ESCAPE:
            self.confirm = True
            return True
        if self.ready and key in NUMBER_KEYS:
            self.choose(NUMBER_KEYS[key])
            return True
        return False

    def on_button(self, name: str) -> None:
        kind, _, arg = name.partition(":")
        if kind == "quiz-ready":
            self.ready = arg
        elif kind == "quiz-option":
            self.choose(int(arg))
        elif kind == "quiz-skip":
            self.confirm = True
        elif kind == "quiz-skip-yes":
            self.confirm = False
            phase = open_phase(self.session.state)
            if phase is not None:
                self.act(SkipQuiz(phase))
            self.ready = ""
        elif kind == "quiz-skip-no":
            self.confirm = False
        elif kind == "quiz-results":
            self.app.show("results", session=self.session)

    # --- drawing ------------------------------------------------------------------------

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        progress = self.progress
        band = pygame.Rect(0, 0, w, t.px(70))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, band.bottomleft, band.bottomright, t.px(3))
        title = progress.title if progress else "知识小测：答案与讲解"
        title_w = w * 2 // 3 if progress else w - 2 * t.pad
        ui.line(
            f"{title} · {self.session.scenario.title}", (t.pad, t.px(14)), t.h1, th.IVORY, title_w, bold=True
        )
        body = pygame.Rect(t.px(40), band.bottom + t.px(20), w - t.px(80), h - band.bottom - t.px(40))
        ui.interactive = not self.confirm
        if self.key_text:
            self.draw_key(ui, body)
        elif progress is not None:
            done = f"{progress.finished}/{len(progress.players)} 人已答完"
            ui.label(
                done,
                (w - t.pad - ui.text.width(done, t.body, bold=True), t.px(24)),
                t.body,
                th.GOLD_SOFT,
                bold=True,
            )
            ui.button(
                "quiz-skip",
                pygame.Rect(w - t.px(40) - t.px(260), h - t.px(74), t.px(260), t.px(50)),
                f"{SKIP_LABEL}（主持人 Esc）",
                kind="quiet",
                size=t.small,
            )
            player = progress.turn
            if player is not None and player == self.ready:
                self.draw_question(ui, body, player)
            elif player is not None:
                self.draw_handover(ui, body, progress, player)
        ui.interactive = True
        if self.confirm:
            self.draw_confirm(ui)

    def draw_handover(self, ui: Ui, body: pygame.Rect, progress: QuizProgress, player: str) -> None:
        """Whose turn it is, and everyone else looks away; nothing of the questions shows."""
        t = ui.theme
        y = body.y
        first = all(done == 0 for _, done, _ in progress.players)
        if first:
            y = ui.label(progress.intro, (body.x, y), t.h2, th.INK, width=body.width).bottom + t.px(24)
        else:
            finished = [p for p, done, total in progress.players if done >= total]
            if finished:
                line = f"{'、'.join(finished)} 已答完。请把屏幕交给下一位。"
                y = ui.label(line, (body.x, y), t.h2, th.GREEN, width=body.width, bold=True).bottom + t.px(24)
        card = pygame.Rect(body.x, y, body.width, t.px(230))
        ui.box(card, th.PAPER, th.RED, radius=t.px(14), width=t.px(4))
        ui.label(
            f"轮到 {player} 作答", (card.centerx, card.y + t.px(24)), t.huge, th.RED, bold=True, center=True
        )
        ui.label(
            f"{LOOK_AWAY}；答完后屏幕会请下一位接手。",
            (card.centerx, card.y + t.px(110)),
            t.h2,
            th.INK,
            center=True,
        )
        ui.button(
            f"quiz-ready:{player}",
            pygame.Rect(card.centerx - t.px(220), card.bottom - t.px(72), t.px(440), t.px(56)),
            f"我是 {player}，开始作答（回车）",
            kind="primary",
            size=t.h2,
            keys=GO_KEYS,
        )
        y = card.bottom + t.px(24)
        for name, done, total in progress.players:
            ui.label(f"{name}：{done}/{total}", (body.x, y), t.body, th.MUTED)
            y += line_height(t.body) + t.px(4)

    def draw_question(self, ui: Ui, body: pygame.Rect, player: str) -> None:
        t = ui.theme
        view = quiz_view(self.session.scenario, self.session.state, player)
        if view is None or view.question is None:
            return
        q = view.question
        ui.label(f"{player} 作答 · 第 {q.number}/{q.total} 题", (body.x, body.y), t.body, th.RED, bold=True)
        ui.label(f"（{LOOK_AWAY}）", (body.right - t.px(320), body.y), t.body, th.MUTED)
        y = ui.label(
            q.question, (body.x, body.y + t.px(40)), t.h1, th.INK, width=body.width, bold=True
        ).bottom
        y += t.px(24)
        width = min(body.width, t.px(900))
        for option in q.options:
            height = max(t.px(56), ui.button_height(option.text, width, t.h2) + t.px(8))
            ui.button(
                f"quiz-option:{option.number}",
                pygame.Rect(body.x, y, width, height),
                option.text,
                key_hint=str(option.number),
                size=t.h2,
            )
            y += height + t.px(12)
        if self.message:
            ui.label(self.message, (body.x, y + t.px(8)), t.body, th.RED, width=body.width)

    def draw_key(self, ui: Ui, body: pygame.Rect) -> None:
        t = ui.theme
        ui.label(
            "每人答对的题数，以及每道题的答案和讲解（滚轮或 PgUp/PgDn 滚动）",
            (body.x, body.y),
            t.body,
            th.MUTED,
        )
        lh = line_height(t.body)
        area = pygame.Rect(body.x, body.y + t.px(40), body.width, (body.height - t.px(120)) // lh * lh)
        ui.scroll_text("quiz-key", area, self.key_text, t.body)
        ui.button(
            "quiz-results",
            pygame.Rect(body.right - t.px(320), body.bottom - t.px(60), t.px(320), t.px(56)),
            "查看本局结果（回车）",
            kind="primary",
            size=t.h2,
            keys=GO_KEYS,
        )

    def draw_confirm(self, ui: Ui) -> None:
        t = ui.theme
        rect = dialog(ui, t.px(640), t.px(320), th.RED)
        x, bw = rect.x + t.px(30), rect.width - t.px(60)
        ui.label(f"{SKIP_LABEL}？", (x, rect.y + t.px(20)), t.h1, th.RED, bold=True)
        ui.label(
            "还没答的题不再问，日志里记下“主持人跳过”。已经答过的题照样计入学习报告。",
            (x, rect.y + t.px(84)),
            t.body,
            th.INK,
            width=bw,
        )
        ui.button(
            "quiz-skip-yes",
            pygame.Rect(x, rect.bottom - t.px(140), bw, t.px(50)),
            "确定跳过",
            key_hint="1",
            keys=(pygame.K_1, pygame.K_KP1),
            kind="primary",
        )
        ui.button(
            "quiz-skip-no",
            pygame.Rect(x, rect.bottom - t.px(80), bw, t.px(50)),
            "返回小测（Esc）",
            key_hint="2",
            keys=(pygame.K_2, pygame.K_KP2),
            kind="quiet",
        )
