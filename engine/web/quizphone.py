"""The knowledge check over the LAN: each player answers on their own phone, the organizer
sees who is done and may skip it.

    phone_quiz(team, seat)   the ``quiz`` part of a phone's view (None: no check open)
    phone_key(team, seat)    after the check that follows the ending: the answers, and mine
    team_quiz(team)          the dashboard's line: who has answered how much
    answer(hub, team, seat, msg)   a ``quiz`` message -> the rules' Answer, stored first

A phone answers as its seat's player name, the name the session's roles were assigned to, so
nobody can answer for another; a phone that joined to watch has no questions. The words come
from :mod:`engine.present.quizview`, the option indices are the scenario's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.present.quizview import LOOK_AWAY, quiz_key, quiz_progress, quiz_scores, quiz_view
from engine.rules.state import quiz_players
from engine.rules.step import Answer
from engine.web import messages as m
from engine.web.roster import Pending, Seat, Team, error, remember

if TYPE_CHECKING:
    from engine.web.hub import Hub


def phone_quiz(team: Team, seat: Seat) -> dict[str, Any] | None:
    s = team.session
    if s is None:
        return None
    progress = quiz_progress(s.state)
    if progress is None:
        return None
    out: dict[str, Any] = {
        "phase": progress.phase,
        "title": progress.title,
        "intro": progress.intro,
        "line": progress.line(),
        "question": None,
        "answered": 0,
        "total": len(s.state.quiz_items),
        "waiting": "",
    }
    view = quiz_view(s.scenario, s.state, seat.name)
    if view is None:  # a phone that watches: no questions of its own
        out["waiting"] = f"队员们正在各自的手机上答题（{progress.line()}）……"
        return out
    out["answered"] = view.answered
    out["waiting"] = view.waiting_line() if view.done else ""
    q = view.question
    if q is not None:
        out["question"] = {
            "item": q.item,
            "number": q.number,
            "total": q.total,
            "question": q.question,
            "options": [{"index": o.index, "number": o.number, "text": o.text} for o in q.options],
        }
    return out


def phone_key(team: Team, seat: Seat) -> dict[str, Any] | None:
    """Once the check after the ending is over: the player's score and every answer."""
    s = team.session
    if s is None or not s.state.over or s.state.quiz is not None or not s.state.quiz_items:
        return None
    scores = quiz_scores(s.scenario, s.state)
    if not any(x.pre is not None or x.post is not None for x in scores):
        return None  # skipped before anyone answered
    mine = next((x.line() for x in scores if x.player == seat.name), "")
    return {
        "mine": mine,
        "scores": [x.line() for x in scores],
        "items": [
            {
                "question": k.question,
                "answer": k.answer,
                "explanation": k.explanation,
                "source": k.source,
                "mine": k.right.get(seat.name, (None, None))[1],
            }
            for k in quiz_key(s.scenario, s.state)
        ],
    }


def team_quiz(team: Team) -> dict[str, Any] | None:
    """The open check for the organizer's dashboard."""
    s = team.session
    progress = quiz_progress(s.state) if s is not None else None
    if progress is None:
        return None
    return {
        "phase": progress.phase,
        "title": progress.title,
        "line": progress.line(),
        "players": [{"name": p, "done": done, "total": total} for p, done, total in progress.players],
    }


def answer(hub: Hub, team: Team, seat: Seat, msg: m.Quiz) -> dict[str, Any] | Pending:
    done = seat.recent.get(msg.aid)
    if done is not None:
        return {**done, "dup": True}
    if team.session is None:
        return error("not_started", "游戏还没开始", msg.aid)
    if seat.name not in quiz_players(team.session.state):
        return error("not_a_player", f"你在旁观这个队伍，没有要答的题（{LOOK_AWAY}）", msg.aid)
    reply = hub._apply(team, Answer(seat.name, msg.item, msg.option, msg.phase), msg.aid, seat)
    if not isinstance(reply, Pending):  # a pending answer is remembered once it is committed
        remember(seat, msg.aid, reply)
    return reply
