"""Real phones in a real browser: headless Chromium (Debian's package) driven by Playwright plays the
tutorial to the end as three phones in separate browser contexts, with the organizer's dashboard
in a fourth; each phone answers its own knowledge check before play and after the ending; one
phone reloads mid-task and comes back to its role; a phone that posts an action for another
role is refused. Only loopback (127.0.0.1) is used.

Set ``QJ_SHOTS=/tmp/shots`` to keep screenshots of the phone pages and the dashboard.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from browser_driver import ARGS, CHROMIUM, font_env, shot

from engine.rules.state import fold
from engine.store.db import Store
from engine.web.runner import start_host

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
PLAYERS = (("lida", "张三"), ("wanghuiwu", "李四"), ("lihanjun", "王五"))
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium（Debian 包，/usr/bin/chromium）"
)


def answer_check(page: Any, deadline: float) -> int:
    """Tap the first option shown until this phone has no question left; returns the taps."""
    taps = 0
    while time.monotonic() < deadline:
        if page.locator("#quiz-wait").count() or not page.locator("#quiz, #quiz-wait").count():
            return taps
        button = page.locator('[data-quiz-option="1"]:not([disabled])')
        if button.count():
            try:
                button.click(timeout=2000)
                taps += 1
            except Exception:  # re-rendered under the tap (the next question arrived): tap again
                continue
        time.sleep(0.05)
    pytest.fail("the knowledge check did not finish in time")


@pytest.mark.slow
def test_three_phones_play_the_tutorial_to_the_end(tmp_path: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    db = tmp_path / "phones.db"
    handle = start_host(TUTORIAL, db, port=0, bind="127.0.0.1", teams=1)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=font_env())
            phones: dict[str, Any] = {}
            for role, name in PLAYERS:
                ctx = browser.new_context(
                    viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
                )
                page = ctx.new_page()
                page.goto(link.url)
                page.wait_for_selector("#name")
                if role == "lida":
                    shot(page, "phone-join")
                page.fill("#name", name)
                page.click(f'.tile[data-role="{role}"]')
                page.click("#join")
                page.wait_for_selector("#lobby-wait")
                phones[role] = page
            shot(phones["lihanjun"], "phone-lobby")

            dash = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            dash.goto(handle.dashboard_url)
            start = dash.locator(f'[data-team="{link.id}"] [data-op="start"]')
            start.wait_for()
            assert "#k=" not in dash.url  # the secret is taken off the projected address bar
            assert dash.locator(f'[data-team="{link.id}"] [data-quiz]').is_checked()  # asked unless unticked
            shot(dash, "dashboard-lobby")
            start.click()

            # The knowledge check before play: every phone its own questions, in its own order.
            phones["lida"].locator("#quiz").wait_for()
            shot(phones["lida"], "phone-quiz")
            assert phones["lida"].locator("[data-quiz-option]").count() == 4
            assert phones["lida"].locator("[data-role-card]").count() == 0  # no task before the check
            deadline = time.monotonic() + 60
            assert answer_check(phones["lida"], deadline) == 5
            waiting = phones["lida"].locator("#quiz-wait")
            assert "你已答完，等待 李四、王五 答题" in waiting.inner_text()
            progress = dash.locator(f'[data-quiz-progress="{link.id}"]')
            progress.locator(".state-line", has_text="1/3 人已答完").wait_for()
            shot(dash, "dashboard-quiz")
            hints = dash.locator(f'[data-team="{link.id}"] [data-op="hint"]')
            assert hints.count() == 3 and all(
                hints.nth(i).is_disabled() for i in range(3)
            )  # not in the check
            for role in ("wanghuiwu", "lihanjun"):
                assert answer_check(phones[role], deadline) == 5
            phones["lida"].locator('[data-role-card="lida"]').wait_for()  # the check is over: play
            dash.locator(f'[data-team="{link.id}"] [data-op="hint"]:not([disabled])').first.wait_for(
                state="attached"
            )

            # Reload mid-task: the same role and task come back.
            lodging = phones["wanghuiwu"].locator('[data-role-card="wanghuiwu"] .task-title')
            lodging.wait_for()
            title = lodging.inner_text()
            phones["wanghuiwu"].reload()
            phones["wanghuiwu"].locator('[data-role-card="wanghuiwu"] .task-title').wait_for()
            assert (
                phones["wanghuiwu"].locator('[data-role-card="wanghuiwu"] .task-title').inner_text() == title
            )
            assert phones["wanghuiwu"].locator("[data-role-card]").count() == 1

            # A phone posting an action for another role over its own connection is refused.
            refused = phones["wanghuiwu"].evaluate(
                """async (code) => {
                    const token = localStorage.getItem("qj:t:" + code);
                    const ws = new WebSocket("ws://" + location.host + "/ws");
                    await new Promise((ok) => (ws.onopen = ok));
                    const replies = [];
                    ws.onmessage = (e) => replies.push(JSON.parse(e.data));
                    ws.send(JSON.stringify({ t: "hello", token }));
                    ws.send(JSON.stringify({ t: "act", aid: "steal1", role: "lida", choice: 0, node: "start" }));
                    for (let i = 0; i < 50 && !replies.some((r) => r.t === "ack"); i++)
                        await new Promise((ok) => setTimeout(ok, 50));
                    ws.close();
                    return replies.find((r) => r.t === "ack");
                }""",
                link.code,
            )
            assert refused == {
                "t": "ack",
                "aid": "steal1",
                "ok": False,
                "code": "not_your_role",
                "error": "这不是你的角色，不能替别人行动",
            }

            # The organizer pauses: every phone and the dashboard say so, clocks stand still,
            # nothing can be chosen; 继续 brings the game back.
            card = dash.locator(f'[data-team="{link.id}"]')
            card.locator("button", has_text="暂停").click()
            for role, page in phones.items():
                page.locator("#paused", has_text="会话已暂停").wait_for()
                assert page.locator(f'[data-role-card="{role}"] .choice:not([disabled])').count() == 0
            card.locator(".paused-banner", has_text="会话已暂停").wait_for()
            shot(phones["lida"], "phone-paused")
            shot(dash, "dashboard-paused")
            stats = phones["lida"].locator("#bar-stats")
            frozen = stats.inner_text()
            assert "暂停" in frozen
            time.sleep(2.2)  # the pages tick every second while the game runs
            assert stats.inner_text() == frozen
            card.locator("button", has_text="继续").click()
            phones["lida"].locator("#paused").wait_for(state="detached")
            assert "暂停" not in stats.inner_text()

            # Play: everyone takes the right answer, except 李汉俊 who first falls for the 7月1日 trap.
            trapped = False
            saw_trap = ""
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                finished = 0
                for role, page in phones.items():
                    if page.locator("#dismiss").count():
                        if page.locator(".sheet.trap").count():
                            saw_trap = page.locator(".sheet.trap").inner_text()
                            shot(page, "phone-trap")
                        page.click("#dismiss", timeout=5000)
                        continue
                    if page.locator("#results").count():
                        finished += 1
                        continue
                    if page.locator("[data-quiz-option]").count():  # the check after the ending
                        answer_check(page, deadline)
                        continue
                    index = 0
                    if role == "lihanjun" and not trapped:
                        index = 1
                    button = page.locator(
                        f'[data-role-card="{role}"] .choice[data-index="{index}"]:not([disabled])'
                    )
                    if button.count():
                        if role == "lihanjun" and not trapped:
                            shot(page, "phone-task")
                        elif role == "lida":
                            shot(page, "phone-lida")
                        try:
                            button.click(timeout=2000)
                        except PlaywrightTimeout:
                            continue  # a pop-up (team event) arrived first: dismiss it next round
                        trapped = trapped or role == "lihanjun"
                if finished == len(phones):
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the tutorial did not finish within 60 s")

            assert "7月1日" in saw_trap and "历史讲解" in saw_trap
            for page in phones.values():
                text = page.locator("#results").inner_text()
                assert "结局：有惊无险" in text and "把7月1日当开幕日" in page.inner_text("main")
                key = page.locator("#quiz-key").inner_text()  # then the check's answers, for everyone
                assert "正确答案：马林和尼克尔斯基" in key and "赛前" in key and "赛后" in key
            shot(phones["lida"], "phone-results")
            dash.locator(f'[data-team="{link.id}"] .state-line', has_text="结局：有惊无险").wait_for()
            shot(dash, "dashboard-over")
            browser.close()
    finally:
        handle.stop()

    store = Store(db)
    try:
        (row,) = store.sessions()
        events = store.events(row.id)
        state = fold(events)
        assert state.status == "ended" and state.ending == "opened"
        assert state.sprung == ["july_first"]
        assert sum(e.kind == "choice_made" for e in events) == 7  # 6 right answers and the one trap
        answers = [e.data for e in events if e.kind == "quiz_answered"]
        assert len(answers) == 2 * 3 * 5 and {a["player"] for a in answers} == {"张三", "李四", "王五"}
    finally:
        store.close()
