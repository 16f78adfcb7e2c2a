"""The studio in a real browser: headless Chromium (Debian's package) through Playwright, on
127.0.0.1 only. It lists a planted unknown task id with its line, greys the last good map, and
updates by itself when the file is fixed; the play-test shows every role and a trap's history.

Set ``QJ_SHOTS=/tmp/shots`` to keep screenshots of the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_driver import ARGS, CHROMIUM, shot
from test_studio import PLANTED, PLANTED_LINE, TUTORIAL, save

from engine.studio.webapp import start_studio

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium（Debian 包，/usr/bin/chromium）"
)


@pytest.mark.slow
def test_studio_lists_a_planted_error_and_updates_when_it_is_fixed(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    path = tmp_path / "draft.yaml"
    save(path, PLANTED)
    handle = start_studio(path, port=0)
    try:
        assert handle.url.startswith("http://127.0.0.1:")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(handle.url)
            problems = page.locator("#problem-list")
            expect(problems).to_contain_text(f"第 {PLANTED_LINE} 行，第 17 列", timeout=20_000)
            expect(problems).to_contain_text("prepare_rooms")
            expect(problems).to_contain_text("是不是 “prepare_room”")
            expect(page.locator("#status")).to_contain_text("1 个错误")
            expect(page.locator("#map-box")).to_contain_text("文件还没有成功读取过")
            shot(page, "studio-planted")

            save(path, TUTORIAL)  # fixed in "another editor": the page follows by itself
            expect(page.locator("#status")).to_contain_text("没有发现问题", timeout=20_000)
            expect(problems).not_to_contain_text("prepare_rooms")
            expect(page.locator("#map-box svg")).to_be_visible()
            expect(page.locator("#verify-box")).to_contain_text("通过", timeout=30_000)
            expect(page.locator("#simulate-box")).to_contain_text("陷阱命中率", timeout=60_000)

            save(path, PLANTED)  # broken again: the last good map stays, greyed
            expect(page.locator("#status")).to_contain_text("1 个错误", timeout=20_000)
            expect(page.locator("#map-box")).to_have_class("map stale")
            expect(page.locator("#map-note")).to_be_visible()
            expect(page.locator("#verify-box")).to_contain_text("上一次没有错误时的验证结果")
            shot(page, "studio-stale")
            browser.close()
    finally:
        handle.stop()


@pytest.mark.slow
def test_play_test_shows_every_role_and_a_trap_pop_up(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    path = tmp_path / "draft.yaml"
    save(path, TUTORIAL)
    handle = start_studio(path, port=0)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(handle.url + "#play")
            roles = page.locator("#roles .role")
            expect(roles).to_have_count(3, timeout=20_000)
            for name in ("李达", "王会悟", "李汉俊"):
                expect(page.locator("#roles")).to_contain_text(name)
            page.locator('#roles .role[data-role="lida"] button', has_text="只请北京、上海两地来人").click()
            popup = page.locator("#popup")
            expect(popup).to_be_visible(timeout=10_000)
            expect(popup).to_contain_text("⚠ 陷阱 · 李达：只通知两地")
            expect(popup).to_contain_text("13人")
            shot(page, "studio-trap")
            page.keyboard.press("Enter")
            expect(popup).to_be_hidden()
            lida = page.locator('#roles .role[data-role="lida"]')
            expect(lida.locator("button")).to_have_count(1)  # the trap bites once
            lida.locator("button").click()
            expect(page.locator("#feed")).to_contain_text("李达 完成《致信各地》")
            browser.close()
    finally:
        handle.stop()
