"""A TLS connection to a plain-TCP Electrum port fails within seconds, saying what to change.

Two plain servers: the playground's (it answers the TLS ClientHello with a JSON error, so the
handshake fails at once), and a small one made here that ignores anything that is not a JSON
request -- as servers that wait for a whole request do -- so the handshake never ends. Before,
the second took the 10 s connect timeout per attempt and a sync retried it for about 44 s;
either way the message spoke of a failed handshake, not of the wrong port.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.test_sync_history_support import new_wallet
from wallet.backends.base import IncompatibleServer
from wallet.backends.electrum import ElectrumClient
from wallet.backends.pool import ServerPool
from wallet.bitcoin.networks import REGTEST
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync
from wallet.sync.headers import HeaderSyncError

PLAIN = "plain text on this port, not TLS: use tcp://host:port"


async def _quiet_server() -> asyncio.base_events.Server:
    """Plain TCP; answers server.version, and says nothing to lines that are not JSON."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                except ValueError:
                    continue
                reply = {"jsonrpc": "2.0", "id": request.get("id"), "result": ["quiet", "1.4"]}
                writer.write(json.dumps(reply).encode() + b"\n")
                await writer.drain()
        writer.close()

    return await asyncio.start_server(serve, "127.0.0.1", 0)


async def _tls_to(port: int) -> tuple[BaseException, float]:
    client = ElectrumClient("127.0.0.1", port, tls=True, name="plain", network=REGTEST)
    started = time.perf_counter()
    try:
        await client.get_tip()
    except Exception as exc:  # the assertion below says which
        return exc, time.perf_counter() - started
    finally:
        await client.close()
    raise AssertionError("a TLS request to a plain port succeeded")


def test_tls_to_the_playgrounds_plain_port(playground) -> None:  # noqa: F811
    err, elapsed = asyncio.run(_tls_to(playground.electrum_port))
    assert isinstance(err, IncompatibleServer) and PLAIN in str(err), err
    assert elapsed < 5, elapsed


def test_tls_to_a_plain_port_that_never_answers_the_handshake() -> None:
    async def scenario() -> tuple[BaseException, float]:
        server = await _quiet_server()
        try:
            return await _tls_to(server.sockets[0].getsockname()[1])
        finally:
            server.close()

    err, elapsed = asyncio.run(scenario())
    assert isinstance(err, IncompatibleServer) and PLAIN in str(err), err
    assert elapsed < 10, elapsed  # the 5 s handshake limit and a plain probe


def test_a_sync_through_a_tls_url_for_a_plain_port_stops_at_once(tmp_path: Path) -> None:
    """The pool drops the server as incompatible (no retries): the sync ends within seconds
    with the reason in its message."""

    async def scenario() -> tuple[BaseException, float, dict[str, str]]:
        server = await _quiet_server()
        wallet = new_wallet(tmp_path / "w")
        port = server.sockets[0].getsockname()[1]
        pool = ServerPool([ElectrumClient("127.0.0.1", port, tls=True, network=REGTEST)])
        store = HeaderStore(tmp_path / "headers", "regtest")
        started = time.perf_counter()
        try:
            with pytest.raises(HeaderSyncError) as caught:
                await WalletSync(wallet, pool, store).sync()
            return caught.value, time.perf_counter() - started, pool.dropped()
        finally:
            await pool.close()
            store.close()
            wallet.close()
            server.close()

    err, elapsed, dropped = asyncio.run(scenario())
    assert PLAIN in str(err), err
    assert [PLAIN in reason for reason in dropped.values()] == [True]
    assert elapsed < 10, elapsed
