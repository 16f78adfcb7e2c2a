"""The team's event feed: one short Chinese line per event worth a mention (the desktop's bottom
bar, the phones' 动态 list, the host page). Pop-ups with the full text are :mod:`.notes`."""

from __future__ import annotations

from engine.format.scenario import Scenario
from engine.rules.state import Event

FEED_LINES = 6


def describe(scenario: Scenario, event: Event) -> str:
    """One line for the feed ('' for events not worth showing)."""
    d = event.data
    who = scenario.role_name(event.role) if event.role else ""
    kind = event.kind
    if kind == "task_opened":
        return f"{who} 开始《{scenario.tasks[d['task']].title}》"
    if kind == "task_completed":
        title = scenario.tasks[d["task"]].title
        return f"{who} 跳过了《{title}》" if d["outcome"] == "skipped" else f"{who} 完成《{title}》"
    if kind == "trap_sprung":
        trap = scenario.traps[d["trap"]].trap
        return f"{who} 落入陷阱「{trap.title}」" + (f"，扣 {d['penalty']} 分" if d["penalty"] else "")
    if kind == "team_event":
        return f"团队事件：{scenario.events[d['event']].title}"
    if kind == "task_activated":
        return f"新的补救任务：《{scenario.tasks[d['task']].title}》"
    if kind == "task_cancelled":
        return f"《{scenario.tasks[d['task']].title}》被迫中断"
    if kind == "ending_reached":
        return f"结局：{scenario.endings[d['ending']].title}"
    if kind == "hint_given":
        return f"主持人给 {who} 提示"
    if kind == "session_paused":
        return "主持人暂停了会话"
    if kind == "session_unpaused":
        return "会话继续"
    if kind == "session_stuck":
        return "团队陷入僵局：没有人能继续行动"
    return ""


def recent_feed(scenario: Scenario, events: list[Event]) -> list[str]:
    """The last few lines worth showing in the team's feed, oldest first."""
    return [line for e in events[-40:] if (line := describe(scenario, e))][-FEED_LINES:]
