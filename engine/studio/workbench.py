"""The studio's model of one scenario file: re-read when it changes, checked, analysed.

    bench = Workbench(path)
    bench.poll() -> bool      # re-read if the file changed on disk (any editor, any way of saving)
    bench.snapshot() -> dict  # everything the page shows, as JSON-ready data

A file with errors keeps the last good version's map (marked stale) so the organizer still sees
the picture while fixing a typo. Verify and simulate run in a background thread: the page shows
"正在验证…" until they finish, and a result for an older version of the file is dropped.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path
from typing import Any

from engine.format.loader import parse_scenario
from engine.format.problems import Problem, ScenarioInvalid
from engine.format.scenario import Scenario
from engine.format.yamlsource import decode
from engine.rules.step import RuleViolation
from engine.studio.digest import simulate_digest, verify_digest
from engine.studio.playtest import PlayTest
from engine.tools.deadcode import find_dead
from engine.tools.graph import to_svg
from engine.tools.simulate import simulate
from engine.tools.verify import verify

MAX_STATES = 300_000  # the studio answers within seconds; `play.py verify` goes further
SIM_TEAMS = 100
SIM_SEED = 1


class Workbench:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self.version = 0  # bumps whenever anything on the page changes
        self.file_version = 0  # bumps when the file's content changes
        self.stamp: tuple[int, int] | None = None
        self.digest = ""
        self.checked_at = ""
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        self.valid = False
        self.scenario: Scenario | None = None  # the last good version
        self.map_svg = ""
        self.verify: dict[str, Any] | None = None
        self.simulate: dict[str, Any] | None = None
        self.play: PlayTest | None = None
        self.play_note = ""
        self.poll()

    # --- the file ------------------------------------------------------------------------

    def poll(self) -> bool:
        """Re-read the file if its size, time or content changed; True when something did."""
        try:
            st = self.path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp == self.stamp and self.file_version:
            return False
        self.stamp = stamp
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raw = b""
            problem = Problem(
                str(self.path), 1, 1, "error", "unreadable", f"无法读取文件（{exc.strerror}）；请检查路径"
            )
            return self._load(raw, [problem])
        return self._load(raw, None)

    def _load(self, raw: bytes, problems: list[Problem] | None) -> bool:
        digest = hashlib.sha256(raw).hexdigest() if problems is None else "unreadable"
        if digest == self.digest:
            return False  # saved again with the same content (editors touch files)
        scenario: Scenario | None = None
        text = ""
        if problems is None:
            try:
                text = decode(raw, str(self.path))
                scenario = parse_scenario(text, str(self.path))
                problems = list(scenario.warnings)
            except ScenarioInvalid as exc:
                problems = list(exc.problems)
        with self.lock:
            self.digest = digest
            self.file_version += 1
            self.version += 1
            self.checked_at = time.strftime("%H:%M:%S")
            self.problems = sorted(problems, key=lambda p: (p.line, p.column))
            self.lines = text.splitlines()
            self.valid = scenario is not None
            if scenario is not None:
                self.scenario = scenario
                self.map_svg = to_svg(scenario)
                self.verify = self.simulate = None
                self.play_note = "场景已修改，试玩已重新开始" if self.play is not None else ""
                self.play = PlayTest(scenario)
                version = self.file_version
                threading.Thread(target=self._analyse, args=(scenario, version), daemon=True).start()
        return True

    def _analyse(self, scenario: Scenario, version: int) -> None:
        report = verify(scenario, max_states=MAX_STATES)
        dead = find_dead(scenario, report)
        digest = verify_digest(scenario, report, dead)
        with self.lock:
            if version != self.file_version:
                return
            self.verify = digest
            self.version += 1
        sim = simulate_digest(scenario, simulate(scenario, SIM_TEAMS, seed=SIM_SEED))
        with self.lock:
            if version != self.file_version:
                return
            self.simulate = sim
            self.version += 1

    # --- the play-test -------------------------------------------------------------------

    def play_choose(self, role: str, index: int, node: str | None) -> str:
        """Make a move in the play-test; returns "" or why it was refused (Chinese)."""
        with self.lock:
            if self.play is None:
                return "场景还没有成功读取，无法试玩"
            try:
                self.play.choose(role, index, node)
            except RuleViolation as exc:
                return str(exc)
            self.play_note = ""
            self.version += 1
            return ""

    def play_reset(self) -> None:
        with self.lock:
            if self.scenario is not None:
                self.play = PlayTest(self.scenario)
                self.play_note = ""
                self.version += 1

    def play_skip_wait(self) -> None:
        with self.lock:
            if self.play is not None:
                self.play.skip_wait()
                self.version += 1

    # --- what the page shows -------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            errors = sum(1 for p in self.problems if p.severity == "error")
            s = self.scenario
            return {
                "version": self.version,
                "file": str(self.path),
                "checked_at": self.checked_at,
                "valid": self.valid,
                "errors": errors,
                "warnings": len(self.problems) - errors,
                "problems": [
                    {
                        "line": p.line,
                        "column": p.column,
                        "severity": p.severity,
                        "code": p.code,
                        "message": p.message,
                        "source": self.lines[p.line - 1] if 0 < p.line <= len(self.lines) else "",
                    }
                    for p in self.problems
                ],
                "title": s.title if s else "",
                "summary": s.data.scenario.summary if s else "",
                "map": self.map_svg,
                "stale": s is not None and not self.valid,
                "verify": self.verify,
                "simulate": self.simulate,
                "play": self.play.view() if self.play is not None else None,
                "play_note": self.play_note,
            }
