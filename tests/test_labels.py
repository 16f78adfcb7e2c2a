"""Labels and number formats (engine.present.labels): one rounding per kind of number."""

from __future__ import annotations

import pytest

from engine.format.model import FlagDef
from engine.present import labels


@pytest.mark.parametrize(
    ("seconds", "clock"),
    [(0, "00:00"), (59.99, "00:59"), (61, "01:01"), (3599.5, "59:59"), (3725, "1:02:05")],
)
def test_a_clock_rounds_down(seconds: float, clock: str) -> None:
    assert labels.format_duration(seconds) == clock


@pytest.mark.parametrize(("left", "shown"), [(0.0, 0), (0.001, 1), (14.2, 15), (15.0, 15), (-3.0, 0)])
def test_a_countdown_rounds_up(left: float, shown: int) -> None:
    assert labels.seconds_left(left) == shown


def test_score_parts_and_flag_changes() -> None:
    assert labels.score_parts({"choices": 15, "traps": -10, "start": 0}) == "选择 +15，陷阱 -10"
    assert labels.score_parts({}) == "无加减分"
    danger = FlagDef(id="alarm", type="int", initial=0, description="危险程度", display="危险")
    papers = FlagDef(id="papers", description="文件被留在了桌上")
    assert labels.flag_change(danger, "alarm", 2, 2) == "危险 升至 2（+2）"
    assert labels.flag_change(danger, "alarm", 0, -1) == "危险 降至 0（-1）"
    assert labels.flag_change(danger, "alarm", 3, None) == "危险：3"
    assert labels.flag_change(papers, "papers", True, None) == "文件被留在了桌上"
    assert labels.flag_change(papers, "papers", False, None) == "已解除：文件被留在了桌上"
    assert labels.flag_change(None, "mystery", True, None) == "mystery：是"


def test_a_count_with_a_limit_says_how_far_it_is() -> None:
    danger = FlagDef(id="alarm", type="int", initial=0, display="危险", limit=3)
    assert labels.flag_change(danger, "alarm", 2, 1) == "危险 升至 2/3（+1）"
    assert labels.flag_change(danger, "alarm", 3, None) == "危险：3/3"
    assert labels.flag_value(2, 3) == "2/3"
    assert labels.flag_value(True, 3) == "是"


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (310.0, 1, "310"),
        (312.5, 1, "312.5"),
        (312.46, 1, "312.5"),
        (2.0, 1, "2"),
        (0.25, 2, "0.25"),
        (7.5, 0, "8"),
        (6.5, 0, "7"),
        (-0.2, 0, "0"),
    ],
)
def test_an_average_has_no_trailing_zero(value: float, digits: int, shown: str) -> None:
    assert labels.mean(value, digits) == shown


def test_an_average_score_is_whole_points() -> None:
    assert labels.points_mean(310.0) == "310"
    assert labels.points_mean(224.6) == "225"
