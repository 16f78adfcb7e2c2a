"""The two scrolling pages of a session's debrief in the game's review: figures on the left, the
story (ending, what the team learned, traps with their history, interventions) on the right. Everything comes from
the session's replayed metrics, worded by :mod:`engine.present.labels`."""

from __future__ import annotations

from engine.format.scenario import Scenario
from engine.present.labels import INTERVENTION_NAMES, format_duration, score_parts, seconds_left
from engine.review.records import SessionMetrics
from engine.ui import theme as th
from engine.ui.datagrid import Page
from engine.ui.learning_view import session_learning_page
from engine.ui.theme import Theme

ROLE_WEIGHTS = (22, 14, 12, 12, 12, 10, 8, 10)


def left_page(page: Page, m: SessionMetrics, t: Theme) -> None:
    """Score parts, each role's times, the critical path and who held the team up."""
    names = {r: rm.name for r, rm in m.roles.items()}
    page.heading("得分构成")
    page.text(f"{score_parts(m.score_parts)}，合计 {m.score} 分", t.body)
    page.heading("各角色")
    page.row(
        ("角色", "玩家", "行动", "锁定", "等待", "任务", "陷阱", "得分"),
        ROLE_WEIGHTS,
        t.small,
        th.MUTED,
        bold=True,
    )
    for rm in m.roles.values():
        page.row(
            (
                rm.name,
                rm.player,
                format_duration(rm.total("working")),
                format_duration(rm.total("locked")),
                format_duration(rm.total("waiting")),
                str(rm.tasks_done),
                str(rm.traps),
                str(rm.own_points),
            ),
            ROLE_WEIGHTS,
            t.body,
        )
    page.heading("关键路径（决定本局用时的任务链）")
    if not m.critical_path:
        page.text("没有完成的任务链。", t.body, th.MUTED)
    for n, c in enumerate(m.critical_path, start=1):
        page.text(
            f"{n}. {names.get(c.role, c.role)}《{c.title}》 "
            f"{format_duration(c.start)}–{format_duration(c.end)}（{format_duration(c.duration)}）",
            t.body,
        )
    page.heading("谁让队友等了多久")
    if not m.held_up:
        page.text("没有人让队友等待。", t.body, th.MUTED)
    most = max(m.held_up.values(), default=0.0)
    for role, seconds in sorted(m.held_up.items(), key=lambda kv: -kv[1]):
        page.bar(
            names.get(role, role) if role else "未指明", seconds, most, format_duration(seconds), th.GOLD
        )


def right_page(page: Page, m: SessionMetrics, scenario: Scenario, t: Theme) -> None:
    """The ending, the knowledge check before and after play, each trap with its history and
    source, the facilitator's interventions."""
    names = {r: rm.name for r, rm in m.roles.items()}
    if m.ending:
        page.heading(f"结局：{m.ending_title}")
        page.text(scenario.endings[m.ending].text.strip(), t.body)
    session_learning_page(page, m.learning, t)
    page.heading(f"陷阱与历史讲解（{len(m.traps)}）")
    if not m.traps:
        page.text("本局没有落入任何陷阱。", t.body, th.MUTED)
    for trap in m.traps:
        bites = [f"扣 {trap.penalty} 分"] if trap.penalty else []
        if trap.lockout_seconds:
            bites.append(f"锁定 {seconds_left(trap.lockout_seconds)} 秒")
        task = scenario.tasks[trap.task].title if trap.task in scenario.tasks else trap.task
        page.text(f"【{trap.title}】", t.body, th.RED, bold=True)
        page.text(
            f"{names.get(trap.role, trap.role)}（{trap.player}）于 {format_duration(trap.at)} 在《{task}》"
            + ("，" + "，".join(bites) if bites else ""),
            t.small,
            th.MUTED,
        )
        page.text(trap.explanation.strip(), t.body)
        if trap.source:
            page.text(f"出处：{trap.source}", t.small, th.MUTED)
        page.gap(8)
    page.heading(f"主持人干预（{len(m.interventions)}）")
    if not m.interventions:
        page.text("本局主持人没有干预。", t.body, th.MUTED)
    for i in m.interventions:
        detail = (
            scenario.tasks[i.detail].title if i.kind == "skip" and i.detail in scenario.tasks else i.detail
        )
        bits = [format_duration(i.at), INTERVENTION_NAMES.get(i.kind, i.kind)]
        if i.role:
            bits.append(names.get(i.role, i.role))
        if detail:
            bits.append(
                f"“{detail}”" if i.kind == "hint" else f"《{detail}》" if i.kind == "skip" else detail
            )
        if i.duration:
            bits.append(f"时长 {format_duration(i.duration)}")
        page.text(" · ".join(bits), t.body)
