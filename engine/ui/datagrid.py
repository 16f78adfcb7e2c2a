"""Scrolling tables and pre-rendered pages for screens that show many figures (the review screens).

``draw_table`` draws a header and only the rows in view; rows can be click targets. ``Page`` lays
out headings, wrapped text, one-line table rows and bars once onto one surface; ``scroll_surface``
shows such a surface clipped to a rect, scrolled by the mouse wheel like ``Ui.scroll_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pygame

from engine.ui import theme as th
from engine.ui.theme import Color
from engine.ui.typeset import line_height
from engine.ui.widgets import Target, Ui


def scrollbar(ui: Ui, rect: pygame.Rect, offset: int, overflow: int, content_h: int) -> None:
    if not overflow:
        return
    t = ui.theme
    track = pygame.Rect(rect.right - t.px(6), rect.y, t.px(5), rect.height)
    pygame.draw.rect(ui.surface, th.LINE, track, border_radius=3)
    knob_h = max(t.px(20), rect.height * rect.height // max(1, content_h))
    knob_y = rect.y + (rect.height - knob_h) * offset // overflow
    pygame.draw.rect(ui.surface, th.RED, (track.x, knob_y, track.width, knob_h), border_radius=3)


def scroll_offset(ui: Ui, name: str, rect: pygame.Rect, content_h: int) -> tuple[int, int]:
    """Register ``rect`` as scroll area ``name``; the clamped offset and the overflow."""
    overflow = max(0, content_h - rect.height)
    offset = max(0, min(ui.scroll.get(name, 0), overflow))
    ui.scroll[name] = offset
    ui.scroll_areas[name] = (rect.copy(), overflow)
    return offset, overflow


def scroll_surface(ui: Ui, name: str, rect: pygame.Rect, surf: pygame.Surface) -> None:
    offset, overflow = scroll_offset(ui, name, rect, surf.get_height())
    ui.surface.blit(surf, rect.topleft, pygame.Rect(0, offset, rect.width, rect.height))
    if offset < overflow:  # more below: fade the last lines out
        fade_h = min(rect.height // 3, ui.theme.px(28))
        ui.surface.blit(_fade(rect.width, fade_h), (rect.x, rect.bottom - fade_h))
    scrollbar(ui, rect, offset, overflow, surf.get_height())


@lru_cache(maxsize=8)
def _fade(width: int, height: int) -> pygame.Surface:
    """Transparent at the top to opaque ivory at the bottom."""
    fade = pygame.Surface((width, height), pygame.SRCALPHA)
    for y in range(height):
        pygame.draw.line(fade, (*th.IVORY, 255 * (y + 1) // height), (0, y), (width, y))
    return fade


def columns(x: int, width: int, weights: Sequence[int]) -> list[tuple[int, int]]:
    """Split ``width`` from ``x`` by ``weights``: (left, width) of each column."""
    total = sum(weights)
    out, left = [], x
    for w in weights:
        cw = width * w // total
        out.append((left, cw))
        left += cw
    return out


def row_height(ui: Ui) -> int:
    return line_height(ui.theme.body) + ui.theme.px(12)


def draw_table(
    ui: Ui,
    name: str,
    rect: pygame.Rect,
    headers: Sequence[str],
    weights: Sequence[int],
    rows: Sequence[Sequence[str]],
    *,
    clickable: bool = False,
    selected: int | None = None,
    highlight: int = 0,
) -> None:
    """A table with a fixed header; the body scrolls. Clickable rows are targets ``name:i``.

    The first ``highlight`` rows are marked in gold (podium places)."""
    t = ui.theme
    size = t.body
    rh = row_height(ui)
    cols = columns(rect.x, rect.width - t.px(10), weights)
    head = pygame.Rect(rect.x, rect.y, rect.width, rh)
    pygame.draw.rect(ui.surface, th.GOLD_SOFT, head, border_radius=t.px(6))
    for text, (x, w) in zip(headers, cols, strict=False):
        ui.line(text, (x + t.pad, head.y + t.px(6)), size, th.MUTED, w - t.pad, bold=True)
    area = pygame.Rect(rect.x, head.bottom + t.px(4), rect.width, rect.bottom - head.bottom - t.px(4))
    offset, overflow = scroll_offset(ui, name, area, len(rows) * rh)
    first = offset // rh
    last = min(len(rows), (offset + area.height) // rh + 1)
    ui.surface.set_clip(area)
    for i in range(first, last):
        row = pygame.Rect(rect.x, area.y + i * rh - offset, rect.width - t.px(10), rh)
        hot = clickable and ui.interactive and row.collidepoint(ui.mouse) and area.collidepoint(ui.mouse)
        fill = th.GOLD_SOFT if hot else (th.PAPER if i % 2 == 0 else th.IVORY)
        pygame.draw.rect(ui.surface, fill, row)
        if i == selected:
            pygame.draw.rect(ui.surface, th.RED, row, t.px(3), border_radius=t.px(4))
        if i < highlight:
            pygame.draw.rect(ui.surface, th.GOLD, (row.x, row.y + t.px(4), t.px(5), row.height - t.px(8)))
        for k, (text, (x, w)) in enumerate(zip(rows[i], cols, strict=False)):
            color: Color = th.RED if (i < highlight and k < 2) else th.INK
            ui.line(text, (x + t.pad, row.y + t.px(6)), size, color, w - t.pad, bold=i < highlight and k < 2)
        if clickable and ui.interactive:
            visible = row.clip(area)
            if visible.height > rh // 3:
                ui.targets.append(Target(f"{name}:{i}", visible))
    ui.surface.set_clip(None)
    scrollbar(ui, area, offset, overflow, len(rows) * rh)


def scroll_to_row(ui: Ui, name: str, index: int) -> None:
    """Scroll table ``name`` (as drawn last frame) so that row ``index`` is in view."""
    area = ui.scroll_areas.get(name)
    if area is None:
        return
    rect, overflow = area
    rh = row_height(ui)
    offset = ui.scroll.get(name, 0)
    top, bottom = index * rh, (index + 1) * rh
    if top < offset:
        offset = top
    elif bottom > offset + rect.height:
        offset = bottom - rect.height
    ui.scroll[name] = max(0, min(overflow, offset))


class Page:
    """A tall surface built once: headings, wrapped paragraphs, one-line rows and bars."""

    def __init__(self, ui: Ui, width: int) -> None:
        self.ui = ui
        self.width = width
        self.y = 0
        self._blits: list[tuple[pygame.Surface, tuple[int, int]]] = []
        self._rects: list[tuple[Color, pygame.Rect]] = []

    def gap(self, px: float) -> None:
        self.y += self.ui.theme.px(px)

    def heading(self, text: str) -> None:
        if self.y:
            self.gap(14)
        t = self.ui.theme
        self.text(text, t.body, th.RED, bold=True)
        self._rects.append((th.LINE, pygame.Rect(0, self.y, self.width - t.px(12), 1)))
        self.gap(6)

    def text(self, text: str, size: int, color: Color = th.INK, bold: bool = False, indent: int = 0) -> None:
        width = self.width - indent - self.ui.theme.px(14)
        surf = self.ui.text.block(text, size, color, max(1, width), bold)
        self._blits.append((surf, (indent, self.y)))
        self.y += surf.get_height()

    def row(
        self,
        cells: Sequence[str],
        weights: Sequence[int],
        size: int,
        color: Color = th.INK,
        bold: bool = False,
    ) -> None:
        """One line of cells, each cut with an ellipsis to its column."""
        ui = self.ui
        for text, (x, w) in zip(cells, columns(0, self.width - ui.theme.px(14), weights), strict=False):
            fitted = ui.text.fit(text, size, max(1, w - ui.theme.px(8)), bold)
            self._blits.append((ui.text.block(fitted, size, color, None, bold), (x, self.y)))
        self.y += line_height(size)

    def bar(self, label: str, value: float, most: float, text: str, color: Color) -> None:
        """A labelled horizontal bar, ``value`` out of ``most``."""
        ui, t = self.ui, self.ui.theme
        label_w = self.width * 30 // 100
        self._blits.append(
            (ui.text.block(ui.text.fit(label, t.body, label_w - t.px(8)), t.body, th.INK), (0, self.y))
        )
        span = self.width - label_w - t.px(100)
        length = max(t.px(3), int(span * value / most)) if most > 0 else t.px(3)
        bar_h = t.px(16)
        top = self.y + (line_height(t.body) - bar_h) // 2
        self._rects.append((color, pygame.Rect(label_w, top, length, bar_h)))
        self._blits.append((ui.text.block(text, t.body, th.MUTED), (label_w + length + t.px(8), self.y)))
        self.y += line_height(t.body) + t.px(4)

    def render(self) -> pygame.Surface:
        surf = pygame.Surface((max(1, self.width), max(1, self.y + self.ui.theme.px(8))), pygame.SRCALPHA)
        for color, rect in self._rects:
            pygame.draw.rect(surf, color, rect)
        for block, pos in self._blits:
            surf.blit(block, pos)
        return surf
