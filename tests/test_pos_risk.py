"""The till's risk view on the playground, over real sockets, before anything is mined: a payment
spending a coin whose own transaction is still in the mempool lists that parent, and a payment
double-spent by a higher-fee transaction the mempool accepted (BIP125) shows the conflicting
spend -- while the request goes back to *waiting* -- with no block in between."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e_support import Party, Till, kernel_has, run, until, words
from tests.playground_fixture import TestKey, funded_coin, in_mempool
from wallet.account.database import RequestState, TxState
from wallet.bitcoin.address import address_to_script
from wallet.bitcoin.transaction import TxOut
from wallet.payments.pos import PosUpdate


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


def _risk_update(till: Till, predicate=lambda update: True) -> PosUpdate | None:
    return next((u for _, u in till.updates if u.risks and predicate(u)), None)


async def _unconfirmed_parent(pg, tmp_path: Path) -> None:
    merchant = await Party(pg, tmp_path / "merchant", words("risk parent")).start(follow=True)
    try:
        till = Till(merchant, tmp_path / "receipts")
        payer = TestKey(b"risk view: a payer spending an unconfirmed coin")
        coin = funded_coin(pg, payer, 90_000, confirm=False)  # its transaction waits in the mempool
        assert in_mempool(pg, coin[0].txid)
        charge = till.charge(50_000, label="paid from an unconfirmed coin")
        to_merchant = TxOut(50_000, address_to_script(charge.address, "regtest"))
        payment = payer.spend([coin], [to_merchant, TxOut(39_000, payer.script)])
        pg.broadcast(payment)
        await till.wait(RequestState.SEEN, 5)
        await until(lambda: _risk_update(till) is not None, 10, "the risk view")
        (view,) = _risk_update(till).risks
        assert view.txid == payment.txid() and view.confirmed_height is None
        assert view.unconfirmed_parents == (coin[0].txid,)
        assert view.to_json()["unconfirmed_parents"] == [coin[0].txid_hex]
        assert "1 unconfirmed parent(s)" in view.flags()
        assert "  parents: 1 unconfirmed -- it cannot confirm before them" in view.lines()
        assert view.fee == 1_000 and len(view.seen_by) == 2 and not view.conflicts

        pg.mine(1)  # parent and payment in one block
        assert kernel_has(pg, payment) == pg.height
        await till.wait(RequestState.CONFIRMED)
        assert merchant.wallet.db.transaction_record(payment.txid()).state is TxState.CONFIRMED
    finally:
        await merchant.stop()


def test_a_payment_from_an_unconfirmed_coin_lists_its_parent(pg, tmp_path):
    run(_unconfirmed_parent(pg, tmp_path))


async def _double_spent(pg, tmp_path: Path) -> None:
    merchant = await Party(pg, tmp_path / "merchant", words("risk conflict")).start(follow=True)
    try:
        till = Till(merchant, tmp_path / "receipts")
        payer = TestKey(b"risk view: a payer who double-spends")
        coin = funded_coin(pg, payer, 70_000)
        charge = till.charge(40_000, label="double-spent")
        to_merchant = TxOut(40_000, address_to_script(charge.address, "regtest"))
        payment = payer.spend([coin], [to_merchant, TxOut(29_800, payer.script)])  # ~1.4 sat/vB
        pg.broadcast(payment)
        await till.wait(RequestState.SEEN, 5)
        await until(lambda: _risk_update(till) is not None, 10, "the first risk view")
        (first,) = _risk_update(till).risks
        assert first.txid == payment.txid() and not first.conflicts and len(first.seen_by) == 2

        height = pg.height
        # the payer sends the coin back to itself at a higher fee, straight to the playground's
        # mempool, which takes the replacement (the payment signalled BIP125)
        theft = payer.spend([coin], [TxOut(68_000, payer.script)])
        pg.broadcast(theft)
        assert in_mempool(pg, theft.txid()) and not in_mempool(pg, payment.txid())

        def conflicted(update: PosUpdate) -> bool:
            return any(view.conflicts for view in update.risks)

        await until(lambda: _risk_update(till, conflicted) is not None, 10, "the conflict")
        update = _risk_update(till, conflicted)
        (view,) = update.risks
        assert view.txid == payment.txid()
        (conflict,) = view.conflicts
        assert (conflict.txid, conflict.outpoint) == (theft.txid(), coin[0])
        assert conflict.height <= 0  # in a mempool: nothing was mined
        assert view.flags()[0] == "conflicting spend seen" and not view.seen_by
        assert f"  CONFLICT: {theft.txid_hex} spends {coin[0]} too (in a mempool)" in view.lines()
        assert update.state is RequestState.WAITING and not update.done
        assert theft.txid_hex in update.note and "double-spent" in update.note
        assert pg.height == height and in_mempool(pg, theft.txid())
        assert till.status().state is RequestState.WAITING and not till.status().counted
        till.pos.cancel()
    finally:
        await merchant.stop()


def test_a_payment_double_spent_in_the_mempool_shows_the_conflict(pg, tmp_path):
    run(_double_spent(pg, tmp_path))
