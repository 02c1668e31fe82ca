"""Every chain source fills the wallet the same way: one WalletUpdate, one apply_update.

A wallet's history is made on the playground (receives, sends with change, RBF replacements,
everything mined), then restored three times into fresh folders, over real sockets: from the
Electrum and Esplora servers, from compact filters over P2P, and from Bitcoin Core's REST. The
three databases must hold exactly the same addresses, transactions, states, outputs, spends,
Merkle proofs and block depths (only who listed each transaction and when differ), the same
balances, and each must make receipts that verify offline.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.light_support import contents
from tests.playground_fixture import start_playground
from tests.sync_support import new_wallet, open_session
from tests.wallet_builder import HistoryBuilder
from wallet.account.database import TxState
from wallet.bitcoin.networks import REGTEST
from wallet.core.node import CoreNode
from wallet.core.source import CoreSource
from wallet.p2p.client import LightClient
from wallet.payments.receipt import receipt_for_payment, stored_coinbase, verify_receipt
from wallet.spv.store import HeaderStore
from wallet.sync.blocks import BlockScanSync
from wallet.sync.events import SyncStatus

MNEMONIC = "abandon " * 11 + "about"
GAP_LIMIT = 5


def run(coro: Any, timeout: float = 120) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("sources"), p2p_listeners=2)
    try:
        builder = HistoryBuilder(pg, MNEMONIC, per_address=2, gap_limit=GAP_LIMIT)
        builder.build(40, seed=11, leave_unmined=0)
        builder.mine()
        yield pg, builder, tmp_path_factory.mktemp("wallets")
    finally:
        pg.stop()


def restore_electrum(pg, root: Path):
    wallet = new_wallet(root / "electrum", MNEMONIC, gap_limit=GAP_LIMIT)

    async def go():
        s = open_session(pg, wallet, root / "electrum-headers")
        try:
            return await s.sync.sync()
        finally:
            await s.close()

    return wallet, run(go()), HeaderStore(root / "electrum-headers", REGTEST)


def restore_blocks(make_client, name: str, root: Path, source: str):
    wallet = new_wallet(root / name, MNEMONIC, gap_limit=GAP_LIMIT)

    async def go():
        store = HeaderStore(root / f"{name}-headers", REGTEST, fsync=False)
        client = make_client(store)
        try:
            if hasattr(client, "start"):
                await client.start()
            return await BlockScanSync(wallet, client, source=source).sync()
        finally:
            await client.close()
            store.close()

    return wallet, run(go()), HeaderStore(root / f"{name}-headers", REGTEST)


def p2p_client(pg, listeners=None, target=2):
    ports = pg.p2p_ports if listeners is None else [pg.p2p_ports[i] for i in listeners]
    peers = [f"127.0.0.1:{p}" for p in ports]
    return lambda store: LightClient(
        REGTEST, store, peers=peers, target_peers=target, use_dns=False, use_fixed=False
    )


def core_client(pg):
    node = CoreNode.for_network("regtest", host=pg.host, port=pg.core.port, datadir=pg.datadir)
    return lambda store: CoreSource(node, store)


def test_restores_over_electrum_p2p_filters_and_core_rest_store_the_same_wallet(built):
    pg, builder, root = built
    expected = builder.view()
    assert len(expected.txs) >= 35 and all(h is not None for h in expected.txs.values())

    electrum, e_report, e_store = restore_electrum(pg, root)
    p2p, p_report, p_store = restore_blocks(p2p_client(pg), "p2p", root, "P2P peers")
    core, c_report, c_store = restore_blocks(
        core_client(pg), "core", root, f"Bitcoin Core at {pg.host}:{pg.core.port}"
    )
    try:
        for report in (e_report, p_report, c_report):
            assert report.transactions == report.confirmed == len(expected.txs)
            assert report.header_height == pg.height and report.dropped == {}
        # the same rows in every table, proofs and block depths included
        want = contents(electrum.db.path)
        assert want["transactions"] and want["block_anchors"] and want["txos"]
        assert contents(p2p.db.path) == want
        assert contents(core.db.path) == want
        balance = electrum.db.balance(pg.height)
        assert balance.confirmed == expected.confirmed and balance.unconfirmed == 0
        assert p2p.db.balance(pg.height) == core.db.balance(pg.height) == balance
        # who listed each transaction: the servers, the peer that served its block, the node
        record = next(iter(p2p.db.transactions()))
        assert record.asked == 1 and record.listed_by[0].startswith("127.0.0.1:")
        assert next(iter(core.db.transactions())).listed_by == (f"core {pg.host}:{pg.core.port}",)
        # a receipt from each wallet verifies offline against each one's own headers
        for wallet, store in ((electrum, e_store), (p2p, p_store), (core, c_store)):
            for record in wallet.db.transactions(TxState.CONFIRMED)[:5]:
                vout = next(o.outpoint.vout for o in wallet.db.outputs()
                            if o.outpoint.txid == record.txid)  # fmt: skip
                receipt = receipt_for_payment(
                    record, store, vout, coinbase=stored_coinbase(wallet.db, record)
                )
                assert verify_receipt(receipt.to_text(), store).ok
    finally:
        for wallet in (electrum, p2p, core):
            wallet.close()
        for store in (e_store, p_store, c_store):
            store.close()


def test_a_peer_serving_false_filters_is_dropped_and_the_restore_is_the_same(built):
    """The scanner's checks hold for a block source as the servers' do: a peer whose filters do
    not match their headers is dropped with the reason (reported in the update), and the
    wallet restored through the honest peer holds what the Electrum restore holds."""
    pg, _builder, root = built
    electrum, _, e_store = restore_electrum(pg, root / "liar")
    pg.p2p(0).misbehave("wrong-filter")
    try:
        # one peer at a time, the liar first: it serves the filters, is caught, the next one
        # completes the scan
        wallet, report, store = restore_blocks(
            p2p_client(pg, listeners=[0, 1], target=1), "p2p-liar", root, "P2P peers"
        )
    finally:
        pg.p2p(0).behave()
    try:
        liar = f"127.0.0.1:{pg.p2p_ports[0]}"
        assert list(report.dropped) == [liar]
        assert "does not match its header" in report.dropped[liar]
        assert contents(wallet.db.path) == contents(electrum.db.path)
    finally:
        for w in (electrum, wallet):
            w.close()
        e_store.close()
        store.close()


def test_a_second_block_sync_scans_only_new_blocks_and_finds_a_new_payment(built):
    pg, builder, root = built
    make = p2p_client(pg)
    wallet, first, store = restore_blocks(make, "p2p-again", root, "P2P peers")
    store.close()
    try:
        builder.receive(123_456)
        builder.mine()
        _, second, store = restore_blocks_again(make, wallet, root / "p2p-again-headers")
        store.close()
        assert second.transactions == first.transactions + 1
        # only the new block's filter and the block itself were fetched
        assert second.requests_made == 2
        assert wallet.db.balance(pg.height).confirmed == builder.view().confirmed
    finally:
        wallet.close()


def restore_blocks_again(make_client, wallet, headers: Path):
    async def go():
        store = HeaderStore(headers, REGTEST, fsync=False)
        client = make_client(store)
        try:
            await client.start()
            return await BlockScanSync(wallet, client, source="P2P peers").sync()
        finally:
            await client.close()
            store.close()

    return wallet, run(go()), HeaderStore(headers, REGTEST)


def test_a_block_source_reports_its_proofs_verified_as_the_servers_do(built):
    """The status a block source emits counts the Merkle proofs it computed from the blocks and
    the wallet checked against our headers, as the servers' engine counts theirs (the app's
    status showed "0 verified" over P2P): every transaction found is stored confirmed with its
    proof, and the status says so."""
    pg, builder, root = built
    wallet = new_wallet(root / "p2p-proofs", MNEMONIC, gap_limit=GAP_LIMIT)
    events: list[Any] = []

    async def go():
        store = HeaderStore(root / "p2p-proofs-headers", REGTEST, fsync=False)
        client = p2p_client(pg)(store)
        try:
            await client.start()
            sync = BlockScanSync(wallet, client, source="P2P peers", on_event=events.append)
            return await sync.sync()
        finally:
            await client.close()
            store.close()

    try:
        report = run(go())
        confirmed = wallet.db.transactions(TxState.CONFIRMED)
        assert len(confirmed) == report.confirmed == len(builder.view().txs)
        assert all(r.proof is not None and r.proof.height == r.height for r in confirmed)
        status = [e for e in events if isinstance(e, SyncStatus)][-1]
        assert status.phase == "idle"
        assert status.proofs_verified == status.proofs_total == len(confirmed) >= 1
        assert f"proofs verified {len(confirmed)}/{len(confirmed)}" in status.text()
    finally:
        wallet.close()
