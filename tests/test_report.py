"""Reports over a simulated cohort: every format agrees, CSV round-trips, HTML carries its charts."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import time
import uuid
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.cli.main import main as cli_main
from engine.format.scenario import Scenario
from engine.report import Filters, load_review, write_report
from engine.report.csv_out import csv_paths
from engine.report.sample import fill_store
from engine.report.xapi import VERBS, iso_duration, statements
from engine.rules.step import Choose
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store

COHORT = 200
TRICKY_TEAM = '逗号,引号"队"\n换行'


@pytest.fixture(scope="module")
def cohort_db(tmp_path_factory: pytest.TempPathFactory, tutorial: Scenario) -> Path:
    path = tmp_path_factory.mktemp("cohort") / "cohort.db"
    store = Store(path, synchronous="OFF")
    started = time.perf_counter()
    fill_store(store, tutorial, COHORT)
    # one more, unfinished, with a team name that needs CSV quoting
    clock = ManualClock(1_706_000_000.0)
    s = Session.start(
        tutorial, store, TRICKY_TEAM, {"lida": "甲", "wanghuiwu": "乙", "lihanjun": "丙"}, clock, "tricky01"
    )
    clock.advance(12)
    s.act(Choose("lida", 1))
    store.close()
    print(f"generated {COHORT + 1} sessions in {time.perf_counter() - started:.1f} s")
    return path


@pytest.fixture(scope="module")
def outputs(cohort_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    paths = {"html": out / "r.html", "csv": out / "csv", "json": out / "r.json", "xapi": out / "x.json"}
    store = Store(cohort_db)
    review = load_review(store)
    for fmt, path in paths.items():
        write_report(review, fmt, path)
    store.close()
    return paths


def read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf", "Excel needs the UTF-8 BOM"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.cells: list[list[str]] = []  # rows of the last table being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.cells.append([])
        if tag in ("td", "th"):
            self.cells[-1].append("")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cells and self.cells[-1] and any(t in ("td", "th") for t in self.stack):
            self.cells[-1][-1] += data

    def classes(self, name: str) -> int:
        return sum(1 for _, attrs in self.tags if name in (attrs.get("class") or "").split())


def parse_html(path: Path) -> Collector:
    parser = Collector()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_replay_agrees_with_the_live_summary(cohort_db: Path) -> None:
    store = Store(cohort_db)
    review = load_review(store)
    rows = {r.id: r for r in store.sessions()}
    assert len(review.sessions) == COHORT + 1
    for m in review.sessions:
        row = rows[m.session_id]
        assert (m.status, m.score, m.ending, m.events) == (row.status, row.score, row.ending, row.events)
        assert m.started_at == row.started_at
        if m.status == "ended":
            assert sum(c.duration for c in m.critical_path) == pytest.approx(m.duration)
    store.close()


@pytest.mark.slow
def test_totals_agree_across_json_csv_html(outputs: dict[str, Path]) -> None:
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert doc["format"] == "qingjing-report" and doc["version"] == 3
    totals = doc["cohort"]["totals"]
    sessions = doc["sessions"]
    assert totals["sessions"] == len(sessions) == COHORT + 1
    assert totals["total_score"] == sum(s["score"] for s in sessions)
    assert totals["total_traps"] == sum(len(s["traps"]) for s in sessions)
    assert totals["ended"] == sum(s["status"] == "ended" for s in sessions) == COHORT
    for s in sessions:
        assert sum(s["score_parts"].values()) == s["score"]

    tables = {name: read_csv(p) for name, p in csv_paths(outputs["csv"], _table_names()).items()}
    assert len(tables["sessions"]) == totals["sessions"]
    assert sum(int(r["得分"]) for r in tables["sessions"]) == totals["total_score"]
    assert sum(int(r["陷阱数"]) for r in tables["sessions"]) == totals["total_traps"] == len(tables["traps"])
    assert sum(int(r["场次"]) for r in tables["leaderboard"]) == totals["sessions"]
    assert sum(int(r["次数"]) for r in tables["endings"]) == totals["ended"]
    assert len(tables["roles"]) == 3 * totals["sessions"]
    player_points = sum(sum(s["player_points"].values()) for s in sessions)
    assert sum(int(r["积分"]) for r in tables["players"]) == player_points
    assert sum(float(r["时长(秒)"]) for r in tables["waits"]) == pytest.approx(
        sum(w["duration"] for s in sessions for w in s["waits"]), abs=0.01
    )
    by_trap = {r["陷阱id"]: (int(r["遇到场次"]), int(r["落入场次"])) for r in tables["trap_rates"]}
    assert by_trap == {t["trap"]: (t["exposed"], t["sprung"]) for t in doc["cohort"]["trap_rates"]}

    html = parse_html(outputs["html"])
    raw = outputs["html"].read_text(encoding="utf-8")
    overview = raw[raw.index('id="cohort"') :]
    cards = dict(
        (k, v) for v, k in re.findall(r'<div class="card"><b>(.*?)</b><span>(.*?)</span>', overview)[:5]
    )
    assert cards["会话"] == str(totals["sessions"]) and cards["陷阱总数"] == str(totals["total_traps"])
    assert cards["完成"] == str(totals["ended"]) and cards["平均得分"] == f"{totals['avg_score']:.1f}"
    session_rows = [
        row for row in html.cells if len(row) == 8 and re.fullmatch(r"[0-9a-f]{16}|tricky01", row[0])
    ]
    assert len(session_rows) == totals["sessions"]
    assert sum(int(row[5]) for row in session_rows) == totals["total_score"]
    assert sum(int(row[7]) for row in session_rows) == totals["total_traps"]


def _table_names() -> list[str]:
    return [
        "sessions", "roles", "tasks", "waits", "traps", "interventions", "critical_path", "leaderboard",
        "players", "trap_rates", "task_times", "role_times", "endings", "trend", "learning_players",
        "learning_items",
    ]  # fmt: skip


def test_csv_round_trips_with_chinese_intact(outputs: dict[str, Path]) -> None:
    files = sorted(p.name for p in outputs["csv"].iterdir())
    assert files == sorted(f"{n}.csv" for n in _table_names())
    sessions = read_csv(outputs["csv"] / "sessions.csv")
    tricky = next(r for r in sessions if r["会话"] == "tricky01")
    assert tricky["队伍"] == TRICKY_TEAM
    assert tricky["状态"] == "进行中" and tricky["场景"] == "入门教程：筹备一大"
    assert "李达=甲" in tricky["角色与玩家"]
    traps = read_csv(outputs["csv"] / "traps.csv")
    two = next(r for r in traps if r["会话"] == "tricky01")
    assert two["陷阱"] == "只通知两地" and "“全国代表大会”" in two["历史讲解"]
    assert {r["队伍"] for r in sessions} >= {"红星队", "西柏坡队", TRICKY_TEAM}


def test_csv_name_prefix_layout(tmp_path: Path, cohort_db: Path) -> None:
    store = Store(cohort_db)
    review = load_review(store, Filters(team="延安队"))
    written = write_report(review, "csv", tmp_path / "延安.csv")
    store.close()
    assert written[0] == tmp_path / "延安.csv"
    assert tmp_path / "延安_traps.csv" in written
    assert {r["队伍"] for r in read_csv(tmp_path / "延安.csv")} == {"延安队"}


def test_html_is_self_contained_with_charts(outputs: dict[str, Path]) -> None:
    html = parse_html(outputs["html"])
    tags = [t for t, _ in html.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not [a for t, a in html.tags if t == "a" and not (a.get("href") or "").startswith("#")]
    assert tags.count("svg") >= 20 + 5  # 20 debrief Gantt charts + held-up bars + cohort charts
    assert html.classes("seg") > 100 and html.classes("critical") > 20 and html.classes("trap-mark") > 0
    assert html.classes("line") == 3 and html.classes("bar") > 10
    text = "".join(html.text)
    for words in (
        "荣誉墙",
        "队伍排行榜",
        "陷阱命中率",
        "关键路径",
        "谁让队友等了多久",
        "把7月1日当开幕日",
        "西柏坡队",
    ):
        assert words in text
    assert "@media print" in outputs["html"].read_text(encoding="utf-8")


def test_single_session_debrief_html(tmp_path: Path, cohort_db: Path) -> None:
    out = tmp_path / "one.html"
    assert cli_main(["report", "--db", str(cohort_db), "--session", "tricky", "-o", str(out)]) == 0
    html = parse_html(out)
    text = "".join(html.text)
    assert "复盘报告" in text and "荣誉墙" not in text
    assert "只通知两地" in text and "李达（甲）" in text
    assert [t for t, _ in html.tags].count("svg") == 2  # Gantt + who-held-up bars


@pytest.mark.slow
def test_xapi_statements(outputs: dict[str, Path], cohort_db: Path) -> None:
    stmts = json.loads(outputs["xapi"].read_text(encoding="utf-8"))
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    duration = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")
    assert len({s["id"] for s in stmts}) == len(stmts)
    for s in stmts:
        uuid.UUID(s["id"])
        assert s["version"] == "1.0.3"
        assert s["actor"]["objectType"] == "Agent" and s["actor"]["account"]["name"]
        assert s["verb"]["id"] in VERBS.values()
        assert s["object"]["id"].startswith("https://qingjing.invalid/scenario/tutorial")
        assert s["timestamp"].endswith("Z")
        datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
        if "duration" in s.get("result", {}):
            assert duration.match(s["result"]["duration"])
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in stmts]
    assert verbs.count("failed") == doc["cohort"]["totals"]["total_traps"]
    assert verbs.count("attempted") == sum(len(set(r["player"] for r in s["roles"])) for s in doc["sessions"])
    finished = [
        s for s in stmts if s["verb"]["id"].endswith("completed") and s["object"]["id"].endswith("/tutorial")
    ]
    assert len(finished) == 3 * COHORT and all(s["result"]["success"] for s in finished)
    # exporting twice gives the same statement ids (no duplicates in the LRS)
    store = Store(cohort_db)
    again = statements(load_review(store))
    store.close()
    assert [s["id"] for s in again] == [s["id"] for s in stmts]


def test_iso_duration() -> None:
    assert iso_duration(0) == "PT0S"
    assert iso_duration(3725.5) == "PT1H2M5.5S"
    assert iso_duration(120) == "PT2M"


def test_filters(cohort_db: Path) -> None:
    store = Store(cohort_db)
    everything = load_review(store).sessions
    since = date(2024, 2, 1)
    later = load_review(store, Filters(since=since)).sessions
    assert later and len(later) == sum(1 for m in everything if m.date >= since.isoformat())
    window = load_review(store, Filters(since=date(2024, 1, 10), until=date(2024, 1, 10))).sessions
    assert window and {m.date for m in window} == {"2024-01-10"}
    team = load_review(store, Filters(team="红星队", scenario="tutorial")).sessions
    assert team and {m.team for m in team} == {"红星队"}
    assert load_review(store, Filters(scenario="nope")).sessions == []
    store.close()


def test_cli_messages(tmp_path: Path, cohort_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert (
        cli_main(
            ["report", "--db", str(cohort_db), "--format", "json", "--since", "2024-02-20", "-o", str(out)]
        )
        == 0
    )
    assert "已报告" in capsys.readouterr().out
    assert all(
        s["started_at"] >= "2024-02-20" for s in json.loads(out.read_text(encoding="utf-8"))["sessions"]
    )
    assert cli_main(["report", "--db", str(cohort_db), "--since", "2024/02/20"]) == 2
    assert "--since：日期 “2024/02/20” 的写法应为 YYYY-MM-DD" in capsys.readouterr().err
    assert cli_main(["report", "--db", str(cohort_db), "--team", "无此队", "-o", str(out)]) == 1
    assert "没有符合条件的会话（队伍 无此队）" in capsys.readouterr().err
    assert cli_main(["report", "--db", str(cohort_db), "--session", "zzzz", "-o", str(out)]) == 2
    assert "找不到会话" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed")
def test_html_renders_in_chromium(outputs: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "r.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={png}",
         "--window-size=1200,2000", outputs["html"].as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
