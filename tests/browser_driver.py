"""Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`),
screenshots kept when ``QJ_SHOTS`` names a folder, and Chinese glyphs for them: Chromium here
has no CJK font, so :func:`font_env` points fontconfig at the bundled Noto Sans CJK through a
temporary configuration (the system's stays untouched)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = next(
    (
        p
        for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
        if p and Path(p).is_file()
    ),
    None,
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = os.environ.get("QJ_SHOTS", "")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def font_env() -> dict[str, str]:
    """Environment for ``chromium.launch(env=...)``: the system fonts plus the bundled CJK font."""
    import noto_cjk_sans_otc  # type: ignore[import-untyped]

    folder = Path(str(noto_cjk_sans_otc.FONT_PATH)).parent
    conf = Path(tempfile.mkdtemp(prefix="qj-fonts-")) / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{folder}</dir><cachedir>{conf.parent}/cache</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def until(page: Any, expression: str, arg: Any = None, timeout: float = 30.0) -> Any:
    """Poll ``expression`` in the page until it is truthy (and return it).

    Playwright's ``wait_for_function`` polls with ``eval`` inside the page, which our pages'
    content security policy forbids (``script-src 'self'``): it passes only when the condition
    already holds at the first look. ``page.evaluate`` runs through the debugging protocol, which
    the policy does not cover.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true in the page: {expression}")
        page.wait_for_timeout(50)


def settled(page: Any) -> None:
    """Wait until the page's fonts are loaded (layout measured before that uses fallback metrics)."""
    page.evaluate("document.fonts.ready.then(() => true)")
