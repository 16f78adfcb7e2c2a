"""A live session: the rules, a clock and the store, wired so every action is stored first.

``act`` decides the events, commits them, and only then updates the in-memory state the
frontends show: an action the player saw acknowledged is on disk. Resume rebuilds the state by
folding the stored events, using the scenario text stored with the session.
"""

from __future__ import annotations

import contextlib
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine import __version__
from engine.format.files import read_source
from engine.format.loader import parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario, content_hash
from engine.rules.actions import QuizMode
from engine.rules.state import Event, State, fold
from engine.rules.step import Action, Resume, RuleViolation, Start, step
from engine.rules.version import RULES_VERSION
from engine.session.clock import Clock, SystemClock
from engine.session.replay import replay_difference
from engine.store.db import SessionIdTaken, SessionRow, Store, StoreError
from engine.store.members import match_players

ID_ATTEMPTS = 5  # a 64-bit id repeats about never; a few tries cover a broken random source


class ScenarioChanged(StoreError):
    """The scenario file changed since the session began; resuming would mix two stories."""


class RulesChanged(StoreError):
    """The session was stored by other rules, and today's rules would not have written its log."""


def new_session_id() -> str:
    """64 random bits as 16 hex digits (ids are typed by prefix, so this costs no one anything)."""
    return secrets.token_hex(8)


def new_shuffle_seed() -> int:
    """A seed for the order a new session shows options in (recorded in its log)."""
    return secrets.randbelow(2**31)


def assign_roles(
    scenario: Scenario, players: list[str], chosen: dict[str, str] | None = None, seed: int | None = None
) -> dict[str, str]:
    """Role id -> player. Explicit picks first; the rest shared out at random (seeded), so that
    with fewer players than roles some hold several, and nobody holds two before all hold one."""
    if not players:
        raise ValueError("至少需要一名玩家")
    chosen = dict(chosen or {})
    for role, player in chosen.items():
        if role not in scenario.roles:
            raise ValueError(f"场景中没有角色 “{role}”；可选：{'、'.join(scenario.roles)}")
        if player not in players:
            raise ValueError(f"玩家 “{player}” 不在玩家名单中")
    rng = random.Random(seed)
    free_roles = [r for r in scenario.roles if r not in chosen]
    rng.shuffle(free_roles)
    load = {p: sum(1 for v in chosen.values() if v == p) for p in players}
    for role in free_roles:
        fewest = min(load.values())
        candidates = [p for p in players if load[p] == fewest]
        player = rng.choice(candidates)
        chosen[role] = player
        load[player] += 1
    return {r: chosen[r] for r in scenario.roles}


@dataclass(frozen=True)
class Proposal:
    """An action decided but not yet stored: its events from ``first_seq`` and the state after."""

    first_seq: int
    events: list[Event]
    state: State


