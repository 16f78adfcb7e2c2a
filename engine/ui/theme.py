"""Palette and sizes: deep red and ivory, large type that reads on a projector from the back row.

Sizes are given for a 1280x720 window and scale with the window's size.

**The minimum type size** (:data:`MIN_TEXT_PX`, ``Theme.min_text``): nothing a player or organizer
must read is drawn smaller than 18 px at 1280x720. Projected 2 m wide, a pixel is about 1.6 mm,
so an 18 px character is close to 25 mm tall: what signage guidance asks for at 5 m (about 1:200).
``small`` is that minimum; every screen is tested for it at 1280x720 (``tests/test_ui_readable.py``).
Body text is 22 px, and choices never shrink below it.
"""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]

IVORY: Color = (250, 244, 230)
PAPER: Color = (255, 251, 242)
INK: Color = (38, 26, 22)
MUTED: Color = (96, 78, 68)  # secondary text: still 6:1 on ivory, so it survives a dim projector
RED: Color = (150, 24, 24)
RED_DARK: Color = (104, 14, 14)
RED_BRIGHT: Color = (214, 38, 30)
RED_SOFT: Color = (238, 214, 204)
GOLD: Color = (196, 150, 40)
GOLD_SOFT: Color = (247, 232, 190)
AMBER: Color = (222, 142, 20)
LINE: Color = (214, 196, 176)
GREEN: Color = (46, 110, 64)
SLATE: Color = (84, 90, 112)
SLATE_SOFT: Color = (226, 228, 236)
SHADE: tuple[int, int, int, int] = (30, 10, 8, 150)
WHITE: Color = (255, 255, 255)

MIN_TEXT_PX = 18  # at 1280x720; see the module's docstring

# a danger meter's colour by how close it is to its limit (engine.present.view.Meter.level)
METER_COLORS: dict[str, Color] = {"calm": LINE, "warn": AMBER, "danger": RED_BRIGHT, "over": RED_DARK}


def mix(a: Color, b: Color, k: float) -> Color:
    """``a`` moved towards ``b`` by ``k`` (0..1)."""
    k = max(0.0, min(1.0, k))
    return (round(a[0] + (b[0] - a[0]) * k), round(a[1] + (b[1] - a[1]) * k), round(a[2] + (b[2] - a[2]) * k))


@dataclass(frozen=True)
class Theme:
    scale: float = 1.0

    @classmethod
    def for_size(cls, width: int, height: int) -> Theme:
        return cls(max(0.6, min(width / 1280, height / 720) ** 0.8))

    def px(self, value: float) -> int:
        return max(1, round(value * self.scale))

    @property
    def min_text(self) -> int:
        """The smallest size any text may be drawn at (``small`` is exactly this)."""
        return self.px(MIN_TEXT_PX)

    @property
    def huge(self) -> int:
        return self.px(52)

    @property
    def h1(self) -> int:
        return self.px(34)

    @property
    def h2(self) -> int:
        return self.px(27)

    @property
    def body(self) -> int:
        return self.px(22)

    @property
    def small(self) -> int:
        return self.min_text

    @property
    def pad(self) -> int:
        return self.px(14)
