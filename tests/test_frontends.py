"""The same game played through the three front-ends announces the same things.

A bot game of the flagship (feedback, traps that raise 危险, lock-outs, team events, an ending) is
replayed action by action, at the same times, on the desktop (real key presses), in text mode
(scripted stdin) and through the web host (one phone per role), each session showing its options
in the same shuffled order (so each front-end must map the numbers it shows back to the same
choices) with the knowledge check skipped. All three must produce the same log, show the same
notes (the desktop's pop-ups, the printed blocks, the phones' sheets) and the same results
figures.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pygame
import pytest
from ui_driver import frame, key, press_choice

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.present.notes import Note, notes
from engine.present.results import Results, results
from engine.present.view import team_view
from engine.rules.state import Event, State, apply_event
from engine.rules.step import Choose
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.terminal.console import TextPlay
from engine.tools.bots import play_bot_session
from engine.ui.app import App, Settings
from engine.ui.scenes.finish import ResultsScene
from engine.ui.scenes.play import PlayScene
from engine.web import organizer
from engine.web.payloads import note_payload, results_payload

ROOT = Path(__file__).resolve().parent.parent
YIDA = ROOT / "scenarios" / "yida_1921.yaml"
T0 = 1_627_000_000.0
TEAM = "一队"
PLAYERS = ["张三", "李四", "王五", "赵六"]
SEED = 77  # the order every front-end shows the options in


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(YIDA)


@pytest.fixture(scope="module")
def script(yida: Scenario) -> tuple[dict[str, str], list[tuple[float, Choose]], list[Event]]:
    """A bot game (seed 1, careful): its role assignment, its actions with their times, its log."""
    game = play_bot_session(yida, "careful", seed=1, team=TEAM, start_time=T0, players=PLAYERS)
    assignment = {e.data["role"]: e.data["player"] for e in game.events if e.kind == "role_assigned"}
    actions = [
        (e.at, Choose(e.role or "", e.data["choice"], e.data["node"]))
        for e in game.events
        if e.kind == "choice_made"
    ]
    announced = notes(yida, game.events)
    kinds = {n.kind for n in announced}
    assert {"feedback", "trap", "event"} <= kinds and game.state.ending  # the game shows it all
    assert any(f.startswith("危险") for n in announced for f in n.facts)
    assert any("锁定" in f for n in announced for f in n.facts)
    return assignment, actions, game.events


def comparable(events: list[Event]) -> list[tuple[str, float, object, str | None]]:
    return [(e.kind, e.at, e.data, e.role) for e in events]


def as_played(events: list[Event]) -> list[tuple[str, float, object, str | None]]:
    """The game without what only says how it was shown: the seed, the skipped check."""
    out = []
    for e in events:
        if e.kind == "quiz_skipped":
            continue
        data = {
            k: v for k, v in e.data.items() if not (e.kind == "session_started" and k in ("shuffle", "quiz"))
        }
        out.append((e.kind, e.at, data, e.role))
    return out


# --- the three front-ends ------------------------------------------------------------------------


def play_desktop(
    yida: Scenario, store: Store, assignment: dict[str, str], actions: list[tuple[float, Choose]]
) -> tuple[list[Event], list[Note], Results]:
    clock = ManualClock(T0)
    app = App(store, Settings(scenarios=[YIDA]), clock)
    try:
        session = Session.start(yida, store, TEAM, assignment, clock, shuffle=SEED, quiz="skip")
        scene = app.show("play", session=session)
        assert isinstance(scene, PlayScene)
        shown: list[Note] = []
        for at, action in actions:
            clock.t = at
            press_choice(app, action.role, action.choice)
            while scene.queue:  # each pop-up, as drawn, then Enter
                shown.append(scene.queue[0])
                key(app, pygame.K_RETURN)
        frame(app, 2)
        assert isinstance(app.scene, ResultsScene)
        return session.events, shown, app.scene.results
    finally:
        app.close()


class Typed(io.StringIO):
    """stdin for text mode: each line is typed at its moment on the manual clock."""

    def __init__(self, lines: list[tuple[float, str]], clock: ManualClock) -> None:
        super().__init__()
        self.lines = iter(lines)
        self.clock = clock

    def readline(self, size: int | None = -1) -> str:
        try:
            at, line = next(self.lines)
        except StopIteration:
            return ""
        self.clock.t = max(self.clock.t, at)
        return line + "\n"


def play_text(
    yida: Scenario, store: Store, assignment: dict[str, str], log: list[Event]
) -> tuple[list[Event], str]:
    clock = ManualClock(T0)
    session = Session.start(yida, store, TEAM, assignment, clock, shuffle=SEED, quiz="skip")
    roles = list(yida.roles)
    # what a player types: "role number  choice number", as the screen numbers them then
    lines: list[tuple[float, str]] = []
    state = State()
    for e in log:
        if e.kind == "choice_made":
            role = e.role or ""
            view = team_view(yida, state, e.at).roles[roles.index(role)]
            number = next(c.number for c in view.choices if c.index == e.data["choice"])
            lines.append((e.at, f"{roles.index(role) + 1} {number}"))
        apply_event(state, e)
        state.shuffle = SEED  # the bot played unshuffled; the terminal shows this session's order
    out = io.StringIO()
    TextPlay(session, Typed(lines, clock), out).run()
    return session.events, out.getvalue()


class Inbox:
    def __init__(self) -> None:
        self.latest: dict[str, Any] = {}

    def push(self, key: str, text: str) -> None:
        import json

        self.latest[key] = json.loads(text)


def play_web(
    yida: Scenario,
    store: Store,
    assignment: dict[str, str],
    actions: list[tuple[float, Choose]],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[Event], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    import json

    from engine.web import messages as m
    from engine.web.hub import Client, Hub

    clock = ManualClock(T0)
    hub = Hub(store, "http://127.0.0.1:9", YIDA, clock)
    team = hub.new_team(TEAM)

    def send(client: Client, **msg: Any) -> dict[str, Any]:
        reply = hub.handle(client, m.parse(json.dumps(msg)))
        assert reply is not None
        return reply

    phones = {role: Client(Inbox()) for role in assignment}
    for role, player in assignment.items():
        assert send(phones[role], t="join", code=team.row.code, name=player, role=role)["t"] == "joined"
    org = Client(Inbox())
    send(org, t="host", secret=hub.secret)
    monkeypatch.setattr(organizer, "new_shuffle_seed", lambda: SEED)
    assert send(org, t="org", op="start", team=team.row.id, aid="go", quiz="skip")["ok"]
    seen: dict[str, dict[int, dict[str, Any]]] = {role: {} for role in phones}
    for n, (at, action) in enumerate(actions):
        clock.t = at
        shown = phones[action.role].listener.latest["view"]["play"]["roles"]  # type: ignore[attr-defined]
        role = next(r for r in shown if r["id"] == action.role)
        # the phone sends the index of the button tapped: the one showing this choice's text
        text = yida.choice(role["task"], role["node"], action.choice).text
        tapped = next(c for c in role["choices"] if c["text"] == text)
        reply = send(
            phones[action.role],
            t="act",
            aid=f"a{n}",
            role=action.role,
            choice=tapped["index"],
            node=action.node,
        )
        assert reply["ok"], reply
        for role, phone in phones.items():  # every phone keeps the notes it was sent
            for note in phone.listener.latest["view"]["play"]["notes"]:  # type: ignore[attr-defined]
                seen[role][note["seq"]] = note
    assert team.session is not None
    final = phones[actions[-1][1].role].listener.latest["view"]["play"]  # type: ignore[attr-defined]
    return team.session.events, {r: [v[k] for k in sorted(v)] for r, v in seen.items()}, final["results"]


# --- the check -----------------------------------------------------------------------------------


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store, Store]]:
    s = (Store(tmp_path / "desk.db"), Store(tmp_path / "text.db"), Store(tmp_path / "web.db"))
    yield s
    for store in s:
        store.close()


@pytest.mark.slow
def test_desktop_text_and_phones_announce_the_same_things(
    yida: Scenario,
    script: tuple[dict[str, str], list[tuple[float, Choose]], list[Event]],
    stores: tuple[Store, Store, Store],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assignment, actions, log = script
    desk_events, desk_notes, desk_results = play_desktop(yida, stores[0], assignment, actions)
    text_events, printed = play_text(yida, stores[1], assignment, log)
    web_events, web_notes, web_results = play_web(yida, stores[2], assignment, actions, monkeypatch)

    # one game: the same log everywhere, and the bot's own game (which was shown as written)
    assert comparable(desk_events) == comparable(text_events) == comparable(web_events)
    assert desk_events[0].data["shuffle"] == SEED
    assert as_played(desk_events) == as_played(log)
    expected = notes(yida, desk_events)
    expected_results = results(yida, desk_events)
    assert [replace(n, seq=0) for n in expected] == [replace(n, seq=0) for n in notes(yida, log)]

    # the desktop popped up exactly these notes, in order
    assert desk_notes == expected
    # text mode printed every one of them, line by line, in order
    at = 0
    for note in expected:
        first, *rest = note.lines()
        block = "\n".join([first, *(f"  {line}" for line in rest)])
        found = printed.find(block, at)
        assert found >= 0, f"text mode did not print:\n{block}"
        at = found + len(block)
    # each phone got the notes for the team, for its role and every teammate's trap, worded the same
    for role, got in web_notes.items():
        mine = [note_payload(n) for n in expected if n.role in (None, role) or n.kind == "trap"]
        assert got == mine, role
        others = [n for n in got if n["kind"] == "trap" and n["role"] != role]
        assert others, f"{role} never saw a teammate's trap"

    # the same results figures on the desktop, in the terminal and on the phones
    assert desk_results.score_line == expected_results.score_line
    assert desk_results.roles == expected_results.roles and desk_results.timeline == expected_results.timeline
    assert f"{expected_results.score_line}    {expected_results.duration_line}" in printed
    for role in expected_results.roles:
        assert f"  {role.who}：{'，'.join(role.cells())}" in printed
    assert web_results == results_payload(expected_results)


def test_a_team_event_at_the_start_is_announced_everywhere(tmp_path: Path) -> None:
    """A scenario may open with a team event (its condition holds from the start): the desktop,
    text mode and the phones all announce it, as they announce any later one."""
    import json

    from engine.format.loader import parse_scenario
    from engine.terminal.console import play
    from engine.web import messages as m
    from engine.web.hub import Client, Hub

    text = (ROOT / "tests" / "fixtures" / "consequences.yaml").read_text(encoding="utf-8")
    opening = """  - id: curtain
    title: 夜幕降临
    text: 弄堂里的灯一盏盏亮了。
    when: { flag: danger, eq: 0 }
