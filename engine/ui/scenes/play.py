"""The play screen: one panel per role (hot-seat), the team bar, pop-ups and the facilitator menu.

Keys: Tab / Shift+Tab or F1-F6 move the focus between panels; 1-9 pick a choice in the focused
panel; PgUp/PgDn scroll its text; Enter or Space closes a pop-up; Esc opens the facilitator
menu (pause, hint, skip a stuck task, end the session). Mouse: click choices, wheel scrolls.
While paused, a veil over the panels says so and Enter (or its button) continues.

What it shows comes from the presentation layer: the team view, the notes after each action
(feedback, traps with every consequence, team events, hints) and the input mapping; this module
only draws them (panels in :mod:`engine.ui.panels`, the bars in :mod:`engine.ui.teambar`),
forwards keys and clicks, and sounds the moments: a choice, a trap, a team event, a task done,
the last seconds of a lock-out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.present import labels
from engine.present.feed import recent_feed
from engine.present.identity import looks
from engine.present.inputs import FacilitatorOp, Refused, choose, facilitator
from engine.present.notes import Note, notes
from engine.present.view import TeamView, team_view
from engine.rules.state import Event
from engine.rules.step import Action, Choose, RuleViolation
from engine.session.live import Session
from engine.store.db import StoreError
from engine.ui import theme as th
from engine.ui.motion import Counter
from engine.ui.panels import Panel, draw_panel, split
from engine.ui.popups import draw_menu, draw_note, draw_paused
from engine.ui.scene import Scene
from engine.ui.teambar import draw_bar, draw_feed
from engine.ui.widgets import Ui

if TYPE_CHECKING:
    from engine.ui.app import App


FLASH_SECONDS = 4.0
TICK_SECONDS = 3  # the last seconds of a lock-out tick aloud
# one sound per action, the strongest moment first
SOUND_OF = (("trap", "trap"), ("event", "event"), ("task", "task"), ("choice", "choice"))
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
        self.looks = looks(session.scenario)
        self.focus = 0
        self.queue: list[Note] = notes(session.scenario, session.events) if fresh else []
        self.menu: str | None = None  # None | "main" | "hint" | "skip" | "end"
        self.flash = ""
        self.flash_until = 0.0
        self._feed: list[str] = []
        self._feed_len = -1
        self.team: TeamView = self.view_now(app.clock.now())
        self.score = Counter(self.team.score, self.team.score)
        self.shown: Note | None = None  # the pop-up on screen, and since when (it rises into place)
        self.shown_at = 0.0
        self._ticked: dict[str, int] = {}  # role -> the lock-out second last ticked
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
        self.score.set(self.team.score, self.app.ui.now)
        for view in self.team.roles:  # the last seconds of a lock-out, aloud
            left = view.locked_left if view.status == "locked" and not self.team.paused else 0
            if 0 < left <= TICK_SECONDS and self._ticked.get(view.role) != left:
                self.app.sounds.play("countdown")
            self._ticked[view.role] = left
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
        told = notes(self.session.scenario, events, first)
        self.queue.extend(told)
        for e in events:
            if e.kind == "node_entered" or (e.kind == "task_opened" and e.role):
                self.app.ui.scroll.pop(f"text:{e.role}", None)
        self.team = self.view_now(self.app.clock.now())
        self.sound(action, events, told)

    def sound(self, action: Action, events: list[Event], told: list[Note]) -> None:
        """One sound for the action: a trap, else a team event, else a task done, else the choice."""
        kinds = {n.kind for n in told}
        moments = {
            "trap": "trap" in kinds,
            "event": "event" in kinds,
            "task": any(e.kind == "task_completed" and e.data.get("outcome") != "skipped" for e in events),
            "choice": isinstance(action, Choose),
        }
        name = next((sound for moment, sound in SOUND_OF if moments[moment]), None)
        if name:
            self.app.sounds.play(name)

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

    def panels(self, ui: Ui, area: pygame.Rect) -> list[Panel]:
        """Each role's panel: a column of the grid shares its height by what its panels need."""
        t = ui.theme
        cols, _ = grid(len(self.roles))
        gap = t.px(8)
        pw = (area.width - (cols - 1) * gap) // cols
        out: list[Panel] = []
        views = self.team.roles
        for c in range(cols):
            column = [i for i in range(c, len(views), cols)]
            heights, style = split(ui, [views[i] for i in column], pw, area.height, gap)
            y = area.y
            for i, ph in zip(column, heights, strict=True):
                view = views[i]
                rect = pygame.Rect(area.x + c * (pw + gap), y, pw, ph)
                brief = self.session.scenario.roles[view.role].brief.strip()
                out.append(
                    Panel(
                        i, view, self.looks[view.role], rect, i == self.focus, style, self.team.paused, brief
                    )
                )
                y += ph + gap
        return out

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        blocked = bool(self.queue) or self.menu is not None
        ui.interactive = not blocked
        bar_h = t.px(52)
        feed_h = t.px(40)
        draw_bar(ui, pygame.Rect(0, 0, w, bar_h), self.team, self.score)
        gap = t.px(8)
        area = pygame.Rect(gap, bar_h + gap, w - 2 * gap, h - bar_h - feed_h - 2 * gap)
        for panel in self.panels(ui, area):
            draw_panel(ui, panel)
        draw_feed(ui, pygame.Rect(0, h - feed_h, w, feed_h), *self.feed_line())
        ui.interactive = True
        if self.queue:
            if self.shown is not self.queue[0]:
                self.shown, self.shown_at = self.queue[0], ui.now
            draw_note(ui, self.queue[0], len(self.queue) - 1, self.shown_at)
        elif self.menu is not None:
            draw_menu(ui, self.menu, self.team)
        elif self.team.paused:
            draw_paused(ui, area)

    def feed_line(self) -> tuple[str, th.Color]:
        if self.flash and self.app.clock.now() < self.flash_until:
            return self.flash, th.RED
        if self.team.paused:
            return f"{labels.PAUSED_TITLE} —— 回车或主持人菜单（Esc）里继续", th.RED
        return "　·　".join(self.team.recent[-3:][::-1]) or "游戏开始：各角色按自己的任务行动。", th.INK
