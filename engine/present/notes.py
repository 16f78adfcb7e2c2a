"""Notes: what the players are told after an action, one pop-up (or block of text) each.

    notes(scenario, events, first_seq) -> [Note]

A choice's feedback, a sprung trap with everything it changed and the real history, a team event
with everything it changed, a facilitator's hint or skip, a task cut off. Every front-end shows
these same notes (the desktop as pop-ups, text mode as printed blocks, phones as sheets), so no
screen can forget a consequence another one mentions.

Consequences are read from the log, not from the scenario's definitions: the flags, remedial
tasks, step-backs and cancellations that follow a trap or a team event in the same action become
its ``facts``. So whatever an effect does, the note that announces its cause lists it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from engine.format.model import FlagDef
from engine.format.scenario import Scenario
from engine.present import labels
from engine.rules.state import Event

NoteKind = Literal["feedback", "trap", "event", "hint", "skip", "cancel", "remedial"]


@dataclass(frozen=True)
class Note:
    """One announcement.

    Attributes:
        seq: sequence number of the event that caused it (phones remember which they have seen).
        kind: what it announces; front-ends choose colours and sounds by it.
        role: the role it is addressed to, or None for the whole team.
        kicker: the small line above the title (``⚠ 陷阱 · 李达``).
        title: the headline.
        body: the text to read (a trap's history, an event's story, the feedback).
        body_label: what the body is, when it needs saying (``历史讲解``).
        facts: what changed, one line each, in the order it happened (``全队扣 5 分``).
        source: where a trap's history comes from.
    """

    seq: int
    kind: NoteKind
    role: str | None
    kicker: str
    title: str
    body: str = ""
    body_label: str = ""
    facts: tuple[str, ...] = ()
    source: str = ""

    def lines(self) -> list[str]:
        """The note as plain lines of text (text mode prints these; tests compare them)."""
        out = [f"{self.kicker}：{self.title}" if self.title else self.kicker]
        out += [f"· {fact}" for fact in self.facts]
        if self.body:
            out.append(f"{self.body_label}：{self.body}" if self.body_label else self.body)
        if self.source:
            out.append(f"出处：{self.source}")
        return out


# Notes every player of the team is shown, whoever they are about: the whole team learns from a
# trap, not only the player who fell into it.
SHARED_KINDS: frozenset[NoteKind] = frozenset({"trap"})


def seen_by(kind: str, role: str | None, roles: Iterable[str]) -> bool:
    """Is a note of ``kind`` about ``role`` shown to a player holding ``roles``? Team-wide notes
    and traps go to everyone; feedback, hints and the like only to the role they are about."""
    return role is None or kind in SHARED_KINDS or role in set(roles)


@dataclass
class _Draft:
    """A note still collecting the consequences of its cause."""

    note: Note
    adds: dict[str, int] = field(default_factory=dict)  # the cause's authored ``add`` (for deltas)
    facts: list[str] = field(default_factory=list)

    @property
    def kind(self) -> NoteKind:
        return self.note.kind

    def done(self) -> Note:
        return replace(self.note, facts=tuple(self.facts))


def notes(scenario: Scenario, events: list[Event], first_seq: int = 1) -> list[Note]:
    """The notes for ``events`` (one action's, or a whole log); ``first_seq`` is the first one's seq."""
    out: list[_Draft] = []
    cause: _Draft | None = None  # the trap, team event or feedback that later events belong to
    flags: dict[str, FlagDef] = {f.id: f for f in scenario.data.flags}
    for seq, e in enumerate(events, start=first_seq):
        d, kind = e.data, e.kind
        who = scenario.role_name(e.role) if e.role else ""
        if kind == "choice_made":
            choice = scenario.choice(d["task"], d["node"], d["choice"])
            cause = None
            if choice.feedback:
                note = Note(seq, "feedback", e.role, f"{who} 的选择", choice.text, choice.feedback.strip())
                cause = _Draft(note, dict(choice.add))
                out.append(cause)
        elif kind == "trap_sprung":
            trap = scenario.traps[d["trap"]].trap
            note = Note(
                seq,
                "trap",
                e.role,
                f"⚠ 陷阱 · {who}",
                trap.title,
                trap.explanation.strip(),
                "历史讲解",
                source=trap.source or "",
            )
            cause = _Draft(note, dict(trap.add))
            if d["penalty"]:
                cause.facts.append(f"全队扣 {d['penalty']} 分")
            if d["lockout_until"]:
                cause.facts.append(labels.lockout(who, d["lockout_until"] - e.at))
            out.append(cause)
        elif kind == "team_event":
            ev = scenario.events[d["event"]]
            cause = _Draft(
                Note(seq, "event", None, "团队事件 · 全体注意", ev.title, ev.text.strip()), dict(ev.add)
            )
            out.append(cause)
        elif kind == "flag_set":
            if cause is not None:
                flag = d["flag"]
                cause.facts.append(
                    labels.flag_change(flags.get(flag), flag, d["value"], cause.adds.get(flag))
                )
        elif kind == "node_entered":
            if d["reason"] == "step_back" and cause is not None and cause.kind == "trap":
                cause.facts.append(f"{who} 退回上一步重新选择")
        elif kind == "task_activated":
            task = scenario.tasks[d["task"]]
            line = f"新增补救任务：《{task.title}》（{scenario.role_name(task.role)}）"
            if cause is not None and cause.kind in ("trap", "event"):
                cause.facts.append(line)
            else:
                out.append(_Draft(Note(seq, "remedial", task.role, "补救任务", f"《{task.title}》", line)))
        elif kind == "task_cancelled":
            task = scenario.tasks[d["task"]]
            line = f"《{task.title}》被迫中断（{scenario.role_name(task.role)}）"
            if cause is not None and cause.kind == "event":
                cause.facts.append(line)
            else:
                out.append(_Draft(Note(seq, "cancel", task.role, "任务中断", f"《{task.title}》被迫中断")))
        elif kind == "hint_given":
            cause = None
            out.append(_Draft(Note(seq, "hint", e.role, "主持人提示", f"给 {who} 的提示", d["text"])))
        elif kind == "task_skipped":
            cause = None
            title = scenario.tasks[d["task"]].title
            skipped = Note(seq, "skip", e.role, "主持人", f"跳过了 {who} 的《{title}》", "记入日志，不得分。")
            out.append(_Draft(skipped))
    return [n.done() for n in out]
