"""What the host sends: the presentation layer's views, notes and results as JSON-ready dicts.

Nothing is decided here that a screen shows: words, labels, rounding and the notes come from
:mod:`engine.present`, and the pages render them as sent. The one thing a page computes is the
ticking of clocks between two updates (``ticking`` says whether they run; a paused session's
clocks stand still), with the same rules as :mod:`engine.present.labels` (clock rounded down,
countdown rounded up).

Privacy is decided here. ``role_payload`` (brief, task text, choices) goes only to the phones
holding that role. ``team_public`` is what everyone in the room may see anyway, because the
projector shows it: names, status lines, progress, score, clock, the team feed and, once the
session is over, its results and ending card; it never carries node text, goals or choices. It
also carries the traps with their history (:func:`engine.present.board.team_board`): the room
learns from them. Notes carry the role they are about; :func:`engine.present.notes.seen_by`
decides which phones get each (a trap reaches every phone of the team).
"""

from __future__ import annotations

from typing import Any

from engine.format.scenario import Scenario
from engine.present import labels
from engine.present import notes as present_notes
from engine.present.board import TeamBoard, team_board
from engine.present.identity import RoleLook, looks
from engine.present.notes import Note, seen_by
from engine.present.results import Results, results
from engine.present.view import Meter, RoleView, TeamView, role_view, team_view
from engine.rules.state import Event, State

NOTES_KEPT = 12


def _public_role(view: RoleView, look: RoleLook) -> dict[str, Any]:
    wait = view.wait
    return {
        "id": view.role,
        "name": view.name,
        "title": view.title,
        "player": view.player,
        "who": view.who,
        "color": look.color,
        "emblem": look.emblem,
        "status": view.status,
        "status_label": view.status_label,
        "situation": view.situation(),
        "short": view.short(),
        "task_title": view.task_title,
        "wait": {"sentence": wait.sentence(), "lines": wait.lines(), "seconds": round(wait.seconds, 1)}
        if wait
        else None,
        "locked": round(view.locked_seconds, 1),
        "locked_left": view.locked_left,
        "done": view.tasks_done,
        "total": view.tasks_total,
        "traps": view.traps,
    }


def role_payload(scenario: Scenario, view: RoleView) -> dict[str, Any]:
    """A role's private screen: the public line plus brief, task text and choices."""
    return {
        **_public_role(view, looks(scenario)[view.role]),
        "brief": scenario.roles[view.role].brief.strip(),
        "task": view.task,
        "goal": view.goal,
        "node": view.node,
        "text": view.text.strip(),
        "choices": [{"index": c.index, "number": c.number, "text": c.text} for c in view.choices],
    }


def lobby_roles(scenario: Scenario, taken: dict[str, str]) -> list[dict[str, Any]]:
    """The roles to pick from before the game, in their colours; ``taken``: role -> who picked it."""
    look = looks(scenario)
    return [
        {
            "id": r.id,
            "name": r.name,
            "title": r.title or "",
            "taken": taken.get(r.id, ""),
            "color": look[r.id].color,
            "emblem": look[r.id].emblem,
        }
        for r in scenario.roles.values()
    ]


def note_payload(note: Note) -> dict[str, Any]:
    return {
        "seq": note.seq,
        "kind": note.kind,
        "role": note.role,
        "kicker": note.kicker,
        "title": note.title,
        "body": note.body,
        "body_label": note.body_label,
        "facts": list(note.facts),
        "source": note.source,
    }


def notes(scenario: Scenario, events: list[Event], first_seq: int = 1) -> list[dict[str, Any]]:
    """The notes of ``events`` (one action's, or the whole log from ``first_seq`` 1)."""
    return [note_payload(n) for n in present_notes.notes(scenario, events, first_seq)]


def meter_payload(m: Meter) -> dict[str, Any]:
    return {
        "flag": m.flag,
        "label": m.label,
        "value": m.value,
        "limit": m.limit,
        "level": m.level,
        "text": m.text,
    }


def results_payload(r: Results) -> dict[str, Any]:
    return {
        "status": r.status,
        "heading": r.heading,
        "text": r.text,
        "score": r.score,
        "score_line": r.score_line,
        "parts": [{"label": label, "points": points} for label, points in r.part_lines],
        "celebrate": r.celebrate,
        "duration": round(r.duration, 1),
        "duration_line": r.duration_line,
        "roles": [{"id": x.role, "who": x.who, "cells": list(x.cells())} for x in r.roles],
        "traps": [note_payload(n) for n in r.traps],
    }


def _team(view: TeamView, look: dict[str, RoleLook]) -> dict[str, Any]:
    return {
        "status": view.status,
        "status_label": view.status_label,
        "paused": view.paused,
        "paused_title": labels.PAUSED_TITLE if view.paused else "",
        "paused_text": labels.PAUSED_TEXT if view.paused else "",
        "ticking": view.ticking,
        "score": view.score,
        "elapsed": round(view.elapsed, 1),
        "clock": view.clock,
        "done": view.done,
        "total": view.total,
        "extra_done": view.extra_done,
        "extra_total": view.extra_total,
        "counters": [{"label": label, "value": value} for label, value in view.counters],
        "meters": [meter_payload(m) for m in view.meters],
        "roles": [_public_role(v, look[v.role]) for v in view.roles],
        "recent": view.recent,
    }


def team_public(scenario: Scenario, state: State, events: list[Event], now: float) -> dict[str, Any]:
    team = team_view(scenario, state, now, events)
    outcome = results(scenario, events) if state.over else None
    board: TeamBoard = team_board(scenario, state, events, now, team, outcome)
    ending = scenario.endings[team.ending] if team.ending else None
    return {
        **_team(team, looks(scenario)),
        "rank_key": list(board.rank_key),
        "trap_notes": [note_payload(n) for n in board.traps],
        "ending": {"title": ending.title, "text": ending.text.strip()} if ending else None,
        "traps": [
            {
                "title": scenario.traps[t].trap.title,
                "role": scenario.role_name(scenario.tasks[scenario.traps[t].task].role),
            }
            for t in state.sprung
        ],
        "results": results_payload(outcome) if outcome is not None else None,
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
    team = public if public is not None else team_public(scenario, state, events, now)
    return {
        "team": team,
        "roles": [role_payload(scenario, role_view(scenario, state, r, now)) for r in mine],
        "notes": [n for n in team_notes if seen_by(n["kind"], n["role"], own)][-NOTES_KEPT:],
        "results": team["results"],
    }
