"""The order things are shown in: a session's options, and its knowledge check.

A session that shuffles records one seed (``session_started``'s ``shuffle``); every order is a
pure function of that seed and what is being ordered, so the live game, a resumed one, a
replay, the review and every front-end show the same order without storing it. Actions and
events keep the scenario's own indices (``choice_made.choice`` indexes ``node.choices`` as
written): only what a screen shows, and the number a player presses, follow the order.

The order hashes the seed with each index (SHA-256), not a seeded ``random``: the same seed
must give the same order on every Python version and platform a stored session is opened on.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.rules.step import visible_choices


@lru_cache(maxsize=16384)
def permutation(seed: int, key: str, n: int) -> tuple[int, ...]:
    """``range(n)`` in the order ``seed`` gives to the thing named ``key``."""

    def rank(i: int) -> bytes:
        return hashlib.sha256(f"{seed}\x1f{key}\x1f{i}".encode()).digest()

    return tuple(sorted(range(n), key=rank))


def choice_order(scenario: Scenario, state: State, task: str, node: str) -> tuple[int, ...]:
    """Every choice of the node (offered or not), as indices in the order shown."""
    n = len(scenario.node(task, node).choices)
    if state.shuffle is None or n < 2 or not scenario.node(task, node).shuffle:
        return tuple(range(n))
    return permutation(state.shuffle, f"choice\x1f{task}\x1f{node}", n)


def shown_choices(scenario: Scenario, state: State, task: str, node: str) -> list[int]:
    """The choices offered now, as indices in the order shown: the first is the player's 1."""
    offered = visible_choices(scenario, state, task, node)
    order = choice_order(scenario, state, task, node)
    if order[0] == 0 and order == tuple(range(len(order))):
        return offered
    wanted = set(offered)
    return [i for i in order if i in wanted]


def quiz_order(state: State, phase: str, player: str) -> list[str]:
    """The check's items in the order ``player`` is asked them in ``phase``."""
    items = list(state.quiz_items)
    if state.shuffle is None:
        return items
    order = permutation(state.shuffle, f"quiz\x1f{phase}\x1f{player}", len(items))
    return [items[i] for i in order]


def option_order(state: State, phase: str, player: str, item: str, n: int) -> tuple[int, ...]:
    """An item's options (indices as written) in the order ``player`` sees them in ``phase``."""
    if state.shuffle is None:
        return tuple(range(n))
    return permutation(state.shuffle, f"option\x1f{phase}\x1f{player}\x1f{item}", n)
