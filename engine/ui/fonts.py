"""Fonts: Chinese must render as real glyphs on a fresh machine, or the game must not start.

Order of preference:

1. an explicit font file (``--font`` / ``$QINGJING_FONT``), for organisers who want another face;
2. Noto Sans CJK from the ``noto-cjk-sans-otc`` package (SIL OFL 1.1, installed with the game):
   one collection file, face 2 is Simplified Chinese, face 3 Traditional;
3. common system CJK fonts (``pygame.font.match_font``), if the package is missing.

Whatever is found must have glyphs for a few test characters; otherwise :class:`FontError`
says, in Chinese, what to install. A game showing boxes instead of text is never started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pygame
import pygame.freetype

ENV_FONT = "QINGJING_FONT"
PROBE = "党史情景"
# Face index inside NotoSansCJK-Regular.ttc: JP, KR, SC, TC, HK, ...
FACE_SC = 2
FACE_TC = 3
SYSTEM_NAMES = (
    "notosanscjksc",
    "notosanssc",
    "sourcehansanssc",
    "sourcehanssanscn",
    "microsoftyahei",
    "simhei",
    "pingfangsc",
    "hiraginosansgb",
    "wenquanyimicrohei",
    "wqymicrohei",
    "notosanscjk",
    "droidsansfallback",
)


class FontError(Exception):
    """No usable Chinese font; the message tells the user how to get one."""


@dataclass(frozen=True)
class FontSource:
    path: str
    index: int
    origin: str  # "package" | "file" | "system"


def _package_font(traditional: bool) -> FontSource | None:
    try:
        import noto_cjk_sans_otc  # type: ignore[import-untyped]
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    if not path.is_file():
        return None
    return FontSource(str(path), FACE_TC if traditional else FACE_SC, "package")


def _system_font() -> FontSource | None:
    for name in SYSTEM_NAMES:
        path = pygame.font.match_font(name)
        if path:
            return FontSource(path, 0, "system")
    return None


def find_font(traditional: bool = False, path: str | None = None, system: bool = False) -> FontSource:
    """The font to use; raises FontError with a fix-it message if there is none."""
    explicit = path or os.environ.get(ENV_FONT)
    if explicit:
        if not Path(explicit).is_file():
            raise FontError(f"找不到字体文件 {explicit}；请检查 --font 或环境变量 {ENV_FONT}")
        return FontSource(explicit, 0, "file")
    order = (
        (_system_font, lambda: _package_font(traditional))
        if system
        else (
            lambda: _package_font(traditional),
            _system_font,
        )
    )
    for finder in order:
        found = finder()
        if found is not None:
            return found
    raise FontError(
        "没有找到可以显示中文的字体。请安装随游戏提供的字体包：\n"
        "    pip install noto-cjk-sans-otc\n"
        f"或用 --font 指定一个中文字体文件（也可设置环境变量 {ENV_FONT}）。"
    )


class Fonts:
    """Sized faces of one font file, created on first use and kept."""

    def __init__(self, source: FontSource) -> None:
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.source = source
        self._faces: dict[tuple[int, bool], pygame.freetype.Font] = {}
        probe = self.get(24)
        missing = [ch for ch, m in zip(PROBE, probe.get_metrics(PROBE), strict=False) if m is None]
        if missing:
            raise FontError(
                f"字体 {source.path} 缺少中文字形（如 “{missing[0]}”），会显示成方框。"
                "请安装 noto-cjk-sans-otc，或用 --font 指定其他中文字体"
            )

    def get(self, size: int, bold: bool = False) -> pygame.freetype.Font:
        key = (size, bold)
        face = self._faces.get(key)
        if face is None:
            try:
                face = pygame.freetype.Font(self.source.path, size, font_index=self.source.index)
            except (OSError, pygame.error) as exc:
                raise FontError(f"无法打开字体 {self.source.path}：{exc}") from None
            face.origin = True
            face.pad = False
            face.antialiased = True
            if bold:
                face.strong = True
                face.strength = 1 / 36
            self._faces[key] = face
        return face


def load_fonts(traditional: bool = False, path: str | None = None, system: bool = False) -> Fonts:
    return Fonts(find_font(traditional, path, system))
