"""Review figures, computed only by replaying a session's event log through the rules' fold.

    session_metrics(scenario, events, ...) -> SessionMetrics   one session's debrief
    cohort_metrics(sessions, scenarios)    -> CohortMetrics    many sessions aggregated

Nothing here reads the store's summary columns or any separately kept counter: every number
comes from folding the stored events with :func:`engine.rules.state.apply_event` (the same function
the live game uses), so a report cannot disagree with what happened. Pure: no I/O, no clock.

Times in the records are seconds of *game time* since the session started (``at``/``start``/
``end``): paused spans are left out, as on the clock the players saw (see
:meth:`engine.rules.state.State.game_now`), so waits, lock-outs, task times and the timeline never
count a pause. The session's own ``started_at``/``ended_at`` are seconds since the epoch. Definitions (critical
path, held-up time, 积分) are documented in ``docs/report-json.md``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from engine.format.scenario import Scenario
from engine.rules.state import Event, State, apply_event

# Events that begin a turn (one player or facilitator action); everything up to the next one is
# what the rules settled in response.
TURN_KINDS = frozenset(
    {
        "session_started",
        "choice_made",
        "task_skipped",
        "hint_given",
        "session_paused",
        "session_unpaused",
        "session_abandoned",
        "session_resumed",
    }
)
SEGMENT_KINDS = ("working", "locked", "waiting")


@dataclass(frozen=True)
class Segment:
    """One stretch of a role's timeline: kind is working / locked / waiting."""

    kind: str
    start: float
    end: float
    task: str | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class WaitRecord:
    """A stretch during which ``role`` waited for ``task`` to open, blocked by ``blockers``.

    A wait whose blockers change (one prerequisite done, another still missing) is split into
    one record per blocker set. ``released_by`` is the role whose action ended this record
    (``None`` when the session ended or was abandoned while waiting, or the log stops there).
    """

    role: str
    task: str
    start: float
    end: float
    blockers: tuple[str, ...]
    missing: tuple[str, ...]
    released_by: str | None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class TrapRecord:
    trap: str
    title: str
    role: str
    player: str
    task: str
    node: str
    at: float
    penalty: int
    lockout_seconds: float
    explanation: str
    source: str | None


@dataclass(frozen=True)
class TaskRecord:
    """A task that opened for a role; ``cause`` is the task whose completion opened it (same turn)."""

    task: str
    title: str
    role: str
    player: str
    opened: float
    completed: float | None
    outcome: str | None
    points: int
    cause: str | None

    @property
    def duration(self) -> float | None:
        return None if self.completed is None else self.completed - self.opened


@dataclass(frozen=True)
class Intervention:
    """A facilitator action: hint, skip, pause (with its length), abandon, resume."""

    kind: str
    at: float
    role: str | None = None
    detail: str = ""
    duration: float = 0.0


@dataclass(frozen=True)
class CriticalStep:
    task: str
    title: str
    role: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class RoleMetrics:
    role: str
    name: str
    player: str
    segments: list[Segment] = field(default_factory=list)
    tasks_done: int = 0
    traps: int = 0
    points: dict[str, int] = field(default_factory=dict)  # choices / tasks / traps, this role's own
    paused: float = 0.0  # seconds its session stood paused (not on the timeline: game time)

    def total(self, kind: str) -> float:
        return sum(s.duration for s in self.segments if s.kind == kind)

    @property
    def own_points(self) -> int:
        return sum(self.points.values())


