"""Brief motion (engine.ui.motion): a pop-up rises into place, a score counts to its new value,
and with motion off everything is drawn at its end."""

from __future__ import annotations

import pytest

from engine.ui.motion import COUNT_SECONDS, POP_SECONDS, Counter, ease_out, progress, pulse


def test_easing_lands_gently_and_stays_in_range() -> None:
    assert ease_out(0) == 0 and ease_out(1) == 1 and ease_out(2) == 1 and ease_out(-1) == 0
    assert ease_out(0.5) > 0.5  # fast start
    assert progress(10.0, 10.0 + POP_SECONDS / 2, POP_SECONDS) == pytest.approx(0.5)
    assert progress(10.0, 10.0, POP_SECONDS, motion=False) == 1.0
    assert 0.0 <= pulse(0.3) <= 1.0 and pulse(0.0) == pytest.approx(0.0)


def test_a_score_counts_to_its_new_value_and_shows_the_change() -> None:
    score = Counter(100, 100)
    score.set(90, now=5.0)
    assert score.value(5.0) == 100  # not jumped yet
    assert 90 < score.value(5.0 + COUNT_SECONDS / 3) < 100
    assert score.value(5.0 + COUNT_SECONDS) == 90
    assert score.delta == -10 and score.floating(5.1) > 0.9
    assert score.floating(60.0) == 0.0
    score.set(90, now=6.0)  # the same value again: nothing starts
    assert score.since == 5.0
    assert score.value(5.0, motion=False) == 90 and score.floating(5.0, motion=False) == 0.0
