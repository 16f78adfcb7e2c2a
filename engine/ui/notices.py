"""Pop-up notices for the play screen, derived from the events an action produced (no pygame).

A trap says what it cost and the real history; a team event is announced to everyone; a
facilitator's hint is shown to the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.format.scenario import Scenario
from engine.present.view import trap_consequences
from engine.rules.state import Event


@dataclass(frozen=True)
class Notice:
    kind: str  # "trap" | "event" | "hint"
    title: str
    body: str
    facts: list[str] = field(default_factory=list)  # consequences, shown bold
    source: str = ""


def notices(scenario: Scenario, events: list[Event]) -> list[Notice]:
    out: list[Notice] = []
    for e in events:
        if e.kind == "trap_sprung":
            trap = scenario.traps[e.data["trap"]].trap
            who = scenario.role_name(e.role or "")
            out.append(
                Notice(
                    "trap",
                    f"陷阱：{trap.title}",
                    trap.explanation.strip(),
                    [f"{who} 落入陷阱", *trap_consequences(scenario, e)],
                    trap.source or "",
                )
            )
        elif e.kind == "team_event":
            ev = scenario.events[e.data["event"]]
            out.append(Notice("event", ev.title, ev.text.strip()))
        elif e.kind == "hint_given":
            out.append(Notice("hint", f"主持人提示 · {scenario.role_name(e.role or '')}", e.data["text"]))
    return out
