"""Payment request states and the address chooser, on hand-made histories and on a real wallet
database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wallet.account.database import Chain, MerkleProof, RequestState, TxState, WalletDatabase
from wallet.bitcoin.script import p2wpkh_script
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.payments.requests import (
    DEFAULT_PAID_DEPTH,
    ObservedPayment,
    choose_request_address,
    observed_payments,
    request_status,
)

W, S, C, P = RequestState.WAITING, RequestState.SEEN, RequestState.CONFIRMED, RequestState.PAID
U, OVER, E = RequestState.UNDERPAID, RequestState.OVERPAID, RequestState.EXPIRED
UNC, UNV, CONF, REPL = TxState.UNCONFIRMED, TxState.UNVERIFIED, TxState.CONFIRMED, TxState.REPLACED


@dataclass(frozen=True)
class Req:
    amount_sat: int | None
    created_at: int = 1_000
    expires_at: int | None = 2_000


def pay(
    n: int,
    amount: int,
    state: TxState,
    height: int | None = None,
    seen: int = 1_500,
    replaced_by: int | None = None,
) -> ObservedPayment:
    return ObservedPayment(
        txid=bytes([n]) * 32,
        amount_sat=amount,
        state=state,
        height=height,
        seen_at=seen,
        replaced_by=None if replaced_by is None else bytes([replaced_by]) * 32,
    )


TIP = 100


@pytest.mark.parametrize(
    ("request_", "payments", "now", "state"),
    [
        (Req(50_000), [], 1_500, W),
        (Req(50_000), [], 2_000, E),
        (Req(50_000, expires_at=None), [], 10**9, W),
        (Req(50_000), [pay(1, 50_000, UNC)], 1_600, S),
        (Req(50_000), [pay(1, 50_000, UNV, height=TIP)], 1_600, S),  # a server's word is not proof
        (Req(50_000), [pay(1, 50_000, CONF, height=TIP)], 1_600, C),
        (Req(50_000), [pay(1, 50_000, CONF, height=TIP - DEFAULT_PAID_DEPTH + 2)], 1_600, C),
        (Req(50_000), [pay(1, 50_000, CONF, height=TIP - DEFAULT_PAID_DEPTH + 1)], 1_600, P),
        (Req(50_000), [pay(1, 60_000, CONF, height=TIP - 10)], 1_600, OVER),
        (Req(50_000), [pay(1, 60_000, UNC)], 1_600, S),  # overpaid shows once final
        (Req(50_000), [pay(1, 20_000, CONF, height=TIP - 10)], 1_600, U),
        (Req(50_000), [pay(1, 20_000, UNC)], 9_999, U),  # money arrived: never "expired"
        # two payments together cover it; the younger confirmation decides the depth
        (Req(50_000), [pay(1, 20_000, CONF, TIP - 50), pay(2, 30_000, CONF, TIP)], 1_600, C),
        (Req(50_000), [pay(1, 20_000, CONF, TIP - 50), pay(2, 30_000, UNC)], 1_600, S),
        # seen before the expiry, confirmed after it: not expired
        (Req(50_000), [pay(1, 50_000, CONF, TIP, seen=1_999)], 5_000, C),
        # first seen after the expiry: late, does not count
        (Req(50_000), [pay(1, 50_000, CONF, TIP, seen=2_000)], 5_000, E),
        # before the request existed (a reused address's earlier payment): not this request's
        (Req(50_000), [pay(1, 50_000, CONF, TIP, seen=999)], 1_500, W),
        # replaced payments never count: back to waiting, or seen through the replacement
        (Req(50_000), [pay(1, 50_000, REPL, replaced_by=9)], 1_600, W),
        (Req(50_000), [pay(1, 50_000, REPL, replaced_by=2), pay(2, 50_000, UNC)], 1_600, S),
        # any amount: the first payment covers it
        (Req(None), [pay(1, 1, UNC)], 1_600, S),
        (Req(None), [pay(1, 7, CONF, TIP - 20)], 1_600, P),
    ],
)
def test_states(request_, payments, now, state):
    assert request_status(request_, payments, now=now, tip_height=TIP).state is state


def test_figures_and_lists():
    status = request_status(
        Req(50_000),
        [
            pay(1, 30_000, CONF, TIP - 2),
            pay(2, 30_000, UNC),
            pay(3, 5_000, UNC, seen=3_000),
            pay(4, 9_000, REPL, replaced_by=8),
        ],
        now=4_000,
        tip_height=TIP,
    )
    assert status.state is S
    assert (status.received_sat, status.confirmed_sat, status.pending_sat) == (
        60_000,
        30_000,
        30_000,
    )
    assert (status.shortfall_sat, status.excess_sat, status.confirmations) == (0, 10_000, 0)
    assert status.counted == (bytes([1]) * 32, bytes([2]) * 32)
    assert status.late == (bytes([3]) * 32,)
    assert status.replaced == (bytes([4]) * 32,)
    underpaid = request_status(Req(50_000), [pay(1, 20_000, UNC)], now=1_600, tip_height=TIP)
    assert underpaid.shortfall_sat == 30_000 and not underpaid.is_final


def test_a_fee_bump_after_the_expiry_keeps_the_payment():
    """The payer's replacement is first seen late, but inherits its original's time."""
    payments = [
        pay(1, 50_000, REPL, seen=1_900, replaced_by=2),
        pay(2, 50_000, REPL, seen=2_100, replaced_by=3),
        pay(3, 50_000, CONF, height=TIP, seen=2_300),
    ]
    status = request_status(Req(50_000), payments, now=3_000, tip_height=TIP)
    assert status.state is C and status.counted == (bytes([3]) * 32,)
    assert status.replaced == (bytes([1]) * 32, bytes([2]) * 32)


_payment = st.builds(
    pay,
    n=st.integers(0, 255),
    amount=st.integers(1, 200_000),
    state=st.sampled_from(list(TxState)),
    height=st.none() | st.integers(0, TIP),
    seen=st.integers(0, 4_000),
    replaced_by=st.none() | st.integers(0, 255),
)


@settings(max_examples=400, deadline=None)
@given(
    amount=st.none() | st.integers(1, 150_000),
    expires=st.none() | st.integers(1_000, 3_000),
    payments=st.lists(_payment, max_size=6, unique_by=lambda p: p.txid),
    now=st.integers(0, 5_000),
    extra_blocks=st.integers(0, 10),
)
def test_state_invariants(amount, expires, payments, now, extra_blocks):
    req = Req(amount, 1_000, expires)
    status = request_status(req, payments, now=now, tip_height=TIP)
    live = {p.txid: p for p in payments if p.state is not REPL}
    assert set(status.counted) <= set(live) and not set(status.counted) & set(status.late)
    assert status.received_sat == sum(live[t].amount_sat for t in status.counted)
    assert status.confirmed_sat + status.pending_sat == status.received_sat
    if status.received_sat == 0:
        assert status.state in (W, E)
        assert (status.state is E) == (expires is not None and now >= expires)
    elif amount is not None and status.received_sat < amount:
        assert status.state is U and status.shortfall_sat == amount - status.received_sat
    else:
        assert status.state in (S, C, P, OVER)
        assert (status.state is S) == (status.confirmed_sat < (amount or 1))
        assert (status.state is OVER) == (status.is_final and status.excess_sat > 0)
    # more blocks on top never move a request backwards
    later = request_status(req, payments, now=now, tip_height=TIP + extra_blocks)
    order = [W, E, U, S, C, P, OVER]
    if status.state in (C, P, OVER):
        assert later.state in (C, P, OVER) and order.index(later.state) >= order.index(status.state)
    else:
        assert later.state is status.state


# -- choosing addresses --------------------------------------------------------------------------


@dataclass(frozen=True)
class Addr:
    id: int
    index: int
    used: bool = False


@dataclass(frozen=True)
class Stored:
    address_id: int
    expires_at: int | None
    state: RequestState


def test_address_chooser_order():
    now = 100_000
    addresses = [Addr(i + 1, i, used=(i == 0)) for i in range(6)]
    # index 1..5 unused; fresh ones go first, lowest index first
    choice = choose_request_address(addresses, [Stored(2, 10, E)], now=now, gap_limit=5)
    assert (choice.index, choice.address_id, choice.reason) == (2, 3, "fresh")
    # all stored addresses within the gap have requests: derive the next index inside the gap
    reqs = [Stored(i, 10, E) for i in range(2, 7)]
    choice = choose_request_address(addresses, reqs, now=now, gap_limit=6)
    assert (choice.index, choice.address_id, choice.reason) == (6, None, "fresh")
    # the gap is full: reuse the longest-expired unpaid request's address
    reqs = [
        Stored(2, 50, E),
        Stored(3, 10, E),
        Stored(4, 10, W),
        Stored(5, 5, E),
        Stored(5, 20_000, E),
        Stored(6, None, W),
    ]
    choice = choose_request_address(addresses, reqs, now=now, gap_limit=5)
    assert (choice.index, choice.address_id, choice.reason) == (2, 3, "reused")
    assert not choice.extends_gap
    # not within the grace period yet, or paid, or never expiring: nothing to reuse
    reqs = [Stored(i, now - 10, E) for i in range(2, 7)]
    choice = choose_request_address(addresses, reqs, now=now, gap_limit=5)
    assert (choice.index, choice.address_id, choice.reason) == (6, None, "new")
    assert choice.extends_gap
    used = [Addr(a.id, a.index, used=True) if a.index == 2 else a for a in addresses]
    # an address that received anything is never reused, even if its request expired
    reqs = [Stored(2, 10, W), Stored(3, 10, E)] + [Stored(i, 10, W) for i in range(4, 7)]
    choice = choose_request_address(used, reqs, now=now, gap_limit=3)
    assert (choice.index, choice.reason) == (6, "new")
    choice = choose_request_address([], [], now=now)
    assert (choice.index, choice.reason) == (0, "fresh")


def test_states_on_a_real_wallet_database(tmp_path):
    """Requests, addresses and transactions as the wallet database stores them."""
    db = WalletDatabase.open(tmp_path / "wallet.sqlite")
    scripts = [p2wpkh_script(bytes([i]) * 20) for i in range(4)]
    recs = [db.add_address(Chain.RECEIVE, i, f"addr{i}", s) for i, s in enumerate(scripts)]
    req = db.add_payment_request(
        recs[1].id, 80_000, label="coffee", created_at=1_000, expires_at=2_000
    )

    def funding(n: int, value: int, script: bytes) -> Transaction:
        return Transaction(2, [TxIn(OutPoint(bytes([n]) * 32, 0))], [TxOut(value, script)], 0)

    def status(now: int, tip: int = 500):
        records = db.transactions()
        return request_status(req, observed_payments(scripts[1], records), now=now, tip_height=tip)

    assert status(1_500).state is W
    first = funding(1, 80_000, scripts[1])
    db.add_transaction(first.serialize(), first_seen=1_600)
    assert status(1_700).state is S
    # the payer bumps the fee after the expiry: the original is replaced
    bump = funding(1, 80_000, scripts[1])
    bump.inputs[0].sequence = 0xFFFFFFFE  # a different transaction spending the same coin
    db.add_transaction(bump.serialize(), first_seen=2_500)
    db.set_tx_state(first.txid(), TxState.REPLACED, replaced_by=bump.txid())
    assert status(2_600).state is S
    proof = MerkleProof(height=498, block_hash=b"\x11" * 32, position=1, branch=(b"\x22" * 32,))
    db.set_tx_state(bump.txid(), TxState.CONFIRMED, proof=proof)
    assert status(2_700).state is C and status(2_700).confirmations == 3
    assert status(2_700, tip=498 + DEFAULT_PAID_DEPTH - 1).state is P
    # an unrelated payment to another address does not count
    other = funding(3, 1_000, scripts[2])
    db.add_transaction(other.serialize(), first_seen=1_800)
    assert status(2_800, tip=600).received_sat == 80_000
    # chooser with the database's own records
    db.set_request_state(req.id, status(3_000, tip=600).state)
    stale = db.add_payment_request(recs[3].id, 5_000, created_at=1_000, expires_at=1_100)
    db.set_request_state(stale.id, RequestState.EXPIRED)
    choice = choose_request_address(
        db.addresses(Chain.RECEIVE), db.payment_requests(), now=10_000, gap_limit=3
    )
    assert (choice.index, choice.reason) == (0, "fresh")
    db.add_transaction(funding(4, 5_000, scripts[0]).serialize(), first_seen=900)
    choice = choose_request_address(
        db.addresses(Chain.RECEIVE), db.payment_requests(), now=10_000, gap_limit=1
    )
    assert (choice.index, choice.address_id, choice.reason) == (3, recs[3].id, "reused")
    db.close()
