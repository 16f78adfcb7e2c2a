"""``python play.py roster``: importing Excel's CSV flavours, refusing bad files whole, listing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli.main import main as cli_main
from engine.format.scenario import Scenario
from engine.review.metrics import session_metrics
from engine.store.db import Store
from engine.tools.bots import play_bot_session

ROSTER = "姓名,支部,编号\r\n张三,一支部,001\r\n李四,一支部,002\r\n张伟,一支部,\r\n张伟,二支部,\r\n王五,二支部,003\r\n"


def roster(tmp_path: Path, data: bytes, name: str = "成员.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(*args: str | Path) -> int:
    return cli_main([str(a) for a in args])


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        ("utf-8-sig", ""),  # Excel's "CSV UTF-8"
        ("utf-8", ""),
        ("gbk", "按 GBK 编码读取"),  # Chinese Excel's plain "CSV"
    ],
)
def test_import_reads_excel_flavours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, note: str
) -> None:
    db = tmp_path / "r.db"
    assert run("roster", "import", roster(tmp_path, ROSTER.encode(encoding)), "--db", db) == 0
    out = capsys.readouterr().out
    assert "新增 5 人，更新 0 人；名册共 5 人" in out and (note in out)
    store = Store(db)
    assert [(m.name, m.branch, m.number) for m in store.members()][:2] == [
        ("张三", "一支部", "001"),
        ("李四", "一支部", "002"),
    ]
    store.close()


def test_unicode_text_tab_separated(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, columns in another order, tabs between."""
    text = "编号\t姓名\n9\t赵六\n"
    db = tmp_path / "r.db"
    assert (
        run("roster", "import", roster(tmp_path, b"\xff\xfe" + text.encode("utf-16-le"), "u.txt"), "--db", db)
        == 0
    )
    store = Store(db)
    assert [(m.name, m.number) for m in store.members()] == [("赵六", "9")]
    store.close()


def test_a_title_above_the_header_is_skipped(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    text = "第一党支部党员名册,,\n2024年7月,,\n" + ROSTER
    assert run("roster", "import", roster(tmp_path, text.encode("gbk")), "--db", db) == 0
    assert len(Store(db).members()) == 5


def test_importing_again_updates_instead_of_doubling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.db"
    path = roster(tmp_path, ROSTER.encode("utf-8-sig"))
    assert run("roster", "import", path, "--db", db) == 0
    path.write_bytes(ROSTER.replace("王五,二支部,003", "王五,三支部,003").encode("utf-8-sig"))
    assert run("roster", "import", path, "--db", db) == 0
    assert "新增 0 人，更新 1 人；名册共 5 人" in capsys.readouterr().out


def test_a_bad_file_is_refused_whole_with_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.db"
    bad = (
        "姓名,支部,编号\n张三,一支部,001\n,一支部,004\n李四,一支部,001\n王五,一支部,\n王五,一支部,\n"
        + "超" * 17
        + ",,\n"
    )
    assert run("roster", "import", roster(tmp_path, bad.encode()), "--db", db) == 2
    err = capsys.readouterr().err
    path = tmp_path / "成员.csv"
    assert f"{path}:3:1: 错误：这一行没有姓名" in err
    assert f"{path}:4:3: 错误：编号“001”与第 2 行重复" in err
    assert f"{path}:6:1: 错误：与第 5 行同名同支部" in err
    assert f"{path}:7:1: 错误：姓名“{'超' * 17}”超过 16 个字" in err
    assert "名册有 4 处问题，没有导入任何成员" in err
    assert Store(db).members() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,branch\n", "表头下面没有成员"),
        ("名,支部\n张三,一\n".encode(), "1:1: 错误：找不到“姓名”列（第一行是：名、支部）"),
        (b"", "文件是空的"),
        (b"\x81\x30\xff\xfe\x00\x00\xc0", "无法识别这个文件的文字编码"),
    ],
)
def test_unreadable_files_say_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    assert run("roster", "import", roster(tmp_path, data), "--db", tmp_path / "r.db") == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("roster", "import", tmp_path / "无.csv", "--db", tmp_path / "r.db") == 2
    assert "找不到文件" in capsys.readouterr().err


