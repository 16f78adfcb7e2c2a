"""The knowledge check in text mode: each player in turn, one numbered question per line.

Before the game and after the ending the terminal asks every player every item (in the
session's order), in turn; whoever's turn it is types the number of their answer, the others
look away. ``!skip`` is the facilitator skipping the rest of the check (recorded in the log),
``q`` quits (everything answered so far is saved; ``resume`` asks the rest). Input may come
from a file or a pipe like the rest of text mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.present.inputs import Refused
from engine.present.quizview import (
    LOOK_AWAY,
    SKIP_LABEL,
    KeyItem,
    answer,
    quiz_key,
    quiz_progress,
    quiz_scores,
    quiz_view,
)
from engine.rules.step import RuleViolation, SkipQuiz
from engine.store.db import StoreError

if TYPE_CHECKING:
    from engine.terminal.console import TextPlay

QUIZ_HELP = f"""\
知识小测：
  选项号          例如 “2”，回答当前这道题（只算自己的，不计入游戏得分）
  !skip           主持人{SKIP_LABEL}（记入日志；没答的题不再问）
  q               退出（已答的题已保存，继续会话时接着问）
"""


class QuizPrompt:
    """Asks the open check until it closes; False when input ended or the players quit."""

    def __init__(self, play: TextPlay) -> None:
        self.play = play
        self.session = play.session

    def run(self) -> bool:
        play, session = self.play, self.session
        progress = quiz_progress(session.state)
        if progress is None:
            return True
        phase = progress.phase
        play.say()
        play.say(f"══ {progress.title} ══")
        play.say(progress.intro)
        play.say(f"大家轮流作答：轮到谁，{LOOK_AWAY}。主持人可输入 !skip {SKIP_LABEL}，h 查看说明。")
        turn: str | None = None
        while session.state.quiz == phase:
            progress = quiz_progress(session.state)
            player = progress.turn if progress else None
            view = quiz_view(session.scenario, session.state, player) if player else None
            if view is None or view.question is None:
                return True  # closed by the last answer
            if player != turn:
                turn = player
                play.say()
                play.say(f"── 请 {player} 作答（{LOOK_AWAY}）──")
            q = view.question
            play.say(f"第 {q.number}/{q.total} 题：{q.question}")
            for option in q.options:
                play.say(f"  {option.number}. {option.text}")
            line = play.read(f"请 {player} 选择 [1-{len(q.options)}]：")
            if line is None or line in ("q", "quit", "exit", "退出"):
                return False
            try:
                if line in ("h", "help", "?", "帮助"):
                    play.say(QUIZ_HELP)
                elif line in ("!skip", "!skipquiz"):
                    session.act(SkipQuiz(phase))
                    play.say(f"主持人{SKIP_LABEL}（已记入日志）。")
                elif line.isdigit():
                    session.act(answer(view, int(line)))
                else:
                    play.say(f"✗ 请输入选项号 1 到 {len(q.options)}；h 查看说明")
            except (Refused, RuleViolation) as exc:
                play.say(f"✗ {exc}")
            except StoreError as exc:
                play.say(f"✗ 无法保存：{exc}")
                return False
        play.say()
        play.say("赛前知识小测结束，游戏开始！" if phase == "pre" else "赛后知识小测结束。")
        return True

    def key(self) -> None:
        """After the check following the ending: each player's score, then every answer."""
        play, session = self.play, self.session
        state = session.state
        if not state.quiz_items or state.quiz is not None:
            return
        scores = quiz_scores(session.scenario, state)
        if not any(s.pre is not None or s.post is not None for s in scores):
            return  # skipped before anyone answered: nothing to show
        play.say("知识小测（答对题数）：")
        for score in scores:
            play.say(f"  {score.line()}")
        play.say("答案与讲解：")
        for n, item in enumerate(quiz_key(session.scenario, state), start=1):
            play.say(f"  {n}. {item.question}")
            play.say(f"     正确答案：{item.answer}")
            play.say(f"     {item.explanation}（出处：{item.source}）")
            who = _who_right(item)
            if who:
                play.say(f"     {who}")


def _who_right(item: KeyItem) -> str:
    after = [p for p, (_, post) in item.right.items() if post]
    learned = [p for p, (pre, post) in item.right.items() if post and pre is False]
    if not after:
        return ""
    return f"赛后答对：{'、'.join(after)}" + (f"（其中 {'、'.join(learned)} 赛前答错）" if learned else "")
