"""The JSON report: one document, schema ``qingjing-report`` v3, described in docs/report-json.md."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.review.cohort import CohortMetrics, PlayerRow
from engine.review.gains import CohortLearning
from engine.review.learning import ItemLearning, PlayerLearning, SessionLearning
from engine.review.records import RoleMetrics, SessionMetrics
from engine.review.selection import Review

FORMAT = "qingjing-report"
# 2: times are game time (a pause is left out of every figure)
# 3: the honor wall ranks by 得分率 (own points over the roles' opportunity), not by 积分
VERSION = 3


def iso(ts: float) -> str:
    """Seconds since the epoch -> local ISO 8601 with offset, to the second."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def sec(x: float) -> float:
    return round(x, 3)


def share(x: float | None) -> float | None:
    """A rate or gain to three places; None stays None (nobody answered: not zero)."""
    return None if x is None else round(x, 3)


def _role(rm: RoleMetrics) -> dict[str, Any]:
    return {
        "role": rm.role,
        "name": rm.name,
        "player": rm.player,
        "working": sec(rm.total("working")),
        "locked": sec(rm.total("locked")),
        "waiting": sec(rm.total("waiting")),
        "paused": sec(rm.paused),
        "tasks_done": rm.tasks_done,
        "traps": rm.traps,
        "points": dict(rm.points),
        "opportunity": rm.opportunity,
        "segments": [
            {"kind": s.kind, "start": sec(s.start), "end": sec(s.end), "task": s.task} for s in rm.segments
        ],
    }


def session_dict(m: SessionMetrics) -> dict[str, Any]:
    return {
        "id": m.session_id,
        "scenario": {"id": m.scenario_id, "title": m.scenario_title, "hash": m.scenario_hash},
        "team": m.team,
        "status": m.status,
        "ending": {"id": m.ending, "title": m.ending_title, "bonus": m.ending_bonus} if m.ending else None,
        "score": m.score,
        "score_parts": dict(m.score_parts),
        "started_at": iso(m.started_at),
        "ended_at": iso(m.ended_at),
        "duration": sec(m.duration),
        "events": m.events,
        "roles": [_role(rm) for rm in m.roles.values()],
        "player_points": m.player_points(),
        "tasks": [
            {
                "task": t.task,
                "title": t.title,
                "role": t.role,
                "player": t.player,
                "opened": sec(t.opened),
                "completed": None if t.completed is None else sec(t.completed),
                "duration": None if t.duration is None else sec(t.duration),
                "outcome": t.outcome,
                "points": t.points,
                "cause": t.cause,
            }
            for t in m.tasks
        ],
        "waits": [
            {
                "role": w.role,
                "task": w.task,
                "start": sec(w.start),
                "end": sec(w.end),
                "duration": sec(w.duration),
                "blockers": list(w.blockers),
                "missing": list(w.missing),
                "released_by": w.released_by,
            }
            for w in m.waits
        ],
        "traps": [
            {
                "trap": t.trap,
                "title": t.title,
                "role": t.role,
                "player": t.player,
                "task": t.task,
                "node": t.node,
                "at": sec(t.at),
                "penalty": t.penalty,
                "lockout_seconds": sec(t.lockout_seconds),
                "explanation": t.explanation,
                "source": t.source,
            }
            for t in m.traps
        ],
        "traps_exposed": list(m.traps_exposed),
        "interventions": [
            {"kind": i.kind, "at": sec(i.at), "role": i.role, "detail": i.detail, "duration": sec(i.duration)}
            for i in m.interventions
        ],
        "critical_path": [
            {"task": c.task, "title": c.title, "role": c.role, "start": sec(c.start), "end": sec(c.end)}
            for c in m.critical_path
        ],
        "held_up": [{"role": r or None, "seconds": sec(v)} for r, v in m.held_up.items()],
        "learning": session_learning_dict(m.learning),
    }


def learning_player(p: PlayerLearning) -> dict[str, Any]:
    return {
        "player": p.player,
        "items": p.items,
        "pre_answered": p.pre_answered,
        "pre_correct": p.pre_correct,
        "post_answered": p.post_answered,
        "post_correct": p.post_correct,
        "gain": p.gain,
    }


def learning_item(i: ItemLearning) -> dict[str, Any]:
    return {
        "scenario": i.scenario_id,
        "item": i.item,
        "question": i.question,
        "trap": i.trap,
        "trap_title": i.trap_title,
        "pre_answered": i.pre_answered,
        "pre_rate": share(i.pre_rate),
        "post_answered": i.post_answered,
        "post_rate": share(i.post_rate),
        "gain": share(i.gain),
        "trap_exposed": i.trap_exposed,
        "trap_sprung": i.trap_sprung,
        "trap_rate": share(i.trap_rate),
        "focus": i.focus,
    }


