"""Roster names offered under the player field being typed in (team set-up), like an autocomplete.

The names are the members' display names (:func:`engine.store.members.display_names`): picking
one puts exactly that name in the field, and the session links the player to that member when it
starts. Typing anything else still works: a guest plays under the typed name.

Mouse: click a name. Keyboard: ↓/↑ highlight a name, Enter puts it in the field (Enter with
nothing highlighted does what it did before), Esc closes the list.
"""

from __future__ import annotations

import pygame

from engine.store.db import Store, StoreError
from engine.store.members import display_names, normal
from engine.ui import theme as th
from engine.ui.typeset import line_height
from engine.ui.widgets import Ui

SHOWN = 5
PREFIX = "member:"


class MemberPicker:
    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.index = -1  # the highlighted suggestion (-1: none)
        self.closed_for: str | None = None  # Esc closed the list for this text
        self.shown: list[str] = []

    @classmethod
    def from_store(cls, store: Store) -> MemberPicker:
        """The roster's display names (none if the store cannot be read: typing still works)."""
        try:
            members = store.members()
        except StoreError:
            members = []
        shown = display_names(members)
        return cls([shown[m.id] for m in members])

    def suggestions(self, typed: str, taken: set[str]) -> list[str]:
        """Up to ``SHOWN`` roster names containing what was typed, not already in another field."""
        text = normal(typed)
        if not self.names or text in self.names or self.closed_for == typed:
            return []
        return [n for n in self.names if text in n and n not in taken][:SHOWN]

    def draw(self, ui: Ui, field: pygame.Rect, typed: str, taken: set[str], bottom: int) -> None:
        """The list under ``field`` (above it when there is no room below ``bottom``)."""
        self.shown = self.suggestions(typed, taken)
        self.index = min(self.index, len(self.shown) - 1)
        if not self.shown:
            return
        t = ui.theme
        row = line_height(t.body) + t.px(10)
        height = t.px(30) + row * len(self.shown)
        top = field.bottom + t.px(4) if field.bottom + height < bottom else field.y - height - t.px(4)
        panel = pygame.Rect(field.x, top, field.width, height)
        ui.box(panel, th.PAPER, th.GOLD, radius=t.px(6), width=2)
        ui.label(
            "名册（↓/↑ 选择，回车填入；也可直接输入访客的名字）",
            (panel.x + t.pad, panel.y + t.px(5)),
            t.small,
            th.MUTED,
        )
        for i, name in enumerate(self.shown):
            rect = pygame.Rect(
                panel.x + t.px(6), panel.y + t.px(28) + i * row, panel.width - t.px(12), row - t.px(2)
            )
            ui.button(
                f"{PREFIX}{i}",
                rect,
                name,
                kind="normal" if i == self.index else "quiet",
                focused=i == self.index,
            )

    def chosen(self, button: str) -> str | None:
        """The name behind a clicked suggestion (``member:i``), or None for another button."""
        if not button.startswith(PREFIX):
            return None
        i = int(button[len(PREFIX) :])
        return self.shown[i] if 0 <= i < len(self.shown) else None

    def on_key(self, key: int, typed: str) -> str | None:
        """Arrow keys move the highlight; Enter returns the highlighted name (``""``: key used,
        nothing to fill; None: not ours)."""
        if not self.shown:
            return None
        if key == pygame.K_DOWN:
            self.index = min(len(self.shown) - 1, self.index + 1)
            return ""
        if key == pygame.K_UP:
            self.index = max(-1, self.index - 1)
            return ""
        if key == pygame.K_ESCAPE:
            self.closed_for, self.index = typed, -1
            return ""
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.index >= 0:
            name = self.shown[self.index]
            self.index = -1
            return name
        return None
