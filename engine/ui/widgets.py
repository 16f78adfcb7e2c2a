"""Immediate-mode widgets: each frame a scene draws its buttons and they register as click targets.

The frame after, a click (mouse down and up on the same target) or a target's hot key reaches
the scene as ``on_button(name)``. Nothing is kept between frames but the targets and the
scroll offsets, so a layout can never get out of step with what is drawn.

Every text drawn is also noted in ``Ui.drawn`` with the box it belongs to (a button, a scroll
area, or the box a scene declared with ``with ui.within(rect):``), so tests can check on rendered
screens that no text leaves its box and none is smaller than the theme's minimum.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pygame

from engine.ui import theme as th
from engine.ui.theme import Color, Theme
from engine.ui.typeset import TextCache, line_height, right_margin


@dataclass
class Target:
    name: str
    rect: pygame.Rect
    keys: tuple[int, ...] = ()


@dataclass(frozen=True)
class Drawn:
    """One text as drawn this frame: its ink's rect and the box it must stay in (None: the window)."""

    text: str
    size: int
    rect: pygame.Rect
    box: pygame.Rect | None


@dataclass
class Ui:
    """What a scene draws with: the surface, the text cache, the theme and the click targets.

    ``now`` is the frame's time in seconds (a monotonic clock, for motion only, never for the
    game); ``motion`` False draws every animation at its end (screenshots, reduced motion)."""

    surface: pygame.Surface
    text: TextCache
    theme: Theme
    targets: list[Target] = field(default_factory=list)
    interactive: bool = True
    mouse: tuple[int, int] = (-1, -1)
    scroll: dict[str, int] = field(default_factory=dict)
    scroll_areas: dict[str, tuple[pygame.Rect, int]] = field(default_factory=dict)
    drawn: list[Drawn] = field(default_factory=list)
    boxes: list[pygame.Rect] = field(default_factory=list)
    now: float = 0.0
    motion: bool = True

    def begin(self, surface: pygame.Surface, now: float = 0.0) -> None:
        self.surface = surface
        self.targets = []
        self.scroll_areas = {}
        self.drawn = []
        self.boxes = []
        self.interactive = True
        self.now = now
        self.theme = Theme.for_size(*surface.get_size())
        self.text.sizes.clear()

    @contextmanager
    def within(self, rect: pygame.Rect) -> Iterator[None]:
        """Texts drawn inside belong to ``rect`` (for the checks in ``drawn``)."""
        self.boxes.append(rect.copy())
        try:
            yield
        finally:
            self.boxes.pop()

    def note(
        self, text: str, size: int, rect: pygame.Rect, bold: bool = False, box: pygame.Rect | None = None
    ) -> None:
        ink = rect.copy()
        ink.width = max(0, ink.width - right_margin(size, bold))
        self.drawn.append(Drawn(text, size, ink, box or (self.boxes[-1] if self.boxes else None)))

    def target_at(self, pos: tuple[int, int]) -> Target | None:
        for t in reversed(self.targets):
            if t.rect.collidepoint(pos):
                return t
        return None

    def target(self, name: str) -> Target | None:
        return next((t for t in self.targets if t.name == name), None)

    # --- drawing ----------------------------------------------------------------------------

    def label(
        self,
        text: str,
        pos: tuple[int, int],
        size: int,
        color: Color = th.INK,
        width: int | None = None,
        bold: bool = False,
        center: bool = False,
    ) -> pygame.Rect:
        """Draw text at ``pos`` (wrapped to ``width`` when given); returns the drawn rect."""
        surf = self.text.block(text, size, color, width, bold)
        rect = surf.get_rect(topleft=pos)
        if center:
            rect.centerx = pos[0]
        self.surface.blit(surf, rect)
        if text:
            self.note(text, size, rect, bold)
        return rect

    def line(
        self, text: str, pos: tuple[int, int], size: int, color: Color, width: int, bold: bool = False
    ) -> None:
        """One line cut with an ellipsis to fit ``width``."""
        self.label(self.text.fit(text, size, width, bold), pos, size, color, bold=bold)

    def box(
        self, rect: pygame.Rect, fill: Color, border: Color | None = None, radius: int = 10, width: int = 2
    ) -> None:
        pygame.draw.rect(self.surface, fill, rect, border_radius=radius)
        if border is not None:
            pygame.draw.rect(self.surface, border, rect, width, border_radius=radius)

    def button_height(self, text: str, width: int, size: int, key_hint: bool = True) -> int:
        """The height a button of ``width`` needs so that its label wraps inside it."""
        inner = width - 2 * self.theme.pad - (self.theme.px(34) if text and key_hint else 0)
        lines = len(self.text.lines(text, size, max(1, inner)))
        return lines * line_height(size) + self.theme.px(8)

    def button_width(self, text: str, size: int, key_hint: str = "") -> int:
        """The width a one-line button needs for ``text`` (and its key badge)."""
        text_w = max(self.text.width(text, size), self.text.advance(text, size))
        return text_w + 2 * self.theme.pad + (self.theme.px(34) if key_hint else 0) + 4

    def button(
        self,
        name: str,
        rect: pygame.Rect,
        text: str,
        *,
        key_hint: str = "",
        keys: tuple[int, ...] = (),
        size: int | None = None,
        kind: str = "normal",
        enabled: bool = True,
        focused: bool = False,
    ) -> None:
        """A button whose label wraps inside it (and is clipped to it: size the rect with
        ``button_height``/``button_width``); registered as a target when enabled."""
        t = self.theme
        size = size or t.body
        hot = enabled and self.interactive and rect.collidepoint(self.mouse)
        if not enabled:
            fill, fg, border = th.SLATE_SOFT, th.MUTED, th.LINE
        elif kind == "primary":
            fill, fg, border = (th.RED_DARK if hot else th.RED), th.IVORY, th.RED_DARK
        elif kind == "quiet":
            fill, fg, border = (th.GOLD_SOFT if hot else th.PAPER), th.INK, th.LINE
        else:
            fill, fg, border = (th.GOLD_SOFT if hot else th.IVORY), th.INK, (th.RED if focused else th.GOLD)
        self.box(rect, fill, border, radius=t.px(8), width=t.px(3) if focused else 2)
        x = rect.x + t.pad
        if key_hint:
            badge = pygame.Rect(
                x,
                rect.y + (min(rect.height, line_height(size) + t.px(8)) - t.px(26)) // 2,
                t.px(26),
                t.px(26),
            )
            badge_fill = (th.RED_DARK if kind == "primary" else th.RED) if enabled else th.MUTED
            pygame.draw.rect(self.surface, badge_fill, badge, border_radius=t.px(5))
            hint = self.text.block(key_hint, t.small, th.IVORY, None, True)
            self.surface.blit(hint, hint.get_rect(center=badge.center))
            x += t.px(34)
        width = rect.right - t.pad - x
        if text:
            surf = self.text.block(text, size, fg, max(1, width))
            if key_hint or surf.get_height() > line_height(size):
                at = surf.get_rect(topleft=(x, rect.y + t.px(4)))
            else:
                at = surf.get_rect(center=rect.center)
            clip = self.surface.get_clip()
            self.surface.set_clip(rect.clip(clip) if clip else rect)
            self.surface.blit(surf, at)
            self.surface.set_clip(clip)
            self.note(text, size, at, box=rect)
        if enabled and self.interactive:
            self.targets.append(Target(name, rect.copy(), keys))

    def scroll_text(
        self, name: str, rect: pygame.Rect, text: str, size: int, color: Color = th.INK
    ) -> pygame.Rect:
        """Wrapped text clipped to ``rect``; the mouse wheel (or PgUp/PgDn) scrolls it when long.

        Only whole lines show: the area is cut to whole lines and scrolls by lines, so no line is
        ever half cut (after a resize or going fullscreen either). Returns the rect drawn in."""
        lh = line_height(size)
        rect = pygame.Rect(rect.x, rect.y, rect.width, max(lh, rect.height // lh * lh))
        surf = self.text.block(text, size, color, rect.width - self.theme.px(12))
        overflow = -(-max(0, surf.get_height() - rect.height) // lh) * lh
        offset = min(round(self.scroll.get(name, 0) / lh) * lh, overflow)
        self.scroll[name] = offset
        self.scroll_areas[name] = (rect.copy(), overflow)
        self.surface.blit(surf, rect.topleft, pygame.Rect(0, offset, rect.width, rect.height))
        self.note(
            text,
            size,
            pygame.Rect(rect.x, rect.y, surf.get_width(), min(rect.height, surf.get_height())),
            box=rect,
        )
        if overflow:
            track = pygame.Rect(rect.right - self.theme.px(6), rect.y, self.theme.px(5), rect.height)
            pygame.draw.rect(self.surface, th.LINE, track, border_radius=3)
            knob_h = max(self.theme.px(20), rect.height * rect.height // surf.get_height())
            knob_y = rect.y + (rect.height - knob_h) * offset // overflow
            pygame.draw.rect(self.surface, th.RED, (track.x, knob_y, track.width, knob_h), border_radius=3)
        return rect

    def scroll_by(self, name: str, delta: int) -> None:
        area = self.scroll_areas.get(name)
        overflow = area[1] if area else 0
        self.scroll[name] = max(0, min(overflow, self.scroll.get(name, 0) + delta))

    def scroll_at(self, pos: tuple[int, int]) -> str | None:
        for name, (rect, overflow) in self.scroll_areas.items():
            if overflow and rect.collidepoint(pos):
                return name
        return None

    def progress(self, rect: pygame.Rect, done: int, total: int) -> None:
        self.box(rect, th.PAPER, th.LINE, radius=rect.height // 2)
        if total:
            filled = rect.copy()
            filled.width = max(rect.height, rect.width * done // total) if done else 0
            if filled.width:
                pygame.draw.rect(self.surface, th.GOLD, filled, border_radius=rect.height // 2)

    def shade(self, strength: float = 1.0) -> None:
        veil = pygame.Surface(self.surface.get_size(), pygame.SRCALPHA)
        veil.fill((*th.SHADE[:3], round(th.SHADE[3] * strength)))
        self.surface.blit(veil, (0, 0))


@dataclass
class TextField:
    """A one-line text input (typing goes through SDL text input, so Chinese IMEs work)."""

    name: str
    value: str = ""
    placeholder: str = ""
    limit: int = 16

    def type(self, text: str) -> None:
        self.value = (self.value + text)[: self.limit]

    def backspace(self) -> None:
        self.value = self.value[:-1]

    def draw(self, ui: Ui, rect: pygame.Rect, focused: bool) -> None:
        t = ui.theme
        ui.box(
            rect, th.PAPER, th.RED if focused else th.LINE, radius=t.px(6), width=t.px(3) if focused else 2
        )
        size = t.body
        shown = self.value or self.placeholder
        color = th.INK if self.value else th.MUTED
        y = rect.y + (rect.height - line_height(size)) // 2
        drawn = ui.label(ui.text.fit(shown, size, rect.width - 3 * t.pad), (rect.x + t.pad, y), size, color)
        if focused and (pygame.time.get_ticks() // 500) % 2 == 0:
            x = drawn.right + 2 if self.value else rect.x + t.pad
            pygame.draw.line(ui.surface, th.RED, (x, y + t.px(4)), (x, y + line_height(size) - t.px(4)), 2)
        if ui.interactive:
            ui.targets.append(Target(f"field:{self.name}", rect.copy()))


def draw_toast(ui: Ui, text: str) -> None:
    """A short word in a dark pill at the bottom centre, over everything."""
    t = ui.theme
    w, h = ui.surface.get_size()
    size = t.body
    rect = pygame.Rect(
        0, 0, min(w - 2 * t.pad, ui.text.width(text, size) + 4 * t.pad), line_height(size) + t.px(16)
    )
    rect.midbottom = (w // 2, h - t.px(64))
    ui.box(rect, th.INK, None, radius=rect.height // 2)
    ui.label(
        ui.text.fit(text, size, rect.width - 2 * t.pad),
        (rect.centerx, rect.y + t.px(8)),
        size,
        th.IVORY,
        center=True,
    )
