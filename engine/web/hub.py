"""The hub: every team of one host, their phones and the organizer's dashboards, without I/O.

The server hands each decoded message to :meth:`Hub.handle` together with the connection's
:class:`Client`, and gets back the reply for that connection; views for everyone else are
pushed through each client's :class:`Listener` (the server's per-connection outbox).

One hub owns one :class:`~engine.store.db.Store` and is used from one thread (the server's event
loop). ``handle`` never awaits, so each action is decided, committed and broadcast before the
next message is looked at: actions are serialised by construction, the store sees one writer,
and every phone sees the team's changes in commit order.

Game rules stay in :mod:`engine.rules.step`: the hub only checks *who* may ask (the phone's token
holds the role; the organizer's secret for controls) and passes actions to
:meth:`Session.act`, which stores first.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from engine.format.loader import load_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.present.inputs import facilitator
from engine.rules.state import Event
from engine.rules.step import Action, Choose, RuleViolation
from engine.session.clock import Clock, SystemClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store, StoreError
from engine.web import messages as m
from engine.web.payloads import notes, phone_play, team_public
from engine.web.seats import TeamRow, WebTables, new_token, token_hash

RECENT_ACTIONS = 32  # replies remembered per seat, so a resent action is answered, not redone
MAX_BAD_CODES = 20  # wrong join codes one connection may try before it is dropped
MAX_TEAMS = 60
MAX_SEATS = 12  # phones per team


class Listener(Protocol):
    def push(self, key: str, text: str) -> None:
        """Queue ``text`` for this connection; a later push with the same key replaces it."""


class TooManyTries(Exception):
    """The connection guessed too many join codes; the server closes it."""


@dataclass
class Seat:
    """One phone's place in a team (several phones may share it: the same token)."""

    hash: str
    name: str
    pick: str = ""
    recent: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)


@dataclass
class Team:
    row: TeamRow
    scenario: Scenario | None = None
    session: Session | None = None
    seats: dict[str, Seat] = field(default_factory=dict)
    clients: dict[Client, Seat] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def phase(self) -> str:
        if self.session is None:
            return "lobby"
        return "over" if self.session.state.over else "play"

    def roles_of(self, seat: Seat) -> list[str]:
        if self.session is None:
            return []
        return [r for r, p in self.session.state.players.items() if p == seat.name]


@dataclass(eq=False)
class Client:
    """One connection: who it is (a seat, the organizer, or nobody yet)."""

    listener: Listener
    team: Team | None = None
    seat: Seat | None = None
    organizer: bool = False
    bad_codes: int = 0


def _error(code: str, text: str, aid: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"t": "error", "code": code, "error": text}
    if aid:
        out.update(t="ack", aid=aid, ok=False)
    return out


