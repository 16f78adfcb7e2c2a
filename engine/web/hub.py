"""The hub: every team of one host, their phones and the organizer's dashboards, without I/O.

The server hands each decoded message to :meth:`Hub.handle` together with the connection's
:class:`Client`, and gets back the reply for that connection; views for everyone else are
pushed through each client's :class:`Listener` (the server's per-connection outbox).

One hub owns one :class:`~engine.store.db.Store` and is used from one thread (the server's event
loop); ``handle`` never awaits. Without a group committer (tests, embedding) each action is
decided, committed and broadcast inside ``handle``. The server sets :attr:`Hub.committer`: then a
game action comes back as :class:`Pending` and :meth:`Hub.complete` stores it with other teams'
steps in one commit, one action per team at a time, and only then shows it, so every phone sees
its team's changes in commit order and never a step that is not stored. Other host processes on
the same server store reach the hub through :mod:`engine.web.peers`.

Game rules stay in :mod:`engine.rules.step`: the hub only checks *who* may ask (the phone's token
holds the role; the organizer's secret for controls) and passes actions to the session, which
stores first.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from engine.format.loader import load_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.rules.state import Event
from engine.rules.step import Action, Choose, RuleViolation
from engine.session.clock import Clock, SystemClock
from engine.session.live import Session
from engine.store.batch import GroupCommitter
from engine.store.db import Store, StoreConflict, StoreError
from engine.store.hosting import HostTables, HostTeam
from engine.web import messages as m
from engine.web import organizer, quizphone, seating
from engine.web.access import GUESSES, JOINS, AddressLimits, new_code, origin_allowed
from engine.web.payloads import lobby_roles, notes, phone_play, team_public
from engine.web.peers import Peers
from engine.web.roster import (
    Client,
    HubRefusal,
    Listener,
    Pending,
    Seat,
    Team,
    TooManyTries,
    error,
    remember,
)

__all__ = ["Client", "Hub", "Listener", "Pending", "Seat", "Team", "TooManyTries"]

# open teams per host: one projector's dashboard in a room; a server store shared by several host
# processes serves many venues at once (their dashboards show every team)
MAX_TEAMS = 100
MAX_TEAMS_SERVER = 300
CONFLICT_RETRIES = 3  # another host advanced the team: catch up and decide again, this often


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
        self.own_name = urlsplit(self.base_url).hostname or ""
        self.tables = HostTables(store)
        self.secret = self.tables.secret(lambda: new_code(10))
        self.guesses = AddressLimits(GUESSES)
        self.joins = AddressLimits(JOINS)
        self.teams: dict[str, Team] = {}
        self.by_code: dict[str, Team] = {}
        self.dashboards: set[Client] = set()
        self._scenarios: dict[str, Scenario] = {}
        # set by the server: steps go through it, grouped with other teams' into one commit
        self.committer: GroupCommitter | None = None
        # whether join pages list the roster's names (``host --no-roster-names``: a host on the
        # internet shows a member list to anyone with a team code otherwise)
        self.offer_members = True
        self.peers = Peers(self)
        self._load()

    # --- loading and resuming ---------------------------------------------------------------

    def _scenario(self, path: str) -> Scenario:
        if path not in self._scenarios:
            self._scenarios[path] = load_scenario(path)
        return self._scenarios[path]

    def _load(self) -> None:
        """Bring back every open team: lobbies from their seats, sessions from the event log."""
        stored = {s.id for s in self.store.sessions()}
        for row in self.tables.teams():
            self._add(self.team_of(row, stored, resumed=True))

    def team_of(self, row: HostTeam, stored: set[str], resumed: bool) -> Team:
        """A stored team with its seats and, if ``stored`` holds it, its session. ``resumed``: this
        host is (re)starting, so the log records that play resumed here."""
        team = Team(row)
        for s in self.tables.seats(row.id):
            team.seats[s.token_hash] = Seat(s.token_hash, s.name, s.pick)
        if row.session_id in stored:
            self.attach_session(team, resumed)
        else:
            try:
                team.scenario = self._scenario(row.scenario_path)
            except (ScenarioInvalid, OSError) as exc:
                team.error = f"场景文件无法读取：{exc}"
        return team

    def attach_session(self, team: Team, resumed: bool) -> None:
        """Load the team's stored session, exactly as `play.py resume` would: a changed scenario
        file or other rules would continue the story differently, so such a team shows why and waits."""
        try:
            team.session = Session.resume(self.store, team.row.session_id, self.clock)
        except StoreError as exc:
            team.error = f"这个队伍的会话无法继续：{exc}"
            return
        team.scenario = team.session.scenario
        if resumed and not team.session.state.over and not self.store.readonly:
            try:
                team.session.mark_resumed()
            except StoreConflict:  # another host on the same server moved it on just now
                team.session.catch_up()
        team.notes = notes(team.scenario, team.session.events)

    def _add(self, team: Team) -> None:
        self.teams[team.row.id] = team
        self.by_code[team.row.code] = team

    def new_team(self, name: str = "", scenario_path: str | None = None) -> Team:
        limit = self.max_teams
        if len(self.teams) >= limit:
            raise RuleViolation(f"最多同时 {limit} 支队伍；请先移除已结束的队伍")
        path = str(scenario_path or self.scenario_path)
        scenario = self._scenario(path)
        name = m.clean_name(name) if name.strip() else self._next_name()
        code = new_code()
        while code in self.by_code or self.tables.code_taken(code):
            code = new_code()
        row = HostTeam(secrets.token_hex(8), name, code, path, "", time.time())
        self.tables.add_team(row)
        team = Team(row, scenario)
        self._add(team)
        self._dash_all()
        return team

    def _next_name(self) -> str:
        names = {t.row.name for t in self.teams.values()}
        n = 1
        while f"第{n}队" in names:
            n += 1
        return f"第{n}队"

    @property
    def max_teams(self) -> int:
        return MAX_TEAMS_SERVER if self.store.server else MAX_TEAMS

    def join_url(self, team: Team) -> str:
        return f"{self.base_url}/j/{team.row.code}"

    # --- one message ------------------------------------------------------------------------

    def handle(self, client: Client, msg: m.Message) -> dict[str, Any] | Pending | None:
        """Apply one message from ``client``; returns the reply for that connection, or, for a
        game action when steps are group-committed, the :class:`Pending` action to :meth:`complete`."""
        try:
            return self._handle(client, msg)
        except HubRefusal as no:
            return error(no.code, no.text, getattr(msg, "aid", ""))
        except StoreError as exc:  # a seat or team row could not be written
            return error("store", f"保存失败：{exc}", getattr(msg, "aid", ""))

    def _handle(self, client: Client, msg: m.Message) -> dict[str, Any] | Pending | None:
        if isinstance(msg, m.Peek):
            return seating.peek(self, client, msg)
        if isinstance(msg, m.Join):
            return seating.join(self, client, msg)
        if isinstance(msg, m.Hello):
            return seating.hello(self, client, msg)
        if isinstance(msg, m.Host):
            return organizer.login(self, client, msg)
        if isinstance(msg, m.Org):
            return organizer.handle(self, client, msg)
        team, seat = client.team, client.seat
        if team is None or seat is None:
            return error("no_seat", "请先加入队伍", getattr(msg, "aid", ""))
        if isinstance(msg, m.Pick):
            return seating.pick(self, team, seat, msg)
        if isinstance(msg, m.Act):
            return self._act(team, seat, msg)
        if isinstance(msg, m.Quiz):
            return quizphone.answer(self, team, seat, msg)
        return self.view(team, seat)  # Sync

    def drop(self, client: Client) -> None:
        """The connection closed: stop sending to it."""
        if client.team is not None:
            client.team.clients.pop(client, None)
        self.dashboards.discard(client)

    def origin_allowed(self, host_header: str, origin: str | None) -> bool:
        """May a WebSocket with these headers talk to this host? (see :mod:`engine.web.access`)"""
        return origin_allowed(host_header, origin, self.own_name)

    def lookup(self, address: str, code: str) -> Team | None:
        """The team with this join code; a miss counts against the address (also for /j/, /qr/)."""
        return seating.lookup(self, address, code)

    def _act(self, team: Team, seat: Seat, msg: m.Act) -> dict[str, Any] | Pending:
        done = seat.recent.get(msg.aid)
        if done is not None:
            return {**done, "dup": True}
        if team.session is None:
            return error("not_started", "游戏还没开始", msg.aid)
        if msg.role not in team.roles_of(seat):
            return error("not_your_role", "这不是你的角色，不能替别人行动", msg.aid)
        reply = self._apply(team, Choose(msg.role, msg.choice, msg.node), msg.aid, seat)
        if not isinstance(reply, Pending):
            remember(seat, msg.aid, reply)
        return reply

    def _apply(
        self, team: Team, action: Action, aid: str, seat: Seat | None = None
    ) -> dict[str, Any] | Pending:
        """Store and show one action; with a group committer, the server completes it (:meth:`complete`)."""
        if self.committer is not None:
            return Pending(team, action, aid, seat)
        session = team.session
        assert session is not None
        for _ in range(CONFLICT_RETRIES):
            try:
                events = session.act(action)
            except RuleViolation as exc:
                return error("rule", str(exc), aid or "-")
            except StoreConflict:
                self.peers.catch_up(team, now=True)  # another host moved the team on: decide again
                continue
            except StoreError as exc:
                return error("store", f"保存失败：{exc}", aid or "-")
            self._extend_notes(team, events)
            self.broadcast(team)
            return {"t": "ack", "aid": aid, "ok": True, "seq": session.state.seq}
        return error("store", "保存失败：另一台主持电脑同时在推进这个队伍；请再试一次", aid or "-")

    async def complete(self, pending: Pending) -> dict[str, Any]:
        """Store a pending action through the group committer, then show it and answer.

        One action per team at a time (the team's lock); other teams' steps share the commit. The
        team's state changes only after the commit, so no phone ever sees an unstored step."""
        team = pending.team
        async with team.lock:
            reply = await self._commit(team, pending.action, pending.aid)
        if pending.seat is not None:
            remember(pending.seat, pending.aid, reply)
        return reply

    async def _commit(self, team: Team, action: Action, aid: str) -> dict[str, Any]:
        assert self.committer is not None
        for _ in range(CONFLICT_RETRIES):
            session = team.session
            if session is None:
                return error("not_started", "游戏还没开始", aid)
            try:
                proposal = session.propose(action)
            except RuleViolation as exc:
                return error("rule", str(exc), aid or "-")
            try:
                if proposal.events:
                    row = self.store.step_row(session.id, proposal.first_seq, proposal.events, proposal.state)
                    await asyncio.wrap_future(self.committer.submit(row))
            except StoreConflict:
                self.peers.catch_up(team, now=True)
                continue
            except StoreError as exc:
                return error("store", f"保存失败：{exc}", aid or "-")
            if session.state.seq + 1 == proposal.first_seq:
                self._extend_notes(team, session.accept(proposal))
            # else a catch-up meanwhile already read this very step (its key is unique: it is ours)
            if team.stale:  # other hosts' steps that arrived while this one was being stored
                self.peers.catch_up(team, now=True)
            self.broadcast(team)
            return {"t": "ack", "aid": aid, "ok": True, "seq": session.state.seq}
        return error("store", "保存失败：另一台主持电脑同时在推进这个队伍；请再试一次", aid or "-")

    def _extend_notes(self, team: Team, events: list[Event]) -> None:
        assert team.session is not None and team.scenario is not None
        first = team.session.state.seq - len(events) + 1
        team.notes.extend(notes(team.scenario, events, first))  # one action's notes at once

    # --- views ------------------------------------------------------------------------------

    def _lobby(self, team: Team) -> dict[str, Any]:
        scenario = team.scenario
        assert scenario is not None
        taken = {s.pick: s.name for s in team.seats.values() if s.pick}
        return {
            "title": scenario.title,
            "summary": scenario.data.scenario.summary.strip(),
            "roles": lobby_roles(scenario, taken),
            "players": [s.name for s in team.seats.values()],
            "quiz": len(scenario.quiz),  # items in the knowledge check (0: none)
        }

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
            out["quiz"] = quizphone.phone_quiz(team, seat)
            out["quiz_key"] = quizphone.phone_key(team, seat)
        else:
            out["seq"] = 0
            out["title"] = team.scenario.title if team.scenario else ""
        return out

    def team_summary(self, team: Team, public: dict[str, Any] | None = None) -> dict[str, Any]:
        """One team on the organizer's dashboard (public information and the join link)."""
        online = {seat.hash for seat in team.clients.values()}
        out: dict[str, Any] = {
            "id": team.row.id,
            "name": team.row.name,
            "code": team.row.code,
            "url": self.join_url(team),
            "phase": team.phase,
            "error": team.error,
            "session": team.row.session_id,
            "seats": [
                {"id": organizer.seat_id(s.hash), "name": s.name, "pick": s.pick, "online": s.hash in online}
                for s in team.seats.values()
            ],
            "online": len({s.hash for s in team.clients.values()}),
            "lobby": self._lobby(team) if team.session is None and team.scenario else None,
            "team": None,
        }
        if team.session is not None:
            s = team.session
            out["title"] = s.scenario.title
            out["team"] = public or team_public(s.scenario, s.state, s.events, self.clock.now())
            out["quiz"] = quizphone.team_quiz(team)
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
