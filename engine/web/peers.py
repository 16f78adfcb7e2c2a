"""Several host processes on one server store: keeping this one in step with the others.

Two or more ``play.py host`` processes (on one machine or several, behind one reverse proxy) can
share a PostgreSQL store. Each keeps its teams in memory, as a single host does; what another
process writes reaches this one as a change notice (``step:SESSION:SEQ``, ``team:ID``,
``seat:TEAM``; :mod:`engine.store.watch`, delivered after the commit) and is read back from the
store here:

- a step: the team's session reads the steps after the ones it holds, and its phones get the new
  view (a choice made on a phone of one process shows on the phones of every process);
- a team row: a new team appears on this dashboard, a started team gets its session, a removed
  one goes;
- a seat: a phone joined, picked a role or was freed on another process.

A phone may land on any process: a join code or token this process does not know yet is looked
up in the store before it is refused. Every step is stored before it is shown, by whichever
process took it, so a process that dies loses nothing and its phones carry on at another one.
Two processes acting for one team at once conflict on the step's key; the loser reads the
winner's step and decides again (:meth:`engine.web.hub.Hub._apply`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from engine.store.db import StoreError
from engine.web.roster import Seat, Team

if TYPE_CHECKING:
    from engine.web.hub import Hub


class Peers:
    """What other host processes changed, applied to this hub (on its event-loop thread)."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.shared = hub.store.server  # a file store has one host: nothing to look up or follow

    def changed(self, notice: str) -> None:
        """One change notice from the store (``""``: notices may have been missed, read everything)."""
        kind, _, rest = notice.partition(":")
        try:
            if kind == "step":
                self._step(rest.rpartition(":")[0])
            elif kind == "team":
                self.reload_team(rest)
            elif kind == "seat":
                team = self.hub.teams.get(rest)
                if team is not None:
                    self.reload_seats(team)
            else:
                self.resync()
        except StoreError:
            pass  # the store is unreachable for a moment; the next notice or action reads again

    def resync(self) -> None:
        """Read every team again (after the notices' connection was re-established)."""
        for row in self.hub.tables.teams():
            self.reload_team(row.id)
        for team in list(self.hub.teams.values()):
            if team.session is not None:
                self.catch_up(team)

    def _step(self, session_id: str) -> None:
        team = next((t for t in self.hub.teams.values() if t.row.session_id == session_id), None)
        if team is None or team.session is None:
            # started on another process (the team row's notice may still be on its way)
            for row in self.hub.tables.teams():
                if row.session_id == session_id:
                    self.reload_team(row.id)
            return
        self.catch_up(team)

    def catch_up(self, team: Team, now: bool = False) -> None:
        """Read the team's steps stored by other processes and show them. While this process is
        storing a step for the team, wait (``stale``): it reads them once its own is in."""
        session = team.session
        if session is None:
            return
        if team.lock.locked() and not now:
            team.stale = True
            return
        team.stale = False
        new = session.catch_up()
        if new:
            self.hub._extend_notes(team, new)
            self.hub.broadcast(team)

    def reload_team(self, team_id: str) -> Team | None:
        """The team as stored now: added, its session attached, or removed from this host. Only
        what changed is sent out (a whole dashboard per notice would cost every team's summary)."""
        hub = self.hub
        found = hub.tables.team(team_id)
        team = hub.teams.get(team_id)
        if found is None or found[1]:
            if team is not None:
                self.forget(team)
            return None
        row = found[0]
        if team is None:
            stored = {row.session_id} if row.session_id and hub.store.has_session(row.session_id) else set()
            team = hub.team_of(row, stored, resumed=False)
            hub._add(team)
            hub._dash_all()
        elif team.session is None and row.session_id:
            team.row.session_id = row.session_id
            if hub.store.has_session(row.session_id):
                hub.attach_session(team, resumed=False)
                hub.broadcast(team)
        return team

    def reload_seats(self, team: Team) -> None:
        """The team's seats as stored now: joined, picked or freed on another process."""
        stored = {s.token_hash: s for s in self.hub.tables.seats(team.row.id)}
        for token_hash, row in stored.items():
            seat = team.seats.get(token_hash)
            if seat is None:
                team.seats[token_hash] = Seat(token_hash, row.name, row.pick)
            else:
                seat.pick = row.pick
        for token_hash in [h for h in team.seats if h not in stored]:
            self.let_go(team, team.seats.pop(token_hash))
        self.hub.broadcast(team)

    def let_go(self, team: Team, seat: Seat) -> None:
        """The seat is gone (freed here or on another process): its phones are told and let go."""
        freed = json.dumps(
            {
                "t": "error",
                "code": "bad_token",
                "error": f"主持人释放了 “{seat.name}” 的座位；如需继续，请重新加入",
            },
            ensure_ascii=False,
        )
        for client, held in list(team.clients.items()):
            if held is seat:
                client.listener.push("view", freed)
                client.team = client.seat = None
                del team.clients[client]

    def forget(self, team: Team) -> None:
        """The team was removed (here or on another process): off the dashboard, phones told."""
        hub = self.hub
        hub.teams.pop(team.row.id, None)
        hub.by_code.pop(team.row.code, None)
        gone = json.dumps(
            {"t": "error", "code": "closed", "error": "主持人已移除这个队伍"}, ensure_ascii=False
        )
        for client in team.clients:
            client.listener.push("view", gone)
            client.team = client.seat = None
        team.clients.clear()
        hub._dash_all()

    # --- a phone that arrives at this process with what another process gave it -------------

    def team_by_code(self, code: str) -> Team | None:
        """A team another process made, by its join code (None on a file store: no others)."""
        if not self.shared:
            return None
        row = self.hub.tables.team_by_code(code)
        return self.reload_team(row.id) if row is not None else None

    def seat_by_token(self, token_hash: str) -> tuple[Team, Seat] | None:
        """A seat another process gave a phone, by its token's hash."""
        if not self.shared:
            return None
        row = self.hub.tables.seat(token_hash)
        if row is None:
            return None
        team = self.hub.teams.get(row.team_id) or self.reload_team(row.team_id)
        if team is None:
            return None
        self.reload_seats(team)
        seat = team.seats.get(token_hash)
        return (team, seat) if seat is not None else None
