"""A lean asyncio HTTP/1.1 client for the benchmarks' simulated students.

One keep-alive connection and its own cookies per client, like a browser tab; no redirects
followed, no TLS, no proxies. A general client (httpx) spent about 1.3 ms of CPU a request
here, as much as the server it was measuring on the same two cores; this one spends a small
fraction of that, so the figures are the server's. Bodies must carry a Content-Length or be
chunked; every read is bounded by the timeout and by MAX_BODY.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

MAX_BODY = 64 * 1024 * 1024  # the records download is the largest answer
MAX_HEADER_LINES = 200


class HTTPError(Exception):
    """The connection failed, timed out or answered something that is not HTTP/1.1."""


@dataclass
class Response:
    status_code: int
    headers: dict[str, str]  # names lowercased; a repeated header keeps its last value
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class LeanClient:
    """`await client.request("POST", "/choose", data={...})` on one kept-alive connection."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, url: str, data: dict | None = None, headers: dict | None = None
    ) -> Response:
        try:
            return await asyncio.wait_for(self._request(method, url, data, headers), self.timeout)
        except TimeoutError as e:  # before OSError, its base class
            await self.aclose()
            raise HTTPError(f"{method} {url}: no answer in {self.timeout:g} s") from e
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            await self.aclose()
            raise HTTPError(f"{method} {url}: {type(e).__name__}: {e}") from e

    async def get(self, url: str) -> Response:
        return await self.request("GET", url)

    async def _request(
        self, method: str, url: str, data: dict | None, headers: dict | None = None
    ) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        path = url if url.startswith("/") else urlsplit(url).path or "/"
        body = urlencode(data).encode() if data is not None else b""
        lines = [f"{method} {self.prefix}{path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        response = await self._read(method)
        if response.headers.get("connection", "").lower() == "close":
            await self.aclose()
        return response

    async def _read(self, method: str) -> Response:
        reader = self.reader
        assert reader is not None
        status_line = (await reader.readuntil(b"\r\n")).decode("latin-1")
        version, _, rest = status_line.partition(" ")
        if not version.startswith("HTTP/1."):
            raise ValueError(f"not an HTTP/1 answer: {status_line[:40]!r}")
        status = int(rest[:3])
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADER_LINES):
            line = (await reader.readuntil(b"\r\n")).decode("latin-1")
            if line == "\r\n":
                break
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = value
            if name == "set-cookie":
                self._keep_cookie(value)
        else:
            raise ValueError("too many header lines")
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return Response(status, headers, b"")
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return Response(status, headers, await self._chunks())
        length = int(headers.get("content-length", "-1"))
        if not 0 <= length <= MAX_BODY:
            raise ValueError(f"a body of {length} bytes (a Content-Length is needed)")
        return Response(status, headers, await reader.readexactly(length))

    async def _chunks(self) -> bytes:
        reader = self.reader
        assert reader is not None
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers are sent to us
                return bytes(body)
            if len(body) + size > MAX_BODY:
                raise ValueError("a chunked body over the limit")
            body += await reader.readexactly(size)
            await reader.readexactly(2)

    def _keep_cookie(self, value: str) -> None:
        pair, _, attributes = value.partition(";")
        name, _, cookie = pair.strip().partition("=")
        expired = "max-age=0" in attributes.lower().replace(" ", "")
        if expired or not cookie.strip('"'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = cookie

    async def aclose(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
