"""One TCP send for a response, not two: uvicorn writes a response's status line and headers,
then its body, each straight to the socket, so every page went out as two segments, and the
browser's side woke for each. `CoalescingHTTP` is uvicorn's protocol with the connection's
transport wrapped so that what is written for a response is sent in one write, when the response
is complete (or, for the parts of a long one, at the end of the event loop's turn)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.auto import AutoHTTPProtocol


class CoalescingTransport:
    """A transport whose writes within one turn of the event loop go out as one. Everything
    else is the wrapped transport's; closing sends what is waiting first."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._waiting: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._waiting:
            self._loop.call_soon(self._flush)
        self._waiting.append(data)

    def writelines(self, lines) -> None:
        for data in lines:
            self.write(data)

    def flush(self) -> None:
        """Send what is waiting now (a response complete: no need to wait for the turn's end)."""
        self._flush()

    def _flush(self) -> None:
        if self._waiting:
            data = b"".join(self._waiting) if len(self._waiting) > 1 else self._waiting[0]
            self._waiting = []
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._waiting = []
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._waiting))

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


class CoalescingHTTP(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol (httptools when installed, else h11, as its "auto") with its
    transport's writes coalesced."""

    def connection_made(self, transport, *args, **kwargs):  # noqa: ANN001
        loop = asyncio.get_running_loop()
        super().connection_made(CoalescingTransport(transport, loop), *args, **kwargs)

    def on_response_complete(self) -> None:
        """uvicorn calls this once a response's last part is written: it goes out at once, not
        at the end of the event loop's turn, which under load comes after other requests' work
        (the difference was within the benchmark's noise, but a response need not wait)."""
        self.transport.flush()
        super().on_response_complete()
