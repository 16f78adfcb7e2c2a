"""Review figures, computed only by replaying a session's event log through the rules' fold.

    session_metrics(scenario, events, ...) -> SessionMetrics   one session's debrief

(Its records are in :mod:`engine.review.records`; many sessions are aggregated by
:mod:`engine.review.cohort`.)

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

from engine.format.scenario import Scenario
from engine.review.learning import session_learning
from engine.review.opportunity import role_opportunity, task_best
from engine.review.records import (
    CriticalStep,
    Intervention,
    RoleMetrics,
    Segment,
    SessionMetrics,
    TaskRecord,
    TrapRecord,
    WaitRecord,
)
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
            # the program was down from ``down_since``: play stopped there, not at the resume
            t = self.game_time(e.data.get("down_since", e.at) if e.kind == "session_resumed" else e.at)
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
                down = e.at - d["down_since"] if "down_since" in d else 0.0
                self.interventions.append(Intervention("resume", t, None, "", down))
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
    # The knowledge check is not play: the fold stops the game clock while it is open (as in a
    # pause), so its answers move no timeline and no duration; they are measured apart.
    replay = _Replay(scenario, events)
    replay.run()
    st = replay.state  # a live session's time runs to its last event, never to "now"
    # a log that stops mid-pause (a live session) counts its open pause as paused too
    paused = st.paused_total + (st.now - st.paused_at if st.paused_at is not None else 0.0)
    who = dict(st.players) if players is None else {**st.players, **players}
    roles: dict[str, RoleMetrics] = {}
    opportunity = dict(role_opportunity(scenario))
    for rec in replay.tasks.values():  # a remedial task that opened for a role is work it could score
        if rec.task in scenario.tasks and scenario.tasks[rec.task].remedial:
            opportunity[rec.role] = opportunity.get(rec.role, 0) + task_best(scenario, rec.task)
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
            opportunity.get(role_id, 0),
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
    sprung = {t.trap for t in replay.traps}
    learning = session_learning(scenario, events, [who.get(r, "") for r in st.roles], exposed, sprung)
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
        learning=learning,
    )
