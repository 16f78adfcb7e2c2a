"""Many sessions aggregated: standings, players' 积分 and honours, trap rates, times, trends, learning.

    cohort_metrics(sessions, scenarios) -> CohortMetrics

Pure: built only from :class:`engine.review.records.SessionMetrics` (one session's replayed
figures), so a cohort cannot disagree with its sessions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from engine.format.scenario import Scenario
from engine.review.gains import CohortLearning, cohort_learning
from engine.review.records import SessionMetrics


@dataclass(frozen=True)
class TeamStanding:
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
    own_points: int = 0  # their roles' own points (积分 without the shared ending bonus)
    opportunity: int = 0  # the most their roles' own tasks could have given

    @property
    def rate(self) -> float:
        """得分率: own points over opportunity, so roles with more tasks do not rank higher."""
        return self.own_points / self.opportunity if self.opportunity > 0 else 0.0


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
    leaderboard: list[TeamStanding]
    players: list[PlayerRow]
    honor_wall: list[PlayerRow]
    trap_rates: list[TrapRate]
    task_times: list[TimeStat]
    role_times: list[RoleTime]
    trend: list[TrendPoint]
    learning: CohortLearning

    @property
    def avg_score(self) -> float:
        return self.total_score / self.sessions if self.sessions else 0.0

    @property
    def avg_duration(self) -> float:
        return self.total_duration / self.sessions if self.sessions else 0.0


HONOR_WALL_SIZE = 10


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def leaderboard(sessions: list[SessionMetrics]) -> list[TeamStanding]:
    """Teams ranked by best score, then fastest finish, then fewest traps per session."""
    by_team: dict[str, list[SessionMetrics]] = defaultdict(list)
    for m in sessions:
        by_team[m.team].append(m)
    rows = []
    for team, ms in by_team.items():
        finished = [m.duration for m in ms if m.status == "ended"]
        rows.append(
            TeamStanding(
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
    own: Counter[str] = Counter()
    most: Counter[str] = Counter()
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
        for player, (got, could) in m.player_share().items():
            own[player] += got
            most[player] += could
    rows = [
        PlayerRow(p, points[p], count[p], tuple(teams[p]), traps[p], done[p], perfect[p], (), own[p], most[p])
        for p in count
    ]
    rows.sort(key=lambda r: (-r.points, r.traps, r.player))
    return rows


def honor_wall(players: list[PlayerRow], size: int = HONOR_WALL_SIZE) -> list[PlayerRow]:
    """The top players by 得分率 (own points over their roles' opportunity; ties: more 积分, fewer
    traps, name), each with badges: 得分率第一, 零失误 (3+ sessions, no trap), 常客 (5+ sessions).

    Ranking by the share of what one's roles could earn, not by raw points, keeps a role with
    fewer tasks from coming last by construction."""
    ranked = sorted(
        (p for p in players if p.opportunity > 0), key=lambda r: (-r.rate, -r.points, r.traps, r.player)
    )
    out = []
    for rank, row in enumerate(ranked[:size]):
        badges = []
        if rank == 0 and row.rate > 0:
            badges.append("得分率第一")
        if row.sessions >= 3 and row.traps == 0:
            badges.append("零失误")
        if row.sessions >= 5:
            badges.append("常客")
        out.append(replace(row, badges=tuple(badges)))
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
        learning=cohort_learning(sessions, rates),
    )
