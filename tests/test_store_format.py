"""The step rows' JSON: the fast encoder writes exactly what the standard library would, and
every value a scenario can produce (Chinese text, any integer a flag can hold) reads back as it
was written."""

from __future__ import annotations

import json
from pathlib import Path

from engine.format.catalog import bundled_scenarios
from engine.format.loader import load_scenario
from engine.rules.state import Event
from engine.store.db import Store
from engine.store.steps import encode_events, events_of_steps
from engine.tools.bots import POLICIES, play_bot_session


def test_fast_encoding_equals_the_standard_library_on_whole_games() -> None:
    for path in bundled_scenarios():
        s = load_scenario(path)
        for seed in range(20):
            events = play_bot_session(s, POLICIES[seed % 3], seed=seed).events
            pairs = [(e.kind, e.data) for e in events]
            assert encode_events(events) == json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


def test_values_beyond_64_bits_round_trip_exactly(tmp_path: Path) -> None:
    big = 2**70 + 1
    events = [
        Event("flag_set", 5.0, {"flag": "x", "value": big}),
        Event("choice_made", 5.0, {"role": "甲", "text": "“引号”与\\反斜杠\n换行", "points": -(2**65)}, "甲"),
    ]
    payload = encode_events(events)
    back = events_of_steps("s", [(1, 2, 5.0, payload)])
    assert back == events
    assert type(back[0].data["value"]) is int


def test_a_stored_game_reads_back_identically(tmp_path: Path) -> None:
    s = load_scenario(bundled_scenarios()[0])
    store = Store(tmp_path / "x.db", synchronous="OFF")
    games = [play_bot_session(s, "random", seed=seed, store=store) for seed in range(5)]
    for game in games:
        assert game.session_id is not None
        assert store.events(game.session_id) == game.events
    store.close()
