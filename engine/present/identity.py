"""Each role's look: a colour and a one-character emblem, the same on the desktop, the phones and
the projector, so a player finds "their" colour everywhere.

    looks(scenario) -> {role id: RoleLook}

Colours go by the role's place in the scenario (the first role always wears the first colour);
they are dark enough for white text and told apart by hue and lightness, so they still differ for
most colour-blind players and on a washed-out projector. The emblem is the first character of the
role's name, or, when two roles share it (李汉俊 and 李达), each one's next character that no other
role uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.format.scenario import Scenario

# (name, hex): deep enough for white text on every projector we tried
PALETTE: tuple[tuple[str, str], ...] = (
    ("朱", "#b3261e"),
    ("靛", "#27418c"),
    ("松", "#1f6b4a"),
    ("赭", "#8a4b12"),
    ("紫", "#6a3d9a"),
    ("青", "#116a7b"),
    ("墨", "#3d3d3d"),
    ("茶", "#7a5c2e"),
)


@dataclass(frozen=True)
class RoleLook:
    color: str  # "#rrggbb"
    emblem: str  # one character

    @property
    def rgb(self) -> tuple[int, int, int]:
        return rgb(self.color)


def rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` as (r, g, b), for screens that draw with numbers."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def emblems(names: list[str]) -> list[str]:
    """One distinct character per name: its first, unless another name starts the same way."""
    firsts = [n[:1] for n in names]
    out: list[str] = []
    for name, first in zip(names, firsts, strict=True):
        if firsts.count(first) == 1 or len(name) < 2:
            out.append(first)
            continue
        taken = set(out) | {f for f in firsts if firsts.count(f) == 1}
        out.append(next((ch for ch in name[1:] if ch not in taken), first))
    return out


def looks(scenario: Scenario) -> dict[str, RoleLook]:
    roles = list(scenario.roles.values())
    marks = emblems([r.name for r in roles])
    return {
        r.id: RoleLook(PALETTE[i % len(PALETTE)][1], mark)
        for i, (r, mark) in enumerate(zip(roles, marks, strict=True))
    }
