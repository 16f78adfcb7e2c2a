"""The multi-phone host: the hub's rules of access, privacy, idempotency and restart, then the real
server on 127.0.0.1 over HTTP and WebSocket."""

from __future__ import annotations

import asyncio
import json
import random
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from engine.format.scenario import Scenario
from engine.rules.state import fold
from engine.session.clock import ManualClock
from engine.store.db import Store
from engine.tools.bots import pick_choice
from engine.web import messages as m
from engine.web.hub import Client, Hub, Team, TooManyTries
from engine.web.runner import _link, qr_matrix, start_host

BASE = "http://127.0.0.1:9"
TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.yaml"


class Inbox:
    """A Listener that keeps the latest text per key, like the server's outbox."""

    def __init__(self) -> None:
        self.latest: dict[str, dict[str, Any]] = {}
        self.texts: list[str] = []

    def push(self, key: str, text: str) -> None:
        self.texts.append(text)
        self.latest[key] = json.loads(text)


def send(hub: Hub, client: Client, **msg: Any) -> dict[str, Any]:
    reply = hub.handle(client, m.parse(json.dumps(msg)))
    assert reply is not None
    return reply


def phone(hub: Hub) -> Client:
    return Client(Inbox())


def make_hub(store: Store, clock: ManualClock) -> tuple[Hub, Team]:
    hub = Hub(store, BASE, TUTORIAL, clock)
    return hub, hub.new_team("红队")


def joined_team(
    store: Store, clock: ManualClock
) -> tuple[Hub, Team, dict[str, Client], dict[str, str], Client]:
    """A started tutorial team: one phone per role (picked), plus the organizer."""
    hub, team = make_hub(store, clock)
    phones: dict[str, Client] = {}
    tokens: dict[str, str] = {}
    for role, name in (("lida", "张三"), ("wanghuiwu", "李四"), ("lihanjun", "王五")):
        phones[role] = phone(hub)
        reply = send(hub, phones[role], t="join", code=team.row.code.lower(), name=name, role=role)
        assert reply["t"] == "joined", reply
        tokens[role] = reply["token"]
    org = phone(hub)
    assert send(hub, org, t="host", secret=hub.secret)["t"] == "dash"
    assert send(hub, org, t="org", op="start", team=team.row.id, aid="s1", quiz="skip")["ok"]
    return hub, team, phones, tokens, org


def latest_view(client: Client) -> dict[str, Any]:
    inbox = client.listener
    assert isinstance(inbox, Inbox)
    return inbox.latest["view"]


def my_role(client: Client) -> dict[str, Any]:
    play = latest_view(client)["play"]
    assert play is not None and len(play["roles"]) == 1
    return play["roles"][0]


# --- hub -------------------------------------------------------------------------------------


