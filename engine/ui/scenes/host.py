"""Phones over the LAN, from the game (issue 8): the projector view of a running host.

The set-up screen opens this scene; it starts :func:`engine.web.runner.start_host` on the
game's own database and shows, per team, a QR code to scan, the team code in big letters and
the short join URL; below, the organizer's dashboard address and secret. Every call into the
host (start, the team list, a new team, stop) may block, so it runs on one worker thread and
the frame loop only polls finished results. Leaving the scene stops the server.
"""

from __future__ import annotations

import math
import threading
import time
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from engine.format.scenario import Scenario
from engine.session.clock import Clock
from engine.ui import theme as th
from engine.ui.scene import Scene
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui
from engine.web.runner import HostHandle, TeamLink, start_host

if TYPE_CHECKING:
    from engine.ui.app import App


REFRESH_SECONDS = 2.0  # how often the team list (who joined) is fetched from the host
PAGE_SECONDS = 15.0  # with more teams than fit, pages turn by themselves this often
PORT_TRIES = 5  # the configured port, then the next few if it is taken
QUIET = 2  # white modules drawn around the QR matrix (which has 2 already): 4 in all
MIN_MODULE = 8  # pixels per QR module at 1280x720, so a phone reads it from a few metres
QR_DARK = (0, 0, 0)
QR_LIGHT = (255, 255, 255)
NEXT_KEYS = (pygame.K_RIGHT, pygame.K_PAGEDOWN)
PREV_KEYS = (pygame.K_LEFT, pygame.K_PAGEUP)
PHASES = {"play": "游戏进行中（进度见主持人大屏网页）", "over": "已结束"}


class Hosting:
    """The host behind the scene. Calls run in order on one worker thread; ``poll`` collects them.

    ``handle`` is set by the worker and only read elsewhere; ``links``/``state``/``error`` are
    changed only by ``poll`` (the frame loop's thread).
    """

    def __init__(
        self,
        scenario: str | Path,
        db: str | Path,
        bind: str,
        port: int,
        public_host: str | None,
        team_name: str,
        clock: Clock,
    ) -> None:
        self.scenario, self.db, self.bind, self.port = scenario, db, bind, port
        self.public_host, self.team_name, self.clock = public_host, team_name, clock
        self.handle: HostHandle | None = None
        self.links: list[TeamLink] = []
        self.state = "starting"  # starting, running, stopping, stopped, failed
        self.error = ""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qingjing-host-ui")
        self._jobs: list[tuple[str, Future[Any]]] = []
        self._submit("start", self._start)

    def _submit(self, kind: str, fn: Callable[[], Any]) -> None:
        self._jobs.append((kind, self._pool.submit(fn)))

    def busy(self, kind: str) -> bool:
        return any(k == kind for k, _ in self._jobs)

    # --- on the worker thread --------------------------------------------------------------

    def _start(self) -> list[TeamLink]:
        ports = [self.port] if self.port == 0 else list(range(self.port, self.port + PORT_TRIES))
        for n, port in enumerate(ports):
            try:
                handle = start_host(
                    self.scenario, self.db, port, self.bind, self.public_host, teams=0, clock=self.clock
                )
                break
            except OSError as exc:
                if not str(exc).startswith("无法在"):  # not a busy port: the store or the scenario
                    raise
                if n == len(ports) - 1:
                    span = f"{ports[0]}–{ports[-1]}" if len(ports) > 1 else str(ports[0])
                    raise OSError(
                        f"端口 {span} 都已被占用（也许另一个窗口或 play.py host 正在主持）。"
                        "请先停止它，再按“重试”。"
                    ) from None
        self.handle = handle
        links = handle.links()
        if not links:  # a restart on the same database resumes its open teams instead
            handle.new_team(self.team_name)
            links = handle.links()
        return links

    def _links(self) -> list[TeamLink]:
        assert self.handle is not None
        return self.handle.links()

    def _new_team(self) -> list[TeamLink]:
        assert self.handle is not None
        self.handle.new_team()
        return self.handle.links()

    def _stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()

    # --- from the frame loop ---------------------------------------------------------------

    def refresh(self) -> None:
        if self.state == "running" and not self.busy("links"):
            self._submit("links", self._links)

    def new_team(self) -> None:
        if self.state == "running":
            self.error = ""
            self._submit("new_team", self._new_team)

    def stop(self) -> None:
        """Stop in the background; ``state`` becomes "stopped" once the server has closed."""
        if self.state not in ("stopping", "stopped"):
            self.state = "stopping"
            self._submit("stop", self._stop)

    def stop_now(self) -> None:
        """Stop and wait (the window is closing)."""
        self.stop()
        self._pool.shutdown(wait=True)
        self.poll()

    def poll(self) -> None:
        while self._jobs and self._jobs[0][1].done():
            kind, future = self._jobs.pop(0)
            exc = future.exception()
            if kind == "stop":
                self.state = "stopped"
                self._pool.shutdown(wait=False)
            elif exc is not None:
                if kind == "start":
                    self.state = "failed"
                    self.error = f"无法开始主持：{exc}"
                elif self.state != "stopping":
                    self.error = str(exc)
            elif self.state != "stopping":
                self.links = future.result()
                if kind == "start":
                    self.state = "running"

    @property
    def joined(self) -> int:
        """Phones that joined, plus teams already playing (stopping would cut them off)."""
        return sum(len(link.players) + (link.phase == "play") for link in self.links)


