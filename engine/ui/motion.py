"""Brief motion that never slows play: easing curves, a number that counts to its new value, a
pulse. Everything is a pure function of the frame's time (``Ui.now``), so nothing runs between
frames and a frame costs the same with or without motion; with ``Ui.motion`` off (screenshots,
reduced motion) every animation is drawn at its end."""

from __future__ import annotations

import math
from dataclasses import dataclass

POP_SECONDS = 0.22  # a pop-up rising into place
COUNT_SECONDS = 0.6  # a score counting to its new value
FLOAT_SECONDS = 1.6  # the "+10" that floats up beside it


def ease_out(k: float) -> float:
    """Cubic ease-out on 0..1: fast start, gentle landing."""
    k = max(0.0, min(1.0, k))
    return 1 - (1 - k) ** 3


def progress(start: float, now: float, seconds: float, motion: bool = True) -> float:
    """How far (0..1) an animation begun at ``start`` has run."""
    if not motion or seconds <= 0:
        return 1.0
    return max(0.0, min(1.0, (now - start) / seconds))


def pulse(now: float, hz: float = 1.2) -> float:
    """0..1..0, smoothly, ``hz`` times a second (a meter near its limit)."""
    return 0.5 - 0.5 * math.cos(2 * math.pi * hz * now)


@dataclass
class Counter:
    """A shown number that counts to a new value instead of jumping, and remembers the change."""

    shown_from: int = 0
    target: int = 0
    since: float = -1e9
    delta: int = 0

    def set(self, value: int, now: float) -> None:
        if value != self.target:
            self.shown_from = self.value(now)
            self.delta = value - self.target
            self.target = value
            self.since = now

    def value(self, now: float, motion: bool = True) -> int:
        k = ease_out(progress(self.since, now, COUNT_SECONDS, motion))
        return round(self.shown_from + (self.target - self.shown_from) * k)

    def floating(self, now: float, motion: bool = True) -> float:
        """0..1 while the last change's ``+10`` floats (1 = just changed); 0 once gone."""
        if not motion or not self.delta:
            return 0.0
        return 1.0 - progress(self.since, now, FLOAT_SECONDS)