def test_join_pick_and_start_assign_the_picked_roles(store: Store, clock: ManualClock) -> None:
    _, team, phones, _, _ = joined_team(store, clock)
    assert team.session is not None
    assert team.session.state.players == {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
    assert {r: my_role(c)["id"] for r, c in phones.items()} == {r: r for r in phones}
    assert my_role(phones["lida"])["status"] == "active"
    assert my_role(phones["lihanjun"])["status"] == "waiting"
    assert "李达 完成《致信各地》" in my_role(phones["lihanjun"])["wait"]["sentence"]


def test_a_trap_reaches_every_phone_and_the_room(
    store: Store, clock: ManualClock, tutorial: Scenario
) -> None:
    hub, team, phones, _, org = joined_team(store, clock)
    lida = my_role(phones["lida"])
    trap = next(
        c["index"] for c in lida["choices"] if tutorial.choice("send_letters", lida["node"], c["index"]).trap
    )
    assert send(hub, phones["lida"], t="act", aid="t1", role="lida", choice=trap, node=lida["node"])["ok"]
    title = tutorial.choice("send_letters", lida["node"], trap).trap.title  # type: ignore[union-attr]
    for role, client in phones.items():  # the whole team reads the history, not only 李达
        traps = [n for n in latest_view(client)["play"]["notes"] if n["kind"] == "trap"]
        assert [(n["role"], n["title"], n["body_label"]) for n in traps] == [("lida", title, "历史讲解")], (
            role
        )
        assert traps[0]["body"] and traps[0]["source"]
    # the projector: the dashboard's summary and the desktop host's board carry it too
    room = org.listener.latest[f"team:{team.row.id}"]["team"]["team"]  # type: ignore[attr-defined]
    assert [(n["title"], n["role"]) for n in room["trap_notes"]] == [(title, "lida")]
    assert room["meters"] == [] and room["rank_key"][0] == -room["score"]
    board = _link(hub, team).board
    assert board is not None and [n.title for n in board.traps] == [title]


def test_lobby_refuses_a_taken_role_and_a_taken_name(store: Store, clock: ManualClock) -> None:
    hub, team = make_hub(store, clock)
    a, b = phone(hub), phone(hub)
    assert send(hub, a, t="join", code=team.row.code, name="张三", role="lida")["t"] == "joined"
    assert send(hub, b, t="join", code=team.row.code, name="李四", role="lida")["code"] == "role_taken"
    assert send(hub, b, t="join", code=team.row.code, name=" 张三 ", role="")["code"] == "name_taken"
    assert send(hub, b, t="join", code=team.row.code, name="李四")["t"] == "joined"
    assert send(hub, b, t="pick", role="lida")["code"] == "role_taken"
    assert send(hub, b, t="pick", role="lihanjun")["me"]["pick"] == "lihanjun"
    # A's phone was told about B's pick without asking.
    assert latest_view(a)["lobby"]["roles"][2]["taken"] == "李四"


def test_fewer_players_than_roles_share_them_out(store: Store, clock: ManualClock) -> None:
    hub, team = make_hub(store, clock)
    a, b = phone(hub), phone(hub)
    send(hub, a, t="join", code=team.row.code, name="甲", role="lihanjun")
    send(hub, b, t="join", code=team.row.code, name="乙")
    org = phone(hub)
    send(hub, org, t="host", secret=hub.secret)
    assert send(hub, org, t="org", op="start", team=team.row.id, quiz="skip")["ok"]
    roles_a = [r["id"] for r in latest_view(a)["play"]["roles"]]
    roles_b = [r["id"] for r in latest_view(b)["play"]["roles"]]
    assert "lihanjun" in roles_a
    assert sorted(roles_a + roles_b) == sorted(["lida", "wanghuiwu", "lihanjun"])
    assert roles_b


def test_a_phone_never_receives_another_roles_text_or_choices(
    store: Store, clock: ManualClock, tutorial: Scenario
) -> None:
    _, _, phones, _, _ = joined_team(store, clock)
    for role, client in phones.items():
        texts = "\n".join(client.listener.texts)  # type: ignore[attr-defined]
        for other in tutorial.roles:
            if other == role:
                continue
            assert tutorial.roles[other].brief.strip() not in texts
            for task in tutorial.role_tasks[other]:
                for node in tutorial.tasks[task].nodes:
                    assert node.text.strip() not in texts
                    for choice in node.choices:
                        assert json.dumps(choice.text, ensure_ascii=False) not in texts


def test_an_action_for_another_role_is_refused_and_changes_nothing(store: Store, clock: ManualClock) -> None:
    hub, team, phones, _, _ = joined_team(store, clock)
    assert team.session is not None
    before = len(store.events(team.session.id))
    reply = send(hub, phones["wanghuiwu"], t="act", aid="x1", role="lida", choice=0, node="start")
    assert reply == {
        "t": "ack",
        "aid": "x1",
        "ok": False,
        "code": "not_your_role",
        "error": "这不是你的角色，不能替别人行动",
    }
    assert len(store.events(team.session.id)) == before


def test_repeated_and_stale_actions_are_rejected_idempotently(store: Store, clock: ManualClock) -> None:
    hub, team, phones, _, _ = joined_team(store, clock)
    assert team.session is not None
    lida = phones["lida"]
    first = send(hub, lida, t="act", aid="a1", role="lida", choice=0, node="start")
    assert first["ok"] is True
    count = len(store.events(team.session.id))
    again = send(hub, lida, t="act", aid="a1", role="lida", choice=0, node="start")
    assert again == {**first, "dup": True}
    stale = send(hub, lida, t="act", aid="a2", role="lida", choice=0, node="start")
    assert stale["ok"] is False and stale["code"] == "rule"
    assert len(store.events(team.session.id)) == count


def test_a_late_phone_watches_and_the_organizer_pauses(store: Store, clock: ManualClock) -> None:
    hub, team, phones, _, org = joined_team(store, clock)
    late = phone(hub)
    assert send(hub, late, t="join", code=team.row.code, name="赵六", role="lida")["t"] == "joined"
    watching = latest_view(late)
    assert watching["phase"] == "play" and watching["play"]["roles"] == []
    assert send(hub, late, t="act", aid="w1", role="lida", choice=0, node="start")["code"] == "not_your_role"
    assert send(hub, org, t="org", op="pause", team=team.row.id, aid="p1")["ok"]
    paused = send(hub, phones["lida"], t="act", aid="l1", role="lida", choice=0, node="start")
    assert paused["ok"] is False and "暂停" in paused["error"]
    assert send(hub, org, t="org", op="unpause", team=team.row.id, aid="p2")["ok"]
    assert send(hub, phones["lida"], t="act", aid="l2", role="lida", choice=0, node="start")["ok"]
    assert send(hub, org, t="org", op="hint", team=team.row.id, role="wanghuiwu", aid="h1")["ok"]
    notes = latest_view(phones["wanghuiwu"])["play"]["notes"]
    assert notes[-1]["kind"] == "hint" and "学校" in notes[-1]["body"]
    assert all(n["kind"] != "hint" for n in latest_view(phones["lida"])["play"]["notes"])


def test_organizer_controls_need_the_secret(store: Store, clock: ManualClock) -> None:
    hub, team = make_hub(store, clock)
    intruder = phone(hub)
    assert send(hub, intruder, t="org", op="start", team=team.row.id, aid="z")["code"] == "not_organizer"
    assert send(hub, intruder, t="host", secret="WRONGWRONG")["code"] == "bad_secret"
    assert intruder not in hub.dashboards


def test_guessing_join_codes_gets_the_connection_dropped(store: Store, clock: ManualClock) -> None:
    hub, _ = make_hub(store, clock)
    guesser = phone(hub)
    with pytest.raises(TooManyTries):
        for i in range(100):
            send(hub, guesser, t="peek", code=f"ZZZ{i:02d}")


def test_host_restart_resumes_sessions_and_keeps_tokens(tmp_path: Path, clock: ManualClock) -> None:
    db = tmp_path / "host.db"
    store = Store(db)
    hub, team, phones, tokens, _ = joined_team(store, clock)
    send(hub, phones["lida"], t="act", aid="a1", role="lida", choice=0, node="start")
    send(hub, phones["wanghuiwu"], t="act", aid="b1", role="wanghuiwu", choice=0, node="start")
    secret, code = hub.secret, team.row.code
    before = {r: my_role(c) for r, c in phones.items()}
    store.close()

    store2 = Store(db)
    hub2 = Hub(store2, BASE, TUTORIAL, clock)
    assert hub2.secret == secret
    team2 = hub2.by_code[code]
    assert team2.session is not None and team2.session.events[-1].kind == "session_resumed"
    for role, token in tokens.items():
        client = phone(hub2)
        view = send(hub2, client, t="hello", token=token)
        after = view["play"]["roles"][0]
        assert (after["id"], after["status"], after["node"]) == (
            role,
            before[role]["status"],
            before[role]["node"],
        )
    assert send(hub2, phone(hub2), t="hello", token="x" * 32)["code"] == "bad_token"
    store2.close()


def _play_through(hub: Hub, team: Team, phones: dict[str, Client], seed: int) -> int:
    """Every phone acts on its own latest view (careful bots) until the session ends."""
    assert team.session is not None
    rng = random.Random(seed)
    clock = hub.clock
    assert isinstance(clock, ManualClock)
    actions = 0
    while not team.session.state.over:
        ready = [(r, c) for r, c in phones.items() if my_role(c)["status"] == "active"]
        if not ready:
            clock.advance(30)  # only lock-outs left: wait them out
            for c in phones.values():
                c.listener.latest["view"] = send(hub, c, t="sync")  # type: ignore[attr-defined]
            continue
        role, client = rng.choice(ready)
        view = my_role(client)
        choice = pick_choice(team.session.scenario, team.session.state, role, "careful", rng)
        reply = send(hub, client, t="act", aid=f"a{actions}", role=role, choice=choice, node=view["node"])
        assert reply["ok"], reply
        clock.advance(rng.uniform(1, 5))
        actions += 1
    return actions


def test_a_whole_session_through_the_hub_matches_the_store(store: Store, clock: ManualClock) -> None:
    hub, team, phones, _, org = joined_team(store, clock)
    actions = _play_through(hub, team, phones, seed=3)
    assert team.session is not None
    stored = store.events(team.session.id)
    assert stored == team.session.events
    assert fold(stored).status == "ended"
    assert sum(e.kind == "choice_made" for e in stored) == actions
    final = latest_view(phones["lida"])
    assert final["phase"] == "over" and final["play"]["results"]["score"] == team.session.state.score
    dash = org.listener.latest[f"team:{team.row.id}"]  # type: ignore[attr-defined]
    assert dash["team"]["team"]["ending"]["title"]


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        json.dumps({"t": "act", "aid": "a", "role": "lida", "choice": "0", "node": "start"}),
        json.dumps({"t": "act", "aid": "a", "role": "lida", "choice": 99, "node": "start"}),
        json.dumps({"t": "join", "code": "ABCDE", "name": "张\u0000三"}),
        json.dumps({"t": "join", "code": "ABCDE", "name": "   "}),
        json.dumps({"t": "join", "code": "../../etc", "name": "x"}),
        json.dumps({"t": "hello", "token": "short"}),
        json.dumps({"t": "sync", "extra": 1}),
        json.dumps({"t": "join", "code": "ABCDE", "name": "x" * 5000}),
    ],
)
def test_malformed_frames_are_refused(frame: str) -> None:
    with pytest.raises(m.BadMessage):
        m.parse(frame)


