"""The window, the frame loop and the scene manager.

``App.frame()`` runs one frame: dispatch queued events, update, draw, flip. ``run()`` repeats
it at up to 60 fps until the window closes. Tests post pygame events and call ``frame()``.
The frame loop does no I/O: the store is written only inside ``Session.act`` when a player acts.
Scenes are shown by name (``app.show("play", session=...)``) from the registry in
:mod:`engine.ui.scenes`, so no scene imports another.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygame

from engine.format.scenario import Scenario
from engine.present.i18n import Script, check
from engine.session.clock import Clock, SystemClock
from engine.store.db import Store
from engine.ui.fonts import Fonts, load_fonts
from engine.ui.scene import Scene
from engine.ui.scenes import SCENES
from engine.ui.sound import Sounds
from engine.ui.theme import IVORY, Theme
from engine.ui.typeset import TextCache
from engine.ui.widgets import Target, Ui, draw_toast

DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (800, 520)


@dataclass
class Settings:
    traditional: bool = False
    fullscreen: bool = False
    size: tuple[int, int] = DEFAULT_SIZE
    font: str | None = None
    system_font: bool = False
    scenarios: list[Path] = field(default_factory=list)  # extra scenario files to offer
    host_bind: str = "0.0.0.0"  # phones over the LAN (scenes/host.py); tests bind 127.0.0.1
    host_port: int = 8765  # 0 = any free port
    host_public: str | None = None  # address put in the QR codes (default: this machine's LAN IP)
    muted: bool = False  # sounds off (M toggles; --mute)
    motion: bool = True  # brief easing on pop-ups and scores (off: every animation at its end)

    @property
    def script(self) -> Script:
        return "zh-Hant" if self.traditional else "zh-Hans"


class App:
    """Owns the window, fonts, text cache, store and clock; shows one scene at a time."""

    def __init__(self, store: Store, settings: Settings | None = None, clock: Clock | None = None) -> None:
        self.started = time.perf_counter()
        self.store = store
        self.settings = settings or Settings()
        self.clock: Clock = clock or SystemClock()
        self.running = True
        self.frames = 0
        os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
        pygame.display.init()
        pygame.display.set_caption("情景 Qingjing —— 党史情景团队学习")
        self.screen = self._open_window()
        pygame.key.set_repeat(350, 40)
        self.fonts: Fonts = load_fonts(
            self.settings.traditional, self.settings.font, self.settings.system_font
        )
        check(self.settings.script)
        self.text = TextCache(self.fonts, self.settings.script)
        self.ui = Ui(self.screen, self.text, Theme.for_size(*self.screen.get_size()))
        self.ui.motion = self.settings.motion
        self.sounds = Sounds(self.settings.muted)
        self.sounds.start()
        self.stored_scenarios: dict[str, Scenario] = {}  # scenario hash -> parsed (resume list)
        self.toast = ""  # a short word over any screen (sound on/off), until ``toast_until``
        self.toast_until = 0.0
        self._pressed: Target | None = None
        self.ticker = pygame.time.Clock()
        self.scene: Scene = SCENES["title"](self)
        self.scene.enter()

    # --- window -------------------------------------------------------------------------

    def _open_window(self) -> pygame.Surface:
        if self.settings.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self.settings.size, pygame.RESIZABLE)

    def toggle_fullscreen(self) -> None:
        self.settings.fullscreen = not self.settings.fullscreen
        self.screen = self._open_window()
        self.resized()

    def resized(self) -> None:
        """The window changed size: scrolled text starts again from the top (its lines wrap anew,
        and an offset kept from the old size would show a line cut in half)."""
        self.ui.scroll.clear()

    def toggle_sound(self) -> None:
        on = self.sounds.toggle()
        self.settings.muted = not on
        self.say("声音已打开" if on else "已静音（按 M 打开声音）")

    def say(self, text: str, seconds: float = 2.0) -> None:
        """A short word over whatever screen is shown."""
        self.toast, self.toast_until = text, time.monotonic() + seconds

    def set_traditional(self, on: bool) -> None:
        if on == self.settings.traditional:
            return
        self.settings.traditional = on
        check(self.settings.script)
        if self.fonts.source.origin == "package":
            self.fonts = load_fonts(on, self.settings.font, self.settings.system_font)
        self.text = TextCache(self.fonts, self.settings.script)
        self.ui.text = self.text

    # --- scenes -------------------------------------------------------------------------

    def show(self, name: str, **kwargs: Any) -> Scene:
        """Build the scene registered as ``name`` (with ``kwargs``) and switch to it."""
        scene = SCENES[name](self, **kwargs)
        self.go(scene)
        return scene

    def go(self, scene: Scene) -> None:
        self.scene.leave()
        self.scene = scene
        self._pressed = None
        self.ui.scroll.clear()
        pygame.key.stop_text_input()
        scene.enter()

    def title(self) -> None:
        self.show("title")

    # --- the loop -----------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> None:
        ui = self.ui
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            w, h = max(MIN_SIZE[0], event.w), max(MIN_SIZE[1], event.h)
            self.settings.size = (w, h)
            current = pygame.display.get_surface()
            if current is None or current.get_size() != (w, h):
                self.screen = pygame.display.set_mode((w, h), pygame.RESIZABLE)
                self.resized()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._pressed = ui.target_at(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            hit = ui.target_at(event.pos)
            pressed, self._pressed = self._pressed, None
            if hit is not None and pressed is not None and hit.name == pressed.name:
                self.scene.on_button(hit.name)
        elif event.type == pygame.MOUSEWHEEL:
            name = ui.scroll_at(pygame.mouse.get_pos())
            if name:
                ui.scroll_by(name, -event.y * ui.theme.px(40))
        elif event.type == pygame.MOUSEMOTION:
            ui.mouse = event.pos
        elif event.type == pygame.TEXTINPUT:
            self.scene.on_text(event.text)
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F11 or (event.key == pygame.K_RETURN and event.mod & pygame.KMOD_ALT):
                self.toggle_fullscreen()
                return
            if self.scene.on_key(event):
                return
            if event.key == pygame.K_m and not self.scene.typing:
                self.toggle_sound()
                return
            for target in ui.targets:
                if event.key in target.keys:
                    self.scene.on_button(target.name)
                    return

    def frame(self) -> None:
        for event in pygame.event.get():
            self.dispatch(event)
            if not self.running:
                return
        self.scene.update(self.clock.now())
        surface = pygame.display.get_surface() or self.screen
        self.screen = surface
        surface.fill(IVORY)
        now = time.monotonic()
        self.ui.begin(surface, now)
        self.scene.draw(self.ui)
        if self.toast and now < self.toast_until:
            draw_toast(self.ui, self.toast)
        pygame.display.flip()
        self.frames += 1

    def run(self, fps: int = 60) -> int:
        while self.running:
            self.frame()
            self.ticker.tick(fps)
        return 0

    def close(self) -> None:
        self.scene.leave()
        self.sounds.close()
        pygame.display.quit()