class Hub:
    def __init__(
        self,
        store: Store,
        base_url: str,
        scenario_path: str | Path,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.scenario_path = str(scenario_path)
        self.clock = clock or SystemClock()
        self.tables = WebTables(store)
        self.secret = self.tables.secret()
        self.teams: dict[str, Team] = {}
        self.by_code: dict[str, Team] = {}
        self.dashboards: set[Client] = set()
        self._scenarios: dict[str, Scenario] = {}
        self._load()

    # --- loading and resuming ---------------------------------------------------------------

    def _scenario(self, path: str) -> Scenario:
        if path not in self._scenarios:
            self._scenarios[path] = load_scenario(path)
        return self._scenarios[path]

    def _load(self) -> None:
        """Bring back every open team: lobbies from their seats, sessions from the event log."""
        for row in self.tables.teams():
            team = Team(row)
            for s in self.tables.seats(row.id):
                team.seats[s.token_hash] = Seat(s.token_hash, s.name, s.pick)
            if row.session_id and any(s.id == row.session_id for s in self.store.sessions()):
                # The stored scenario text is authoritative for a session under way.
                team.session = Session.resume(self.store, row.session_id, self.clock, check_file=False)
                team.scenario = team.session.scenario
                if not team.session.state.over:
                    team.session.mark_resumed()
                team.notes = notes(team.scenario, team.session.events)
            else:
                try:
                    team.scenario = self._scenario(row.scenario_path)
                except (ScenarioInvalid, OSError) as exc:
                    team.error = f"场景文件无法读取：{exc}"
            self._add(team)

    def _add(self, team: Team) -> None:
        self.teams[team.row.id] = team
        self.by_code[team.row.code] = team

    def new_team(self, name: str = "", scenario_path: str | None = None) -> Team:
        if len(self.teams) >= MAX_TEAMS:
            raise RuleViolation(f"最多同时 {MAX_TEAMS} 支队伍；请先移除已结束的队伍")
        path = str(scenario_path or self.scenario_path)
        scenario = self._scenario(path)
        name = m.clean_name(name) if name.strip() else self._next_name()
        team = Team(self.tables.add_team(name, path), scenario)
        self._add(team)
        self._dash_all()
        return team

    def _next_name(self) -> str:
        names = {t.row.name for t in self.teams.values()}
        n = 1
        while f"第{n}队" in names:
            n += 1
        return f"第{n}队"

    def join_url(self, team: Team) -> str:
        return f"{self.base_url}/j/{team.row.code}"

    # --- one message ------------------------------------------------------------------------

    def handle(self, client: Client, msg: m.Message) -> dict[str, Any] | None:
        """Apply one message from ``client``; returns the reply for that connection."""
        if isinstance(msg, m.Peek):
            return self._peek(client, msg)
        if isinstance(msg, m.Join):
            return self._join(client, msg)
        if isinstance(msg, m.Hello):
            return self._hello(client, msg)
        if isinstance(msg, m.Host):
            return self._host(client, msg)
        if isinstance(msg, m.Org):
            return self._org(client, msg)
        team, seat = client.team, client.seat
        if team is None or seat is None:
            return _error("no_seat", "请先加入队伍", getattr(msg, "aid", ""))
        if isinstance(msg, m.Pick):
            return self._pick(team, seat, msg)
        if isinstance(msg, m.Act):
            return self._act(team, seat, msg)
        return self.view(team, seat)  # Sync

    def drop(self, client: Client) -> None:
        """The connection closed: stop sending to it."""
        if client.team is not None:
            client.team.clients.pop(client, None)
        self.dashboards.discard(client)

    def _team_by_code(self, client: Client, code: str) -> Team | None:
        team = self.by_code.get(code.upper())
        if team is None:
            client.bad_codes += 1
            if client.bad_codes > MAX_BAD_CODES:
                raise TooManyTries
        return team

    def _peek(self, client: Client, msg: m.Peek) -> dict[str, Any]:
        team = self._team_by_code(client, msg.code)
        if team is None or team.scenario is None:
            return _error("bad_code", "没有这个队伍码；请重新扫描大屏上的二维码")
        return {
            "t": "team",
            "code": team.row.code,
            "name": team.row.name,
            "phase": team.phase,
            **self._lobby(team),
        }

    def _lobby(self, team: Team) -> dict[str, Any]:
        scenario = team.scenario
        assert scenario is not None
        taken = {s.pick: s.name for s in team.seats.values() if s.pick}
        return {
            "title": scenario.title,
            "summary": scenario.data.scenario.summary.strip(),
            "roles": [
                {"id": r.id, "name": r.name, "title": r.title or "", "taken": taken.get(r.id, "")}
                for r in scenario.roles.values()
            ],
            "players": [s.name for s in team.seats.values()],
        }

    def _join(self, client: Client, msg: m.Join) -> dict[str, Any]:
        team = self._team_by_code(client, msg.code)
        if team is None or team.scenario is None:
            return _error("bad_code", "没有这个队伍码；请重新扫描大屏上的二维码")
        if len(team.seats) >= MAX_SEATS:
            return _error("full", "这个队伍已经满员")
        names = {s.name for s in team.seats.values()}
        if team.session is not None:
            names |= set(team.session.state.players.values())
        if msg.name in names:
            return _error("name_taken", f"“{msg.name}” 已经在队里了；请换一个名字（同名可加姓或编号）")
        pick = ""
        if msg.role and team.session is None:
            problem = self._pick_problem(team, msg.role, None)
            if problem:
                return _error("role_taken", problem)
            pick = msg.role
        token = new_token()
        row = self.tables.add_seat(team.row.id, token, msg.name, pick)
        seat = Seat(row.token_hash, msg.name, pick)
        team.seats[seat.hash] = seat
        self._attach(client, team, seat)
        self.broadcast(team)
        return {"t": "joined", "token": token, "code": team.row.code, "name": seat.name}

    def _hello(self, client: Client, msg: m.Hello) -> dict[str, Any]:
        h = token_hash(msg.token)
        for team in self.teams.values():
            seat = team.seats.get(h)
            if seat is not None:
                self._attach(client, team, seat)
                return self.view(team, seat)
        return _error("bad_token", "这台手机的加入记录已失效；请重新扫码加入")

    def _attach(self, client: Client, team: Team, seat: Seat) -> None:
        if client.team is not None:
            client.team.clients.pop(client, None)
        client.team, client.seat = team, seat
        team.clients[client] = seat

    def _pick_problem(self, team: Team, role: str, seat: Seat | None) -> str:
        assert team.scenario is not None
        if role not in team.scenario.roles:
            return "没有这个角色"
        for other in team.seats.values():
            if other is not seat and other.pick == role:
                return f"{team.scenario.role_name(role)} 已被 {other.name} 选走了"
        return ""

    def _pick(self, team: Team, seat: Seat, msg: m.Pick) -> dict[str, Any]:
        if team.session is not None:
            return _error("started", "游戏已经开始，角色不能再换")
        if msg.role:
            problem = self._pick_problem(team, msg.role, seat)
            if problem:
                return _error("role_taken", problem)
        seat.pick = msg.role
        self.tables.set_pick(seat.hash, msg.role)
        self.broadcast(team)
        return self.view(team, seat)

    def _act(self, team: Team, seat: Seat, msg: m.Act) -> dict[str, Any]:
        done = seat.recent.get(msg.aid)
        if done is not None:
            return {**done, "dup": True}
        if team.session is None:
            return _error("not_started", "游戏还没开始", msg.aid)
        if msg.role not in team.roles_of(seat):
            return _error("not_your_role", "这不是你的角色，不能替别人行动", msg.aid)
        reply = self._apply(team, Choose(msg.role, msg.choice, msg.node), msg.aid)
        seat.recent[msg.aid] = reply
        while len(seat.recent) > RECENT_ACTIONS:
            seat.recent.popitem(last=False)
        return reply

    def _apply(self, team: Team, action: Action, aid: str) -> dict[str, Any]:
        session = team.session
        assert session is not None
        try:
            events = session.act(action)
        except RuleViolation as exc:
            return _error("rule", str(exc), aid or "-")
        except StoreError as exc:
            return _error("store", f"保存失败：{exc}", aid or "-")
        self._extend_notes(team, events)
        self.broadcast(team)
        return {"t": "ack", "aid": aid, "ok": True, "seq": session.state.seq}

    def _extend_notes(self, team: Team, events: list[Event]) -> None:
        assert team.session is not None and team.scenario is not None
        first = team.session.state.seq - len(events) + 1
        team.notes.extend(notes(team.scenario, events, first))  # one action's notes at once

    # --- organizer -------------------------------------------------------------------------

    def _host(self, client: Client, msg: m.Host) -> dict[str, Any]:
        if not hmac.compare_digest(msg.secret.encode(), self.secret.encode()):
            client.bad_codes += 1
            if client.bad_codes > MAX_BAD_CODES:
                raise TooManyTries
            return _error("bad_secret", "主持人口令不对；口令印在启动主持的终端里")
        client.organizer = True
        self.dashboards.add(client)
        return self.dashboard()

    def _org(self, client: Client, msg: m.Org) -> dict[str, Any]:
        if not client.organizer:
            return _error("not_organizer", "只有主持人可以这样做", msg.aid)
        if msg.op == "new_team":
            try:
                made = self.new_team(msg.name)
            except (ValueError, RuleViolation, ScenarioInvalid) as exc:
                return _error("rule", str(exc), msg.aid)
            return {"t": "ack", "aid": msg.aid, "ok": True, "team": made.row.id}
        team = self.teams.get(msg.team)
        if team is None:
            return _error("no_team", "没有这个队伍", msg.aid)
        if msg.op == "start":
            return self.start(team, msg.aid)
        if msg.op == "close":
            self.close(team)
            return {"t": "ack", "aid": msg.aid, "ok": True}
        if team.session is None:
            return _error("not_started", "这个队伍还没开始", msg.aid)
        if msg.op in ("hint", "skip") and msg.role not in team.session.scenario.roles:
            return _error("rule", "请选择一个角色", msg.aid)
        return self._apply(team, facilitator(msg.op, msg.role), msg.aid)

    def start(self, team: Team, aid: str = "") -> dict[str, Any]:
        """Start the team's session: picked roles kept, the rest shared out among the players."""
        if team.session is not None:
            return _error("started", "这个队伍已经开始了", aid)
        if team.scenario is None:
            return _error("rule", team.error or "场景无法读取", aid)
        seats = list(team.seats.values())
        if not seats:
            return _error("empty", "还没有玩家加入；请先让队员扫码", aid)
        chosen = {s.pick: s.name for s in seats if s.pick}
        assignment = assign_roles(team.scenario, [s.name for s in seats], chosen)
        session_id = secrets.token_hex(4)
        self.tables.set_session(team.row.id, session_id)
        team.row.session_id = session_id
        team.session = Session.start(
            team.scenario, self.store, team.row.name, assignment, self.clock, session_id
        )
        team.notes = notes(team.scenario, team.session.events)
        self.broadcast(team)
        return {"t": "ack", "aid": aid, "ok": True, "session": session_id}

    def close(self, team: Team) -> None:
        self.tables.close_team(team.row.id)
        self.teams.pop(team.row.id, None)
        self.by_code.pop(team.row.code, None)
        gone = json.dumps(_error("closed", "主持人已移除这个队伍"), ensure_ascii=False)
        for client in team.clients:
            client.listener.push("view", gone)
            client.team = client.seat = None
        team.clients.clear()
        self._dash_all()

    # --- views ------------------------------------------------------------------------------

    def view(self, team: Team, seat: Seat, public: dict[str, Any] | None = None) -> dict[str, Any]:
        """Everything one phone may see, and nothing of another role's private text.

        ``public`` is the team's public summary when the caller already built it for this moment.
        """
        now = self.clock.now()
        out: dict[str, Any] = {
            "t": "view",
            "code": team.row.code,
            "team_name": team.row.name,
            "phase": team.phase,
            "me": {"name": seat.name, "pick": seat.pick},
            "lobby": self._lobby(team) if team.session is None and team.scenario else None,
            "play": None,
        }
        if team.session is not None:
            s = team.session
            out["seq"] = s.state.seq
            out["title"] = s.scenario.title
            if public is None:
                public = team_public(s.scenario, s.state, s.events, now)
            out["play"] = phone_play(
                s.scenario, s.state, s.events, team.notes, team.roles_of(seat), now, public
            )
        else:
            out["seq"] = 0
            out["title"] = team.scenario.title if team.scenario else ""
        return out

    def team_summary(self, team: Team, public: dict[str, Any] | None = None) -> dict[str, Any]:
        """One team on the organizer's dashboard (public information and the join link)."""
        out: dict[str, Any] = {
            "id": team.row.id,
            "name": team.row.name,
            "code": team.row.code,
            "url": self.join_url(team),
            "phase": team.phase,
            "error": team.error,
            "session": team.row.session_id,
            "seats": [{"name": s.name, "pick": s.pick} for s in team.seats.values()],
            "online": len({s.hash for s in team.clients.values()}),
            "lobby": self._lobby(team) if team.session is None and team.scenario else None,
            "team": None,
        }
        if team.session is not None:
            s = team.session
            out["title"] = s.scenario.title
            out["team"] = public or team_public(s.scenario, s.state, s.events, self.clock.now())
        else:
            out["title"] = team.scenario.title if team.scenario else ""
        return out

    def dashboard(self) -> dict[str, Any]:
        return {"t": "dash", "teams": [self.team_summary(t) for t in self.teams.values()]}

    def broadcast(self, team: Team) -> None:
        """Send the team's new state: each phone its own view, each dashboard the summary."""
        s = team.session
        public = team_public(s.scenario, s.state, s.events, self.clock.now()) if s is not None else None
        texts: dict[str, str] = {}
        for client, seat in list(team.clients.items()):
            if seat.hash not in texts:
                texts[seat.hash] = json.dumps(self.view(team, seat, public), ensure_ascii=False)
            client.listener.push("view", texts[seat.hash])
        if self.dashboards:
            text = json.dumps({"t": "team", "team": self.team_summary(team, public)}, ensure_ascii=False)
            for client in self.dashboards:
                client.listener.push(f"team:{team.row.id}", text)

    def _dash_all(self) -> None:
        if self.dashboards:
            text = json.dumps(self.dashboard(), ensure_ascii=False)
            for client in self.dashboards:
                client.listener.push("dash", text)
