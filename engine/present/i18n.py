"""Display language: scenarios are written in Simplified Chinese; Traditional is a display setting.

Conversion uses OpenCC's ``s2t`` tables (the pure-Python ``opencc-py`` package, so it installs
everywhere without a compiler). Nothing here imports pygame: the terminal, the game and the
reports can all share it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, Protocol

Script = Literal["zh-Hans", "zh-Hant"]


class I18nError(Exception):
    """The converter for Traditional Chinese is missing or broken; the message says how to fix it."""


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _s2t() -> _Converter:
    try:
        import opencc
    except ImportError:
        raise I18nError(
            "繁体显示需要 OpenCC 转换表，但没有安装 opencc-py。请运行：pip install 'opencc-py>=1.1'"
        ) from None
    try:
        return opencc.OpenCC("s2t")  # type: ignore[no-any-return]
    except Exception as exc:  # a broken install: name it, do not crash with a traceback
        raise I18nError(f"OpenCC 无法加载 s2t 转换表：{exc}；请重新安装 opencc-py") from None


@lru_cache(maxsize=8192)
def to_traditional(text: str) -> str:
    """Simplified -> Traditional (OpenCC s2t), memoised: screens ask for the same strings often."""
    return _s2t().convert(text) if text else text


def localize(text: str, script: Script) -> str:
    """``text`` (authored in Simplified Chinese) as shown in ``script``."""
    return to_traditional(text) if script == "zh-Hant" else text


def check(script: Script) -> None:
    """Raise :class:`I18nError` now if ``script`` cannot be displayed (call at start-up)."""
    if script == "zh-Hant":
        _s2t()
