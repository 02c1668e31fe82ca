"""Bitcoin Core as a chain source, over real sockets against the playground's REST and RPC.

A restore through Core's REST finds exactly what the P2P scan and an Electrum sync find on the
same wallet (and what the playground's own ledger says), with every block checked against our
headers; a payment broadcast through RPC is confirmed by mining; REST off, no filter index and
wrong credentials each give one sentence naming what to change.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.playground_fixture import start_playground
from tests.wallet_builder import HistoryBuilder
from wallet.backends.base import scripthash_of
from wallet.backends.electrum import ElectrumClient
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.networks import REGTEST, get_network
from wallet.bitcoin.transaction import Transaction, TxOut
from wallet.core.node import (
    DEFAULT_RPC_PORTS,
    CoreAuthFailed,
    CoreError,
    CoreFilterIndexDisabled,
    CoreNode,
    CoreRestDisabled,
    CoreUnavailable,
    cookie_path,
)
from wallet.core.source import CoreSource
from wallet.p2p.client import LightClient
from wallet.spv.store import HeaderStore

MNEMONIC = "abandon " * 11 + "about"


def run(coro, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("core-src"), p2p_listeners=2)
    try:
        builder = HistoryBuilder(pg, MNEMONIC, per_address=2, gap_limit=5)
        builder.build(30, seed=7, leave_unmined=0)
        builder.mine()
        yield pg, builder
    finally:
        pg.stop()


def node_of(pg, **auth) -> CoreNode:
    """The playground's node as a user would name it: host, port, its data directory."""
    if not auth:
        auth = {"datadir": pg.datadir}
    return CoreNode.for_network("regtest", host=pg.host, port=pg.core.port, **auth)


async def core_restore(pg, tmp: Path, scripts, **auth):
    store = HeaderStore(tmp / "core-headers", REGTEST, fsync=False)
    source = CoreSource(node_of(pg, **auth), store)
    try:
        report = await source.sync()
        result = await source.scan(scripts, 0)
        return report, result
    finally:
        await source.close()
        store.close()


def test_restore_through_core_rest_finds_what_p2p_and_electrum_find(built, tmp_path):
    pg, builder = built
    scripts = builder.scripts()
    expected = {t: h for t, h in builder.view().txs.items() if h is not None}
    assert len(expected) >= 25

    report, core = run(core_restore(pg, tmp_path, scripts))
    assert report.tip_height == pg.height == report.filter_tip
    core_txs = {t.txid[::-1].hex(): t.height for t in core.txs}

    async def p2p():
        store = HeaderStore(tmp_path / "p2p-headers", REGTEST, fsync=False)
        peers = [f"127.0.0.1:{p}" for p in pg.p2p_ports]
        client = LightClient(REGTEST, store, peers=peers, target_peers=2, use_dns=False,
                             use_fixed=False)  # fmt: skip
        try:
            await client.start()
            await client.sync()
            return await client.scan(scripts, 0)
        finally:
            await client.close()
            store.close()

    p2p_txs = {t.txid[::-1].hex(): t.height for t in run(p2p()).txs}

    async def electrum():
        client = ElectrumClient("127.0.0.1", pg.electrum_port)
        try:
            out = {}
            for script in scripts:
                for item in await client.get_history(scripthash_of(script)):
                    if item.height > 0:
                        out[item.txid_hex] = item.height
            return out
        finally:
            await client.close()

    electrum_txs = run(electrum())
    assert core_txs == p2p_txs == electrum_txs == expected
    # the positions and bytes are the chain's
    with pg.lock:
        for t in core.txs:
            block = pg.chain.blocks[t.height]
            assert block.txs[t.pos].txid == t.txid and block.txs[t.pos].raw == t.raw
    # the node was never told a script: REST asked only for public headers, filters, blocks
    paths = [p for _, p, _ in pg.core.requests]
    assert all(p.startswith("/rest/") for p in paths)
    hexes = {s.hex() for s in scripts} | {scripthash_of(s).hex() for s in scripts}
    assert not any(h in p for p in paths for h in hexes)
    fetched = {p.split("/")[-1].split(".")[0] for p in paths if p.startswith("/rest/block/")}
    assert len(fetched) == len(core.matched_heights)


def test_header_sync_follows_a_reorg_and_rescan_moves_the_transaction(built, tmp_path):
    pg, builder = built

    async def go():
        store = HeaderStore(tmp_path / "h", REGTEST, fsync=False)
        source = CoreSource(node_of(pg), store)
        try:
            first = await source.sync()
            script = builder.scripts()[0]
            txid = pg.fund(script, 12_345, confirm=True)
            await source.sync()
            before = await source.scan([script], first.tip_height + 1)
            pg.reorg(1, confirm_again=True)
            pg.mine(1)
            report = await source.sync()
            after = await source.scan([script], first.tip_height + 1)
            return txid, before, report, after, store.tip.hash_hex
        finally:
            await source.close()
            store.close()

    txid, before, report, after, tip = run(go())
    assert tip == pg.tip_hash
    assert report.fork_point == before.txs[0].height - 1
    assert [t.txid[::-1].hex() for t in before.txs] == [txid]
    assert [t.txid[::-1].hex() for t in after.txs] == [txid]
    assert after.txs[0].block_hash != before.txs[0].block_hash


