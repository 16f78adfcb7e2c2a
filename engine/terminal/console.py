"""Text mode: a whole team plays in one terminal, or a script pipes a playthrough through stdin.

Each turn prints every role's situation (its task and numbered choices, or whom it waits for),
then reads one line: ``ROLE CHOICE`` (e.g. ``2 1``), or just ``CHOICE`` when only one role can
act. Facilitator commands start with ``!``. At end of input the session stays saved and the
command prints how to resume it.
"""

from __future__ import annotations

import sys
from typing import TextIO

from engine.present import labels
from engine.present.inputs import Refused, parse_line
from engine.present.notes import Note, notes
from engine.present.results import results
from engine.present.view import TeamView, team_view
from engine.rules.state import Event
from engine.rules.step import RuleViolation
from engine.session.live import Session
from engine.store.db import StoreError
from engine.terminal.quizprompt import QuizPrompt

HELP = """\
输入方式：
  角色号 选项号     例如 “2 1” 表示第 2 个角色选第 1 项（只有一个角色能行动时，只输选项号即可）
  s                 重新显示全队状态
  h                 显示本帮助
  q                 退出（进度已保存，可稍后继续）
主持人命令：
  !hint 角色号      给该角色一个提示
  !skip 角色号      跳过该角色当前的任务（记入审计日志，不得分）
  !pause / !go      暂停（时钟、等待和锁定都停下）/ 继续
  !end              结束会话（记为“已放弃”，结果仍会显示）
知识小测（开局前和结局后，场景带小测时）：轮到谁谁输入选项号；主持人输入 !skip 跳过
"""


