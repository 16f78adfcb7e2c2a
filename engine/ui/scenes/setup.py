"""Team set-up: team name, player names, and who plays which role (picked or at random).

Player fields offer the roster's names as you type (:mod:`engine.ui.member_picker`): a player
picked from the roster earns 积分 under that member; a typed name plays as a guest.

Fewer players than roles is fine: one player may hold several roles. Roles left on "随机"
are shared out by :func:`engine.session.live.assign_roles` so nobody holds two before all hold one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.format.scenario import Scenario
from engine.session.live import Session, assign_roles
from engine.store.db import StoreError
from engine.ui import theme as th
from engine.ui.member_picker import MemberPicker
from engine.ui.scene import Scene
from engine.ui.widgets import TextField, Ui

if TYPE_CHECKING:
    from engine.ui.app import App


RANDOM = ""


class SetupScene(Scene):
    def __init__(self, app: App, scenario: Scenario) -> None:
        super().__init__(app)
        self.scenario = scenario
        self.team = TextField("team", placeholder="第一小组", limit=20)
        self.players = [
            TextField(f"p{i}", placeholder=f"玩家{i + 1}（可留空）") for i in range(len(scenario.roles))
        ]
        self.picks: dict[str, str] = {r: RANDOM for r in scenario.roles}
        self.focus = 0  # 0 = team, 1.. = players
        self.error = ""
        self.picker = MemberPicker.from_store(app.store)

    @property
    def fields(self) -> list[TextField]:
        return [self.team, *self.players]

    def names(self) -> list[str]:
        return [f.value.strip() for f in self.players if f.value.strip()]

    def enter(self) -> None:
        pygame.key.start_text_input()

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        ui.label(f"组队 · {self.scenario.title}", (t.px(40), t.px(22)), t.h1, th.RED, bold=True)
        ui.button("back", pygame.Rect(w - t.px(180), t.px(22), t.px(140), t.px(44)), "返回 Esc", kind="quiet")
        left = t.px(40)
        colw = (w - 3 * left) // 2
        y = t.px(90)
        ui.label("队名", (left, y), t.body, th.MUTED)
        self.team.draw(ui, pygame.Rect(left, y + t.px(30), colw, t.px(48)), self.focus == 0)
        y += t.px(96)
        ui.label("玩家（一人可担任多个角色；Tab 切换输入框）", (left, y), t.body, th.MUTED)
        y += t.px(32)
        fh = min(t.px(48), (h - y - t.px(120)) // max(1, len(self.players)) - t.px(8))
        focused: pygame.Rect | None = None
        for i, field in enumerate(self.players):
            rect = pygame.Rect(left, y, colw, fh)
            field.draw(ui, rect, self.focus == i + 1)
            focused = rect if self.focus == i + 1 else focused
            y += fh + t.px(8)
        # roles: click to cycle 随机 -> each player
        rx = left * 2 + colw
        y = t.px(90)
        ui.label("角色分配（点击切换：随机 / 指定玩家）", (rx, y), t.body, th.MUTED)
        y += t.px(32)
        names = self.names()
        rh = min(t.px(74), (h - y - t.px(120)) // max(1, len(self.scenario.roles)) - t.px(8))
        for role in self.scenario.roles.values():
            rect = pygame.Rect(rx, y, colw, rh)
            pick = self.picks[role.id] if self.picks[role.id] in names else RANDOM
            ui.button(f"role:{role.id}", rect, "")
            ui.label(role.name, (rect.x + t.pad, rect.y + t.px(8)), t.h2, th.INK, bold=True)
            ui.line(
                role.title or "",
                (rect.x + t.pad, rect.y + t.px(8) + t.px(36)),
                t.small,
                th.MUTED,
                rect.width // 2,
            )
            who = pick or "随机分配"
            ui.label(
                who,
                (rect.right - t.pad - ui.text.width(who, t.body), rect.y + t.px(10)),
                t.body,
                th.RED if pick else th.MUTED,
                bold=bool(pick),
            )
            y += rh + t.px(8)
        by = h - t.px(90)
        ui.button(
            "start",
            pygame.Rect(w - left - t.px(300), by, t.px(300), t.px(56)),
            "开始游戏（回车）",
            kind="primary",
            size=t.h2,
            keys=(pygame.K_RETURN, pygame.K_KP_ENTER),
        )
        phones = pygame.Rect(w - left - t.px(300) - t.pad - t.px(280), by, t.px(280), t.px(56))
        ui.button("phones", phones, "用手机玩（局域网）", key_hint="F2", keys=(pygame.K_F2,), size=t.h2)
        if self.error:
            ui.label(self.error, (left, by + t.px(12)), t.body, th.RED, width=phones.x - t.pad - left)
        if focused is not None:
            self.draw_roster(ui, focused, by)

    def draw_roster(self, ui: Ui, field: pygame.Rect, bottom: int) -> None:
        """The roster's names for the focused player field, drawn last: on top of the rest."""
        typed = self.players[self.focus - 1].value
        others = {f.value.strip() for i, f in enumerate(self.players) if i != self.focus - 1}
        self.picker.draw(ui, field, typed, others, bottom)

    def fill_member(self, name: str) -> None:
        """A roster name into the focused player field; on to the next empty one."""
        self.players[self.focus - 1].value = name
        self.error = ""
        empty = [i + 1 for i, f in enumerate(self.players) if not f.value.strip() and i + 1 > self.focus]
        if empty:
            self.focus = empty[0]

    def on_key(self, event: pygame.event.Event) -> bool:
        if self.focus:
            picked = self.picker.on_key(event.key, self.players[self.focus - 1].value)
            if picked is not None:
                if picked:
                    self.fill_member(picked)
                return True
        if event.key == pygame.K_TAB:
            step = -1 if event.mod & pygame.KMOD_SHIFT else 1
            self.focus = (self.focus + step) % len(self.fields)
            return True
        if event.key == pygame.K_BACKSPACE:
            self.fields[self.focus].backspace()
            return True
        if event.key == pygame.K_ESCAPE:
            self.app.title()
            return True
        return False

    def on_text(self, text: str) -> None:
        self.fields[self.focus].type(text)
        self.error = ""

    def on_button(self, name: str) -> None:
        member = self.picker.chosen(name)
        if member is not None:
            self.fill_member(member)
        elif name == "back":
            self.app.title()
        elif name.startswith("field:"):
            self.focus = next(i for i, f in enumerate(self.fields) if f.name == name[6:])
        elif name.startswith("role:"):
            role = name[5:]
            options = [RANDOM, *self.names()]
            current = self.picks[role] if self.picks[role] in options else RANDOM
            self.picks[role] = options[(options.index(current) + 1) % len(options)]
        elif name == "start":
            self.start()
        elif name == "phones":  # each player on their own phone: the scene hosts on the LAN
            self.app.show("host", scenario=self.scenario, back=self, team_name=self.team.value.strip())

    def start(self) -> None:
        names = self.names()
        if not names:
            self.error = "请至少填写一名玩家的名字"
            return
        if len(set(names)) != len(names):
            self.error = "玩家名不能重复；同名请加以区分，如 张三A、张三B"
            return
        chosen = {r: p for r, p in self.picks.items() if p in names}
        try:
            assignment = assign_roles(self.scenario, names, chosen)
            team = self.team.value.strip() or self.team.placeholder
            session = Session.start(self.scenario, self.app.store, team, assignment, self.app.clock)
        except (ValueError, StoreError) as exc:
            self.error = str(exc)
            return
        self.app.show("play", session=session, fresh=True)
