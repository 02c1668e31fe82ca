"""The Electrum server over real sockets (asyncio streams, newline-delimited JSON-RPC).

Headers are checked with the wallet's header validator, Merkle branches against the header's
merkle root with ``wallet.spv.merkle``, and statuses by recomputing them as protocol-basics
defines them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import ssl
import time

import pytest

from tests import playground_fixture
from tests.playground_fixture import (
    ElectrumClient,
    ElectrumError,
    TestKey,
    funded_coin,
    run,
)
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.spv.chain import chain_from_genesis
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import ElectrumProof, merkle_root, root_from_branch

playground = playground_fixture.playground  # the fixture, used by name

KEY = TestKey()
SCRIPTHASH = hashlib.sha256(KEY.script).digest()[::-1].hex()


def electrum(pg, body, tls: ssl.SSLContext | None = None):
    """Run ``body(client)`` against the playground's Electrum port."""

    async def go():
        port = pg.electrum_tls_port if tls else pg.electrum_port
        client = await ElectrumClient.connect(port, tls=tls)
        try:
            return await body(client)
        finally:
            await client.close()

    return run(go())


def _status(history: list[dict]) -> str | None:
    if not history:
        return None
    text = "".join(f"{h['tx_hash']}:{h['height']}:" for h in history)
    return hashlib.sha256(text.encode()).hexdigest()


def test_server_methods(playground):
    async def body(c):
        version = await c.call("server.version", "paylight-test", ["1.4", "1.6"])
        features = await c.call("server.features")
        assert version == [features["server_version"], "1.4.2"]
        assert features["genesis_hash"] == REGTEST.genesis_hash
        assert features["hash_function"] == "sha256"
        assert features["hosts"]["127.0.0.1"]["tcp_port"] == playground.electrum_port
        assert (features["protocol_min"], features["protocol_max"]) == ("1.4", "1.4.2")
        assert "playground" in await c.call("server.banner")
        assert await c.call("server.donation_address") == playground.faucet_address
        assert await c.call("server.ping") is None
        assert await c.call("server.peers.subscribe") == []
        assert await c.call("blockchain.relayfee") == 0.00001
        assert await c.call("blockchain.estimatefee", 6) == 0.00001
        with pytest.raises(ElectrumError, match="already sent"):
            await c.call("server.version", "again", "1.4")

    electrum(playground, body)


def test_version_negotiation_refuses_a_protocol_it_does_not_speak(playground):
    async def body(c):
        with pytest.raises(ElectrumError, match="unsupported protocol version"):
            await c.call("server.version", "old", "1.2")
        assert await c.next_raw() == b""  # and the server closes the connection

    electrum(playground, body)


def test_headers_and_checkpoint_proofs(playground):
    async def body(c):
        tip = await c.call("blockchain.headers.subscribe")
        assert tip["height"] == 101
        chunk = await c.call("blockchain.block.headers", 0, 3000)
        assert (chunk["count"], chunk["max"]) == (102, 2016)
        raw = bytes.fromhex(chunk["hex"])
        _genesis, verdict = chain_from_genesis(raw, REGTEST)
        assert verdict.ok and verdict.tip.hash == sha256d(bytes.fromhex(tip["hex"]))
        assert await c.call("blockchain.block.header", 7) == raw[7 * 80 : 8 * 80].hex()
        proof = await c.call("blockchain.block.header", 7, 100)
        hashes = [sha256d(raw[i : i + 80]) for i in range(0, 101 * 80, 80)]
        assert proof["root"] == merkle_root(hashes)[::-1].hex()
        branch = [bytes.fromhex(h)[::-1] for h in proof["branch"]]
        assert root_from_branch(hashes[7], branch, 7) == merkle_root(hashes)
        ranged = await c.call("blockchain.block.headers", 90, 5, 100)
        assert ranged["hex"] == raw[90 * 80 : 95 * 80].hex()
        branch = [bytes.fromhex(h)[::-1] for h in ranged["branch"]]
        assert root_from_branch(hashes[94], branch, 94)[::-1].hex() == ranged["root"]
        with pytest.raises(ElectrumError):
            await c.call("blockchain.block.header", 102)
        with pytest.raises(ElectrumError, match="cp_height"):
            await c.call("blockchain.block.header", 50, 40)

    electrum(playground, body)


