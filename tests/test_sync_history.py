"""Wallet sync against the playground over real sockets: a wallet with hundreds of transactions
(receives, sends signed by our own code, change, RBF replacements, mempool ones) is built, then
restored into a fresh folder; both must match the playground's own view exactly, with every
confirmed transaction carrying a proof that checks out against the playground's blocks.
"""

from __future__ import annotations

import time

import pytest

from tests.playground_fixture import TestKey
from tests.sync_support import (
    assert_matches_playground,
    new_wallet,
    open_session,
    pay,
    run,
    sign,
)
from wallet.account.database import TxState
from wallet.account.tx_builder import bump_fee
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.networks import REGTEST
from wallet.sync.events import ServerEvent, SyncStatus, TxEvent

RECEIVES = 200
SENDS = 40


@pytest.fixture(scope="module")
def built(playground_module, tmp_path_factory):
    """The source wallet, followed by our sync while its history is made."""
    pg = playground_module
    root = tmp_path_factory.mktemp("sync-history")
    wallet = new_wallet(root / "source")
    payee = TestKey()
    receive = parse_descriptor(wallet.config.receive_descriptor, "regtest")
    replaced: dict[bytes, bytes] = {}

    async def build():
        s = open_session(pg, wallet, root / "headers-source")
        try:
            for i in range(RECEIVES):
                pg.fund(receive.address(i % 90), 20_000 + 37 * i)
                if i % 20 == 19:
                    pg.mine(1)
            pg.mine(1)
            await s.sync.sync()
            for i in range(SENDS):
                to = payee.address if i % 3 else receive.address(100 + i)
                built_tx, change = pay(wallet, to, 5_000 + 11 * i)
                tx = sign(wallet, built_tx)
                await s.sync.broadcast(tx)
                if i % 5 == 4:  # RBF: bump it, by our engine or straight to the server
                    bumped = bump_fee(
                        tx, built_tx.coins, FeeRate.from_sat_per_vb("6"), REGTEST, change=change
                    )
                    new = sign(wallet, bumped)
                    if i % 10 == 4:
                        await s.sync.broadcast(new)
                    else:
                        await s.sync.sync()  # the original is seen by the servers first
                        pg.broadcast(new)
                    replaced[tx.txid()] = new.txid()
                if i % 10 == 9:
                    pg.mine(1)
                    await s.sync.sync()
            # the mempool at the end: receives and one payment of ours
            for i in range(3):
                pg.fund(receive.address(95 + i), 7_000 + i)
            built_tx, _ = pay(wallet, payee.address, 9_999)
            await s.sync.broadcast(sign(wallet, built_tx))
            report = await s.sync.sync()
            return report, list(s.events)
        finally:
            await s.close()

    report, events = run(build(), timeout=120)
    yield pg, wallet, replaced, report, events, root
    wallet.close()


def test_source_wallet_matches_the_playground(built):
    pg, wallet, replaced, report, events, _ = built
    view = assert_matches_playground(pg, wallet)
    assert len(view.txs) >= RECEIVES + SENDS + 4
    assert sum(1 for h in view.txs.values() if h == 0) == 4  # mempool: 3 receives + 1 send
    assert report.unconfirmed == 4 and report.unverified == 0
    assert report.confirmed == len(view.txs) - 4
    assert report.dropped == {} and report.disagreements == []
    # every RBF original is kept as replaced, pointing at its (now mined) replacement
    assert len(replaced) == SENDS // 5
    for original, replacement in replaced.items():
        record = wallet.db.transaction_record(original)
        assert record is not None and record.state is TxState.REPLACED
        assert record.replaced_by == replacement
        assert wallet.db.transaction_record(replacement).state is TxState.CONFIRMED
    # listeners saw the path: new -> confirmed, and the replacements
    assert any(isinstance(e, TxEvent) and e.new is TxState.REPLACED for e in events)
    assert any(
        isinstance(e, TxEvent) and e.old is TxState.UNCONFIRMED and e.new is TxState.CONFIRMED
        for e in events
    )
    assert isinstance(events[-1], SyncStatus) and events[-1].phase == "idle"


def test_restore_into_a_fresh_folder_matches_exactly(built):
    pg, source, replaced, _, _, root = built
    wallet = new_wallet(root / "restored")

    async def restore():
        s = open_session(pg, wallet, root / "headers-restored")
        try:
            started = time.perf_counter()
            report = await s.sync.sync()
            return report, time.perf_counter() - started
        finally:
            await s.close()

    try:
        report, elapsed = run(restore())
        view = assert_matches_playground(pg, wallet)
        assert report.transactions == len(view.txs)
        assert report.proofs_verified == report.confirmed == len(view.txs) - 4
        assert report.requests_made >= 2 * report.confirmed  # raw + proof per confirmed tx
        assert elapsed < 10, f"restore took {elapsed:.1f} s"
        # the replaced originals were never listed: a fresh restore does not know them
        assert all(wallet.db.transaction_record(t) is None for t in replaced)
        # same history and balance as the wallet that watched it happen
        live = {r.txid for r in source.db.transactions() if r.state is not TxState.REPLACED}
        assert {r.txid for r in wallet.db.transactions()} == live
        assert wallet.db.balance() == source.db.balance()
        assert [a.address for a in wallet.db.addresses() if a.used] == [
            a.address for a in source.db.addresses() if a.used
        ]
        print(
            f"\nrestore: {report.transactions} txs, {report.proofs_verified} proofs, "
            f"{report.requests_made} requests, {elapsed:.2f} s"
        )
    finally:
        wallet.close()


