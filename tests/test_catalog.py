"""Where scenarios are found: bundled and own folders, ids on the command line, duplicates, zips."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_text_mode import PERFECT, SEED

from engine.format import catalog
from engine.format.catalog import CatalogError, entries, resolve
from engine.store.db import default_db_path

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def play(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "play.py"), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def own_copy(folder: Path, name: str, sid: str, title: str = "我的副本") -> Path:
    """The tutorial under another file name, id and title, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = TUTORIAL.read_text(encoding="utf-8")
    text = text.replace("id: tutorial", f"id: {sid}", 1).replace(
        "title: 入门教程：筹备一大", f"title: {title}", 1
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_checkout_reads_the_top_level_folders() -> None:
    assert catalog.bundled("scenarios") == ROOT / "scenarios"
    assert catalog.schema_file() == ROOT / "scenario.schema.json"
    assert (catalog.assets_dir() / "README.md").is_file()
    assert TUTORIAL in catalog.bundled_scenarios()
    assert catalog.default_scenario() == ROOT / "scenarios" / "yida_1921.yaml"


def test_own_folder_is_beside_the_database_unless_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QINGJING_SCENARIOS")
    monkeypatch.delenv("QINGJING_DB", raising=False)
    assert catalog.user_scenarios_dir() == default_db_path().parent / "scenarios"
    monkeypatch.setenv("QINGJING_SCENARIOS", "/somewhere/mine")
    assert catalog.user_scenarios_dir() == Path("/somewhere/mine")


def test_ids_and_paths_resolve_to_files(own_scenarios: Path) -> None:
    mine = own_copy(own_scenarios, "copy.yaml", "my_copy")
    assert resolve("tutorial") == TUTORIAL
    assert resolve("yida_1921") == ROOT / "scenarios" / "yida_1921.yaml"
    assert resolve("my_copy") == mine  # by id, whatever the file is called
    assert resolve(str(mine)) == mine
    with pytest.raises(
        CatalogError, match=r"你是不是想写 “yida_1921”？.*已有的场景 id：my_copy、tutorial、yida_1921"
    ):
        resolve("yida_1912")
    with pytest.raises(CatalogError, match=r"^找不到场景文件 nowhere/x\.yaml；"):
        resolve("nowhere/x.yaml")
    with pytest.raises(CatalogError, match=r"是一个文件夹"):
        resolve(str(own_scenarios))


def test_two_files_with_one_id_are_refused_naming_both(own_scenarios: Path) -> None:
    clash = own_copy(own_scenarios, "mine.yaml", "tutorial")
    with pytest.raises(CatalogError) as err:
        resolve("tutorial")
    message = str(err.value)
    assert message.startswith("有 2 个场景文件的 id 都是 “tutorial”")
    assert f"内置：{TUTORIAL}" in message and f"我的场景：{clash}" in message
    assert "scenario.id" in message
    assert resolve(str(clash)) == clash  # a path still picks one of them


def test_entries_list_bundled_then_own_with_validity(own_scenarios: Path) -> None:
    own_copy(own_scenarios, "a.yaml", "my_copy")
    (own_scenarios / "b.yaml").write_text("scenario:\n  id: broken\n  title: 坏的\n", encoding="utf-8")
    (own_scenarios / "notes.txt").write_text("not a scenario", encoding="utf-8")
    found = entries([TUTORIAL])
    assert [(e.path.name, e.origin, e.id, e.valid) for e in found] == [
        ("tutorial.yaml", "bundled", "tutorial", True),  # named as extra, still shown as bundled
        ("yida_1921.yaml", "bundled", "yida_1921", True),
        ("zunyi_1935.yaml", "bundled", "zunyi_1935", True),
        ("a.yaml", "own", "my_copy", True),
        ("b.yaml", "own", "broken", False),
    ]
    broken = found[-1]
    assert broken.title == "坏的" and broken.problems and broken.problems[0].severity == "error"


def test_a_missing_own_folder_lists_nothing(own_scenarios: Path) -> None:
    assert not own_scenarios.exists()
    assert [e.origin for e in entries()] == ["bundled"] * 3


def test_resources_inside_a_zip_are_copied_out_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zpkg_h19/__init__.py", "")
        z.writestr("zpkg_h19/data/a.txt", "甲")
        z.writestr("zpkg_h19/data/sub/b.txt", "乙")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(archive))
    folder = catalog.package_path("zpkg_h19", "data")
    assert folder.is_dir() and str(folder).startswith(str(tmp_path / "cache"))
    assert (folder / "a.txt").read_text(encoding="utf-8") == "甲"
    assert (folder / "sub" / "b.txt").read_text(encoding="utf-8") == "乙"
    (folder / "a.txt").write_text("stale", encoding="utf-8")
    before = (folder / "sub" / "b.txt").stat().st_mtime_ns
    assert catalog.package_path("zpkg_h19", "data", "a.txt").read_text(encoding="utf-8") == "甲"
    catalog.package_path("zpkg_h19", "data")
    assert (folder / "sub" / "b.txt").stat().st_mtime_ns == before  # unchanged files are not rewritten


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.slow
def test_scenarios_command_lists_bundled_and_own(tmp_path: Path, own_scenarios: Path) -> None:
    empty = play("scenarios", cwd=tmp_path)
    assert empty.returncode == 0, empty.stderr
    assert f"我的场景（{own_scenarios}" in empty.stdout and "还没有" in empty.stdout
    assert play("new", "my_story", "--title", "我的故事", cwd=tmp_path).returncode == 0
    (own_scenarios / "broken.yaml").write_text("scenario: [\n", encoding="utf-8")
    out = play("scenarios", cwd=tmp_path).stdout
    lines = out.splitlines()
    assert lines[0] == f"内置场景（{ROOT / 'scenarios'}）："
    assert "  ✓ 有效　tutorial　入门教程：筹备一大" in lines
    assert f"      {TUTORIAL}" in lines
    assert "  ✓ 有效　my_story　我的故事" in lines
    assert f"      {own_scenarios / 'my_story.yaml'}" in lines
    assert "  ✗ 有 1 处错误　（无 id）　（无标题）" in lines
    assert "共 5 个场景，1 个有错误" in out
    assert lines.index("  ✓ 有效　tutorial　入门教程：筹备一大") < lines.index("  ✓ 有效　my_story　我的故事")


