"""简/繁 per browser (engine/web/script.py): a browser whose cookie asks for Traditional Chinese
gets the pages, their scripts and every WebSocket frame converted, except the roster names a join
page offers; one without the cookie gets exactly the files as shipped. Last, the 繁 button of a
real phone page, in Chromium."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser_driver import ARGS, CHROMIUM, font_env, shot

from engine.store.db import Store
from engine.store.members import NewMember
from engine.web.runner import start_host
from engine.web.script import STATIC, TEXT_FILES, chosen, static_text, traditional_frame

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
HANT = "qj_script=zh-Hant"


def test_only_the_traditional_cookie_switches() -> None:
    assert chosen({}) == "zh-Hans"
    assert chosen({"qj_script": "zh-Hant"}) == "zh-Hant"
    assert chosen({"qj_script": "<script>"}) == "zh-Hans"


@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_files_change_only_their_chinese(name: str) -> None:
    shipped = (STATIC / name).read_text(encoding="utf-8")
    assert static_text(name, "zh-Hans") == shipped

    def code(text: str) -> str:  # everything but the Chinese characters, and the page's language
        return re.sub(r"[^\x00-\x7f]", "", text).replace('lang="zh-Hant"', 'lang="zh-Hans"')

    converted = static_text(name, "zh-Hant")
    assert code(converted) == code(shipped)  # not one byte of HTML, JS or CSS syntax touched
    if name.endswith(".html"):
        assert 'lang="zh-Hant"' in converted


def test_a_frame_is_converted_except_the_roster_names_it_offers() -> None:
    frame = {
        "t": "team",
        "name": "第一组",
        "roles": [{"id": "lihanjun", "name": "李汉俊", "brief": "你提出在自家楼下客厅开会"}],
        "members": ["张发", "李丽"],
        "by_player": {"张发": "等待大会开幕"},
        "seq": 3,
    }
    out = json.loads(traditional_frame(json.dumps(frame, ensure_ascii=False)))
    assert out["roles"][0] == {"id": "lihanjun", "name": "李漢俊", "brief": "你提出在自家樓下客廳開會"}
    assert out["name"] == "第一組" and out["seq"] == 3
    assert out["members"] == ["张发", "李丽"]  # picked and sent back: must match the roster's spelling
    assert out["by_player"] == {"張發": "等待大會開幕"}
    plain = json.dumps({"t": "view", "text": "会议开始"}, ensure_ascii=False)
    assert json.loads(traditional_frame(plain)) == {"t": "view", "text": "會議開始"}


def _get(url: str, cookie: str = "") -> tuple[Any, str]:
    """Headers (any case) and body of a GET, with the cookie when given."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as r:
        return r.headers, r.read().decode("utf-8")


@pytest.mark.slow
def test_the_host_serves_each_browser_in_its_script(tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    db = tmp_path / "script.db"
    store = Store(db)
    store.import_members([NewMember(name="张发")])
    store.close()
    handle = start_host(TUTORIAL, db, port=0, bind="127.0.0.1", teams=1)
    try:
        base, code = handle.base_url, handle.links()[0].code
        headers, page = _get(f"{base}/j/{code}", HANT)
        assert 'lang="zh-Hant"' in page and "正在連接主持人的電腦" in page and headers["Vary"] == "Cookie"
        assert "正在连接主持人的电脑" in _get(f"{base}/j/{code}")[1]
        headers, script = _get(f"{base}/static/phone.js", HANT)
        assert headers["Content-Type"].startswith("text/javascript") and "名冊成員" in script
        assert "名册成员" in _get(f"{base}/static/phone.js")[1]
        with pytest.raises(urllib.error.HTTPError):
            _get(f"{base}/static/server.py")

        async def peek(cookie: str) -> dict[str, Any]:
            url = base.replace("http://", "ws://") + "/ws"
            extra = {"Cookie": cookie} if cookie else {}
            async with connect(url, additional_headers=extra) as ws:
                await ws.send(json.dumps({"t": "peek", "code": code}))
                return dict(json.loads(await asyncio.wait_for(ws.recv(), 5)))

        hant, hans = asyncio.run(peek(HANT)), asyncio.run(peek(""))
        names = {r["id"]: r["name"] for r in hant["roles"]}
        assert names["lihanjun"] == "李漢俊" and {r["name"] for r in hans["roles"]} >= {"李汉俊"}
        assert hant["members"] == hans["members"] == ["张发"]
    finally:
        handle.stop()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium")
def test_the_phone_page_switches_to_traditional_and_back(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    handle = start_host(TUTORIAL, tmp_path / "switch.db", port=0, bind="127.0.0.1", teams=1)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=font_env())
            page = browser.new_context(
                viewport={"width": 360, "height": 780}, is_mobile=True, locale="zh-CN"
            ).new_page()
            page.goto(link.url)
            page.wait_for_selector("#name")
            assert page.locator("html").get_attribute("lang") == "zh-Hans"
            page.fill("#name", "张三")
            page.click('.tile[data-role="lihanjun"]')
            page.click("#join")
            page.wait_for_selector("#lobby-wait")
            page.click('[data-script-switch="zh-Hant"]')  # 繁: the page reloads, the seat is kept
            page.wait_for_selector("#lobby-wait")
            assert page.locator("html").get_attribute("lang") == "zh-Hant"
            body = page.locator("main").inner_text()
            assert "李漢俊" in body and "李汉俊" not in body
            shot(page, "phone-traditional")
            page.click('[data-script-switch="zh-Hans"]')  # and back
            page.wait_for_selector("#lobby-wait")
            assert "李汉俊" in page.locator("main").inner_text()
            browser.close()
    finally:
        handle.stop()
