"""What a chain source found, and the one place the wallet takes it in (BDK's split).

A chain source knows nothing of the wallet database: it returns a :class:`WalletUpdate` — the
transactions it found with their evidence, the coinbase proofs of their blocks, which source
listed each one, and what changed in our header chain — and :func:`apply_update` writes it,
in one database transaction, for every source alike: the Electrum and Esplora servers
(:mod:`wallet.sync.history`), compact block filters over P2P and Bitcoin Core's REST
(:mod:`wallet.sync.blocks`). A new source produces updates; nothing here changes for it.

:func:`apply_update` is also the gate no source can get around:

* a transaction is stored ``confirmed`` only with a Merkle proof that leads to the merkle root
  of **our** header at its height, is in **our** best chain, and has exactly the block's tree
  depth — proven by the block's coinbase (:class:`BlockAnchor`: its bytes, checked to be a
  coinbase, and its branch at position 0), given in the update or kept from an earlier one;
  a proof that fails is stored as the height claimed (``unverified``) and reported in
  :attr:`Applied.refused`;
* a coinbase proof is kept only once it checks out the same way.

A source that holds whole blocks (a filter scan) gives the same evidence as a server's proof:
the position and branch computed from the block's transactions, and the block's own coinbase.
So whichever source restored a wallet, the database holds the same history, balances, proofs
and block depths.

What a source must still do itself, as only it can ask again elsewhere: check each answer as
it arrives and drop the server that lied (the proof here is checked a second time, as the
gate), check the signatures of spends of wallet coins and bound what one server may make the
wallet store (:mod:`wallet.sync.signatures`, :mod:`wallet.sync.flood`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from wallet.account.database import MerkleProof, TxRecord, TxState, WalletDatabase
from wallet.account.errors import WalletDatabaseError
from wallet.bitcoin.errors import BitcoinError
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.spv.errors import MerkleProofError
from wallet.spv.merkle import CoinbaseProof, verify_branch


class ChainView(Protocol):
    """Our own header chain, as far as the gate needs it (a :class:`~wallet.spv.store.
    HeaderStore` is one)."""

    @property
    def height(self) -> int: ...

    @property
    def base_height(self) -> int: ...

    def header(self, height: int) -> bytes: ...

    def hash_at(self, height: int) -> bytes: ...


@dataclass(frozen=True)
class BlockAnchor:
    """A block's coinbase and its Merkle branch at position 0: the proof of the block's tree
    depth, which every honest branch in the block has (:mod:`wallet.spv.merkle`)."""

    height: int
    block_hash: bytes
    #: the coinbase transaction's bytes (checked to be a coinbase hashing to the leaf)
    coinbase: bytes = field(repr=False)
    branch: tuple[bytes, ...]

    @property
    def depth(self) -> int:
        return len(self.branch)


@dataclass(frozen=True)
class SeenTx:
    """One transaction a source reports, with what it knows of where the transaction is.

    ``proof``: its place in a block (from a server's Merkle branch, or computed from the whole
    block a filter scan fetched) -> confirmed, if the gate accepts it. Else ``height``: the
    block height sources claim without a proof we can check yet -> unverified. Neither: seen in
    a mempool -> unconfirmed.
    """

    txid: bytes
    raw: bytes = field(repr=False)
    proof: MerkleProof | None = None
    height: int | None = None
    #: the servers or peers that listed it in this update, and how many were asked (None:
    #: this update does not say, and what is stored stays)
    listed_by: tuple[str, ...] | None = None
    asked: int | None = None
    #: the wallet's own transaction, just accepted by a server it was broadcast to: stored as
    #: unconfirmed if new (a stored one keeps its state), and the unconfirmed transactions that
    #: spend one of the same wallet coins are replaced by it (RBF)
    ours: bool = False


@dataclass(frozen=True)
class ChainTip:
    """The tip of our header chain when the source made its update."""

    height: int
    block_hash: bytes


@dataclass(frozen=True)
class WalletUpdate:
    """What one chain source found in one step (see the module docstring)."""

    #: who made it: "servers", "P2P peers", "Bitcoin Core at host:port" (for logs and reports)
    source: str
    transactions: tuple[SeenTx, ...] = ()
    #: coinbase proofs of the blocks the proofs are in (those kept already may be left out)
    anchors: tuple[BlockAnchor, ...] = ()
    #: script hashes (sha256 of the script) whose whole history, blocks and mempools, this
    #: update lists: an unproven wallet transaction of theirs it does not list has left every
    #: mempool (forgotten), or was replaced by one that spends the same wallet coin
    complete_for: frozenset[bytes] = frozenset()
    #: our header chain moved (new headers, another branch): proofs whose block is no longer
    #: in it go back to the height claimed
    tip: ChainTip | None = None
    #: our chain changed branch from this height: every confirmation at or above it goes back
    reorg_from: int | None = None
    #: servers or peers the source stopped using while making the update -> why
    dropped: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class TxChange:
    """A wallet transaction moved from ``old`` to ``new`` (None: absent from the wallet).

    ``height`` is the block height claimed or verified (None while in a mempool).
    """

    txid: bytes
    old: TxState | None
    new: TxState | None
    height: int | None

    @property
    def txid_hex(self) -> str:
        return self.txid[::-1].hex()


@dataclass
class Applied:
    """What :func:`apply_update` did."""

    changes: list[TxChange] = field(default_factory=list)
    #: evidence the gate refused (txid or block hash -> why); those transactions are stored as
    #: the height claimed, unverified
    refused: dict[bytes, str] = field(default_factory=dict)
    #: coinbase proofs newly kept
    anchors_added: int = 0


def apply_update(db: WalletDatabase, update: WalletUpdate, chain: ChainView) -> Applied:
    """Write ``update`` into ``db`` in one database transaction (see the module docstring)."""
    applied = Applied()
    with db.transaction():
        if update.reorg_from is not None:
            applied.changes += _reorg(db, update.reorg_from)
        if update.tip is not None:
            applied.changes += _check_chain(db, chain)
        gate = _Gate(db, chain, applied)
        for anchor in update.anchors:
            gate.keep_anchor(anchor)
        listed: set[bytes] = set()
        for seen in update.transactions:
            change = _apply_tx(db, seen, gate)
            if change is not None:
                applied.changes.append(change)
            listed.add(seen.txid)
        for seen in update.transactions:
            if seen.ours:
                applied.changes += _replaced_by(db, seen.txid)
        if update.complete_for:
            applied.changes += _gone(db, update.complete_for, listed)
    return applied


# -- the gate ---------------------------------------------------------------------------------


class _Gate:
    """Checks proofs and coinbase proofs against our chain, remembering block depths."""

    def __init__(self, db: WalletDatabase, chain: ChainView, applied: Applied) -> None:
        self.db = db
        self.chain = chain
        self.applied = applied
        self._depths: dict[bytes, int | None] = {}

    def _our_header(self, height: int, block_hash: bytes) -> bytes:
        chain = self.chain
        if not chain.base_height < height <= chain.height:
            raise MerkleProofError(f"our headers do not reach height {height}")
        if chain.hash_at(height) != block_hash:
            raise MerkleProofError(f"block {block_hash[::-1].hex()} is not ours at {height}")
        return chain.header(height)

    def keep_anchor(self, anchor: BlockAnchor) -> None:
        try:
            header = self._our_header(anchor.height, anchor.block_hash)
            # a coinbase may be 64 bytes: its null prevout keeps it from posing as inner nodes
            proof = CoinbaseProof(Transaction.parse(anchor.coinbase).txid(), anchor.branch)
            proof.check_coinbase(anchor.coinbase)
            proof.verify(header)
        except (MerkleProofError, BitcoinError) as exc:
            self.applied.refused[anchor.block_hash] = (
                f"the coinbase proof of block {anchor.height} does not hold: {exc}"
            )
            return
        stored = self.db.block_anchor(anchor.block_hash)
        if stored != (anchor.height, proof.txid, anchor.branch):
            self.db.set_block_anchor(anchor.block_hash, anchor.height, proof.txid, anchor.branch)
            self.applied.anchors_added += 1
        self._depths[anchor.block_hash] = anchor.depth

    def depth(self, block_hash: bytes) -> int | None:
        """The block's proven tree depth (from this update's anchors or a kept one)."""
        if block_hash not in self._depths:
            stored = self.db.block_anchor(block_hash)
            self._depths[block_hash] = None if stored is None else len(stored[2])
        return self._depths[block_hash]

    def confirms(self, seen: SeenTx, proof: MerkleProof, record: TxRecord | None) -> bool:
        """Whether ``proof`` makes ``seen`` confirmed; a refusal is noted with its reason."""
        try:
            header = self._our_header(proof.height, proof.block_hash)
            depth = self.depth(proof.block_hash)
            if depth is None:
                raise MerkleProofError(f"the tree depth of block {proof.height} is not proven")
            if len(proof.branch) != depth:
                raise MerkleProofError(
                    f"a branch of {len(proof.branch)} hashes in a block of depth {depth}"
                )
            if record is not None and record.state is TxState.CONFIRMED and record.proof == proof:
                return True  # checked when it was stored, and its block is still ours
            verify_branch(seen.raw, proof.branch, proof.position, header, depth=depth)
        except (MerkleProofError, BitcoinError) as exc:
            self.applied.refused[seen.txid] = f"its proof in block {proof.height} fails: {exc}"
            return False
        return True


# -- transactions -----------------------------------------------------------------------------


def _apply_tx(db: WalletDatabase, seen: SeenTx, gate: _Gate) -> TxChange | None:
    """Store ``seen`` with the state its evidence earns; the change, if its state changed."""
    record = db.transaction_record(seen.txid)
    if seen.ours and record is not None:
        db.add_transaction(seen.raw)  # outputs matched again; what a source proved stays
        return None
    state, height, proof = TxState.UNCONFIRMED, seen.height, seen.proof
    if proof is not None and gate.confirms(seen, proof, record):
        state, height = TxState.CONFIRMED, proof.height
    else:
        if proof is not None:
            height = proof.height  # claimed there, not proven
        proof = None
        if height is not None:
            state = TxState.UNVERIFIED
    stored = db.add_transaction(seen.raw)  # new: unconfirmed; known: re-matches outputs
    if stored.txid != seen.txid:
        raise WalletDatabaseError(
            f"A chain source reported transaction {seen.txid[::-1].hex()} with the bytes of "
            f"{stored.txid_hex}."
        )
    if (stored.state, stored.height, stored.proof) != (state, height, proof):
        db.set_tx_state(
            stored.txid,
            state,
            height=height if state is TxState.UNVERIFIED else None,
            proof=proof,
        )
    if seen.listed_by is not None and seen.asked is not None:
        listed = tuple(sorted(seen.listed_by))
        if record is None or (record.listed_by, record.asked) != (listed, seen.asked):
            db.set_listed_by(seen.txid, listed, seen.asked)
    old = (record.state, record.height) if record is not None else (None, None)
    if old == (state, height):
        return None
    return TxChange(seen.txid, old[0], state, height)


def _replaced_by(db: WalletDatabase, txid: bytes) -> list[TxChange]:
    """Unconfirmed transactions spending a wallet coin ``txid`` spends: replaced by it."""
    changes = []
    for spenders in db.conflicts().values():
        if txid not in spenders:
            continue
        for other in spenders:
            record = db.transaction_record(other)
            if other == txid or record is None or record.state is not TxState.UNCONFIRMED:
                continue
            db.set_tx_state(other, TxState.REPLACED, replaced_by=txid)
            changes.append(TxChange(other, record.state, TxState.REPLACED, None))
    return changes


def touched_script_hashes(tx: Transaction, spent: Mapping[OutPoint, bytes]) -> set[bytes]:
    """Script hashes a transaction pays to, or spends from (``spent``: wallet outpoint -> sh)."""
    out = {sha256(o.script_pubkey) for o in tx.outputs}
    for txin in tx.inputs:
        sh = spent.get(txin.prevout)
        if sh is not None:
            out.add(sh)
    return out


def _gone(db: WalletDatabase, queried: frozenset[bytes], listed: set[bytes]) -> list[TxChange]:
    """Unconfirmed/unverified transactions of the ``queried`` script hashes not ``listed``:
    replaced when a live transaction spends the same wallet coin, else forgotten."""
    candidates = [
        r
        for state in (TxState.UNCONFIRMED, TxState.UNVERIFIED)
        for r in db.transactions(state)
        if r.txid not in listed
    ]
    if not candidates:
        return []
    spent = {o.outpoint: sha256(o.script_pubkey) for o in db.outputs()}
    vanished = []
    for record in candidates:
        try:
            tx = record.transaction()
        except BitcoinError:
            continue
        if touched_script_hashes(tx, spent) & queried:
            vanished.append(record)
    if not vanished:
        return []
    gone = {r.txid for r in vanished}
    replacement: dict[bytes, bytes] = {}
    for spenders in db.conflicts().values():
        live = [t for t in spenders if t not in gone]
        for t in spenders:
            if t in gone and live:
                replacement.setdefault(t, live[0])
    changes = []
    for record in vanished:
        by = replacement.get(record.txid)
        if by is not None:
            db.set_tx_state(record.txid, TxState.REPLACED, replaced_by=by)
            changes.append(TxChange(record.txid, record.state, TxState.REPLACED, None))
        else:
            db.remove_transaction(record.txid)
            changes.append(TxChange(record.txid, record.state, None, None))
    return changes


# -- our chain moved --------------------------------------------------------------------------


def _reorg(db: WalletDatabase, from_height: int) -> list[TxChange]:
    """Our chain changed from ``from_height``: those confirmations no longer hold."""
    heights = {r.txid: r.height for r in db.transactions(TxState.CONFIRMED)}
    moved = db.mark_reorg(from_height)
    return [TxChange(t, TxState.CONFIRMED, TxState.UNVERIFIED, heights.get(t)) for t in moved]


def _check_chain(db: WalletDatabase, chain: ChainView) -> list[TxChange]:
    """Move back confirmations whose block is no longer in our best chain (a reorg while the
    wallet was closed: the header store is shared by the chain's wallets; or a rebuilt one)."""
    lowest: int | None = None
    for proof in _proofs(db.transactions(TxState.CONFIRMED)):
        stale = proof.height > chain.height or proof.height <= chain.base_height
        if not stale:
            stale = chain.hash_at(proof.height) != proof.block_hash
        if stale and (lowest is None or proof.height < lowest):
            lowest = proof.height
    return [] if lowest is None else _reorg(db, lowest)


def _proofs(records: Iterable[TxRecord]) -> Iterable[MerkleProof]:
    for record in records:
        if record.proof is not None:
            yield record.proof


__all__ = [
    "Applied",
    "BlockAnchor",
    "ChainTip",
    "ChainView",
    "SeenTx",
    "TxChange",
    "WalletUpdate",
    "apply_update",
    "touched_script_hashes",
]
