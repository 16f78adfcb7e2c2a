"""How a phone finds its team and seat: peek at a team by its code, join it (a new seat and
token), come back with the token (hello), pick a role in the lobby.

Wrong codes are counted per connection (it is closed after :data:`MAX_BAD_CODES`) and per
address (:data:`engine.web.access.GUESSES`: reconnecting does not reset it). One connection holds
one seat, and an address takes seats at a bounded rate (:data:`engine.web.access.JOINS`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from engine.store.db import StoreError
from engine.store.hosting import HostSeat
from engine.store.members import display_names
from engine.web import messages as m
from engine.web.access import new_token, token_hash
from engine.web.roster import MAX_BAD_CODES, MAX_SEATS, Client, HubRefusal, Seat, Team, TooManyTries, error

if TYPE_CHECKING:
    from engine.web.hub import Hub


def check_guessing(hub: Hub, address: str) -> None:
    """Refuse an address that guessed too many codes or secrets lately."""
    if not hub.guesses.allowed(address, hub.clock.now()):
        wait = hub.guesses.wait(address, hub.clock.now())
        raise HubRefusal("slow_down", f"尝试的队伍码或口令错误太多次；请 {wait} 秒后再试")


def missed(hub: Hub, address: str) -> None:
    """One wrong code or secret from ``address``."""
    hub.guesses.spend(address, hub.clock.now())


def lookup(hub: Hub, address: str, code: str) -> Team | None:
    """The team with this join code, counting a miss against the address (also for /j/, /qr/)."""
    check_guessing(hub, address)
    team = hub.by_code.get(code.upper()) or hub.peers.team_by_code(code.upper())
    if team is None:
        missed(hub, address)
    return team


def _team_by_code(hub: Hub, client: Client, code: str) -> Team | None:
    try:
        team = lookup(hub, client.address, code)
    except HubRefusal:
        strike(client)  # still guessing while refused: the connection is dropped all the same
        raise
    if team is None:
        strike(client)
    return team


def strike(client: Client) -> None:
    client.bad_codes += 1
    if client.bad_codes > MAX_BAD_CODES:
        raise TooManyTries


def peek(hub: Hub, client: Client, msg: m.Peek) -> dict[str, Any]:
    team = _team_by_code(hub, client, msg.code)
    if team is None or team.scenario is None:
        return error("bad_code", "没有这个队伍码；请重新扫描大屏上的二维码")
    client.known = True
    return {
        "t": "team",
        "code": team.row.code,
        "name": team.row.name,
        "phase": team.phase,
        **hub._lobby(team),
        **roster_offer(hub),
    }


def roster_offer(hub: Hub) -> dict[str, Any]:
    """What the join page says about the roster: ``members``, the display names no seat of this
    host holds yet, offered as suggestions; ``roster_hidden``, true when there is a roster but
    the host keeps it to itself (``host --no-roster-names``).

    A player who joins under a member's name plays as that member (the session links them when
    it starts), whether it was offered or typed; any other name joins as a guest."""
    try:
        members = hub.store.members()
    except StoreError:
        members = []
    if not hub.offer_members:
        return {"members": [], "roster_hidden": bool(members)}
    shown = display_names(members)
    seated = {seat.name for team in hub.teams.values() for seat in team.seats.values()}
    return {"members": [shown[m.id] for m in members if shown[m.id] not in seated], "roster_hidden": False}


def join(hub: Hub, client: Client, msg: m.Join) -> dict[str, Any]:
    if client.seat is not None and client.team is not None:
        # one connection, one seat: a script must not take a whole team's roles
        raise HubRefusal(
            "already_joined",
            f"这台手机已经以 “{client.seat.name}” 加入了{client.team.row.name}；每台手机只占一个座位",
        )
    now = hub.clock.now()
    if not hub.joins.allowed(client.address, now):
        raise HubRefusal("slow_down", f"加入太频繁了；请 {hub.joins.wait(client.address, now)} 秒后再试")
    team = _team_by_code(hub, client, msg.code)
    if team is None or team.scenario is None:
        return error("bad_code", "没有这个队伍码；请重新扫描大屏上的二维码")
    if len(team.seats) >= MAX_SEATS:
        return error("full", "这个队伍已经满员")
    # A player's name is taken while a seat holds it. Once the organizer frees a seat, its
    # name (and, in a game under way, that player's roles) is open to the next phone that
    # joins with it: how a player who lost or changed phones gets back in.
    if msg.name in {s.name for s in team.seats.values()}:
        return error("name_taken", f"“{msg.name}” 已经在队里了；请换一个名字（同名可加姓或编号）")
    pick = ""
    if msg.role and team.session is None:
        problem = _pick_problem(team, msg.role, None)
        if problem:
            return error("role_taken", problem)
        pick = msg.role
    token = new_token()
    row = HostSeat(token_hash(token), team.row.id, msg.name, pick, time.time())
    hub.tables.add_seat(row)
    hub.joins.spend(client.address, now)
    seat = Seat(row.token_hash, msg.name, pick)
    team.seats[seat.hash] = seat
    attach(client, team, seat)
    hub.broadcast(team)
    return {"t": "joined", "token": token, "code": team.row.code, "name": seat.name}


def hello(hub: Hub, client: Client, msg: m.Hello) -> dict[str, Any]:
    h = token_hash(msg.token)
    for team in hub.teams.values():
        seat = team.seats.get(h)
        if seat is not None:
            attach(client, team, seat)
            return hub.view(team, seat)
    found = hub.peers.seat_by_token(h)  # a seat another host process gave this phone
    if found is not None:
        attach(client, *found)
        return hub.view(*found)
    return error("bad_token", "这台手机的加入记录已失效；请重新扫码加入")


def attach(client: Client, team: Team, seat: Seat) -> None:
    if client.team is not None:
        client.team.clients.pop(client, None)
    client.team, client.seat, client.known = team, seat, True
    team.clients[client] = seat


def _pick_problem(team: Team, role: str, seat: Seat | None) -> str:
    assert team.scenario is not None
    if role not in team.scenario.roles:
        return "没有这个角色"
    for other in team.seats.values():
        if other is not seat and other.pick == role:
            return f"{team.scenario.role_name(role)} 已被 {other.name} 选走了"
    return ""


def pick(hub: Hub, team: Team, seat: Seat, msg: m.Pick) -> dict[str, Any]:
    if team.session is not None:
        return error("started", "游戏已经开始，角色不能再换")
    if msg.role:
        problem = _pick_problem(team, msg.role, seat)
        if problem:
            return error("role_taken", problem)
    seat.pick = msg.role
    hub.tables.set_pick(seat.hash, msg.role)
    hub.broadcast(team)
    return hub.view(team, seat)