def test_second_sync_changes_nothing_and_checks_no_proof_again(built):
    pg, wallet, _, _, _, root = built

    async def again():
        s = open_session(pg, wallet, root / "headers-source")
        try:
            report = await s.sync.sync()
            return report, s.events
        finally:
            await s.close()

    report, events = run(again())
    assert report.proofs_verified == 0
    assert not [e for e in events if isinstance(e, TxEvent | ServerEvent)]
    assert_matches_playground(pg, wallet)


def test_reorg_moves_a_confirmation_back_and_forward_again(playground, tmp_path):
    pg = playground
    wallet = new_wallet(tmp_path / "w")
    address = parse_descriptor(wallet.config.receive_descriptor, "regtest").address(0)

    async def scenario():
        s = open_session(pg, wallet, tmp_path / "headers")
        try:
            txid = bytes.fromhex(pg.fund(address, 50_000, confirm=True))[::-1]
            await s.sync.sync()
            first = wallet.db.transaction_record(txid)
            assert first.state is TxState.CONFIRMED
            # the block is replaced by a longer branch without it: back to the mempool
            pg.reorg(1)
            s.events.clear()
            await s.sync.sync()
            back = wallet.db.transaction_record(txid)
            assert back.state is TxState.UNCONFIRMED and back.proof is None
            assert TxEvent(txid, TxState.CONFIRMED, TxState.UNVERIFIED, first.height) in s.events
            assert wallet.db.balance().confirmed == 0
            assert_matches_playground(pg, wallet)
            # mined again, in another block: confirmed with a new proof
            pg.mine(1)
            await s.sync.sync()
            again = wallet.db.transaction_record(txid)
            assert again.state is TxState.CONFIRMED
            assert again.proof.block_hash != first.proof.block_hash
            assert_matches_playground(pg, wallet)
            # a reorg that re-mines it at once: confirmed, at the new block
            pg.reorg(2, confirm_again=True)
            await s.sync.sync()
            moved = wallet.db.transaction_record(txid)
            assert moved.state is TxState.CONFIRMED
            assert moved.proof.block_hash != again.proof.block_hash
            assert_matches_playground(pg, wallet)
        finally:
            await s.close()

    try:
        run(scenario())
    finally:
        wallet.close()


def test_follow_reports_a_mempool_payment_within_a_second(playground, tmp_path):
    import asyncio

    pg = playground
    wallet = new_wallet(tmp_path / "w")
    receive = parse_descriptor(wallet.config.receive_descriptor, "regtest")

    async def scenario():
        s = open_session(pg, wallet, tmp_path / "headers")
        got: asyncio.Queue = asyncio.Queue()
        s.sync.on_event = lambda e: got.put_nowait(e) if isinstance(e, TxEvent) else None
        task = asyncio.create_task(s.sync.follow())
        try:
            await s.sync.sync()
            await asyncio.sleep(0.3)  # subscriptions in place

            async def next_event(timeout: float) -> TxEvent:
                return await asyncio.wait_for(got.get(), timeout)

            started = time.perf_counter()
            txid = bytes.fromhex(await asyncio.to_thread(pg.fund, receive.address(3), 12_345))[::-1]
            event = await next_event(2)
            seen = time.perf_counter() - started
            assert event == TxEvent(txid, None, TxState.UNCONFIRMED, None)
            assert seen < 1.0, f"payment seen after {seen:.2f} s"
            await asyncio.to_thread(pg.mine, 1)
            event = await next_event(5)
            assert event.txid == txid and event.new is TxState.CONFIRMED
            assert wallet.db.transaction_record(txid).proof is not None
            # a payment to the last address of the gap: discovery extends, and watches it too
            last = wallet.config.gap_limit - 1
            txid2 = bytes.fromhex(await asyncio.to_thread(pg.fund, receive.address(last), 1_000))[
                ::-1
            ]
            assert (await next_event(2)).txid == txid2
            assert wallet.db.highest_index(0) == last + wallet.config.gap_limit
            beyond = receive.address(last + 5)
            txid3 = bytes.fromhex(await asyncio.to_thread(pg.fund, beyond, 2_000))[::-1]
            assert (await next_event(2)).txid == txid3
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await s.close()

    try:
        run(scenario())
        assert_matches_playground(pg, wallet)
    finally:
        wallet.close()
