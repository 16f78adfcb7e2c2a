"""Chinese text layout and the rendered-text cache.

Chinese wraps between any two characters, except that closing punctuation (，。：”）…) may not
begin a line and opening punctuation (“（《) may not end one. A closing mark that does not fit
takes the character before it down to the next line (推出, as typesetters do) rather than hanging
past the margin, so every line stays inside its box. Latin words and numbers stay whole.

Rendering is the expensive part of a frame, so :class:`TextCache` keeps every wrapped,
rendered block keyed by (text, size, colour, width, bold); a frame only blits.
"""

from __future__ import annotations

import re
from collections import OrderedDict

import pygame
import pygame.freetype

from engine.present.i18n import Script, localize
from engine.ui.fonts import Fonts

NO_START = set("，。、；：？！）」』》〉】〕…—·,.;:?!)]}%”’")
NO_END = set("（「『《〈【〔“‘([{")
Color = tuple[int, int, int]
_PUNCT = "，。、；：？！）」』》〉】〕“”（「『《〈【〔"
_FOLDED_SPACE = re.compile(f"(?<=[{_PUNCT}]) +| +(?=[{_PUNCT}])")


def tidy(text: str) -> str:
    """Drop spaces next to Chinese punctuation (YAML folding turns line breaks into spaces)."""
    return _FOLDED_SPACE.sub("", text)


def line_height(size: int) -> int:
    return int(size * 1.5)


def _tokens(text: str) -> list[str]:
    """Break units: single CJK characters and punctuation, whole Latin words/numbers, spaces."""
    out: list[str] = []
    word = ""
    for ch in text:
        if (ch.isascii() and ch.isalnum()) or ((word and ch in "-_'.") and ch.isascii()):
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def right_margin(size: int, bold: bool = False) -> int:
    """Transparent pixels a rendered block keeps right of its widest line (room for the
    emboldened outline, which is wider than the font's metrics say)."""
    return 2 + (size // 8 if bold else 0)


def wrap(font: pygame.freetype.Font, text: str, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (a line of punctuation alone may hang)."""
    lines: list[str] = []
    fallback = font.size / 2 if isinstance(font.size, (int, float)) else 8
    for para in text.replace("\r\n", "\n").split("\n"):
        tokens = _tokens(para)
        metrics = font.get_metrics(para) if para else []
        adv = [(m[4] if m is not None else fallback) for m in metrics]
        pos = 0
        line: list[str] = []
        used = 0.0
        for tok in tokens:
            w = sum(adv[pos : pos + len(tok)])
            pos += len(tok)
            if line and used + w > width:
                carry: list[str] = []
                if tok in NO_START:  # push out: the closing mark takes a character down with it
                    while len(line) > 1 and line[-1] in NO_START:
                        carry.insert(0, line.pop())
                    if len(line) > 1:
                        carry.insert(0, line.pop())
                    else:  # nothing but punctuation before it: let it hang
                        line.extend(carry)
                        line.append(tok)
                        used += w
                        continue
                while line and line[-1] in NO_END:  # an opening mark moves down with its text
                    carry.insert(0, line.pop())
                lines.append("".join(line).rstrip())
                line = [t for t in carry]
                used = sum(sum(m[4] if m else fallback for m in font.get_metrics(t)) for t in carry)
                if tok == " ":
                    continue
            if tok == " " and not line:
                continue
            line.append(tok)
            used += w
        lines.append("".join(line).rstrip())
    return lines


def _extent(font: pygame.freetype.Font, text: str) -> int:
    """Pixels from the pen start to the right edge of the ink (bearings included)."""
    rect = font.get_rect(text)
    return int(max(rect.x + rect.width, rect.width))


class TextCache:
    """Rendered text surfaces, least-recently-used first out."""

    def __init__(self, fonts: Fonts, script: Script = "zh-Hans", capacity: int = 800) -> None:
        self.fonts = fonts
        self.script = script
        self.capacity = capacity
        self._blocks: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()
        self._wraps: OrderedDict[tuple[object, ...], list[str]] = OrderedDict()
        self._widths: OrderedDict[tuple[object, ...], int] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self.sizes: set[int] = set()  # every size drawn since the last frame began (tests read it)

    def show(self, text: str) -> str:
        return localize(tidy(text), self.script)

    def lines(self, text: str, size: int, width: int, bold: bool = False) -> list[str]:
        key = (text, size, width, bold, self.script)
        got = self._wraps.get(key)
        if got is None:
            got = wrap(self.fonts.get(size, bold), self.show(text), max(1, width))
            self._wraps[key] = got
            if len(self._wraps) > self.capacity:
                self._wraps.popitem(last=False)
        return got

    def block(
        self, text: str, size: int, color: Color, width: int | None = None, bold: bool = False
    ) -> pygame.Surface:
        """``text`` rendered (wrapped to ``width`` if given) on a transparent surface."""
        self.sizes.add(size)
        key = (text, size, color, width, bold, self.script)
        surf = self._blocks.get(key)
        if surf is not None:
            self.hits += 1
            self._blocks.move_to_end(key)
            return surf
        self.misses += 1
        font = self.fonts.get(size, bold)
        lines = self.lines(text, size, width, bold) if width else [self.show(text)]
        lh = line_height(size)
        ascender = font.get_sized_ascender(0)
        extra = right_margin(size, bold)
        widths = [_extent(font, line) + extra if line else 0 for line in lines]
        surf = pygame.Surface((max([1, *widths]), max(1, lh * len(lines))), pygame.SRCALPHA)
        top = (lh - font.get_sized_height(0)) // 2
        for i, line in enumerate(lines):
            if line:
                font.render_to(surf, (0, i * lh + top + ascender), line, color)
        self._blocks[key] = surf
        if len(self._blocks) > self.capacity:
            self._blocks.popitem(last=False)
        return surf

    def width(self, text: str, size: int, bold: bool = False) -> int:
        """The ink's width of ``text`` on one line (measured once, then remembered: layouts ask
        for the same widths every frame)."""
        key = ("w", text, size, bold, self.script)
        got = self._widths.get(key)
        if got is None:
            got = _extent(self.fonts.get(size, bold), self.show(text)) + (size // 8 if bold else 0)
            self._remember(key, got)
        return got

    def advance(self, text: str, size: int, bold: bool = False) -> int:
        """Pixels the pen moves over ``text``: what :func:`wrap` counts (a closing mark's advance is
        a full character even where its ink is narrow)."""
        key = ("a", text, size, bold, self.script)
        got = self._widths.get(key)
        if got is None:
            shown = self.show(text)
            metrics = self.fonts.get(size, bold).get_metrics(shown) if shown else []
            got = int(sum(m[4] if m is not None else size / 2 for m in metrics)) + 1 if shown else 0
            self._remember(key, got)
        return got

    def _remember(self, key: tuple[object, ...], width: int) -> None:
        self._widths[key] = width
        if len(self._widths) > 4 * self.capacity:
            self._widths.popitem(last=False)

    def fit(self, text: str, size: int, width: int, bold: bool = False) -> str:
        """``text`` cut with an ellipsis so that it fits on one line of ``width`` pixels."""
        if self.width(text, size, bold) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid] + "…", size, bold) <= width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo] + "…"

    def clear(self) -> None:
        self._blocks.clear()
        self._wraps.clear()
        self._widths.clear()
