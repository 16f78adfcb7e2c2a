"""Display labels and number formats: every screen, page and report words and rounds a figure here.

One rule per kind of number, so two screens never disagree about the same moment:

- a clock or a length of time (``format_duration``): whole seconds, rounded down, ``mm:ss`` (``h:mm:ss``);
- a countdown (``seconds_left``): whole seconds, rounded *up* (0.2 s left is "1 秒", never "0 秒");
- points: signed when they are a change (``+10``), plain when they are a total.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from engine.format.model import FlagDef, FlagValue

# session status (State.status) -> what organizers and players read
STATUS_NAMES = {
    "quiz": "知识小测",
    "active": "进行中",
    "paused": "已暂停",
    "ended": "已结束",
    "stuck": "僵局",
    "abandoned": "已放弃",
    "new": "新建",
}
# a role's situation (RoleView.status)
ROLE_STATUS_NAMES = {
    "active": "行动中",
    "locked": "锁定中",
    "waiting": "等待中",
    "finished": "已完成",
    "over": "已结束",
    "quiz": "小测中",
}
# score parts (State.score_parts), in the order the fold adds them
PART_NAMES = {"start": "初始", "tasks": "任务", "choices": "选择", "traps": "陷阱", "ending": "结局"}
INTERVENTION_NAMES = {
    "hint": "提示",
    "skip": "跳过任务",
    "pause": "暂停",
    "abandon": "放弃会话",
    "resume": "恢复会话",
}
# timeline segment kinds (engine.review.metrics.Segment.kind)
SEGMENT_NAMES = {"working": "做任务", "locked": "陷阱锁定", "waiting": "等待队友"}
NO_ENDING = {"stuck": "僵局", "abandoned": "中途放弃"}

PAUSED_TITLE = "会话已暂停"
PAUSED_TEXT = "时钟、等待和锁定都已停下；主持人继续后，从暂停处接着计时。"


def format_duration(seconds: float) -> str:
    """A length of time as a clock: ``07:05``, or ``1:02:03`` from an hour up (rounded down)."""
    s = max(0, int(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60:02d}:{s % 60:02d}"


def seconds_left(seconds: float) -> int:
    """A countdown in whole seconds, rounded up: what is still to wait, never shown as 0 too early."""
    return max(0, math.ceil(seconds))


def signed(points: int) -> str:
    return f"{points:+d}"


def score_parts(parts: dict[str, int]) -> str:
    """``任务 +40，陷阱 -15`` (non-zero parts in the fold's order), or ``无加减分``."""
    text = "，".join(f"{PART_NAMES.get(k, k)} {signed(v)}" for k, v in parts.items() if v)
    return text or "无加减分"


def flag_value(value: FlagValue, limit: int | None = None) -> str:
    """A flag's value as shown: ``是``/``否``, a number, or ``2/3`` for a count with a limit."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value}/{limit}" if limit is not None else str(value)


def mean(value: float, digits: int = 1) -> str:
    """An average for people: ``310``, ``2.5`` (no trailing ``.0``; at most ``digits`` decimals)."""
    step = Decimal(1).scaleb(-max(0, digits))
    # half up, as people round (Python's round() sends 6.5 to 6)
    text = str(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def points_mean(value: float) -> str:
    """An average score: whole points (``平均 310 分``), as scores are whole numbers."""
    return mean(value, 0)


def flag_change(flag: FlagDef | None, flag_id: str, value: FlagValue, delta: int | None) -> str:
    """One line for a changed team flag: ``危险 升至 2/3（+2）``, or the flag's description
    when it became true (``文件被留在了会场桌上``). ``delta`` is the authored ``add``, if any."""
    label = (flag.display or flag.description) if flag else None
    label = label or flag_id
    limit = flag.limit if flag is not None else None
    if delta:
        direction = "升" if delta > 0 else "降"
        return f"{label} {direction}至 {flag_value(value, limit)}（{signed(delta)}）"
    if isinstance(value, bool) and flag is not None and not flag.display and flag.description:
        return label if value else f"已解除：{label}"
    return f"{label}：{flag_value(value, limit)}"


def lockout(who: str, seconds: float) -> str:
    return f"{who} 锁定 {seconds_left(seconds)} 秒"


def who(name: str, player: str) -> str:
    """A role with its player: ``李达（张三）``, or just the role's name."""
    return f"{name}（{player}）" if player else name
