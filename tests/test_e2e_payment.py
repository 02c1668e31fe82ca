"""End to end on the playground, two wallets in one test, over real sockets (Electrum + Esplora).

The merchant opens a charge (a payment request and its BIP21 URI) and follows the chain with
the sync engine's subscriptions; the customer pays the URI through the send path (coins from
its database, signed with its keystore secret, broadcast to every server). The merchant must see
*seen* within a second of the broadcast and *confirmed* after one block, with the Merkle proof
checked against its own header chain. Every transaction signed here is checked in the block
libbitcoinkernel accepted (the playground hands each block to the kernel; a bad signature makes
``mine`` raise). Fee bumps (RBF) and CPFP confirm; a replacement that no longer pays the
merchant moves the request back to *waiting*. The receipt written for the confirmed payment
verifies offline with ``paylight receipt verify``, and not with any character changed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.e2e_support import Party, Till, kernel_has, run, until, words
from wallet.account.database import RequestState, TxState
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.networks import REGTEST
from wallet.cli import main
from wallet.payments.pos import PosUpdate
from wallet.payments.receipt import load_receipt, verify_receipt
from wallet.sync.headers import open_header_store


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


async def _parties(pg, tmp_path: Path, name: str, customer_coins: list[int]) -> tuple[Party, Party]:
    customer = Party(pg, tmp_path / "customer", words(f"{name} customer"))
    merchant = Party(pg, tmp_path / "merchant", words(f"{name} merchant"))
    for n, sats in enumerate(customer_coins):
        pg.fund(customer.receive_address(n % 3), sats)
    pg.mine(1)
    await customer.start(follow=False)
    await merchant.start(follow=True)
    return customer, merchant


def _states(updates: list[PosUpdate]) -> list[RequestState]:
    out: list[RequestState] = []
    for u in updates:
        if not out or out[-1] is not u.state:
            out.append(u.state)
    return out


# -- the market stall ---------------------------------------------------------------------------


async def _stall(pg, tmp_path: Path) -> dict:
    customer, merchant = await _parties(pg, tmp_path, "stall", [150_000, 80_000])
    try:
        till = Till(merchant, tmp_path / "receipts")
        charge = till.charge(42_000, label="Coffee and cake", message="Stall 7")
        assert charge.uri.startswith(f"bitcoin:{charge.address}?amount=0.00042")
        assert charge.qr().version >= 1
        assert till.pos.last.state is RequestState.WAITING and not till.pos.ready

        tx, started = await customer.pay_uri(charge.uri, FeeRate.from_sat_per_vb(3))
        seen_after = await till.wait(RequestState.SEEN, 5) - started
        # the risk view arrives in a later update: both servers have it, nothing conflicts
        await until(lambda: any(u.risks for _, u in till.updates), 10, "the risk view")
        risk = next(u.risks for _, u in till.updates if u.risks)[0]
        assert risk.txid == tx.txid() and risk.rbf and not risk.conflicts
        assert risk.fee == await customer.sender.tx_fee(tx)
        assert len(risk.seen_by) == 2 and not risk.unconfirmed_parents
        assert "seen by 2 of 2" in "\n".join(risk.lines())

        mined_at = time.monotonic()
        pg.mine(1)
        assert kernel_has(pg, tx) == pg.height
        confirmed_after = await till.wait(RequestState.CONFIRMED, 10) - mined_at
        final = till.updates[-1][1]
        assert final.done and final.state is RequestState.CONFIRMED and till.pos.ready
        record = merchant.wallet.db.transaction_record(tx.txid())
        assert record.state is TxState.CONFIRMED and record.proof.height == pg.height
        assert record.proof.block_hash == merchant.headers.hash_at(pg.height)
        assert _states([u for _, u in till.updates]) == [
            RequestState.WAITING,
            RequestState.SEEN,
            RequestState.CONFIRMED,
        ]
        (receipt_path,) = final.receipts
        receipt = load_receipt(receipt_path.read_bytes())
        assert receipt.txid == tx.txid() and receipt.amount_sat == 42_000
        assert receipt.label == "Coffee and cake"
        assert verify_receipt(receipt, merchant.headers).ok

        # the till is ready for the next customer, on another address
        second = till.charge(1_000)
        assert second.address != charge.address
        till.pos.cancel()
        assert till.pos.ready
    finally:
        await customer.stop()
        await merchant.stop()
    return {
        "seen_after": seen_after,
        "confirmed_after": confirmed_after,
        "receipt": receipt_path,
        "headers": merchant.headers_dir,
        "text": receipt.to_text(),
    }


def test_customer_pays_the_merchants_uri(pg, tmp_path, capsys):
    result = run(_stall(pg, tmp_path))
    assert result["seen_after"] < 1.0, f"seen {result['seen_after']:.3f} s after broadcast"
    assert result["confirmed_after"] < 5.0
    with capsys.disabled():
        print(
            f"\nseen {result['seen_after'] * 1000:.0f} ms after broadcast, confirmed "
            f"{result['confirmed_after'] * 1000:.0f} ms after the block"
        )

    # offline verification with the CLI against the merchant's header store
    receipt, headers = result["receipt"], result["headers"]
    capsys.readouterr()
    code = main(["receipt", "verify", str(receipt), "--headers", str(headers)])
    out = capsys.readouterr().out
    assert code == 0 and "VALID: confirmed in block" in out, out

    # any changed character of the compact form: refused, with the reason
    text = result["text"]
    body = text.index(":") + 1
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:"
    with open_header_store(REGTEST, headers) as store:
        for i in range(body, len(text)):
            ch = alphabet[(alphabet.index(text[i]) + 7) % len(alphabet)]
            verdict = verify_receipt(text[:i] + ch + text[i + 1 :], store)
            assert not verdict.ok and verdict.reason, f"character {i} changed, still valid"
    # and a changed byte of the JSON file, through the CLI
    doc = receipt.read_text()
    raw_at = doc.index('"tx": "') + len('"tx": "') + 20
    flipped = doc[:raw_at] + ("0" if doc[raw_at] != "0" else "1") + doc[raw_at + 1 :]
    bad = tmp_path / "tampered.json"
    bad.write_text(flipped)
    code = main(["receipt", "verify", str(bad), "--headers", str(headers)])
    out = capsys.readouterr().out
    assert code == 1 and "NOT VALID:" in out, out


# -- fee bumps ----------------------------------------------------------------------------------


async def _replacements(pg, tmp_path: Path) -> None:
    customer, merchant = await _parties(pg, tmp_path, "rbf", [120_000, 90_000])
    try:
        till = Till(merchant, tmp_path / "receipts")
        # 1. a low-fee payment, bumped: the request stays seen and counts the replacement once
        charge = till.charge(50_000, label="bumped")
        low, _ = await customer.pay_uri(charge.uri, FeeRate.from_sat_per_vb(1))
        await till.wait(RequestState.SEEN, 5)
        bumped = customer.sender.build_bump(low.txid(), FeeRate.from_sat_per_vb(6))
        high = customer.sender.sign(bumped, customer.secret())
        await customer.sender.broadcast(high, replaces=low.txid())
        assert customer.wallet.db.transaction_record(low.txid()).state is TxState.REPLACED
        await until(lambda: till.status().counted == (high.txid(),), 5, "the replacement to count")
        assert till.status().state is RequestState.SEEN
        assert till.status().received_sat == 50_000
        pg.mine(1)
        assert kernel_has(pg, high) == pg.height
        await till.wait(RequestState.CONFIRMED)
        assert till.updates[-1][1].transactions == (high.txid(),)

        # 2. a payment double-spent back to the payer: the request goes back to waiting
        await customer.sync.sync()  # the customer learns its change is confirmed
        charge = till.charge(30_000, label="cancelled")
        paid, _ = await customer.pay_uri(charge.uri, FeeRate.from_sat_per_vb(1))
        await till.wait(RequestState.SEEN, 5)
        cancel = customer.sender.sign(
            customer.sender.build_cancel(paid.txid(), FeeRate.from_sat_per_vb(8)),
            customer.secret(),
        )
        await customer.sender.broadcast(cancel, replaces=paid.txid())
        await until(
            lambda: _states([u for _, u in till.updates])[-1:] == [RequestState.WAITING],
            5,
            "the request to wait again",
        )
        assert _states([u for _, u in till.updates]) == [
            RequestState.WAITING,
            RequestState.SEEN,
            RequestState.WAITING,
        ]
        pg.mine(1)
        assert kernel_has(pg, cancel) == pg.height
        await until(lambda: merchant.headers.height == pg.height, 5, "the merchant's tip")
        await asyncio.sleep(0.1)  # the engine's step after the tip
        assert till.status().state is RequestState.WAITING and not till.pos.ready
        till.pos.cancel()
    finally:
        await customer.stop()
        await merchant.stop()


def test_rbf_bump_confirms_and_a_replaced_payment_moves_the_request_back(pg, tmp_path):
    run(_replacements(pg, tmp_path))


async def _cpfp(pg, tmp_path: Path) -> None:
    customer, merchant = await _parties(pg, tmp_path, "cpfp", [70_000])
    try:
        till = Till(merchant, tmp_path / "receipts")
        charge = till.charge(60_000, label="slow payer")
        slow, _ = await customer.pay_uri(charge.uri, FeeRate.from_sat_per_vb(1))
        await till.wait(RequestState.SEEN, 5)
        # the merchant pays for the customer's payment with a child of it
        built = await merchant.sender.build_cpfp(
            slow.txid(), FeeRate.from_sat_per_vb(15), pool=merchant.pool
        )
        assert built.review.package_fee_rate >= 15
        child = merchant.sender.sign(built, merchant.secret())
        await merchant.sender.broadcast(child)
        pg.mine(1)
        height = pg.height
        assert kernel_has(pg, slow) == height and kernel_has(pg, child) == height
        await till.wait(RequestState.CONFIRMED)
        await until(
            lambda: merchant.wallet.db.transaction_record(child.txid()).state is TxState.CONFIRMED,
            5,
            "the child to confirm",
        )
    finally:
        await customer.stop()
        await merchant.stop()


def test_cpfp_confirms_parent_and_child(pg, tmp_path):
    run(_cpfp(pg, tmp_path))
