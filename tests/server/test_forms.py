"""The class server reads URL-encoded forms with the standard library's parser (faster than
python-multipart's, docs/performance.md): it must read every body as Starlette's form parser
does, so that nothing a browser or an attacker sends means something else to the server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers
from starlette.formparsers import FormParser

from engine.server.forms import BadForm, url_encoded_fields

MOST = 1000  # more than any body below has


def starlette_reads(body: bytes) -> list[tuple[str, str]]:
    async def stream():
        yield body
        yield b""

    async def parse():
        form = await FormParser(Headers(), stream(), max_fields=MOST).parse()
        return list(form.multi_items())

    with ThreadPoolExecutor(1) as pool:  # a loop of its own (Playwright may run one here)
        return pool.submit(asyncio.run, parse()).result()


PIECES = st.sampled_from(
    [b"a", b"choice", b"=", b"&", b"+", b"%", b"%2", b"%20", b"%26", b"%3D", b"%C3%A9", b"%E2",
     b"%ZZ", b"\xc3\xa9", b"\xff", b" ", b";", b"csrf", b"x" * 30]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.lists(PIECES, max_size=30).map(b"".join)))
def test_any_body_is_read_as_starlette_reads_it(body):
    assert url_encoded_fields(body, MOST) == starlette_reads(body)


@pytest.mark.parametrize(
    "body, fields",
    [
        (b"choice=pay&step=3", [("choice", "pay"), ("step", "3")]),
        (b"name=Ren%C3%A9+Z&empty=&bare", [("name", "René Z"), ("empty", ""), ("bare", "")]),
        (b"a=1&&b=2", [("a", "1"), ("b", "2")]),
        (b"", []),
    ],
)
def test_plain_bodies(body, fields):
    assert url_encoded_fields(body, MOST) == fields


def test_more_fields_than_the_page_has_are_refused():
    assert len(url_encoded_fields(b"a=1&b=2&c=3", 3)) == 3
    with pytest.raises(BadForm, match="more fields than this page has"):
        url_encoded_fields(b"a=1&b=2&c=3&d=4", 3)
