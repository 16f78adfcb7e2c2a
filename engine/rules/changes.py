"""The rules' change tracking: what each event changes that a condition or a role's plan reads.

Compiled once, at import, from the effect table (:data:`engine.format.effects.EVENT_WRITES`), so
the rules, the verifier and the checks cannot disagree about what an effect writes. A turn that
changed none of it (a plain move to the next node) leaves the team exactly as settled as it was;
one that did re-tests only what reads a changed input (see ``_Turn.settle``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.format.conditions import Input
from engine.format.effects import EVENT_WRITES, PLAN, EventKind, Write

# Tasks cancelled or activated: which task is next may change for anyone, so every idle role is
# re-planned (no condition reads these parts one by one).
PLAN_INPUT: Input = ("plan",)

Changes = Callable[[dict[str, Any]], tuple[Input, ...]]


def _compile(writes: tuple[Write, ...]) -> Changes:
    """A closure from an event's data to the inputs it changed; the common shapes get their own
    (the rules call one for most events they emit)."""
    parts = tuple(
        (PLAN_INPUT[0], None, w.when) if w.part in PLAN else (w.part, w.key, w.when) for w in writes
    )
    if len(parts) == 1:
        part, key, when = parts[0]
        if key is None and when is None:
            const = ((part,),)
            return lambda d: const
        if key is None and when is not None:
            only = ((part,),)
            return lambda d: only if d[when] else ()
        if key is not None and when is None:
            name = key
            return lambda d: ((part, d[name]),)

    keyed = [(p, k) for p, k, w in parts if k is not None and w is None]
    fixed = tuple((p,) for p, k, w in parts if k is None and w is None)
    rest = [(p, k, w) for p, k, w in parts if w is not None]
    if len(keyed) == 1 and len(rest) == 1 and rest[0][1] is None:
        # a task done or a trap sprung, and the score when points changed hands
        (part, name), (extra, _, flag) = keyed[0], rest[0]
        more = (*fixed, (extra,))
        return lambda d: ((part, d[name]), *more) if d[flag] else ((part, d[name]), *fixed)

    def changes(d: dict[str, Any]) -> tuple[Input, ...]:
        out = (*[(p, d[k]) for p, k in keyed], *fixed)
        for p, k, w in rest:
            if d[w]:
                out += ((p, d[k]) if k else (p,),)
        return out

    return changes


CHANGES: dict[EventKind, Changes] = {kind: _compile(w) for kind, w in EVENT_WRITES.items() if w}
