"""The request tracker and the POS engine without a network (expiry, address reuse, cancel), and
the risk view against the playground's servers: a double spend mined in a block is reported as
a conflicting spend, and the replaced payment as seen by none of the servers."""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import TestKey, playground_module  # noqa: F401
from wallet.account.database import Chain, RequestState, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.tx_builder import Recipient
from wallet.account.wallet_file import Wallet
from wallet.backends.servers import make_pool
from wallet.bitcoin.amount import FeeRate
from wallet.payments.pos import PosEngine, PosError
from wallet.payments.risk import assess_risk
from wallet.payments.send import Sender
from wallet.payments.tracker import RequestError, RequestTracker, watch_expiries

PASSWORD = "pos"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def wallet(tmp_path):
    path = create_from_seed(
        tmp_path / "shop",
        "regtest",
        "abandon " * 11 + "about",
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=3,
    )
    with Wallet.open(path) as w:
        yield w


class Clock:
    def __init__(self, now: float = 1_700_000_000) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_expired_requests_lend_their_address_before_the_gap_is_pushed(wallet):
    clock = Clock()
    changes = []
    tracker = RequestTracker(wallet, None, on_change=changes.append, clock=clock)
    made = [tracker.create_request(10_000, expires_in=60) for _ in range(3)]
    assert [m.choice.reason for m in made] == ["fresh", "fresh", "fresh"]
    assert len({m.request.address for m in made}) == 3
    # the gap limit (3) is used up: a 4th request would push it
    assert tracker.create_request(5_000).choice.reason == "new"

    clock.now += 60
    assert [c.new for c in tracker.refresh()] == [RequestState.EXPIRED] * 3
    assert wallet.db.payment_request(made[0].request.id).state is RequestState.EXPIRED
    clock.now += 3600  # past the reuse grace: the longest idle expired address comes back
    again = tracker.create_request(7_000, label="again", expires_in=60)
    assert again.choice.reason == "reused" and again.request.address == made[0].request.address
    assert again.uri.endswith("label=again")
    with pytest.raises(RequestError):
        tracker.create_request(0)


def test_a_charge_that_expires_ends_without_a_receipt(wallet, tmp_path):
    async def scenario():
        tracker = RequestTracker(wallet, None)
        pos = PosEngine(tracker, headers=None, receipts_dir=tmp_path / "r", expires_in=1)
        updates = []
        pos.add_listener(updates.append)
        charge = pos.charge(25_000, label="never paid")
        with pytest.raises(PosError, match="still open"):
            pos.charge(1_000)
        timer = asyncio.create_task(watch_expiries(tracker, max_sleep=0.2))
        try:
            final = await pos.wait(5)
        finally:
            timer.cancel()
        assert final.state is RequestState.EXPIRED and final.done and not final.receipts
        assert pos.ready and updates[0].state is RequestState.WAITING
        assert charge.qr().version >= 1
        nxt = pos.charge(1_000)
        pos.cancel()
        assert pos.ready and pos.last.note == "cancelled" and nxt.id != charge.id

    asyncio.run(asyncio.wait_for(scenario(), 20))


def test_risk_view_reports_a_mined_double_spend(pg, wallet):
    """The payer double-spends the coin in a block: the payment is dead, and the view says so."""
    address = wallet.db.address_at(Chain.RECEIVE, 0).address
    txid = pg.fund(address, 60_000, confirm=True)
    with pg.lock:
        raw = pg.ledger.find_tx(bytes.fromhex(txid)[::-1]).entry.raw
    wallet.db.add_transaction(raw, state=TxState.UNVERIFIED, height=pg.height)
    sender = Sender(wallet)  # the coin is unverified here: it is spent by naming it
    coin = [o.outpoint for o in wallet.db.utxos()]
    secret = wallet.unlock(PASSWORD)
    payee = TestKey(b"risk payee")
    payment = sender.sign(
        sender.build_payment([Recipient(payee.address, 20_000)], FeeRate(1_000), spend_from=coin),
        secret,
    )
    pg.broadcast(payment)
    wallet.db.add_transaction(payment.serialize())
    cancel = sender.sign(sender.build_cancel(payment.txid(), FeeRate.from_sat_per_vb(5)), secret)

    async def views():
        pool = make_pool([f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url], "regtest")
        try:
            before = await assess_risk(payment, pool, next_block_rate=FeeRate(2_000))
            pg.broadcast(cancel)  # BIP125: the higher fee replaces the payment
            pg.mine(1)
            after = await assess_risk(payment, pool)
            return before, after
        finally:
            await pool.close()

    before, after = asyncio.run(asyncio.wait_for(views(), 20))
    assert before.rbf and not before.conflicts and len(before.seen_by) == 2
    assert before.below_next_block and "fee below the next-block estimate" in before.flags()
    assert before.fee == 60_000 - sum(o.value for o in payment.outputs)
    (conflict,) = {c.txid for c in after.conflicts}
    assert conflict == cancel.txid()
    assert all(c.height == pg.height for c in after.conflicts)
    assert not after.seen_by and after.flags()[0] == "conflicting spend seen"
    assert any("CONFLICT" in line for line in after.lines())
