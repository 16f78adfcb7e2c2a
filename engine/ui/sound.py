"""Short sounds for the moments players should feel: a choice, a trap, a team event, a task done,
the ending and the last seconds of a lock-out.

The files are ``assets/sounds/*.wav`` (made by ``packaging/make_sounds.py``; see
``assets/README.md``), found through :func:`engine.format.catalog.assets_dir` so a wheel or a
standalone build plays the same ones. Playing never waits: SDL mixes in its own thread, and a
sound is at most a second long.

No audio device (a server, a projector laptop without a sound card, ``SDL_AUDIODRIVER=dummy`` in
the tests): the game stays silent and says nothing about it. M (or the title screen's button)
mutes; ``--mute`` starts muted.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pygame

from engine.format.catalog import assets_dir

NAMES = ("choice", "trap", "event", "task", "ending", "countdown")
VOLUME = 0.7


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Keep the C audio libraries' complaints (ALSA prints a page when there is no sound card)
    off the organizer's console while the mixer looks for a device."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (a windowed build)
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class Sounds:
    """The game's sounds. ``play`` is a no-op when muted, and silent without an audio device;
    ``played`` keeps the last names played while not muted (what a test checks)."""

    def __init__(self, muted: bool = False, folder: Path | None = None) -> None:
        self.muted = muted
        self.available = False
        self.played: deque[str] = deque(maxlen=32)
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._folder = folder

    def start(self) -> None:
        """Open the audio device and load the sounds; silently stay silent if either fails."""
        try:
            with _quiet_stderr():
                pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
            folder = self._folder or assets_dir() / "sounds"
            for name in NAMES:
                sound = pygame.mixer.Sound(str(folder / f"{name}.wav"))
                sound.set_volume(VOLUME)
                self._sounds[name] = sound
        except (pygame.error, OSError, FileNotFoundError):
            self._sounds.clear()
            self.available = False
            return
        self.available = True

    def play(self, name: str) -> None:
        if self.muted:
            return
        self.played.append(name)
        sound = self._sounds.get(name)
        if sound is not None:
            sound.play()

    def toggle(self) -> bool:
        """Mute or unmute; returns whether sound is now on."""
        self.muted = not self.muted
        if self.muted and self.available:
            pygame.mixer.stop()
        return not self.muted

    def close(self) -> None:
        if self.available:
            pygame.mixer.quit()
            self.available = False
