"""A celebration for an ending (:attr:`engine.present.results.Results.celebrate`): paper confetti in
the game's red, gold and ivory falling over the screen for a few seconds.

``big`` (an ending with a bonus) throws a full handful, ``small`` a light sprinkle of gold,
``none`` nothing. The pieces are a pure function of (seed, time), so a frame costs the same
whenever it is drawn; with motion off a still moment of the fall is shown instead.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

import pygame

from engine.ui import theme as th
from engine.ui.motion import progress
from engine.ui.widgets import Ui

SECONDS = 4.5
STILL = 0.12  # the moment shown with motion off: the first pieces, over the heading
COLORS = (th.RED, th.GOLD, th.RED_BRIGHT, th.AMBER, th.GOLD_SOFT, th.RED_DARK)
COUNTS = {"big": 90, "small": 28}


@dataclass(frozen=True)
class Piece:
    x: float  # 0..1 across
    delay: float  # 0..0.4 of the fall
    speed: float
    sway: float
    spin: float
    size: float
    color: th.Color


@lru_cache(maxsize=8)
def pieces(kind: str, seed: int) -> tuple[Piece, ...]:
    rng = random.Random(seed)
    colors = COLORS if kind == "big" else (th.GOLD, th.GOLD_SOFT, th.AMBER)
    return tuple(
        Piece(
            rng.random(),
            rng.random() * 0.4,
            0.8 + rng.random() * 0.6,
            rng.uniform(-1, 1),
            rng.uniform(2, 7),
            rng.uniform(0.6, 1.2),
            rng.choice(colors),
        )
        for _ in range(COUNTS.get(kind, 0))
    )


def draw_confetti(ui: Ui, area: pygame.Rect, kind: str, since: float, seed: int = 7) -> None:
    """Confetti over ``area`` for an ending shown since ``since`` (``ui.now`` seconds)."""
    if kind not in COUNTS:
        return
    k = progress(since, ui.now, SECONDS, ui.motion) if ui.motion else STILL
    if k >= 1.0:
        return
    t = ui.theme
    for p in pieces(kind, seed):
        fall = (k - p.delay) / (1 - p.delay) * p.speed
        if fall <= 0 or fall > 1.15:
            continue
        x = area.x + p.x * area.width + math.sin(fall * 6 + p.sway * 3) * t.px(24) * p.sway
        y = area.y - t.px(20) + fall * (area.height + t.px(40))
        w = max(2, round(t.px(10) * p.size * abs(math.cos(fall * p.spin))))
        h = max(2, round(t.px(14) * p.size))
        pygame.draw.rect(ui.surface, p.color, (round(x), round(y), w, h), border_radius=2)
