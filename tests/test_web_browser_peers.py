"""Two phones in Chromium, each on another `play.py host` process sharing one PostgreSQL store:
a choice tapped on the phone of one process shows on the phone of the other. Only 127.0.0.1.

Set ``QJ_SHOTS=/tmp/shots`` to keep screenshots of both phones.
"""

from __future__ import annotations

import pytest
from browser_driver import ARGS, CHROMIUM, shot, until
from test_web_peers import Host

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium（Debian 包，/usr/bin/chromium）"
)


@pytest.mark.slow
def test_a_choice_on_a_phone_of_one_postgres_host_shows_on_a_phone_of_the_other(postgres_url: str) -> None:
    from playwright.sync_api import sync_playwright

    a = Host(postgres_url, teams=1)
    b = Host(postgres_url, teams=1)
    try:
        code = a.codes[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            phones = {}
            for host, role, name in ((a, "lida", "张三"), (b, "wanghuiwu", "李四"), (b, "lihanjun", "王五")):
                ctx = browser.new_context(
                    viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
                )
                page = ctx.new_page()
                page.goto(f"{host.base}/j/{code}")
                page.fill("#name", name)
                page.click(f'.tile[data-role="{role}"]')
                page.click("#join")
                page.wait_for_selector("#lobby-wait")
                phones[role] = page
            dash = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            dash.goto(f"{a.base}/host#k={a.secret}")
            start = dash.locator("[data-op='start']")
            start.wait_for()
            dash.locator("[data-quiz]").uncheck()  # straight to play: this test is about the peers
            start.click()
            lida, wang = phones["lida"], phones["wanghuiwu"]
            choice = lida.locator('[data-role-card="lida"] .choice[data-index="0"]:not([disabled])')
            choice.wait_for()
            wang.locator('[data-role-card="wanghuiwu"]').wait_for()
            before = wang.locator(".feed").inner_text() if wang.locator(".feed").count() else ""
            choice.click()  # on process A ...
            # ... and on process B the team feed names 李达's move
            until(
                wang,
                "(before) => { const f = document.querySelector('.feed'); return f && f.innerText !== before"
                " && f.innerText.includes('李达'); }",
                arg=before,
                timeout=10,
            )
            shot(lida, "peers-phone-on-a")
            shot(wang, "peers-phone-on-b")
            browser.close()
    finally:
        a.stop()
        b.stop()