def session_learning_dict(learning: SessionLearning | None) -> dict[str, Any] | None:
    if learning is None:
        return None
    return {
        "status": learning.status,
        "note": learning.note,
        "quiz_items": learning.quiz_items,
        "pre": learning.phases["pre"],
        "post": learning.phases["post"],
        "players": [learning_player(p) for p in learning.players],
        "items": [learning_item(i) for i in learning.items],
    }


def cohort_learning_dict(c: CohortLearning) -> dict[str, Any]:
    return {
        "sessions": {
            "answered": c.sessions_answered,
            "skipped": c.sessions_skipped,
            "not_asked": c.sessions_not_asked,
            "no_quiz": c.sessions_no_quiz,
        },
        "pre_answered": c.pre_answered,
        "pre_rate": share(c.pre_rate),
        "post_answered": c.post_answered,
        "post_rate": share(c.post_rate),
        "gain": share(c.gain),
        "items": [learning_item(i) for i in c.items],
        "players": [{**learning_player(p), "sessions": p.sessions} for p in c.players],
    }


def cohort_dict(c: CohortMetrics) -> dict[str, Any]:
    return {
        "totals": {
            "sessions": c.sessions,
            "ended": c.ended,
            "statuses": dict(c.statuses),
            "total_score": c.total_score,
            "avg_score": sec(c.avg_score),
            "total_traps": c.total_traps,
            "total_duration": sec(c.total_duration),
            "avg_duration": sec(c.avg_duration),
        },
        "endings": [{"scenario": s, "ending": e, "title": t, "count": n} for s, e, t, n in c.endings],
        "leaderboard": [
            {
                "rank": i,
                "team": r.team,
                "sessions": r.sessions,
                "ended": r.ended,
                "best_score": r.best_score,
                "avg_score": sec(r.avg_score),
                "best_time": None if r.best_time is None else sec(r.best_time),
                "avg_time": sec(r.avg_time),
                "traps": r.traps,
            }
            for i, r in enumerate(c.leaderboard, start=1)
        ],
        "players": [_player(i, p) for i, p in enumerate(c.players, start=1)],
        "honor_wall": [_player(i, p) for i, p in enumerate(c.honor_wall, start=1)],
        "trap_rates": [
            {
                "scenario": t.scenario_id,
                "trap": t.trap,
                "title": t.title,
                "exposed": t.exposed,
                "sprung": t.sprung,
                "rate": sec(t.rate),
                "explanation": t.explanation,
            }
            for t in c.trap_rates
        ],
        "task_times": [
            {"task": t.key, "title": t.label, "count": t.count, "mean": sec(t.mean)} for t in c.task_times
        ],
        "role_times": [
            {
                "scenario": r.scenario_id,
                "role": r.role,
                "name": r.name,
                "sessions": r.sessions,
                "working": sec(r.working),
                "locked": sec(r.locked),
                "waiting": sec(r.waiting),
            }
            for r in c.role_times
        ],
        "trend": [
            {
                "date": p.date,
                "sessions": p.sessions,
                "avg_score": sec(p.avg_score),
                "avg_traps": sec(p.avg_traps),
                "avg_duration": sec(p.avg_duration),
            }
            for p in c.trend
        ],
        "learning": cohort_learning_dict(c.learning),
    }


def _player(rank: int, p: PlayerRow) -> dict[str, Any]:
    return {
        "rank": rank,
        "player": p.player,
        "points": p.points,
        "sessions": p.sessions,
        "teams": list(p.teams),
        "traps": p.traps,
        "tasks_done": p.tasks_done,
        "perfect": p.perfect,
        "badges": list(p.badges),
        "own_points": p.own_points,
        "opportunity": p.opportunity,
        "rate": share(p.rate),
    }


def report_dict(review: Review) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": iso(review.generated_at),
        "filters": review.filters.as_dict(),
        "sessions": [session_dict(m) for m in review.sessions],
        "cohort": cohort_dict(review.cohort),
    }


PRETTY_UP_TO = 50


def pretty_indent(review: Review) -> int | None:
    """Indented for reading up to ``PRETTY_UP_TO`` sessions; larger files are compact (and 5x faster)."""
    return 1 if len(review.sessions) <= PRETTY_UP_TO else None


def write_json(review: Review, out: Path) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(report_dict(review), ensure_ascii=False, indent=pretty_indent(review)) + "\n",
        encoding="utf-8",
    )
    return [out]