def qr_surface(matrix: list[list[bool]], module: int) -> pygame.Surface:
    """The QR code with a 4-module white quiet zone, each module ``module`` pixels, crisp edges."""
    n = len(matrix) + 2 * QUIET
    small = pygame.Surface((n, n))
    small.fill(QR_LIGHT)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                small.set_at((c + QUIET, r + QUIET), QR_DARK)
    return pygame.transform.scale(small, (n * module, n * module))  # nearest neighbour


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
        self.qr_drawn: dict[str, tuple[pygame.Rect, int]] = {}  # code -> (matrix rect, module px)
        self._qr_cache: dict[tuple[str, int], pygame.Surface] = {}
        self._next_refresh = 0.0
        self._next_page = 0.0
        self._seen = 0
        self._show_last = False

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

    # --- input -----------------------------------------------------------------------------

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_ESCAPE:
            if self.confirm:
                self.confirm = False
            else:
                self.on_button("stop")
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

    # --- drawing ---------------------------------------------------------------------------

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        hosting = self.hosting
        assert hosting is not None
        self.qr_drawn = {}
        ui.interactive = not self.confirm
        margin = t.px(32)
        ui.label(f"手机联机 · {self.scenario.title}", (margin, t.px(16)), t.h1, th.RED, bold=True)
        bw, bh, by = t.px(190), t.px(46), t.px(14)
        ui.button("stop", pygame.Rect(w - margin - bw, by, bw, bh), "停止并返回 Esc", kind="quiet")
        running = hosting.state == "running"
        if running:
            ui.button(
                "add",
                pygame.Rect(w - margin - 2 * bw - t.pad, by, bw, bh),
                "添加队伍",
                key_hint="A",
                keys=(pygame.K_a,),
            )
        top, bottom = t.px(74), h - t.px(124)
        area = pygame.Rect(margin, top, w - 2 * margin, bottom - top)
        if hosting.state in ("starting", "stopping") and not hosting.links:
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
        else:
            self.draw_teams(ui, area, w - margin - 2 * bw - t.pad)
        if hosting.handle is not None and hosting.state != "failed":
            footer = pygame.Rect(margin, h - t.px(112), w - 2 * margin, t.px(100))
            self.draw_footer(ui, footer, hosting.handle)
        if hosting.error and hosting.state != "failed":
            ui.label(hosting.error, (margin, bottom - t.px(4) - line_height(t.small)), t.small, th.RED)
        ui.interactive = True
        if self.confirm:
            self.draw_confirm(ui, hosting.joined)

    def draw_teams(self, ui: Ui, area: pygame.Rect, nav_right: int) -> None:
        t = ui.theme
        links = self.hosting.links if self.hosting else []
        if not links:
            return
        modules = max(len(link.qr) for link in links) + 2 * QUIET
        gap = t.px(20)
        per_page = 1
        for k in range(len(links), 1, -1):
            if self._vertical_module(ui, (area.width - (k - 1) * gap) // k, area.height, modules) >= t.px(
                MIN_MODULE
            ):
                per_page = k
                break
        pages = math.ceil(len(links) / per_page)
        if self._show_last:
            self.page, self._show_last = pages - 1, False
        self.page %= pages
        shown = links[self.page * per_page : (self.page + 1) * per_page]
        card_w = (area.width - (per_page - 1) * gap) // per_page
        for i, link in enumerate(shown):
            rect = pygame.Rect(area.x + i * (card_w + gap), area.y, card_w, area.height)
            if per_page == 1:
                self.draw_wide_card(ui, rect, link, modules)
            else:
                self.draw_card(ui, rect, link, modules)
        if pages > 1:  # in the header, left of the buttons
            y, bw = t.px(18), t.px(40)
            right = nav_right - t.pad
            ui.button("next", pygame.Rect(right - bw, y, bw, t.px(38)), "→", kind="quiet", keys=NEXT_KEYS)
            label = f"第 {self.page + 1}/{pages} 页"
            ui.label(label, (right - bw - t.px(60), y + t.px(6)), t.body, th.MUTED, center=True)
            ui.button(
                "prev",
                pygame.Rect(right - 2 * bw - t.px(120), y, bw, t.px(38)),
                "←",
                kind="quiet",
                keys=PREV_KEYS,
            )

    def _vertical_text_height(self, ui: Ui) -> int:
        t = ui.theme
        return (
            2 * t.pad
            + line_height(t.h2)
            + line_height(t.small)
            + t.px(16)
            + line_height(t.huge)
            + line_height(t.body)
        )

    def _vertical_module(self, ui: Ui, width: int, height: int, modules: int) -> int:
        return min(
            (width - 2 * ui.theme.pad) // modules, (height - self._vertical_text_height(ui)) // modules
        )

    def _qr(self, ui: Ui, link: TeamLink, module: int, center: tuple[int, int]) -> pygame.Rect:
        key = (link.url, module)
        surf = self._qr_cache.get(key)
        if surf is None:
            if len(self._qr_cache) > 64:
                self._qr_cache.clear()
            surf = self._qr_cache[key] = qr_surface(link.qr, module)
        rect = surf.get_rect(center=center)
        ui.surface.blit(surf, rect)
        inner = rect.inflate(-2 * QUIET * module, -2 * QUIET * module)
        self.qr_drawn[link.code] = (inner, module)
        return rect

    def _status(self, link: TeamLink) -> tuple[str, th.Color]:
        if link.phase in PHASES:
            return PHASES[link.phase], th.GREEN
        if link.players:
            return f"已加入 {len(link.players)} 人：" + "、".join(link.players), th.GREEN
        return "等待队员扫码加入", th.MUTED

    def _url_size(self, ui: Ui, url: str, width: int, sizes: tuple[int, ...]) -> int:
        return next((s for s in sizes if ui.text.width(url, s) <= width), sizes[-1])

    def draw_card(self, ui: Ui, rect: pygame.Rect, link: TeamLink, modules: int) -> None:
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        inner_w = rect.width - 2 * t.pad
        x, y = rect.x + t.pad, rect.y + t.pad
        ui.line(link.name, (x, y), t.h2, th.INK, inner_w, bold=True)
        y += line_height(t.h2)
        status, color = self._status(link)
        ui.line(status, (x, y), t.small, color, inner_w)
        y += line_height(t.small) + t.px(8)
        module = self._vertical_module(ui, rect.width, rect.height, modules)
        qr = self._qr(ui, link, module, (rect.centerx, y + modules * module // 2))
        y = qr.bottom + t.px(8)
        ui.label(" ".join(link.code), (rect.centerx, y), t.huge, th.RED, bold=True, center=True)
        y += line_height(t.huge)
        size = self._url_size(ui, link.url, inner_w, (t.body, t.small))
        ui.label(link.url, (rect.centerx, y), size, th.INK, center=True)

    def draw_wide_card(self, ui: Ui, rect: pygame.Rect, link: TeamLink, modules: int) -> None:
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        module = (rect.height - 2 * t.pad) // modules
        side = modules * module
        qr = self._qr(ui, link, module, (rect.x + t.pad + side // 2, rect.centery))
        x = qr.right + t.px(40)
        width = rect.right - t.pad - x
        y = rect.y + t.px(24)
        ui.line(link.name, (x, y), t.h1, th.INK, width, bold=True)
        y += line_height(t.h1) + t.px(4)
        status, color = self._status(link)
        ui.label(status, (x, y), t.body, color, width=width)
        y += line_height(t.body) + t.px(28)
        ui.label("队伍码", (x, y), t.body, th.MUTED)
        y += line_height(t.body)
        big = t.px(96)
        ui.label(" ".join(link.code), (x, y), big, th.RED, bold=True)
        y += line_height(big) + t.px(20)
        ui.label("用手机相机扫左边的二维码；或在手机浏览器打开：", (x, y), t.body, th.MUTED, width=width)
        y += line_height(t.body) + t.px(4)
        size = self._url_size(ui, link.url, width, (t.h1, t.h2, t.body))
        ui.label(link.url, (x, y), size, th.INK, bold=True)

    def draw_footer(self, ui: Ui, rect: pygame.Rect, handle: HostHandle) -> None:
        t = ui.theme
        ui.box(rect, th.IVORY, th.LINE, radius=t.px(10))
        bw = t.px(230)
        buttons_x = rect.right - t.pad - bw
        width = buttons_x - rect.x - 2 * t.pad
        x, y = rect.x + t.pad, rect.y + t.px(8)
        secret = handle.secret if self.show_secret else "（按 S 显示）"
        ui.line(
            f"主持人：在电脑浏览器打开 {handle.base_url}/host ，输入口令 {secret}",
            (x, y),
            t.body,
            th.INK,
            width,
        )
        y += line_height(t.body)
        ui.line("即可开始游戏、实时查看各队进度、给提示（口令只告诉主持人）。", (x, y), t.body, th.INK, width)
        y += line_height(t.body)
        ui.line(
            "队员：手机连同一个 Wi-Fi（不需要外网），用相机扫本队二维码，填名字、选角色，等主持人开始。",
            (x, y),
            t.small,
            th.MUTED,
            width,
        )
        half = (rect.height - 3 * t.px(6)) // 2
        ui.button(
            "browser",
            pygame.Rect(buttons_x, rect.y + t.px(6), bw, half),
            "在本机打开大屏",
            key_hint="B",
            keys=(pygame.K_b,),
            size=t.small,
        )
        ui.button(
            "secret",
            pygame.Rect(buttons_x, rect.y + 2 * t.px(6) + half, bw, half),
            "隐藏口令" if self.show_secret else "显示口令",
            key_hint="S",
            keys=(pygame.K_s,),
            size=t.small,
            kind="quiet",
        )

    def draw_confirm(self, ui: Ui, joined: int) -> None:
        t = ui.theme
        ui.shade()
        w, h = ui.surface.get_size()
        rect = pygame.Rect(0, 0, min(t.px(640), w - 2 * t.pad), t.px(300))
        rect.center = (w // 2, h // 2)
        ui.box(rect, th.PAPER, th.RED, radius=t.px(14), width=t.px(5))
        x, y, inner = rect.x + t.px(30), rect.y + t.px(24), rect.width - t.px(60)
        ui.label("停止主持？", (x, y), t.h1, th.RED, bold=True)
        y += t.px(60)
        ui.label(
            f"已有 {joined} 名队员加入或正在游戏。停止后手机会断开；进度都已保存，"
            "下次从这里（或 play.py host）用同一个数据库再次主持，各队会回到原处。",
            (x, y),
            t.body,
            th.INK,
            width=inner,
        )
        bw = (inner - t.pad) // 2
        by = rect.bottom - t.px(76)
        ui.button(
            "stop",
            pygame.Rect(x, by, bw, t.px(52)),
            "停止并返回（回车）",
            kind="primary",
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_y),
        )
        ui.button(
            "cancel",
            pygame.Rect(x + bw + t.pad, by, bw, t.px(52)),
            "继续主持（Esc）",
            keys=(pygame.K_n,),
        )
