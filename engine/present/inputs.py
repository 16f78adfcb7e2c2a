"""From what a player or facilitator did to an action for the rules, or a refusal in Chinese.

    choose(team, panel, number)   a choice number picked for a role (a key, a click, "2 1")
    facilitator(op, role)         pause / unpause / hint / skip / abandon
    parse_line(line, team)        one line of text mode

The desktop, text mode and the web host all map input through here, so a refusal ("李达 被锁定中，
还需 12 秒") reads the same everywhere and no front-end builds an action of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.present import labels
from engine.present.view import TeamView
from engine.rules.step import Abandon, Action, Choose, Hint, Pause, Skip, Unpause

FacilitatorOp = Literal["pause", "unpause", "hint", "skip", "abandon"]
FACILITATOR_OPS: tuple[FacilitatorOp, ...] = ("pause", "unpause", "hint", "skip", "abandon")
ABANDON_REASON = "主持人结束会话"
# text mode's facilitator words (after "!") -> op
WORDS: dict[str, FacilitatorOp] = {
    "pause": "pause",
    "go": "unpause",
    "continue": "unpause",
    "unpause": "unpause",
    "hint": "hint",
    "skip": "skip",
    "end": "abandon",
}
FACILITATOR_USAGE = "主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go / !end"


class Refused(Exception):
    """Input that cannot become an action; the message (Chinese) says why and what to do."""


def choose(team: TeamView, panel: int, number: int) -> Choose:
    """Choice ``number`` (as shown, from 1) for the role in position ``panel`` (from 0)."""
    if not 0 <= panel < len(team.roles):
        raise Refused(f"角色号应在 1 到 {len(team.roles)} 之间")
    view = team.roles[panel]
    if team.paused:
        raise Refused(f"{labels.PAUSED_TITLE}，请主持人继续后再操作")
    if view.status == "waiting" and view.wait:
        raise Refused(f"{view.name} 还在{view.wait.sentence()}")
    if view.status == "locked":
        raise Refused(f"{view.name} 被锁定中，还需 {view.locked_left} 秒")
    if view.status != "active":
        raise Refused(f"{view.name} 现在没有可做的任务")
    match = [c for c in view.choices if c.number == number]
    if not match:
        raise Refused(f"{view.name} 没有第 {number} 项；请在 1 到 {len(view.choices)} 之间选择")
    return Choose(view.role, match[0].index, view.node)


def facilitator(op: FacilitatorOp, role: str = "") -> Action:
    """The facilitator's action for ``op`` (``role`` for hint and skip)."""
    if op in ("hint", "skip") and not role:
        raise Refused("请选择一个角色")
    if op == "pause":
        return Pause()
    if op == "unpause":
        return Unpause()
    if op == "hint":
        return Hint(role)
    if op == "skip":
        return Skip(role)
    return Abandon(ABANDON_REASON)


@dataclass(frozen=True)
class Command:
    """One line of text mode, understood: an action to take, or a request to the front-end."""

    kind: Literal["act", "help", "status", "quit", "nothing"]
    action: Action | None = None


def _role_number(word: str, team: TeamView) -> int:
    if not word.isdigit() or not 1 <= int(word) <= len(team.roles):
        raise Refused(f"角色号应在 1 到 {len(team.roles)} 之间")
    return int(word) - 1


def parse_line(line: str, team: TeamView) -> Command:
    """``2 1`` (role 2 takes choice 1), ``1`` (when one role can act), ``!hint 2``, ``h``, ``q``."""
    line = line.strip()
    if not line:
        return Command("nothing")
    if line in ("q", "quit", "exit", "退出"):
        return Command("quit")
    if line in ("h", "help", "?", "帮助"):
        return Command("help")
    if line == "s":
        return Command("status")
    if line.startswith("!"):
        words = line[1:].split()
        op = WORDS.get(words[0]) if words else None
        if op is None or (op in ("hint", "skip")) != (len(words) == 2) or len(words) > 2:
            raise Refused(FACILITATOR_USAGE)
        role = team.roles[_role_number(words[1], team)].role if len(words) == 2 else ""
        return Command("act", facilitator(op, role))
    parts = line.replace(".", " ").replace(",", " ").split()
    if not all(p.isdigit() for p in parts) or len(parts) not in (1, 2):
        raise Refused("看不懂这个输入；请输入 “角色号 选项号”，或 h 查看帮助")
    if len(parts) == 1:
        ready = [i for i, v in enumerate(team.roles) if v.status == "active"]
        if len(ready) != 1:
            raise Refused("现在有多个角色可以行动，请输入 “角色号 选项号”")
        return Command("act", choose(team, ready[0], int(parts[0])))
    return Command("act", choose(team, _role_number(parts[0], team), int(parts[1])))
