"""Learning in every report format: JSON blocks, CSV tables, xAPI ``answered``, the HTML chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_driver import ARGS, CHROMIUM
from quizlog import QUIZ, check, first_roles, skipped, splice, store_log
from test_report import parse_html, read_csv

from engine.cli.main import main as cli_main
from engine.format.scenario import Scenario
from engine.rules.state import fold
from engine.store.db import Store
from engine.tools.bots import play_bot_session

ALL = {q.id for q in QUIZ}
TEAMS = {
    "q1": (["张三", "李四", "王五"], {"张三": {"q_chair"}, "李四": set(), "王五": {"q_date"}}),
    "q2": (["赵六", "钱七", "孙八"], {"赵六": {"q_chair", "q_lodging"}, "钱七": {"q_chair"}, "孙八": set()}),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, tutorial: Scenario) -> Path:
    """Two sessions with a check before and after, one whose check was skipped, one without."""
    path = tmp_path_factory.mktemp("learn") / "learn.db"
    store = Store(path, synchronous="OFF")
    for n, (sid, (players, pre_right)) in enumerate(TEAMS.items()):
        game = play_bot_session(
            tutorial, "careful", seed=n, team=f"{sid}队", players=players, start_time=1_720_000_000 + n * 4000
        ).events
        roles = first_roles(dict(fold(game).players))
        pre = check(game[0].at, "pre", pre_right, roles)
        post = check(game[-1].at + 2, "post", {p: ALL - {"q_date"} for p in players}, roles)
        store_log(store, tutorial, sid, splice(game, pre, post))
    game = play_bot_session(tutorial, "expert", seed=7, team="跳过队", start_time=1_720_020_000).events
    store_log(
        store, tutorial, "skip1", splice(game, [skipped(game[0].at, "pre")], [skipped(game[-1].at, "post")])
    )
    play_bot_session(tutorial, "expert", seed=8, store=store, team="旧队", start_time=1_720_030_000)
    store.close()
    return path


def report(db: Path, out: Path, fmt: str, *extra: str) -> Path:
    assert cli_main(["report", "--db", str(db), "--format", fmt, "-o", str(out), *extra]) == 0
    return out


def test_json_carries_the_learning_blocks(db: Path, tmp_path: Path) -> None:
    doc = json.loads(report(db, tmp_path / "r.json", "json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["sessions"]}
    q1 = by_id["q1"]["learning"]
    assert (q1["status"], q1["pre"], q1["post"]) == ("answered", "answered", "answered")
    players = {p["player"]: (p["pre_correct"], p["post_correct"], p["gain"]) for p in q1["players"]}
    assert players == {"张三": (1, 3, 2), "李四": (0, 3, 3), "王五": (1, 3, 2)}
    skip = by_id["skip1"]["learning"]
    assert (skip["status"], skip["players"], skip["items"]) == ("skipped", [], [])
    assert "跳过" in skip["note"]
    old = next(s for s in doc["sessions"] if s["team"] == "旧队")["learning"]
    assert old["status"] in ("no_quiz", "not_asked") and old["players"] == [] and old["note"]
    cohort = doc["cohort"]["learning"]
    items = {i["item"]: i for i in cohort["items"]}
    assert set(items) == ALL
    assert (items["q_chair"]["pre_rate"], items["q_chair"]["post_rate"]) == (0.5, 1.0)  # 3 of 6, then 6 of 6
    assert (items["q_date"]["pre_rate"], items["q_date"]["post_rate"], items["q_date"]["focus"]) == (
        round(1 / 6, 3),
        0.0,
        True,
    )
    assert items["q_date"]["gain"] == -1.0
    assert cohort["items"][0]["item"] == "q_date"  # the one to teach next time comes first
    assert cohort["sessions"] == {"answered": 2, "skipped": 1, "not_asked": 0, "no_quiz": 1} or cohort[
        "sessions"
    ] == {"answered": 2, "skipped": 1, "not_asked": 1, "no_quiz": 0}
    assert (cohort["pre_answered"], cohort["post_answered"]) == (24, 24)


def test_csv_learning_tables(db: Path, tmp_path: Path) -> None:
    out = report(db, tmp_path / "csv", "csv")
    players = read_csv(out / "learning_players.csv")
    assert {
        (r["会话"], r["玩家"], r["课前答对"], r["课后答对"], r["提升(题)"])
        for r in players
        if r["会话"] == "q2"
    } == {
        ("q2", "赵六", "2", "3", "1"),
        ("q2", "钱七", "1", "3", "2"),
        ("q2", "孙八", "0", "3", "3"),
    }
    items = read_csv(out / "learning_items.csv")
    assert items[0]["题目id"] == "q_date" and items[0]["下次重点讲"] == "是"
    sessions = {r["会话"]: r["知识检测"] for r in read_csv(out / "sessions.csv")}
    assert sessions["q1"] == "已作答" and sessions["skip1"] == "已跳过"


def test_xapi_answered_statements(db: Path, tmp_path: Path) -> None:
    stmts = json.loads(report(db, tmp_path / "x.json", "xapi").read_text(encoding="utf-8"))
    answered = [s for s in stmts if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"]
    assert len(answered) == 2 * 2 * 3 * len(QUIZ)  # sessions x phases x players x items
    phase_key = "https://qingjing.invalid/ext/phase"
    assert {s["context"]["extensions"][phase_key] for s in answered} == {"pre", "post"}
    zhang_pre = [
        s for s in answered if s["actor"]["name"] == "张三" and s["context"]["extensions"][phase_key] == "pre"
    ]
    assert sorted((s["object"]["id"].rsplit("/", 1)[1], s["result"]["success"]) for s in zhang_pre) == [
        ("q_chair", True),
        ("q_cities", False),
        ("q_date", False),
        ("q_lodging", False),
    ]
    assert all(
        s["object"]["id"].startswith("https://qingjing.invalid/scenario/tutorial/quiz/") for s in answered
    )
    assert all(s["context"]["extensions"]["https://qingjing.invalid/ext/role"] for s in answered)
    assert len({s["id"] for s in stmts}) == len(stmts)


def test_html_before_after_chart_and_honest_notes(db: Path, tmp_path: Path) -> None:
    html = parse_html(report(db, tmp_path / "r.html", "html"))
    text = "".join(html.text)
    assert "学习效果" in text and "下次重点讲" in text
    # cohort chart + two debrief charts, each with a before and an after bar per item
    assert html.classes("pre") == html.classes("post") == 3 * len(QUIZ)
    assert "本局跳过了知识检测" in text
    assert html.classes("learning-none") == 2  # the skipped session and the one without a check
    single = parse_html(report(db, tmp_path / "one.html", "html", "--session", "q1"))
    assert single.classes("pre") == len(QUIZ) and "归一化提升" in "".join(single.text)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_before_after_chart_in_a_browser(db: Path, tmp_path: Path) -> None:
    """The chart as a browser draws it: bars of the right lengths, labels in Chinese."""
    from playwright.sync_api import sync_playwright

    out = report(db, tmp_path / "r.html", "html")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(out.as_uri())
        chart = page.locator("#cohort svg[aria-label^='各题课前课后答对率']")
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(tmp_path / "chart.png"))
        widths = page.evaluate(
            """() => [...document.querySelectorAll("#cohort svg[aria-label^='各题'] rect.bar")]
                   .map(r => [r.classList.contains('pre') ? 'pre' : 'post', r.getBBox().width])"""
        )
        browser.close()
    assert len(widths) == 2 * len(QUIZ)
    first = widths[0:2]  # the first item is the one to teach: q_date, 1/6 before, 0 after
    assert first[0][0] == "pre" and first[0][1] > 0 and first[1][1] < 1
    assert (tmp_path / "chart.png").stat().st_size > 5_000
