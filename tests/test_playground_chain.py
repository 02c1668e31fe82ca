"""The playground's chain: every block goes through libbitcoinkernel, the indexes follow it,
and the chain survives a restart. Headers are re-checked by the wallet's own header validator."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests import playground_fixture
from tests.playground_fixture import TestKey, funded_coin
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import OutPoint, TxOut
from wallet.playground import BlockRejected, Playground, PlaygroundError
from wallet.playground.blocks import COIN, block_subsidy, build_block
from wallet.spv.chain import chain_from_genesis

playground = playground_fixture.playground  # the fixture, used by name


def _kernel_agrees(pg: Playground) -> None:
    with pg.lock:
        assert pg.kernel.height == pg.chain.height
        for h in range(pg.chain.height + 1):
            assert pg.kernel.hash_at(h) == pg.chain.blocks[h].hash


def test_first_start_mines_101_blocks_that_the_kernel_accepted(playground):
    assert playground.height == 101
    _kernel_agrees(playground)
    with playground.lock:
        raw = b"".join(b.header for b in playground.chain.blocks)
    _genesis, result = chain_from_genesis(raw, REGTEST)  # the wallet's own header rules
    assert result.ok and result.count == 101
    assert result.tip.hash[::-1].hex() == playground.tip_hash


def test_subsidy_halves_every_150_blocks_as_the_kernel_requires(playground):
    playground.mine(50)
    with playground.lock:
        coinbase = {h: playground.chain.blocks[h].txs[0].tx.outputs[0].value for h in (149, 150)}
    assert coinbase == {149: 50 * COIN, 150: 25 * COIN}
    assert block_subsidy(300) == 12.5 * COIN
    # one satoshi more than the subsidy: Core's consensus engine refuses the block
    with playground.lock:
        tip = playground.chain.tip
        greedy = build_block(tip.hash, tip.height + 1, tip.time + 1, b"\x51", fees=1)
        with pytest.raises(BlockRejected, match="bad-cb-amount"):
            playground.kernel.submit_block(greedy.raw, greedy.hash)
    assert playground.height == 151
    _kernel_agrees(playground)


def test_kernel_refuses_a_block_whose_merkle_root_is_wrong(playground):
    with playground.lock:
        tip = playground.chain.tip
        block = build_block(tip.hash, tip.height + 1, tip.time + 1, b"\x51")
        bad = bytearray(block.raw)
        bad[-1] ^= 1  # the coinbase's locktime: the header no longer commits to it
        with pytest.raises(BlockRejected, match="bad-txnmrklroot"):
            playground.kernel.submit_block(bytes(bad), block.hash)
    assert playground.height == 101


def test_restart_resumes_chain_and_mempool(tmp_path):
    key = TestKey()
    pg = Playground(tmp_path / "pg", electrum_port=0, esplora_port=0).start()
    try:
        pg.mine(5)
        txid = pg.fund(key.address, 50_000)
        tip, height = pg.tip_hash, pg.height
    finally:
        pg.stop()
    started = time.perf_counter()
    again = Playground(tmp_path / "pg", electrum_port=0, esplora_port=0).start()
    try:
        assert time.perf_counter() - started < 5
        assert (again.tip_hash, again.height) == (tip, height)  # no second batch of 101
        assert [t[::-1].hex() for t in again.mempool.entries] == [txid]
        _kernel_agrees(again)
        again.mine(1)
        assert txid in [e.txid[::-1].hex() for e in again.chain.tip.txs]
    finally:
        again.stop()


def test_initial_blocks_can_be_skipped_and_sent_elsewhere(tmp_path):
    key = TestKey()
    with Playground(tmp_path / "a", initial_blocks=0, electrum_port=0, esplora_port=0) as pg:
        assert pg.height == 0
        pg.mine(2, key.address)
        with pg.lock:
            assert pg.chain.tip.txs[0].tx.outputs[0].script_pubkey == key.script
        with pytest.raises(PlaygroundError, match="not enough"):
            pg.fund(key.address, 1000)  # nothing mature yet


def test_stop_leaves_no_threads_ports_or_files():
    before = {t.name for t in threading.enumerate()}
    pg = Playground(electrum_port=0, esplora_port=0, tls=True, electrum_tls_port=0).start()
    ports = [pg.electrum_port, pg.esplora_port, pg.electrum_tls_port]
    datadir = pg.datadir
    assert datadir.exists()
    pg.start_auto_mining(60)
    pg.stop()
    assert not datadir.exists()
    assert {t.name for t in threading.enumerate()} - before == set()
    for port in ports:
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_the_same_datadir_cannot_be_opened_twice(tmp_path):
    with (
        Playground(tmp_path / "pg", electrum_port=0, esplora_port=0),
        pytest.raises(PlaygroundError, match="another playground"),
    ):
        Playground(tmp_path / "pg", electrum_port=0, esplora_port=0).start()


def test_mining_includes_mempool_transactions_by_fee_rate(playground):
    key = TestKey()
    coins = [funded_coin(playground, key, 100_000, confirm=False) for _ in range(3)]
    playground.mine(1)
    low = key.spend([coins[0]], [TxOut(100_000 - 200, key.script)])  # ~1.8 sat/vB
    high = key.spend([coins[1]], [TxOut(100_000 - 5_000, key.script)])
    child = key.spend([(OutPoint(low.txid(), 0), 100_000 - 200)], [TxOut(80_000, key.script)])
    for tx in (low, high, child):
        playground.broadcast(tx)
    playground.mine(1)
    with playground.lock:
        order = [e.txid for e in playground.chain.tip.txs[1:]]
        fees = sum(e.fee for e in playground.chain.tip.txs[1:])
        coinbase = playground.chain.tip.txs[0].tx.outputs[0].value
    assert order.index(high.txid()) < order.index(low.txid()) < order.index(child.txid())
    assert coinbase == block_subsidy(playground.height) + fees
    assert len(playground.mempool) == 0
