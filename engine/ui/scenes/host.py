"""Phones over the LAN, from the game (issue 8): the projector screen of a running host.

The set-up screen opens this scene; it hosts on the game's own database (:mod:`engine.ui.lanhost`)
and shows, while teams join, a QR code, the team code and the join URL per team
(:mod:`engine.ui.joincards`). Once teams play, the screen becomes the room's board
(:mod:`engine.ui.projector`): teams ranked live in large type, finished teams folded into one
line, teams still joining in a column beside. The moments the room should share come up over it:
a team's trap with its history, and a team's ending with its score breakdown and a celebration
(each for a while, or until Enter). Below, the organizer's dashboard address and secret.
"""

from __future__ import annotations

import threading
import time
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from engine.format.scenario import Scenario
from engine.present.board import ranked
from engine.present.notes import Note
from engine.ui import theme as th
from engine.ui.joincards import JoinCards, draw_footer
from engine.ui.lanhost import QUIET, Hosting
from engine.ui.motion import Counter
from engine.ui.popups import draw_stop_confirm
from engine.ui.projector import draw_ending, draw_finished, draw_legend, draw_row, draw_trap, row_need
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Target, Ui
from engine.web.runner import TeamLink

if TYPE_CHECKING:
    from engine.ui.app import App

__all__ = ["QUIET", "HostScene"]

REFRESH_SECONDS = 1.0  # how often the teams (who joined, each board) are fetched from the host
PAGE_SECONDS = 15.0  # with more teams than fit, pages turn by themselves this often
MOMENT_SECONDS = {"trap": 14.0, "ending": 16.0}  # a moment stays up this long (Enter: sooner)
NEXT_KEYS = (pygame.K_RIGHT, pygame.K_PAGEDOWN)
PREV_KEYS = (pygame.K_LEFT, pygame.K_PAGEUP)
DISMISS_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


@dataclass
class Moment:
    """Something the room should see: a team's trap, or its ending."""

    kind: str  # "trap" | "ending"
    team: str  # team id
    note: Note | None = None
    since: float = -1.0  # when it came up (Ui.now); -1 while it waits its turn


