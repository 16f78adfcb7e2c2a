"""The screens ``play.py screenshot`` can save, by name. No pygame here, so the command line can
list them without starting the game; :mod:`engine.ui.shots` drives the game to each."""

SCREENS = (
    "title",
    "choose",
    "setup",
    "quiz",
    "play",
    "feedback",
    "trap",
    "event",
    "paused",
    "menu",
    "results",
    "review",
    "sessions",
    "leaderboard",
    "honor",
    "host",
    "host-board",
    "host-trap",
    "host-ending",
)
