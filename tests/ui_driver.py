"""Drive the real game headless: post pygame events and run frames (shared by the UI tests)."""

from __future__ import annotations

import pygame

from engine.ui.app import App


def frame(app: App, n: int = 1) -> None:
    for _ in range(n):
        app.frame()


def click(app: App, name: str) -> None:
    """Click the centre of the target called ``name`` as drawn in the last frame."""
    frame(app)
    target = app.ui.target(name)
    names = [t.name for t in app.ui.targets]
    assert target is not None, f"no target {name!r} on {type(app.scene).__name__}; have {names}"
    pos = target.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    frame(app)


def key(app: App, k: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0))
    frame(app)


def type_text(app: App, text: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    frame(app)


def press_choice(app: App, role: str, index: int) -> None:
    """On the play screen: focus ``role``'s panel (F1-F6) and press the number its choice
    ``index`` is shown under, as a player at the keyboard does."""
    scene = app.scene
    roles = list(scene.session.scenario.roles)  # type: ignore[attr-defined]
    panel = roles.index(role)
    view = scene.team.roles[panel]  # type: ignore[attr-defined]
    number = next(c.number for c in view.choices if c.index == index)
    key(app, pygame.K_F1 + panel)
    key(app, pygame.K_0 + number)
