"""What the organizer's dashboard may do: start, pause, hint, skip, end, remove a team, and free
a seat so its player can come back on another phone.

Every operation needs the organizer's secret first (``host`` message, compared in constant
time). The hub (:mod:`engine.web.hub`) routes each ``org`` message here; game actions still go
through :meth:`Session.act`, which stores first.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from engine.format.problems import ScenarioInvalid
from engine.present.inputs import facilitator
from engine.rules.actions import QuizMode
from engine.rules.knowledge import open_phase
from engine.rules.step import RuleViolation, SkipQuiz
from engine.session.live import Session, assign_roles, new_session_id, new_shuffle_seed
from engine.store.db import SessionIdTaken
from engine.web import messages as m
from engine.web import seating
from engine.web.payloads import notes
from engine.web.roster import Client, HubRefusal, Pending, Team, error

if TYPE_CHECKING:
    from engine.web.hub import Hub

SEAT_ID_CHARS = 16  # a seat's public id: the start of its token's hash (the hash itself stays inside)
ID_ATTEMPTS = 5


def secret_matches(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode(), secret.encode())


def seat_id(token_hash: str) -> str:
    return token_hash[:SEAT_ID_CHARS]


def _ok(aid: str, **more: Any) -> dict[str, Any]:
    return {"t": "ack", "aid": aid, "ok": True, **more}


def _no(code: str, text: str, aid: str) -> dict[str, Any]:
    return error(code, text, aid or "-")


def login(hub: Hub, client: Client, msg: m.Host) -> dict[str, Any]:
    """The dashboard's first message: the organizer's secret (guesses count like wrong codes)."""
    try:
        seating.check_guessing(hub, client.address)
    except HubRefusal:
        seating.strike(client)
        raise
    if not secret_matches(msg.secret, hub.secret):
        seating.missed(hub, client.address)
        seating.strike(client)
        return error("bad_secret", "主持人口令不对；口令印在启动主持的终端里")
    client.organizer = client.known = True
    hub.dashboards.add(client)
    return hub.dashboard()


def handle(hub: Hub, client: Client, msg: m.Org) -> dict[str, Any] | Pending:
    if not client.organizer:
        return _no("not_organizer", "只有主持人可以这样做", msg.aid)
    if msg.op == "new_team":
        try:
            made = hub.new_team(msg.name)
        except (ValueError, RuleViolation, ScenarioInvalid) as exc:
            return _no("rule", str(exc), msg.aid)
        return _ok(msg.aid, team=made.row.id)
    team = hub.teams.get(msg.team)
    if team is None:
        return _no("no_team", "没有这个队伍", msg.aid)
    if msg.op == "start":
        return start(hub, team, msg.aid, msg.quiz)
    if msg.op == "close":
        close(hub, team)
        return _ok(msg.aid)
    if msg.op == "free_seat":
        return free_seat(hub, team, msg.seat, msg.aid)
    if team.session is None:
        return _no("not_started", "这个队伍还没开始", msg.aid)
    if msg.op == "skip_quiz":
        phase = open_phase(team.session.state)
        if phase is None:
            return _no("rule", "现在没有进行中的知识小测", msg.aid)
        return hub._apply(team, SkipQuiz(phase), msg.aid)
    if msg.op in ("hint", "skip") and msg.role not in team.session.scenario.roles:
        return _no("rule", "请选择一个角色", msg.aid)
    return hub._apply(team, facilitator(msg.op, msg.role), msg.aid)


def start(hub: Hub, team: Team, aid: str = "", quiz: QuizMode = "ask") -> dict[str, Any]:
    """Start the team's session: picked roles kept, the rest shared out among the players; the
    options in an order of its own, the knowledge check asked unless the organizer skips it."""
    if team.session is not None:
        return _no("started", "这个队伍已经开始了", aid)
    if team.row.session_id:
        # its session is stored but could not be resumed (the team shows why): never start over it
        return _no("rule", team.error or "这个队伍的会话无法继续", aid)
    if team.scenario is None:
        return _no("rule", team.error or "场景无法读取", aid)
    seats = list(team.seats.values())
    if not seats:
        return _no("empty", "还没有玩家加入；请先让队员扫码", aid)
    chosen = {s.pick: s.name for s in seats if s.pick}
    assignment = assign_roles(team.scenario, [s.name for s in seats], chosen)
    for attempt in range(ID_ATTEMPTS):
        # the team points at its session before the session exists: a crash in between leaves a
        # team that starts afresh, never a session no team knows; and only if no other host on
        # the same server started it meanwhile
        session_id = new_session_id()
        if not hub.tables.claim_session(team.row.id, team.row.session_id, session_id):
            hub.peers.reload_team(team.row.id)
            return _no("started", "这个队伍已经在另一台主持电脑上开始了", aid)
        team.row.session_id = session_id
        try:
            team.session = Session.start(
                team.scenario,
                hub.store,
                team.row.name,
                assignment,
                hub.clock,
                session_id,
                shuffle=new_shuffle_seed(),
                quiz=quiz,
            )
            break
        except SessionIdTaken:
            if attempt + 1 == ID_ATTEMPTS:
                raise
    assert team.session is not None
    team.notes = notes(team.scenario, team.session.events)
    hub.broadcast(team)
    return _ok(aid, session=team.row.session_id)


def close(hub: Hub, team: Team) -> None:
    hub.tables.close_team(team.row.id)
    hub.peers.forget(team)


def free_seat(hub: Hub, team: Team, wanted: str, aid: str) -> dict[str, Any]:
    """Forget a seat: its phone is let go, and the player can join again under the same name
    (on any phone), getting back the roles that name holds in a game under way."""
    seat = next((s for s in team.seats.values() if seat_id(s.hash) == wanted), None)
    if seat is None:
        return _no("no_seat", "没有这个座位（可能已被释放）", aid)
    hub.tables.free_seat(seat.hash)
    del team.seats[seat.hash]
    hub.peers.let_go(team, seat)
    hub.broadcast(team)
    return _ok(aid)
