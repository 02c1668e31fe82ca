"""Header sync on real mainnet headers: checkpoints, retargets, fast start, short deliveries.

The playground is regtest (no checkpoints, no retargets), so these tests serve the real mainnet
header runs from ../shared/data/headers/mainnet over a small Electrum-protocol server on a real
loopback socket. The server speaks just what header sync uses; it can be told to lie (claim a
tip it does not deliver, or send headers that do not connect).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.conftest import shared_path
from wallet.backends.servers import make_pool
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET
from wallet.spv.checkpoints import checkpoint_hashes, latest
from wallet.sync.headers import HeaderProgress, HeaderSync, HeaderSyncError, open_header_store


def load_run(name: str, first: int) -> dict[int, bytes]:
    raw = shared_path("data", "headers", "mainnet", name).read_bytes()
    return {first + i // 80: raw[i : i + 80] for i in range(0, len(raw), 80)}


@pytest.fixture(scope="module")
def early() -> dict[int, bytes]:
    return load_run("mainnet_headers_0000000_0010236.bin", 0)


class HeaderServer:
    """Serves ``headers`` (height -> raw) over the Electrum protocol on 127.0.0.1.

    ``claim``: the tip height announced (default: the highest held); ``serve_to``: the highest
    height actually sent (a lie when below ``claim``); ``shift``: send the header of h+shift at h.
    """

    def __init__(
        self, headers: dict[int, bytes], *, claim: int | None = None, serve_to: int | None = None
    ) -> None:
        self.headers = headers
        self.claim = max(headers) if claim is None else claim
        self.serve_to = self.claim if serve_to is None else serve_to
        self.shift = 0
        self.asked: list[tuple[int, int]] = []
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"tcp://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    def _header(self, height: int) -> bytes:
        return self.headers[height + self.shift]

    def _answer(self, method: str, params: list[Any]) -> Any:
        if method == "server.version":
            return ["header-server", "1.4"]
        if method == "server.features":
            return {"genesis_hash": MAINNET.genesis_hash, "protocol_max": "1.4"}
        if method == "server.ping":
            return None
        if method == "blockchain.headers.subscribe":
            return {"height": self.claim, "hex": self.headers[self.claim].hex()}
        if method == "blockchain.block.header":
            return self._header(params[0]).hex()
        if method == "blockchain.block.headers":
            start, count = params[0], min(params[1], 2016)
            self.asked.append((start, count))
            stop = min(start + count, self.serve_to + 1)
            raw = b"".join(self._header(h) for h in range(start, stop))
            return {"count": len(raw) // 80, "hex": raw.hex(), "max": 2016}
        raise ValueError(method)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                request = json.loads(line)
                try:
                    reply = {"result": self._answer(request["method"], request["params"])}
                except (ValueError, KeyError) as exc:
                    reply = {"error": {"code": 1, "message": str(exc)}}
                reply.update(jsonrpc="2.0", id=request["id"])
                writer.write(json.dumps(reply).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> HeaderServer:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0, limit=2**22)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def sync_from(servers: list[HeaderServer], store, **options):
    pool = make_pool([s.url for s in servers], MAINNET)
    try:
        return await HeaderSync(pool, store, **options).sync(), pool
    finally:
        await pool.close()


def test_from_genesis_through_checkpoints_and_retargets(early, tmp_path):
    seen: list[HeaderProgress] = []

    async def go(store):
        async with HeaderServer(early) as server:
            return await sync_from([server], store, progress=seen.append)

    with open_header_store(MAINNET, tmp_path / "h", from_genesis=True) as store:
        result, pool = asyncio.run(go(store))
        assert result.height == store.height == 10236
        assert all(store.hash_at(h) == sha256d(early[h]) for h in range(10237))
        # the chain passes the hard-coded checkpoints on the way
        for height, block_hash in checkpoint_hashes("mainnet").items():
            if height <= 10236:
                assert store.hash_at(height) == block_hash
    assert [p.height for p in seen][:5] == [2015, 4031, 6047, 8063, 10079]
    assert pool.dropped() == {}


def test_fast_start_from_the_latest_checkpoint(tmp_path):
    recent = load_run("mainnet_headers_0822527_0830592.bin", 822527)
    cp = latest("mainnet", self_contained=True)
    assert cp is not None and cp.height in recent and max(recent) > cp.height
    assert sha256d(recent[cp.height]) == cp.hash

    async def go(store):
        async with HeaderServer(recent) as server:
            result, _ = await sync_from([server], store)
            return result, server.asked

    with open_header_store(MAINNET, tmp_path / "h") as store:
        assert store.base_height == cp.height
        result, asked = asyncio.run(go(store))
        assert result.height == max(recent)
        assert store.hash_at(max(recent)) == sha256d(recent[max(recent)])
    # nothing below the checkpoint was downloaded
    assert all(start > cp.height for start, _ in asked), asked


def test_server_sending_less_than_it_claims_is_dropped(early, tmp_path):
    async def go(store):
        async with (
            HeaderServer(early, claim=10236, serve_to=5000) as liar,
            HeaderServer(early, claim=8000) as honest,
        ):
            return await sync_from([liar, honest], store)

    with open_header_store(MAINNET, tmp_path / "h", from_genesis=True) as store:
        result, _ = asyncio.run(go(store))
        assert result.height == store.height == 8000  # the honest server's tip
        assert store.hash_at(8000) == sha256d(early[8000])
    (reason,) = result.dropped.values()
    assert "claims a chain to height 10,236" in reason
    assert "only up to height 5,000" in reason and "less work than it claimed" in reason


def test_headers_that_do_not_connect_are_refused(early, tmp_path):
    async def go(store):
        async with HeaderServer(early, claim=10000) as server:
            server.shift = 1  # every header one height too low: block 2 where 1 should be
            return await sync_from([server], store)

    with open_header_store(MAINNET, tmp_path / "h", from_genesis=True) as store:
        with pytest.raises(HeaderSyncError) as caught:
            asyncio.run(go(store))
        assert store.height == 0
    assert "prev-blk-not-found" in str(caught.value)
