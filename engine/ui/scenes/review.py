"""Review (回顾), from the title screen: every stored session, one session's debrief, the team
leaderboard, the honor wall and the learning page (the before/after knowledge check).

Every figure comes from :func:`engine.review.selection.load_review` (what the reports render
too), which replays each session's event log through the rules; the store is read once when the
screen opens (and once per scenario filter when the filter is first chosen), never in the frame
loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.format.scenario import Scenario
from engine.present.labels import STATUS_NAMES, format_duration
from engine.present.timeline import timeline
from engine.review.records import SessionMetrics
from engine.review.selection import Filters, Review, load_review
from engine.store.db import StoreError
from engine.ui import theme as th
from engine.ui.chart import draw_timeline
from engine.ui.datagrid import Page, draw_table, row_height, scroll_surface, scroll_to_row
from engine.ui.debrief import left_page, right_page
from engine.ui.learning_view import cohort_learning_page
from engine.ui.review_rows import board_row, ending_of, honor_row, session_row, when
from engine.ui.scene import Scene
from engine.ui.widgets import Ui

if TYPE_CHECKING:
    from engine.ui.app import App


TABS = (
    ("list", "会话列表"),
    ("debrief", "复盘"),
    ("board", "排行榜"),
    ("honor", "光荣榜"),
    ("learn", "学习效果"),
)
TAB_KEYS = {
    "list": pygame.K_1,
    "debrief": pygame.K_2,
    "board": pygame.K_3,
    "honor": pygame.K_4,
    "learn": pygame.K_5,
}
LIST_HEADERS = ("开始时间", "队伍", "场景", "状态", "结局", "得分", "用时")
LIST_WEIGHTS = (12, 14, 20, 8, 18, 7, 8)
BOARD_HEADERS = ("名次", "队伍", "场次", "完成", "最高分", "平均分", "最快用时", "平均用时", "陷阱/场")
BOARD_WEIGHTS = (6, 20, 7, 7, 9, 9, 10, 10, 8)
HONOR_HEADERS = ("名次", "玩家", "得分率", "得分/满分", "积分", "场次", "队伍", "陷阱", "称号")
HONOR_WEIGHTS = (6, 12, 8, 10, 7, 6, 17, 6, 16)
SCROLL_KEYS = {pygame.K_PAGEUP: -1, pygame.K_PAGEDOWN: 1}


class ReviewScene(Scene):
    def __init__(self, app: App, tab: str = "list") -> None:
        super().__init__(app)
        self.tab = tab
        self.scenario: str | None = None  # filter: a scenario id, or None for all
        self.reviews: dict[str | None, Review | None] = {}
        self.scenarios: list[tuple[str, str]] = []  # (id, title) of every scenario played
        self.selected = 0
        self.current: SessionMetrics | None = None
        self.error = ""
        self._pages: dict[tuple[object, ...], pygame.Surface] = {}

    # --- data ------------------------------------------------------------------------------

    def enter(self) -> None:
        review = self.load(None)
        seen: dict[str, str] = {}
        for m in reversed(review.sessions if review else []):
            seen.setdefault(m.scenario_id, m.scenario_title)
        self.scenarios = list(seen.items())
        self.selected = 0
        if self.tab == "debrief" and self.sessions:
            self.current = self.sessions[0]

    def load(self, scenario: str | None) -> Review | None:
        if scenario not in self.reviews:
            try:
                self.reviews[scenario] = load_review(self.app.store, Filters(scenario=scenario))
            except StoreError as exc:
                self.error = str(exc)
                self.reviews[scenario] = None
        return self.reviews[scenario]

    @property
    def review(self) -> Review | None:
        return self.reviews.get(self.scenario)

    @property
    def sessions(self) -> list[SessionMetrics]:
        """Newest first."""
        review = self.review
        return list(reversed(review.sessions)) if review else []

    def rows(self, tab: str | None = None) -> list[tuple[str, ...]]:
        """What the table of ``tab`` shows, as text (the scene's data model)."""
        tab = tab or self.tab
        review = self.review
        if tab == "list":
            return [session_row(m) for m in self.sessions]
        if review is None:
            return []
        if tab == "board":
            return [board_row(i, r) for i, r in enumerate(review.cohort.leaderboard, start=1)]
        if tab == "honor":
            return [honor_row(i, p) for i, p in enumerate(review.cohort.honor_wall, start=1)]
        return []

    def scenario_of(self, m: SessionMetrics) -> Scenario:
        review = self.review
        assert review is not None
        return review.scenario_of(m)

    @property
    def filter_text(self) -> str:
        title = dict(self.scenarios).get(self.scenario or "", "全部")
        return f"场景：{title}"

    def cycle_scenario(self) -> None:
        ids: list[str | None] = [None, *(sid for sid, _ in self.scenarios)]
        self.scenario = ids[(ids.index(self.scenario) + 1) % len(ids)]
        self.load(self.scenario)
        self.selected = 0
        self.app.ui.scroll.clear()
        if self.current is not None:
            self.current = next((m for m in self.sessions if m.session_id == self.current.session_id), None)

    def open(self, index: int) -> None:
        sessions = self.sessions
        if not sessions:
            return
        self.selected = max(0, min(len(sessions) - 1, index))
        self.current = sessions[self.selected]
        self.tab = "debrief"
        for name in ("dleft", "dright"):
            self.app.ui.scroll.pop(name, None)

    # --- input -----------------------------------------------------------------------------

    def on_button(self, name: str) -> None:
        if name.startswith("tab:"):
            tab = name.split(":", 1)[1]
            if tab == "debrief" and self.current is None:
                self.open(self.selected)
            else:
                self.tab = tab
        elif name.startswith("sessions:"):
            self.open(int(name.split(":", 1)[1]))
        elif name == "filter":
            self.cycle_scenario()
        elif name == "back":
            self.back()
        elif name in ("prev", "next") and self.current is not None:
            self.open(self.selected + (1 if name == "next" else -1))

    def back(self) -> None:
        if self.tab == "debrief":
            self.tab = "list"
        else:
            self.app.title()

    def on_key(self, event: pygame.event.Event) -> bool:
        k = event.key
        ui = self.app.ui
        if k == pygame.K_ESCAPE:
            self.back()
        elif k == pygame.K_TAB:
            names = [n for n, _ in TABS]
            step = -1 if event.mod & pygame.KMOD_SHIFT else 1
            self.on_button(f"tab:{names[(names.index(self.tab) + step) % len(names)]}")
        elif self.tab == "list" and k in (pygame.K_UP, pygame.K_DOWN):
            count = len(self.sessions)
            if count:
                self.selected = max(0, min(count - 1, self.selected + (1 if k == pygame.K_DOWN else -1)))
                scroll_to_row(ui, "sessions", self.selected)
        elif self.tab == "list" and k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.open(self.selected)
        elif self.tab == "debrief" and k in (pygame.K_LEFT, pygame.K_RIGHT):
            self.on_button("next" if k == pygame.K_RIGHT else "prev")
        elif k in SCROLL_KEYS or k in (pygame.K_UP, pygame.K_DOWN):
            area = ui.scroll_at(ui.mouse) or {
                "debrief": "dright",
                "board": "board",
                "honor": "honor",
                "learn": "learn",
            }.get(self.tab, "sessions")
            step = SCROLL_KEYS.get(k, 0) * 8 or (1 if k == pygame.K_DOWN else -1)
            ui.scroll_by(area, step * row_height(ui))
        else:
            return False
        return True

    # --- drawing ---------------------------------------------------------------------------

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        band = pygame.Rect(0, 0, w, t.px(64))
        pygame.draw.rect(ui.surface, th.RED, band)
        pygame.draw.line(ui.surface, th.GOLD, band.bottomleft, band.bottomright, t.px(3))
        title = ui.label("回顾", (t.px(30), t.px(10)), t.h1, th.IVORY, bold=True)
        review = self.review
        summary = "每个数字都由事件记录按游戏规则重放得出"
        if review is not None and review.sessions:
            c = review.cohort
            summary = f"{len(review.sessions)} 场会话 · 平均 {c.avg_score:.1f} 分 · 落入陷阱 {c.total_traps} 次 · {summary}"
        ui.line(summary, (title.right + t.px(24), t.px(22)), t.body, th.GOLD_SOFT, w - title.right - t.px(60))

        y = band.bottom + t.px(12)
        bh = t.px(44)
        x = t.px(30)
        for name, text in TABS:
            bw = ui.text.width(text, t.body) + t.px(34) + 2 * t.pad + t.px(8)
            ui.button(
                f"tab:{name}",
                pygame.Rect(x, y, bw, bh),
                text,
                key_hint=str(TABS.index((name, text)) + 1),
                keys=(TAB_KEYS[name],),
                kind="normal" if name == self.tab else "quiet",
                focused=name == self.tab,
            )
            if name == self.tab:
                pygame.draw.rect(ui.surface, th.RED, (x + t.px(8), y + bh + t.px(3), bw - t.px(16), t.px(4)))
            x += bw + t.px(10)
        back_w = t.px(130)
        ui.button("back", pygame.Rect(w - t.px(30) - back_w, y, back_w, bh), "返回 Esc", kind="quiet")
        filter_w = min(t.px(330), w - x - back_w - t.px(70))
        ui.button(
            "filter",
            pygame.Rect(w - t.px(40) - back_w - filter_w, y, filter_w, bh),
            self.filter_text,
            key_hint="S",
            keys=(pygame.K_s,),
            enabled=len(self.scenarios) > 1 or self.scenario is not None,
        )
        body = pygame.Rect(t.px(30), y + bh + t.px(14), w - t.px(60), 0)
        body.height = h - body.y - t.px(42)
        if self.error:
            ui.label(self.error, body.topleft, t.body, th.RED, width=body.width)
            return
        if self.tab == "list":
            self.draw_list(ui, body)
        elif self.tab == "debrief":
            self.draw_debrief(ui, body)
        elif self.tab == "board":
            self.draw_board(ui, body, "board", BOARD_HEADERS, BOARD_WEIGHTS, "还没有队伍完成过会话。")
        elif self.tab == "honor":
            self.draw_board(ui, body, "honor", HONOR_HEADERS, HONOR_WEIGHTS, "还没有玩家获得积分。")
        elif review is None or not review.sessions:
            self.empty(ui, body, "还没有会话记录。")
        else:
            scroll_surface(ui, "learn", body, self.page("learn", None, None, body.width))
        hints = {
            "list": "↑/↓ 选择 · 回车或单击 查看复盘 · 1–5 切换 · S 按场景筛选 · Esc 返回标题",
            "debrief": "←/→ 上一场/下一场 · 滚轮或 PgUp/PgDn 滚动 · Esc 返回会话列表",
            "board": "按最高分排名（同分比用时） · 滚轮或 PgUp/PgDn 滚动 · S 按场景筛选 · Esc 返回标题",
            "honor": "按得分率排名：本人角色得分 ÷ 这些角色的满分，角色任务多少都公平 · S 按场景筛选 · Esc 返回标题",
            "learn": "课前 / 课后知识检测：各题答对率与下次重点讲 · 滚轮或 PgUp/PgDn 滚动 · S 按场景筛选",
        }
        ui.line(hints[self.tab], (t.px(30), h - t.px(30)), t.small, th.MUTED, w - t.px(60))

    def empty(self, ui: Ui, rect: pygame.Rect, text: str) -> None:
        ui.label(text, (rect.centerx, rect.y + ui.theme.px(60)), ui.theme.h2, th.MUTED, center=True)

    def draw_list(self, ui: Ui, rect: pygame.Rect) -> None:
        rows = self.rows("list")
        if not rows:
            self.empty(ui, rect, "还没有会话记录。在标题画面开始一场新的会话吧。")
            return
        draw_table(
            ui, "sessions", rect, LIST_HEADERS, LIST_WEIGHTS, rows, clickable=True, selected=self.selected
        )

    def draw_board(
        self,
        ui: Ui,
        rect: pygame.Rect,
        name: str,
        headers: tuple[str, ...],
        weights: tuple[int, ...],
        none: str,
    ) -> None:
        rows = self.rows(name)
        if not rows:
            self.empty(ui, rect, none)
            return
        draw_table(ui, name, rect, headers, weights, rows, highlight=min(3, len(rows)))

    def draw_debrief(self, ui: Ui, rect: pygame.Rect) -> None:
        m = self.current
        if m is None:
            self.empty(ui, rect, "先在会话列表中选择一场会话。")
            return
        t = ui.theme
        scenario = self.scenario_of(m)
        head = (
            f"{m.team} · {m.scenario_title} · {when(m.started_at)} · {STATUS_NAMES.get(m.status, m.status)}"
        )
        nav_w = t.px(96)
        ui.line(head, (rect.x, rect.y), t.h2, th.INK, rect.width - 2 * nav_w - t.px(20), bold=True)
        count = len(self.sessions)
        ui.button(
            "prev",
            pygame.Rect(rect.right - 2 * nav_w - t.px(8), rect.y, nav_w, t.px(38)),
            "← 较新",
            kind="quiet",
            enabled=self.selected > 0,
        )
        ui.button(
            "next",
            pygame.Rect(rect.right - nav_w, rect.y, nav_w, t.px(38)),
            "较早 →",
            kind="quiet",
            enabled=self.selected < count - 1,
        )
        # cards
        cards = (
            ("结局", ending_of(m)),
            ("总分", str(m.score)),
            ("用时", format_duration(m.duration)),
            ("落入陷阱", str(len(m.traps))),
            ("主持人干预", str(len(m.interventions))),
        )
        cy = rect.y + t.px(46)
        card_h = t.px(64)
        gap = t.px(10)
        weights = (34, 14, 16, 16, 20)
        x = rect.x
        for (label, value), wt in zip(cards, weights, strict=True):
            cw = (rect.width - gap * (len(cards) - 1)) * wt // sum(weights)
            box = pygame.Rect(x, cy, cw, card_h)
            ui.box(box, th.PAPER, th.LINE, radius=t.px(8))
            ui.label(label, (box.x + t.pad, box.y + t.px(4)), t.small, th.MUTED)
            ui.line(value, (box.x + t.pad, box.y + t.px(24)), t.h2, th.RED, cw - 2 * t.pad, bold=True)
            x += cw + gap
        top = cy + card_h + t.px(14)
        left = pygame.Rect(rect.x, top, (rect.width - t.px(24)) * 55 // 100, rect.bottom - top)
        right = pygame.Rect(left.right + t.px(24), top, rect.right - left.right - t.px(24), left.height)
        chart_h = min(left.height * 55 // 100, t.px(70) + len(m.roles) * t.px(40))
        draw_timeline(ui, pygame.Rect(left.x, left.y, left.width, chart_h), timeline(m))
        lower = pygame.Rect(
            left.x, left.y + chart_h + t.px(12), left.width, left.bottom - left.y - chart_h - t.px(12)
        )
        scroll_surface(ui, "dleft", lower, self.page("left", m, scenario, lower.width))
        scroll_surface(ui, "dright", right, self.page("right", m, scenario, right.width))

    def page(
        self, part: str, m: SessionMetrics | None, scenario: Scenario | None, width: int
    ) -> pygame.Surface:
        """A debrief's half page (``left``/``right``) or the learning page (``learn``), built once."""
        key = (part, m.session_id if m else self.scenario, width, self.app.text.script, self.app.ui.theme)
        surf = self._pages.get(key)
        if surf is None:
            if len(self._pages) > 16:
                self._pages.clear()
            page = Page(self.app.ui, width)
            if m is None or scenario is None:
                review = self.review
                assert review is not None
                cohort_learning_page(page, review.cohort.learning, len(review.sessions), self.app.ui.theme)
            elif part == "left":
                left_page(page, m, self.app.ui.theme)
            else:
                right_page(page, m, scenario, self.app.ui.theme)
            surf = self._pages[key] = page.render()
        return surf
