"""The phone host behind the desktop's projector screen (:mod:`engine.ui.scenes.host`).

:class:`Hosting` starts :func:`engine.web.runner.start_host` on the game's own database and keeps
the team list (with each team's board) fresh. Every call into the host (start, the team list, a
new team, stop) may block, so it runs on one worker thread and the frame loop only polls finished
results. :func:`qr_surface` draws a join code crisp at any size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pygame

from engine.session.clock import Clock
from engine.web.runner import HostHandle, TeamLink, start_host

PORT_TRIES = 5  # the configured port, then the next few if it is taken
QUIET = 2  # white modules drawn around the QR matrix (which has 2 already): 4 in all
QR_DARK = (0, 0, 0)
QR_LIGHT = (255, 255, 255)


class Hosting:
    """The host behind the scene. Calls run in order on one worker thread; ``poll`` collects them.

    ``handle`` is set by the worker and only read elsewhere; ``links``/``state``/``error`` are
    changed only by ``poll`` (the frame loop's thread).
    """

    def __init__(
        self,
        scenario: str | Path,
        db: str | Path,
        bind: str,
        port: int,
        public_host: str | None,
        team_name: str,
        clock: Clock,
    ) -> None:
        self.scenario, self.db, self.bind, self.port = scenario, db, bind, port
        self.public_host, self.team_name, self.clock = public_host, team_name, clock
        self.handle: HostHandle | None = None
        self.links: list[TeamLink] = []
        self.state = "starting"  # starting, running, stopping, stopped, failed
        self.error = ""
        self.fetched_at = 0.0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qingjing-host-ui")
        self._jobs: list[tuple[str, Future[Any]]] = []
        self._submit("start", self._start)

    def _submit(self, kind: str, fn: Callable[[], Any]) -> None:
        self._jobs.append((kind, self._pool.submit(fn)))

    def busy(self, kind: str) -> bool:
        return any(k == kind for k, _ in self._jobs)

    # --- on the worker thread --------------------------------------------------------------

    def _start(self) -> list[TeamLink]:
        ports = [self.port] if self.port == 0 else list(range(self.port, self.port + PORT_TRIES))
        for n, port in enumerate(ports):
            try:
                handle = start_host(
                    self.scenario, self.db, port, self.bind, self.public_host, teams=0, clock=self.clock
                )
                break
            except OSError as exc:
                if not str(exc).startswith("无法在"):  # not a busy port: the store or the scenario
                    raise
                if n == len(ports) - 1:
                    span = f"{ports[0]}–{ports[-1]}" if len(ports) > 1 else str(ports[0])
                    raise OSError(
                        f"端口 {span} 都已被占用（也许另一个窗口或 play.py host 正在主持）。"
                        "请先停止它，再按“重试”。"
                    ) from None
        self.handle = handle
        links = handle.links()
        if not links:  # a restart on the same database resumes its open teams instead
            handle.new_team(self.team_name)
            links = handle.links()
        return links

    def _links(self) -> list[TeamLink]:
        assert self.handle is not None
        return self.handle.links()

    def _new_team(self) -> list[TeamLink]:
        assert self.handle is not None
        self.handle.new_team()
        return self.handle.links()

    def _stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()

    # --- from the frame loop ---------------------------------------------------------------

    def refresh(self) -> None:
        if self.state == "running" and not self.busy("links"):
            self._submit("links", self._links)

    def new_team(self) -> None:
        if self.state == "running":
            self.error = ""
            self._submit("new_team", self._new_team)

    def stop(self) -> None:
        """Stop in the background; ``state`` becomes "stopped" once the server has closed."""
        if self.state not in ("stopping", "stopped"):
            self.state = "stopping"
            self._submit("stop", self._stop)

    def stop_now(self) -> None:
        """Stop and wait (the window is closing)."""
        self.stop()
        self._pool.shutdown(wait=True)
        self.poll()

    def poll(self) -> None:
        while self._jobs and self._jobs[0][1].done():
            kind, future = self._jobs.pop(0)
            exc = future.exception()
            if kind == "stop":
                self.state = "stopped"
                self._pool.shutdown(wait=False)
            elif exc is not None:
                if kind == "start":
                    self.state = "failed"
                    self.error = f"无法开始主持：{exc}"
                elif self.state != "stopping":
                    self.error = str(exc)
            elif self.state != "stopping":
                self.links = future.result()
                self.fetched_at = time.monotonic()  # boards' clocks tick on from here
                if kind == "start":
                    self.state = "running"

    @property
    def joined(self) -> int:
        """Phones that joined, plus teams already playing (stopping would cut them off)."""
        return sum(len(link.players) + (link.phase == "play") for link in self.links)


def qr_surface(matrix: list[list[bool]], module: int) -> pygame.Surface:
    """The QR code with a 4-module white quiet zone, each module ``module`` pixels, crisp edges."""
    n = len(matrix) + 2 * QUIET
    small = pygame.Surface((n, n))
    small.fill(QR_LIGHT)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                small.set_at((c + QUIET, r + QUIET), QR_DARK)
    return pygame.transform.scale(small, (n * module, n * module))  # nearest neighbour