"""
    text = text.replace("events:\n", "events:\n" + opening)
    path = tmp_path / "opening.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = parse_scenario(text, str(path))
    assignment = {"lookout": "甲", "clerk": "乙"}
    store = Store(tmp_path / "a.db")
    try:
        session = Session.start(scenario, store, TEAM, assignment, ManualClock(T0))
        expected = notes(scenario, session.events)
        assert [n.title for n in expected] == ["夜幕降临"]

        app = App(store, Settings(), ManualClock(T0))
        try:
            scene = app.show("play", session=session, fresh=True)
            assert isinstance(scene, PlayScene) and scene.queue == expected
        finally:
            app.close()

        out = io.StringIO()
        play(session, io.StringIO(""), out, fresh=True)
        assert "📢 团队事件 · 全体注意：夜幕降临\n  弄堂里的灯一盏盏亮了。" in out.getvalue()
    finally:
        store.close()

    store = Store(tmp_path / "b.db")
    try:
        hub = Hub(store, "http://127.0.0.1:9", path, ManualClock(T0))
        team = hub.new_team(TEAM)
        phone = Client(Inbox())
        reply = hub.handle(phone, m.parse(json.dumps({"t": "join", "code": team.row.code, "name": "甲"})))
        assert reply is not None and reply["t"] == "joined"
        organizer.start(hub, team, quiz="skip")
        sent = phone.listener.latest["view"]["play"]["notes"]  # type: ignore[attr-defined]
        assert sent == [note_payload(n) for n in expected]
    finally:
        store.close()