def test_broadcast_through_rpc_is_confirmed_by_mining(built, tmp_path):
    pg, builder = built
    script = builder.scripts()[-1]
    with pg.lock:
        coins = pg._faucet_coins(50_000)
        tx = pg.faucet.build(coins, [TxOut(50_000, script)], 3.0)

    async def go():
        store = HeaderStore(tmp_path / "b", REGTEST, fsync=False)
        source = CoreSource(node_of(pg), store)
        try:
            await source.sync()
            start = store.height + 1
            sent = await source.broadcast(tx.serialize())
            fee = await source.fee_estimate(2)
            (block_hash,) = pg.mine(1)
            await source.sync()
            found = await source.scan([script], start)
            return sent, fee, found, block_hash
        finally:
            await source.close()
            store.close()

    sent, fee, found, block_hash = run(go())
    assert sent.txid == tx.txid() and sent.in_mempool
    assert isinstance(fee, FeeRate) and fee.sat_per_kvb >= 1000
    assert [t.txid for t in found.txs] == [tx.txid()]
    assert found.txs[0].block_hash[::-1].hex() == block_hash
    assert Transaction.parse(found.txs[0].raw).txid() == tx.txid()


def test_rest_off_filter_index_off_and_wrong_credentials_say_what_to_change(built, tmp_path):
    pg, _ = built

    async def attempt(**auth):
        store = HeaderStore(tmp_path / f"s{len(list(tmp_path.iterdir()))}", REGTEST, fsync=False)
        source = CoreSource(node_of(pg, **auth), store)
        try:
            await source.sync()
            return await source.rpc.raw_mempool()
        finally:
            await source.close()
            store.close()

    pg.core.configure(rest=False)
    try:
        with pytest.raises(CoreRestDisabled) as err:
            run(attempt())
        assert "start bitcoind with -rest=1" in str(err.value)
    finally:
        pg.core.configure(rest=True)
    pg.core.configure(blockfilterindex=False)
    try:
        with pytest.raises(CoreFilterIndexDisabled) as err:
            run(attempt())
        assert "start bitcoind with -blockfilterindex=1" in str(err.value)
    finally:
        pg.core.configure(blockfilterindex=True)
    with pytest.raises(CoreAuthFailed) as err:
        run(attempt(user="alice", password="wrong"))
    assert "refused the RPC credentials" in str(err.value)
    stale = tmp_path / "stale.cookie"
    stale.write_text("__cookie__:" + "00" * 32)
    with pytest.raises(CoreAuthFailed) as err:
        run(attempt(cookie=stale))
    assert "stale" in str(err.value)
    with pytest.raises(CoreAuthFailed) as err:
        run(attempt(datadir=tmp_path / "no-node"))
    assert "No Bitcoin Core cookie file" in str(err.value)
    assert isinstance(run(attempt()), list)  # the right cookie works


def test_an_unreachable_node_names_the_default_ports(tmp_path):
    node = CoreNode.for_network("regtest", port=1, user="u", password="p")

    async def go():
        store = HeaderStore(tmp_path / "x", REGTEST, fsync=False)
        source = CoreSource(node, store, timeout=5)
        try:
            await source.sync()
        finally:
            await source.close()
            store.close()

    with pytest.raises(CoreUnavailable) as err:
        run(go())
    assert "mainnet 8332" in str(err.value) and "127.0.0.1:1" in str(err.value)


def test_default_ports_cookie_locations_and_remote_nodes(tmp_path):
    assert {n: CoreNode.for_network(n).port for n in DEFAULT_RPC_PORTS} == {
        "mainnet": 8332, "testnet3": 18332, "testnet4": 48332, "signet": 38332, "regtest": 18443,
    }  # fmt: skip
    assert cookie_path("mainnet", tmp_path) == tmp_path / ".cookie"
    for name in ("testnet3", "testnet4", "signet", "regtest"):
        assert cookie_path(name, tmp_path) == tmp_path / name / ".cookie"
    assert CoreNode.for_network("mainnet").cookie.name == ".cookie"
    remote = CoreNode.from_url("http://bob:secret@node.lan:9000", "signet")
    assert (remote.host, remote.port, remote.user, remote.password) == (
        "node.lan", 9000, "bob", "secret"
    )  # fmt: skip
    assert CoreNode.from_url("192.168.1.5", get_network("testnet4")).port == 48332
    with pytest.raises(CoreError):
        CoreNode.from_url("https://node.lan", "mainnet")
    with pytest.raises(CoreAuthFailed):
        CoreNode.for_network("mainnet", user="only-user")
