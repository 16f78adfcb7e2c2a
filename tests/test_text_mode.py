"""Text mode as a user drives it: piped input through `python play.py text`, to every ending."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from text_script import lines, quiz_lines

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.terminal.console import play

ROOT = Path(__file__).resolve().parent.parent
ROLES = "lida=张三,wanghuiwu=李四,lihanjun=王五"
ASSIGNMENT = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
SEED = 11  # the order options are shown in (--seed): the scripts press that order's numbers
TUTORIAL = load_scenario(ROOT / "scenarios" / "tutorial.yaml")

# Role numbers follow the scenario's role order: 1 李达, 2 王会悟, 3 李汉俊; the second number
# is the choice as written in the file (text_script turns it into the number shown).
PERFECT = lines(TUTORIAL, SEED, ASSIGNMENT, [(1, 0), (2, 0), (None, 0), (None, 0), (None, 0), (None, 0)])
WITH_TRAPS = lines(
    TUTORIAL,
    SEED,
    ASSIGNMENT,
    [
        "9 9",  # invalid: asked again
        "hello",  # invalid: asked again
        "3 1",  # 李汉俊 is waiting: refused with whom he waits for
        (1, 1),  # trap: step back
        (1, 0),
        (2, 1),  # team-wide trap: flag + remedial task
        (None, 0),  # remedial: 分批转移
        (None, 1),  # 7月1日: penalty
        (None, 0),
        (None, 1),  # 陈独秀主持: penalty
        (None, 0),
        (None, 1),  # 维经斯基: lock-out (simulated clock waits it out)
        (None, 0),
        (None, 0),
    ],
)


def run_cli(args: list[str], lines: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "play.py", *args, "--db", str(db)],
        cwd=ROOT,
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
    )


def text_args() -> list[str]:
    return [
        "text",
        "--scenario",
        "scenarios/tutorial.yaml",
        "--players",
        "张三,李四,王五",
        "--roles",
        ROLES,
        "--team",
        "一队",
        "--simulated-clock",
        "--seed",
        str(SEED),
        "--no-quiz",
    ]


@pytest.mark.slow
def test_piped_playthrough_reaches_the_perfect_ending(tmp_path: Path) -> None:
    out = run_cli(text_args(), PERFECT, tmp_path / "s.db")
    assert out.returncode == 0, out.stderr
    assert "══ 结局：筹备圆满 ══" in out.stdout
    assert "总分 95（选择 +15，任务 +50，结局 +30）    用时 00:00" in out.stdout
    assert "Traceback" not in out.stderr
    store = Store(tmp_path / "s.db")
    (row,) = store.sessions()
    assert (row.status, row.ending, row.score, row.team) == ("ended", "perfect", 95, "一队")


@pytest.mark.slow
def test_piped_playthrough_with_traps_reaches_the_other_ending(tmp_path: Path) -> None:
    out = run_cli(text_args(), WITH_TRAPS, tmp_path / "s.db")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "✗ 角色号应在 1 到 3 之间" in text
    assert "✗ 看不懂这个输入" in text
    assert "✗ 李汉俊 还在等待 李达 完成《致信各地》" in text
    for who, title in [
        ("李达", "只通知两地"),
        ("王会悟", "全住进会场"),
        ("李汉俊", "把7月1日当开幕日"),
        ("李汉俊", "以为陈独秀主持了一大"),
        ("李达", "认错共产国际代表"),
    ]:
        assert f"⚠ 陷阱 · {who}：{title}" in text
    assert "历史讲解：维经斯基1920年来华" in text
    assert "  · 李达 锁定 20 秒" in text
    assert "  · 代表住处安排不当，引人注意\n  · 新增补救任务：《补救：把代表转到博文女校》（王会悟）" in text
    assert "══ 结局：有惊无险 ══" in text
    assert "本局遇到的陷阱：" in text


@pytest.mark.slow
def test_end_of_input_keeps_the_session_and_says_how_to_resume(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    out = run_cli(text_args(), PERFECT[:2], db)
    assert out.returncode == 0
    (row,) = Store(db).sessions()
    assert row.status == "active"
    assert f"python play.py resume {row.id} --db {db}" in out.stdout
    rest = run_cli(["resume", row.id[:5], "--simulated-clock"], PERFECT[2:], db)
    assert rest.returncode == 0, rest.stderr
    assert "══ 结局：筹备圆满 ══" in rest.stdout
    listing = subprocess.run(
        [sys.executable, "play.py", "sessions", "--db", str(db)], cwd=ROOT, capture_output=True, text=True
    )
    assert row.id in listing.stdout and "已结束" in listing.stdout and "一队" in listing.stdout


def test_facilitator_commands_in_text_mode(tutorial: Scenario, store: Store) -> None:
    session = Session.start(
        tutorial, store, "队", {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}, ManualClock()
    )
    out = io.StringIO()
    code = play(session, io.StringIO("!hint 1\n!skip 1\n!pause\n2 1\n!go\n!end\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "💡 主持人提示：给 李达 的提示\n  各地早期组织各派两名代表。" in text
    assert "主持人：跳过了 李达 的《致信各地》" in text
    assert "══ 会话已暂停（时钟、等待和锁定都已停下" in text and "用时 00:00（已暂停）" in text
    assert "✗ 会话已暂停，请主持人继续后再操作" in text
    assert "══ 会话结束 ══\n主持人提前结束了会话。" in text
    kinds = [e.kind for e in store.events(session.id)]
    assert kinds.count("hint_given") == 1 and kinds.count("task_skipped") == 1
    assert "session_unpaused" in kinds and kinds[-1] == "session_abandoned"


@pytest.mark.slow
@pytest.mark.parametrize("bad", [["--scenario", "tests/bad/unknown_goto.yaml"], ["--roles", "lida"]])
def test_bad_arguments_give_messages_not_tracebacks(tmp_path: Path, bad: list[str]) -> None:
    args = ["text", "--players", "甲,乙", "--scenario", "scenarios/tutorial.yaml", *bad]
    out = run_cli(args, [], tmp_path / "s.db")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip()


@pytest.mark.slow
def test_a_scripted_session_answers_the_check_before_and_after(tmp_path: Path) -> None:
    """The knowledge check from a file: each player in turn before play, the game, then again
    after the ending, and the answers with each player's score before and after."""
    pre = quiz_lines(TUTORIAL, SEED, ASSIGNMENT, "pre", {"张三": False, "李四": True, "王五": True})
    post = quiz_lines(TUTORIAL, SEED, ASSIGNMENT, "post", {"张三": True, "李四": True, "王五": True})
    script = tmp_path / "answers.txt"
    script.write_text("".join(line + "\n" for line in [*pre, *PERFECT, *post]), encoding="utf-8")
    args = [a for a in text_args() if a != "--no-quiz"]
    with script.open(encoding="utf-8") as stdin:
        out = subprocess.run(
            [sys.executable, "play.py", *args, "--db", str(tmp_path / "s.db")],
            cwd=ROOT,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    before, _, after = text.partition("══ 赛后知识小测 ══")
    assert "══ 赛前知识小测 ══" in before and "── 请 张三 作答（请其他人暂时不要看屏幕）──" in before
    assert before.index("── 请 张三 作答") < before.index("── 请 李四 作答") < before.index("── 请 王五 作答")
    assert "赛前知识小测结束，游戏开始！" in before and "══ 游戏结束：筹备圆满 ══" in before
    assert "第 5/5 题" in after and "赛后知识小测结束。" in after
    assert after.index("══ 结局：筹备圆满 ══") < after.index("知识小测（答对题数）：")
    for line in ("张三：赛前 0/5 → 赛后 5/5", "李四：赛前 5/5 → 赛后 5/5", "正确答案：马林和尼克尔斯基"):
        assert line in after
    assert "赛后答对：张三、李四、王五（其中 张三 赛前答错）" in after
    store = Store(tmp_path / "s.db")
    (row,) = store.sessions()
    events = store.events(row.id)
    assert (row.status, row.ending) == ("ended", "perfect")
    assert sum(e.kind == "quiz_answered" for e in events) == 2 * 3 * 5
    store.close()


def test_the_facilitator_skips_the_check_in_text_mode(tutorial: Scenario, store: Store) -> None:
    session = Session.start(tutorial, store, "队", ASSIGNMENT, ManualClock(), shuffle=SEED, quiz="ask")
    out = io.StringIO()
    play(session, io.StringIO("9\nabc\n!skip\nq\n"), out)
    text = out.getvalue()
    assert "✗ 没有第 9 项；请在 1 到 4 之间选择" in text and "✗ 请输入选项号 1 到 4" in text
    assert "主持人跳过知识小测（已记入日志）。" in text and "赛前知识小测结束，游戏开始！" in text
    assert [e.data for e in store.events(session.id) if e.kind == "quiz_skipped"] == [{"phase": "pre"}]


def test_the_readme_and_the_smoke_test_press_what_wins_for_their_seed() -> None:
    """The README's piped example and the standalone build's smoke test type fixed numbers for
    --seed 11: they must be the best choices in that seed's order."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import standalone

    assert SEED == 11
    typed = "".join(line + "\n" for line in PERFECT)
    assert typed == standalone.TUTORIAL_INPUT and "--no-quiz" in standalone.TUTORIAL_ARGS
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"printf '{typed.replace(chr(10), chr(92) + 'n')}'" in readme and "--seed 11 --no-quiz" in readme
