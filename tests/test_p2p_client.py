"""The compact-filter light client over real sockets against the playground's P2P listeners.

Headers and filter headers from several peers, a scan that finds a wallet's transactions with
their positions, peers that lie (low-work headers, wrong filters, wrong filter headers), withhold
blocks or stall, a reorg, and a broadcast whose relay another peer confirms.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.playground_fixture import start_playground
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import Transaction, TxOut
from wallet.p2p.client import LightClient
from wallet.spv.store import HeaderStore


def _script() -> bytes:
    return b"\x00\x14" + os.urandom(20)


@pytest.fixture
def pg(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=3)
    try:
        yield pg
    finally:
        pg.stop()


def run_client(pg, tmp_path, body, listeners=None, timeout=10.0, target=3):
    ports = pg.p2p_ports if listeners is None else [pg.p2p_ports[i] for i in listeners]

    async def go():
        store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
        client = LightClient(
            REGTEST,
            store,
            peers=[f"127.0.0.1:{p}" for p in ports],
            target_peers=target,
            use_dns=False,
            use_fixed=False,
            timeout=timeout,
        )
        try:
            await client.start()
            return await body(client)
        finally:
            await client.close()
            store.close()

    return asyncio.run(asyncio.wait_for(go(), 120))


def _fund(pg, script: bytes, sats: int) -> tuple[str, int]:
    txid = pg.fund(script, sats)
    pg.mine(1)
    return txid, pg.height


def test_headers_and_filter_headers_from_three_peers(pg, tmp_path):
    pg.mine(5)

    async def body(client):
        report = await client.sync()
        return report, client.peers(), client.store.height, client.store.tip.hash_hex

    report, peers, height, tip = run_client(pg, tmp_path, body)
    assert height == pg.height and tip == pg.tip_hash
    assert report.filter_tip == pg.height
    assert len(report.headers.peers_asked) == 3
    assert len(peers) == 3
    assert all("COMPACT_FILTERS" in p.services and "WITNESS" in p.services for p in peers)


def test_a_low_work_peer_is_dropped_and_the_honest_chain_kept(pg, tmp_path):
    pg.p2p(0).misbehave("low-work", depth=3)

    async def body(client):
        await client.sync()
        return client.dropped, client.store.tip.hash_hex

    dropped, tip = run_client(pg, tmp_path, body)
    assert tip == pg.tip_hash
    assert [d.peer for d in dropped] == [f"127.0.0.1:{pg.p2p_ports[0]}"]
    assert "high-hash" in dropped[0].reason


def test_scan_finds_the_wallet_transactions_with_positions_and_grows_the_gap(pg, tmp_path):
    first, second = _script(), _script()
    txid1, h1 = _fund(pg, first, 70_000)
    pg.mine(3)
    txid2, h2 = _fund(pg, second, 30_000)
    pg.mine(2)
    revealed = []

    def more(found):
        revealed.extend(found)
        return [second] if any(t.height == h1 for t in found) else []

    async def body(client):
        await client.sync()
        return await client.scan([first], birthday=100, more_scripts=more)

    result = run_client(pg, tmp_path, body)
    assert [(t.txid[::-1].hex(), t.height) for t in result.txs] == [(txid1, h1), (txid2, h2)]
    with pg.lock:
        for t in result.txs:
            block = pg.chain.blocks[t.height]
            assert block.txs[t.pos].txid == t.txid and t.block_hash == block.hash
            assert Transaction.parse(t.raw).txid() == t.txid
    assert result.matched_heights == [h1, h2]
    # each block came from a peer other than the one that served its filter
    for h in result.matched_heights:
        assert result.block_peers[h] != result.filter_peers[h]
    # no peer was told a script: nothing any listener received holds one
    for listener in pg.p2p_listeners:
        for _, msg in listener.received:
            assert first not in msg.payload() and second not in msg.payload()


def test_a_peer_serving_wrong_filters_is_dropped_and_the_scan_completes(pg, tmp_path):
    script = _script()
    txid, _height = _fund(pg, script, 40_000)
    pg.p2p(1).misbehave("wrong-filter")

    async def body(client):
        await client.sync()  # its filter headers are honest: nothing to see yet
        return await client.scan([script], birthday=90), client.dropped

    # one peer at a time, the liar first: it serves the filters, is caught, and the pool
    # connects to the next named peer, which completes the scan
    result, dropped = run_client(pg, tmp_path, body, listeners=[1, 0], target=1)
    assert [t.txid[::-1].hex() for t in result.txs] == [txid]
    assert [d.peer for d in dropped] == [f"127.0.0.1:{pg.p2p_ports[1]}"]
    assert "does not match its header" in dropped[0].reason


def test_a_peer_lying_about_filter_headers_is_caught_through_the_block(pg, tmp_path):
    script = _script()
    txid, height = _fund(pg, script, 40_000)
    pg.mine(2)
    pg.p2p(2).misbehave("wrong-filter-headers")

    async def body(client):
        await client.sync()
        return await client.scan([script], birthday=90), client.dropped

    result, dropped = run_client(pg, tmp_path, body)
    assert [t.txid[::-1].hex() for t in result.txs] == [txid]
    assert [d.peer for d in dropped] == [f"127.0.0.1:{pg.p2p_ports[2]}"]
    assert f"filter for block {height}" in dropped[0].reason
    # the block was fetched to settle it (a getdata for it reached some listener)
    asked = [msg for x in pg.p2p_listeners for _, msg in x.received if msg.command == "getdata"]
    assert asked


def test_withheld_blocks_and_a_stalling_peer(pg, tmp_path):
    script = _script()
    txid, height = _fund(pg, script, 40_000)
    pg.p2p(0).misbehave("withhold-block")
    pg.p2p(2).misbehave("stall")

    async def body(client):
        await client.sync()
        result = await client.scan([script], birthday=90)
        return result, client.dropped, [p.name for p in client.peers()]

    result, dropped, live = run_client(pg, tmp_path, body, timeout=1.5)
    assert [t.txid[::-1].hex() for t in result.txs] == [txid]
    assert result.block_peers[height] == f"127.0.0.1:{pg.p2p_ports[1]}"
    assert f"127.0.0.1:{pg.p2p_ports[1]}" in live
    stalled = f"127.0.0.1:{pg.p2p_ports[2]}"
    assert stalled not in live  # timed out twice: dropped or disconnected
    assert any(d.peer == stalled and "no answer" in d.reason for d in dropped)


def test_a_reorg_moves_the_transaction_and_the_client_follows(pg, tmp_path):
    script = _script()
    txid, height = _fund(pg, script, 40_000)

    async def body(client):
        await client.sync()
        before = await client.scan([script], birthday=90)
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: pg.reorg(2, length=4, confirm_again=True)
        )
        report = await client.sync()
        after = await client.scan([script], birthday=report.fork_point + 1)
        return before, report, after, client.store.tip.hash_hex

    before, report, after, tip = run_client(pg, tmp_path, body)
    assert [t.height for t in before.txs] == [height]
    assert report.fork_point == height - 2
    assert tip == pg.tip_hash
    assert [t.txid[::-1].hex() for t in after.txs] == [txid]
    assert after.txs[0].height == height - 1  # mined again in the branch's first block
    with pg.lock:
        assert after.txs[0].block_hash == pg.chain.blocks[height - 1].hash
    assert before.txs[0].block_hash != after.txs[0].block_hash


def test_broadcast_is_confirmed_by_another_peer(pg, tmp_path):
    with pg.lock:
        tx = pg.faucet.build(pg._faucet_coins(25_000), [TxOut(25_000, _script())], 2.0)
    raw = tx.serialize()

    async def body(client):
        await client.sync()
        return await client.broadcast(raw, timeout=10)

    result = run_client(pg, tmp_path, body)
    assert result.fetched and result.confirmed
    assert result.sent_to not in result.relayed_by
    assert pg.mempool.get(tx.txid()) is not None


def test_keeping_quiet_peers_alive_drops_none(pg, tmp_path):
    """While following, quiet peers are pinged (``keep_alive``): honest peers answer every
    ping with its pong and stay connected, however many quiet spells pass."""

    async def body(client):
        await client.sync()
        for _ in range(3):
            await client.keep_alive()
        return client.dropped, [p.name for p in client.peers()], dict(client.pool.scores)

    dropped, live, scores = run_client(pg, tmp_path, body, timeout=1.5)
    assert dropped == [] and len(live) == 3
    assert not any(scores.values()), scores


def test_following_stops_when_cancelled_as_a_block_is_announced(tmp_path):
    """The till's ``charge`` hung now and then after "confirmed": its follow loop was cancelled
    in the same turn a block announcement woke it, and Python 3.11's ``asyncio.wait_for``
    returned the announcement and dropped the cancellation, so the loop waited for the next
    block for ever. The announcement and the cancellation arrive together here, every time."""

    async def go() -> None:
        store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
        client = LightClient(REGTEST, store, use_dns=False, use_fixed=False)
        woke = asyncio.Event()

        async def follow() -> None:
            while True:
                await client.wait_for_news(60)
                woke.set()

        task = asyncio.ensure_future(follow())
        await asyncio.sleep(0.05)  # waiting for news
        client._news.set()  # a peer announces a block...
        for _ in range(3):  # ...and the wait has taken it, but its task has not run yet
            await asyncio.sleep(0)
            if task._fut_waiter is not None and task._fut_waiter.done():
                break
        task.cancel()  # the charge is done: stop following
        try:
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), 5)
        finally:
            task.cancel()
            store.close()

    asyncio.run(go())