@dataclass
class SessionMetrics:
    session_id: str
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    team: str
    status: str
    ending: str | None
    ending_title: str
    ending_bonus: int
    score: int
    score_parts: dict[str, int]
    started_at: float
    ended_at: float
    events: int
    players: dict[str, str]  # role -> player
    roles: dict[str, RoleMetrics]
    tasks: list[TaskRecord]
    waits: list[WaitRecord]
    traps: list[TrapRecord]
    traps_exposed: list[str]  # traps whose node some role reached (sprung or not)
    interventions: list[Intervention]
    critical_path: list[CriticalStep]
    held_up: dict[str, float]  # role (or "" when nobody is named) -> seconds others waited on it
    paused: float = 0.0  # seconds the session stood paused (wall time, left out of every figure)
    team_events: list[tuple[str, str, float]] = field(default_factory=list)  # (id, title, at)

    @property
    def duration(self) -> float:
        """Seconds of play: from the start to the last event, paused spans excluded."""
        return self.ended_at - self.started_at - self.paused

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.started_at).strftime("%Y-%m-%d")

    def player_points(self) -> dict[str, int]:
        """积分 earned in this session: each player's own roles' points plus the ending bonus once."""
        out: dict[str, int] = {}
        for role, rm in self.roles.items():
            player = self.players.get(role, "")
            out[player] = out.get(player, 0) + rm.own_points
        for player in out:
            out[player] += self.ending_bonus
        return out


# --- one session ---------------------------------------------------------------------------------


