"""转折·遵义1935: valid without warnings, as rich as the issue asks, playable to every ending.

Playthroughs go through the real text mode; bots play many whole sessions; the content counts
are computed from the loaded scenario. Checks shared with the 1921 flagship live in
test_scenario_yida (helpers without a ``test_`` name, so they are not collected twice).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_scenario_yida import (
    MARK,
    _task_refs,
    bot_teams_reach_everything,
    guide_states_the_real_figures,
    marked_consistently,
    play_to,
    player_texts,
    quiz_tied_to_traps,
    right_answer_positions,
    skips_never_strand,
    traps_cite_published_works,
    traps_teach_briefly,
)

from engine.format.catalog import bundled_scenarios
from engine.format.loader import check_file, load_scenario
from engine.format.scenario import Scenario
from engine.store.db import Store
from engine.tools.balance import role_decisions

ROOT = Path(__file__).resolve().parent.parent
ZUNYI = ROOT / "scenarios" / "zunyi_1935.yaml"
ASSIGN = {"maozedong": "甲", "zhangwentian": "乙", "zhouenlai": "丙", "bogu": "丁"}

# The sheet's misconceptions (../shared/history/1935-zunyi-conference.md), one trap or more each.
MISCONCEPTION_TRAPS = {
    "mao_secretary": "总书记",
    "mao_chairman": "中央政治局主席",
    "political_line": "政治路线",
    "comintern_order": "共产国际",
    "chair_mao": "主持",
    "chair_li_de": "主持",
    "counter_report_mao": "反报告",
    "zunyi_stormed": "强攻",
    "chishui_before": "四渡赤水",
    "loushan_before": "娄山关",
    "new_troika": "三人团",
    "xiang_strength": "七八万",
}


@pytest.fixture(scope="module")
def zunyi() -> Scenario:
    return load_scenario(ZUNYI)


# --- the file and its content ------------------------------------------------------------------


def test_validates_without_warnings_and_is_listed_in_the_chooser_and_readme() -> None:
    assert check_file(ZUNYI) == []
    assert ZUNYI in bundled_scenarios()  # the game's scenario chooser lists bundled_scenarios()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 内置场景", 1)[1].split("\n## ", 1)[0]
    assert "转折·遵义1935" in section and "scenarios/zunyi_1935.yaml" in section


def test_content_is_as_rich_as_the_issue_asks(zunyi: Scenario) -> None:
    s = zunyi
    assert len(s.roles) == 4
    assert sum(not t.remedial for t in s.tasks.values()) >= 16
    cross = {
        (task.id, dep)
        for task in s.tasks.values()
        for dep in _task_refs(task.requires)
        if s.tasks[dep].role != task.role
    }
    assert len(cross) >= 10
    assert {task for task, _ in cross} >= {"zhang_march", "bogu_tongdao", "zhou_houchang", "zhou_report"}
    assert len(s.endings) >= 3
    for trap_id, phrase in MISCONCEPTION_TRAPS.items():  # ≥ 10 traps from the sheet's misconceptions
        site = s.traps[trap_id]
        wrong = s.node(site.task, site.node).choices[site.choice].text + site.trap.title
        assert phrase in wrong, trap_id
    traps = [site.trap for site in s.traps.values()]
    assert any(t.penalty for t in traps) and any(t.lockout_seconds for t in traps)
    assert any(t.step_back for t in traps) and any(t.open_tasks and t.set for t in traps)


def test_every_role_has_four_real_decisions(zunyi: Scenario) -> None:
    counts = role_decisions(zunyi)
    assert min(counts.values()) >= 4, counts


def test_right_answers_sit_in_every_position(zunyi: Scenario) -> None:
    positions = right_answer_positions(zunyi)
    total = sum(positions.values())
    assert set(positions) == {0, 1, 2}, positions
    assert max(positions.values()) <= 0.6 * total, positions


def test_every_trap_teaches_briefly_with_a_published_source(zunyi: Scenario) -> None:
    traps_teach_briefly(zunyi)
    traps_cite_published_works(zunyi)


def test_the_knowledge_check_asks_about_the_traps(zunyi: Scenario) -> None:
    quiz_tied_to_traps(zunyi, 10)


def test_invented_scenes_carry_one_visible_marker(zunyi: Scenario) -> None:
    invented = [n.text for t in zunyi.tasks.values() if t.remedial for n in t.nodes]
    invented += [zunyi.node("zhang_report", "start").text, zunyi.node("mao_chair", "start").text]
    invented += [zunyi.events["north_danger"].text, zunyi.events["crisis"].text]
    invented += [zunyi.endings["dead_end"].text]
    marked_consistently(zunyi, invented)


def test_disputed_and_recollected_points_are_handled_as_the_sheet_says(zunyi: Scenario) -> None:
    text = "\n".join(player_texts(zunyi))
    # 邓小平 appears, but never with a title (《红星》报主编 / 中央秘书长 are disputed).
    assert "邓小平" in text and not re.search(r"秘书长|《红星》|报主编", text)
    # The date and place of the later division of work and of the 扎西 meeting are disputed.
    assert not re.search(r"(?<!年)2月[58]日|鸡鸣三省|扎西", text)  # "2021年2月5日" dates a source
    # Anecdotes known from memoirs are framed as recollection.
    lide = zunyi.events["lide_defends"].text
    assert lide.startswith("据伍修权回忆") and "毛泽东后来说" in lide
    for site in zunyi.traps.values():  # no disputed point is the answer of a trap
        answer = "\n".join(c.text for c in zunyi.node(site.task, site.node).choices if c.trap is None)
        assert not re.search(r"邓小平|扎西|鸡鸣三省|2月5日|投了关键的一票", answer), site.trap.id


def test_bogu_and_li_de_are_mistaken_not_caricatures(zunyi: Scenario) -> None:
    text = "\n".join(player_texts(zunyi))
    assert not re.search(r"愚蠢|可笑|无能|丑恶|反动|顽固", text)
    bogu = zunyi.roles["bogu"].brief
    assert "真诚地相信" in bogu and "【人物小传】" in bogu and "四八" in bogu
    # Playing 博古, the historical report is a valid, scored choice, not a trap.
    report = zunyi.node("bogu_report", "start")
    assert all(c.trap is None and c.points > 0 for c in report.choices)
    assert "客观原因" in report.choices[0].text
    assert all("【人物小传】" in r.brief for r in zunyi.roles.values())


def test_the_scenario_guide_states_the_real_figures(zunyi: Scenario) -> None:
    guide_states_the_real_figures(zunyi, "scenario_1935.md")


# --- scripted team playthroughs through the text mode -------------------------------------------
# Role numbers follow the scenario's role order: 1 毛泽东, 2 张闻天, 3 周恩来, 4 博古.
# Choice numbers are those shown on screen (a sprung trap's choice disappears).

TURNING_POINT = [
    "1 2", "2 1", "3 1",  # 湘江之后 -> 通道
    "1 1", "4 1",  # 转兵贵州 -> 黎平
    "4 2", "1 2", "3 2",  # 黎平, 猴场 -> 强渡乌江, 智取遵义
    "1 2", "2 2", "2 1", "3 2", "3 2",  # propose, report, outline, call -> the meeting
    "1 1", "4 1", "4 1",  # chair, report
    "3 3", "2 2", "1 2",  # 副报告, 反报告, 发言 -> 李德 defends himself
    "3 1", "1 3", "4 2", "2 1",  # decisions, 博古 accepts, resolution
]  # fmt: skip

STEADY = [
    "1 2", "2 1",
    "3 2",  # 七八万人: lock-out
    "3 1", "1 1", "4 1", "4 2", "1 2", "3 2", "1 2", "2 2",
    "2 2",  # “反报告”请毛泽东作: step back
    "2 1", "3 2", "3 2",
    "1 2",  # 由我来主持: lock-out (博古 takes the chair meanwhile)
    "4 1", "1 1", "4 1", "3 3", "2 2", "1 2", "3 1",
    "1 2",  # 中央政治局主席: penalty
    "1 2", "4 2", "2 1",
]  # fmt: skip

HARD_ROAD = [
    "1 2", "2 1", "3 1", "1 1",
    "4 2",  # 坚持北上湘西: danger, a remedial task for 周恩来; 黎平 waits for it
    "3 1",  # 周恩来 persuades 博古
    "4 2", "1 2",
    "3 1",  # 让李德继续全权指挥: danger 2 -> 危局
    "3 1", "1 2", "2 2", "2 1",
    "3 1",  # 只请政治局委员
    "3 2", "1 1", "4 1",
    "4 2",  # 博古 concedes (推演)
    "3 2",  # 四渡赤水 before the meeting: lock-out
    "3 2", "2 2", "1 2", "3 1", "1 3",
    "4 2",  # the acceptance worded for a 博古 who conceded
    "2 1",
]  # fmt: skip

DEAD_END = [
    "1 2", "2 1", "3 1",
    "1 2",  # 不争转兵: danger 1
    "1 1",
    "4 2",  # 坚持北上湘西: danger 2
    "3 1",
    "4 1",  # 黎平仍想去湘西: danger 3 -> 陷入绝境
]  # fmt: skip


def test_turning_point_playthrough(zunyi: Scenario, store: Store) -> None:
    st, out = play_to(zunyi, store, ASSIGN, TURNING_POINT, "turning_point")
    assert st.sprung == [] and st.flags["peril"] == 0 and st.flags["support"] == 6
    for title in ("通道", "黎平", "猴场", "强渡乌江", "智取遵义", "遵义会议", "门口的李德"):
        assert f"📢 团队事件 · 全体注意：{title}" in out, title
    assert "等待 毛泽东 完成《湘江之后》" in out  # the screen says whom a role waits for
    assert "══ 结局：伟大转折 ══" in out


def test_steady_playthrough_springs_lockout_penalty_and_step_back(zunyi: Scenario, store: Store) -> None:
    st, out = play_to(zunyi, store, ASSIGN, STEADY, "steady")
    assert st.sprung == ["xiang_strength", "counter_report_mao", "chair_mao", "mao_chairman"]
    assert "周恩来 锁定 15 秒" in out
    assert "退回上一步重新选择" in out
    assert "历史讲解：遵义会议增选毛泽东为中央政治局常委" in out


def test_hard_road_playthrough_uses_the_team_wide_remedial_task(zunyi: Scenario, store: Store) -> None:
    st, out = play_to(zunyi, store, ASSIGN, HARD_ROAD, "hard_road")
    assert set(st.sprung) == {"north_to_xiangxi", "lide_unchecked", "chishui_before"}
    assert "zhou_persuade" in st.done and st.flags["peril"] == 2 and "crisis" in st.fired
    assert st.flags["bogu_conceded"] is True and st.flags["support"] == 5
    assert "新增补救任务：《补救：连夜说服》" in out
    assert "我在报告里已经认了错" in out  # the choice shown depends on what 博古 said before


def test_dead_end_playthrough_ends_early(zunyi: Scenario, store: Store) -> None:
    st, out = play_to(zunyi, store, ASSIGN, DEAD_END, "dead_end")
    assert st.sprung == ["no_turn", "north_to_xiangxi", "liping_xiangxi"]
    assert "meeting" not in st.fired
    assert "══ 结局：陷入绝境 ══" in out and MARK in out


# --- many bot teams ----------------------------------------------------------------------------


def test_bot_teams_reach_everything_and_never_deadlock(zunyi: Scenario) -> None:
    endings = bot_teams_reach_everything(zunyi)
    assert endings["turning_point"] and endings["dead_end"]


def test_facilitator_skips_never_strand_the_team(zunyi: Scenario) -> None:
    skips_never_strand(zunyi, ASSIGN, 1935)
