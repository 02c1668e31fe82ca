"""Sending from a real wallet folder: coins from its database, change to its change chain, signed
with its keystore secret, and every transaction mined on the playground, whose blocks
libbitcoinkernel validates (a bad signature makes ``mine`` raise).

The wallet's database is filled here with the playground's own transactions (raw bytes from the
chain) so sending is tested on its own; tests/test_e2e_payment.py runs the same path through
the sync engine.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import TestKey, playground_module  # noqa: F401
from wallet.account.database import Chain, MerkleProof, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.signer import sign_psbt
from wallet.account.tx_builder import Recipient, TxBuildError
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.errors import PSBTError, SigningError
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.commands.render import review_lines
from wallet.payments.send import (
    ConfirmationRequired,
    Sender,
    clamp_estimate,
    export_psbt,
    finalize_psbt,
    import_psbt,
    require_confirmation,
)
from wallet.spv.merkle import merkle_branch, verify_branch


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "correct horse"
RATE = FeeRate.from_sat_per_vb(2)


@pytest.fixture
def wallet(tmp_path):
    path = create_from_seed(
        tmp_path / "customer",
        "regtest",
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    w = Wallet.open(path)
    try:
        yield w
    finally:
        w.close()


def _store(pg, wallet: Wallet, txid_hex: str) -> None:
    """Put a playground transaction into the wallet's database as the chain has it: a mined one
    with its Merkle proof from the playground's block (checked here against the header), as a
    sync would store it (only proven coins are spent without naming them)."""
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(txid_hex)[::-1])
    assert found is not None
    if found.block is not None:
        entry, block = found.entry, found.block
        branch = merkle_branch([t.txid for t in block.txs], entry.pos)
        verify_branch(entry.raw, branch, entry.pos, block.header)
        proof = MerkleProof(entry.height, block.hash, entry.pos, tuple(branch))
        wallet.db.add_transaction(entry.raw, state=TxState.CONFIRMED, proof=proof)
    else:
        wallet.db.add_transaction(found.entry.raw)


def _fund(pg, wallet: Wallet, *amounts: int, index: int = 0) -> None:
    address = wallet.db.address_at(Chain.RECEIVE, index).address
    for sats in amounts:
        _store(pg, wallet, pg.fund(address, sats, confirm=True))


def _mined(pg, tx: Transaction) -> int:
    """The height of the block holding ``tx`` (the kernel accepted that block)."""
    with pg.lock:
        found = pg.ledger.find_tx(tx.txid())
    assert found is not None and found.block is not None, "the transaction was not mined"
    return found.entry.height


def _secret(wallet: Wallet):
    return wallet.unlock(PASSWORD)


def test_payment_goes_to_the_recipient_with_change_on_the_change_chain(pg, wallet):
    _fund(pg, wallet, 60_000, 45_000)
    sender = Sender(wallet)
    payee = TestKey(b"payee one")
    built = sender.build_payment([Recipient(payee.address, 70_000)], RATE)
    review = built.review
    assert review.recipients == ((payee.address, 70_000),)
    assert review.rbf and built.tx.signals_rbf()
    assert review.change is not None
    change_record = wallet.db.address_by_script(
        next(o.script_pubkey for o in built.tx.outputs if o.value == review.change[1])
    )
    assert change_record.chain is Chain.CHANGE and change_record.index == 0
    text = "\n".join(review_lines(review))
    assert payee.address in text and "change:" in text and "RBF:       signalled" in text

    tx = sender.sign(built, _secret(wallet))
    assert tx.txid() == built.tx.txid()  # segwit: signing does not change the txid
    fee = 105_000 - sum(o.value for o in tx.outputs)
    assert fee == review.fee and fee >= RATE.fee(tx.vsize())
    pg.broadcast(tx)
    pg.mine(1)
    assert _mined(pg, tx) == pg.height


def test_send_max_and_coin_control(pg, wallet):
    _fund(pg, wallet, 20_000, 30_000, 40_000)
    sender = Sender(wallet)
    coins = sender.coins()
    assert sorted(c.value for c in coins) == [20_000, 30_000, 40_000]
    frozen = next(c for c in coins if c.value == 40_000)
    wallet.db.set_frozen(frozen.outpoint, True)
    payee = TestKey(b"payee two")

    # send-max leaves the frozen coin alone and has no change
    built = sender.build_payment([Recipient.send_max(payee.address)], RATE)
    assert {o for o, _ in built.review.inputs} == {c.outpoint for c in coins if c.value != 40_000}
    assert built.review.change is None and len(built.tx.outputs) == 1
    assert built.tx.outputs[0].value == 50_000 - built.review.fee

    # spending from the frozen coin explicitly is refused with the reason; unfrozen it works
    with pytest.raises(Exception, match="frozen"):
        sender.build_payment([Recipient(payee.address, 10_000)], RATE, spend_from=[frozen.outpoint])
    wallet.db.set_frozen(frozen.outpoint, False)
    only = sender.build_payment(
        [Recipient(payee.address, 10_000)], RATE, spend_from=[frozen.outpoint]
    )
    assert [o for o, _ in only.review.inputs] == [frozen.outpoint]
    tx = sender.sign(only, _secret(wallet))
    pg.broadcast(tx)
    pg.mine(1)
    _mined(pg, tx)


def test_guards_dust_and_a_fee_above_five_percent(pg, wallet):
    _fund(pg, wallet, 50_000)
    sender = Sender(wallet)
    payee = TestKey(b"payee three")
    with pytest.raises(TxBuildError, match="dust"):
        sender.build_payment([Recipient(payee.address, 100)], RATE)
    built = sender.build_payment([Recipient(payee.address, 2_000)], FeeRate.from_sat_per_vb(20))
    assert built.review.needs_confirmation
    with pytest.raises(ConfirmationRequired, match="% of the 2000 sat"):
        require_confirmation(built.review, confirmed=False)
    require_confirmation(built.review, confirmed=True)
    with pytest.raises(Exception, match="no unspent coin"):
        sender.coins(spend_from=[OutPoint(b"\1" * 32, 0)])


def test_fee_estimates_are_bounded():
    assert clamp_estimate(None).source == "fallback"
    assert clamp_estimate(FeeRate(200)).rate == FeeRate(1000)
    assert clamp_estimate(FeeRate(5_000_000)).rate == FeeRate(500_000)
    assert clamp_estimate(FeeRate(3_500)).rate == FeeRate(3_500)


def test_bump_fee_replaces_and_the_replacement_confirms(pg, wallet):
    _fund(pg, wallet, 80_000)
    sender = Sender(wallet)
    payee = TestKey(b"payee four")
    original = sender.sign(
        sender.build_payment([Recipient(payee.address, 30_000)], FeeRate(1_000)), _secret(wallet)
    )
    pg.broadcast(original)
    wallet.db.add_transaction(original.serialize())

    bumped = sender.build_bump(original.txid(), FeeRate.from_sat_per_vb(5))
    assert bumped.review.replaces == original.txid_hex
    assert (payee.address, 30_000) in bumped.review.recipients
    replacement = sender.sign(bumped, _secret(wallet))
    assert {i.prevout for i in original.inputs} <= {i.prevout for i in replacement.inputs}
    pg.broadcast(replacement)  # the mempool takes it under BIP125
    pg.mine(1)
    _mined(pg, replacement)
    with pg.lock:
        assert pg.ledger.find_tx(original.txid()) is None


def test_cpfp_child_confirms_with_its_parent(pg, wallet):
    _fund(pg, wallet, 90_000)
    sender = Sender(wallet)
    payee = TestKey(b"payee five")
    parent = sender.sign(
        sender.build_payment([Recipient(payee.address, 40_000)], FeeRate(1_000)), _secret(wallet)
    )
    pg.broadcast(parent)
    wallet.db.add_transaction(parent.serialize())
    built = asyncio.run(sender.build_cpfp(parent.txid(), FeeRate.from_sat_per_vb(10)))
    assert built.review.package_fee_rate >= 10
    child = sender.sign(built, _secret(wallet))
    assert child.inputs[0].prevout.txid == parent.txid()
    pg.broadcast(child)
    pg.mine(1)
    assert _mined(pg, parent) == _mined(pg, child)


def test_psbt_export_import_and_signing_checks(pg, wallet, tmp_path):
    _fund(pg, wallet, 25_000)
    sender = Sender(wallet)
    payee = TestKey(b"payee six")
    built = sender.build_payment([Recipient(payee.address, 10_000)], RATE)
    text = export_psbt(built)
    imported = import_psbt(text)
    assert imported.serialize() == built.psbt.serialize()
    assert import_psbt(built.psbt.serialize()).tx.txid() == built.tx.txid()
    with pytest.raises(PSBTError):
        import_psbt("not a psbt at all")
    with pytest.raises(PSBTError, match="not fully signed"):
        finalize_psbt(imported)

    secret = _secret(wallet)
    # another seed cannot sign it, and says so instead of producing a bad transaction
    other = create_from_seed(
        tmp_path / "other",
        "regtest",
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
    )
    with Wallet.open(other) as stranger, pytest.raises(SigningError, match="cannot be signed"):
        sign_psbt(imported, stranger.unlock(PASSWORD), "regtest")
    with pytest.raises(SigningError, match="another wallet"):
        sign_psbt(imported, secret, "regtest", expected_fingerprint="00000000")

    signed = sign_psbt(import_psbt(text), secret, "regtest")
    tx = finalize_psbt(signed)
    assert tx.txid() == built.tx.txid()
    pg.broadcast(tx)
    pg.mine(1)
    _mined(pg, tx)
