"""Spending only what is proven (issue 13, item 5): coins a server claims are mined but no proof
has checked ("unverified"), and mining rewards under 100 confirmations, are neither counted as
confirmed nor chosen to pay; naming an unverified coin still spends it, naming an immature
reward says when it can be. Real wallets, the sync engine and the playground's chain."""

from __future__ import annotations

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.test_sync_history_support import PASSWORD, new_wallet, open_session, run
from wallet.account.coin_selection import InsufficientFundsError
from wallet.account.database import TxState
from wallet.account.fees import FeeRate
from wallet.account.tx_builder import Recipient
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.script import p2wsh_script
from wallet.bitcoin.transaction import OutPoint
from wallet.commands.balance import balance_data
from wallet.payments.pos import _lost_note
from wallet.payments.risk import Conflict, RiskView
from wallet.payments.send import Sender, SendError

RATE = FeeRate.from_sat_per_vb(2)
ELSEWHERE = script_to_address(p2wsh_script(bytes(32)), REGTEST)


def _address(wallet, i: int) -> str:
    return parse_descriptor(wallet.config.receive_descriptor, "regtest").address(i)


def test_a_mining_reward_is_neither_confirmed_nor_spent_before_100_confirmations(
    playground,  # noqa: F811
    tmp_path,
) -> None:
    pg = playground
    wallet = new_wallet(tmp_path / "w")
    pg.mine(1, address=_address(wallet, 0))
    reward_block = pg.height
    with pg.lock:
        reward = pg.chain.blocks[reward_block].txs[0]
    coin = OutPoint(reward.txid, 0)
    value = reward.tx.outputs[0].value
    pg.fund(_address(wallet, 1), 50_000, confirm=True)

    async def scenario() -> None:
        s = open_session(pg, wallet, tmp_path / "headers")
        try:
            await s.sync.sync()
            tip = s.store.height
            assert tip - reward_block + 1 == 2  # two confirmations
            assert wallet.db.transaction_record(reward.txid).state is TxState.CONFIRMED
            sender = Sender(wallet, s.sync)
            assert coin not in {c.outpoint for c in sender.coins()}
            # more than the spendable coins: refused here, not by the network after signing
            with pytest.raises(InsufficientFundsError):
                sender.build_payment([Recipient(ELSEWHERE, 80_000)], RATE)
            with pytest.raises(SendError, match="mining reward with 2 of the 100 confirmations"):
                sender.coins(spend_from=[coin])
            balance = wallet.db.balance(tip)
            assert (balance.confirmed, balance.immature) == (50_000, value)
            data = balance_data(wallet, tip)
            assert (data["confirmed"], data["immature"]) == (50_000, value)
            pg.mine(98)  # the reward's 100th confirmation
            await s.sync.sync()
            tip = s.store.height
            assert tip - reward_block + 1 == 100
            balance = wallet.db.balance(tip)
            assert (balance.confirmed, balance.immature) == (50_000 + value, 0)
            built = sender.build_payment([Recipient(ELSEWHERE, 80_000)], RATE)
            assert coin in {c.outpoint for c in built.coins}
            await sender.broadcast(sender.sign(built, wallet.unlock(PASSWORD)))
        finally:
            await s.close()

    try:
        run(scenario(), timeout=120)
    finally:
        wallet.close()


def test_a_coin_claimed_above_our_tip_is_not_chosen_unless_named(
    playground,  # noqa: F811
    tmp_path,
) -> None:
    """The servers list a payment in a block our headers do not reach yet: unverified. It is
    not confirmed balance and not chosen; naming it (--from) spends it."""
    pg = playground
    wallet = new_wallet(tmp_path / "w")
    pg.fund(_address(wallet, 0), 40_000, confirm=True)

    async def scenario() -> None:
        s = open_session(pg, wallet, tmp_path / "headers")
        try:
            await s.sync.sync()
            txid = bytes.fromhex(pg.fund(_address(wallet, 1), 30_000, confirm=True))[::-1]
            await s.sync.history.discover()  # the history first, before the new header
            record = wallet.db.transaction_record(txid)
            assert record.state is TxState.UNVERIFIED and record.height == s.store.height + 1
            claimed = next(o.outpoint for o in wallet.db.utxos() if o.outpoint.txid == txid)
            sender = Sender(wallet, s.sync)
            assert claimed not in {c.outpoint for c in sender.coins()}
            with pytest.raises(InsufficientFundsError):
                sender.build_payment([Recipient(ELSEWHERE, 60_000)], RATE)
            balance = wallet.db.balance(s.store.height)
            assert (balance.confirmed, balance.unverified) == (40_000, 30_000)
            named = sender.build_payment([Recipient(ELSEWHERE, 20_000)], RATE, spend_from=[claimed])
            assert [c.outpoint for c in named.coins] == [claimed]
            await s.sync.sync()  # the header comes: proven, and chosen like any other
            assert wallet.db.transaction_record(txid).state is TxState.CONFIRMED
            built = sender.build_payment([Recipient(ELSEWHERE, 60_000)], RATE)
            assert claimed in {c.outpoint for c in built.coins}
        finally:
            await s.close()

    try:
        run(scenario(), timeout=120)
    finally:
        wallet.close()


def test_the_tills_texts_say_a_height_is_the_servers_word() -> None:
    conflict = Conflict(OutPoint(bytes(32), 0), b"\x01" * 32, 812)
    view = RiskView(
        txid=b"\x02" * 32,
        rbf=True,
        fee=200,
        vsize=110,
        next_block_rate=None,
        unconfirmed_parents=(),
        seen_by=("a",),
        not_seen_by=(),
        conflicts=(conflict,),
        confirmed_height=811,
    )
    lines = "\n".join(view.lines())
    assert "a server says it is mined in block 811" in lines
    assert "(a server says in block 812)" in lines
    assert "the server says in block 812" in _lost_note(view)
    plain = RiskView(**{**view.__dict__, "conflicts": ()})
    assert "the server says it is in block 811" in _lost_note(plain)
