"""The organizer frees a seat on the dashboard, in a real browser (Debian's Chromium through
Playwright): the phone that held it is let go, and the player takes their role back on another
phone by joining under the same name. Loopback only.

Set ``QJ_SHOTS=/tmp/shots`` to keep screenshots of the dashboard and the phones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_driver import ARGS, CHROMIUM, font_env, shot

from engine.web.runner import start_host

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium")


def join(browser: Any, url: str, name: str, role: str = "") -> Any:
    page = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    ).new_page()
    page.goto(url)
    page.wait_for_selector("#name")
    page.fill("#name", name)
    if role:
        page.click(f'.tile[data-role="{role}"]')
    page.click("#join")
    return page


@pytest.mark.slow
def test_the_dashboard_frees_a_seat_and_the_player_comes_back_on_a_new_phone(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    handle = start_host(TUTORIAL, tmp_path / "seats.db", port=0, bind="127.0.0.1", teams=1)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=font_env())
            zhang = join(browser, link.url, "张三", "lida")
            li = join(browser, link.url, "李四", "wanghuiwu")
            for page in (zhang, li):
                page.wait_for_selector("#lobby-wait")
            dash = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            dash.goto(handle.dashboard_url)
            card = dash.locator(f'[data-team="{link.id}"]')
            card.locator('[data-op="start"]').wait_for()
            assert card.locator("[data-seat]").count() == 2
            shot(dash, "dashboard-seats-lobby")
            card.locator("[data-quiz]").uncheck()  # the organizer skips the knowledge check
            card.locator('[data-op="start"]').click()
            zhang.locator('[data-role-card="lida"]').wait_for()

            card.locator("details.seats summary").click()
            seat = card.locator("[data-seat]", has_text="张三")
            seat.wait_for()
            shot(dash, "dashboard-seats-play")
            dash.once("dialog", lambda dialog: dialog.accept())
            seat.locator("button", has_text="释放").click()
            card.locator("[data-seat]", has_text="张三").wait_for(state="detached")

            zhang.wait_for_selector("#name")  # the old phone is back at the join form
            assert (
                zhang.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('qj:t:')).length") == 0
            )
            shot(zhang, "phone-seat-freed")

            new_phone = join(browser, link.url, "张三")
            new_phone.locator('[data-role-card="lida"] .choice').first.wait_for()
            shot(new_phone, "phone-seat-reclaimed")
            card.locator("[data-seat]", has_text="张三").wait_for()  # still open after the updates
            shot(dash, "dashboard-seats-reclaimed")
            browser.close()
    finally:
        handle.stop()


@pytest.mark.slow
def test_a_silent_dashboard_is_reconnected_and_keeps_the_half_typed_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    from engine.web import server

    monkeypatch.setattr(server, "IDENTIFY_TIMEOUT", 1.0)
    handle = start_host(TUTORIAL, tmp_path / "dash.db", port=0, bind="127.0.0.1", teams=1)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=font_env())
            dash = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            dash.goto(f"{handle.base_url}/host")  # no secret in the link: the organizer types it
            dash.fill("#secret", handle.secret[:4])
            closed = dash.wait_for_event("websocket", timeout=10_000)  # the host hung up; a new one opens
            assert "/ws" in closed.url
            dash.wait_for_timeout(500)
            assert dash.input_value("#secret") == handle.secret[:4]
            dash.fill("#secret", handle.secret)
            dash.press("#secret", "Enter")
            dash.locator("[data-team]").wait_for()
            browser.close()
    finally:
        handle.stop()
