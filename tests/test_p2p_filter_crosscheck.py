"""Every peer's filter headers are compared on every sync, whichever peer answered first.

A wallet is paid in a block on the playground; one P2P listener serves wrong filters with
filter headers made from them (``wrong-filter-headers``: only other peers can expose it). The
wallet syncs over the real sockets with the honest listener and the liar connected together
(each one asked first in turn), and across two sessions sharing the header folder (the
accepted filter headers are kept there): the liar alone first and the honest one joining
later, and the other way round. Every way, the liar is dropped with the block's verdict and
the wallet's history is complete.

With the liar as the only peer nothing can expose it: its filters leave the payment out and
the first session misses it (no light client can do better with one peer). What matters is
that the next session with an honest peer finds the lie, takes the honest filter headers and
scans the blocks again -- not that it keeps the liar's and drops the honest peer.
"""

from __future__ import annotations

import asyncio
import random
import re
import types
from pathlib import Path
from typing import Any

import pytest

from tests.playground_fixture import start_playground
from tests.sync_support import new_wallet
from wallet.account.database import Chain, TxState
from wallet.bitcoin.networks import REGTEST
from wallet.p2p.client import LightClient
from wallet.p2p.pool import NoPeers
from wallet.payments.receipt import receipt_for_payment, stored_coinbase, verify_receipt
from wallet.spv.store import HeaderStore
from wallet.sync.blocks import BlockScanSync

MNEMONIC = "abandon " * 11 + "about"
HONEST, LIAR = 0, 1
#: the block's verdict on the liar (wallet.p2p.sync.resolve_filter)
VERDICT = re.compile(r"^its filter for block (\d+) leaves out \d+ script\(s\) of the block$")


@pytest.fixture
def pg(tmp_path):
    pg = start_playground(tmp_path / "pg", p2p_listeners=2)
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
def paid(pg, tmp_path):
    """(the wallet, the txid of its payment, the payment's block height); the liar lies."""
    wallet = new_wallet(tmp_path / "wallet", MNEMONIC, gap_limit=5)
    txid = pg.fund(wallet.db.address_at(Chain.RECEIVE, 0).address, 40_000)
    pg.mine(1)
    height = pg.height
    pg.mine(2)
    pg.p2p(LIAR).misbehave("wrong-filter-headers")
    try:
        yield wallet, bytes.fromhex(txid)[::-1], height
    finally:
        pg.p2p(LIAR).behave()
        wallet.close()


def name(pg, listener: int) -> str:
    return f"127.0.0.1:{pg.p2p_ports[listener]}"


def first_asked(monkeypatch, wanted: str) -> None:
    """Every random pick of a peer takes ``wanted`` when it is among the options."""

    def choice(options):
        return next((p for p in options if getattr(p, "name", None) == wanted), options[0])

    monkeypatch.setattr(
        "wallet.p2p.pool.random", types.SimpleNamespace(choice=choice, shuffle=random.shuffle)
    )


def session(pg, wallet, headers: Path, listeners: list[int]) -> Any:
    """One sync of ``wallet`` over the listeners given (the header folder kept between)."""

    async def go():
        store = HeaderStore(headers, REGTEST, fsync=False)
        client = LightClient(
            REGTEST,
            store,
            peers=[name(pg, i) for i in listeners],
            target_peers=len(listeners),
            use_dns=False,
            use_fixed=False,
            timeout=10.0,
        )
        try:
            await client.start()
            report = await BlockScanSync(wallet, client, source="P2P peers").sync()
            return report, [p.name for p in client.pool.peers]
        finally:
            await client.close()
            store.close()

    return asyncio.run(asyncio.wait_for(go(), 120))


def assert_complete(wallet, txid: bytes, height: int, headers: Path) -> None:
    """The payment is stored confirmed at its block with a proof a receipt verifies by."""
    record = wallet.db.transaction_record(txid)
    assert record is not None and record.state is TxState.CONFIRMED
    assert record.height == height
    store = HeaderStore(headers, REGTEST)
    try:
        vout = next(o.outpoint.vout for o in wallet.db.outputs() if o.outpoint.txid == txid)
        receipt = receipt_for_payment(
            record, store, vout, coinbase=stored_coinbase(wallet.db, record)
        )
        assert verify_receipt(receipt.to_text(), store).ok
    finally:
        store.close()


