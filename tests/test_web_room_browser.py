"""The room in a real browser (Debian's Chromium through Playwright, loopback only): four phones of
the flagship all read a teammate's trap, the projector page shows it to the room, phones start at
the top and wear their role's colour, results fit a 360 px phone, and eight teams fit the
projector page at 1280x720 and 1920x1080 without scrolling.

Teams other than the browser's are played inside the host by bots (as phones would, through the
hub). Set ``QJ_SHOTS=/tmp/shots`` to keep the screenshots (Chinese glyphs from the bundled font).
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_driver import ARGS, CHROMIUM, font_env, settled, shot, until
from hub_driver import Inbox, send

from engine.format.loader import load_scenario
from engine.present.identity import looks
from engine.rules.step import Choose, visible_choices
from engine.session.clock import ManualClock
from engine.tools.bots import pick_choice
from engine.web.hub import Client, Hub, Team
from engine.web.runner import HostHandle, start_host

ROOT = Path(__file__).resolve().parent.parent
YIDA = ROOT / "scenarios" / "yida_1921.yaml"
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium（Debian 包）"),
]


def bot_team(hub: Hub, team: Team, moves: int, seed: int) -> None:
    """Seat one phone per role, start, and play ``moves`` bot moves (in the host's own thread);
    ``moves`` -1: seat two phones and wait in the lobby."""
    scenario = team.scenario
    assert scenario is not None
    seats = {}
    for n, role in enumerate(scenario.roles):
        if moves < 0 and n == 2:
            return
        client = Client(
            Inbox(), address=f"10.0.{seed}.{n}"
        )  # each phone its own (joins are limited per address)
        reply = send(hub, client, t="join", code=team.row.code, name=f"队员{n + 1}", role=role)
        assert reply["t"] == "joined", reply
        seats[role] = client
    boss = Client(Inbox())
    send(hub, boss, t="host", secret=hub.secret)
    # the knowledge check is skipped: these teams are about the room's board, not the check
    assert send(hub, boss, t="org", op="start", team=team.row.id, aid="go", quiz="skip")["ok"]
    rng = random.Random(seed)
    session = team.session
    assert session is not None
    for k in range(moves):
        state = session.state
        if state.over:
            return
        now = state.game_now(hub.clock.now())
        ready = [r for r, rs in state.roles.items() if rs.task is not None and rs.locked_until <= now]
        if not ready:
            hub.clock.advance(30)  # type: ignore[attr-defined]  # the tests' hosts run on a ManualClock
            continue
        role = rng.choice(ready)
        choice = pick_choice(scenario, state, role, "random" if seed % 2 else "careful", rng)
        node = state.roles[role].node
        send(hub, seats[role], t="act", aid=f"b{seed}-{k}", role=role, choice=choice, node=node)


@contextlib.contextmanager
def server_side(hub: Hub) -> Iterator[None]:
    """Bots play in the host's own thread: their actions are stored at once, not handed to the
    group committer (whose answers the server awaits for a phone)."""
    committer, hub.committer = hub.committer, None
    try:
        yield
    finally:
        hub.committer = committer


def room(handle: HostHandle, plan: list[int]) -> None:
    """Teams as planned: moves per team (0: still joining; a big number: played to the end)."""

    def make(hub: Hub) -> None:
        with server_side(hub):
            make_teams(hub)

    def make_teams(hub: Hub) -> None:
        for n, moves in enumerate(plan):
            team = hub.new_team(
                ["红星小组", "星火队", "曙光队", "燎原队", "先锋队", "求是队", "延安队", "井冈队"][n]
            )
            if moves:
                bot_team(hub, team, moves, seed=n + 1)

    handle._call(make)


def launch(pw: Any) -> Any:
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=font_env())


def test_four_phones_and_the_room_learn_from_one_trap(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    yida = load_scenario(YIDA)
    handle = start_host(YIDA, tmp_path / "room.db", port=0, bind="127.0.0.1", teams=1)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = launch(pw)
            phones: dict[str, Any] = {}
            for n, role in enumerate(yida.roles):
                page = browser.new_context(**PHONE).new_page()
                page.goto(link.url)
                page.wait_for_selector("#name")
                if n == 0:
                    shot(page, "room-phone-join")
                page.fill("#name", ["张三", "李四", "王五", "赵六"][n])
                page.click(f'.tile[data-role="{role}"]')
                page.click("#join")
                page.wait_for_selector("#lobby-wait")
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                phones[role] = page
            shot(phones["lida"], "room-phone-lobby")
            dash = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            dash.goto(handle.dashboard_url)
            dash.locator(f'[data-team="{link.id}"] [data-quiz]').uncheck()  # straight to play
            dash.locator(f'[data-team="{link.id}"] [data-op="start"]').click()

            look = looks(yida)
            for role, page in phones.items():
                card = page.locator(f'[data-role-card="{role}"]')
                card.wait_for()
                until(page, "window.scrollY === 0")  # the game starts at the top
                r, g, b = look[role].rgb
                assert card.evaluate("e => getComputedStyle(e).borderLeftColor") == f"rgb({r}, {g}, {b})"
                assert card.locator(".disc").inner_text() == look[role].emblem
            shot(phones["lihanjun"], "room-phone-task")

            # 李汉俊 greets the wrong delegate: every phone reads the history, and so does the room
            state = handle._call(lambda hub: hub.teams[link.id].session.state)  # type: ignore[union-attr]
            node = state.roles["lihanjun"].node
            trap = next(
                i
                for i in visible_choices(yida, state, "lhj_host", node)
                if yida.choice("lhj_host", node, i).trap is not None
            )
            title = yida.choice("lhj_host", node, trap).trap.title  # type: ignore[union-attr]
            phones["lihanjun"].click(f'[data-role-card="lihanjun"] .choice[data-index="{trap}"]')
            for role, page in phones.items():
                sheet = page.locator(".sheet.trap")
                sheet.wait_for()
                text = sheet.inner_text()
                assert title in text and "历史讲解" in text and "李汉俊" in text, role
            shot(phones["maozedong"], "room-phone-teammates-trap")
            moment = dash.locator("#moment .room-card.trap")
            moment.wait_for()
            assert title in moment.inner_text() and "出处" in moment.inner_text()
            shot(dash, "room-dash-trap-1280")
            browser.close()
    finally:
        handle.stop()


def test_eight_teams_joining_fit_the_projector_page(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    handle = start_host(YIDA, tmp_path / "lobby.db", port=0, bind="127.0.0.1", teams=0)
    try:
        room(handle, [-1] * 8)  # two phones in each, waiting for the start
        with sync_playwright() as pw:
            browser = launch(pw)
            for w, h in ((1280, 720), (1920, 1080)):
                dash = browser.new_context(viewport={"width": w, "height": h}).new_page()
                dash.goto(handle.dashboard_url)
                until(dash, "document.querySelectorAll('[data-team]').length === 8")
                settled(dash)
                shot(dash, f"room-dash-lobby-{w}")
                overflow = dash.evaluate("document.documentElement.scrollHeight - innerHeight")
                assert overflow <= 0, (w, overflow)
                assert dash.locator(".join img").first.bounding_box()["width"] >= h * 0.12  # type: ignore[index]
                for url in dash.locator(".join .url").all():  # the link never breaks inside the code
                    code = url.inner_text().split("/")[-1].strip()
                    assert "\n" not in code
            browser.close()
    finally:
        handle.stop()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_eight_teams_fit_the_projector_page(tmp_path: Path, size: tuple[int, int]) -> None:
    from playwright.sync_api import sync_playwright

    clock = ManualClock(time.time())
    handle = start_host(YIDA, tmp_path / "eight.db", port=0, bind="127.0.0.1", teams=0, clock=clock)
    try:
        room(handle, [14, 22, 9, 30, 400, 400, 5, 0])  # 5 playing, 2 finished, 1 joining
        with sync_playwright() as pw:
            browser = launch(pw)
            dash = browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
            dash.goto(handle.dashboard_url)
            until(dash, "document.querySelectorAll('[data-team]').length === 8")
            settled(dash)
            dash.wait_for_timeout(300)
            shot(dash, f"room-dash-eight-{size[0]}")
            overflow = dash.evaluate(
                "[document.documentElement.scrollHeight - innerHeight, document.documentElement.scrollWidth - innerWidth]"
            )
            assert overflow[0] <= 0 and overflow[1] <= 0, overflow
            for box in dash.locator("[data-team]").all():
                rect = box.bounding_box()
                assert rect is not None and rect["y"] + rect["height"] <= size[1] + 1
            # bots' games end where they end: at least the two played out are folded away
            assert dash.locator(".trow").count() + dash.locator(".fin").count() == 7
            assert dash.locator(".fin").count() >= 2 and dash.locator(".join-card").count() == 1
            ranks = [int(x) for x in dash.locator(".trow .rank").all_inner_texts()]
            assert ranks == sorted(ranks)
            assert "请各队用手机扫码加入" not in dash.inner_text("main")
            browser.close()
    finally:
        handle.stop()


def test_a_finished_team_fits_a_360_px_phone_and_the_room_sees_its_ending(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    clock = ManualClock(time.time())
    handle = start_host(YIDA, tmp_path / "end.db", port=0, bind="127.0.0.1", teams=1, clock=clock)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = launch(pw)
            phone = browser.new_context(**PHONE).new_page()
            phone.goto(link.url)
            phone.fill("#name", "欧阳明月")
            phone.click('.tile[data-role="lihanjun"]')
            phone.click("#join")
            phone.wait_for_selector("#lobby-wait")
            dash = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            dash.goto(handle.dashboard_url)
            dash.locator('[data-op="start"]').wait_for()

            def others(hub: Hub) -> None:  # three more phones, then bots play it out
                team = hub.teams[link.id]
                for n, role in enumerate(["zhangguotao", "lida", "maozedong"]):
                    send(hub, Client(Inbox()), t="join", code=team.row.code, name=f"队员{n}", role=role)

            handle._call(others)
            dash.locator("[data-quiz]").uncheck()  # straight to play
            dash.locator('[data-op="start"]').click()
            phone.locator('[data-role-card="lihanjun"]').wait_for()

            def finish(hub: Hub) -> None:
                team = hub.teams[link.id]
                session = team.session
                assert session is not None
                rng = random.Random(3)
                while not session.state.over:
                    state = session.state
                    ready = [r for r, rs in state.roles.items() if rs.task is not None]
                    role = ready[0]
                    hub.clock.advance(40)  # type: ignore[attr-defined]
                    choice = pick_choice(session.scenario, state, role, "expert", rng)
                    with server_side(hub):
                        hub._apply(team, Choose(role, choice, state.roles[role].node), "")

            handle._call(finish)
            deadline = time.monotonic() + 20
            while not phone.locator("#results").count() and time.monotonic() < deadline:
                if phone.locator("#dismiss").count():
                    phone.click("#dismiss")
                phone.wait_for_timeout(100)
            phone.locator("#results").wait_for()
            while phone.locator("#dismiss").count():
                phone.click("#dismiss")
            shot(phone, "room-phone-results-360")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360
            for name in phone.locator(".roles-list li b").all():  # a name never breaks mid-word
                box = name.bounding_box()
                assert box is not None and box["height"] < 40, name.inner_text()
            assert phone.evaluate("window.scrollY") == 0
            ending = dash.locator("#moment .room-card.ending")
            ending.wait_for()
            assert "结局：" in ending.inner_text() and "分" in ending.inner_text()
            assert dash.locator("#moment .confetti i").count() > 0
            shot(dash, "room-dash-ending-1280")
            browser.close()
    finally:
        handle.stop()
