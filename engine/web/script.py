"""Simplified or Traditional Chinese per browser: the 简/繁 switch of the phone and host pages.

Scenarios and pages are written in Simplified Chinese; Traditional is a display setting, as on
the desktop (:mod:`engine.present.i18n`). A browser that chose it sends the cookie
``qj_script=zh-Hant``; the server then sends it the pages, their scripts and every WebSocket frame
converted (OpenCC s2t), so the phone's code exists once. The roster names a join page offers are
left as the roster spells them: the name a player picks goes back to the server, which links it
to the member by that exact spelling.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from engine.format.catalog import package_path
from engine.present.i18n import Script, localize

COOKIE = "qj_script"
# importlib.resources: a wheel, a zip or a standalone build serves the same files
STATIC = package_path("engine.web", "static")
_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
# the only files under /static, with their types: the shipped ones, listed once, so no path
# a browser sends reaches anything else
TEXT_FILES = {p.name: _TYPES[p.suffix] for p in sorted(STATIC.iterdir()) if p.suffix in _TYPES}
UNCONVERTED = "members"  # a join page's roster names: sent back as picked, matched as spelled


def chosen(cookies: Mapping[str, str]) -> Script:
    """The script a browser asked for with its cookie; Simplified unless it chose Traditional."""
    return "zh-Hant" if cookies.get(COOKIE) == "zh-Hant" else "zh-Hans"


@lru_cache(maxsize=2 * len(TEXT_FILES))
def static_text(name: str, script: Script) -> str:
    """One of :data:`TEXT_FILES` as ``script`` shows it (read and converted once per process)."""
    text = (STATIC / name).read_text(encoding="utf-8")
    if script == "zh-Hant":
        text = localize(text, script).replace('lang="zh-Hans"', 'lang="zh-Hant"')
    return text


@lru_cache(maxsize=256)
def traditional_frame(text: str) -> str:
    """A WebSocket frame (JSON) for a browser showing Traditional Chinese: every string converted
    but the roster names a join page offers.

    String by string through the memoised converter: a view repeats the scenario's texts and the
    same labels frame after frame, so only what is new (a name, a clock) is converted; a 6 KB
    frame converted whole took ~8 ms of the event loop each time."""
    return json.dumps(_converted(json.loads(text)), ensure_ascii=False)


def _converted(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.isascii() else localize(value, "zh-Hant")
    if isinstance(value, list):
        return [_converted(v) for v in value]
    if isinstance(value, dict):  # keys too: a key may be a player's name
        return {_converted(k): v if k == UNCONVERTED else _converted(v) for k, v in value.items()}
    return value