def test_qr_matrix_is_square() -> None:
    matrix = qr_matrix("http://192.168.1.20:8765/j/ABCDE")
    assert len(matrix) == len(matrix[0]) > 21


# --- the real server on 127.0.0.1 --------------------------------------------------------------


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


async def _ws_session(base: str, code: str) -> dict[str, Any]:
    from websockets.asyncio.client import connect

    url = base.replace("http://", "ws://") + "/ws"
    async with connect(url) as a, connect(url) as b:

        async def ask(ws: Any, msg: dict[str, Any], want: str) -> dict[str, Any]:
            await ws.send(json.dumps(msg))
            while True:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
                if reply["t"] in (want, "error") or (reply["t"] == "ack" and want == "ack"):
                    return reply

        joined = await ask(a, {"t": "join", "code": code, "name": "张三", "role": "lida"}, "joined")
        await ask(b, {"t": "join", "code": code, "name": "李四", "role": "wanghuiwu"}, "joined")
        bad = await ask(a, {"t": "nope"}, "error")
        return {"token": joined["token"], "bad": bad}


@pytest.mark.slow
def test_real_server_serves_pages_and_plays_over_websocket(tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    db = tmp_path / "live.db"
    handle = start_host(TUTORIAL, db, port=0, bind="127.0.0.1", teams=2)
    try:
        base = handle.base_url
        assert base.startswith("http://127.0.0.1:")
        links = handle.links()
        assert len(links) == 2 and links[0].url == f"{base}/j/{links[0].code}"
        status, headers, body = _get(f"{base}/j/{links[0].code}")
        assert status == 200 and "default-src 'self'" in headers["content-security-policy"]
        assert b"/static/phone.js" in body and b"http" not in body.replace(b"http-equiv", b"")
        assert _get(f"{base}/static/phone.js")[0] == 200
        assert _get(f"{base}/host")[0] == 200
        status, headers, body = _get(f"{base}/qr/{links[0].code}.svg")
        assert (
            status == 200 and body.startswith(b"<svg") and headers["content-type"].startswith("image/svg+xml")
        )
        assert _get(f"{base}/qr/ZZZZZ.svg")[0] == 404
        assert _get(f"{base}/static/../hub.py")[0] == 404

        out = asyncio.run(_ws_session(base, links[0].code))
        assert out["bad"]["code"] == "bad_message"
        token = out["token"]
        secret = handle.secret
    finally:
        handle.stop()

    # Restart on the same database: the phone's token still works, the organizer starts.
    handle = start_host(TUTORIAL, db, port=0, bind="127.0.0.1", teams=2)
    try:
        assert handle.secret == secret and len(handle.links()) == 2

        async def after_restart() -> tuple[dict[str, Any], dict[str, Any]]:
            url = handle.base_url.replace("http://", "ws://") + "/ws"
            async with connect(url) as ph, connect(url) as org:
                await ph.send(json.dumps({"t": "hello", "token": token}))
                lobby = json.loads(await asyncio.wait_for(ph.recv(), 5))
                await org.send(json.dumps({"t": "host", "secret": secret}))
                dash = json.loads(await asyncio.wait_for(org.recv(), 5))
                team_id = next(t["id"] for t in dash["teams"] if t["seats"])
                await org.send(
                    json.dumps({"t": "org", "op": "start", "team": team_id, "aid": "go", "quiz": "skip"})
                )
                while True:
                    view = json.loads(await asyncio.wait_for(ph.recv(), 5))
                    if view["t"] == "view" and view["phase"] == "play":
                        return lobby, view

        lobby, view = asyncio.run(after_restart())
        assert lobby["phase"] == "lobby" and lobby["me"] == {"name": "张三", "pick": "lida"}
        assert view["play"]["roles"][0]["id"] == "lida"  # plus, maybe, the unpicked role
    finally:
        handle.stop()


@pytest.mark.slow
def test_host_command_reports_a_busy_port_without_a_traceback(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        out = subprocess.run(
            [
                sys.executable,
                "play.py",
                "host",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "x.db"),
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 2
    assert "无法在 127.0.0.1" in out.stderr and "--port" in out.stderr and "Traceback" not in out.stderr