def test_broadcast_notifications_history_and_merkle_proof(playground):
    async def body(c):
        await c.call("server.version", "paylight-test", "1.4")
        await c.call("blockchain.headers.subscribe")
        assert await c.call("blockchain.scripthash.subscribe", SCRIPTHASH) is None
        loop = asyncio.get_running_loop()
        coin = await loop.run_in_executor(None, funded_coin, playground, KEY, 300_000, False)
        note = await c.notification()
        assert note["method"] == "blockchain.scripthash.subscribe"
        history = await c.call("blockchain.scripthash.get_history", SCRIPTHASH)
        assert history == [{"tx_hash": coin[0].txid_hex, "height": 0, "fee": history[0]["fee"]}]
        assert note["params"] == [SCRIPTHASH, _status(history)]
        assert await c.call("blockchain.scripthash.get_mempool", SCRIPTHASH) == history
        assert await c.call("blockchain.scripthash.get_balance", SCRIPTHASH) == {
            "confirmed": 0,
            "unconfirmed": 300_000,
        }

        # spend it over the wire before it confirms: height -1 (an unconfirmed parent)
        spend = KEY.spend([coin], [TxOut(290_000, KEY.script)])
        txid = await c.call("blockchain.transaction.broadcast", spend.serialize().hex())
        assert txid == spend.txid_hex
        note = await c.notification()
        history = await c.call("blockchain.scripthash.get_history", SCRIPTHASH)
        assert [h["height"] for h in history] == [0, -1]
        assert note["params"][1] == _status(history)
        unspent = await c.call("blockchain.scripthash.listunspent", SCRIPTHASH)
        assert unspent == [{"tx_pos": 0, "value": 290_000, "tx_hash": txid, "height": 0}]

        await loop.run_in_executor(None, playground.mine, 1)
        notes = [await c.notification(), await c.notification()]
        by_method = {n["method"]: n["params"] for n in notes}
        header = by_method["blockchain.headers.subscribe"][0]
        assert header["height"] == 102
        history = await c.call("blockchain.scripthash.get_history", SCRIPTHASH)
        assert history == [
            {"tx_hash": coin[0].txid_hex, "height": 102},
            {"tx_hash": txid, "height": 102},
        ]
        assert by_method["blockchain.scripthash.subscribe"] == [SCRIPTHASH, _status(history)]
        assert await c.call("blockchain.scripthash.get_balance", SCRIPTHASH) == {
            "confirmed": 290_000,
            "unconfirmed": 0,
        }

        raw = bytes.fromhex(await c.call("blockchain.transaction.get", txid))
        proof = await c.call("blockchain.transaction.get_merkle", txid, 102)
        block_header = bytes.fromhex(await c.call("blockchain.block.header", 102))
        assert block_header.hex() == header["hex"]
        assert ElectrumProof.from_json(proof).verify(raw, block_header) == spend.txid()
        by_pos = await c.call("blockchain.transaction.id_from_pos", 102, proof["pos"], True)
        assert by_pos == {"tx_hash": txid, "merkle": proof["merkle"]}
        assert await c.call("blockchain.transaction.id_from_pos", 102, 0) != txid

        verbose = await c.call("blockchain.transaction.get", txid, True)
        assert verbose["txid"] == txid and verbose["hex"] == raw.hex()
        assert verbose["confirmations"] == 1 and verbose["vout"][0]["value"] == 0.0029
        assert verbose["vout"][0]["scriptPubKey"]["address"] == KEY.address
        assert verbose["vin"][0]["txinwitness"] == [w.hex() for w in spend.inputs[0].witness]
        assert await c.call("blockchain.scripthash.unsubscribe", SCRIPTHASH) is True
        assert await c.call("blockchain.scripthash.unsubscribe", SCRIPTHASH) is False

    electrum(playground, body)


def test_fee_histogram_and_estimates_follow_the_mempool(playground):
    coin = funded_coin(playground, KEY, 100_000)
    playground.broadcast(KEY.spend([coin], [TxOut(100_000 - 1_100, KEY.script)]))
    playground.set_fee_estimates({1: 20.0, 6: 5.0})

    async def body(c):
        histogram = await c.call("mempool.get_fee_histogram")
        assert len(histogram) == 1 and histogram[0][0] == 10.0 and histogram[0][1] == 110
        assert await c.call("blockchain.estimatefee", 1) == 0.0002
        assert await c.call("blockchain.estimatefee", 10) == 0.00005

    electrum(playground, body)


def test_tls(playground, tmp_path):
    from wallet.playground import Playground

    with Playground(tmp_path / "tls", electrum_port=0, esplora_port=0, tls=True) as pg:
        context = ssl.create_default_context(cafile=str(pg.certificate))

        async def body(c):
            return await c.call("blockchain.headers.subscribe")

        assert electrum(pg, body, tls=context)["height"] == 101


