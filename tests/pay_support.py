"""Helpers of the payment tests (no tests here): playground payments stored in a wallet as a sync
stores them (mined ones with their real Merkle proofs), and where the chain holds a transaction."""

from __future__ import annotations

from tests.playground_fixture import TestKey, playground_module  # noqa: F401
from wallet.account.database import Chain, MerkleProof, TxState
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.transaction import Transaction
from wallet.spv.merkle import merkle_branch, verify_branch


def store_from_chain(pg, wallet: Wallet, txid_hex: str) -> None:
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


def fund(pg, wallet: Wallet, *amounts: int, index: int = 0) -> None:
    address = wallet.db.address_at(Chain.RECEIVE, index).address
    for sats in amounts:
        store_from_chain(pg, wallet, pg.fund(address, sats, confirm=True))


def mined_height(pg, tx: Transaction) -> int:
    """The height of the block holding ``tx`` (the kernel accepted that block)."""
    with pg.lock:
        found = pg.ledger.find_tx(tx.txid())
    assert found is not None and found.block is not None, "the transaction was not mined"
    return found.entry.height