class _Replay:
    """Folds a log event by event, watching the state to cut timelines, waits and causes."""

    def __init__(self, scenario: Scenario, events: list[Event]) -> None:
        self.s = scenario
        self.events = events
        self.state = State()
        self.prev_t: float | None = None
        self.actor: str | None = None
        self.turn_completed: str | None = None
        self.segments: dict[str, list[Segment]] = {}
        self.open_waits: dict[str, tuple[float, str, tuple[str, ...], tuple[str, ...]]] = {}
        self.waits: list[WaitRecord] = []
        self.traps: list[TrapRecord] = []
        self.tasks: dict[str, TaskRecord] = {}
        self.interventions: list[Intervention] = []
        self.paused_at: float | None = None  # wall time the open pause began
        self.pause_t = 0.0  # ... and its game time
        self.visited: set[tuple[str, str]] = set()
        self.points: dict[str, dict[str, int]] = {}
        self.team_events: list[tuple[str, str, float]] = []
        self.t0 = events[0].at if events else 0.0

    def game_time(self, at: float) -> float:
        """Seconds of play at wall time ``at``, by the state folded so far (before the event at ``at``)."""
        st = self.state
        return st.game_now(at) - self.t0 - st.paused_total

    # timelines -----------------------------------------------------------------------------

    def _add(self, role: str, kind: str, start: float, end: float, task: str | None) -> None:
        if end <= start:
            return
        segs = self.segments[role]
        if segs and segs[-1].kind == kind and segs[-1].task == task and segs[-1].end == start:
            segs[-1] = Segment(kind, segs[-1].start, end, task)
        else:
            segs.append(Segment(kind, start, end, task))

    def advance(self, t: float) -> None:
        """Credit the game time since the previous event to each role's status as it was then
        (a pause adds nothing: game time stands still)."""
        st, prev = self.state, self.prev_t
        self.prev_t = t if prev is None else max(prev, t)
        if prev is None or t <= prev or st.status in ("new", "ended", "stuck", "abandoned"):
            return
        a, b = prev, t
        for role, rs in st.roles.items():
            if rs.waiting is not None:
                self._add(role, "waiting", a, b, rs.waiting.task)
            elif rs.task is not None:
                lock_end = min(b, max(a, self.game_time(rs.locked_until)))
                self._add(role, "locked", a, lock_end, rs.task)
                self._add(role, "working", lock_end, b, rs.task)

    # waits ---------------------------------------------------------------------------------

    def _close_wait(self, role: str, t: float, released_by: str | None) -> None:
        w = self.open_waits.pop(role, None)
        if w is not None:
            start, task, blockers, missing = w
            self.waits.append(WaitRecord(role, task, start, t, blockers, missing, released_by))

    def _close_all_waits(self, t: float) -> None:
        for role in list(self.open_waits):
            self._close_wait(role, t, None)

    # the fold ------------------------------------------------------------------------------

    def run(self) -> None:
        st, s = self.state, self.s
        for e in self.events:
            t = self.game_time(e.at)
            self.advance(t)
            d, kind = e.data, e.kind
            if kind in TURN_KINDS:
                self.actor, self.turn_completed = e.role, None
            apply_event(st, e)
            if kind == "session_started":
                self.segments = {r: [] for r in st.roles}
                self.points = {r: {} for r in st.roles}
            elif kind == "task_opened":
                self._close_wait(d["role"], t, self.actor)
                self.visited.add((d["task"], d["node"]))
                self.tasks[d["task"]] = TaskRecord(
                    d["task"],
                    s.tasks[d["task"]].title,
                    d["role"],
                    st.players.get(d["role"], ""),
                    t,
                    None,
                    None,
                    0,
                    self.turn_completed,
                )
            elif kind == "node_entered":
                self.visited.add((d["task"], d["node"]))
            elif kind == "role_waiting":
                role = d["role"]
                key = (d["task"], tuple(d["blockers"]), tuple(d["missing"]))
                current = self.open_waits.get(role)
                if current is None or current[1:] != key:
                    self._close_wait(role, t, self.actor)
                    self.open_waits[role] = (t, *key)
            elif kind == "role_finished":
                self._close_wait(d["role"], t, self.actor)
            elif kind == "choice_made":
                self._credit(d["role"], "choices", d["points"])
            elif kind == "trap_sprung":
                trap = s.traps[d["trap"]].trap
                lockout = max(0.0, d["lockout_until"] - e.at) if d["lockout_until"] else 0.0
                self.traps.append(
                    TrapRecord(
                        d["trap"],
                        trap.title,
                        d["role"],
                        st.players.get(d["role"], ""),
                        d["task"],
                        d["node"],
                        t,
                        d["penalty"],
                        lockout,
                        trap.explanation.strip(),
                        trap.source,
                    )
                )
                self._credit(d["role"], "traps", -d["penalty"])
            elif kind == "task_completed":
                self.turn_completed = d["task"]
                self._credit(d["role"], "tasks", d["points"])
                rec = self.tasks.get(d["task"])
                if rec is not None:
                    self.tasks[d["task"]] = TaskRecord(
                        rec.task,
                        rec.title,
                        rec.role,
                        rec.player,
                        rec.opened,
                        t,
                        d["outcome"],
                        d["points"],
                        rec.cause,
                    )
            elif kind == "hint_given":
                self.interventions.append(Intervention("hint", t, d["role"], d["text"]))
            elif kind == "task_skipped":
                self.interventions.append(Intervention("skip", t, d["role"], d["task"]))
            elif kind == "team_event":
                self.team_events.append((d["event"], s.events[d["event"]].title, t))
            elif kind == "session_paused":
                self.paused_at = e.at
                self.pause_t = t
            elif kind == "session_unpaused":
                self._end_pause(e.at)
            elif kind == "session_abandoned":
                self._end_pause(e.at)
                self.interventions.append(Intervention("abandon", t, None, d.get("reason", "")))
                self._close_all_waits(t)
            elif kind == "session_resumed":
                self.interventions.append(Intervention("resume", t))
            elif kind == "ending_reached":
                self._close_all_waits(t)
        if self.paused_at is not None and self.events:
            self._end_pause(self.events[-1].at)
        if self.events:
            self._close_all_waits(self.game_time(self.events[-1].at))

    def _credit(self, role: str, part: str, points: int) -> None:
        if points:
            bucket = self.points[role]
            bucket[part] = bucket.get(part, 0) + points

    def _end_pause(self, at: float) -> None:
        """A pause is recorded at the game time it began, lasting the wall time it stood."""
        if self.paused_at is not None:
            self.interventions.append(Intervention("pause", self.pause_t, None, "", at - self.paused_at))
            self.paused_at = None


