"""Members over a period (engine/review/attendance.py) and their report (engine/report/members_out.py)."""

from __future__ import annotations

import time
from pathlib import Path

from quizlog import QUIZ, check, splice, with_quiz

from engine.format.scenario import Scenario
from engine.report.members_out import render, report_dict, write_member_report
from engine.review.attendance import member_report
from engine.review.cohort import cohort_metrics
from engine.review.metrics import session_metrics
from engine.review.selection import Filters, Review
from engine.store.members import Member
from engine.tools.bots import play_bot_session

ALL = {q.id for q in QUIZ}
MEMBERS = [Member("m1", "张三", "一支部"), Member("m2", "李四", "一支部"), Member("m3", "王五", "二支部")]


def period(tutorial: Scenario) -> Review:
    """Two sessions: 张三 checks before and after in the first, only after in the second."""
    quizzed = with_quiz(tutorial)
    ms = []
    for n, pre in enumerate(({"张三": {"q_chair"}}, {})):
        game = play_bot_session(
            tutorial, "expert", seed=n, team=f"{n}队", players=["张三", "李四", "访客"]
        ).events
        log = splice(
            game, check(game[0].at, "pre", pre), check(game[-1].at + 1, "post", {"张三": ALL - {"q_date"}})
        )
        ms.append(session_metrics(quizzed, log, f"s{n}"))
    return Review(
        Filters(), time.time(), ms, {tutorial.hash: quizzed}, cohort_metrics(ms, {tutorial.hash: quizzed})
    )


def test_members_attendance_points_and_learning(tutorial: Scenario) -> None:
    review = period(tutorial)
    links = {m.session_id: {"张三": "m1", "李四": "m2"} for m in review.sessions}
    report = member_report(review, MEMBERS, links)
    rows = {r.member.id: r for r in report.attended}
    zhang = rows["m1"]
    assert zhang.sessions == 2 and zhang.teams == ["0队", "1队"]
    assert zhang.points == sum(m.player_points()["张三"] for m in review.sessions)
    assert zhang.rate == 1.0  # expert bots: every point their roles could score
    # 1 right before, 3 after in the first session; only after in the second: gain counts the first
    assert (zhang.pre_answered, zhang.pre_right, zhang.post_answered, zhang.post_right) == (4, 1, 8, 6)
    assert zhang.gain == 2
    li = rows["m2"]
    assert li.sessions == 2 and li.pre_rate is None and li.gain is None  # never checked: not zero
    assert [r.member.id for r in report.absent] == ["m3"] and report.guests == ["访客"]


def test_member_report_formats(tutorial: Scenario, tmp_path: Path) -> None:
    review = period(tutorial)
    report = member_report(review, MEMBERS, {"s0": {"张三": "m1"}})
    doc = report_dict(report)
    assert [r["name"] for r in doc["members"]] == ["张三"] and doc["members"][0]["gain"] == 2
    assert [r["name"] for r in doc["absent"]] == ["李四", "王五"]
    html = render(report)
    assert "尚未参加（2）" in html and "王五" in html and "得分率" in html and "+2" in html
    assert "访客" in html  # players not on the roster are named, not counted
    (csv_path,) = write_member_report(report, "csv", tmp_path / "m.csv")
    rows = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + 3 and rows[1].startswith("张三,一支部,,1,")
