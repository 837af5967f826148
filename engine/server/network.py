"""Where the class can reach the server: the address to print and project, and its QR code."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket

import segno


def lan_address() -> str:
    """This machine's address on the local network, as the class's devices would use it; the
    loopback address when there is no network. Nothing is sent: connecting a UDP socket only
    asks the system which interface would be used."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
        address = probe.getsockname()[0]
        if address and not ipaddress.ip_address(address).is_unspecified:
            return address
    return "127.0.0.1"


def public_host(host: str) -> str:
    """The host to put in the printed addresses for a server listening on `host`."""
    if host in ("0.0.0.0", "", "::"):
        return lan_address()
    if ":" in host and not host.startswith("["):
        return f"[{host}]"  # an IPv6 address in a URL
    return host


def qr_svg(text: str) -> bytes:
    """A QR code of `text` as an SVG file (dark on light, with its quiet zone), for an <img>
    whose alt text gives the address."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=8, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return out.getvalue()