def critical_path(tasks: list[TaskRecord]) -> list[CriticalStep]:
    """The chain of tasks that set the session's length.

    Start from the task completed last; step back to the task whose completion (in the same
    turn) opened it; repeat until a task that was open from the start, or opened by something
    other than a completion (a trap's remedial task, a flag). Because each step opened the
    moment its predecessor finished, the steps are back to back in time.
    """
    done = [t for t in tasks if t.completed is not None]
    if not done:
        return []
    by_id = {t.task: t for t in tasks}
    current: TaskRecord | None = max(done, key=lambda t: t.completed or 0.0)
    chain: list[CriticalStep] = []
    seen: set[str] = set()
    while current is not None and current.task not in seen and current.completed is not None:
        seen.add(current.task)
        chain.append(
            CriticalStep(current.task, current.title, current.role, current.opened, current.completed)
        )
        current = by_id.get(current.cause) if current.cause else None
    chain.reverse()
    return chain


def session_metrics(
    scenario: Scenario, events: list[Event], session_id: str = "", players: dict[str, str] | None = None
) -> SessionMetrics:
    """Replay one session's events and measure it. ``scenario`` must be the text it was played with."""
    if not events or events[0].kind != "session_started":
        raise ValueError(f"会话 {session_id} 的事件记录不完整（缺少开始事件）")
    replay = _Replay(scenario, events)
    replay.run()
    st = replay.state  # a live session's time runs to its last event, never to "now"
    # a log that stops mid-pause (a live session) counts its open pause as paused too
    paused = st.paused_total + (st.now - st.paused_at if st.paused_at is not None else 0.0)
    who = dict(st.players) if players is None else {**st.players, **players}
    roles: dict[str, RoleMetrics] = {}
    for role_id, rs in st.roles.items():
        roles[role_id] = RoleMetrics(
            role_id,
            scenario.role_name(role_id),
            who.get(role_id, ""),
            replay.segments.get(role_id, []),
            rs.tasks_done,
            rs.traps,
            dict(replay.points.get(role_id, {})),
            paused,
        )
    held: dict[str, float] = {}
    for w in replay.waits:
        owners = w.blockers or ((w.released_by,) if w.released_by else ("",))
        for owner in owners:
            held[owner] = held.get(owner, 0.0) + w.duration / len(owners)
    tasks = sorted(replay.tasks.values(), key=lambda r: (r.opened, r.task))
    exposed = [
        trap_id for trap_id, site in scenario.traps.items() if (site.task, site.node) in replay.visited
    ]
    ending = scenario.endings.get(st.ending) if st.ending else None
    return SessionMetrics(
        session_id=session_id,
        scenario_id=st.scenario_id,
        scenario_title=scenario.title,
        scenario_hash=st.scenario_hash,
        team=st.team,
        status=st.status,
        ending=st.ending,
        ending_title=ending.title if ending else "",
        ending_bonus=st.score_parts.get("ending", 0),
        score=st.score,
        score_parts=dict(st.score_parts),
        started_at=st.started_at,
        ended_at=st.now,
        events=len(events),
        players=who,
        roles=roles,
        tasks=tasks,
        waits=replay.waits,
        traps=replay.traps,
        traps_exposed=exposed,
        interventions=replay.interventions,
        critical_path=critical_path(tasks),
        held_up=dict(sorted(held.items(), key=lambda kv: -kv[1])),
        paused=paused,
        team_events=replay.team_events,
    )


# --- many sessions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    team: str
    sessions: int
    ended: int
    best_score: int
    avg_score: float
    best_time: float | None  # fastest session that reached an ending
    avg_time: float
    traps: int

    @property
    def traps_per_session(self) -> float:
        return self.traps / self.sessions if self.sessions else 0.0


@dataclass(frozen=True)
class PlayerRow:
    player: str
    points: int  # 积分
    sessions: int
    teams: tuple[str, ...]
    traps: int
    tasks_done: int
    perfect: int  # sessions in which this player sprang no trap and the team reached an ending
    badges: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrapRate:
    scenario_id: str
    trap: str
    title: str
    explanation: str
    exposed: int  # sessions in which some role reached the trap's node
    sprung: int

    @property
    def rate(self) -> float:
        return self.sprung / self.exposed if self.exposed else 0.0