def test_bad_input_gets_errors_and_the_server_keeps_serving(playground):
    async def body(c):
        await c.send_line(b"{not json\n")
        reply = json.loads(await c.next_raw())
        assert reply["error"]["code"] == -32700 and reply["id"] is None
        await c.send_line(b'"just a string"\n')
        assert json.loads(await c.next_raw())["error"]["code"] == -32600
        await c.send_line(b"[]\n")
        assert json.loads(await c.next_raw())["error"]["code"] == -32600
        assert (await c.request("no.such.method"))["error"]["code"] == -32601
        reply = await c.request("blockchain.block.header", "seven")
        assert reply["error"]["code"] == -32602
        reply = await c.request("blockchain.scripthash.get_history", "zz" * 32)
        assert reply["error"]["code"] == -32602
        reply = await c.request("blockchain.block.header", 1, 2, 3, 4)
        assert reply["error"]["code"] == -32602
        reply = await c.request("blockchain.transaction.get", "00" * 32)
        assert reply["error"]["code"] == 1
        reply = await c.request("blockchain.transaction.broadcast", "nothex")
        assert reply["error"]["code"] == 1
        batch = [
            {"jsonrpc": "2.0", "id": "a", "method": "server.ping"},
            {"jsonrpc": "2.0", "id": "b", "method": "nope"},
        ]
        await c.send_line(json.dumps(batch).encode() + b"\n")
        replies = {r["id"]: r for r in json.loads(await c.next_raw())}
        assert replies["a"]["result"] is None and replies["b"]["error"]["code"] == -32601
        assert (await c.call("blockchain.headers.subscribe"))["height"] == 101

        other = await ElectrumClient.connect(playground.electrum_port)
        try:
            await other.send_line(
                b'{"id": 1, "method": "server.ping", "params": ["' + b"a" * 1_100_000
            )
            reply = json.loads(await other.next_raw())
            assert reply["error"]["code"] == -32600 and "bytes" in reply["error"]["message"]
            assert await other.next_raw() == b""  # then closed
        finally:
            await other.close()
        assert await c.call("server.ping") is None  # the first client is still served

    electrum(playground, body)


# -- misbehaviour ---------------------------------------------------------------------------------


def _confirmed_tx(pg) -> tuple[str, int]:
    coin = funded_coin(pg, KEY, 50_000)
    return coin[0].txid_hex, pg.height


def test_wrong_merkle_branch_fails_verification(playground):
    txid, height = _confirmed_tx(playground)
    playground.misbehave("wrong-merkle")

    async def body(c):
        raw = bytes.fromhex(await c.call("blockchain.transaction.get", txid))
        header = bytes.fromhex(await c.call("blockchain.block.header", height))
        proof = await c.call("blockchain.transaction.get_merkle", txid, height)
        with pytest.raises(MerkleProofError):
            ElectrumProof.from_json(proof).verify(raw, header)
        playground.behave()
        proof = await c.call("blockchain.transaction.get_merkle", txid, height)
        ElectrumProof.from_json(proof).verify(raw, header)

    electrum(playground, body)


def test_low_work_headers_fail_the_header_rules(playground):
    playground.misbehave("low-work", depth=3)

    async def body(c):
        chunk = await c.call("blockchain.block.headers", 0, 200)
        _genesis, verdict = chain_from_genesis(bytes.fromhex(chunk["hex"]), REGTEST)
        assert not verdict.ok and verdict.count == 98  # the first forged header, 99, fails
        tip = await c.call("blockchain.headers.subscribe")
        assert tip["hex"] == chunk["hex"][-160:]

    electrum(playground, body)


def test_omitted_transaction_is_missing_from_history(playground):
    coin = funded_coin(playground, KEY, 40_000)
    second = funded_coin(playground, KEY, 30_000)
    playground.misbehave("omit-tx", txid=coin[0].txid_hex)

    async def body(c):
        history = await c.call("blockchain.scripthash.get_history", SCRIPTHASH)
        assert [h["tx_hash"] for h in history] == [second[0].txid_hex]
        unspent = await c.call("blockchain.scripthash.listunspent", SCRIPTHASH)
        assert [u["tx_hash"] for u in unspent] == [second[0].txid_hex]

    electrum(playground, body)


def test_slow_dropped_and_malformed_answers(playground):
    async def body(c):
        playground.misbehave("slow", delay=0.5)
        started = time.perf_counter()
        assert await c.call("server.ping") is None
        assert time.perf_counter() - started >= 0.5
        playground.behave("slow")
        playground.misbehave("malformed-json")
        await c.send_line(b'{"id": 9, "method": "blockchain.headers.subscribe"}\n')
        line = await c.next_raw()
        with pytest.raises(ValueError):
            json.loads(line)
        playground.behave()
        playground.misbehave("drop", after=0)
        with pytest.raises(ConnectionError):
            await c.call("server.ping")

    electrum(playground, body)
