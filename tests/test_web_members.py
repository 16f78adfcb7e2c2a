"""Phones join under roster names (engine/web/seating.py, phone.js): offered, linked at the start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_driver import ARGS, CHROMIUM, shot
from test_web import make_hub, phone, send

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.store.members import NewMember
from engine.web.runner import start_host

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"


def test_peek_offers_free_roster_names_and_the_start_links_them(store: Store, clock: ManualClock) -> None:
    store.import_members([NewMember("张伟", "一支部"), NewMember("张伟", "二支部"), NewMember("李娜")])
    hub, team = make_hub(store, clock)
    first = phone(hub)
    assert send(hub, first, t="peek", code=team.row.code)["members"] == [
        "张伟（一支部）",
        "张伟（二支部）",
        "李娜",
    ]
    assert send(hub, first, t="join", code=team.row.code, name="张伟（二支部）", role="lida")["t"] == "joined"
    guest = phone(hub)
    assert send(hub, guest, t="peek", code=team.row.code)["members"] == [
        "张伟（一支部）",
        "李娜",
    ]  # a seat holds it
    assert send(hub, guest, t="join", code=team.row.code, name="来宾", role="wanghuiwu")["t"] == "joined"
    org = phone(hub)
    send(hub, org, t="host", secret=hub.secret)
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="s")["ok"]
    assert team.session is not None
    member = next(m for m in store.members() if m.branch == "二支部")
    assert store.member_links() == {team.session.id: {"张伟（二支部）": member.id}}


def test_no_roster_no_names(store: Store, clock: ManualClock) -> None:
    hub, team = make_hub(store, clock)
    peek = send(hub, phone(hub), t="peek", code=team.row.code)
    assert peek["members"] == [] and peek["roster_hidden"] is False


def test_a_host_that_keeps_the_roster_to_itself_still_links_a_typed_name(
    store: Store, clock: ManualClock
) -> None:
    store.import_members([NewMember("张伟", "一支部"), NewMember("李娜")])
    hub, team = make_hub(store, clock)
    hub.offer_members = False  # host --no-roster-names, or --public-url
    peek = send(hub, phone(hub), t="peek", code=team.row.code)
    assert peek["members"] == [] and peek["roster_hidden"] is True
    assert send(hub, phone(hub), t="join", code=team.row.code, name="李娜", role="lida")["t"] == "joined"
    org = phone(hub)
    send(hub, org, t="host", secret=hub.secret)
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="s", quiz="skip")["ok"]
    assert team.session is not None
    member = next(m for m in store.members() if m.name == "李娜")
    assert store.member_links() == {team.session.id: {"李娜": member.id}}


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="需要 Chromium：apt-get install -y chromium")
def test_the_join_page_suggests_roster_names(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    db = tmp_path / "m.db"
    store = Store(db)
    store.import_members([NewMember("张三", "一支部"), NewMember("李四", "一支部")])
    store.close()
    handle = start_host(TUTORIAL, db, port=0, bind="127.0.0.1", teams=1)
    try:
        link = handle.links()[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page: Any = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            page.goto(link.url)
            page.wait_for_selector("#roster-hint")
            assert page.get_attribute("#name", "list") == "roster"
            options = page.eval_on_selector_all("#roster option", "els => els.map(e => e.value)")
            assert options == ["张三", "李四"]
            shot(page, "phone-join-roster")
            page.fill("#name", "李四")
            page.click("#join")
            page.wait_for_selector("#lobby-wait")
            other: Any = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            other.goto(link.url)
            other.wait_for_selector("#roster-hint")
            assert other.eval_on_selector_all("#roster option", "els => els.map(e => e.value)") == ["张三"]
            browser.close()
    finally:
        handle.stop()
