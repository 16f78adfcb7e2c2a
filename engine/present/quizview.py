"""The knowledge check as players see it: questions, progress, and afterwards the key.

    quiz_view(scenario, state, player)   -> QuizView     one player's next question (or done)
    quiz_progress(state)                 -> QuizProgress  the team: who has answered how much
    answer(view, number)                 -> Answer        a pressed number -> the rules' action
    quiz_key(scenario, state)            -> list[KeyItem] after the check: answers, explanations
    quiz_scores(scenario, state)         -> list[Score]   each player's right answers, pre and post

Items and options come in the session's order (:mod:`engine.rules.shuffle`: per phase and per
player), numbered from 1; the action carries the option's index as written. On a shared screen
the players answer in turn, in the order of their first role (:func:`QuizProgress.turn`), and
the others look away (:data:`LOOK_AWAY`). Nothing is graded on screen before the game: the key
is shown only once the check after the ending is over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.format.scenario import Scenario
from engine.present.inputs import Refused
from engine.rules.actions import Answer, QuizPhase
from engine.rules.knowledge import PHASE_NAMES, open_phase
from engine.rules.shuffle import option_order, quiz_order
from engine.rules.state import State, quiz_players

INTRO = {
    "pre": "开始游戏之前，每人先独立回答几道小题（不计入游戏得分，也不会马上公布答案）。"
    "游戏结束后还会再答一次同样的题，看看这一局学到了什么。",
    "post": "游戏结束了。请每人再独立回答一次开局时的小题；全部答完后公布正确答案和讲解。",
}
LOOK_AWAY = "请其他人暂时不要看屏幕"
SKIP_LABEL = "跳过知识小测"  # the facilitator's option, on every front-end


@dataclass(frozen=True)
class OptionView:
    index: int  # as written in the YAML: what the action carries
    number: int  # 1-based, as shown
    text: str


@dataclass(frozen=True)
class QuestionView:
    item: str
    number: int  # 1-based position in this player's check
    total: int
    question: str
    options: list[OptionView]


@dataclass(frozen=True)
class QuizView:
    """The open check as ``player`` sees it: the next question, or None once they are done."""

    phase: QuizPhase
    title: str
    intro: str
    player: str
    question: QuestionView | None
    answered: int
    total: int
    others_left: list[str] = field(default_factory=list)  # other players still answering

    @property
    def done(self) -> bool:
        return self.question is None

    def waiting_line(self) -> str:
        if not self.others_left:
            return "全部答完。"
        return f"你已答完，等待 {'、'.join(self.others_left)} 答题……"


@dataclass(frozen=True)
class QuizProgress:
    """The open check for the whole team (the shared screen, the organizer, the projector)."""

    phase: QuizPhase
    title: str
    intro: str
    players: list[tuple[str, int, int]]  # (player, answered, total), in answering order

    @property
    def turn(self) -> str | None:
        """Whose turn it is on a shared screen: the first player with questions left."""
        return next((p for p, done, total in self.players if done < total), None)

    @property
    def finished(self) -> int:
        return sum(1 for _, done, total in self.players if done >= total)

    def line(self) -> str:
        return f"{self.title}：{self.finished}/{len(self.players)} 人已答完"


@dataclass(frozen=True)
class KeyItem:
    """One item after the check: the right answer and why, and how the team answered it."""

    item: str
    question: str
    answer: str
    explanation: str
    source: str
    trap_title: str
    right: dict[str, tuple[bool | None, bool | None]]  # player -> (right before, right after)


@dataclass(frozen=True)
class Score:
    player: str
    pre: int | None  # right answers before play (None: not asked or skipped without answers)
    post: int | None
    total: int

    def line(self) -> str:
        def part(label: str, n: int | None) -> str:
            return f"{label} {n}/{self.total}" if n is not None else f"{label} 未答"

        return f"{self.player}：{part('赛前', self.pre)} → {part('赛后', self.post)}"


def _answered(state: State, phase: str, player: str) -> int:
    return sum(1 for item in state.quiz_items if (phase, player, item) in state.quiz_answers)


def quiz_view(scenario: Scenario, state: State, player: str) -> QuizView | None:
    """The open check for ``player`` (None: no check open, or not one of the session's players)."""
    phase = open_phase(state)
    players = quiz_players(state)
    if phase is None or player not in players:
        return None
    order = quiz_order(state, phase, player)
    left = [item for item in order if (phase, player, item) not in state.quiz_answers]
    question = None
    if left:
        item = scenario.quiz[left[0]]
        options = [
            OptionView(i, n + 1, item.options[i].text.strip())
            for n, i in enumerate(option_order(state, phase, player, item.id, len(item.options)))
        ]
        question = QuestionView(
            item.id, len(order) - len(left) + 1, len(order), item.question.strip(), options
        )
    others = [p for p in players if p != player and _answered(state, phase, p) < len(order)]
    return QuizView(
        phase,
        PHASE_NAMES[phase],
        INTRO[phase],
        player,
        question,
        len(order) - len(left),
        len(order),
        others,
    )


def quiz_progress(state: State) -> QuizProgress | None:
    phase = open_phase(state)
    if phase is None:
        return None
    total = len(state.quiz_items)
    players = [(p, _answered(state, phase, p), total) for p in quiz_players(state)]
    return QuizProgress(phase, PHASE_NAMES[phase], INTRO[phase], players)


def answer(view: QuizView, number: int) -> Answer:
    """The option numbered ``number`` (as shown) of the view's question, as the rules' action."""
    if view.question is None:
        raise Refused(f"{view.player} 已经答完了")
    match = [o for o in view.question.options if o.number == number]
    if not match:
        raise Refused(f"没有第 {number} 项；请在 1 到 {len(view.question.options)} 之间选择")
    return Answer(view.player, view.question.item, match[0].index, view.phase)


def _right(scenario: Scenario, state: State, phase: str, player: str, item: str) -> bool | None:
    option = state.quiz_answers.get((phase, player, item))
    return None if option is None else scenario.quiz[item].options[option].correct


def quiz_key(scenario: Scenario, state: State) -> list[KeyItem]:
    """Every item with its right answer and explanation, in the file's order."""
    out = []
    players = quiz_players(state)
    for item_id in state.quiz_items:
        item = scenario.quiz[item_id]
        right = next(o.text.strip() for o in item.options if o.correct)
        trap = scenario.traps.get(item.trap)
        out.append(
            KeyItem(
                item.id,
                item.question.strip(),
                right,
                item.explanation.strip(),
                item.source.strip(),
                trap.trap.title if trap else "",
                {
                    p: (
                        _right(scenario, state, "pre", p, item_id),
                        _right(scenario, state, "post", p, item_id),
                    )
                    for p in players
                },
            )
        )
    return out


def quiz_scores(scenario: Scenario, state: State) -> list[Score]:
    """Each player's right answers before and after play (None where they gave no answer)."""
    out = []
    for player in quiz_players(state):
        counts: list[int | None] = []
        for phase in ("pre", "post"):
            marks = [_right(scenario, state, phase, player, item) for item in state.quiz_items]
            given = [m for m in marks if m is not None]
            counts.append(sum(given) if given else None)
        out.append(Score(player, counts[0], counts[1], len(state.quiz_items)))
    return out
