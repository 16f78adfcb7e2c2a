"""A simulated cohort for tests, benchmarks and demos: bot teams with named members, over weeks."""

from __future__ import annotations

from engine.format.scenario import Scenario
from engine.store.db import Store
from engine.tools.bots import POLICIES, play_bot_session

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
TEAMS = ["红星", "延安", "井冈", "南湖", "遵义", "西柏坡", "古田", "瑞金", "长征", "北斗", "星火", "燎原"]
START = 1_704_067_200.0  # 2024-01-01 00:00 UTC


def roster(team_index: int, size: int) -> list[str]:
    """Stable member names for a team (distinct across the 12 teams)."""
    return [
        SURNAMES[(team_index * 3 + k) % len(SURNAMES)] + GIVEN[(team_index * 7 + k * 5) % len(GIVEN)]
        for k in range(size)
    ]


def fill_store(store: Store, scenario: Scenario, sessions: int, seed: int = 0, days: int = 60) -> list[str]:
    """Play ``sessions`` bot sessions into ``store`` (teams rotate, policies mix); returns their ids."""
    ids = []
    size = len(scenario.roles)
    spacing = days * 86_400 / max(sessions, 1)
    for i in range(sessions):
        team = i % len(TEAMS)
        result = play_bot_session(
            scenario,
            POLICIES[(i // len(TEAMS) + team) % len(POLICIES)],
            seed=seed * 100_003 + i,
            store=store,
            team=f"{TEAMS[team]}队",
            start_time=START + 9 * 3600 + i * spacing,
            players=roster(team, size),
        )
        assert result.session_id is not None
        ids.append(result.session_id)
    return ids
