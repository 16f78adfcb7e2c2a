"""Which rules decided a stored log.

Raise ``RULES_VERSION`` whenever the events an action produces, or what folding them means, can
change for an existing scenario (a different order of settling, an effect that now does more, a
new event in an old situation). Pure refactorings keep it: 300 bot games per shipped scenario
must then give byte-identical logs. Every session records the version that started it; resuming
a session recorded under another version replays its actions first and refuses if the replay
differs (:mod:`engine.session.replay`).
"""

from __future__ import annotations

# 2: a pause freezes lock-outs and waits (the fold moves them on by the paused span)
# 3: a session may record a shuffle seed (the order options are shown in) and ask a knowledge
#    check (status "quiz", quiz_answered / quiz_skipped): a log from these rules must not be
#    continued by rules that would show it in another order or ignore its check
# 4: a session resumed in a new process records since when the program was down (its last step);
#    that span folds as a pause, so closing the game overnight no longer counts as play time
RULES_VERSION = 4
