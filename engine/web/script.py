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
# the only files under /static, with their types: a fixed list, so no path reaches elsewhere
TEXT_FILES = {
    "app.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "host.html": "text/html; charset=utf-8",
    "host.js": "text/javascript; charset=utf-8",
    "index.html": "text/html; charset=utf-8",
    "index.js": "text/javascript; charset=utf-8",
    "phone.html": "text/html; charset=utf-8",
    "phone.js": "text/javascript; charset=utf-8",
}
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


@lru_cache(maxsize=1024)
def traditional_frame(text: str) -> str:
    """A WebSocket frame (JSON) for a browser showing Traditional Chinese.

    Converted as one text (OpenCC changes Chinese characters only, never JSON's syntax); a frame
    that offers roster names gets them back as they were. Memoised: a team's update goes to
    each of its phones, and the same text converts the same way."""
    converted = localize(text, "zh-Hant")
    if f'"{UNCONVERTED}"' not in text or converted == text:
        return converted
    return json.dumps(_keep_names(json.loads(converted), json.loads(text)), ensure_ascii=False)


def _keep_names(converted: Any, original: Any) -> Any:
    if isinstance(converted, dict):  # keys in order (a key may hold Chinese, a player's name)
        return {
            k: o if k == UNCONVERTED else _keep_names(v, o)
            for (k, v), o in zip(converted.items(), original.values(), strict=True)
        }
    if isinstance(converted, list):
        return [_keep_names(c, o) for c, o in zip(converted, original, strict=True)]
    return converted
