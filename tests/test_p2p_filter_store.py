"""Filter headers kept on disk beside the header store, and a header store anchored at a
checkpoint, over real sockets against the playground's P2P listeners.

A restart asks the peers only for the filter headers of new blocks; a torn last record and
records of blocks a reorg replaced are not believed on load; a store anchored at a checkpoint
gets the filter header of the checkpoint's block from the peers' agreement, and a peer lying
about it is dropped -- through a block when it also lies about a filter above the checkpoint,
by the other peers' agreement when it lies only below.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.playground_fixture import start_playground
from wallet.bitcoin.networks import REGTEST
from wallet.p2p import messages as m
from wallet.p2p.client import LightClient
from wallet.spv.checkpoints import Checkpoint
from wallet.spv.filter_store import RECORD, FilterHeaderFile
from wallet.spv.store import HeaderStore

REGTEST_BITS = 0x207FFFFF


def _script() -> bytes:
    return b"\x00\x14" + os.urandom(20)


@pytest.fixture
def pg(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=3)
    try:
        yield pg
    finally:
        pg.stop()


def client_run(pg, store, body, listeners=(0, 1, 2)):
    async def go():
        client = LightClient(
            REGTEST,
            store,
            peers=[f"127.0.0.1:{pg.p2p_ports[i]}" for i in listeners],
            target_peers=len(listeners),
            use_dns=False,
            use_fixed=False,
            timeout=10,
        )
        try:
            await client.start()
            return await body(client)
        finally:
            await client.close()

    return asyncio.run(asyncio.wait_for(go(), 120))


def cfheaders_asked(pg) -> list[int]:
    """The start height of every getcfheaders any listener received."""
    return [
        msg.start_height
        for x in pg.p2p_listeners
        for _, msg in x.received
        if isinstance(msg, m.GetCFHeaders) and msg.command == "getcfheaders"
    ]


async def synced(client):
    return await client.sync()


def test_a_restart_asks_only_for_the_filter_headers_of_new_blocks(pg, tmp_path):
    store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
    first = client_run(pg, store, synced)
    assert first.filter_tip == pg.height
    assert min(cfheaders_asked(pg)) == 0  # the first run fetched them from genesis
    store.close()
    for x in pg.p2p_listeners:
        x.received.clear()
    old_tip = pg.height
    pg.mine(3)

    store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
    try:
        saved = FilterHeaderFile(store).load()
        assert saved is not None and saved.tip_height == old_tip
        second = client_run(pg, store, synced)
    finally:
        store.close()
    assert second.filter_tip == pg.height
    # each peer is asked for the filter header of the tip we held (one entry: every peer must
    # agree with what we kept), then for those of the new blocks only
    listeners = len(pg.p2p_listeners)
    assert sorted(cfheaders_asked(pg)) == [old_tip] * listeners + [old_tip + 1] * listeners


def test_a_torn_record_and_records_of_replaced_blocks_are_not_believed(pg, tmp_path):
    script = _script()
    pg.fund(script, 50_000, confirm=True)
    pg.mine(2)
    store = HeaderStore(tmp_path / "headers", REGTEST, fsync=False)
    try:
        client_run(pg, store, synced)
        file = FilterHeaderFile(store)
        good = file.load()
        assert good is not None and good.tip_height == pg.height
        # a power cut in the middle of an append: half a record at the end
        with open(file.path, "ab") as handle:
            handle.write(os.urandom(RECORD // 2))
        assert file.load().tip_height == pg.height
        assert file.still_on_chain(good)

        # a reorg of the last two blocks, seen by the header store first (as another process
        # sharing it would): the saved records of the replaced blocks are cut on load
        fork = pg.height - 2
        pg.reorg(2)

        async def headers_only(client):
            from wallet.p2p.sync import sync_headers

            return await sync_headers(client.pool, store)

        report = client_run(pg, store, headers_only)
        assert report.fork_point == fork
        assert not file.still_on_chain(good)
        assert file.load().tip_height == fork
        # the next sync brings them back for the new branch, and saves them
        client_run(pg, store, synced)
        again = file.load()
        assert again.tip_height == pg.height and again.header(fork) == good.header(fork)
        with pg.lock:
            assert again.header(pg.height) == pg.filters.header(pg.height)
        # the file holds one whole record per block above the anchor, nothing torn
        assert os.path.getsize(file.path) == (pg.height + 1) * RECORD
    finally:
        store.close()


def anchored_store(pg, path, height: int) -> HeaderStore:
    """A header store anchored at the playground's block ``height``, as one anchored at a
    hard-coded checkpoint is on mainnet (nothing below it is held)."""
    with pg.lock:
        blocks = pg.chain.blocks
        times = tuple(blocks[h].time for h in range(height - 10, height + 1))
        record = blocks[height]
    checkpoint = Checkpoint(height, record.hash, REGTEST_BITS, None, REGTEST_BITS, times)
    return HeaderStore(path, REGTEST, checkpoint=checkpoint, fsync=False)


def test_a_store_anchored_at_a_checkpoint_syncs_and_scans_from_there(pg, tmp_path):
    early = _script()
    pg.fund(early, 30_000, confirm=True)  # below the checkpoint: it changes filters there
    pg.mine(3)
    base = pg.height
    late = _script()
    txid = pg.fund(late, 40_000, confirm=True)
    pg.mine(2)
    store = anchored_store(pg, tmp_path / "anchored", base)

    async def body(client):
        report = await client.sync()
        return report, await client.scan([late, early], birthday=0), client.dropped

    try:
        report, found, dropped = client_run(pg, store, body)
        assert store.base_height == base and report.filter_tip == pg.height
        assert found.start == base + 1
        assert [t.txid[::-1].hex() for t in found.txs] == [txid]
        assert dropped == []
        # the base's filter header is the one the peers agreed on, and it is saved
        with pg.lock:
            assert FilterHeaderFile(store).load().header(base) == pg.filters.header(base)
        assert min(cfheaders_asked(pg)) == base + 1  # nothing below the checkpoint asked
    finally:
        store.close()


@pytest.mark.parametrize("lies_above", [True, False], ids=["lies-above-too", "lies-below-only"])
def test_a_peer_lying_about_the_checkpoints_filter_header_is_dropped(pg, tmp_path, lies_above):
    pg.fund(_script(), 30_000, confirm=True)  # below the checkpoint: the liar's headers differ
    pg.mine(2)
    base = pg.height
    late = _script()
    if lies_above:  # a block above with a transaction: the liar's filter for it leaves it out
        pg.fund(late, 40_000, confirm=True)
    pg.mine(3)
    store = anchored_store(pg, tmp_path / "anchored", base)
    pg.p2p(2).misbehave("wrong-filter-headers")

    async def body(client):
        await client.sync()
        return client.dropped, await client.scan([late], birthday=0)

    try:
        dropped, found = client_run(pg, store, body)
    finally:
        store.close()
    liar = f"127.0.0.1:{pg.p2p_ports[2]}"
    assert [d.peer for d in dropped] == [liar]
    if lies_above:
        assert f"filter for block {base + 1}" in dropped[0].reason
        assert len(found.txs) == 1
    else:
        assert "checkpoint" in dropped[0].reason and "most peers" in dropped[0].reason
        assert found.txs == []


def test_core_rest_syncs_a_store_anchored_at_a_checkpoint_and_keeps_its_filter_headers(
    pg, tmp_path
):
    from wallet.core.node import CoreNode
    from wallet.core.source import CoreSource

    pg.mine(2)
    base = pg.height
    script = _script()
    txid = pg.fund(script, 40_000, confirm=True)
    store = anchored_store(pg, tmp_path / "anchored", base)
    node = CoreNode.for_network("regtest", host=pg.host, port=pg.core.port, datadir=pg.datadir)

    async def go():
        source = CoreSource(node, store)
        try:
            await source.sync()
            return await source.scan([script], 0)
        finally:
            await source.close()

    try:
        found = asyncio.run(asyncio.wait_for(go(), 60))
        assert [t.txid[::-1].hex() for t in found.txs] == [txid]
        saved = FilterHeaderFile(store).load()
        with pg.lock:
            assert saved.tip_height == pg.height
            assert saved.header(base) == pg.filters.header(base)
            assert saved.header(pg.height) == pg.filters.header(pg.height)
    finally:
        store.close()
