"""Drive the web host's hub directly, as the server would: a listener that keeps each
connection's latest pushes, and helpers to send messages (shared by the web tests)."""

from __future__ import annotations

import json
from typing import Any

from engine.web import messages as m
from engine.web.hub import Client, Hub


class Inbox:
    """A Listener that keeps the latest text per key, like the server's outbox."""

    def __init__(self) -> None:
        self.latest: dict[str, dict[str, Any]] = {}

    def push(self, key: str, text: str) -> None:
        self.latest[key] = json.loads(text)


def send(hub: Hub, client: Client, **msg: Any) -> dict[str, Any]:
    reply = hub.handle(client, m.parse(json.dumps(msg)))
    assert reply is not None
    return reply


def act_first(hub: Hub, client: Client, role: dict[str, Any], aid: str) -> dict[str, Any]:
    """Take the first choice the phone's view of ``role`` offers."""
    return send(
        hub, client, t="act", aid=aid, role=role["id"], choice=role["choices"][0]["index"], node=role["node"]
    )
