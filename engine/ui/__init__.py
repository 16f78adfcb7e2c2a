"""The pygame-ce game. The only package that imports pygame.

Modules, one concept each:

- ``fonts``: find a CJK font (the bundled Noto Sans CJK package, or a system font) or fail clearly
- ``text``: wrap Chinese by character (with line-start/-end rules) and cache rendered blocks
- ``theme``: palette and sizes that scale with the window
- ``widgets``: buttons, text fields, scrolling text, modal boxes
- ``app``: the window, the frame loop and the scene manager
- ``timeline``: the per-role session timeline computed from events (no drawing)
- ``chart``: draws that timeline on the results screen
- ``scenes/``: title, choose, setup, play, results (one module each)
"""

import os

# pygame prints a version banner on import; players and organizers should not see it.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
