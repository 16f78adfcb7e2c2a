"""Learning gain from the before/after knowledge check, read from the session log like every figure.

    session_learning(scenario, events, players, exposed, sprung) -> SessionLearning

(:mod:`engine.review.gains` sums sessions into a cohort's figures.)

The log holds one ``quiz_answered`` event per answer (``phase`` pre/post, ``player``, ``item``,
the authored ``option`` index and whether it was ``correct``) and a ``quiz_skipped`` event when
the facilitator skipped a check. Whether an answer was right is the log's word, as it was shown
to the player; the scenario's quiz (kept with the session) only names the items and their traps.

Rates are shares of answers given (``right / answered``), so a player who left before the after
check lowers no rate. An item's gain is the *normalized change* of Marx & Cummings (2007), which
is Hake's ``(post - pre) / (1 - pre)`` when the rate rose, ``(post - pre) / pre`` when it fell and
0 when it stayed, so it always lies in [-1, 1] and is defined when everyone knew it already.
Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.format.scenario import Scenario
from engine.rules.state import Event

QUIZ_KINDS: frozenset[str] = frozenset({"quiz_answered", "quiz_skipped"})
PHASES = ("pre", "post")
PHASE_NAMES = {"pre": "课前", "post": "课后"}
# An item whose after-play rate stays below this is what to teach next time (下次重点讲).
FOCUS_BELOW = 0.8

# What a session's knowledge check came to; the reports and the game's review say this instead
# of showing zeros.
STATUS_TEXT = {
    "no_quiz": "本场景没有知识检测题。",
    "skipped": "本局跳过了知识检测（主持人选择）。",
    "not_asked": "本局没有进行知识检测（会话早于检测功能，或检测尚未开始）。",
    "answered": "",
}
PHASE_STATUS_TEXT = {"answered": "已作答", "skipped": "已跳过", "not_asked": "未进行"}


def normalized_change(pre: float | None, post: float | None) -> float | None:
    """Marx & Cummings' normalized change of a rate (0..1); None when either rate is unknown."""
    if pre is None or post is None:
        return None
    if post > pre:
        return (post - pre) / (1.0 - pre)
    if post < pre:
        return (post - pre) / pre
    return 0.0


def rate_of(right: int, answered: int) -> float | None:
    return right / answered if answered else None


class Rates:
    """The share right of the answers given before and after play (None: nobody answered), for
    every record that counts answers."""

    pre_answered: int
    pre_right: int
    post_answered: int
    post_right: int

    @property
    def pre_rate(self) -> float | None:
        return rate_of(self.pre_right, self.pre_answered)

    @property
    def post_rate(self) -> float | None:
        return rate_of(self.post_right, self.post_answered)


@dataclass(frozen=True)
class QuizItemInfo:
    """One item of a scenario's quiz, as far as the reports need it."""

    id: str
    question: str
    trap: str | None
    explanation: str = ""
    source: str = ""
    options: tuple[str, ...] = ()
    correct: int | None = None  # authored index of the right option


def quiz_items(scenario: Scenario) -> dict[str, QuizItemInfo]:
    """The scenario's quiz items by id, in authored order (none for a scenario without a quiz)."""
    out: dict[str, QuizItemInfo] = {}
    for item in getattr(scenario.data, "quiz", None) or []:
        options: list[Any] = list(getattr(item, "options", []) or [])
        correct = next((i for i, o in enumerate(options) if getattr(o, "correct", False)), None)
        out.setdefault(
            str(item.id),
            QuizItemInfo(
                str(item.id),
                str(getattr(item, "question", "") or item.id).strip(),
                getattr(item, "trap", None),
                str(getattr(item, "explanation", "") or "").strip(),
                str(getattr(item, "source", "") or "").strip(),
                tuple(str(getattr(o, "text", "")).strip() for o in options),
                correct,
            ),
        )
    return out


@dataclass(frozen=True)
class QuizAnswer:
    """One answer as logged; ``at`` is wall time (seconds since the epoch)."""

    phase: str
    player: str
    role: str | None
    item: str
    option: int
    correct: bool
    at: float


@dataclass(frozen=True)
class PlayerLearning(Rates):
    """One player's check in one session (or summed over sessions). ``*_correct`` is None when the
    player answered nothing in that phase: not asked is not zero."""

    player: str
    items: int  # items in the check
    pre_answered: int
    pre_right: int
    post_answered: int
    post_right: int
    sessions: int = 1

    @property
    def pre_correct(self) -> int | None:
        return self.pre_right if self.pre_answered else None

    @property
    def post_correct(self) -> int | None:
        return self.post_right if self.post_answered else None

    @property
    def gain(self) -> int | None:
        """More items right after play than before (only for a player who answered both)."""
        pre, post = self.pre_correct, self.post_correct
        return None if pre is None or post is None else post - pre


