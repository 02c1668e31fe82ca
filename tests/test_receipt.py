"""Receipts made from a real payment on the playground and verified against a header store
synced from it; every field and every byte of a receipt is changed and each change refused."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests import playground_fixture
from tests.playground_fixture import (
    ElectrumClient,
    ElectrumError,
    TestKey,
    funded_coin,
    run,
    start_playground,
)
from wallet.account.database import Chain, MerkleProof, TxState, WalletDatabase
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.payments.receipt import (
    BASE43,
    TEXT_PREFIX,
    Receipt,
    ReceiptError,
    ReceiptFormatError,
    base43_decode,
    base43_encode,
    describe,
    make_receipt,
    receipt_for_payment,
    receipt_qr_text,
    stored_coinbase,
    verify_receipt,
)
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import CoinbaseProof, ElectrumProof, root_from_branch
from wallet.spv.store import HeaderStore

playground_module = playground_fixture.playground_module  # the fixture, used by name

CUSTOMER = TestKey(b"receipt test customer")
MERCHANT = TestKey(b"receipt test merchant")


def hash_up(leaf: bytes, branch: list[bytes] | tuple[bytes, ...], index: int) -> bytes:
    """The root a branch hashes to, with no check at all (what an attack reaches)."""
    node = leaf
    for sibling in branch:
        node = sha256d(sibling + node) if index & 1 else sha256d(node + sibling)
        index >>= 1
    return node


def _scripthash(script: bytes) -> str:
    return hashlib.sha256(script).digest()[::-1].hex()


async def _fetch(port: int, txids: list[str], height: int) -> dict:
    """What a wallet gets from an Electrum server: headers, raw transactions, Merkle proofs."""
    c = await ElectrumClient.connect(port)
    try:
        tip = (await c.call("blockchain.headers.subscribe"))["height"]
        headers = await c.call("blockchain.block.headers", 1, tip)
        out = {"tip": tip, "headers": bytes.fromhex(headers["hex"]), "txs": {}}
        out["header"] = bytes.fromhex(await c.call("blockchain.block.header", height))
        first = await c.call("blockchain.transaction.id_from_pos", height, 0, True)
        out["coinbase"] = CoinbaseProof(
            bytes.fromhex(first["tx_hash"])[::-1],
            tuple(bytes.fromhex(h)[::-1] for h in first["merkle"]),
        )
        for txid in txids:
            raw = bytes.fromhex(await c.call("blockchain.transaction.get", txid))
            proof = await c.call("blockchain.transaction.get_merkle", txid, height)
            out["txs"][txid] = (raw, ElectrumProof.from_json(proof))
        count = 0
        while True:
            try:
                await c.call("blockchain.transaction.id_from_pos", height, count)
            except ElectrumError:
                break
            count += 1
        out["tx_count"] = count
        out["last_txid"] = await c.call("blockchain.transaction.id_from_pos", height, count - 1)
        return out
    finally:
        await c.close()


@dataclass
class Payment:
    store: HeaderStore
    store_dir: Path
    height: int
    tip: int
    raw: bytes  # as the server gave it (with witness)
    proof: ElectrumProof
    header: bytes
    receipt: Receipt
    tx_count: int
    last: tuple[bytes, ElectrumProof]  # the block's last transaction (a duplicated leaf)
    coinbase: CoinbaseProof  # the block's coinbase proof (its tree depth)


@pytest.fixture(scope="module")
def payment(playground_module, tmp_path_factory) -> Payment:
    pg = playground_module
    coins = [funded_coin(pg, CUSTOMER, 300_000), funded_coin(pg, CUSTOMER, 200_000)]
    spend = CUSTOMER.spend(coins, [TxOut(400_000, MERCHANT.script), TxOut(90_000, CUSTOMER.script)])
    txid = pg.broadcast(spend)
    for i in range(5):  # other payments in the same block: a real tree with several levels
        pg.fund(TestKey(bytes([i])).address, 10_000 + i)
    height = pg.height + 1
    pg.mine(3)
    got = run(_fetch(pg.electrum_port, [txid], height))
    last = got["last_txid"]
    got2 = run(_fetch(pg.electrum_port, [last], height))
    store_dir = tmp_path_factory.mktemp("headers")
    store = HeaderStore(store_dir, "regtest", fsync=False)
    assert store.add_headers(got["headers"]).accepted == got["tip"]
    raw, proof = got["txs"][txid]
    receipt = make_receipt(
        raw,
        network="regtest",
        height=proof.block_height,
        header=got["header"],
        position=proof.pos,
        branch=proof.branch,
        output_index=0,
        later_headers=store.headers(height + 1, height + 3),
        label="Table 4: two coffees",
        message="Thank you!",
        coinbase=got["coinbase"],
    )
    try:
        yield Payment(
            store,
            store_dir,
            height,
            got["tip"],
            raw,
            proof,
            got["header"],
            receipt,
            got["tx_count"],
            got2["txs"][last],
            got["coinbase"],
        )
    finally:
        store.close()


def test_a_real_payment_receipt_verifies_in_both_forms(payment) -> None:
    r = payment.receipt
    assert r.address == MERCHANT.address and r.amount_sat == 400_000
    assert r.txid == Transaction.parse(payment.raw).txid() and r.tx != payment.raw  # no witness
    verdict = verify_receipt(r, payment.store)
    assert verdict.ok, verdict.reason
    assert verdict.confirmations == 3 and verdict.tip_height == payment.tip
    assert [c.name for c in verdict.checks] == [
        "network",
        "transaction",
        "header",
        "chain",
        "merkle",
        "depth",
        "output",
        "later_headers",
    ]
    assert verdict.outcome == "valid" and r.version == 2
    # JSON round trip, through text
    doc = json.loads(r.to_json_text())
    assert doc["version"] == 2 and doc["network"] == "regtest"
    assert doc["block"]["coinbase"]["txid"] == payment.coinbase.txid[::-1].hex()
    assert doc["output"] == {"index": 0, "address": MERCHANT.address, "amount_sat": 400_000}
    assert doc["request"] == {"label": "Table 4: two coffees", "message": "Thank you!"}
    assert Receipt.from_json(r.to_json_text()) == r
    assert verify_receipt(r.to_json_text(), payment.store).ok
    # compact form: the notes are left out (no proof covers them), everything else survives
    text = r.to_text()
    assert text.startswith(TEXT_PREFIX) and set(text[len(TEXT_PREFIX) :]) <= set(BASE43)
    back = Receipt.from_text(text)
    assert back == replace(r, txid_claim=None, block_hash_claim=None, label=None, message=None)
    assert Receipt.from_text(receipt_qr_text(r)) == back
    assert verify_receipt(text, payment.store).ok
    assert verify_receipt(receipt_qr_text(r), payment.store).ok


def test_the_notes_are_shown_as_unproven(payment) -> None:
    doc = payment.receipt.to_json()
    doc["request"]["label"] = "anything at all"
    verdict = verify_receipt(doc, payment.store)
    assert verdict.ok  # label and message are the payee's notes: nothing can check them
    assert any("not covered by the proof" in line for line in describe(verdict.receipt))


def _flip(data: bytes, i: int, mask: int = 0x01) -> bytes:
    return data[:i] + bytes([data[i] ^ mask]) + data[i + 1 :]


def _refused(doc, store, check: str | tuple[str, ...], pattern: str) -> None:
    verdict = verify_receipt(doc, store)
    checks = (check,) if isinstance(check, str) else check
    assert not verdict.ok, f"accepted: {json.dumps(doc)[:200]}"
    assert verdict.failed_check in checks, (verdict.failed_check, verdict.reason)
    assert re.search(pattern, verdict.reason or ""), verdict.reason


def _edit(doc: dict, path: tuple, value) -> dict:
    out = json.loads(json.dumps(doc))
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def test_every_field_of_the_json_receipt_is_checked(payment) -> None:
    doc, store, h = payment.receipt.to_json(), payment.store, payment.height
    not_root = f"the Merkle branch does not lead to block {h:,}'s merkle root"
    tx = bytes.fromhex(doc["tx"])
    for i in range(len(tx)):
        _refused(
            _edit(doc, ("tx",), _flip(tx, i).hex()),
            store,
            "transaction",
            r"does not hash to its txid|does not parse|witness",
        )
    for field, check, reason in [
        (("txid",), "transaction", "the transaction in the receipt does not hash to its txid"),
        (("block", "hash"), "header", "does not hash to the block hash it names"),
        (("block", "header"), "header", "does not hash to the block hash it names"),
    ]:
        value = bytes.fromhex(doc[field[0]] if len(field) == 1 else doc["block"][field[1]])
        for i in range(len(value)):
            _refused(_edit(doc, field, _flip(value, i).hex()), store, check, reason)
    for k, node in enumerate(doc["block"]["merkle_branch"]):
        raw = bytes.fromhex(node)
        for i in range(32):
            branch = list(doc["block"]["merkle_branch"])
            branch[k] = _flip(raw, i).hex()
            _refused(_edit(doc, ("block", "merkle_branch"), branch), store, "merkle", not_root)
    pos, depth = doc["block"]["position"], len(doc["block"]["merkle_branch"])
    for other in {pos ^ (1 << k) for k in range(depth + 3)} | {pos + 1, 2**40}:
        _refused(_edit(doc, ("block", "position"), other), store, "merkle", not_root)
    for other in (h - 1, h + 1, 0, 1, payment.tip + 1, 2**31):
        _refused(_edit(doc, ("block", "height"), other), store, "chain", "header chain")
    amount = doc["output"]["amount_sat"]
    digits = str(amount)
    others = {amount - 1, amount + 1, amount * 10, 0}
    others |= {int(digits[:i] + d + digits[i + 1 :]) for i in range(len(digits)) for d in "19"}
    for other in others - {amount}:
        _refused(_edit(doc, ("output", "amount_sat"), other), store, "output", "receipt claims")
    address = doc["output"]["address"]
    for i in range(len(address)):
        for ch in "qp" if address[i] not in "qp" else "zr":
            changed = address[:i] + ch + address[i + 1 :]
            _refused(
                _edit(doc, ("output", "address"), changed),
                store,
                ("format", "output"),
                r"not a valid regtest address|receipt claims",
            )
    _refused(_edit(doc, ("output", "address"), CUSTOMER.address), store, "output", "receipt claims")
    _refused(_edit(doc, ("output", "index"), 1), store, "output", "receipt claims")
    _refused(_edit(doc, ("output", "index"), 2), store, "output", "has 2 outputs")
    for k, rec in enumerate(doc["later_headers"]):
        raw = bytes.fromhex(rec)
        for i in range(80):
            headers = list(doc["later_headers"])
            headers[k] = _flip(raw, i).hex()
            _refused(_edit(doc, ("later_headers",), headers), store, "later_headers", "block")
    _refused(_edit(doc, ("network",), "signet"), store, ("format", "network"), "regtest|signet")
    _refused(_edit(doc, ("version",), 3), store, "format", "version 3")
    cb = doc["block"]["coinbase"]
    for k, node in enumerate([cb["txid"], *cb["merkle_branch"]]):
        raw = bytes.fromhex(node)
        for i in range(32):
            nodes = [cb["txid"], *cb["merkle_branch"]]
            nodes[k] = _flip(raw, i).hex()
            changed = {"txid": nodes[0], "merkle_branch": nodes[1:]}
            _refused(_edit(doc, ("block", "coinbase"), changed), store, "depth", "coinbase proof")
    _refused(
        _edit(doc, ("block", "coinbase"), {**cb, "merkle_branch": cb["merkle_branch"][:-1]}),
        store,
        "depth",
        "coinbase proof of block .* does not hold",
    )
    _refused(_edit(doc, ("tx",), doc["tx"].upper()), store, "format", "lower-case hex")
    _refused({**doc, "extra": 1}, store, "format", "unknown field")


def test_every_byte_of_the_compact_form_is_checked(payment) -> None:
    data, store = payment.receipt.to_bytes(), payment.store
    failed: dict[str, int] = {}
    for i in range(len(data)):
        for mask in (0x01, 0x80, 0xFF):
            verdict = verify_receipt(TEXT_PREFIX + base43_encode(_flip(data, i, mask)), store)
            assert not verdict.ok, f"byte {i} ^ {mask:#x} was accepted"
            failed[verdict.failed_check] = failed.get(verdict.failed_check, 0) + 1
    # the refusals come from every kind of check, not from one catch-all
    print("refusals by check:", failed)
    assert set(failed) >= {"format", "chain", "merkle", "output", "later_headers"}, failed
    # the text form: every character changed to another base43 character
    text = payment.receipt.to_text()
    body = text[len(TEXT_PREFIX) :]
    for i, ch in enumerate(body):
        other = BASE43[(BASE43.index(ch) + 1) % 43]
        changed = TEXT_PREFIX + body[:i] + other + body[i + 1 :]
        assert not verify_receipt(changed, store).ok, f"character {i} changed was accepted"
    assert base43_decode(base43_encode(b"\0\0\x01\xff")) == b"\0\0\x01\xff"
    assert not verify_receipt(TEXT_PREFIX + body + "0", store).ok
    assert verify_receipt(TEXT_PREFIX + "%" + body, store).failed_check == "format"


def test_a_phantom_position_at_a_duplicated_leaf_is_refused(payment) -> None:
    """The last transaction of an odd-sized level is paired with a copy of itself; the same
    branch at the next position hashes to the same root, but that leaf does not exist."""
    raw, proof = payment.last
    assert payment.tx_count % 2 == 1 and proof.pos == payment.tx_count - 1
    tx = Transaction.parse(raw)
    receipt = make_receipt(
        tx,
        network="regtest",
        height=payment.height,
        header=payment.header,
        position=proof.pos,
        branch=proof.branch,
        output_index=0,
        coinbase=payment.coinbase,
    )
    assert verify_receipt(receipt, payment.store).ok
    phantom = replace(receipt, position=proof.pos + 1)
    assert hash_up(tx.txid(), proof.branch, proof.pos + 1) == payment.header[36:68]  # same root
    with pytest.raises(MerkleProofError, match="phantom leaf"):
        root_from_branch(tx.txid(), proof.branch, proof.pos + 1)
    verdict = verify_receipt(phantom, payment.store)
    assert verdict.failed_check == "merkle" and "phantom leaf" in verdict.reason
    assert not verify_receipt(phantom.to_text(), payment.store).ok


def test_a_64_byte_transaction_is_refused(payment) -> None:
    tx = Transaction(
        2, [TxIn(OutPoint(b"\x11" * 32, 0), b"", 0xFFFFFFFF)], [TxOut(1000, b"\x6a\x02\xab\xcd")]
    )
    raw = tx.serialize()
    assert len(raw) == 64
    forged = replace(payment.receipt, tx=raw, txid_claim=sha256d(raw))
    verdict = verify_receipt(forged, payment.store)
    assert verdict.failed_check == "transaction" and "64-byte" in verdict.reason
    with pytest.raises(ReceiptError, match="64-byte"):
        make_receipt(
            raw,
            network="regtest",
            height=payment.height,
            header=payment.header,
            position=payment.proof.pos,
            branch=payment.proof.branch,
            output_index=0,
        )


def test_witness_data_is_left_out_and_refused(payment) -> None:
    doc = payment.receipt.to_json()
    assert doc["tx"] == Transaction.parse(payment.raw).serialize_no_witness().hex()
    _refused({**doc, "tx": payment.raw.hex()}, payment.store, "transaction", "witness")


def test_a_chain_that_is_behind_or_another_network(payment, tmp_path) -> None:
    with HeaderStore(tmp_path / "behind", "regtest", fsync=False) as behind:
        behind.add_headers(payment.store.headers(1, payment.height))
        verdict = verify_receipt(payment.receipt, behind)
        assert verdict.failed_check == "chain"
        assert verdict.reason == (
            f"block {payment.height:,} in the receipt is not in this wallet's header chain — "
            f"sync headers first or it was reorged away (the chain reaches block "
            f"{payment.height - 1:,})"
        )
        # headers up to the block only: valid, one confirmation, the later ones checked by
        # the network's rules beyond the tip
        behind.add_headers(payment.store.header(payment.height))
        verdict = verify_receipt(payment.receipt, behind)
        assert verdict.ok and verdict.confirmations == 1 and verdict.headers_beyond_tip == 2
    with HeaderStore(tmp_path / "main", "mainnet", fsync=False) as mainnet:
        verdict = verify_receipt(payment.receipt, mainnet)
        assert verdict.failed_check == "network"
        assert verdict.reason == "the receipt is for regtest, but this header chain is mainnet's"


def test_made_from_the_wallet_database(payment, tmp_path) -> None:
    proof = payment.proof
    with WalletDatabase.open(tmp_path / "wallet.sqlite") as db:
        db.add_address(Chain.RECEIVE, 0, MERCHANT.address, MERCHANT.script)
        block_hash = sha256d(payment.header)
        record = db.add_transaction(
            payment.raw,
            state=TxState.CONFIRMED,
            proof=MerkleProof(proof.block_height, block_hash, proof.pos, proof.branch),
        )
        with pytest.raises(ReceiptError, match=r"coinbase proof of block .* not in the wallet"):
            receipt_for_payment(record, payment.store, 0, coinbase=stored_coinbase(db, record))
        cb = payment.coinbase
        db.set_block_anchor(block_hash, payment.height, cb.txid, cb.branch)
        receipt = receipt_for_payment(
            record,
            payment.store,
            0,
            confirmations=6,
            label="Coffee",
            coinbase=stored_coinbase(db, record),
        )
        assert len(receipt.later_headers) == payment.tip - payment.height  # as many as exist
        verdict = verify_receipt(receipt, payment.store)
        assert verdict.ok and verdict.receipt.label == "Coffee"
        db.set_tx_state(record.txid, TxState.UNVERIFIED, height=payment.height)
        with pytest.raises(ReceiptError, match="not confirmed"):
            receipt_for_payment(db.transaction_record(record.txid), payment.store, 0)


def test_a_reorg_takes_the_block_away(tmp_path) -> None:
    pg = start_playground(tmp_path / "pg")
    try:
        txid = pg.fund(MERCHANT.address, 50_000, confirm=True)
        height = pg.height
        got = run(_fetch(pg.electrum_port, [txid], height))
        raw, proof = got["txs"][txid]
        tx = Transaction.parse(raw)
        index = next(i for i, o in enumerate(tx.outputs) if o.script_pubkey == MERCHANT.script)
        receipt = make_receipt(
            tx,
            network="regtest",
            height=height,
            header=got["header"],
            position=proof.pos,
            branch=proof.branch,
            output_index=index,
            coinbase=got["coinbase"],
        )
        with HeaderStore(tmp_path / "headers", "regtest", fsync=False) as store:
            store.add_headers(got["headers"])
            assert verify_receipt(receipt, store).ok
            pg.reorg(1)  # the block is replaced; the payment goes back to the mempool
            after = run(_fetch(pg.electrum_port, [], height))
            result = store.add_headers(after["headers"])
            assert result.fork_point == height - 1 and store.height == height + 1
            verdict = verify_receipt(receipt, store)
        assert verdict.failed_check == "chain" and "reorged away" in verdict.reason
    finally:
        pg.stop()


# -- a price in a local currency (issue 15): the merchant's stated rate, never "proven" ----------


def test_a_fiat_price_is_kept_and_shown_as_the_merchants_stated_rate(payment) -> None:
    from wallet.bitcoin.fiat import Price, Rate, fiat_unit

    rate = Rate(fiat_unit("CNY"), "431234.56", "mempool.space, Coinbase", 1_700_000_000)
    priced = replace(payment.receipt, price=Price(3500, rate))
    doc = json.loads(priced.to_json_text())
    assert doc["price"] == {
        "currency": "CNY",
        "amount": "35.00",
        "rate": "431234.56",
        "rate_source": "mempool.space, Coinbase",
        "rate_time": 1_700_000_000,
    }
    assert Receipt.from_json(priced.to_json_text()) == priced
    verdict = verify_receipt(priced.to_json_text(), payment.store)
    assert verdict.ok  # the proof covers the bitcoin; the price is beside it
    assert verdict.to_json()["price"]["proven"] is False
    (line,) = [ln for ln in describe(verdict.receipt) if ln.startswith("price:")]
    assert "35.00 CNY at 431,234.56 CNY/BTC" in line
    assert "mempool.space, Coinbase; 2023-11-14 22:13 UTC" in line
    assert "the merchant's stated rate, not proven" in line
    # A receipt without a price reads as before; the compact form leaves the price out (as
    # the notes: no proof covers it).
    assert Receipt.from_json(payment.receipt.to_json_text()).price is None
    assert Receipt.from_text(priced.to_text()).price is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"currency": "cny"}, "upper-case"),
        ({"currency": "XYZ"}, "ISO 4217"),
        ({"amount": "35.001"}, "decimal places"),
        ({"amount": 35}, "must be text"),
        ({"amount": "0"}, "zero"),
        ({"rate": "-1"}, "must be"),
        ({"rate": "NaN"}, "more than zero"),
        ({"rate_time": -5}, "whole number"),
        ({"extra": 1}, "unknown field"),
    ],
)
def test_a_price_that_is_not_one_is_refused(payment, edit, message) -> None:
    from wallet.bitcoin.fiat import Price, Rate, fiat_unit

    rate = Rate(fiat_unit("CNY"), "431234.56", "x", 1_700_000_000)
    doc = replace(payment.receipt, price=Price(3500, rate)).to_json()
    doc["price"].update(edit)
    with pytest.raises(ReceiptFormatError, match=message):
        Receipt.from_json(doc)
