"""The Esplora client against real hostile HTTP servers on 127.0.0.1.

:class:`ScriptedHTTP` is a small real HTTP/1.1 server (asyncio streams, keep-alive) whose answer
to each request a test scripts: 429 then success, 500 forever, stalls, connections dropped in
the middle of a body, bodies over the limit (declared, streamed, or gzip-inflated), malformed
JSON, wrong types, short headers, blocks whose fields do not hash to their id.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.playground_fixture import playground  # noqa: F401
from wallet.backends import (
    Backoff,
    EsploraClient,
    IncompatibleServer,
    MalformedReply,
    RequestRejected,
    ServerState,
    ServerUnavailable,
    UnsupportedRequest,
)
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET, REGTEST

FAST = Backoff(base=0.01, maximum=0.05, jitter=0.0)
#: someone else's regtest address
SHOP = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"


def run(coro, timeout: float = 20):
    return asyncio.run(asyncio.wait_for(coro, timeout))


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
assert REGTEST.genesis_hash == GENESIS_HASH


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


Route = Callable[[str, str, bytes], Any]


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


# -- retries and limits -------------------------------------------------------------------------


def test_429_then_success_is_retried():
    calls = {"n": 0}

    def tip_height(body):
        calls["n"] += 1
        if calls["n"] == 1:
            return Reply(429, "slow down", {"Retry-After": "0"})
        return "123"

    async def main():
        async with ScriptedHTTP(routes({"/blocks/tip/height": tip_height})) as server:
            client = server.client()
            assert await client.get_tip_height() == 123
            assert server.count("/blocks/tip/height") == 2
            assert client.status().state == ServerState.CONNECTED
            await client.close()

    run(main())


def test_500_forever_gives_up_with_a_clear_error():
    async def main():
        async with ScriptedHTTP(routes({"/blocks/tip/height": Reply(500, "boom")})) as server:
            client = server.client(retries=2)
            started = time.monotonic()
            with pytest.raises(ServerUnavailable) as info:
                await client.get_tip_height()
            assert time.monotonic() - started < 2
            assert "HTTP 500" in info.value.reason and "3 attempts" in info.value.reason
            assert "GET /blocks/tip/height" in info.value.reason
            assert server.count("/blocks/tip/height") == 3
            assert client.status().state == ServerState.UNREACHABLE
            await client.close()

    run(main())


def test_a_4xx_is_a_rejection_and_not_retried():
    async def main():
        table = {"/tx": lambda body: Reply(400, "sendrawtransaction RPC error: bad-txns")}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client()
            with pytest.raises(RequestRejected, match="bad-txns") as info:
                await client.broadcast(b"\x01\x02")
            assert info.value.code == 400
            with pytest.raises(RequestRejected, match="HTTP 404"):
                await client.get_transaction("ab" * 32)
            assert server.hits == [("POST", "/tx"), ("GET", f"/tx/{'ab' * 32}/raw")]
            await client.close()

    run(main())


def test_a_stalled_server_times_out():
    async def main():
        table = {"/blocks/tip/height": Delay(5, "1")}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client(timeout=0.3, retries=1)
            started = time.monotonic()
            with pytest.raises(ServerUnavailable, match=r"no answer within 0\.3 s"):
                await client.get_tip_height()
            assert time.monotonic() - started < 2
            assert server.count("/blocks/tip/height") == 2
            await client.close()

    run(main())


def test_a_server_dripping_its_reply_hits_the_overall_deadline():
    async def main():
        table = {"/blocks/tip/height": Drip(b"1234567890" * 10, 0.05)}
        async with ScriptedHTTP(routes(table)) as server:
            # each byte comes well within the read timeout, the whole reply does not
            client = server.client(timeout=0.5, total_timeout=0.6, retries=0)
            started = time.monotonic()
            with pytest.raises(ServerUnavailable, match=r"not finished within 0\.6 s"):
                await client.get_tip_height()
            assert time.monotonic() - started < 2
            await client.close()

    run(main())


def test_a_redirect_names_the_new_url():
    async def main():
        moved = Reply(301, "", {"Location": "https://elsewhere.example/api/blocks/tip/height"})
        async with ScriptedHTTP(routes({"/blocks/tip/height": moved})) as server:
            client = server.client()
            with pytest.raises(IncompatibleServer, match="redirects to https://elsewhere"):
                await client.get_tip_height()
            await client.close()

    run(main())


def test_the_network_is_checked_once_before_any_answer_is_used():
    async def main():
        table = {"/block-height/0": Delay(0.05, MAINNET.genesis_hash), "/blocks/tip/height": "5"}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client(network=REGTEST)
            results = await asyncio.gather(
                *(client.get_tip_height() for _ in range(5)), return_exceptions=True
            )
            assert all(isinstance(r, IncompatibleServer) for r in results)
            assert server.count("/block-height/0") == 1
            assert server.count("/blocks/tip/height") == 0  # nothing was asked before the check
            await client.close()

    run(main())


def test_a_connection_dropped_mid_body_is_retried():
    calls = {"n": 0}

    def tip_height(body):
        calls["n"] += 1
        return Drop(b"12") if calls["n"] == 1 else "12345"

    async def main():
        async with ScriptedHTTP(routes({"/blocks/tip/height": tip_height})) as server:
            client = server.client()
            assert await client.get_tip_height() == 12345
            assert calls["n"] == 2
            await client.close()
        async with ScriptedHTTP(routes({"/blocks/tip/height": Drop(b"12")})) as server:
            client = server.client(retries=1)
            with pytest.raises(ServerUnavailable, match="connection failed"):
                await client.get_tip_height()
            await client.close()

    run(main())


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"1" * 5000),  # declared too big
        Reply(200, b"1" * 5000, length=False),  # streamed until close
        Reply(200, gzip.compress(b"1" * 200_000), {"Content-Encoding": "gzip"}),  # inflates
    ],
    ids=["declared", "streamed", "gzip"],
)
def test_a_body_over_the_limit_is_refused(reply):
    async def main():
        async with ScriptedHTTP(routes({"/blocks/tip/height": reply})) as server:
            client = server.client(max_body=1000)
            with pytest.raises(MalformedReply, match="1000-byte limit"):
                await client.get_tip_height()
            assert server.count("/blocks/tip/height") == 1  # not retried
            await client.close()

    run(main())


def test_connections_are_limited():
    async def main():
        table = {"/blocks/tip/height": Delay(0.05, "7")}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client(max_connections=2)
            heights = await asyncio.gather(*(client.get_tip_height() for _ in range(8)))
            assert heights == [7] * 8
            assert server.max_inflight == 2
            await client.close()

    run(main())


# -- schema checks ------------------------------------------------------------------------------

SH = bytes(range(32))
BLOCK = {
    "id": GENESIS_HASH,
    "height": 0,
    "version": REGTEST.genesis_version,
    "timestamp": REGTEST.genesis_time,
    "bits": REGTEST.genesis_bits,
    "nonce": REGTEST.genesis_nonce,
    "merkle_root": REGTEST.genesis_merkle_root,
    "previousblockhash": None,
}


@pytest.mark.parametrize(
    ("table", "call", "words"),
    [
        ({"/fee-estimates": '{"1": 2.5,'}, lambda c: c.estimate_fee(1), "not valid JSON"),
        ({"/fee-estimates": {"1": "fast"}}, lambda c: c.estimate_fee(1), "should be a number"),
        ({"/fee-estimates": {"soon": 3}}, lambda c: c.estimate_fee(1), "is not a number"),
        ({"/fee-estimates": [1, 2]}, lambda c: c.estimate_fee(1), "should be an object"),
        (
            {"/block-height/0": GENESIS_HASH, f"/block/{GENESIS_HASH}/header": GENESIS[:79].hex()},
            lambda c: c.get_header(0),
            "79 bytes, expected 80",
        ),
        (
            {
                "/block-height/0": GENESIS_HASH,
                f"/block/{GENESIS_HASH}/header": (GENESIS[:79] + b"\x07").hex(),
            },
            lambda c: c.get_header(0),
            "does not hash to the block",
        ),
        ({"/block-height/0": "xyz"}, lambda c: c.get_header(0), "64-hex-digit hash"),
        (
            {
                f"/scripthash/{SH.hex()}/txs": [
                    {"txid": "ab" * 32, "status": {"confirmed": True, "block_height": "x"}}
                ]
            },
            lambda c: c.get_history(SH),
            "should be an integer",
        ),
        (
            {
                f"/scripthash/{SH.hex()}/txs": [
                    {"txid": "ab" * 32, "status": {"confirmed": True, "block_height": -3}}
                ]
            },
            lambda c: c.get_history(SH),
            "at least 0",
        ),
        (
            {f"/scripthash/{SH.hex()}/txs": [{"txid": "ab" * 32}]},
            lambda c: c.get_history(SH),
            "has no 'status'",
        ),
        (
            {f"/scripthash/{SH.hex()}/utxo": [{"txid": "ab" * 32, "vout": 0, "value": -1}]},
            lambda c: c.list_unspent(SH),
            "has no 'status'",
        ),
        (
            {f"/tx/{'ab' * 32}/merkle-proof": {"block_height": 3, "merkle": [5], "pos": 0}},
            lambda c: c.get_merkle("ab" * 32, 3),
            "64-hex-digit hash",
        ),
        (
            {"/blocks/tip/height": "0", "/blocks/0": [dict(BLOCK, nonce=BLOCK["nonce"] + 1)]},
            lambda c: c.get_headers(0, 1),
            "do not hash to its id",
        ),
        (
            {"/blocks/tip/height": "0", "/blocks/0": [dict(BLOCK, bits="207fffff")]},
            lambda c: c.get_headers(0, 1),
            "bits should be an integer",
        ),
        (
            {"/blocks/tip/height": "zero"},
            lambda c: c.get_headers(0, 1),
            "should be a number",
        ),
    ],
)
def test_malformed_replies_are_server_errors(table, call, words):
    async def main():
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client()
            with pytest.raises(MalformedReply) as info:
                await call(client)
            assert words in info.value.reason
            assert str(info.value).startswith("server scripted: ")
            assert client.status().state == ServerState.FAULTY
            await client.close()

    run(main())


def test_headers_are_rebuilt_from_block_fields():
    async def main():
        table = {"/blocks/tip/height": "0", "/blocks/0": [BLOCK]}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client()
            assert await client.get_headers(0, 5) == GENESIS
            assert await client.get_headers(1, 5) == b""
            await client.close()

    run(main())


def test_a_server_for_another_network_is_incompatible():
    async def main():
        table = {"/block-height/0": MAINNET.genesis_hash, "/blocks/tip/height": "5"}
        async with ScriptedHTTP(routes(table)) as server:
            client = server.client(network=REGTEST)
            with pytest.raises(IncompatibleServer, match="not regtest"):
                await client.get_tip_height()
            await client.close()
            client = server.client(network=MAINNET)
            assert await client.get_tip_height() == 5
            await client.close()

    run(main())


def test_broadcast_txid_must_match():
    from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut

    tx = Transaction(2, [TxIn(OutPoint(bytes(32), 0), b"\x51")], [TxOut(1000, b"\x51")], 0)

    async def main():
        async with ScriptedHTTP(routes({"/tx": lambda body: "ab" * 32})) as server:
            client = server.client()
            with pytest.raises(MalformedReply, match="transaction's txid is " + tx.txid_hex):
                await client.broadcast(tx.serialize())
            await client.close()
        async with ScriptedHTTP(routes({"/tx": lambda body: tx.txid_hex})) as server:
            client = server.client()
            assert await client.broadcast(tx.serialize()) == tx.txid()
            assert server.hits == [("POST", "/tx")]
            await client.close()

    run(main())


def test_checkpoint_proofs_are_not_available_over_esplora():
    async def main():
        async with ScriptedHTTP(routes({})) as server:
            client = server.client()
            with pytest.raises(UnsupportedRequest, match="cp_height"):
                await client.get_header(5, cp_height=10)
            await client.close()

    run(main())


def test_bad_urls_are_refused():
    for bad in ("ftp://example.com", "example.com/api", ""):
        with pytest.raises(ValueError):
            EsploraClient(bad)


# -- the tip stays current (against the real playground) ----------------------------------------


def test_a_local_server_is_asked_for_its_tip_every_second_a_remote_one_every_ten():
    assert EsploraClient("http://127.0.0.1:3002").tip_interval == 1.0
    assert EsploraClient("http://localhost:3002/api").tip_interval == 1.0
    assert EsploraClient("https://mempool.space/api").tip_interval == 10.0
    # never less often than the script hashes are polled
    assert EsploraClient("https://mempool.space/api", poll_interval=2).tip_interval == 2.0


async def _until(condition, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        await asyncio.sleep(0.02)
    return condition()


def test_the_tip_shown_follows_new_blocks_without_a_header_subscription(playground):  # noqa: F811
    """Only a script hash is subscribed (as for a server that joined after the header
    subscription): the tip status() reports still moves with each block, well within the
    30 s script-hash poll."""
    from wallet.backends import scripthash_of
    from wallet.bitcoin.address import address_to_script

    pg = playground
    pg.mine(3)
    sh = scripthash_of(address_to_script(SHOP, "regtest"))

    async def main():
        client = EsploraClient(pg.esplora_url, network=REGTEST, backoff=FAST)
        assert client.poll_interval == 30.0 and client.tip_interval == 1.0
        try:
            await client.subscribe_scripthash(sh, lambda *_a: None)
            assert client._header_callbacks == []
            start = pg.height
            await client.get_tip()
            assert client.status().tip_height == start
            for n in (1, 2):
                pg.mine(n)
                want = pg.height
                assert await _until(lambda w=want: client.status().tip_height == w, 5), (
                    f"the tip stayed at {client.status().tip_height}, the chain is at {want}"
                )
                assert client.status().tip_hash == pg.tip_hash
        finally:
            await client.close()

    run(main())


def test_a_new_block_is_reported_and_rechecks_script_hashes_at_once(playground):  # noqa: F811
    """Header subscribers hear of a block within about a second, and a payment's confirmation
    (a new status) comes with it, not at the next 30 s script-hash poll."""
    from wallet.backends import electrum_status, scripthash_of
    from wallet.bitcoin.address import address_to_script

    pg = playground
    pg.mine(3)
    sh = scripthash_of(address_to_script(SHOP, "regtest"))

    async def main():
        client = EsploraClient(pg.esplora_url, network=REGTEST, backoff=FAST)
        tips: asyncio.Queue = asyncio.Queue()
        statuses: asyncio.Queue = asyncio.Queue()
        try:
            await client.subscribe_headers(tips.put_nowait)
            await client.subscribe_scripthash(sh, lambda *a: statuses.put_nowait(a))
            pg.fund(SHOP, 40_000)  # in the mempool: found at the next script-hash poll
            client.poll_now()
            _, seen = await asyncio.wait_for(statuses.get(), 10)
            started = time.monotonic()
            pg.mine(1)
            tip = await asyncio.wait_for(tips.get(), 5)
            assert tip.height == pg.height and tip.hash_hex == pg.tip_hash
            _, mined = await asyncio.wait_for(statuses.get(), 5)
            assert time.monotonic() - started < 5
            assert mined != seen and mined == electrum_status(await client.get_history(sh))
        finally:
            await client.close()

    run(main())