@dataclass(frozen=True)
class ItemLearning(Rates):
    """One quiz item over a session or a cohort: answers before and after, and its trap in play."""

    scenario_id: str
    item: str
    question: str
    trap: str | None
    trap_title: str
    pre_answered: int
    pre_right: int
    post_answered: int
    post_right: int
    trap_exposed: int  # sessions in which some role reached the trap's choice
    trap_sprung: int  # ... and in which it was sprung

    @property
    def gain(self) -> float | None:
        return normalized_change(self.pre_rate, self.post_rate)

    @property
    def trap_rate(self) -> float | None:
        return rate_of(self.trap_sprung, self.trap_exposed)

    @property
    def focus(self) -> bool:
        """Still misunderstood after play: teach it next time."""
        post = self.post_rate
        return post is not None and post < FOCUS_BELOW


@dataclass
class SessionLearning:
    """A session's knowledge check: each phase's status, each player's and each item's figures."""

    quiz_items: int  # items in the scenario's quiz (0: it has none)
    phases: dict[str, str]  # pre/post -> answered | skipped | not_asked
    players: list[PlayerLearning] = field(default_factory=list)
    items: list[ItemLearning] = field(default_factory=list)
    answers: list[QuizAnswer] = field(default_factory=list)

    @property
    def status(self) -> str:
        """no_quiz | skipped | not_asked | answered (some phase was answered)."""
        states = set(self.phases.values())
        if "answered" in states:
            return "answered"
        if "skipped" in states:
            return "skipped"
        return "no_quiz" if not self.quiz_items else "not_asked"

    @property
    def note(self) -> str:
        """What to say instead of figures (empty when there are figures)."""
        return STATUS_TEXT[self.status]

    def of(self, player: str) -> PlayerLearning | None:
        return next((p for p in self.players if p.player == player), None)


def _answers(events: Iterable[Event]) -> tuple[list[QuizAnswer], set[str]]:
    """The answers (a later answer to the same item in the same phase replaces the earlier one)
    and the phases the facilitator skipped."""
    latest: dict[tuple[str, str, str], QuizAnswer] = {}
    skipped: set[str] = set()
    for e in events:
        kind: str = e.kind
        d = e.data
        if kind == "quiz_skipped":
            skipped.add(str(d.get("phase", "")))
        elif kind == "quiz_answered":
            a = QuizAnswer(
                str(d["phase"]),
                str(d["player"]),
                e.role,
                str(d["item"]),
                int(d["option"]),
                bool(d["correct"]),
                e.at,
            )
            latest.pop((a.phase, a.player, a.item), None)  # keep answer order by the latest
            latest[(a.phase, a.player, a.item)] = a
    return list(latest.values()), skipped


def session_learning(
    scenario: Scenario,
    events: Iterable[Event],
    players: Iterable[str],
    exposed: Iterable[str] = (),
    sprung: Iterable[str] = (),
) -> SessionLearning:
    """The check of one session. ``players`` are the session's players (in role order);
    ``exposed``/``sprung`` the traps reached and sprung in play."""
    info = quiz_items(scenario)
    answers, skipped = _answers(events)
    answered_phases = {a.phase for a in answers}
    phases = {
        p: "answered" if p in answered_phases else "skipped" if p in skipped else "not_asked" for p in PHASES
    }
    asked = set(a.item for a in answers)  # authored order first; an item the log names but the
    # scenario does not (edited since) still counts, under its id
    item_ids = [i for i in info if i in asked] + [
        i for i in dict.fromkeys(a.item for a in answers) if i not in info
    ]
    n_items = len(info) or len(item_ids)
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (phase, key) -> [answered, right]
    for a in answers:
        for key in (f"p:{a.player}", f"i:{a.item}"):
            t = tally[(a.phase, key)]
            t[0] += 1
            t[1] += int(a.correct)

    def n(phase: str, key: str, right: int) -> int:
        return tally[(phase, key)][right] if (phase, key) in tally else 0

    if not answers:
        return SessionLearning(len(info), phases)
    who = list(dict.fromkeys([*players, *(a.player for a in answers)]))
    out_players = [
        PlayerLearning(p, n_items, n("pre", k, 0), n("pre", k, 1), n("post", k, 0), n("post", k, 1))
        for p in who
        if p
        for k in [f"p:{p}"]
    ]
    seen, hit = set(exposed), set(sprung)
    items = []
    for item_id in item_ids:
        q, k = info.get(item_id), f"i:{item_id}"
        trap = q.trap if q else None
        site = scenario.traps.get(trap) if trap else None
        items.append(
            ItemLearning(
                scenario.id,
                item_id,
                q.question if q else item_id,
                trap,
                site.trap.title if site else "",
                n("pre", k, 0),
                n("pre", k, 1),
                n("post", k, 0),
                n("post", k, 1),
                int(trap in seen) if trap else 0,
                int(trap in hit) if trap else 0,
            )
        )
    return SessionLearning(len(info), phases, out_players, items, answers)
