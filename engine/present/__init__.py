"""The presentation layer: what each role, team and room sees, as plain data (no pygame, no
network, no store). Every front-end (the pygame game, text mode, the web host) renders from it
and sends back what the player chose, nothing more.

- ``labels``: words and number formats (clocks, countdowns, score parts, statuses)
- ``view``: each role's and the team's situation now (in game time: a pause stops the clocks)
- ``feed``: one line per event for the team's feed
- ``notes``: the pop-ups after an action (feedback, traps with every consequence, team events, …)
- ``results``: the end-of-session summary, from the replayed metrics
- ``timeline``: the one session timeline, drawn by the results and review screens
- ``board``: the room's view of a team for the projector (ranked, traps, the ending)
- ``identity``: each role's colour and emblem, the same on every screen
- ``inputs``: choice numbers and facilitator commands -> actions (or a refusal in Chinese)
- ``quizview``: the knowledge check: each player's next question, the team's progress, the key
- ``i18n``: Traditional Chinese display
"""
