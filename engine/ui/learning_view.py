"""The review's learning pages: a session's before/after knowledge check (in its debrief) and the
cohort's (the 学习效果 tab), laid out on a scrolling :class:`engine.ui.datagrid.Page`.

The figures are the report's (:mod:`engine.review.learning`, :mod:`engine.review.gains`); a
session without a check says why instead of showing zeros.
"""

from __future__ import annotations

from engine.review.gains import CohortLearning
from engine.review.learning import FOCUS_BELOW, PHASE_NAMES, PHASE_STATUS_TEXT, ItemLearning, SessionLearning
from engine.ui import theme as th
from engine.ui.datagrid import Page
from engine.ui.theme import Theme

PLAYER_WEIGHTS = (34, 22, 22, 22)
HEADING = "学习效果（课前 / 课后知识检测）"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _pair(page: Page, n: int, item: ItemLearning, t: Theme, trap_line: str) -> None:
    """One item: its question, a bar before play and one after it."""
    page.text(f"{n}. {item.question}", t.body, bold=True)
    for label, value, color in (("课前", item.pre_rate, th.SLATE), ("课后", item.post_rate, th.GREEN)):
        page.bar(label, value or 0.0, 1.0, pct(value), color)
    if trap_line:
        page.text(trap_line, t.small, th.MUTED)
    page.gap(6)


def session_learning_page(page: Page, learning: SessionLearning | None, t: Theme) -> None:
    """Each player's score before and after play, and each item's two rates."""
    page.heading(HEADING)
    if learning is None or learning.status != "answered":
        page.text(learning.note if learning is not None else "本局没有知识检测记录。", t.body, th.MUTED)
        return
    page.text(
        "；".join(f"{PHASE_NAMES[p]}{PHASE_STATUS_TEXT[s]}" for p, s in learning.phases.items()),
        t.small,
        th.MUTED,
    )
    page.row(("玩家", "课前答对", "课后答对", "提升"), PLAYER_WEIGHTS, t.small, th.MUTED, bold=True)
    for p in learning.players:
        page.row(
            (
                p.player,
                "—" if p.pre_correct is None else f"{p.pre_correct}/{p.items}",
                "—" if p.post_correct is None else f"{p.post_correct}/{p.items}",
                "—" if p.gain is None else f"{p.gain:+d} 题",
            ),
            PLAYER_WEIGHTS,
            t.body,
        )
    page.gap(8)
    for n, item in enumerate(learning.items, start=1):
        trap = ""
        if item.trap_title and item.trap_exposed:
            trap = f"游戏中：{'落入' if item.trap_sprung else '避开'}了陷阱「{item.trap_title}」"
        _pair(page, n, item, t, trap)


def cohort_learning_page(page: Page, c: CohortLearning, sessions: int, t: Theme) -> None:
    """Overall rates, each item before and after (what to teach first at the top), the focus list."""
    page.heading(HEADING)
    counted = (
        f"{c.sessions_answered} 场做了检测 · 跳过 {c.sessions_skipped} 场 · 未进行 {c.sessions_not_asked} 场"
        f" · 场景无检测题 {c.sessions_no_quiz} 场（共 {sessions} 场）"
    )
    if not c.items:
        page.text("所选会话都没有知识检测的作答记录。", t.body, th.MUTED)
        page.text(counted, t.small, th.MUTED)
        return
    gain = "—" if c.gain is None else f"{c.gain:+.0%}"
    page.text(
        f"课前答对率 {pct(c.pre_rate)} → 课后 {pct(c.post_rate)}（归一化提升 {gain}）",
        t.h2,
        th.RED,
        bold=True,
    )
    page.text(counted, t.small, th.MUTED)
    page.heading("下次重点讲")
    focus = c.focus
    if not focus:
        page.text(f"每道题的课后答对率都达到 {FOCUS_BELOW:.0%} 以上。", t.body, th.MUTED)
    for n, item in enumerate(focus, start=1):
        page.text(f"{n}. {item.question}：课后答对率 {pct(item.post_rate)}", t.body)
    page.heading("各题课前 / 课后答对率（最需要讲的在前）")
    for n, item in enumerate(c.items, start=1):
        trap = ""
        if item.trap_title:
            trap = f"对应陷阱「{item.trap_title}」：游戏中落入率 {pct(item.trap_rate)}（{item.trap_sprung}/{item.trap_exposed}）"
        _pair(page, n, item, t, trap)
