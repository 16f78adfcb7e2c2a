"""HTTP and WebSocket front of the hub (Starlette, served by uvicorn).

Routes: ``/`` (enter a join code), ``/j/CODE`` (the phone page), ``/host`` (the organizer's
dashboard), ``/qr/CODE.svg`` (the team's join QR code), ``/static/*`` (CSS/JS shipped in this
package: nothing comes from the internet) and ``/ws`` (the game protocol, see
:mod:`engine.web.messages`). Pages, scripts and frames go out in the Chinese script the browser
chose (:mod:`engine.web.script`).

Each connection gets an :class:`Outbox`: the hub pushes text into it without awaiting, a writer
task sends it. Pushing a message with the key of one still unsent replaces it, so a slow phone
gets the newest view instead of a backlog, while acknowledgements (unique keys) are never lost.

``/ws`` refuses a browser page from another site (Origin/Host, see :mod:`engine.web.access`) and
closes a connection that has not shown a valid code, token or secret within
:data:`IDENTIFY_TIMEOUT` seconds. ``/j/`` and ``/qr/`` count unknown codes against the address,
like a wrong code over the WebSocket. Idle and slow sockets below all this: :mod:`engine.web.guard`.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from typing import Any

import segno
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from engine.present.i18n import Script
from engine.web import messages
from engine.web.guard import peer_address
from engine.web.hub import Client, Hub, Pending, TooManyTries
from engine.web.roster import HubRefusal
from engine.web.script import TEXT_FILES, chosen, static_text, traditional_frame

BURST = 30  # messages a connection may send at once ...
RATE = 10.0  # ... and per second after that
# seconds a WebSocket may stay without a valid code, token or secret (an organizer typing the
# secret takes a while; the page reconnects by itself and keeps what was typed)
IDENTIFY_TIMEOUT = 60.0
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'",
}


class Outbox:
    """Texts waiting to go out on one connection, keyed so newer views replace older ones;
    converted on the way out for a browser that shows Traditional Chinese."""

    def __init__(self, script: Script = "zh-Hans") -> None:
        self.traditional = script == "zh-Hant"
        self.pending: dict[str, str] = {}
        self.wake = asyncio.Event()
        self._n = 0

    def push(self, key: str, text: str) -> None:
        self.pending.pop(key, None)
        self.pending[key] = text
        self.wake.set()

    def send(self, payload: dict[str, Any]) -> None:
        self._n += 1
        self.push(f"#{self._n}", json.dumps(payload, ensure_ascii=False))

    async def run(self, ws: WebSocket) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            batch = list(self.pending.values())
            self.pending.clear()
            for text in batch:
                await ws.send_text(traditional_frame(text) if self.traditional else text)


class Bucket:
    """Token bucket: refuses a flood from one connection without punishing normal play."""

    def __init__(self) -> None:
        self.tokens = float(BURST)
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * RATE)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _text_file(name: str, request: Request) -> Response:
    """A page or its script/style, in the script the browser chose (its cookie: hence Vary)."""
    body = static_text(name, chosen(request.cookies))
    return Response(body, media_type=TEXT_FILES[name], headers={**HEADERS, "Vary": "Cookie"})


def qr_svg(url: str) -> str:
    """The join URL as an SVG QR code that scales to its box (medium error correction)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf, kind="svg", xmldecl=False, omitsize=True, border=2, dark="#000", light="#fff"
    )
    return buf.getvalue().decode("utf-8")


def _slow_down(no: HubRefusal) -> Response:
    return PlainTextResponse(no.text, status_code=429, headers={"Retry-After": "30", **HEADERS})


def build_app(hub: Hub, identify_timeout: float | None = None) -> Starlette:
    wait_for_identity = IDENTIFY_TIMEOUT if identify_timeout is None else identify_timeout

    async def landing(request: Request) -> Response:
        return _text_file("index.html", request)

    async def phone(request: Request) -> Response:
        try:  # the page itself is the same for every code; guessing through it still counts
            hub.lookup(peer_address(request.client), str(request.path_params["code"]))
        except HubRefusal as no:
            return _slow_down(no)
        return _text_file("phone.html", request)

    async def host(request: Request) -> Response:
        return _text_file("host.html", request)

    async def static(request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in TEXT_FILES:
            return PlainTextResponse("没有这个文件", status_code=404, headers=HEADERS)
        return _text_file(name, request)

    async def qr(request: Request) -> Response:
        try:
            team = hub.lookup(peer_address(request.client), str(request.path_params["code"]))
        except HubRefusal as no:
            return _slow_down(no)
        if team is None:
            return PlainTextResponse("没有这个队伍码", status_code=404)
        return Response(
            qr_svg(hub.join_url(team)), media_type="image/svg+xml", headers={"Cache-Control": "no-cache"}
        )

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def socket(ws: WebSocket) -> None:
        if not hub.origin_allowed(ws.headers.get("host", ""), ws.headers.get("origin")):
            await ws.close(code=1008)  # before accepting: the browser sees the handshake refused
            return
        await ws.accept()
        outbox = Outbox(chosen(ws.cookies))
        client = Client(outbox, address=peer_address(ws.client))
        bucket = Bucket()
        writer = asyncio.create_task(outbox.run(ws))
        deadline = time.monotonic() + wait_for_identity
        try:
            while True:
                if client.known:
                    frame = await ws.receive()
                else:
                    try:
                        frame = await asyncio.wait_for(ws.receive(), max(0.0, deadline - time.monotonic()))
                    except asyncio.TimeoutError:
                        await ws.close(code=1008)
                        break
                if frame["type"] == "websocket.disconnect":
                    break
                data = frame.get("text")
                if data is None:
                    data = (frame.get("bytes") or b"").decode("utf-8", errors="replace")
                if not bucket.take():
                    outbox.send({"t": "error", "code": "slow_down", "error": "操作太快了，请稍等"})
                    continue
                try:
                    msg = messages.parse(data)
                except messages.BadMessage as exc:
                    outbox.send({"t": "error", "code": "bad_message", "error": str(exc)})
                    continue
                reply = hub.handle(client, msg)
                if isinstance(reply, Pending):
                    # stored with other teams' steps in one commit; this connection's next frame
                    # waits for it, the other connections do not
                    reply = await hub.complete(reply)
                if reply is not None:
                    outbox.send(reply)
        except TooManyTries:
            await ws.close(code=1008)
        except WebSocketDisconnect:
            pass
        finally:
            hub.drop(client)
            writer.cancel()

    routes = [
        Route("/", landing),
        Route("/j/{code:str}", phone),
        Route("/host", host),
        Route("/qr/{code:str}.svg", qr),
        Route("/healthz", health),
        WebSocketRoute("/ws", socket),
        Route("/static/{name:str}", static),
    ]
    return Starlette(routes=routes)