@dataclass(frozen=True)
class TimeStat:
    key: str
    label: str
    count: int
    mean: float


@dataclass(frozen=True)
class RoleTime:
    scenario_id: str
    role: str
    name: str
    sessions: int
    working: float  # mean seconds per session
    locked: float
    waiting: float


@dataclass(frozen=True)
class TrendPoint:
    date: str
    sessions: int
    avg_score: float
    avg_traps: float
    avg_duration: float


@dataclass
class CohortMetrics:
    sessions: int
    ended: int
    total_score: int
    total_traps: int
    total_duration: float
    statuses: dict[str, int]
    endings: list[tuple[str, str, str, int]]  # (scenario id, ending id, title, count)
    leaderboard: list[TeamRow]
    players: list[PlayerRow]
    honor_wall: list[PlayerRow]
    trap_rates: list[TrapRate]
    task_times: list[TimeStat]
    role_times: list[RoleTime]
    trend: list[TrendPoint]

    @property
    def avg_score(self) -> float:
        return self.total_score / self.sessions if self.sessions else 0.0

    @property
    def avg_duration(self) -> float:
        return self.total_duration / self.sessions if self.sessions else 0.0


HONOR_WALL_SIZE = 10


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def leaderboard(sessions: list[SessionMetrics]) -> list[TeamRow]:
    """Teams ranked by best score, then fastest finish, then fewest traps per session."""
    by_team: dict[str, list[SessionMetrics]] = defaultdict(list)
    for m in sessions:
        by_team[m.team].append(m)
    rows = []
    for team, ms in by_team.items():
        finished = [m.duration for m in ms if m.status == "ended"]
        rows.append(
            TeamRow(
                team,
                len(ms),
                len(finished),
                max(m.score for m in ms),
                _mean([m.score for m in ms]),
                min(finished) if finished else None,
                _mean([m.duration for m in ms]),
                sum(len(m.traps) for m in ms),
            )
        )
    rows.sort(
        key=lambda r: (
            -r.best_score,
            r.best_time if r.best_time is not None else float("inf"),
            r.traps_per_session,
            r.team,
        )
    )
    return rows


def player_table(sessions: list[SessionMetrics]) -> list[PlayerRow]:
    """Every player with accumulated 积分, ranked (points, then fewer traps, then name)."""
    points: Counter[str] = Counter()
    count: Counter[str] = Counter()
    traps: Counter[str] = Counter()
    done: Counter[str] = Counter()
    perfect: Counter[str] = Counter()
    teams: dict[str, dict[str, None]] = defaultdict(dict)
    for m in sessions:
        for player, pts in m.player_points().items():
            points[player] += pts
            count[player] += 1
            teams[player][m.team] = None
        mine: Counter[str] = Counter(t.player for t in m.traps)
        for player in {m.players.get(r, "") for r in m.roles}:
            traps[player] += mine[player]
            if m.status == "ended" and not mine[player]:
                perfect[player] += 1
        for rm in m.roles.values():
            done[rm.player] += rm.tasks_done
    rows = [PlayerRow(p, points[p], count[p], tuple(teams[p]), traps[p], done[p], perfect[p]) for p in count]
    rows.sort(key=lambda r: (-r.points, r.traps, r.player))
    return rows


def honor_wall(players: list[PlayerRow], size: int = HONOR_WALL_SIZE) -> list[PlayerRow]:
    """The top players by 积分, each with badges: 积分榜首, 零失误 (3+ sessions, no trap), 常客 (5+)."""
    out = []
    for rank, row in enumerate(players[:size]):
        badges = []
        if rank == 0 and row.points > 0:
            badges.append("积分榜首")
        if row.sessions >= 3 and row.traps == 0:
            badges.append("零失误")
        if row.sessions >= 5:
            badges.append("常客")
        out.append(
            PlayerRow(
                row.player,
                row.points,
                row.sessions,
                row.teams,
                row.traps,
                row.tasks_done,
                row.perfect,
                tuple(badges),
            )
        )
    return out


