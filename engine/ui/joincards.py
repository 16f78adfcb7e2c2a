"""Join cards for the projector: per team a QR code to scan, the team code in big letters and the
short join URL. As many cards as fit side by side with every QR module at least
:data:`MIN_MODULE` pixels (a phone reads it from a few metres); more teams turn pages. Beside the
ranked board, teams still joining get a narrow column of smaller cards.

``qr_drawn`` records where each code's matrix was drawn and at what module size (the tests read
the QR back from the screen's pixels).
"""

from __future__ import annotations

import math

import pygame

from engine.ui import theme as th
from engine.ui.lanhost import QUIET, qr_surface
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui
from engine.web.runner import HostHandle, TeamLink

MIN_MODULE = 8  # pixels per QR module at 1280x720, so a phone reads it from a few metres
PHASES = {"play": "游戏进行中", "over": "已结束"}


class JoinCards:
    def __init__(self) -> None:
        self.qr_drawn: dict[str, tuple[pygame.Rect, int]] = {}  # code -> (matrix rect, module px)
        self._cache: dict[tuple[str, int], pygame.Surface] = {}

    def begin(self) -> None:
        self.qr_drawn = {}

    def per_page(self, ui: Ui, area: pygame.Rect, links: list[TeamLink]) -> int:
        """How many cards fit side by side with large enough QR modules."""
        modules = self.modules(links)
        gap = ui.theme.px(20)
        for k in range(len(links), 1, -1):
            if self._vertical_module(
                ui, (area.width - (k - 1) * gap) // k, area.height, modules
            ) >= ui.theme.px(MIN_MODULE):
                return k
        return 1

    def modules(self, links: list[TeamLink]) -> int:
        return max(len(link.qr) for link in links) + 2 * QUIET

    def draw_page(self, ui: Ui, area: pygame.Rect, links: list[TeamLink], page: int) -> int:
        """Draw page ``page`` of the cards; returns the number of pages."""
        if not links:
            return 1
        per_page = self.per_page(ui, area, links)
        pages = math.ceil(len(links) / per_page)
        page %= pages
        shown = links[page * per_page : (page + 1) * per_page]
        modules = self.modules(links)
        gap = ui.theme.px(20)
        card_w = (area.width - (per_page - 1) * gap) // per_page
        for i, link in enumerate(shown):
            rect = pygame.Rect(area.x + i * (card_w + gap), area.y, card_w, area.height)
            if per_page == 1:
                self.wide_card(ui, rect, link, modules)
            else:
                self.card(ui, rect, link, modules)
        return pages

    def column(self, ui: Ui, area: pygame.Rect, links: list[TeamLink]) -> None:
        """Teams still joining, stacked in a narrow column beside the board (as many as fit)."""
        t = ui.theme
        ui.label("还在等队员加入", (area.x, area.y), t.body, th.MUTED, bold=True)
        y = area.y + line_height(t.body)
        modules = self.modules(links)
        gap = t.px(12)
        text_h = line_height(t.h2) + line_height(t.h1) + line_height(t.small) + t.px(16)
        each = max(
            text_h, min(area.width * 45 // 100 + t.px(16), (area.bottom - y) // max(1, len(links)) - gap)
        )
        for link in links:
            if y + text_h > area.bottom:
                break
            rect = pygame.Rect(area.x, y, area.width, each)
            self.small_card(ui, rect, link, modules)
            y = rect.bottom + gap

    # --- one card --------------------------------------------------------------------------

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

    def qr(self, ui: Ui, link: TeamLink, module: int, center: tuple[int, int]) -> pygame.Rect:
        key = (link.url, module)
        surf = self._cache.get(key)
        if surf is None:
            if len(self._cache) > 64:
                self._cache.clear()
            surf = self._cache[key] = qr_surface(link.qr, module)
        rect = surf.get_rect(center=center)
        ui.surface.blit(surf, rect)
        inner = rect.inflate(-2 * QUIET * module, -2 * QUIET * module)
        self.qr_drawn[link.code] = (inner, module)
        return rect

    @staticmethod
    def status(link: TeamLink) -> tuple[str, th.Color]:
        if link.phase in PHASES:
            return PHASES[link.phase], th.GREEN
        if link.players:
            return f"已加入 {len(link.players)} 人：" + "、".join(link.players), th.GREEN
        return "等待队员扫码加入", th.MUTED

    @staticmethod
    def url_size(ui: Ui, url: str, width: int, sizes: tuple[int, ...]) -> int:
        return next((s for s in sizes if ui.text.width(url, s) <= width), sizes[-1])

    def card(self, ui: Ui, rect: pygame.Rect, link: TeamLink, modules: int) -> None:
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        inner_w = rect.width - 2 * t.pad
        x, y = rect.x + t.pad, rect.y + t.pad
        with ui.within(rect):
            ui.line(link.name, (x, y), t.h2, th.INK, inner_w, bold=True)
            y += line_height(t.h2)
            status, color = self.status(link)
            ui.line(status, (x, y), t.small, color, inner_w)
            y += line_height(t.small) + t.px(8)
            module = self._vertical_module(ui, rect.width, rect.height, modules)
            qr = self.qr(ui, link, module, (rect.centerx, y + modules * module // 2))
            y = qr.bottom + t.px(8)
            ui.label(" ".join(link.code), (rect.centerx, y), t.huge, th.RED, bold=True, center=True)
            y += line_height(t.huge)
            size = self.url_size(ui, link.url, inner_w, (t.body, t.small))
            ui.line(
                link.url,
                (rect.centerx - min(inner_w, ui.text.width(link.url, size)) // 2, y),
                size,
                th.INK,
                inner_w,
            )

    def wide_card(self, ui: Ui, rect: pygame.Rect, link: TeamLink, modules: int) -> None:
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        module = (rect.height - 2 * t.pad) // modules
        side = modules * module
        qr = self.qr(ui, link, module, (rect.x + t.pad + side // 2, rect.centery))
        x = qr.right + t.px(40)
        width = rect.right - t.pad - x
        y = rect.y + t.px(24)
        with ui.within(rect):
            ui.line(link.name, (x, y), t.h1, th.INK, width, bold=True)
            y += line_height(t.h1) + t.px(4)
            status, color = self.status(link)
            ui.label(status, (x, y), t.body, color, width=width)
            y += line_height(t.body) + t.px(28)
            ui.label("队伍码", (x, y), t.body, th.MUTED)
            y += line_height(t.body)
            big = t.px(96)
            ui.label(" ".join(link.code), (x, y), big, th.RED, bold=True)
            y += line_height(big) + t.px(20)
            ui.label("用手机相机扫左边的二维码；或在手机浏览器打开：", (x, y), t.body, th.MUTED, width=width)
            y += line_height(t.body) + t.px(4)
            size = self.url_size(ui, link.url, width, (t.h1, t.h2, t.body))
            ui.line(link.url, (x, y), size, th.INK, width, bold=True)

    def small_card(self, ui: Ui, rect: pygame.Rect, link: TeamLink, modules: int) -> None:
        """QR on the left, name, code and who joined on the right (beside the board)."""
        t = ui.theme
        ui.box(rect, th.PAPER, th.GOLD, radius=t.px(12))
        module = max(2, min(rect.height - 2 * t.px(8), rect.width * 45 // 100) // modules)
        text_h = line_height(t.h2) + line_height(t.h1) + line_height(t.small)
        side = modules * module
        qr = self.qr(ui, link, module, (rect.x + t.px(8) + side // 2, rect.centery))
        x = qr.right + t.px(12)
        width = rect.right - t.pad - x
        with ui.within(rect):
            y = rect.y + max(t.px(8), (rect.height - text_h) // 2)
            ui.line(link.name, (x, y), t.h2, th.INK, width, bold=True)
            y += line_height(t.h2)
            ui.line(link.code, (x, y), t.h1, th.RED, width, bold=True)
            y += line_height(t.h1)
            status, color = self.status(link)
            if y + line_height(t.small) <= rect.bottom - t.px(4):
                ui.line(status, (x, y), t.small, color, width)


def draw_footer(ui: Ui, rect: pygame.Rect, handle: HostHandle, show_secret: bool, compact: bool) -> None:
    """How to join and where the organizer's dashboard is (its secret only when asked for)."""
    t = ui.theme
    ui.box(rect, th.IVORY, th.LINE, radius=t.px(10))
    labels = ("在本机打开大屏", "隐藏口令" if show_secret else "显示口令")
    bw = max(ui.button_width(label, t.small, "B") for label in labels)
    secret = handle.secret if show_secret else "（按 S 显示）"
    x, y = rect.x + t.pad, rect.y + t.px(8)
    if compact:
        buttons_x = rect.right - t.pad - 2 * bw - t.pad
        width = buttons_x - x - t.pad
        text = f"主持人大屏网页 {handle.base_url}/host · 口令 {secret} · 开始、暂停、提示都在那里"
        ui.line(text, (x, rect.centery - line_height(t.small) // 2), t.small, th.INK, width)
        for k, (name, label, hint) in enumerate((("browser", labels[0], "B"), ("secret", labels[1], "S"))):
            button = pygame.Rect(buttons_x + k * (bw + t.pad), rect.y + t.px(6), bw, rect.height - t.px(12))
            ui.button(
                name,
                button,
                label,
                key_hint=hint,
                keys=(pygame.K_b if hint == "B" else pygame.K_s,),
                size=t.small,
                kind="quiet" if k else "normal",
            )
        return
    buttons_x = rect.right - t.pad - bw
    width = buttons_x - x - t.pad
    with ui.within(rect):
        ui.line(
            f"主持人：在电脑浏览器打开 {handle.base_url}/host ，输入口令 {secret}",
            (x, y),
            t.body,
            th.INK,
            width,
        )
        y += line_height(t.body)
        ui.line(
            "即可开始游戏、实时查看各队进度、给提示（口令只告诉主持人）。", (x, y), t.small, th.INK, width
        )
        y += line_height(t.small)
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
        labels[0],
        key_hint="B",
        keys=(pygame.K_b,),
        size=t.small,
    )
    ui.button(
        "secret",
        pygame.Rect(buttons_x, rect.y + 2 * t.px(6) + half, bw, half),
        labels[1],
        key_hint="S",
        keys=(pygame.K_s,),
        size=t.small,
        kind="quiet",
    )
