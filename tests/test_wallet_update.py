"""apply_update: the one place a chain source's findings enter the wallet, and its gate.

Real blocks from the playground's chain (its headers serve as "our" chain): a proof that leads
to our header's root with the block's proven depth confirms a transaction; a wrong branch, a
missing or false coinbase proof, or a block that is not ours leaves it at the height claimed
(unverified) with the reason. Mempool claims, a history that no longer lists a transaction,
and a reorg are applied the same way for every source.
"""

from __future__ import annotations

import pytest

from tests.playground_fixture import TestKey
from tests.wallet_builder import EXTERNAL_SCRIPT
from wallet.account.database import Chain, MerkleProof, TxState, WalletDatabase
from wallet.account.update import BlockAnchor, ChainTip, SeenTx, WalletUpdate, apply_update
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, Transaction, TxOut
from wallet.spv.merkle import merkle_branch


class PlaygroundChain:
    """The playground's blocks as our header chain (the gate reads headers and hashes)."""

    def __init__(self, pg) -> None:
        with pg.lock:
            self.blocks = list(pg.chain.blocks)
        self.base_height = 0

    @property
    def height(self) -> int:
        return len(self.blocks) - 1

    def header(self, height: int) -> bytes:
        return self.blocks[height].header

    def hash_at(self, height: int) -> bytes:
        return self.blocks[height].hash


@pytest.fixture
def paid(playground, tmp_path):
    """A wallet database watching a key, a mined payment to it, and the block's evidence."""
    key = TestKey()
    db = WalletDatabase.open(tmp_path / "wallet.sqlite")
    db.add_address(Chain.RECEIVE, 0, key.address, key.script)
    txid = bytes.fromhex(playground.fund(key.address, 50_000))[::-1]
    playground.mine(1)
    chain = PlaygroundChain(playground)
    block = chain.blocks[chain.height]
    txids = [t.txid for t in block.txs]
    pos = txids.index(txid)
    proof = MerkleProof(chain.height, block.hash, pos, tuple(merkle_branch(txids, pos)))
    anchor = BlockAnchor(chain.height, block.hash, block.txs[0].raw, tuple(merkle_branch(txids, 0)))
    seen = SeenTx(txid, block.txs[pos].raw, proof=proof, listed_by=("a",), asked=2)
    try:
        yield db, chain, seen, anchor, key
    finally:
        db.close()


def test_a_proof_with_the_blocks_coinbase_proof_confirms(paid):
    db, chain, seen, anchor, _ = paid
    applied = apply_update(db, WalletUpdate("test", (seen,), (anchor,)), chain)
    assert applied.refused == {} and applied.anchors_added == 1
    [change] = applied.changes
    assert (change.txid, change.old, change.new, change.height) == (
        seen.txid,
        None,
        TxState.CONFIRMED,
        seen.proof.height,
    )
    record = db.transaction_record(seen.txid)
    assert record.proof == seen.proof and record.listed_by == ("a",) and record.asked == 2
    assert db.block_anchor(anchor.block_hash)[2] == anchor.branch
    assert db.balance(chain.height).confirmed == 50_000
    # the same update again changes nothing; the depth kept is used without the anchor
    again = apply_update(db, WalletUpdate("test", (seen,)), chain)
    assert again.changes == [] and again.refused == {} and again.anchors_added == 0


@pytest.mark.parametrize(
    "lie, reason",
    [
        ("branch", "leads to root"),
        ("short branch", "a branch of"),
        ("no anchor", "depth of block"),
        ("false coinbase", "coinbase proof of block"),
        ("other block", "is not ours"),
        ("above our tip", "do not reach"),
    ],
)
def test_evidence_that_does_not_hold_leaves_the_height_claimed(paid, lie, reason):
    db, chain, seen, anchor, _ = paid
    proof = seen.proof
    anchors: tuple[BlockAnchor, ...] = (anchor,)
    if lie == "branch":
        proof = MerkleProof(
            proof.height, proof.block_hash, proof.position, (b"\x01" * 32,) * len(proof.branch)
        )
    elif lie == "short branch":
        proof = MerkleProof(proof.height, proof.block_hash, proof.position, proof.branch[:-1])
    elif lie == "no anchor":
        anchors = ()
    elif lie == "false coinbase":  # the payment posing as the block's first transaction
        anchors = (BlockAnchor(anchor.height, anchor.block_hash, seen.raw, anchor.branch),)
    elif lie == "other block":
        proof = MerkleProof(proof.height, sha256(b"another block"), proof.position, proof.branch)
    elif lie == "above our tip":
        proof = MerkleProof(chain.height + 1, proof.block_hash, proof.position, proof.branch)
    bad = SeenTx(seen.txid, seen.raw, proof=proof)
    applied = apply_update(db, WalletUpdate("liar", (bad,), anchors), chain)
    record = db.transaction_record(seen.txid)
    assert record.state is TxState.UNVERIFIED and record.height == proof.height
    assert record.proof is None
    assert reason in " ".join(applied.refused.values()), applied.refused
    assert db.balance(chain.height).confirmed == 0


def test_mempool_claims_leave_when_no_longer_listed_and_a_reorg_takes_proofs_back(
    paid,
    playground,
):
    db, chain, seen, anchor, key = paid
    apply_update(db, WalletUpdate("test", (seen,), (anchor,)), chain)
    spend = key.spend([(_outpoint(seen, key), 50_000)], [TxOut(49_000, EXTERNAL_SCRIPT)])
    mempool = SeenTx(spend.txid(), spend.serialize(), listed_by=("a", "b"), asked=2)
    applied = apply_update(db, WalletUpdate("test", (mempool,)), chain)
    assert [c.new for c in applied.changes] == [TxState.UNCONFIRMED]
    assert db.balance(chain.height).unconfirmed == -50_000
    # the script hash's whole history no longer lists it: it left every mempool
    scope = frozenset({sha256(key.script)})
    applied = apply_update(db, WalletUpdate("test", (seen,), complete_for=scope), chain)
    assert [(c.txid, c.new) for c in applied.changes] == [(spend.txid(), None)]
    assert db.transaction_record(spend.txid()) is None
    # our chain changed branch at the payment's block: its confirmation goes back
    applied = apply_update(db, WalletUpdate("test", reorg_from=seen.proof.height), chain)
    assert [(c.old, c.new) for c in applied.changes] == [(TxState.CONFIRMED, TxState.UNVERIFIED)]
    # and a tip whose chain no longer holds a stored proof's block moves it back too
    apply_update(db, WalletUpdate("test", (seen,)), chain)
    chain.blocks = chain.blocks[: seen.proof.height]
    applied = apply_update(db, WalletUpdate("test", tip=ChainTip(chain.height, b"")), chain)
    assert [c.new for c in applied.changes] == [TxState.UNVERIFIED]


def _outpoint(seen: SeenTx, key: TestKey) -> OutPoint:
    tx = Transaction.parse(seen.raw)
    vout = next(i for i, o in enumerate(tx.outputs) if o.script_pubkey == key.script)
    return OutPoint(seen.txid, vout)
