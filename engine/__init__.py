"""Qingjing's engine, in layers; each imports only the layers below it (tests/test_layers.py).

cli                               the command line: one module per command
ui · terminal · web · report      front-ends: pygame game, text mode, phones, organizer reports
present                           what players and rooms see: views, notes, labels
tools · review                    organizer tools (verify, bots, simulate, graph); metrics
session                           a live session: rules + clock + store
store                             the only SQL
rules                             state folded from events; step(action) -> events
format                            YAML -> validated Scenario
"""

# The one source of the version: pyproject.toml reads it (tool.setuptools.dynamic).
__version__ = "0.2.0.dev0"
