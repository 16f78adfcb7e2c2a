"""The HTML report's learning sections: a session's before/after knowledge check and the cohort's.

A session without a check (no quiz in the scenario, skipped by the facilitator, or played before
the check existed) says so in one sentence instead of showing a table of zeros.
"""

from __future__ import annotations

from engine.report import svg
from engine.report.html_parts import cards, esc, table
from engine.review.gains import CohortLearning
from engine.review.learning import FOCUS_BELOW, PHASE_NAMES, PHASE_STATUS_TEXT, ItemLearning, SessionLearning


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def signed_pct(x: float | None) -> str:
    return "—" if x is None else f"{x:+.0%}"


def _of(right: int | None, total: int) -> str:
    return "—" if right is None else f"{right}/{total}"


def _chart(items: list[ItemLearning], label: str) -> str:
    return svg.before_after(
        [(f"{n}. {i.question}", i.pre_rate, i.post_rate) for n, i in enumerate(items, 1)], label
    )


def _item_rows(items: list[ItemLearning], trap_column: str) -> str:
    rows: list[list[object]] = []
    for n, i in enumerate(items, 1):
        if trap_column == "rate":
            trap = f"{pct(i.trap_rate)}（{i.trap_sprung}/{i.trap_exposed}）" if i.trap_exposed else "—"
        else:
            trap = "—" if not i.trap_exposed else "落入" if i.trap_sprung else "避开"
        rows.append(
            [
                n,
                i.question,
                i.trap_title or i.trap or "—",
                f"{pct(i.pre_rate)}（{i.pre_answered}）",
                f"{pct(i.post_rate)}（{i.post_answered}）",
                signed_pct(i.gain),
                trap,
            ]
        )
    head = ["#", "题目", "对应的陷阱", "课前答对率（人次）", "课后答对率（人次）", "归一化提升"]
    head.append("游戏中落入率" if trap_column == "rate" else "游戏中")
    return table(head, rows, {0, 3, 4, 5, 6})


def session_section(learning: SessionLearning | None) -> str:
    """A debrief's 学习效果: the chart per item and each player's score before and after."""
    out = ["<h3>学习效果（课前 / 课后知识检测）</h3>"]
    if learning is None or learning.status != "answered":
        text = learning.note if learning is not None else "本局没有知识检测记录。"
        out.append(f'<p class="note learning-none">{esc(text)}</p>')
        return "\n".join(out)
    phases = "；".join(f"{PHASE_NAMES[p]}{PHASE_STATUS_TEXT[s]}" for p, s in learning.phases.items())
    out.append(f'<p class="note">{esc(phases)}。答对率 = 答对人次 ÷ 作答人次。</p>')
    out.append(_chart(learning.items, "各题课前课后答对率"))
    out.append(
        table(
            ["玩家", "课前答对", "课后答对", "提升"],
            [
                [
                    p.player,
                    _of(p.pre_correct, p.items),
                    _of(p.post_correct, p.items),
                    "—" if p.gain is None else f"{p.gain:+d} 题",
                ]
                for p in learning.players
            ],
            {1, 2, 3},
            "narrow",
        )
    )
    out.append(_item_rows(learning.items, "session"))
    return "\n".join(out)


def cohort_section(c: CohortLearning, sessions: int) -> str:
    """The cohort's 学习效果: overall rates, the chart per item, and what to teach next time."""
    out = ["<h3>学习效果（课前 / 课后知识检测）</h3>"]
    counted = (
        f"{c.sessions_answered} 场做了检测；跳过 {c.sessions_skipped} 场；"
        f"未进行 {c.sessions_not_asked} 场；场景无检测题 {c.sessions_no_quiz} 场（共 {sessions} 场）"
    )
    if not c.items:
        out.append(f'<p class="note learning-none">所选会话都没有知识检测的作答记录：{esc(counted)}。</p>')
        return "\n".join(out)
    out.append(
        cards(
            [
                ("课前答对率", pct(c.pre_rate)),
                ("课后答对率", pct(c.post_rate)),
                ("归一化提升", signed_pct(c.gain)),
                ("做了检测的会话", str(c.sessions_answered)),
            ]
        )
    )
    out.append(f'<p class="note">{esc(counted)}。</p>')
    out.append(_chart(c.items, "各题课前课后答对率（全部会话）"))
    focus = c.focus
    out.append("<h3>下次重点讲</h3>")
    if focus:
        out.append(
            f'<p class="note">课后答对率仍低于 {FOCUS_BELOW:.0%} 的题目：玩过之后仍有误解，按课后答对率从低到高排列。</p>'
        )
        out.append(
            "<ol>"
            + "".join(
                f"<li><b>{esc(i.question)}</b>：课后答对率 {pct(i.post_rate)}"
                + (
                    f"；对应陷阱「{esc(i.trap_title)}」游戏中落入率 {pct(i.trap_rate)}"
                    if i.trap_title
                    else ""
                )
                + "</li>"
                for i in focus
            )
            + "</ol>"
        )
    else:
        out.append(f'<p class="note">每道题的课后答对率都达到 {FOCUS_BELOW:.0%} 以上。</p>')
    out.append(_item_rows(c.items, "rate"))
    out.append(
        '<p class="note">归一化提升：答对率上升时为 (课后−课前)÷(1−课前)，下降时为 (课后−课前)÷课前，'
        "不变为 0；范围 −100% 到 +100%，课前已全对的题目也有定义。</p>"
    )
    return "\n".join(out)