@dataclass
class Session:
    scenario: Scenario
    store: Store
    id: str
    clock: Clock = field(default_factory=SystemClock)
    state: State = field(default_factory=State)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        store: Store,
        team: str,
        assignment: dict[str, str],
        clock: Clock | None = None,
        session_id: str | None = None,
        shuffle: int | None = None,
        quiz: QuizMode = "off",
    ) -> Session:
        """Start and store a session. ``shuffle``: the seed of the order options are shown in
        (front-ends pass :func:`new_shuffle_seed`; None shows them as written); ``quiz``: whether
        the scenario's knowledge check is asked, skipped by the facilitator, or not part of it."""
        clock = clock or SystemClock()
        start = Start(team, assignment, shuffle, quiz)
        events, state = step(scenario, State(), start, clock.now())
        for attempt in range(ID_ATTEMPTS):
            sid = session_id or new_session_id()
            try:
                store.begin_session(
                    sid,
                    scenario.hash,
                    scenario.id,
                    scenario.title,
                    str(scenario.data.scenario.version),
                    str(Path(scenario.file).resolve())
                    if not scenario.file.startswith("<")
                    else scenario.file,
                    scenario.text,
                    team,
                    assignment,
                    events,
                    state,
                    rules_version=RULES_VERSION,
                    app_version=__version__,
                )
                break
            except SessionIdTaken:
                if session_id is not None or attempt + 1 == ID_ATTEMPTS:
                    raise
        link_members(store, sid, assignment.values())
        return cls(scenario, store, sid, clock, state, list(events))

    @classmethod
    def resume(
        cls, store: Store, session_id: str, clock: Clock | None = None, check_file: bool = True
    ) -> Session:
        """Continue a stored session. Refuses if the scenario file on disk changed since, or if the
        session was stored by other rules and today's would not have written the same log."""
        row = store.session(session_id)
        text, path = store.scenario_text(row.scenario_hash)
        if check_file and path and Path(path).is_file() and not _same_file(path, row.scenario_hash):
            raise ScenarioChanged(
                f"场景文件 {path} 在这个会话开始后被修改过；继续游戏会把新旧两版剧情混在一起。"
                "请恢复原文件，或开始新的会话（旧会话仍可在报告中查看）"
            )
        try:
            scenario = parse_scenario(text, path or "<stored>")
        except ScenarioInvalid as exc:
            raise StoreError(f"会话 {row.id} 保存的场景无法读取：{exc}") from None
        if row.rules_version != RULES_VERSION:
            _check_replay(store, row, scenario)
        events = store.events(row.id)
        state = fold(events)
        session = cls(scenario, store, row.id, clock or SystemClock(), state, events)
        return session

    def act(self, action: Action) -> list[Event]:
        """Apply an action: decide, commit, then acknowledge. Raises RuleViolation/StoreError.

        The rules advance ``self.state`` in place (a copy per click is a visible share of its
        cost); they check everything before changing anything, and if the commit fails the
        state is rebuilt from the acknowledged events, so memory never runs ahead of the disk.
        """
        first_seq = self.state.seq + 1
        try:
            events, state = step(self.scenario, self.state, action, self.clock.now(), in_place=True)
            self.store.append(self.id, first_seq, events, state)
        except RuleViolation:
            raise  # refused before any change
        except BaseException:
            self.state = fold(self.events)
            raise
        self.events.extend(events)
        return events

    def propose(self, action: Action) -> Proposal:
        r"""Decide an action without changing this session: the caller stores the proposal's
        step (:meth:`Store.step_row`, perhaps in a group commit with other teams' steps) and
        then :meth:`accept`\s it, so nothing is shown before it is stored. Raises RuleViolation."""
        first_seq = self.state.seq + 1
        events, state = step(self.scenario, self.state, action, self.clock.now())
        return Proposal(first_seq, events, state)

    def accept(self, proposal: Proposal) -> list[Event]:
        """Take a stored proposal as the session's new state."""
        if proposal.first_seq != self.state.seq + 1:
            raise StoreError("会话已被另一处推进；请重新载入后再操作")
        if proposal.events:
            self.state = proposal.state
            self.events.extend(proposal.events)
        return proposal.events

    def catch_up(self) -> list[Event]:
        """The events another process stored for this session since ours (several hosts on one
        server store): read, folded into the state, and returned."""
        new = self.store.events_after(self.id, self.state.seq)
        if new:
            fold(new, self.state)
            self.events.extend(new)
        return new

    def mark_resumed(self) -> None:
        """Record that play goes on here. Since the last stored step the program was down, so that
        span is not play time; on a server store another host may have been serving the team
        meanwhile, so nothing is assumed there."""
        if not self.state.over:
            self.act(Resume(None if self.store.server else self.events[-1].at))


def link_members(store: Store, session_id: str, players: Iterable[str]) -> None:
    """Record which roster member each player is: a player whose name is a member's display name.

    The session is already stored and playable; a link that cannot be written (the disk filled up
    just now) costs only the member report's attribution, and the next action reports the disk."""
    with contextlib.suppress(StoreError):
        store.link_members(session_id, match_players(store.members(), set(players)))


RECENT_ENDED = 10  # ended sessions looked into for a check still open after the ending


def resumable(store: Store, rows: list[SessionRow]) -> list[SessionRow]:
    """The sessions that may go on, newest first: those in play, paused or in the check before
    play, and the latest few that ended with the check after the ending still open (the status
    of those is "ended", so only their events tell)."""
    ended = [r.id for r in rows if r.status == "ended"][:RECENT_ENDED]
    open_after = {sid for sid in ended if fold(store.events(sid)).quiz is not None}
    return [r for r in rows if r.status in ("active", "paused", "quiz") or r.id in open_after]


def _same_file(path: str, scenario_hash: str) -> bool:
    """Does the file still hold the text the session was played with? (read within the size limit:
    a file grown past it, or turned into a pipe, is not that text)"""
    try:
        current = read_source(path).decode("utf-8-sig", errors="replace")
    except ScenarioInvalid:
        return False
    return content_hash(current) == scenario_hash


def _check_replay(store: Store, row: SessionRow, scenario: Scenario) -> None:
    difference = replay_difference(scenario, store.steps(row.id))
    if difference:
        recorded = (
            f"规则版本 {row.rules_version}" if row.rules_version is not None else "未记录规则版本的旧版程序"
        )
        program = f"（Qingjing {row.app_version}）" if row.app_version else ""
        raise RulesChanged(
            f"会话 {row.id} 由{recorded}{program}保存；按本程序的规则（版本 {RULES_VERSION}）重放，{difference}。"
            "继续游戏会把两套规则混在一起，所以不能继续；这场会话仍可在报告和回顾中查看，"
            "或用保存它的 Qingjing 版本继续"
        )
