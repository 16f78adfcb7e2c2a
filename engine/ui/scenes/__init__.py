"""Every screen of the game, by name: the app builds scenes from here (``app.show(name, ...)``),
so scenes never import one another (after Textual's ``App.SCREENS``).

=========  ==========================================  ======================================
name       scene                                       arguments
=========  ==========================================  ======================================
title      start, resume, review, display settings     --
choose     pick a scenario                             --
setup      team name, players, roles                   scenario
play       the hot-seat play screen                    session, fresh (optional)
quiz       the knowledge check, players in turn        session, fresh (optional)
results    the end of a session                        session
review     past sessions, leaderboard, honor wall      tab (optional)
host       phones over the LAN (QR codes)              scenario, back, team_name
=========  ==========================================  ======================================
"""

from __future__ import annotations

from collections.abc import Callable

from engine.ui.scene import Scene
from engine.ui.scenes.choose import ChooseScene
from engine.ui.scenes.finish import ResultsScene
from engine.ui.scenes.host import HostScene
from engine.ui.scenes.play import PlayScene
from engine.ui.scenes.quiz import QuizScene
from engine.ui.scenes.review import ReviewScene
from engine.ui.scenes.setup import SetupScene
from engine.ui.scenes.title import TitleScene

SCENES: dict[str, Callable[..., Scene]] = {
    "title": TitleScene,
    "choose": ChooseScene,
    "setup": SetupScene,
    "play": PlayScene,
    "quiz": QuizScene,
    "results": ResultsScene,
    "review": ReviewScene,
    "host": HostScene,
}

__all__ = ["SCENES"]
