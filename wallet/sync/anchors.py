"""Each block's Merkle tree depth, proven by its coinbase and kept in the wallet database.

Every honest branch in a block has the same length: the depth of the block's tree. A branch of
another length that still reaches the header's merkle root hangs a fake leaf below a real
64-byte transaction, or passes an inner node off as a transaction (CVE-2017-12842). So before
a branch for a block is believed, the block's depth is learnt from a proof no server can forge
(:class:`wallet.spv.merkle.CoinbaseProof`): the coinbase's txid and its branch at position 0,
checked against our own header, and the coinbase's bytes, checked to be a coinbase that hashes
to that txid. A server whose coinbase proof fails is dropped with the reason.

The proof is learnt once per block (one or two requests, or a share of two batches: see
:meth:`BlockAnchors.offer`) and kept by block hash, in memory and in the wallet database, where
receipts find it: a receipt carries it so that an offline verifier can check the depth too.
Concurrent requests for one block share one fetch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from wallet.account.database import WalletDatabase
from wallet.backends.base import RequestRejected, UnsupportedRequest
from wallet.backends.pool import ServerPool
from wallet.bitcoin.errors import BitcoinError
from wallet.errors import PaylightError
from wallet.spv.merkle import CoinbaseProof
from wallet.spv.store import HeaderStore

log = logging.getLogger(__name__)


class BlockAnchors:
    """The coinbase proofs (tree depths) of the blocks the wallet's transactions are in."""

    def __init__(
        self,
        db: WalletDatabase,
        pool: ServerPool,
        headers: HeaderStore,
        *,
        drop: Callable[[str, str], None],
        servers: Callable[[], list[str]],
    ) -> None:
        self.db = db
        self.pool = pool
        self.headers = headers
        self._drop = drop
        self._servers = servers
        self._known: dict[bytes, CoinbaseProof] = {}
        self._pending: dict[bytes, asyncio.Future[CoinbaseProof | None]] = {}
        #: coinbase proofs fetched and checked (not counting those found in the database)
        self.learnt = 0

    def kept(self, block_hash: bytes) -> CoinbaseProof | None:
        """The proof already known for ``block_hash`` (memory or database), without asking."""
        proof = self._known.get(block_hash)
        if proof is None:
            stored = self.db.block_anchor(block_hash)
            if stored is not None:
                proof = self._known[block_hash] = CoinbaseProof(stored[1], stored[2])
        return proof

    async def get(self, height: int) -> CoinbaseProof | None:
        """The checked coinbase proof of our block at ``height`` (None: no server gave one)."""
        block_hash = self.headers.hash_at(height)
        proof = self.kept(block_hash)
        if proof is not None:
            return proof
        pending = self._pending.get(block_hash)
        if pending is None:
            pending = asyncio.ensure_future(self._learn(height, block_hash))
            self._pending[block_hash] = pending
            pending.add_done_callback(lambda _f: self._pending.pop(block_hash, None))
        return await asyncio.shield(pending)

    def offer(
        self, height: int, block_hash: bytes, server: str, proof: CoinbaseProof, raw: bytes
    ) -> bool:
        """A coinbase proof and the coinbase ``server`` sent in a batch, checked as one asked
        alone is: kept if they hold (True), else the server is dropped with the reason."""
        if self.kept(block_hash) is not None or self.pool.is_dropped(server):
            return self.kept(block_hash) is not None
        if block_hash != self.headers.hash_at(height):
            return False  # our chain moved meanwhile
        if not self.holds(height, server, proof, raw):
            return False
        self._keep(height, block_hash, proof)
        return True

    def holds(
        self, height: int, server: str, proof: CoinbaseProof, raw: bytes | None = None
    ) -> bool:
        """``proof`` reaches our header at ``height`` and ``raw`` (unless None: not asked yet)
        is the coinbase it names; if not, ``server`` (which sent them) is dropped with the
        reason."""
        what = f"bad Merkle proof for the coinbase of block {height}"
        try:
            proof.verify(self.headers.header(height))
            if raw is not None:
                proof.check_coinbase(raw)
        except BitcoinError as exc:
            self._drop(server, f"{what}: {exc}")
            return False
        return True

    def _keep(self, height: int, block_hash: bytes, proof: CoinbaseProof) -> None:
        with self.db.transaction():
            self.db.set_block_anchor(block_hash, height, proof.txid, proof.branch)
        self._known[block_hash] = proof
        self.learnt += 1

    async def _learn(self, height: int, block_hash: bytes) -> CoinbaseProof | None:
        for server in self._servers():
            try:
                _, proof = await self.pool.first(
                    "send a coinbase's Merkle proof",
                    lambda b: b.get_coinbase_branch(height, block_hash),
                    server,
                )
            except PaylightError:
                continue  # unreachable, unsupported, refused or dropped: ask the next one
            if not self.holds(height, server, proof, None):
                continue
            try:
                _, raw = await self.pool.first(
                    "send the coinbase", lambda b, t=proof.txid: b.get_transaction(t), server
                )
            except (RequestRejected, UnsupportedRequest):
                self._drop(
                    server,
                    f"bad Merkle proof for the coinbase of block {height}: it named "
                    f"{proof.txid[::-1].hex()} as the coinbase but does not send that transaction",
                )
                continue
            except PaylightError:
                continue
            if not self.holds(height, server, proof, raw):
                continue
            self._keep(height, block_hash, proof)
            return proof
        log.info("no server proved the coinbase of block %d; its proofs wait", height)
        return None


__all__ = ["BlockAnchors"]
