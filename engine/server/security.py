"""The class server's defences: secrets and tokens, cookies, size limits and security headers.

A classroom network is not a trusted network. The teacher's pages need a cookie that only the
secret link (or the classroom's password) sets; each student's browser has its own random
session id; every form carries a token derived from the cookie it came with (CSRF), and every
cookie is HttpOnly and SameSite=Strict. Bodies over `MAX_BODY` bytes are refused before they
are read, and every response carries a Content-Security-Policy without inline script.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 16 * 1024  # every form the server takes is a few hundred bytes
BODY_SECONDS = 10.0  # to send a form's body: a phone on poor Wi-Fi needs well under a second
STUDENT_COOKIE = "bop_sid"
TEACHER_COOKIE = "bop_teacher"
PREFS_COOKIE = "bop_prefs"
COOKIE_AGE = 14 * 24 * 3600  # a fortnight: a class that meets twice a week keeps its place

HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


# As an ASGI response carries them (latin-1 bytes), made once instead of for every response.
RAW_HEADERS = tuple(
    (name.encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()
)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def sign(key: str, purpose: str, value: str) -> str:
    """A token for `value` that only the holder of `key` can make."""
    message = f"{purpose}\0{value}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def same(a: str | None, b: str) -> bool:
    """Compare a token in constant time."""
    return a is not None and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def cookie_options(max_age: int | None = COOKIE_AGE) -> dict:
    return {"httponly": True, "samesite": "strict", "path": "/", "max_age": max_age}


class Guard:
    """ASGI middleware: refuse bodies over `limit` bytes (whatever Content-Length says) or not
    sent whole within `body_seconds`, and add the security headers to every response."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, body_seconds: float = BODY_SECONDS):
        self.app = app
        self.limit = limit
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                declared = value
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            scope = dict(scope)
            scope["bop.too_large"] = True
        received = 0
        deadline: float | None = None

        async def limited() -> Message:
            nonlocal received, deadline
            if scope.get("bop.too_large"):
                raise HTTPException(413)
            now = anyio.current_time()
            if deadline is None:
                deadline = now + self.body_seconds
            message = None
            with anyio.move_on_after(max(0.0, deadline - now)):
                message = await receive()
            if message is None:  # a body sent a byte at a time holds a connection for ever
                raise HTTPException(408)
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413)
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _value in raw}
                raw.extend(pair for pair in RAW_HEADERS if pair[0] not in present)
                # Pages hold a player's place and tokens: never stored. The stylesheet and
                # scripts may be kept, and are checked again (a 304) on every use.
                if b"cache-control" not in present:
                    static = scope.get("path", "").startswith("/static/")
                    raw.append((b"cache-control", b"no-cache" if static else b"no-store"))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, limited, with_headers)


class Throttle:
    """Failed guesses (a teacher's password or link, a player's code) counted per client
    address: after `most` in `window` seconds, that address must wait. Memory is bounded: at
    most `addresses` are remembered, the oldest forgotten first."""

    def __init__(self, most: int = 10, window: float = 300.0, addresses: int = 10_000):
        self.most = most
        self.window = window
        self.addresses = addresses
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = [t for t in self._failures.get(client, ()) if now - t < self.window]
            if recent:
                self._failures[client] = recent
            else:
                self._failures.pop(client, None)
            return len(recent) >= self.most

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._failures.setdefault(client, []).append(now)
            del self._failures[client][: -self.most]
            while len(self._failures) > self.addresses:
                self._failures.pop(next(iter(self._failures)))
