"""Palette and sizes: deep red and ivory, large type that reads on a projector.

Sizes are given for a 1280x720 window and scale with the window's height.
"""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]

IVORY: Color = (250, 244, 230)
PAPER: Color = (255, 251, 242)
INK: Color = (38, 26, 22)
MUTED: Color = (112, 94, 84)
RED: Color = (150, 24, 24)
RED_DARK: Color = (104, 14, 14)
RED_SOFT: Color = (238, 214, 204)
GOLD: Color = (196, 150, 40)
GOLD_SOFT: Color = (247, 232, 190)
LINE: Color = (214, 196, 176)
GREEN: Color = (46, 110, 64)
SLATE: Color = (84, 90, 112)
SLATE_SOFT: Color = (226, 228, 236)
SHADE: tuple[int, int, int, int] = (30, 10, 8, 150)
WHITE: Color = (255, 255, 255)


@dataclass(frozen=True)
class Theme:
    scale: float = 1.0

    @classmethod
    def for_size(cls, width: int, height: int) -> Theme:
        return cls(max(0.6, min(width / 1280, height / 720) ** 0.8))

    def px(self, value: float) -> int:
        return max(1, round(value * self.scale))

    @property
    def huge(self) -> int:
        return self.px(52)

    @property
    def h1(self) -> int:
        return self.px(32)

    @property
    def h2(self) -> int:
        return self.px(24)

    @property
    def body(self) -> int:
        return self.px(19)

    @property
    def small(self) -> int:
        return self.px(15)

    @property
    def pad(self) -> int:
        return self.px(14)