def test_list_shows_display_names_and_attendance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tutorial: Scenario
) -> None:
    db = tmp_path / "r.db"
    assert run("roster", "list", "--db", db) == 0
    assert "名册还是空的" in capsys.readouterr().out
    assert run("roster", "import", roster(tmp_path, ROSTER.encode("utf-8-sig")), "--db", db) == 0
    store = Store(db)
    play_bot_session(tutorial, "expert", seed=1, store=store, players=["张三", "张伟（二支部）", "访客"])
    store.close()
    capsys.readouterr()
    assert run("roster", "list", "--db", db) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["姓名", "支部", "编号", "游戏中显示为", "参加场次"]
    rows = {tuple(line.split()[:2]): line.split() for line in lines[1:6]}
    assert rows[("张伟", "二支部")][3:] == ["张伟（二支部）", "1"]
    assert rows[("张伟", "一支部")][3:] == ["张伟（一支部）", "0"]
    assert rows[("张三", "一支部")][-1] == "1"


def test_roster_members_appear_under_their_names_in_the_member_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tutorial: Scenario
) -> None:
    """The issue's "done when": roster import, a session played by roster members, the report."""
    db = tmp_path / "r.db"
    assert run("roster", "import", roster(tmp_path, ROSTER.encode("utf-8-sig")), "--db", db) == 0
    store = Store(db)
    game = play_bot_session(
        tutorial, "expert", seed=4, store=store, team="一支部队", players=["张三", "李四", "张伟（一支部）"],
        start_time=1_720_000_000.0,
    )  # fmt: skip
    play_bot_session(
        tutorial,
        "random",
        seed=5,
        store=store,
        team="访客队",
        players=["甲", "乙", "李四"],
        start_time=1_730_000_000.0,
    )
    store.close()
    out = tmp_path / "m.json"
    assert run("report", "--members", "--db", db, "--format", "json", "--until", "2024-12-31", "-o", out) == 0
    assert "名册 5 人，参加过 3 人，尚未参加 2 人" in capsys.readouterr().out
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "qingjing-members" and doc["version"] == 1
    got = {(r["name"], r["branch"]): r for r in doc["members"]}
    assert set(got) == {("张三", "一支部"), ("李四", "一支部"), ("张伟", "一支部")}
    first = session_metrics(tutorial, game.events).player_points()
    assert got[("张三", "一支部")]["points"] == first["张三"] and got[("张三", "一支部")]["sessions"] == 1
    assert got[("张伟", "一支部")]["points"] == first["张伟（一支部）"]
    assert got[("张伟", "一支部")]["rate"] == 1.0  # the expert team scored all its roles could
    assert got[("李四", "一支部")]["sessions"] == 2  # played again with guests
    assert [(r["name"], r["branch"]) for r in doc["absent"]] == [("张伟", "二支部"), ("王五", "二支部")]
    assert set(doc["guests"]) == {"甲", "乙"}
    # a period before anyone played: everyone is absent, and it says so
    assert (
        run(
            "report",
            "--members",
            "--db",
            db,
            "--format",
            "csv",
            "--until",
            "2020-01-01",
            "-o",
            tmp_path / "m",
        )
        == 0
    )
    rows = (tmp_path / "m" / "members.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("姓名,支部,编号,参加场次,积分") and len(rows) == 6
    assert run("report", "--members", "--db", db, "--format", "xapi", "-o", tmp_path / "x") == 2
    assert "成员报告可用的格式" in capsys.readouterr().err


def test_member_report_needs_a_roster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tutorial: Scenario
) -> None:
    db = tmp_path / "r.db"
    store = Store(db)
    play_bot_session(tutorial, "expert", seed=1, store=store)
    store.close()
    assert run("report", "--members", "--db", db, "-o", tmp_path / "m.html") == 2
    assert "名册是空的" in capsys.readouterr().err
