"""The room's view of each team (engine.present.board): ranked live, traps for everyone, and an
ending card with the score breakdown and how much to celebrate."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.board import ranked, team_board
from engine.present.notes import notes
from engine.rules.state import fold
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "yida_1921.yaml")


def test_a_finished_team_shows_its_ending_and_breakdown(yida: Scenario) -> None:
    game = play_bot_session(yida, "expert", 1)
    board = team_board(yida, game.state, game.events, game.state.now)
    assert board.over and board.ending is not None
    assert board.ending.heading == "结局：红船启航"
    assert board.ending.celebrate == "big"  # the ending carries a bonus
    assert dict(board.ending.part_lines)["结局"] == "+50"
    assert sum(int(points) for _, points in board.ending.part_lines) == board.score == board.ending.score
    assert [r.who for r in board.ending.roles] == [f"{c.name}（{c.player}）" for c in board.roles]


def test_endings_without_a_bonus_and_unfinished_games_are_celebrated_less(yida: Scenario) -> None:
    seen = {}
    for seed in range(12):
        game = play_bot_session(yida, "random", seed)
        board = team_board(yida, game.state, game.events, game.state.now)
        assert board.ending is not None
        seen[game.state.ending] = board.ending.celebrate
    assert seen.get("compromised") == "small" and seen.get("at_cost") == "small"


def test_a_playing_team_shows_its_traps_with_their_history(yida: Scenario) -> None:
    game = play_bot_session(yida, "random", 2)
    cut = next(i for i, e in enumerate(game.events) if e.kind == "trap_sprung") + 1
    events = game.events[:cut]
    board = team_board(yida, fold(events), events, events[-1].at)
    assert not board.over and board.ending is None
    (trap,) = board.traps
    assert trap == next(n for n in notes(yida, events) if n.kind == "trap")
    assert trap.body and trap.source
    chips = {c.role: c for c in board.roles}
    assert chips["lida"].emblem == "达" and chips["lihanjun"].emblem == "汉"


def test_teams_rank_by_score_then_progress_then_time(yida: Scenario) -> None:
    game = play_bot_session(yida, "expert", 1)
    base = team_board(yida, game.state, game.events, game.state.now)
    a = replace(base, team="甲", score=100, done=5, elapsed=300.0)
    b = replace(base, team="乙", score=120, done=3, elapsed=400.0)
    c = replace(base, team="丙", score=100, done=5, elapsed=300.0)
    d = replace(base, team="丁", score=100, done=6, elapsed=500.0)
    e = replace(base, team="戊", score=100, done=5, elapsed=250.0)
    assert [(rank, board.team) for rank, board in ranked([a, b, c, d, e])] == [
        (1, "乙"),
        (2, "丁"),
        (3, "戊"),
        (4, "甲"),
        (4, "丙"),
    ]
