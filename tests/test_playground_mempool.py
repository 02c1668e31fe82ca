"""The mempool: scripts checked by libbitcoinkernel, Core's standardness and RBF rules.

The signature test goes over real sockets (Electrum and Esplora broadcast); the policy cases
call the playground directly and check Core's reject strings.
"""

from __future__ import annotations

import httpx
import pytest

from tests import playground_fixture
from tests.playground_fixture import (
    ElectrumClient,
    ElectrumError,
    TestKey,
    funded_coin,
    run,
)
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.playground import BlockRejected, TxRejected
from wallet.playground.mempool import dust_threshold

playground = playground_fixture.playground  # the fixture, used by name

KEY = TestKey()


def _with_bad_signature(tx: Transaction) -> Transaction:
    bad = Transaction.parse(tx.serialize())
    sig = bytearray(bad.inputs[0].witness[0])
    sig[10] ^= 0x01  # inside R: still strict DER, no longer a valid signature
    bad.inputs[0].witness[0] = bytes(sig)
    return bad


def test_one_wrong_signature_byte_is_refused_by_mempool_and_kernel(playground):
    coin = funded_coin(playground, KEY, 200_000)
    good = KEY.spend([coin], [TxOut(199_000, KEY.script)])
    bad = _with_bad_signature(good)
    assert bad.txid() == good.txid()  # the witness is not part of the txid

    async def electrum() -> None:
        client = await ElectrumClient.connect(playground.electrum_port)
        try:
            with pytest.raises(ElectrumError) as err:
                await client.call("blockchain.transaction.broadcast", bad.serialize().hex())
            assert err.value.code == 1
            assert "mandatory-script-verify-flag-failed" in err.value.message
        finally:
            await client.close()

    run(electrum())
    reply = httpx.post(f"{playground.esplora_url}/tx", content=bad.serialize().hex())
    assert reply.status_code == 400
    assert "mandatory-script-verify-flag-failed" in reply.text
    assert len(playground.mempool) == 0

    height = playground.height
    with pytest.raises(BlockRejected, match="script-verify-flag-failed") as rejected:
        playground.mine(1, txs=[bad], include_mempool=False)
    assert playground.height == height
    assert playground.tip_hash != rejected.value.block_hash  # never served

    txid = httpx.post(f"{playground.esplora_url}/tx", content=good.serialize().hex()).text
    assert txid == good.txid_hex
    playground.mine(1)
    assert playground.height == height + 1


def test_a_forced_transaction_that_is_valid_is_mined(playground):
    coin = funded_coin(playground, KEY, 100_000)
    tx = KEY.spend([coin], [TxOut(99_000, KEY.script)])
    playground.mine(1, txs=[tx.serialize().hex()], include_mempool=False)
    with playground.lock:
        assert tx.txid() in playground.chain.tx_index


def _reject(pg, tx) -> TxRejected:
    with pytest.raises(TxRejected) as err:
        pg.broadcast(tx)
    return err.value


def test_policy_reject_reasons(playground):
    coin = funded_coin(playground, KEY, 100_000)
    _op, value = coin
    dust = TxOut(dust_threshold(TxOut(0, KEY.script)) - 1, KEY.script)
    assert dust.value == 293  # Core: 294 sat is the P2WPKH dust limit at 3 sat/vB
    assert _reject(playground, KEY.spend([coin], [dust])).reason == "dust"
    assert _reject(playground, KEY.spend([coin], [TxOut(value, KEY.script)])).reason == (
        "min relay fee not met"
    )
    assert _reject(playground, KEY.spend([coin], [TxOut(value + 1, KEY.script)])).reason == (
        "bad-txns-in-belowout"
    )
    missing = (OutPoint(bytes(31) + b"\x01", 0), value)
    assert _reject(playground, KEY.spend([missing], [TxOut(1000, KEY.script)])).reason == (
        "bad-txns-inputs-missingorspent"
    )
    assert _reject(playground, KEY.spend([coin, coin], [TxOut(1000, KEY.script)])).reason == (
        "bad-txns-inputs-duplicate"
    )
    late = KEY.spend([coin], [TxOut(99_000, KEY.script)], locktime=playground.height + 5)
    assert _reject(playground, late).reason == "non-final"
    relative = KEY.spend([coin], [TxOut(99_000, KEY.script)], sequence=10)  # BIP68: 10 blocks
    assert _reject(playground, relative).reason == "non-BIP68-final"
    assert _reject(playground, "00").reason == "TX decode failed"
    with playground.lock:
        immature = playground.chain.tip.txs[0]
    coinbase_spend = Transaction(2, [], [TxOut(1000, KEY.script)])
    coinbase_spend.inputs = KEY.spend([(OutPoint(immature.txid, 0), 0)], []).inputs
    assert _reject(playground, coinbase_spend).reason == "bad-txns-premature-spend-of-coinbase"


def test_replacement_needs_more_fee_and_a_higher_rate(playground):
    coin = funded_coin(playground, KEY, 100_000)
    first = KEY.spend([coin], [TxOut(99_000, KEY.script)])
    txid = playground.broadcast(first)
    # a second broadcast of the same transaction answers its txid, as Bitcoin Core does
    assert playground.broadcast(first) == txid == first.txid()[::-1].hex()
    with pytest.raises(TxRejected) as err:
        playground.mempool.accept(first.serialize())
    assert err.value.reason == "txn-already-in-mempool"
    cheaper = KEY.spend([coin], [TxOut(99_500, KEY.script)])
    assert _reject(playground, cheaper).reason == "insufficient fee"
    barely = KEY.spend([coin], [TxOut(99_000 - 50, KEY.script)])  # higher rate, < 1 sat/vB more
    assert _reject(playground, barely).reason == "insufficient fee"
    child = KEY.spend([(OutPoint(first.txid(), 0), 99_000)], [TxOut(98_000, KEY.script)])
    playground.broadcast(child)
    bump = KEY.spend([coin], [TxOut(96_000, KEY.script)])  # pays for first and its child too
    assert playground.broadcast(bump) == bump.txid_hex
    assert set(playground.mempool.entries) == {bump.txid()}
    playground.mine(1)
    with playground.lock:
        assert playground.ledger.find_tx(bump.txid()).block is not None
    assert _reject(playground, first).reason == "bad-txns-inputs-missingorspent"


def test_a_block_evicts_conflicting_mempool_transactions(playground):
    coin = funded_coin(playground, KEY, 100_000)
    pooled = KEY.spend([coin], [TxOut(99_000, KEY.script)])
    playground.broadcast(pooled)
    other = KEY.spend([coin], [TxOut(98_000, KEY.script)])
    playground.mine(1, txs=[other], include_mempool=False)
    assert len(playground.mempool) == 0
