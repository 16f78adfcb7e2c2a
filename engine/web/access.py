"""Who may reach the host, and how often: secrets, join codes, per-address limits, origins.

- Join codes and the organizer's secret avoid look-alike characters (0/O, 1/I/L) so they can be
  typed from a projector at the back of a room. A code has about 25 bits: guessing is bounded
  per *address* (:class:`AddressLimits`), not per connection, since reconnecting is free.
- A phone's token is a random secret; only its SHA-256 is stored, so one leaked row cannot be
  replayed and a restart keeps every phone's token valid.
- A browser page on another site (or a DNS name rebound to this laptop) must not drive the
  WebSocket: :func:`origin_allowed` accepts a Host that is an IP address, ``localhost`` or the
  host's own public name, and an Origin (when sent) naming that same host.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass(frozen=True)
class Limit:
    """A token bucket: ``burst`` at once, then one every ``every`` seconds."""

    burst: int
    every: float


# Wrong join codes or secrets from one address (also /j/ and /qr/ with unknown codes): a typo or
# two is nothing; 2^25 codes at one guess per 3 s is years.
GUESSES = Limit(burst=20, every=3.0)
# Seats taken from one address: a whole team at once, then one every few seconds (phones behind
# one NAT still get in; one attacker cannot fill every team in a moment).
JOINS = Limit(burst=12, every=5.0)
MAX_ADDRESSES = 4096  # buckets kept; the oldest are forgotten (their owners start afresh)


@dataclass
class AddressLimits:
    """Per-address token buckets for one kind of attempt. Time comes from the caller's clock."""

    limit: Limit
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allowed(self, address: str, now: float) -> bool:
        """May ``address`` try now? (Does not take a token: see :meth:`spend`.)"""
        bucket = self.buckets.get(address)
        return bucket is None or self._refill(bucket, now) >= 1

    def spend(self, address: str, now: float) -> None:
        bucket = self.buckets.get(address)
        if bucket is None:
            if len(self.buckets) >= MAX_ADDRESSES:
                del self.buckets[next(iter(self.buckets))]
            bucket = self.buckets[address] = _Bucket(float(self.limit.burst), now)
        self._refill(bucket, now)
        bucket.tokens = max(0.0, bucket.tokens - 1)

    def wait(self, address: str, now: float) -> int:
        """Whole seconds until ``address`` may try again (0: now)."""
        bucket = self.buckets.get(address)
        if bucket is None:
            return 0
        missing = 1 - self._refill(bucket, now)
        return max(0, int(missing * self.limit.every + 0.999))

    def _refill(self, bucket: _Bucket, now: float) -> float:
        elapsed = max(0.0, now - bucket.at)
        bucket.tokens = min(float(self.limit.burst), bucket.tokens + elapsed / self.limit.every)
        bucket.at = now
        return bucket.tokens


def _hostname(netloc: str) -> str:
    return urlsplit(f"//{netloc}").hostname or ""


def origin_allowed(host_header: str, origin: str | None, public_host: str) -> bool:
    """May a WebSocket opened with these headers talk to the host?

    Host must name this machine in a way no other site can: an IP literal, ``localhost``, or the
    name the host was started with (``--public-host``); a browser always sends Origin, and it
    must be this same host (an app or script sends none)."""
    name = _hostname(host_header).lower()
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        if name not in ("localhost", _hostname(public_host).lower()):
            return False
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()