class TextPlay:
    def __init__(self, session: Session, inp: TextIO, out: TextIO, db_hint: str = "") -> None:
        self.session = session
        self.inp = inp
        self.out = out
        self.db_hint = db_hint
        self.roles = list(session.scenario.roles)
        self.echo = not inp.isatty()

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    # --- rendering ---------------------------------------------------------------------

    def intro(self) -> None:
        s = self.session.scenario
        st = self.session.state
        self.say(f"══ {s.title} ══")
        self.say(s.data.scenario.summary.strip())
        self.say(f"队伍：{st.team}    会话编号：{self.session.id}")
        self.say()
        for n, role_id in enumerate(self.roles, start=1):
            role = s.roles[role_id]
            title = f"（{role.title}）" if role.title else ""
            self.say(f"[{n}] {role.name}{title} —— 玩家：{st.players.get(role_id, '')}")
            self.say(f"    {role.brief.strip()}")
        self.say()
        self.say("输入 h 查看操作说明。")

    def team(self) -> TeamView:
        sess = self.session
        return team_view(sess.scenario, sess.state, sess.clock.now())

    def render(self) -> TeamView:
        team = self.team()
        bar = _bar(team.done, team.total)
        counters = "".join(f" │ {label} {value}" for label, value in team.counters)
        self.say()
        if team.paused:
            self.say(f"══ {labels.PAUSED_TITLE}（{labels.PAUSED_TEXT}）══")
        self.say(
            f"── 用时 {team.clock}{'（已暂停）' if team.paused else ''} │ 得分 {team.score}{counters}"
            f" │ 进度 {bar} {team.done}/{team.total} ──"
        )
        for n, view in enumerate(team.roles, start=1):
            self.say(f"[{n}] {view.headline()}")
            if view.status in ("active", "locked"):
                for line in view.text.strip().splitlines():
                    self.say(f"    {line}")
                for c in view.choices:
                    self.say(f"      {c.number}. {c.text}")
        return team

    def report(self, events: list[Event]) -> None:
        """Tell the team what just happened: the notes every front-end shows, then the feed's
        task completions (the one thing a terminal has no bar for)."""
        s = self.session.scenario
        for note in notes(s, events):
            self.note(note)
        for e in events:
            if e.kind == "task_completed" and e.data["outcome"] != "skipped":
                self.say(f"  ✓ {s.role_name(e.role or '')} 完成《{s.tasks[e.data['task']].title}》")

    def note(self, note: Note) -> None:
        first, *rest = note.lines()
        if note.kind in ("trap", "event"):
            self.say()
        self.say(f"{_MARK.get(note.kind, '')}{first}")
        for line in rest:
            self.say(f"  {line}")

    def summary(self) -> None:
        sess = self.session
        r = results(sess.scenario, sess.events, sess.id)
        self.say()
        self.say(f"══ {r.heading} ══")
        self.say(r.text)
        self.say(f"{r.score_line}    {r.duration_line}")
        self.say("各角色：")
        for role in r.roles:
            done, traps, waited = role.cells()
            self.say(f"  {role.who}：{done}，{traps}，{waited}")
        if r.traps:
            self.say("本局遇到的陷阱：")
            for trap in r.traps:
                self.say(f"  · {trap.title}（{sess.scenario.role_name(trap.role or '')}）：{trap.body}")

    # --- the loop ----------------------------------------------------------------------

    def read(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            self.say()
            return None
        line = line.strip()
        if self.echo:
            self.say(line)
        return line

    def resume_hint(self) -> None:
        db = f" --db {self.db_hint}" if self.db_hint else ""
        self.say(f"进度已保存。继续游戏：python play.py resume {self.session.id}{db}")

    def run(self, show_intro: bool = True, fresh: bool = False) -> int:
        """Play until the end or the end of input. ``fresh``: a session just started, whose
        start may already have announced something (a team event at the start)."""
        if show_intro:
            self.intro()
        announce = fresh  # what the start announced, told once the game begins
        while True:
            state = self.session.state
            if state.quiz is not None:
                if state.over and state.ending:
                    self.say()
                    title = self.session.scenario.endings[state.ending].title
                    self.say(f"══ 游戏结束：{title} ══（先做赛后知识小测，再公布结果和讲解）")
                if not QuizPrompt(self).run():
                    self.resume_hint()
                    return 0
                continue
            if announce:
                self.report(self.session.events)
                announce = False
            if state.over:
                self.summary()
                QuizPrompt(self).key()
                return 0
            team = self.render()
            if team.paused:
                prompt = "会话已暂停。输入 !go 继续："
            else:
                ready = [v for v in team.roles if v.status == "active"]
                locked = [v for v in team.roles if v.status == "locked"]
                if not ready and locked:
                    wait = min(v.locked_seconds for v in locked)
                    self.say(f"（所有能行动的角色都在锁定中，等待 {labels.seconds_left(wait)} 秒……）")
                    self.session.clock.sleep(wait)
                    continue
                if len(ready) == 1:
                    v = ready[0]
                    prompt = f"请 {v.who} 选择 [1-{len(v.choices)}]："
                else:
                    prompt = "请输入 角色号 选项号（如 “1 2”），h 帮助："
            line = self.read(prompt)
            if line is None:
                self.resume_hint()
                return 0
            try:
                if not self.handle(line, team):
                    self.resume_hint()
                    return 0
            except (Refused, RuleViolation) as exc:
                self.say(f"✗ {exc}")
            except StoreError as exc:
                self.say(f"✗ 无法保存：{exc}")
                return 1

    def handle(self, line: str, team: TeamView) -> bool:
        """Carry out one input line; False means quit."""
        command = parse_line(line, team)
        if command.kind == "quit":
            return False
        if command.kind == "help":
            self.say(HELP)
        elif command.kind == "act" and command.action is not None:
            events = self.session.act(command.action)
            self.report(events)
            kinds = {e.kind for e in events}
            if "session_paused" in kinds:
                self.say(f"{labels.PAUSED_TITLE}。")
            elif "session_unpaused" in kinds:
                self.say("会话继续：从暂停处接着计时。")
        return True


_MARK = {"hint": "💡 ", "event": "📢 ", "feedback": "  → ", "skip": "  ", "cancel": "  ", "remedial": "  "}


def _bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else width
    return "█" * filled + "░" * (width - filled)


def play(
    session: Session,
    inp: TextIO | None = None,
    out: TextIO | None = None,
    db_hint: str = "",
    intro: bool = True,
    fresh: bool = False,
) -> int:
    return TextPlay(session, inp or sys.stdin, out or sys.stdout, db_hint).run(intro, fresh)
