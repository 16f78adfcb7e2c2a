"""What the host sends: plain JSON-ready dicts built from the shared views (:mod:`engine.present.view`).

Privacy is decided here. ``role_payload`` (brief, task text, choices) goes only to the phones
holding that role. ``team_public`` is what everyone in the room may see anyway, because the
projector shows it: names, status lines, progress, score, clock and the team feed; it never
carries node text, goals or choices.
"""

from __future__ import annotations

from typing import Any

from engine.format.scenario import Scenario
from engine.present.view import RoleView, role_view, team_view, trap_consequences
from engine.rules.state import Event, State

NOTES_KEPT = 12


def _public_role(view: RoleView) -> dict[str, Any]:
    wait = view.wait
    return {
        "id": view.role,
        "name": view.name,
        "title": view.title,
        "player": view.player,
        "status": view.status,
        "task_title": view.task_title,
        "wait": {"sentence": wait.sentence(), "seconds": round(wait.seconds, 1)} if wait else None,
        "locked": round(view.locked_seconds, 1),
        "done": view.tasks_done,
        "total": view.tasks_total,
        "traps": view.traps,
    }


def role_payload(scenario: Scenario, view: RoleView) -> dict[str, Any]:
    """A role's private screen: the public line plus brief, task text and choices."""
    return {
        **_public_role(view),
        "brief": scenario.roles[view.role].brief.strip(),
        "task": view.task,
        "goal": view.goal,
        "node": view.node,
        "text": view.text.strip(),
        "choices": [{"index": c.index, "number": c.number, "text": c.text} for c in view.choices],
    }


def team_public(scenario: Scenario, state: State, events: list[Event], now: float) -> dict[str, Any]:
    team = team_view(scenario, state, now, events)
    ending = scenario.endings[team.ending] if team.ending else None
    return {
        "status": team.status,
        "score": team.score,
        "elapsed": round(team.elapsed, 1),
        "done": team.done,
        "total": team.total,
        "roles": [_public_role(v) for v in team.roles],
        "recent": team.recent,
        "ending": {"title": ending.title, "text": ending.text.strip()} if ending else None,
        "traps": [
            {
                "title": scenario.traps[t].trap.title,
                "role": scenario.role_name(scenario.tasks[scenario.traps[t].task].role),
            }
            for t in state.sprung
        ],
    }


def trap_lines(scenario: Scenario, event: Event) -> dict[str, Any]:
    """A ``trap_sprung`` event as a card: title, what it cost, the real history, its source."""
    trap = scenario.traps[event.data["trap"]].trap
    return {
        "title": trap.title,
        "text": trap.explanation.strip(),
        "source": trap.source or "",
        "bites": "；".join(trap_consequences(scenario, event)),
    }


def note_for(scenario: Scenario, event: Event, seq: int) -> dict[str, Any] | None:
    """A pop-up worth showing on a phone: who sees it is ``role`` (None = the whole team)."""
    d = event.data
    if event.kind == "trap_sprung":
        return {
            "seq": seq,
            "kind": "trap",
            "role": event.role,
            **trap_lines(scenario, event),
        }
    if event.kind == "team_event":
        ev = scenario.events[d["event"]]
        return {"seq": seq, "kind": "event", "role": None, "title": ev.title, "text": ev.text.strip()}
    if event.kind == "hint_given":
        return {"seq": seq, "kind": "hint", "role": event.role, "title": "主持人的提示", "text": d["text"]}
    if event.kind == "choice_made":
        feedback = scenario.choice(d["task"], d["node"], d["choice"]).feedback
        if feedback:
            return {"seq": seq, "kind": "feedback", "role": event.role, "title": "", "text": feedback.strip()}
    if event.kind == "task_cancelled":
        task = scenario.tasks[d["task"]]
        return {
            "seq": seq,
            "kind": "cancel",
            "role": task.role,
            "title": f"《{task.title}》被迫中断",
            "text": "",
        }
    if event.kind == "ending_reached":
        ending = scenario.endings[d["ending"]]
        return {
            "seq": seq,
            "kind": "ending",
            "role": None,
            "title": ending.title,
            "text": ending.text.strip(),
        }
    return None


def notes(scenario: Scenario, events: list[Event], first_seq: int = 1) -> list[dict[str, Any]]:
    return [n for i, e in enumerate(events) if (n := note_for(scenario, e, first_seq + i)) is not None]


def results(scenario: Scenario, state: State, events: list[Event]) -> dict[str, Any]:
    """The end screen: ending, score parts, every trap with its history, and per-role waits."""
    traps = []
    for e in events:
        if e.kind == "trap_sprung":
            traps.append(
                {
                    "who": scenario.role_name(e.role or ""),
                    **trap_lines(scenario, e),
                }
            )
    return {
        "status": state.status,
        "score": state.score,
        "parts": dict(state.score_parts),
        "traps": traps,
        "roles": [
            {
                "name": scenario.role_name(r),
                "player": state.players.get(r, ""),
                "done": rs.tasks_done,
                "traps": rs.traps,
                "waited": round(rs.waited_total),
            }
            for r, rs in state.roles.items()
        ],
    }


def phone_play(
    scenario: Scenario,
    state: State,
    events: list[Event],
    team_notes: list[dict[str, Any]],
    mine: list[str],
    now: float,
    public: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The part of a phone's view that exists once the session started."""
    own = set(mine)
    return {
        "team": public if public is not None else team_public(scenario, state, events, now),
        "roles": [role_payload(scenario, role_view(scenario, state, r, now)) for r in mine],
        "notes": [n for n in team_notes if n["role"] is None or n["role"] in own][-NOTES_KEPT:],
        "results": results(scenario, state, events) if state.over else None,
    }
