"""Members over a period: who came, their 积分 and 得分率, what they learned, and who has not come.

    member_report(review, members, links) -> MemberReport

``review`` is the period's sessions (already filtered by date, scenario or team); ``links`` says
which member each player of a session was (recorded when the session started). Every figure is
the session's own, replayed from its log: a member's 积分 is the sum of their player's 积分 in each
session, their 得分率 their own points over their roles' opportunity, and their learning the
knowledge check's answers before and after play. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.review.learning import PlayerLearning, Rates
from engine.review.selection import Review
from engine.store.members import Member, display_names


@dataclass
class MemberRow(Rates):
    member: Member
    shown: str  # the display name players pick
    sessions: int = 0
    points: int = 0  # 积分
    own_points: int = 0
    opportunity: int = 0
    traps: int = 0
    teams: list[str] = field(default_factory=list)
    last: float | None = None  # when their latest session started
    pre_answered: int = 0
    pre_right: int = 0
    post_answered: int = 0
    post_right: int = 0
    gain: int | None = None  # more items right after play, over sessions with both checks

    @property
    def rate(self) -> float | None:
        return self.own_points / self.opportunity if self.opportunity > 0 else None

    def add_learning(self, p: PlayerLearning) -> None:
        self.pre_answered += p.pre_answered
        self.pre_right += p.pre_right
        self.post_answered += p.post_answered
        self.post_right += p.post_right
        if p.gain is not None:
            self.gain = (self.gain or 0) + p.gain


@dataclass
class MemberReport:
    review: Review
    attended: list[MemberRow]  # by 积分, then name
    absent: list[MemberRow]  # members with no session in the period, by 支部 then name
    guests: list[str]  # players of the period who were no member

    @property
    def members(self) -> int:
        return len(self.attended) + len(self.absent)


def member_report(review: Review, members: list[Member], links: dict[str, dict[str, str]]) -> MemberReport:
    shown = display_names(members)
    rows = {m.id: MemberRow(m, shown[m.id]) for m in members}
    guests: dict[str, None] = {}
    for m in review.sessions:
        linked = links.get(m.session_id, {})
        points = m.player_points()
        share = m.player_share()
        traps: dict[str, int] = {}
        for t in m.traps:
            traps[t.player] = traps.get(t.player, 0) + 1
        for player in dict.fromkeys(m.players.values()):
            row = rows.get(linked.get(player, ""))
            if row is None:
                guests[player] = None
                continue
            row.sessions += 1
            row.points += points.get(player, 0)
            got, could = share.get(player, (0, 0))
            row.own_points += got
            row.opportunity += could
            row.traps += traps.get(player, 0)
            if m.team not in row.teams:
                row.teams.append(m.team)
            row.last = max(row.last or m.started_at, m.started_at)
            learned = m.learning.of(player) if m.learning is not None else None
            if learned is not None:
                row.add_learning(learned)
    attended = sorted((r for r in rows.values() if r.sessions), key=lambda r: (-r.points, r.shown))
    absent = sorted(
        (r for r in rows.values() if not r.sessions), key=lambda r: (r.member.branch, r.member.name, r.shown)
    )
    return MemberReport(review, attended, absent, [g for g in guests if g])
