"""The knowledge check over the LAN (engine/web/quizphone.py): each phone answers its own
questions, nobody answers for another, the organizer sees progress and may skip, and a host
restarted mid-check carries on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub_driver import Inbox, send

from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.web.hub import Client, Hub, Team

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"
BASE = "http://127.0.0.1:9"
PLAYERS = (("lida", "张三"), ("wanghuiwu", "李四"), ("lihanjun", "王五"))


def started(
    store: Store, clock: ManualClock, quiz: str = "ask"
) -> tuple[Hub, Team, dict[str, Client], Client]:
    hub = Hub(store, BASE, TUTORIAL, clock)
    team = hub.new_team("红队")
    phones: dict[str, Client] = {}
    for role, name in PLAYERS:
        phones[name] = Client(Inbox())
        assert send(hub, phones[name], t="join", code=team.row.code, name=name, role=role)["t"] == "joined"
    org = Client(Inbox())
    assert send(hub, org, t="host", secret=hub.secret)["t"] == "dash"
    lobby = send(hub, org, t="host", secret=hub.secret)["teams"][0]["lobby"]
    assert lobby["quiz"] == 5  # the dashboard offers the check and says how long it is
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="go", quiz=quiz)["ok"]
    return hub, team, phones, org


def view(client: Client) -> dict[str, Any]:
    inbox = client.listener
    assert isinstance(inbox, Inbox)
    return inbox.latest["view"]


def right_option(hub: Hub, team: Team, question: dict[str, Any]) -> dict[str, Any]:
    assert team.scenario is not None
    item = team.scenario.quiz[question["item"]]
    return next(o for o in question["options"] if item.options[o["index"]].correct)


def answer_mine(hub: Hub, team: Team, phone: Client, right: bool = True) -> int:
    """Answer every question this phone is shown; returns how many."""
    n = 0
    while (quiz := view(phone)["quiz"]) is not None and quiz["question"] is not None:
        q = quiz["question"]
        option = (
            right_option(hub, team, q)
            if right
            else next(o for o in q["options"] if o != right_option(hub, team, q))
        )
        reply = send(
            hub, phone, t="quiz", aid=f"a{n}", item=q["item"], option=option["index"], phase=quiz["phase"]
        )
        assert reply["ok"], reply
        n += 1
    return n


def test_each_phone_answers_its_own_questions(store: Store, clock: ManualClock) -> None:
    hub, team, phones, org = started(store, clock)
    assert team.session is not None and team.session.state.status == "quiz"
    first = view(phones["张三"])
    assert first["quiz"]["phase"] == "pre" and first["quiz"]["question"]["number"] == 1
    assert first["play"]["roles"][0]["status"] == "quiz" and not first["play"]["roles"][0]["choices"]
    # every phone its own order; the indices are the scenario's own
    orders = {name: view(p)["quiz"]["question"]["item"] for name, p in phones.items()}
    assert all(item in team.scenario.quiz for item in orders.values())  # type: ignore[union-attr]
    assert answer_mine(hub, team, phones["张三"], right=False) == 5
    mine = view(phones["张三"])["quiz"]
    assert mine["question"] is None and mine["waiting"] == "你已答完，等待 李四、王五 答题……"
    dash = org.listener.latest[f"team:{team.row.id}"]["team"]  # type: ignore[attr-defined]
    assert dash["quiz"]["line"] == "赛前知识小测：1/3 人已答完"
    assert [p["done"] for p in dash["quiz"]["players"]] == [5, 0, 0]
    answer_mine(hub, team, phones["李四"])
    answer_mine(hub, team, phones["王五"])
    assert team.session.state.status == "active" and view(phones["王五"])["quiz"] is None
    answers = [e for e in store.events(team.session.id) if e.kind == "quiz_answered"]
    assert {e.data["player"]: e.role for e in answers} == {
        "张三": "lida",
        "李四": "wanghuiwu",
        "王五": "lihanjun",
    }
    assert {e.data["player"] for e in answers if not e.data["correct"]} == {"张三"}


def test_nobody_answers_for_another_and_a_resent_answer_counts_once(store: Store, clock: ManualClock) -> None:
    hub, team, phones, _ = started(store, clock)
    q = view(phones["李四"])["quiz"]["question"]
    one = dict(t="quiz", aid="x1", item=q["item"], option=q["options"][0]["index"], phase="pre")
    assert send(hub, phones["李四"], **one)["ok"]
    again = send(hub, phones["李四"], **one)
    assert again["ok"] and again["dup"]  # a retry after a lost reply: answered, not twice
    late = Client(Inbox())
    assert send(hub, late, t="join", code=team.row.code, name="赵六")["t"] == "joined"
    assert view(late)["quiz"]["question"] is None and "正在各自的手机上答题" in view(late)["quiz"]["waiting"]
    refused = send(hub, late, t="quiz", aid="y1", item=q["item"], option=0, phase="pre")
    assert refused["ok"] is False and refused["code"] == "not_a_player"
    stale = send(hub, phones["张三"], t="quiz", aid="z1", item=q["item"], option=0, phase="post")
    assert stale["ok"] is False and "赛后知识小测已经结束" in stale["error"]
    assert team.session is not None
    assert [e.data["player"] for e in store.events(team.session.id) if e.kind == "quiz_answered"] == ["李四"]


def test_the_organizer_skips_and_the_check_after_the_ending_shows_the_key(
    store: Store, clock: ManualClock
) -> None:
    hub, team, phones, org = started(store, clock)
    answer_mine(hub, team, phones["张三"])
    assert send(hub, org, t="org", op="skip_quiz", team=team.row.id, aid="k1")["ok"]
    assert team.session is not None and team.session.state.status == "active"
    assert send(hub, org, t="org", op="skip_quiz", team=team.row.id, aid="k2")["ok"] is False
    n = 0
    for _ in range(20):  # play on: every phone takes its first choice that is not a trap
        if team.session.state.over:
            break
        for p in phones.values():
            for role in view(p)["play"]["roles"]:
                if role["status"] == "active":
                    node = team.scenario.node(role["task"], role["node"])  # type: ignore[union-attr]
                    choice = next(c for c in role["choices"] if node.choices[c["index"]].trap is None)
                    n += 1
                    send(
                        hub,
                        p,
                        t="act",
                        aid=f"p{n}",
                        role=role["id"],
                        choice=choice["index"],
                        node=role["node"],
                    )
                    clock.advance(5)
    assert team.session.state.quiz == "post" and view(phones["李四"])["quiz"]["phase"] == "post"
    for p in phones.values():
        answer_mine(hub, team, p)
    key = view(phones["张三"])["quiz_key"]
    assert key["mine"] == "张三：赛前 5/5 → 赛后 5/5" and all(k["mine"] is True for k in key["items"])
    assert view(phones["李四"])["quiz_key"]["mine"] == "李四：赛前 未答 → 赛后 5/5"


def test_a_host_restarted_mid_check_carries_on(tmp_path: Path, clock: ManualClock) -> None:
    store = Store(tmp_path / "h.db")
    hub, _, phones, _ = started(store, clock)
    q = view(phones["王五"])["quiz"]["question"]
    send(
        hub, phones["王五"], t="quiz", aid="w1", item=q["item"], option=q["options"][0]["index"], phase="pre"
    )
    store.close()
    store = Store(tmp_path / "h.db")
    again = Hub(store, BASE, TUTORIAL, clock)
    (team2,) = again.teams.values()
    assert team2.session is not None and team2.session.state.status == "quiz"
    seat = next(s for s in team2.seats.values() if s.name == "王五")
    shown = again.view(team2, seat)["quiz"]
    assert shown["answered"] == 1 and shown["question"]["item"] != q["item"]
    store.close()
