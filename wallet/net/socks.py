"""A SOCKS5 client handshake (RFC 1928, username/password from RFC 1929) on asyncio streams.

Names are sent to the proxy as names (address type 3) and resolved there, never here: with Tor
this keeps the names of servers and peers out of the local DNS, and lets ``.onion`` addresses
work at all. IP literals go as addresses.
"""

from __future__ import annotations

import asyncio
import ipaddress

from wallet.errors import PaylightError

#: RFC 1928 reply codes, and Tor's extended ones for onion services (prop 304)
REPLIES = {
    1: "the proxy failed",
    2: "the proxy's rules do not allow this connection",
    3: "the network is unreachable from the proxy",
    4: "the host is unreachable from the proxy",
    5: "the host refused the connection",
    6: "the connection timed out at the proxy",
    7: "the proxy does not support CONNECT",
    8: "the proxy does not support this address type",
    0xF0: "the onion service descriptor cannot be found",
    0xF1: "the onion service descriptor is invalid",
    0xF2: "the onion service introduction failed",
    0xF3: "the onion service rendezvous failed",
    0xF4: "the onion service needs client authorization",
    0xF5: "the onion service client authorization is wrong",
    0xF6: "the onion address is invalid",
    0xF7: "the onion service introduction timed out",
}


class ProxyError(PaylightError, ConnectionError):
    """The proxy could not be used or refused the connection; the message says why.

    A ``ConnectionError`` too, so every client treats it as a connection that failed."""


def address_field(host: str) -> bytes:
    """ATYP and address of a SOCKS5 request: IPv4, IPv6, or the name for the proxy to resolve."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.encode("idna")
        if not 0 < len(name) < 256:
            raise ProxyError(f"the host name {host!r} is too long for SOCKS5") from None
        return b"\x03" + bytes([len(name)]) + name
    return (b"\x01" if ip.version == 4 else b"\x04") + ip.packed


async def handshake(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    port: int,
    *,
    username: str | None = None,
    password: str | None = None,
    proxy_name: str = "the proxy",
) -> None:
    """Ask the proxy behind ``reader``/``writer`` to connect to ``host:port``."""
    methods = b"\x00\x02" if username is not None else b"\x00"
    writer.write(b"\x05" + bytes([len(methods)]) + methods)
    await writer.drain()
    version, method = await _read(reader, 2, proxy_name)
    if version != 5:
        raise ProxyError(f"{proxy_name} is not a SOCKS5 proxy")
    if method == 0xFF:
        raise ProxyError(
            f"{proxy_name} accepts none of our login methods"
            + ("" if username is not None else " (it may want socks5://user:password@host:port)")
        )
    if method == 2:
        if username is None:
            raise ProxyError(f"{proxy_name} asks for a username and password")
        user, secret = username.encode(), (password or "").encode()
        if len(user) > 255 or len(secret) > 255:
            raise ProxyError("a SOCKS5 username or password is at most 255 bytes")
        writer.write(b"\x01" + bytes([len(user)]) + user + bytes([len(secret)]) + secret)
        await writer.drain()
        _ver, status = await _read(reader, 2, proxy_name)
        if status != 0:
            raise ProxyError(f"{proxy_name} refused the username or password")
    elif method != 0:
        raise ProxyError(f"{proxy_name} chose a login method we did not offer")
    writer.write(b"\x05\x01\x00" + address_field(host) + port.to_bytes(2, "big"))
    await writer.drain()
    version, reply, _rsv, atyp = await _read(reader, 4, proxy_name)
    if version != 5:
        raise ProxyError(f"{proxy_name} sent a malformed SOCKS5 reply")
    if reply != 0:
        why = REPLIES.get(reply, f"error {reply}")
        raise ProxyError(f"{proxy_name} could not connect to {host}:{port}: {why}")
    if atyp == 1:
        await _read(reader, 4 + 2, proxy_name)
    elif atyp == 4:
        await _read(reader, 16 + 2, proxy_name)
    elif atyp == 3:
        (size,) = await _read(reader, 1, proxy_name)
        await _read(reader, size + 2, proxy_name)
    else:
        raise ProxyError(f"{proxy_name} sent a malformed SOCKS5 reply")


async def _read(reader: asyncio.StreamReader, n: int, proxy_name: str) -> bytes:
    try:
        return await reader.readexactly(n)
    except asyncio.IncompleteReadError:
        raise ProxyError(
            f"{proxy_name} closed the connection during the SOCKS5 handshake"
        ) from None
