"""The host's defences against idle and slow sockets, below the web app.

A classroom host may be one laptop with 256 file descriptors (macOS's default). Connections that
never send a request, or dribble its headers a byte at a time, used to stay open for ever, so a
few hundred of them locked every player out, and each failed ``accept`` was logged again and
again. Here:

- **per-address cap**: one IP address may hold at most :data:`PER_ADDRESS` connections at once
  (a phone needs one WebSocket and a few page loads); beyond that a new connection is closed at
  once, before it costs anything but the accept;
- **request-head timeout**: an HTTP connection must deliver a complete request head within
  :data:`HEAD_TIMEOUT` seconds of opening, and again of each answered request (keep-alive);
  otherwise it is closed. WebSockets that never say who they are are closed by the server
  (:data:`engine.web.server.IDENTIFY_TIMEOUT`);
- **rate-limited logging**: the same message at most once per :data:`LOG_INTERVAL` seconds,
  then once more with the count of repeats held back;
- the soft file-descriptor limit is raised to the hard one where the system allows.

:class:`GuardedH11` is uvicorn's h11 protocol with the two checks added; the per-address count
is kept on the transports themselves (a transport that is closing no longer counts), so it is
right whether a connection ends as HTTP or as a WebSocket.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

PER_ADDRESS = 24
HEAD_TIMEOUT = 10.0
LOG_INTERVAL = 10.0
WANTED_FDS = 4096


class ConnectionGuard:
    """Open connections per peer address, counted from their live transports."""

    def __init__(self, per_address: int = PER_ADDRESS, proxies: frozenset[str] = frozenset()) -> None:
        self.per_address = per_address
        # a reverse proxy in front of the host carries every phone's connections: it is not
        # capped here (it limits its clients itself; the app sees each phone's own address)
        self.proxies = proxies
        self.open: dict[str, list[asyncio.BaseTransport]] = {}
        self.refused = 0

    def admit(self, address: str, transport: asyncio.BaseTransport) -> bool:
        if address in self.proxies:
            return True
        live = [t for t in self.open.get(address, ()) if not t.is_closing()]
        if len(live) >= self.per_address:
            self.open[address] = live
            self.refused += 1
            return False
        live.append(transport)
        self.open[address] = live
        return True

    def forget_closed(self) -> None:
        """Drop addresses whose connections all closed (keeps the table small over a long day)."""
        for address in [a for a, ts in self.open.items() if all(t.is_closing() for t in ts)]:
            del self.open[address]


def guarded_protocol(guard: ConnectionGuard, head_timeout: float | None = None) -> type[H11Protocol]:
    """uvicorn's h11 protocol class bound to ``guard`` (uvicorn builds one instance per connection)."""
    timeout = HEAD_TIMEOUT if head_timeout is None else head_timeout
    return type("GuardedH11", (GuardedH11,), {"guard": guard, "head_timeout": timeout})


class GuardedH11(H11Protocol):
    guard: ConnectionGuard
    head_timeout: float = HEAD_TIMEOUT
    _refused = False
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        if not self.guard.admit(address, transport):
            self._refused = True
            transport.abort()  # no response: the peer is holding too many already
            return
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self._disarm()
        super().connection_lost(exc)
        if len(self.guard.open) > 256:
            self.guard.forget_closed()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()  # waiting for the next request head on this keep-alive connection

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        transport = self.transport
        if transport.is_closing() or transport.get_protocol() is not self:
            return  # closed already, or upgraded to a WebSocket (the server watches those)
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered; the timer restarts when it is
        transport.close()


class RateLimitedLog(logging.Filter):
    """Each distinct message at most once per ``interval`` seconds; repeats are counted and the
    next one that passes says how many were held back."""

    def __init__(self, interval: float = LOG_INTERVAL) -> None:
        super().__init__()
        self.interval = interval
        self.seen: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = f"{record.name}:{record.getMessage().partition(chr(10))[0][:200]}"
        now = time.monotonic()
        last, held = self.seen.get(key, (-self.interval, 0))
        if now - last < self.interval:
            self.seen[key] = (last, held + 1)
            return False
        if len(self.seen) > 1000:
            self.seen.clear()
        self.seen[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} [{held} more like this in the last {self.interval:.0f} s]"
        return True


_LOGGERS = ("asyncio", "uvicorn", "uvicorn.error", "websockets", "websockets.server")


def limit_logging(interval: float = LOG_INTERVAL) -> None:
    """Install one :class:`RateLimitedLog` on the loggers a flood of sockets writes to."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitedLog) for f in logger.filters):
            logger.addFilter(RateLimitedLog(interval))


def raise_fd_limit(wanted: int = WANTED_FDS) -> tuple[int, int] | None:
    """Raise the soft file-descriptor limit towards ``wanted`` (never past the hard limit).

    Returns (old, new) soft limits, or None where there is no such limit (Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft, soft
        return soft, target
    return soft, soft


def peer_address(scope_client: Any) -> str:
    """The IP address of an ASGI scope's ``client`` (host, port), or "" if unknown."""
    if isinstance(scope_client, (tuple, list)) and scope_client:
        return str(scope_client[0])
    host = getattr(scope_client, "host", None)
    return str(host) if host else ""
