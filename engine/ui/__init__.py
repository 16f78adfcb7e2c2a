"""The pygame-ce game. The only package that imports pygame.

Modules, one concept each:

- ``fonts``: find a CJK font (the bundled Noto Sans CJK package, or a system font) or fail clearly
- ``typeset``: wrap Chinese by character (with line-start/-end rules) and cache rendered blocks
- ``theme``: palette, sizes that scale with the window, and the minimum type size
- ``widgets``: buttons, text fields, scrolling text, modal boxes (every text noted with its box);
  ``datagrid``: tables and pages
- ``scene``: the base of every screen; ``app``: the window, the frame loop and the scene manager
- ``scenes/``: title, choose, setup, play, results, review, host (one module each), listed by name
  in ``scenes/__init__.py`` so that no scene imports another
- ``panels`` and ``teambar``: the play screen's role panels (sized by need) and its bars
- ``popups``: the play screen's pop-ups (notes, the paused veil, the facilitator's menu)
- ``lanhost``, ``joincards``, ``projector``: the desktop's phone host: the server behind it, the join
  cards (QR codes), the room's board (ranked teams, traps and endings for the room)
- ``sound``, ``motion``, ``celebrate``: short sounds, easing, confetti
- ``chart``: draws the session timeline (:mod:`engine.present.timeline`); ``debrief``: the
  review's debrief pages
- ``shots`` / ``screens`` / ``roomshots``: headless screenshots of every screen; ``graph_png``: the
  scenario map as PNG

What the screens say comes from :mod:`engine.present`; this package only draws it.
"""

import os

# pygame prints a version banner on import; players and organizers should not see it.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
