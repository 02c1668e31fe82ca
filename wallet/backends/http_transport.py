"""A lean HTTP/1.1 client on asyncio streams for the Esplora client: keep-alive, nothing more.

httpx (over httpcore and anyio) costs about 0.5-0.9 ms of CPU per request here, most of it URL
parsing, pool bookkeeping and per-request socket checks; a restore that cross-checks 500
addresses with an Esplora server spent more time there than in everything else. This client
sends a request line and a few headers on a kept-alive connection and reads the status, the
headers and the body (``Content-Length``, chunked, or until close; gzip or deflate decoded),
refusing a body past ``max_body`` bytes, compressed or not: about 0.1 ms a request.

It raises httpx's exception types (``ConnectError``, ``ReadTimeout``, ``RemoteProtocolError``...)
so that :class:`~wallet.backends.esplora.EsploraClient` treats its failures and httpx's alike.
Connections open through :func:`wallet.net.proxy.open_stream`, so the process-wide SOCKS proxy
(Tor) applies as it does to Electrum; an HTTP proxy named by the environment (``HTTPS_PROXY``...)
is not handled here: :func:`lean_http` returns None and the Esplora client uses httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import urllib.request
import zlib
from collections.abc import Awaitable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from wallet.net.proxy import check_reachable, open_stream

#: a response head (status line and headers) longer than this is refused
MAX_HEAD = 64 * 1024
#: bytes read from the socket at a time
READ_SIZE = 64 * 1024


class BodyTooLarge(Exception):
    """The answer is longer than allowed (``declared``: its Content-Length, if that said so)."""

    def __init__(self, declared: int | None) -> None:
        super().__init__(declared)
        self.declared = declared


@dataclass(frozen=True)
class Timeouts:
    connect: float | None
    read: float | None


def lean_http(
    base_url: str, verify: ssl.SSLContext | str | bool, user_agent: str
) -> LeanHTTP | None:
    """A lean client for ``base_url``, or None where httpx is needed (an HTTP proxy from the
    environment). A ``.onion`` host without a proxy is refused here, at once, with a sentence."""
    if urllib.request.getproxies_environment():
        return None
    client = LeanHTTP(base_url, verify, user_agent)
    check_reachable(client.host)
    return client


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def usable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.transport.is_closing()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class _Stale(Exception):
    """A reused connection the server closed while it was idle: try another one."""


class LeanHTTP:
    """Keep-alive HTTP/1.1 connections to one server; the caller bounds how many at once."""

    def __init__(self, base_url: str, verify: ssl.SSLContext | str | bool, user_agent: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self._tls = parts.scheme == "https"
        self.host = self._host = parts.hostname
        self._port = parts.port or (443 if self._tls else 80)
        self._prefix = parts.path.rstrip("/")
        netloc = self._host if parts.port is None else f"{self._host}:{parts.port}"
        if ":" in self._host:  # IPv6 literal
            netloc = f"[{self._host}]" + ("" if parts.port is None else f":{parts.port}")
        self._headers = (
            f"Host: {netloc}\r\nUser-Agent: {user_agent}\r\nAccept: */*\r\n"
            "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
        ).encode("latin-1")
        self._verify = verify
        self._ssl: ssl.SSLContext | None = None
        self._idle: list[_Connection] = []
        self._closed = False

    async def fetch(
        self, method: str, path: str, body: bytes | None, timeouts: Timeouts, max_body: int
    ) -> tuple[int, dict[str, str], bytes]:
        """One request; (status, headers with lower-case names, the decoded body)."""
        if self._closed:
            raise RuntimeError("the client is closed")
        head = f"{method} {self._prefix}{path} HTTP/1.1\r\n".encode("latin-1") + self._headers
        if body is not None:
            head += b"Content-Length: %d\r\n" % len(body)
        data = head + b"\r\n" + (body or b"")
        while self._idle:  # a reused connection the server closed meanwhile fails at once
            conn = self._idle.pop()
            if not conn.usable():
                conn.close()
                continue
            try:
                return await self._exchange(conn, method, data, timeouts, max_body, True)
            except _Stale:
                continue
        conn = await self._connect(timeouts.connect)
        return await self._exchange(conn, method, data, timeouts, max_body, False)

    async def aclose(self) -> None:
        self._closed = True
        for conn in self._idle:
            conn.close()
        self._idle.clear()

    async def _connect(self, timeout: float | None) -> _Connection:
        context = None
        if self._tls:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context(verify=self._verify)
            context = self._ssl
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await open_stream(
                    self._host,
                    self._port,
                    ssl=context,
                    server_hostname=self._host if context is not None else None,
                    limit=MAX_HEAD,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"no connection within {timeout:g} s") from None
        except OSError as exc:  # refused, unreachable, TLS, the proxy (ProxyError is one too)
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Connection(reader, writer)

    async def _exchange(
        self,
        conn: _Connection,
        method: str,
        data: bytes,
        timeouts: Timeouts,
        max_body: int,
        reused: bool,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send ``data`` on ``conn``, read the whole answer, keep the connection if it may be."""
        done = False
        try:
            try:
                async with asyncio.timeout(timeouts.read):
                    conn.writer.write(data)
                    await conn.writer.drain()
                    raw_head = await conn.reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as exc:
                if reused and not exc.partial:
                    raise _Stale from None
                raise httpx.RemoteProtocolError(
                    "the server closed the connection before it answered"
                ) from None
            except ConnectionError as exc:
                if reused:
                    raise _Stale from None
                raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
            status, headers = _parse_head(raw_head)
            framing = _framing(method, status, headers)
            body = await self._body(conn.reader, framing, timeouts.read, max_body)
            body = _decode(body, headers.get("content-encoding", ""), max_body)
            done = framing != "close" and "close" not in headers.get("connection", "").lower()
            return status, headers, body
        except TimeoutError:
            raise httpx.ReadTimeout("no answer in time") from None
        except asyncio.LimitOverrunError:
            raise httpx.RemoteProtocolError(
                f"a line of the answer is over {MAX_HEAD} bytes"
            ) from None
        except asyncio.IncompleteReadError:
            raise httpx.RemoteProtocolError("the answer ended early") from None
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        finally:
            if done and not self._closed and conn.usable():
                self._idle.append(conn)
            else:
                conn.close()

    async def _body(
        self, reader: asyncio.StreamReader, framing: str | int, timeout: float | None, limit: int
    ) -> bytes:
        """The body as framed; ``timeout`` bounds each read (as httpx's read timeout does)."""

        async def within(op: Awaitable[bytes]) -> bytes:
            async with asyncio.timeout(timeout):
                return await op

        if framing == 0:
            return b""
        if isinstance(framing, int) and framing > limit:
            raise BodyTooLarge(framing)
        out = bytearray()
        if isinstance(framing, int):
            while len(out) < framing:
                chunk = await within(reader.read(min(framing - len(out), READ_SIZE)))
                if not chunk:
                    raise asyncio.IncompleteReadError(bytes(out), framing)
                out += chunk
            return bytes(out)
        if framing == "close":
            while chunk := await within(reader.read(READ_SIZE)):
                out += chunk
                if len(out) > limit:
                    raise BodyTooLarge(None)
            return bytes(out)
        while True:  # chunked
            line = await within(reader.readuntil(b"\r\n"))
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise httpx.RemoteProtocolError("a chunk size is not a number") from None
            if size == 0:
                while await within(reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return bytes(out)
            if len(out) + size > limit:
                raise BodyTooLarge(None)
            out += (await within(reader.readexactly(size + 2)))[:-2]


def _parse_head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise httpx.RemoteProtocolError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"a malformed header line: {line[:80]!r}")
        key = name.lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(parts[1]), headers


def _framing(method: str, status: int, headers: dict[str, str]) -> str | int:
    """How the body ends: its length, ``"chunked"``, or ``"close"`` (read until the end)."""
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return 0
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return "chunked"
    length = headers.get("content-length")
    if length is not None:
        if not (length.isascii() and length.isdigit()):
            raise httpx.RemoteProtocolError(f"Content-Length {length[:20]!r} is not a number")
        return int(length) if len(length) <= 18 else 10**18  # huge stays huge, without int()
    return "close"


def _decode(body: bytes, encoding: str, limit: int) -> bytes:
    """The body with its Content-Encoding undone, refused past ``limit`` bytes decoded."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise httpx.DecodingError(f"an answer encoded as {encoding!r}, which was not asked for")
    wbits = 31 if "gzip" in encoding else (15 if body[:1] == b"\x78" else -15)
    inflate = zlib.decompressobj(wbits)
    try:
        out = inflate.decompress(body, limit + 1)
    except zlib.error as exc:
        raise httpx.DecodingError(f"the {encoding} body cannot be decoded: {exc}") from None
    if len(out) > limit or inflate.unconsumed_tail:
        raise BodyTooLarge(None)
    return out
