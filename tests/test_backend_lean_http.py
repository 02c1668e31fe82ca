"""The Esplora client's lean HTTP/1.1 client (wallet/backends/http_transport.py) against a real
server on 127.0.0.1 that answers byte for byte as scripted: kept-alive connections, chunked and
compressed bodies, a server closing idle connections, limits, and when httpx is used instead.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import httpx
import pytest

from wallet.backends.esplora import EsploraClient
from wallet.backends.http_transport import BodyTooLarge, LeanHTTP, Timeouts, lean_http
from wallet.net.socks import ProxyError

LIMIT = 10_000
TIMEOUTS = Timeouts(connect=5, read=5)


class RawServer:
    """Answers each request with ``answer(n)`` (raw bytes; n counts requests from 0); closes the
    connection after answering when ``close_after`` says so."""

    def __init__(self, answer: Callable[[int], bytes], close_after: bool = False) -> None:
        self.answer = answer
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0
        self.port = 0

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                writer.write(self.answer(len(self.requests) - 1))
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def ok(body: bytes, *headers: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


def test_requests_share_one_kept_alive_connection_and_name_the_host():
    async def main():
        async with RawServer(lambda n: ok(b"%d" % n)) as server:
            client = LeanHTTP(f"http://127.0.0.1:{server.port}/api", True, "Paylight/test")
            answers = [
                await client.fetch("GET", f"/x/{i}", None, TIMEOUTS, LIMIT) for i in range(3)
            ]
            await client.aclose()
            return server, answers

    server, answers = run(main())
    assert [a[2] for a in answers] == [b"0", b"1", b"2"]
    assert [a[0] for a in answers] == [200] * 3
    assert server.connections == 1
    first = server.requests[0].decode()
    assert first.startswith("GET /api/x/0 HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n" in first and "User-Agent: Paylight/test" in first


def test_a_chunked_gzip_body_with_extensions_and_trailers_is_decoded():
    data = gzip.compress(b'{"ok": true}' * 50)
    chunks = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(c), c) for c in (data[:10], data[10:]))
    reply = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + chunks
        + b"0\r\nX-Trailer: yes\r\n\r\n"
    )

    async def main():
        async with RawServer(lambda n: reply) as server:
            client = LeanHTTP(f"http://127.0.0.1:{server.port}", True, "t")
            first = await client.fetch("GET", "/a", None, TIMEOUTS, LIMIT)
            second = await client.fetch("GET", "/b", None, TIMEOUTS, LIMIT)  # same connection
            await client.aclose()
            return server, first, second

    server, first, second = run(main())
    assert first[2] == second[2] == b'{"ok": true}' * 50
    assert first[1]["content-encoding"] == "gzip"
    assert server.connections == 1


def test_a_server_closing_idle_connections_costs_a_new_one_not_an_error():
    async def main():
        async with RawServer(lambda n: ok(b"fine"), close_after=True) as server:
            client = LeanHTTP(f"http://127.0.0.1:{server.port}", True, "t")
            answers = []
            for _ in range(3):
                answers.append(await client.fetch("GET", "/", None, TIMEOUTS, LIMIT))
                await asyncio.sleep(0)  # the close may or may not have been seen yet
            await client.aclose()
            return server, answers

    server, answers = run(main())
    assert [a[2] for a in answers] == [b"fine"] * 3
    assert server.connections == 3


@pytest.mark.parametrize(
    "reply",
    [
        ok(b"x" * (LIMIT + 1)),
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
        % (LIMIT + 1, b"x" * (LIMIT + 1)),
        ok(gzip.compress(b"0" * (LIMIT * 10)), "Content-Encoding: gzip"),
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * (LIMIT + 1),
    ],
    ids=["declared", "chunked", "gzip", "until-close"],
)
def test_a_body_over_the_limit_is_refused_however_it_is_framed(reply):
    async def main():
        async with RawServer(lambda n: reply) as server:
            client = LeanHTTP(f"http://127.0.0.1:{server.port}", True, "t")
            with pytest.raises(BodyTooLarge):
                await client.fetch("GET", "/", None, TIMEOUTS, LIMIT)
            await client.aclose()

    run(main())


@pytest.mark.parametrize(
    "reply, words",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "not a number"),
        (b"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
        (b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n", "malformed header"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx", "'br'"),
    ],
)
def test_a_malformed_answer_is_an_httpx_error(reply, words):
    async def main():
        async with RawServer(lambda n: reply) as server:
            client = LeanHTTP(f"http://127.0.0.1:{server.port}", True, "t")
            with pytest.raises(httpx.HTTPError, match=words):
                await client.fetch("GET", "/", None, TIMEOUTS, LIMIT)
            await client.aclose()

    run(main())


def test_an_http_proxy_from_the_environment_leaves_it_to_httpx(monkeypatch):
    assert isinstance(lean_http("https://mempool.space/api", True, "t"), LeanHTTP)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert lean_http("https://mempool.space/api", True, "t") is None
    client = EsploraClient("https://mempool.space/api")
    assert isinstance(client._http(), httpx.AsyncClient)


def test_an_onion_host_without_a_proxy_is_refused_at_once():
    with pytest.raises(ProxyError, match="onion"):
        lean_http("http://" + "a" * 56 + ".onion/api", True, "t")
