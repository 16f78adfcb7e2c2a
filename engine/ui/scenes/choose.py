"""Choose a scenario: title, summary, roles and expected duration of each bundled and own scenario."""

from __future__ import annotations

import pygame

from engine.format.catalog import ORIGIN_LABEL, Entry, entries
from engine.ui import theme as th
from engine.ui.scene import Scene
from engine.ui.widgets import Ui


class ChooseScene(Scene):
    def enter(self) -> None:
        # files given with --scenario, the bundled ones, then the organizer's own folder
        self.entries: list[Entry] = entries(self.app.settings.scenarios)

    def draw(self, ui: Ui) -> None:
        t = ui.theme
        w, h = ui.surface.get_size()
        ui.label("选择场景", (t.px(40), t.px(24)), t.h1, th.RED, bold=True)
        ui.button(
            "back",
            pygame.Rect(w - t.px(180), t.px(24), t.px(140), t.px(44)),
            "返回 Esc",
            kind="quiet",
            keys=(pygame.K_ESCAPE,),
        )
        y = t.px(90)
        x = t.px(40)
        cw = w - 2 * x
        count = max(1, len(self.entries))
        ch = min(t.px(200), (h - y - t.px(20)) // count - t.px(14))
        for n, entry in enumerate(self.entries, start=1):
            rect = pygame.Rect(x, y, cw, ch)
            s = entry.scenario
            if s is None:
                ui.box(rect, th.SLATE_SOFT, th.LINE)
                ui.label(f"{entry.path}：无法载入", (x + t.pad, y + t.pad), t.h2, th.MUTED)
                error = str(entry.problems[0]) if entry.problems else ""
                ui.label(error, (x + t.pad, y + t.px(50)), t.small, th.RED, width=cw - 2 * t.pad)
            else:
                ui.button(f"pick:{n - 1}", rect, "", keys=(pygame.K_0 + n,))
                meta = s.data.scenario
                ui.label(str(n), (x + t.px(28), y + t.pad), t.h1, th.RED, bold=True, center=True)
                tx = x + t.px(60)
                ui.label(s.title, (tx, y + t.pad), t.h2, th.INK, bold=True)
                minutes = f"约 {meta.expected_minutes} 分钟" if meta.expected_minutes else ""
                info = f"{len(s.roles)} 个角色：" + "、".join(r.name for r in s.roles.values())
                info += f"　·　{len(s.tasks)} 项任务" + (f"　·　{minutes}" if minutes else "")
                info += "" if entry.origin == "bundled" else f"　·　{ORIGIN_LABEL[entry.origin]}"
                ui.label(info, (tx, y + t.pad + t.px(40)), t.small, th.MUTED)
                ui.scroll_text(
                    f"summary:{n}",
                    pygame.Rect(tx, y + t.pad + t.px(70), cw - t.px(80), ch - t.px(90)),
                    meta.summary.strip(),
                    t.body,
                )
            y += ch + t.px(14)

    def on_button(self, name: str) -> None:
        if name == "back":
            self.app.title()
        elif name.startswith("pick:"):
            entry = self.entries[int(name.split(":")[1])]
            if entry.scenario is not None:
                self.app.show("setup", scenario=entry.scenario)
