"""A real HTTP server on 127.0.0.1 whose replies a test scripts per path, as an Esplora server's
(helpers of the backend tests; no tests here)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.playground_fixture import playground  # noqa: F401
from wallet.backends import (
    Backoff,
    EsploraClient,
)
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST

#: what a test answers for one request: (method, path, body) -> a reply
Route = Callable[[str, str, bytes], Any]

FAST = Backoff(base=0.01, maximum=0.05, jitter=0.0)


def regtest_genesis() -> bytes:
    n = REGTEST
    return (
        n.genesis_version.to_bytes(4, "little")
        + bytes(32)
        + bytes.fromhex(n.genesis_merkle_root)[::-1]
        + n.genesis_time.to_bytes(4, "little")
        + n.genesis_bits.to_bytes(4, "little")
        + n.genesis_nonce.to_bytes(4, "little")
    )


GENESIS = regtest_genesis()

GENESIS_HASH = sha256d(GENESIS)[::-1].hex()


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: False: no Content-Length, the body ends when the connection closes
    length: bool = True


@dataclass
class Drop:
    """Promise ``declared`` bytes, send ``partial``, close."""

    partial: bytes = b""
    declared: int = 1000


@dataclass
class Drip:
    """Send ``body`` one byte every ``interval`` seconds."""

    body: bytes
    interval: float


@dataclass
class Delay:
    seconds: float
    then: Any = None


class ScriptedHTTP:
    """A real HTTP/1.1 server on 127.0.0.1; ``route(method, path, body)`` decides each answer."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.hits: list[tuple[str, str]] = []
        self.inflight = 0
        self.max_inflight = 0
        self._server: asyncio.base_events.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.url = ""

    async def __aenter__(self) -> ScriptedHTTP:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self.writers):
            writer.close()
        await asyncio.wait_for(self._server.wait_closed(), 5)

    def client(self, **options: Any) -> EsploraClient:
        options.setdefault("timeout", 2.0)
        options.setdefault("backoff", FAST)
        options.setdefault("name", "scripted")
        return EsploraClient(self.url, **options)

    def count(self, path: str) -> int:
        return sum(1 for _, p in self.hits if p == path)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ")
                headers = dict(
                    (k.strip().lower(), v.strip())
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                )
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                path = target.removeprefix("/api")
                self.hits.append((method, path))
                self.inflight += 1
                self.max_inflight = max(self.max_inflight, self.inflight)
                try:
                    result = self.route(method, path, body)
                    while isinstance(result, Delay):
                        await asyncio.sleep(result.seconds)
                        result = result.then
                finally:
                    self.inflight -= 1
                if isinstance(result, Drop):
                    writer.write(
                        f"HTTP/1.1 200 OK\r\nContent-Length: {result.declared}\r\n\r\n".encode()
                        + result.partial
                    )
                    await writer.drain()
                    break
                if isinstance(result, Drip):
                    writer.write(
                        f"HTTP/1.1 200 OK\r\nContent-Length: {len(result.body)}\r\n\r\n".encode()
                    )
                    for i in range(len(result.body)):
                        writer.write(result.body[i : i + 1])
                        await writer.drain()
                        await asyncio.sleep(result.interval)
                    continue
                if not isinstance(result, Reply):
                    result = Reply(200, result)
                data = result.body
                if not isinstance(data, bytes):
                    data = (data if isinstance(data, str) else json.dumps(data)).encode()
                head_lines = [f"HTTP/1.1 {result.status} X"]
                head_lines += [f"{k}: {v}" for k, v in result.headers.items()]
                if result.length:
                    head_lines.append(f"Content-Length: {len(data)}")
                else:
                    head_lines.append("Connection: close")
                writer.write(("\r\n".join(head_lines) + "\r\n\r\n").encode() + data)
                await writer.drain()
                if not result.length:
                    break
        except ConnectionError:
            pass
        finally:
            self.writers.discard(writer)
            writer.close()


def routes(table: dict[str, Any]) -> Route:
    """A route from exact paths to answers (a callable answer is called with the body)."""

    def route(method: str, path: str, body: bytes) -> Any:
        answer = table.get(path)
        if answer is None:
            return Reply(404, "not found")
        return answer(body) if callable(answer) else answer

    return route
