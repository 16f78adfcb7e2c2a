"""Each role's colour and emblem (engine.present.identity): distinct, stable, shared by every screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.present.identity import PALETTE, emblems, looks

ROOT = Path(__file__).resolve().parent.parent


def test_emblems_are_first_characters_unless_two_roles_share_one() -> None:
    assert emblems(["李汉俊", "张国焘", "李达", "毛泽东"]) == ["汉", "张", "达", "毛"]
    assert emblems(["毛泽东", "张闻天", "周恩来", "博古"]) == ["毛", "张", "周", "博"]
    assert emblems(["甲", "甲"]) == ["甲", "甲"]  # nothing else to take: still one character each


@pytest.mark.parametrize("name", ["tutorial", "yida_1921", "zunyi_1935"])
def test_every_shipped_role_has_its_own_colour_and_emblem(name: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    got = looks(scenario)
    assert list(got) == list(scenario.roles)
    assert len({look.color for look in got.values()}) == len(got)
    assert len({look.emblem for look in got.values()}) == len(got)
    assert [look.color for look in got.values()] == [c for _, c in PALETTE[: len(got)]]


def test_the_palette_is_dark_enough_for_white_text() -> None:
    def luminance(hex_color: str) -> float:
        def lin(c: int) -> float:
            v = c / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)

    for _, color in PALETTE:
        contrast = 1.05 / (luminance(color) + 0.05)
        assert contrast >= 4.5, (color, contrast)  # WCAG AA for text