@pytest.mark.slow
def test_scenarios_command_flags_duplicate_ids(tmp_path: Path, own_scenarios: Path) -> None:
    own_copy(own_scenarios, "again.yaml", "tutorial")
    out = play("scenarios", cwd=tmp_path).stdout
    assert out.count("⚠ id 重复") == 2
    assert "有 2 个场景文件的 id 都是 “tutorial”" in out


@pytest.mark.slow
def test_text_mode_finds_an_own_scenario_by_id_from_any_folder(tmp_path: Path, own_scenarios: Path) -> None:
    own_copy(own_scenarios, "whatever.yaml", "my_copy", "我的副本")
    args = ["text", "--scenario", "my_copy", "--players", "张三,李四,王五", "--simulated-clock"]
    args += ["--roles", "lida=张三,wanghuiwu=李四,lihanjun=王五", "--db", str(tmp_path / "s.db")]
    args += ["--seed", str(SEED), "--no-quiz"]
    out = play(*args, cwd=tmp_path, stdin="".join(line + "\n" for line in PERFECT))
    assert out.returncode == 0, out.stderr
    assert "══ 我的副本 ══" in out.stdout and "══ 结局：筹备圆满 ══" in out.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["text", "--players", "甲", "--scenario"],
        ["simulate", "--teams", "1", "--scenario"],
        ["host", "--port", "0", "--bind", "127.0.0.1", "--scenario"],
        ["verify"],
        ["graph", "-o", "x.svg"],
    ],
    ids=lambda c: c[0],
)
def test_commands_explain_an_unknown_scenario_id(tmp_path: Path, command: list[str]) -> None:
    result = play(*command, "yida_1912", cwd=tmp_path)
    assert result.returncode == 2
    assert "找不到场景 “yida_1912”" in result.stderr and "你是不是想写 “yida_1921”？" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_commands_refuse_a_duplicated_id(tmp_path: Path, own_scenarios: Path) -> None:
    own_copy(own_scenarios, "again.yaml", "tutorial")
    result = play("simulate", "--teams", "1", "--scenario", "tutorial", cwd=tmp_path)
    assert result.returncode == 2
    assert "有 2 个场景文件的 id 都是 “tutorial”" in result.stderr


@pytest.mark.slow
def test_simulate_and_validate_take_ids(tmp_path: Path) -> None:
    sim = play("simulate", "--scenario", "tutorial", "--teams", "2", cwd=tmp_path)
    assert sim.returncode == 0 and "模拟 入门教程：筹备一大" in sim.stdout, sim.stderr
    checked = play("validate", "tutorial", "yida_1921", cwd=tmp_path)
    assert checked.returncode == 0 and "检查了 2 个文件：0 个错误" in checked.stdout


@pytest.mark.slow
def test_the_game_option_accepts_an_id(tmp_path: Path) -> None:
    from engine.cli.main import build_parser

    # resolve before the window opens: an unknown id is a message, not a traceback
    bad = play("game", "--scenario", "nope_nope", cwd=tmp_path)
    assert bad.returncode == 2 and "找不到场景 “nope_nope”" in bad.stderr
    assert build_parser().parse_args(["game", "--scenario", "tutorial"]).scenario == ["tutorial"]


@pytest.mark.slow
def test_version_flag(tmp_path: Path) -> None:
    from engine import __version__

    for flag in ("--version", "-V"):
        out = play(flag, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(f"情景 Qingjing {__version__} (Python ")


@pytest.mark.slow
def test_output_into_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "play.py"), "scenarios"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
