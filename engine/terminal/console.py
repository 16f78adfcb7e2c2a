"""Text mode: a whole team plays in one terminal, or a script pipes a playthrough through stdin.

Each turn prints every role's situation (its task and numbered choices, or whom it waits for),
then reads one line: ``ROLE CHOICE`` (e.g. ``2 1``), or just ``CHOICE`` when only one role can
act. Facilitator commands start with ``!``. At end of input the session stays saved and the
command prints how to resume it.
"""

from __future__ import annotations

import sys
from typing import TextIO

from engine.present.view import RoleView, format_duration, role_view, team_view, trap_consequences
from engine.review.metrics import PART_NAMES
from engine.rules.state import Event
from engine.rules.step import Choose, Hint, Pause, RuleViolation, Skip, Unpause
from engine.session.live import Session
from engine.store.db import StoreError

HELP = """\
输入方式：
  角色号 选项号     例如 “2 1” 表示第 2 个角色选第 1 项（只有一个角色能行动时，只输选项号即可）
  s                 重新显示全队状态
  h                 显示本帮助
  q                 退出（进度已保存，可稍后继续）
主持人命令：
  !hint 角色号      给该角色一个提示
  !skip 角色号      跳过该角色当前的任务（记入审计日志，不得分）
  !pause / !go      暂停 / 继续
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

    def render(self) -> list[RoleView]:
        sess = self.session
        now = sess.clock.now()
        team = team_view(sess.scenario, sess.state, now)
        bar = _bar(team.done, team.total)
        counters = "".join(f" │ {label} {value}" for label, value in team.counters)
        self.say()
        self.say(
            f"── 用时 {format_duration(team.elapsed)} │ 得分 {team.score}{counters}"
            f" │ 进度 {bar} {team.done}/{team.total} ──"
        )
        views = team.roles
        for n, view in enumerate(views, start=1):
            self.say(f"[{n}] {view.headline()}")
            if view.status in ("active", "locked"):
                for line in view.text.strip().splitlines():
                    self.say(f"    {line}")
                for c in view.choices:
                    self.say(f"      {c.number}. {c.text}")
        return views

    def report(self, events: list[Event]) -> None:
        """Tell the team what just happened: feedback, traps with their history, team events."""
        s = self.session.scenario
        for e in events:
            d = e.data
            if e.kind == "choice_made":
                choice = s.choice(d["task"], d["node"], d["choice"])
                if choice.feedback:
                    self.say(f"  → {choice.feedback.strip()}")
            elif e.kind == "trap_sprung":
                trap = s.traps[d["trap"]].trap
                bites = trap_consequences(s, e)
                self.say()
                self.say(f"⚠ 陷阱：{trap.title}" + (f"（{'；'.join(bites)}）" if bites else ""))
                self.say(f"  历史讲解：{trap.explanation.strip()}")
                if trap.source:
                    self.say(f"  出处：{trap.source}")
            elif e.kind == "team_event":
                ev = s.events[d["event"]]
                self.say()
                self.say(f"📢 {ev.title}")
                self.say(f"  {ev.text.strip()}")
            elif e.kind == "task_cancelled":
                self.say(f"  《{s.tasks[d['task']].title}》被迫中断")
            elif e.kind == "hint_given":
                self.say(f"  💡 提示（{s.role_name(e.role or '')}）：{d['text']}")
            elif e.kind == "task_completed":
                self.say(f"  ✓ {s.role_name(e.role or '')} 完成《{s.tasks[d['task']].title}》")

    def summary(self) -> None:
        sess = self.session
        s, st = sess.scenario, sess.state
        self.say()
        if st.ending:
            ending = s.endings[st.ending]
            self.say(f"══ 结局：{ending.title} ══")
            self.say(ending.text.strip())
        elif st.status == "stuck":
            self.say("══ 团队陷入僵局：没有角色能继续行动（场景设计有问题，请用 verify 检查）══")
        else:
            self.say("══ 会话已结束 ══")
        parts = "，".join(f"{PART_NAMES.get(k, k)} {v:+d}" for k, v in st.score_parts.items() if v)
        self.say(f"总分：{st.score}（{parts or '无'}）    用时：{format_duration(st.now - st.started_at)}")
        self.say("各角色：")
        for role_id in self.roles:
            rs = st.roles[role_id]
            view = role_view(s, st, role_id, st.now)
            self.say(
                f"  {view.name}（{view.player}）：完成任务 {view.tasks_done}/{view.tasks_total}，"
                f"落入陷阱 {rs.traps} 次，等待 {format_duration(rs.waited_total)}"
            )
        if st.sprung:
            self.say("本局遇到的陷阱：")
            for trap_id in st.sprung:
                trap = s.traps[trap_id].trap
                self.say(f"  · {trap.title}：{trap.explanation.strip()}")

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

    def run(self, show_intro: bool = True) -> int:
        if show_intro:
            self.intro()
        while True:
            st = self.session.state
            if st.over:
                self.summary()
                return 0
            views = self.render()
            if st.status == "paused":
                prompt = "会话已暂停。输入 !go 继续："
            else:
                ready = [n for n, v in enumerate(views, start=1) if v.status == "active"]
                locked = [v for v in views if v.status == "locked"]
                if not ready and locked:
                    wait = min(v.locked_seconds for v in locked)
                    self.say(f"（所有能行动的角色都在锁定中，等待 {int(wait + 0.999)} 秒……）")
                    self.session.clock.sleep(wait)
                    continue
                if len(ready) == 1:
                    v = views[ready[0] - 1]
                    prompt = f"请 {v.name}（{v.player}）选择 [1-{len(v.choices)}]："
                else:
                    prompt = "请输入 角色号 选项号（如 “1 2”），h 帮助："
            line = self.read(prompt)
            if line is None:
                self.resume_hint()
                return 0
            try:
                if not self.handle(line, views):
                    self.resume_hint()
                    return 0
            except RuleViolation as exc:
                self.say(f"✗ {exc}")
            except StoreError as exc:
                self.say(f"✗ 无法保存：{exc}")
                return 1

    def handle(self, line: str, views: list[RoleView]) -> bool:
        """Carry out one input line; False means quit."""
        if not line:
            return True
        if line in ("q", "quit", "exit", "退出"):
            return False
        if line in ("h", "help", "?", "帮助"):
            self.say(HELP)
            return True
        if line == "s":
            return True
        if line.startswith("!"):
            self.facilitator(line[1:].split(), views)
            return True
        parts = line.replace(".", " ").replace(",", " ").split()
        if not all(p.isdigit() for p in parts) or len(parts) not in (1, 2):
            self.say("✗ 看不懂这个输入；请输入 “角色号 选项号”，或 h 查看帮助")
            return True
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            ready = [v for v in views if v.status == "active"]
            if len(ready) != 1:
                self.say("✗ 现在有多个角色可以行动，请输入 “角色号 选项号”")
                return True
            view, pick = ready[0], numbers[0]
        else:
            if not 1 <= numbers[0] <= len(views):
                self.say(f"✗ 角色号应在 1 到 {len(views)} 之间")
                return True
            view, pick = views[numbers[0] - 1], numbers[1]
        if view.status == "waiting" and view.wait:
            self.say(f"✗ {view.name} 还在{view.wait.sentence()}")
            return True
        if view.status not in ("active", "locked"):
            self.say(f"✗ {view.name} 现在没有可做的任务")
            return True
        match = [c for c in view.choices if c.number == pick]
        if not match:
            self.say(f"✗ {view.name} 没有第 {pick} 项；请在 1 到 {len(view.choices)} 之间选择")
            return True
        events = self.session.act(Choose(view.role, match[0].index, view.node))
        self.report(events)
        return True

    def facilitator(self, words: list[str], views: list[RoleView]) -> None:
        if not words:
            self.say("✗ 主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go")
            return
        cmd = words[0]
        if cmd == "pause":
            self.session.act(Pause())
            self.say("会话已暂停。")
            return
        if cmd in ("go", "continue", "unpause"):
            self.session.act(Unpause())
            self.say("会话继续。")
            return
        if cmd in ("hint", "skip") and len(words) == 2 and words[1].isdigit():
            n = int(words[1])
            if not 1 <= n <= len(views):
                self.say(f"✗ 角色号应在 1 到 {len(views)} 之间")
                return
            role = views[n - 1].role
            events = self.session.act(Hint(role) if cmd == "hint" else Skip(role))
            if cmd == "skip":
                self.say(f"主持人跳过了 {views[n - 1].name} 的当前任务（已记入日志）。")
            self.report(events)
            return
        self.say("✗ 主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go")


def _bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else width
    return "█" * filled + "░" * (width - filled)


def play(
    session: Session,
    inp: TextIO | None = None,
    out: TextIO | None = None,
    db_hint: str = "",
    intro: bool = True,
) -> int:
    return TextPlay(session, inp or sys.stdin, out or sys.stdout, db_hint).run(intro)
