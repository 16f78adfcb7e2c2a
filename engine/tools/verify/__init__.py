"""Prove that a scenario cannot trap a team: explore every reachable team state with the real rules.

    verify(scenario, max_states=1_000_000, reduce=True, skips=False) -> VerifyReport

Facilitator skips (``skips=True``): every state where a role holds a task also gets the move
``Skip(role)`` (the facilitator finishes the task with outcome "skipped", no points), applied with
the same rules; partial-order reduction is then off (all counts are exact). A task's outcome is
part of the state key whenever some condition reads an outcome, so "skipped" is told apart from
the task's own outcomes exactly when that can matter. With skips a role stuck at a node with no
offered choice is no dead-lock (the facilitator can skip it): findings are the states nobody --
not even the facilitator -- can move on from, or that can no longer reach an ending.

The rooms:

=================  ==========================================================================
``findings``       what comes back: ``VerifyReport``, ``Finding``, ``Move``
``reduction``      which moves are private (static reads and writes, from the effect table)
``exploration``    every reachable state through the real rules; the state key (abstractions)
``analysis``       the state graph: what can still end, shortest/longest ways, longest waits
``descriptions``   findings in words (Chinese)
``verdict``        the front door: ``verify()``, findings collected and deduplicated
=================  ==========================================================================
"""

from engine.tools.verify.descriptions import describe_move, describe_stuck, describe_unmet, format_trace
from engine.tools.verify.findings import MAX_FINDINGS, Finding, Move, VerifyReport
from engine.tools.verify.verdict import verify

__all__ = [
    "MAX_FINDINGS",
    "Finding",
    "Move",
    "VerifyReport",
    "describe_move",
    "describe_stuck",
    "describe_unmet",
    "format_trace",
    "verify",
]
