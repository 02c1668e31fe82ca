"""Reorgs: the kernel switches to a heavier branch and both servers follow it.

A 3-block reorg must be visible over Electrum (headers, histories, notifications) and Esplora
(hashes by height, block status, transaction status)."""

from __future__ import annotations

import asyncio
import hashlib

import httpx
import pytest

from tests import playground_fixture
from tests.playground_fixture import (
    ElectrumClient,
    TestKey,
    funded_coin,
    run,
)
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.playground import PlaygroundError
from wallet.spv.chain import chain_from_genesis

playground = playground_fixture.playground  # the fixture, used by name

KEY = TestKey()
SCRIPTHASH = hashlib.sha256(KEY.script).digest()[::-1].hex()


def test_three_block_reorg_is_seen_over_both_protocols(playground):
    coin = funded_coin(playground, KEY, 250_000)  # confirmed in block 102
    playground.mine(2)
    old = [playground.chain.blocks[h].hash_hex for h in (102, 103, 104)]
    http = httpx.Client(base_url=playground.esplora_url, timeout=10)

    async def body() -> list[str]:
        client = await ElectrumClient.connect(playground.electrum_port)
        watcher = await ElectrumClient.connect(playground.electrum_port)
        try:
            for c in (client, watcher):
                assert (await c.call("blockchain.headers.subscribe"))["height"] == 104
            before = await client.call("blockchain.scripthash.subscribe", SCRIPTHASH)
            history = await client.call("blockchain.scripthash.get_history", SCRIPTHASH)
            assert history == [{"tx_hash": coin[0].txid_hex, "height": 102}]

            loop = asyncio.get_running_loop()
            new = await loop.run_in_executor(None, playground.reorg, 3)
            assert len(new) == 4

            notes = {}
            for _ in range(2):
                note = await client.notification()
                notes[note["method"]] = note["params"]
            header = notes["blockchain.headers.subscribe"][0]
            assert header["height"] == 105
            assert sha256d(bytes.fromhex(header["hex"]))[::-1].hex() == new[-1]
            watched = (await watcher.notification())["params"][0]
            assert watched == header  # every subscriber hears of the new tip

            # the funding transaction went back to the mempool: the status changed
            history = await client.call("blockchain.scripthash.get_history", SCRIPTHASH)
            assert [(h["tx_hash"], h["height"]) for h in history] == [(coin[0].txid_hex, 0)]
            sh, status = notes["blockchain.scripthash.subscribe"]
            assert sh == SCRIPTHASH and status != before
            assert status == hashlib.sha256(f"{coin[0].txid_hex}:0:".encode()).hexdigest()

            chunk = await client.call("blockchain.block.headers", 0, 200)
            _genesis, verdict = chain_from_genesis(bytes.fromhex(chunk["hex"]), REGTEST)
            assert verdict.ok and verdict.tip.hash[::-1].hex() == new[-1]
            for height, block_hash in zip(range(102, 106), new):
                raw = bytes.fromhex(await client.call("blockchain.block.header", height))
                assert sha256d(raw)[::-1].hex() == block_hash
            return new
        finally:
            await client.close()
            await watcher.close()

    new = run(body())
    assert [http.get(f"/block-height/{h}").text for h in range(102, 106)] == new
    assert http.get("/blocks/tip/hash").text == new[-1]
    for block_hash in old:
        assert http.get(f"/block/{block_hash}/status").json() == {"in_best_chain": False}
        assert http.get(f"/block/{block_hash}").json()["id"] == block_hash  # still described
    assert http.get(f"/block/{new[0]}/status").json() == {
        "in_best_chain": True,
        "height": 102,
        "next_best": new[1],
    }
    assert http.get(f"/tx/{coin[0].txid_hex}/status").json() == {"confirmed": False}
    playground.mine(1)
    assert http.get(f"/tx/{coin[0].txid_hex}/status").json()["block_height"] == 106
    http.close()
    with playground.lock:
        assert playground.kernel.hash_at(106) == playground.chain.tip.hash


def test_reorg_can_drop_or_reconfirm_transactions(playground):
    kept = funded_coin(playground, KEY, 10_000)
    dropped = funded_coin(playground, KEY, 20_000)
    playground.reorg(2, drop=[dropped[0].txid_hex], confirm_again=True)
    with playground.lock:
        assert playground.ledger.find_tx(dropped[0].txid) is None
        found = playground.ledger.find_tx(kept[0].txid)
        assert found.block is not None and found.block.height == 102
    assert playground.height == 104


def test_reorg_arguments_are_checked(playground):
    with pytest.raises(PlaygroundError, match="depth"):
        playground.reorg(0)
    with pytest.raises(PlaygroundError, match="more than 3 blocks"):
        playground.reorg(3, length=3)
    with pytest.raises(PlaygroundError, match="depth"):
        playground.reorg(500)
