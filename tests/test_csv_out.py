"""The CSV tables (engine/report/csv_out.py): one declaration each, and no cell Excel would run.

A phone can join as ``=cmd|'/C calc'!A``; a spreadsheet opening the report would run that as a
formula. Every cell of every table that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return and is not a number must be written with a leading ``'``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from quizlog import answer, splice, store_log

from engine.format.loader import parse_scenario
from engine.report import load_review
from engine.report.csv_out import TABLES, cell, tables, write_csv
from engine.rules.step import Choose, Hint, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
DANGER = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
TEAM = "=cmd|'/C calc'!A"
PLAYERS = ["+SUM(1,2)", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (TEAM, "'" + TEAM),
        ("+SUM(1,2)", "'+SUM(1,2)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("-.5e3", "-.5e3"),
        (-5, -5),
        (2.5, 2.5),
        ("红星队", "红星队"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_cell(value: object, written: object) -> None:
    assert cell(value) == written


def test_each_table_is_declared_once_with_its_headers() -> None:
    names = [t.name for t in TABLES]
    assert len(names) == len(set(names)) == 16
    for table in TABLES:
        headers = [h for h, _ in table.columns]
        assert len(headers) == len(set(headers)), f"{table.name} repeats a header"


@pytest.fixture
def hostile_report(tmp_path: Path) -> Path:
    """Sessions whose team, players and scenario texts all look like formulas; every table has rows."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    for plain, hostile in [
        ("入门教程：筹备一大", "=HYPERLINK(1)"),
        ("全住进会场", "-全住进会场"),
        ("致信各地", "+致信各地"),
    ]:
        assert f"title: {plain}" in text
        text = text.replace(f"title: {plain}", f'title: "{hostile}"', 1)
    scenario = parse_scenario(text, "hostile.yaml")
    store = Store(tmp_path / "h.db", synchronous="OFF")
    for seed in range(6):
        play_bot_session(scenario, "random", seed=seed, store=store, team=TEAM, players=PLAYERS)
    # a knowledge check whose item id (as logged) looks like a formula too
    game = play_bot_session(scenario, "random", seed=9, team=TEAM, players=PLAYERS).events
    pre = [answer(game[0].at, "pre", p, "=q1", False) for p in PLAYERS]
    store_log(
        store, scenario, "quiz0001", splice(game, pre, [answer(game[-1].at, "post", PLAYERS[0], "=q1", True)])
    )
    clock = ManualClock(1_706_000_000.0)
    session = Session.start(scenario, store, "@队", dict(zip(scenario.roles, PLAYERS, strict=True)), clock)
    role = next(r for r, rs in session.state.roles.items() if rs.task)
    clock.advance(5)
    session.act(Hint(role))
    rs = session.state.roles[role]
    assert rs.task is not None and rs.node is not None
    clock.advance(5)
    session.act(Choose(role, visible_choices(scenario, session.state, rs.task, rs.node)[0], rs.node))
    review = load_review(store)
    store.close()
    assert all(rows for _, rows in tables(review).values()), "every table should have rows"
    out = tmp_path / "csv"
    write_csv(review, out)
    return out


def test_no_cell_of_any_table_is_a_formula(hostile_report: Path) -> None:
    files = sorted(hostile_report.glob("*.csv"))
    assert [p.stem for p in files] == sorted(t.name for t in TABLES)
    quoted = set()
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    assert not (value.startswith(DANGER) and not NUMBER.fullmatch(value)), (path.name, value)
                    if value.startswith("'"):
                        quoted.add(path.stem)
    # teams and players reach every per-session table, the leaderboard and the players; the
    # scenario's texts the trap rates and task times
    assert quoted == {t.name for t in TABLES} - {"role_times", "endings", "trend"}


def test_negative_numbers_stay_numbers(hostile_report: Path) -> None:
    with (hostile_report / "sessions.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert any(r["得分-陷阱"].startswith("-") and int(r["得分-陷阱"]) < 0 for r in rows)
