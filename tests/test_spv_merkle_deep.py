"""CVE-2017-12842, the deep form: a fake leaf hung below a real 64-byte transaction.

A 64-byte transaction hashes to its txid exactly as two Merkle nodes hash to their parent, so
its halves can pose as a leaf and its sibling one level below the real leaves. The branch then
reaches the block's real merkle root. Here the 64-byte transactions are real -- mined in
playground blocks that libbitcoinkernel accepted -- and so are the roots the forged branches
reach; the light node must refuse every one: by the pair that reads as a transaction, and by
the block's tree depth, which its coinbase proves. A receipt for a fake transaction hung below
such a node (on a header chain made for it: regtest's proof of work is free) verified as VALID
before, and must not now.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import replace

import pytest

from tests.conftest import shared_path
from tests.playground_fixture import playground  # noqa: F401
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.hashes import hash160, sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.script import p2wsh_script
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.payments.receipt import Receipt, verify_receipt
from wallet.playground.blocks import REGTEST_BITS, grind_header
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import (
    CoinbaseProof,
    merkle_branch,
    pair_is_transaction,
    root_from_branch,
    tree_depth,
    verify_branch,
)
from wallet.spv.store import HeaderStore

OP_TRUE = b"\x51"


def hash_up(leaf: bytes, branch: list[bytes], index: int) -> bytes:
    """The root a branch hashes to, with no check at all: what an attacker reaches."""
    node = leaf
    for sibling in branch:
        node = sha256d(sibling + node) if index & 1 else sha256d(node + sibling)
        index >>= 1
    return node


def _reads_as_64_byte_tx(data: bytes) -> bool:
    """The reference: the wallet's own parser reads ``data`` as a whole transaction with an
    input and an output, serialized without witness (what a txid hashes)."""
    try:
        tx = Transaction.parse(data)
    except BitcoinError:
        return False
    return bool(tx.inputs and tx.outputs) and tx.serialize_no_witness() == data


def test_the_pair_test_is_exactly_the_parser() -> None:
    """Every shape of 64-byte transaction is caught, and nothing else: checked against the
    transaction parser on built transactions, near misses and random bytes."""
    rng = random.Random(12842)
    built = 0
    for _ in range(3000):
        k = rng.randrange(5)
        tx = Transaction(
            rng.randrange(2**31),
            [TxIn(OutPoint(rng.randbytes(32), rng.randrange(2**32)), rng.randbytes(k), 7)],
            [TxOut(rng.randrange(2**50), rng.randbytes(4 - k))],
            rng.randrange(2**32),
        )
        raw = tx.serialize()
        assert len(raw) == 64 and pair_is_transaction(raw) and _reads_as_64_byte_tx(raw)
        built += 1
        for i in (4, 41, 46 + k, 55 + k, rng.randrange(64)):  # near misses, one byte changed
            changed = raw[:i] + bytes([rng.randrange(256)]) + raw[i + 1 :]
            assert pair_is_transaction(changed) == _reads_as_64_byte_tx(changed), changed.hex()
    for _ in range(20000):
        data = bytearray(rng.randbytes(64))
        data[4] = 1 if rng.random() < 0.5 else data[4]
        assert pair_is_transaction(bytes(data)) == _reads_as_64_byte_tx(bytes(data))
    assert built == 3000


def test_electrums_deep_form_vectors_are_refused() -> None:
    """Electrum's vectors (tests/test_verifier.py): a real testnet 64-byte transaction T at
    position 3; each half of T as a fake leaf one level below it reaches the same root."""
    vector = json.loads(
        shared_path(
            "data/merkle_proofs/electrum_tests/electrum_test_verifier_vectors.json"
        ).read_text()
    )["vectors"][0]
    tx64 = bytes.fromhex(vector["valid_64_byte_tx"])
    branch = [bytes.fromhex(h)[::-1] for h in vector["merkle_branch"]]
    root = bytes.fromhex(vector["merkle_root"])[::-1]
    assert root_from_branch(sha256d(tx64), branch, 3) == root  # T itself is a real leaf
    for leaf, sibling, index in ((tx64[:32], tx64[32:], 6), (tx64[32:], tx64[:32], 7)):
        forged = [sibling, *branch]
        assert hash_up(leaf, forged, index) == root  # the forgery reaches the real root
        with pytest.raises(MerkleProofError, match="read as a 64-byte transaction"):
            root_from_branch(leaf, forged, index)
        with pytest.raises(MerkleProofError, match="wrong depth"):
            root_from_branch(leaf, forged, index, depth=len(branch))


def _anyone_can_spend_coin(pg, sats: int) -> tuple[OutPoint, TxOut]:
    """A confirmed P2WSH(OP_TRUE) output: spent by a witness holding the script, no key."""
    script = p2wsh_script(__import__("hashlib").sha256(OP_TRUE).digest())
    txid = bytes.fromhex(pg.fund(script_to_address(script, REGTEST), sats, confirm=True))[::-1]
    with pg.lock:
        tx = pg.ledger.find_tx(txid).entry.tx
    vout = next(i for i, o in enumerate(tx.outputs) if o.script_pubkey == script)
    return OutPoint(txid, vout), tx.outputs[vout]


def _mined_64_byte_tx(pg) -> tuple[Transaction, int, int]:
    """A real 64-byte transaction mined by the playground: (it, its block's height, position).
    One input spending P2WSH(OP_TRUE) (empty scriptSig, the script in the witness), one output
    of a 4-byte OP_RETURN script: 64 bytes without witness. Policy would not relay it;
    consensus (libbitcoinkernel) accepts the block."""
    outpoint, _ = _anyone_can_spend_coin(pg, 50_000)
    tx = Transaction(2, [TxIn(outpoint, b"", 0xFFFFFFFF, [OP_TRUE])], [TxOut(0, b"\x6a\x02ab")])
    assert len(tx.serialize_no_witness()) == 64
    others = [
        pg.fund(script_to_address(p2wsh_script(bytes(32)), REGTEST), 1000 + i) for i in range(4)
    ]
    assert others
    pg.mine(1, txs=[tx])
    with pg.lock:
        entry = pg.chain.tx_index[tx.txid()]
    return tx, entry.height, entry.pos


def _block(pg, height: int):
    with pg.lock:
        block = pg.chain.blocks[height]
        return block.header, [t.txid for t in block.txs], block.txs[0].tx


def test_a_branch_through_a_real_64_byte_transaction_is_refused(playground) -> None:  # noqa: F811
    tx64, height, pos = _mined_64_byte_tx(playground)
    header, txids, coinbase = _block(playground, height)
    root = header[36:68]
    depth = tree_depth(len(txids))
    assert depth >= 2 and txids[pos] == tx64.txid()
    # the block's depth, from its coinbase: checked against the header and the coinbase itself
    anchor = CoinbaseProof(txids[0], tuple(merkle_branch(txids, 0)))
    assert anchor.verify(header) == depth
    anchor.check_coinbase(coinbase.serialize())
    # the forgery: each half of the 64-byte transaction as a leaf below it
    raw = tx64.serialize_no_witness()
    real = merkle_branch(txids, pos)
    for leaf, sibling, index in ((raw[:32], raw[32:], 2 * pos), (raw[32:], raw[:32], 2 * pos + 1)):
        forged = [sibling, *real]
        assert hash_up(leaf, forged, index) == root  # a real branch to the real root
        with pytest.raises(MerkleProofError, match="wrong depth"):
            root_from_branch(leaf, forged, index, depth=anchor.depth)
        with pytest.raises(MerkleProofError, match="read as a 64-byte transaction"):
            root_from_branch(leaf, forged, index)
    # and the 64-byte transaction itself cannot be proven either (the shallow form)
    with pytest.raises(MerkleProofError, match="64-byte"):
        verify_branch(tx64.serialize(), real, pos, header, depth=depth)


def test_a_coinbase_proof_cannot_make_a_block_deeper_or_shallower(playground) -> None:  # noqa: F811
    """The depth's own proof: a 64-byte coinbase could make a block look one level deeper (its
    halves as leaf and sibling), and any block one level shallower (an inner node named as the
    coinbase). The first is refused by the pair test; the second by the coinbase's bytes,
    which the sync fetches and checks (a receipt has no need to: a shallower depth only makes
    honest branches fail)."""
    playground.mine(1, tiny_coinbase=True)
    header, txids, coinbase = _block(playground, playground.height)
    raw = coinbase.serialize()
    assert len(raw) == 64 and len(txids) == 1
    forged = CoinbaseProof(raw[:32], (raw[32:],))
    assert hash_up(forged.txid, list(forged.branch), 0) == header[36:68]
    with pytest.raises(MerkleProofError, match="read as a 64-byte transaction"):
        forged.verify(header)
    # a block of several transactions: the level-1 node passed off as its coinbase
    _tx64, height, _pos = _mined_64_byte_tx(playground)
    header, txids, coinbase = _block(playground, height)
    real = merkle_branch(txids, 0)
    shallow = CoinbaseProof(sha256d(txids[0] + real[0]), tuple(real[1:]))
    assert shallow.verify(header) == len(real) - 1  # the branch alone cannot tell...
    with pytest.raises(MerkleProofError, match="hashes to"):
        shallow.check_coinbase(coinbase.serialize())  # ...the coinbase's bytes can


def _fake_payment(pay_to: bytes) -> Transaction:
    """A made-up payment whose txid's fifth byte is 1, so that it can be the first half of a
    64-byte transaction (the input count of the legacy serialization)."""
    for nonce in range(100_000):
        tx = Transaction(
            2, [TxIn(OutPoint(bytes(32), nonce), b"", 0xFFFFFFFD)], [TxOut(90_000, pay_to)]
        )
        if tx.txid()[4] == 1:
            return tx
    raise AssertionError("no such txid in 100,000 tries")


def test_a_receipt_for_a_fake_payment_below_a_64_byte_node_is_refused(tmp_path) -> None:
    """The receipt form of the attack, on a header chain made for it (free on regtest): a
    block of two transactions whose second is the 64-byte T = txid(F) || Y, and a receipt for
    the fake payment F at depth 2. Before, it verified as VALID; now the pair test refuses it,
    and with the block's coinbase proof the depth does too."""
    pay_to = p2wsh_script(hash160(b"merchant").ljust(32, b"\0"))
    fake = _fake_payment(pay_to)
    # Y completes T: rest of the prevout, vout, empty scriptSig, sequence, one output of a
    # 4-byte script, locktime
    tail = bytes(5) + bytes(4) + b"\x00" + b"\xff" * 4 + b"\x01" + bytes(8) + b"\x04" + b"\x6a" * 4
    tx64 = fake.txid() + tail + bytes(4)
    assert len(tx64) == 64 and pair_is_transaction(tx64)
    coinbase_txid = sha256d(b"a coinbase")
    txids = [coinbase_txid, sha256d(tx64)]
    genesis = bytes.fromhex(REGTEST.genesis_hash)[::-1]
    header = grind_header(genesis, sha256d(txids[0] + txids[1]), int(time.time()), REGTEST_BITS)
    with HeaderStore(tmp_path / "headers", "regtest", fsync=False) as store:
        assert store.add_headers(header).error is None
        old = Receipt(
            network=REGTEST,
            tx=fake.serialize(),
            height=1,
            header=header,
            position=2,  # left child of position 1
            branch=(tail + bytes(4), coinbase_txid),
            output_index=0,
            amount_sat=90_000,
            script_pubkey=pay_to,
        )
        assert hash_up(fake.txid(), list(old.branch), 2) == header[36:68]
        verdict = verify_receipt(old, store)
        assert verdict.outcome == "invalid" and verdict.failed_check == "merkle"
        assert "read as a 64-byte transaction" in verdict.reason
        anchored = replace(old, coinbase_txid=coinbase_txid, coinbase_branch=(txids[1],))
        verdict = verify_receipt(anchored, store)
        assert not verdict.ok and verdict.failed_check == "merkle"
        assert "wrong depth" in verdict.reason
        assert [c.ok for c in verdict.checks if c.name == "depth"] == [True]