class HostScene(Scene):
    def __init__(self, app: App, scenario: Scenario, back: Scene | None = None, team_name: str = "") -> None:
        super().__init__(app)
        self.scenario = scenario
        self.back = back
        self.team_name = team_name
        self.hosting: Hosting | None = None
        self.page = 0
        self.show_secret = False
        self.confirm = False
        self.cards = JoinCards()
        self.moments: list[Moment] = []
        self.score = Counter()  # the ending on screen counts up to its score
        self._known: dict[str, tuple[set[int], bool]] = {}  # team -> (traps seen, ended)
        self._noticed = -1.0  # the host's report last looked at (Hosting.fetched_at)
        self._next_refresh = 0.0
        self._next_page = 0.0
        self._seen = 0
        self._show_last = False

    @property
    def qr_drawn(self) -> dict[str, tuple[pygame.Rect, int]]:
        return self.cards.qr_drawn

    # --- life ------------------------------------------------------------------------------

    def enter(self) -> None:
        if self.hosting is None:
            self.start()

    def start(self) -> None:
        s = self.app.settings
        self.hosting = Hosting(
            self.scenario.file,
            self.app.store.target,
            s.host_bind,
            s.host_port,
            s.host_public,
            self.team_name,
            self.app.clock,
        )
        self._next_refresh = time.monotonic() + REFRESH_SECONDS
        self._next_page = time.monotonic() + PAGE_SECONDS

    def leave(self) -> None:
        if self.hosting is not None and self.hosting.state != "stopped":
            self.hosting.stop_now()

    def go_back(self) -> None:
        if self.back is not None:
            self.app.go(self.back)
        else:
            self.app.title()

    def update(self, now: float) -> None:
        hosting = self.hosting
        if hosting is None:
            return
        hosting.poll()
        if hosting.state == "stopped":
            self.go_back()
            return
        if hosting.fetched_at != self._noticed:
            self.notice(hosting.links)
        mono = time.monotonic()
        if mono >= self._next_refresh:
            hosting.refresh()
            self._next_refresh = mono + REFRESH_SECONDS
        if self._seen and len(hosting.links) > self._seen:  # a team was added: show its page
            self._show_last = True
            self._next_page = mono + PAGE_SECONDS
        self._seen = len(hosting.links)
        if mono >= self._next_page:
            self.page += 1
            self._next_page = mono + PAGE_SECONDS
        moment = self.moments[0] if self.moments else None
        if (
            moment is not None
            and moment.since >= 0
            and self.app.ui.now - moment.since > MOMENT_SECONDS[moment.kind]
        ):
            self.moments.pop(0)

    def notice(self, links: list[TeamLink]) -> None:
        """New traps and endings since the last look become moments (a team first seen, e.g.
        after a restart, brings nothing old back)."""
        self._noticed = self.hosting.fetched_at if self.hosting else 0.0
        for link in links:
            board = link.board
            if board is None:
                continue
            seqs = {n.seq for n in board.traps}
            known = self._known.get(link.id)
            if known is not None:
                seen, ended = known
                for note in board.traps:
                    if note.seq not in seen:
                        self.moments.append(Moment("trap", link.id, note))
                if board.over and not ended:
                    self.moments.append(Moment("ending", link.id))
            self._known[link.id] = (seqs, board.over)

    # --- input -----------------------------------------------------------------------------

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_ESCAPE:
            if self.confirm:
                self.confirm = False
            elif self.moments:
                self.moments.pop(0)
            else:
                self.on_button("stop")
            return True
        if event.key in DISMISS_KEYS and self.moments and not self.confirm:
            self.moments.pop(0)
            return True
        return False

    def on_button(self, name: str) -> None:
        hosting = self.hosting
        if hosting is None:
            return
        if name == "stop":
            if hosting.state == "failed":
                hosting.stop()  # nothing listens; this only ends the worker
            elif hosting.joined and not self.confirm:
                self.confirm = True
            else:
                self.confirm = False
                hosting.stop()
        elif name == "cancel":
            self.confirm = False
        elif name == "add":
            hosting.new_team()
        elif name == "secret":
            self.show_secret = not self.show_secret
        elif name == "browser" and hosting.handle is not None:
            url = hosting.handle.dashboard_url
            # webbrowser may wait for a console browser; never in the frame loop
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        elif name == "retry" and hosting.state == "failed":
            hosting.stop_now()
            self.start()
        elif name in ("prev", "next"):
            self.page += 1 if name == "next" else -1
            self._next_page = time.monotonic() + PAGE_SECONDS
        elif name == "moment" and self.moments:
            self.moments.pop(0)
        elif name.startswith("ending:"):
            self.moments.insert(0, Moment("ending", name.split(":", 1)[1]))

    # --- drawing ---------------------------------------------------------------------------

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        hosting = self.hosting
        assert hosting is not None
        self.cards.begin()
        ui.interactive = not self.confirm and not self.moments
        margin = t.px(32)
        links = hosting.links
        playing = any(link.board is not None for link in links)
        title = f"手机联机 · {self.scenario.title}"
        buttons = self.draw_buttons(ui, hosting.state == "running")
        if playing:
            legend = draw_legend(ui, buttons - t.px(24), t.px(38))
            ui.line(title, (margin, t.px(16)), t.h1, th.RED, legend - margin - t.px(20), bold=True)
        else:
            ui.line(title, (margin, t.px(16)), t.h1, th.RED, buttons - margin - t.px(240), bold=True)
        footer_h = t.px(56) if playing else t.px(112)
        area = pygame.Rect(margin, t.px(76), w - 2 * margin, h - t.px(76) - footer_h - t.px(12))
        if hosting.state in ("starting", "stopping") and not links:
            text = "正在启动局域网主持……" if hosting.state == "starting" else "正在停止……"
            ui.label(text, (w // 2, area.centery - t.h1), t.h1, th.MUTED, center=True)
        elif hosting.state == "failed":
            ui.label(hosting.error, (area.x, area.y + t.px(40)), t.h2, th.RED, width=area.width)
            ui.button(
                "retry",
                pygame.Rect(area.x, area.y + t.px(200), t.px(200), t.px(52)),
                "重试",
                key_hint="R",
                keys=(pygame.K_r,),
            )
        elif playing:
            self.draw_board(ui, area, links, buttons)
        elif links:
            if self._show_last:
                self.page, self._show_last = len(links), False  # wraps to the last page below
                self.page = (len(links) - 1) // self.cards.per_page(ui, area, links)
            pages = self.cards.draw_page(ui, area, links, self.page)
            self.page %= pages
            self.draw_pager(ui, pages, buttons)
        if hosting.handle is not None and hosting.state != "failed":
            draw_footer(
                ui,
                pygame.Rect(margin, h - footer_h - t.px(8), w - 2 * margin, footer_h),
                hosting.handle,
                self.show_secret,
                playing,
            )
        if hosting.error and hosting.state != "failed":
            ui.label(hosting.error, (margin, h - footer_h - t.px(12) - line_height(t.small)), t.small, th.RED)
        ui.interactive = True
        if self.confirm:
            draw_stop_confirm(ui, hosting.joined)
        elif self.moments:
            self.draw_moment(ui, links)

    def draw_buttons(self, ui: Ui, running: bool) -> int:
        """Stop and add, at the top right; returns where they begin."""
        t = ui.theme
        w = ui.surface.get_width()
        margin = t.px(32)
        bh, by = t.px(48), t.px(14)
        stop_w = ui.button_width("停止并返回 Esc", t.body)
        ui.button("stop", pygame.Rect(w - margin - stop_w, by, stop_w, bh), "停止并返回 Esc", kind="quiet")
        left = w - margin - stop_w
        if running:
            add_w = ui.button_width("添加队伍", t.body, "A")
            left -= add_w + t.pad
            ui.button("add", pygame.Rect(left, by, add_w, bh), "添加队伍", key_hint="A", keys=(pygame.K_a,))
        return left

    def draw_pager(self, ui: Ui, pages: int, right: int) -> None:
        if pages <= 1:
            return
        t = ui.theme
        y, bw = t.px(18), t.px(44)
        right -= t.pad
        ui.button("next", pygame.Rect(right - bw, y, bw, t.px(42)), "→", kind="quiet", keys=NEXT_KEYS)
        label = f"第 {self.page + 1}/{pages} 页"
        label_w = ui.text.width(label, t.body)
        ui.label(label, (right - bw - t.px(10) - label_w, y + t.px(4)), t.body, th.MUTED)
        prev = right - bw - t.px(20) - label_w - bw
        ui.button("prev", pygame.Rect(prev, y, bw, t.px(42)), "←", kind="quiet", keys=PREV_KEYS)

    def draw_board(self, ui: Ui, area: pygame.Rect, links: list[TeamLink], buttons: int) -> None:
        """Teams playing, ranked; finished ones folded below; teams still joining beside."""
        t = ui.theme
        joining = [link for link in links if link.board is None]
        team_of = {id(link.board): link.id for link in links if link.board is not None}
        order = ranked(link.board for link in links if link.board is not None)
        board_area = area.copy()
        if joining:
            side = pygame.Rect(
                area.right - area.width * 30 // 100, area.y, area.width * 30 // 100, area.height
            )
            board_area.width -= side.width + t.px(20)
            self.cards.column(ui, side, joining)
        done = [(rank, b, team_of[id(b)]) for rank, b in order if b.over]
        live = [(rank, b) for rank, b in order if not b.over]
        strip_h = t.px(56) if done else 0
        rows_area = pygame.Rect(board_area.x, board_area.y, board_area.width, board_area.height - strip_h)
        gap = t.px(8)
        fits = max(1, (rows_area.height + gap) // (row_need(ui) + gap))
        pages = max(1, -(-len(live) // fits))
        self.page %= pages
        shown = live[self.page * fits : (self.page + 1) * fits]
        rh = min(t.px(130), (rows_area.height - gap * (len(shown) - 1)) // max(1, len(shown)))
        fetched = self.hosting.fetched_at if self.hosting else 0.0
        tick = time.monotonic() - fetched if fetched else 0.0  # clocks run on between fetches
        for k, (rank, board) in enumerate(shown):
            elapsed = board.elapsed + (tick if board.ticking else 0.0)
            row = pygame.Rect(rows_area.x, rows_area.y + k * (rh + gap), rows_area.width, rh)
            draw_row(ui, row, rank, board, elapsed)
        if not live:
            ui.label("各队都已结束：点已结束的队伍，看它的结局。", (rows_area.x, rows_area.y), t.h2, th.MUTED)
        self.draw_pager(ui, pages, buttons)
        if done:
            strip = pygame.Rect(
                board_area.x, board_area.bottom - strip_h + t.px(6), board_area.width, strip_h - t.px(6)
            )
            for team, rect in draw_finished(ui, strip, done):
                if ui.interactive:
                    ui.targets.append(Target(f"ending:{team}", rect.copy()))

    def draw_moment(self, ui: Ui, links: list[TeamLink]) -> None:
        moment = self.moments[0]
        link = next((x for x in links if x.id == moment.team and x.board is not None), None)
        if link is None or link.board is None:
            self.moments.pop(0)
            return
        if moment.since < 0:
            moment.since = ui.now
            self.app.sounds.play(moment.kind)
            if moment.kind == "ending":
                self.score = Counter()
                self.score.set(link.board.score, ui.now)
        boards = [x.board for x in links if x.board is not None]
        rank = next(r for r, b in ranked(boards) if b is link.board)
        if moment.kind == "trap" and moment.note is not None:
            left = 1 - (ui.now - moment.since) / MOMENT_SECONDS["trap"] if ui.motion else 1.0
            draw_trap(ui, link.name, moment.note, moment.since, max(0.0, left))
        else:
            draw_ending(ui, rank, link.board, moment.since, self.score.value(ui.now, ui.motion))
        w, h = ui.surface.get_size()
        ui.targets.append(Target("moment", pygame.Rect(0, 0, w, h)))
