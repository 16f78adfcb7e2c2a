"""The HTML report: one self-contained, printable file (inline CSS and SVG; no scripts, no fetches).

A single session gives its debrief; several give the cohort view (leaderboard, honor wall,
trap hit rates, times, endings, trend, session list) followed by the debriefs of the most
recent sessions (all of them up to ``MAX_DEBRIEFS``).
"""

from __future__ import annotations

from pathlib import Path

from engine.format.model import OUTCOME_DEFAULTS
from engine.format.scenario import Scenario
from engine.present.labels import (
    INTERVENTION_NAMES,
    NO_ENDING,
    PART_NAMES,
    STATUS_NAMES,
    format_duration,
    seconds_left,
)
from engine.report import html_learning, svg
from engine.report.html_parts import cards, dur, esc, head, table, when, write_page
from engine.review.cohort import CohortMetrics
from engine.review.records import SessionMetrics
from engine.review.selection import Review

MAX_DEBRIEFS = 20


def debrief(m: SessionMetrics, review: Review) -> str:
    sc = review.scenario_of(m)
    names = {r: rm.name for r, rm in m.roles.items()}
    out = [f'<section class="debrief" id="s-{esc(m.session_id)}">']
    out.append(f"<h2>复盘：{esc(m.team)} · {esc(m.scenario_title)}</h2>")
    out.append(
        f'<p class="meta">会话 {esc(m.session_id)} · 开始于 {when(m.started_at)} · {esc(STATUS_NAMES.get(m.status, m.status))}</p>'
    )
    ending = m.ending_title or NO_ENDING.get(m.status, "未结束")
    out.append(
        cards(
            [
                ("结局", ending),
                ("总分", str(m.score)),
                ("用时", format_duration(m.duration)),
                ("落入陷阱", str(len(m.traps))),
                ("主持人干预", str(len(m.interventions))),
            ]
        )
    )
    if m.ending:
        out.append(f"<p>{esc(sc.endings[m.ending].text.strip())}</p>")
    parts: list[list[object]] = [[PART_NAMES.get(k, k), f"{v:+d}"] for k, v in m.score_parts.items() if v]
    out.append("<h3>得分构成</h3>" + table(["来源", "分数"], [*parts, ["合计", str(m.score)]], {1}, "narrow"))
    out.append("<h3>各角色时间线</h3>" + svg.gantt(m))
    out.append(
        table(
            ["角色", "玩家", "行动", "锁定", "等待", "完成任务", "陷阱", "个人得分"],
            [
                [
                    rm.name,
                    rm.player,
                    dur(rm.total("working")),
                    dur(rm.total("locked")),
                    dur(rm.total("waiting")),
                    rm.tasks_done,
                    rm.traps,
                    rm.own_points,
                ]
                for rm in m.roles.values()
            ],
            {2, 3, 4, 5, 6, 7},
        )
    )
    if m.critical_path:
        items = "".join(
            f"<li>{esc(names.get(c.role, c.role))}《{esc(c.title)}》 {dur(c.start)}–{dur(c.end)}（{dur(c.duration)}）</li>"
            for c in m.critical_path
        )
        out.append(
            f'<h3>关键路径</h3><p class="note">决定本局用时的任务链：每一步都在上一步完成的那一刻才开始。</p><ol class="path">{items}</ol>'
        )
    if m.held_up:
        out.append(
            '<h3>谁让队友等了多久</h3><p class="note">队友等待的时间，按阻塞者分摊（多人阻塞时平分）。</p>'
        )
        bars = [(names.get(r, r) if r else "未指明", v, format_duration(v)) for r, v in m.held_up.items()]
        out.append(svg.hbars(bars, "等待时间归属", color=svg.COLORS["waiting"]))
    out.append(html_learning.session_section(m.learning))
    out.append(f"<h3>陷阱（{len(m.traps)}）</h3>")
    if not m.traps:
        out.append("<p>本局没有落入任何陷阱。</p>")
    for t in m.traps:
        bites = [f"扣 {t.penalty} 分"] if t.penalty else []
        if t.lockout_seconds:
            bites.append(f"锁定 {seconds_left(t.lockout_seconds)} 秒")
        src = f'<div class="src">出处：{esc(t.source)}</div>' if t.source else ""
        out.append(
            f'<div class="trap"><b>{esc(t.title)}</b> — {esc(names.get(t.role, t.role))}（{esc(t.player)}）'
            f"于 {dur(t.at)} 在《{esc(sc.tasks[t.task].title)}》{('，' + '，'.join(bites)) if bites else ''}"
            f"<div>{esc(t.explanation)}</div>{src}</div>"
        )
    if m.interventions:
        out.append("<h3>主持人干预</h3>")
        out.append(
            table(
                ["时间", "类型", "角色", "内容", "时长"],
                [
                    [
                        dur(i.at),
                        INTERVENTION_NAMES.get(i.kind, i.kind),
                        names.get(i.role or "", ""),
                        sc.tasks[i.detail].title if i.kind == "skip" and i.detail in sc.tasks else i.detail,
                        dur(i.duration) if i.duration else "",
                    ]
                    for i in m.interventions
                ],
            )
        )
    out.append("<h3>任务</h3>")
    out.append(
        table(
            ["任务", "角色", "开始", "完成", "用时", "结果", "得分"],
            [
                [
                    t.title,
                    names.get(t.role, t.role),
                    dur(t.opened),
                    dur(t.completed),
                    dur(t.duration),
                    _outcome(sc, t.task, t.outcome),
                    t.points,
                ]
                for t in m.tasks
            ],
            {2, 3, 4, 6},
        )
    )
    out.append("</section>")
    return "\n".join(out)


