"""A scene: one screen of the game. Scenes never import each other: one asks the app to show
another by name (``self.app.show("results", session=...)``), and the names are listed once in
:data:`engine.ui.scenes.SCENES`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.ui.widgets import Ui

if TYPE_CHECKING:  # the app owns scenes; a scene only talks back to it
    from engine.ui.app import App


class Scene:
    """One screen. Override what you need; ``draw`` registers click targets through ``ui``.

    ``typing``: the screen takes typed text (letters must not work as hot keys, e.g. M for mute)."""

    typing = False

    def __init__(self, app: App) -> None:
        self.app = app

    def enter(self) -> None:
        pass

    def leave(self) -> None:
        """The scene is replaced or the window closes: release what it holds."""

    def update(self, now: float) -> None:
        pass

    def draw(self, ui: Ui) -> None:
        pass

    def on_button(self, name: str) -> None:
        pass

    def on_key(self, event: pygame.event.Event) -> bool:
        """Handle a key; True if used (otherwise the targets' hot keys get it)."""
        return False

    def on_text(self, text: str) -> None:
        pass
