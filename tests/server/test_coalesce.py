"""The server's connections send what is written within one turn of the event loop as one
write (uvicorn writes a response's head and its body separately: two TCP segments a page, and
the browser's side woke for each; with one, 300 students in a closed loop made 639-738 choices
a second against 573-593, docs/performance.md). Nothing may be lost or reordered: what is
waiting goes out before the connection closes, and an abort drops it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from engine.server.coalesce import CoalescingTransport


class Socketish:
    """A transport that keeps what was written, one entry a write (a real object, not a mock:
    the asyncio transport interface the wrapper is given)."""

    def __init__(self):
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def write_eof(self) -> None:
        self.writes.append(b"<eof>")

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default=None):
        return {"peername": ("127.0.0.1", 5555)}.get(name, default)


def run_apart(coroutine):
    """On a loop of its own in a thread of its own (Playwright may run one in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_writes_in_one_turn_go_out_as_one_in_order():
    async def scenario():
        inner = Socketish()
        outer = CoalescingTransport(inner, asyncio.get_running_loop())
        outer.write(b"HTTP/1.1 200 OK\r\n\r\n")
        outer.write(b"<p>page</p>")
        waiting = list(inner.writes)
        size = outer.get_write_buffer_size()
        await asyncio.sleep(0)  # the end of the loop's turn
        outer.write(b"next")
        outer.writelines([b" response", b"!"])
        await asyncio.sleep(0)
        return waiting, size, inner.writes

    waiting, size, writes = run_apart(scenario())
    assert waiting == [] and size == 30
    assert writes == [b"HTTP/1.1 200 OK\r\n\r\n<p>page</p>", b"next response!"]


def test_closing_sends_what_is_waiting_first_and_an_abort_drops_it():
    async def scenario():
        loop = asyncio.get_running_loop()
        closing, aborting, eof = Socketish(), Socketish(), Socketish()
        first = CoalescingTransport(closing, loop)
        first.write(b"last page")
        first.close()
        second = CoalescingTransport(aborting, loop)
        second.write(b"never")
        second.abort()
        third = CoalescingTransport(eof, loop)
        third.write(b"end")
        third.write_eof()
        await asyncio.sleep(0)  # nothing more goes out after the close or the abort
        return closing, aborting, eof

    closing, aborting, eof = run_apart(scenario())
    assert closing.writes == [b"last page"] and closing.closed
    assert aborting.writes == [] and aborting.aborted
    assert eof.writes == [b"end", b"<eof>"]


def test_a_connection_gone_before_the_turn_ends_gets_nothing_and_the_rest_is_the_transports():
    async def scenario():
        inner = Socketish()
        outer = CoalescingTransport(inner, asyncio.get_running_loop())
        outer.write(b"late")
        inner.close()  # the other side went away meanwhile
        await asyncio.sleep(0)
        return inner, outer.get_extra_info("peername"), outer.is_closing()

    inner, peer, closing = run_apart(scenario())
    assert inner.writes == [] and peer == ("127.0.0.1", 5555) and closing


def test_uvicorns_protocol_sends_a_whole_response_in_one_write_as_it_completes():
    """Through the server's real protocol (uvicorn's, wrapped) and a real Starlette app: the
    head and the body of each response go out in one write, sent when the response completes
    (not a turn of the event loop later), and a second request on the connection too."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route
    from uvicorn.server import ServerState

    from engine.server.coalesce import CoalescingHTTP
    from engine.server.launch import server_config

    async def page(_request):
        return HTMLResponse("<p>" + "x" * 3000 + "</p>")

    async def scenario():
        config = server_config(Starlette(routes=[Route("/", page)]))
        config.load()
        state = ServerState()
        inner = Socketish()
        protocol = CoalescingHTTP(config=config, server_state=state, app_state={})
        protocol.connection_made(inner)
        seen_at_completion = []
        complete = protocol.on_response_complete

        def on_complete():
            complete()
            seen_at_completion.append(len(inner.writes))  # before any later turn of the loop

        protocol.on_response_complete = on_complete
        for number in (1, 2):
            protocol.data_received(b"GET / HTTP/1.1\r\nHost: class\r\n\r\n")
            for _ in range(200):
                if state.total_requests == number:
                    break
                await asyncio.sleep(0.005)
        protocol.connection_lost(None)
        return inner.writes, seen_at_completion

    writes, seen_at_completion = run_apart(scenario())
    assert len(writes) == 2 and seen_at_completion == [1, 2]
    for response in writes:
        assert response.startswith(b"HTTP/1.1 200 OK\r\n") and response.endswith(b"x</p>")