def _outcome(sc: Scenario, task: str, outcome: str | None) -> str:
    """An outcome as people read it: the task's title for it, never the raw id."""
    if outcome is None:
        return "未完成"
    if task in sc.tasks:
        return sc.tasks[task].outcome_title(outcome)
    return OUTCOME_DEFAULTS.get(outcome, outcome)


def cohort(c: CohortMetrics, review: Review) -> str:
    out = ['<section id="cohort"><h2>总览</h2>']
    out.append(
        cards(
            [
                ("会话", str(c.sessions)),
                ("完成", str(c.ended)),
                ("平均得分", f"{c.avg_score:.1f}"),
                ("平均用时", format_duration(c.avg_duration)),
                ("陷阱总数", str(c.total_traps)),
            ]
        )
    )
    if c.endings:
        out.append("<h3>结局分布</h3>")
        out.append(
            svg.hbars(
                [(title, n, f"{n} 次（{n / c.sessions:.0%}）") for _, _, title, n in c.endings], "结局分布"
            )
        )
    out.append("<h3>队伍排行榜</h3>")
    out.append(
        table(
            ["名次", "队伍", "场次", "最高分", "平均分", "最快用时", "平均用时", "陷阱"],
            [
                [
                    i,
                    r.team,
                    r.sessions,
                    r.best_score,
                    f"{r.avg_score:.1f}",
                    dur(r.best_time),
                    dur(r.avg_time),
                    r.traps,
                ]
                for i, r in enumerate(c.leaderboard[:30], start=1)
            ],
            {0, 2, 3, 4, 5, 6, 7},
        )
    )
    if len(c.leaderboard) > 30:
        out.append(f'<p class="note">另有 {len(c.leaderboard) - 30} 支队伍未列出（见 CSV/JSON）。</p>')
    out.append(
        '<h3>荣誉墙</h3><p class="note">按<b>得分率</b>排名：本人所扮角色的得分 ÷ 这些角色的满分'
        "（角色自己的任务和选择最多能得的分，不含全队共享的结局奖励）。角色的任务有多有少，"
        "得分率让每个角色都有同样的机会登上荣誉墙；同率比积分。</p>"
    )
    out.append('<div class="wall">')
    for i, p in enumerate(c.honor_wall, start=1):
        badges = "".join(f'<span class="badge">{esc(b)}</span>' for b in p.badges)
        out.append(
            f'<div><span class="rank">第 {i} 名</span> <b>{esc(p.player)}</b><div class="pts">{p.rate:.0%} 得分率</div>'
            f'<div class="note">{p.own_points}/{p.opportunity} 分 · {p.points} 积分 · {p.sessions} 场 · 陷阱 {p.traps}</div>{badges}</div>'
        )
    out.append("</div>")
    out.append(html_learning.cohort_section(c.learning, c.sessions))
    if c.trap_rates:
        out.append(
            '<h3>陷阱命中率</h3><p class="note">遇到该陷阱所在情节的会话中，落入陷阱的比例；越高越值得下次重点讲解。</p>'
        )
        out.append(
            svg.hbars(
                [(t.title, t.rate, f"{t.sprung}/{t.exposed}（{t.rate:.0%}）") for t in c.trap_rates],
                "陷阱命中率",
                color=svg.COLORS["trap"],
                vmax=1.0,
            )
        )
    if c.task_times:
        out.append("<h3>各任务平均用时</h3>")
        out.append(
            svg.hbars(
                [(t.label, t.mean, f"{format_duration(t.mean)}（{t.count} 次）") for t in c.task_times],
                "各任务平均用时",
            )
        )
    if c.role_times:
        out.append("<h3>各角色平均时间（每场）</h3>")
        out.append(
            table(
                ["场景", "角色", "场次", "行动", "锁定", "等待"],
                [
                    [r.scenario_id, r.name, r.sessions, dur(r.working), dur(r.locked), dur(r.waiting)]
                    for r in c.role_times
                ],
                {2, 3, 4, 5},
            )
        )
    if c.trend:
        out.append('<h3>趋势</h3><div class="charts">')
        out.append(svg.line_chart([(p.date, p.avg_score) for p in c.trend], "每日平均得分"))
        out.append(svg.line_chart([(p.date, p.avg_traps) for p in c.trend], "每日平均陷阱数", "{:.2f}"))
        out.append(svg.line_chart([(p.date, float(p.sessions)) for p in c.trend], "每日场次", "{:.0f}"))
        out.append("</div>")
    out.append("<h3>会话列表</h3>")
    shown = {m.session_id for m in _debriefed(review)}
    rows = []
    for m in reversed(review.sessions):
        sid = (
            f'<a href="#s-{esc(m.session_id)}">{esc(m.session_id)}</a>'
            if m.session_id in shown
            else esc(m.session_id)
        )
        rows.append(
            f"<tr><td>{sid}</td><td>{esc(when(m.started_at))}</td><td>{esc(m.team)}</td><td>{esc(m.scenario_title)}</td>"
            f"<td>{esc(m.ending_title or STATUS_NAMES.get(m.status, m.status))}</td><td class=n>{m.score}</td>"
            f"<td class=n>{dur(m.duration)}</td><td class=n>{len(m.traps)}</td></tr>"
        )
    out.append(
        "<table><thead><tr><th>会话</th><th>开始</th><th>队伍</th><th>场景</th><th>结局</th><th class=n>得分</th>"
        "<th class=n>用时</th><th class=n>陷阱</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    out.append("</section>")
    return "\n".join(out)


def _debriefed(review: Review) -> list[SessionMetrics]:
    return list(reversed(review.sessions))[:MAX_DEBRIEFS]


def page(review: Review) -> list[str]:
    single = len(review.sessions) == 1
    parts = head(
        "复盘报告" if single else "学习情况报告",
        review.filters.describe(),
        len(review.sessions),
        review.generated_at,
    )
    parts.extend(f'<p class="note">{esc(n)}</p>' for n in review.notes)
    if not review.sessions:
        parts.append("<p>没有符合条件的会话。</p>")
    elif not single:
        parts.append(cohort(review.cohort, review))
        if len(review.sessions) > MAX_DEBRIEFS:
            parts.append(
                f'<p class="note">以下为最近 {MAX_DEBRIEFS} 场的复盘；其他会话请用 --session 单独生成。</p>'
            )
    parts.extend(debrief(m, review) for m in _debriefed(review))
    return parts


def render(review: Review) -> str:
    return "\n".join([*page(review), "</body></html>"])


def write_html(review: Review, out: Path) -> list[Path]:
    return write_page(page(review), out)