def cohort_metrics(sessions: list[SessionMetrics], scenarios: dict[str, Scenario]) -> CohortMetrics:
    """Aggregate sessions; ``scenarios`` maps scenario hash -> the Scenario each was played with."""
    statuses: Counter[str] = Counter(m.status for m in sessions)
    ending_count: Counter[tuple[str, str]] = Counter((m.scenario_id, m.ending) for m in sessions if m.ending)
    ending_title = {(m.scenario_id, m.ending): m.ending_title for m in sessions if m.ending}
    endings = [(sc, e, ending_title[(sc, e)], n) for (sc, e), n in ending_count.most_common()]

    exposed: Counter[tuple[str, str]] = Counter()
    sprung: Counter[tuple[str, str]] = Counter()
    trap_info: dict[tuple[str, str], tuple[str, str]] = {}
    task_durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    task_title: dict[tuple[str, str], str] = {}
    role_totals: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
    role_name: dict[tuple[str, str], str] = {}
    by_day: dict[str, list[SessionMetrics]] = defaultdict(list)
    for m in sessions:
        sc = scenarios[m.scenario_hash]
        for trap_id in m.traps_exposed:
            exposed[(m.scenario_id, trap_id)] += 1
            trap = sc.traps[trap_id].trap
            trap_info[(m.scenario_id, trap_id)] = (trap.title, trap.explanation.strip())
        for trap_id in {t.trap for t in m.traps}:
            sprung[(m.scenario_id, trap_id)] += 1
        for rec in m.tasks:
            if rec.duration is not None and rec.outcome != "skipped":
                task_durations[(m.scenario_id, rec.task)].append(rec.duration)
                task_title[(m.scenario_id, rec.task)] = rec.title
        for rm in m.roles.values():
            role_totals[(m.scenario_id, rm.role)].append(
                (rm.total("working"), rm.total("locked"), rm.total("waiting"))
            )
            role_name[(m.scenario_id, rm.role)] = rm.name
        by_day[m.date].append(m)

    rates = [
        TrapRate(sc, trap, *trap_info[(sc, trap)], n, sprung[(sc, trap)]) for (sc, trap), n in exposed.items()
    ]
    rates.sort(key=lambda r: (-r.rate, -r.sprung, r.scenario_id, r.trap))
    task_times = [
        TimeStat(f"{sc}/{task}", task_title[(sc, task)], len(v), _mean(v))
        for (sc, task), v in task_durations.items()
    ]
    task_times.sort(key=lambda r: -r.mean)
    role_times = [
        RoleTime(
            sc,
            role,
            role_name[(sc, role)],
            len(v),
            _mean([x[0] for x in v]),
            _mean([x[1] for x in v]),
            _mean([x[2] for x in v]),
        )
        for (sc, role), v in role_totals.items()
    ]
    trend = [
        TrendPoint(
            day,
            len(ms),
            _mean([m.score for m in ms]),
            _mean([len(m.traps) for m in ms]),
            _mean([m.duration for m in ms]),
        )
        for day, ms in sorted(by_day.items())
    ]
    players = player_table(sessions)
    return CohortMetrics(
        sessions=len(sessions),
        ended=statuses.get("ended", 0),
        total_score=sum(m.score for m in sessions),
        total_traps=sum(len(m.traps) for m in sessions),
        total_duration=sum(m.duration for m in sessions),
        statuses=dict(statuses),
        endings=endings,
        leaderboard=leaderboard(sessions),
        players=players,
        honor_wall=honor_wall(players),
        trap_rates=rates,
        task_times=task_times,
        role_times=role_times,
        trend=trend,
    )