def assert_caught(pg, report, live: list[str]) -> None:
    assert list(report.dropped) == [name(pg, LIAR)], report.dropped
    assert VERDICT.match(report.dropped[name(pg, LIAR)]), report.dropped
    assert live == [name(pg, HONEST)]


@pytest.mark.parametrize("first", [LIAR, HONEST], ids=["liar-first", "honest-first"])
def test_both_peers_at_once_the_liar_is_dropped_whoever_is_asked_first(
    pg, paid, tmp_path, monkeypatch, first
):
    wallet, txid, height = paid
    first_asked(monkeypatch, name(pg, first))
    report, live = session(pg, wallet, tmp_path / "headers", [HONEST, LIAR])
    assert_caught(pg, report, live)
    assert_complete(wallet, txid, height, tmp_path / "headers")


@pytest.mark.parametrize("new_block", [False, True], ids=["same-tip", "new-block"])
def test_the_liar_alone_first_then_an_honest_peer_the_missed_payment_is_found(
    pg, paid, tmp_path, monkeypatch, new_block
):
    wallet, txid, height = paid
    headers = tmp_path / "headers"
    first, _live = session(pg, wallet, headers, [LIAR])
    # one peer, and it lies: its filters leave the payment out (nothing shows otherwise)
    assert wallet.db.transaction_record(txid) is None and first.dropped == {}
    if new_block:
        pg.mine(1)
    first_asked(monkeypatch, name(pg, LIAR))
    report, live = session(pg, wallet, headers, [HONEST, LIAR])
    assert_caught(pg, report, live)
    assert_complete(wallet, txid, height, headers)


def test_an_honest_peer_first_then_the_liar_joins_and_is_dropped(pg, paid, tmp_path, monkeypatch):
    wallet, txid, height = paid
    headers = tmp_path / "headers"
    first, _live = session(pg, wallet, headers, [HONEST])
    assert first.dropped == {}
    assert_complete(wallet, txid, height, headers)
    first_asked(monkeypatch, name(pg, LIAR))
    report, live = session(pg, wallet, headers, [HONEST, LIAR])
    assert_caught(pg, report, live)
    assert_complete(wallet, txid, height, headers)


def test_a_scan_cut_short_after_the_lie_was_found_is_done_again_next_time(
    pg, paid, tmp_path, monkeypatch
):
    """The honest filter headers replace the liar's at once (kept beside the header store);
    the blocks they change must be scanned again even when that scan fails -- here the honest
    peer withholds the block the filters point to, and the liar is gone -- so the next
    session scans them, though it sees no disagreement left."""
    wallet, txid, height = paid
    headers = tmp_path / "headers"
    session(pg, wallet, headers, [LIAR])
    assert wallet.db.transaction_record(txid) is None
    pg.p2p(HONEST).misbehave("withhold-block")
    first_asked(monkeypatch, name(pg, LIAR))
    with pytest.raises(NoPeers):
        session(pg, wallet, headers, [HONEST, LIAR])
    pg.p2p(HONEST).behave()
    report, live = session(pg, wallet, headers, [HONEST])
    assert report.dropped == {} and live == [name(pg, HONEST)]
    assert_complete(wallet, txid, height, headers)


@pytest.mark.parametrize("paid_late", [False, True], ids=["before-checkpoints", "after-them"])
def test_past_the_checkpoints_a_chain_held_from_the_liar_is_replaced(
    pg, paid, tmp_path, monkeypatch, paid_late
):
    """Over 2,000 blocks the liar's ``cfcheckpt`` entries differ from the honest peer's too:
    the held chain contradicts the agreed checkpoints and is settled from there."""
    wallet, txid, height = paid
    pg.mine(2_000)
    if paid_late:
        txid = bytes.fromhex(pg.fund(wallet.db.address_at(Chain.RECEIVE, 1).address, 30_000))[::-1]
        pg.mine(1)
        height = pg.height
    headers = tmp_path / "headers"
    session(pg, wallet, headers, [LIAR])
    assert wallet.db.transaction_record(txid) is None
    first_asked(monkeypatch, name(pg, LIAR))
    report, live = session(pg, wallet, headers, [HONEST, LIAR])
    assert_caught(pg, report, live)
    assert_complete(wallet, txid, height, headers)
