"""Finding a wallet's transactions with compact filters, telling no peer which scripts it has.

For each run of up to 1,000 blocks from the birthday: the filters come from one peer chosen at
random and must each hash to the filter header already agreed on (a peer serving another filter
is dropped and the run is asked of another peer); they are matched against the wallet's scripts
all at once (:func:`wallet.bitcoin.bip158_match.match_filters`). Each matching block is fetched
whole (with witnesses) from a random peer *other than the one that served the filter*, checked
against our header (hash, Merkle root recomputed, witness commitment), and the wallet's
transactions are taken from it with their positions and Merkle branches, and the block's
coinbase with its branch (the block's tree depth): the same evidence a server's proof gives, so
a wallet restored from blocks holds what one restored from servers holds. Peers only ever see
requests for filters of every block and for whole blocks, never a script, an address or a txid.

When transactions reveal used addresses, ``more_scripts`` (the gap-limit policy, owned by the
wallet) may return new scripts: the filters in hand are matched again for them at once, every
later run matches them too, and only the blocks before the run that revealed them are scanned
again (in one more pass, with the blocks it matched kept rather than fetched twice).

Where filters and blocks come from is a :class:`FilterSource`: :class:`PeerSource` (the P2P
pool, above) or Bitcoin Core's REST (:class:`wallet.core.source.RestSource`). The scanner checks
what any source gives it the same way: filters against the filter headers, blocks against our
headers.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from wallet.bitcoin.bip158_match import Workspace, match_filters
from wallet.bitcoin.transaction import OutPoint
from wallet.p2p.peer import PeerError
from wallet.p2p.pool import NoPeers, PeerPool
from wallet.p2p.sync import check_block, fetch_block
from wallet.spv.errors import MerkleProofError
from wallet.spv.filters import MAX_CFILTERS, FilterHeaderChain, FilterHeaderError
from wallet.spv.merkle import Block, merkle_branches
from wallet.spv.store import HeaderStore


@dataclass(frozen=True)
class FoundTx:
    txid: bytes
    raw: bytes
    height: int
    #: position in the block (for receipts and Merkle branches)
    pos: int
    block_hash: bytes
    #: the Merkle branch from the transaction to the block's root, computed from the block
    branch: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class FoundBlock:
    """A block that held wallet transactions: its coinbase and the coinbase's branch, which
    prove the block's tree depth (:class:`wallet.spv.merkle.CoinbaseProof`)."""

    height: int
    block_hash: bytes
    coinbase: bytes
    coinbase_branch: tuple[bytes, ...]


@dataclass
class ScanResult:
    start: int
    end: int
    txs: list[FoundTx] = field(default_factory=list)
    #: the blocks the transactions are in, by hash
    blocks: dict[bytes, FoundBlock] = field(default_factory=dict)
    matched_heights: list[int] = field(default_factory=list)
    #: for each matched block: who served the filter that matched, and who the block
    filter_peers: dict[int, str] = field(default_factory=dict)
    block_peers: dict[int, str] = field(default_factory=dict)
    filters_downloaded: int = 0
    filter_bytes: int = 0
    #: how many filters each source served
    filters_by: dict[str, int] = field(default_factory=dict)


#: Blocks a scan keeps while it runs (matched again when the gap limit moves: not refetched).
CACHED_BLOCKS = 64


class FilterSource(Protocol):
    """Where a scan gets filters and blocks; the scanner checks both, and tells the source
    (:meth:`refuse`) when something it served is false."""

    async def filters(self, first: int, last: int, hashes: list[bytes]) -> tuple[str, list[bytes]]:
        """(who served them, the filters of blocks ``first..last`` whose hashes are given)."""
        ...

    async def block(self, height: int, block_hash: bytes, not_from: str) -> tuple[str, Block]:
        """(who served it, the witness block), from someone other than ``not_from`` if
        possible."""
        ...

    def refuse(self, served_by: str, reason: str) -> None:
        """What ``served_by`` gave is false: stop using it (or raise when nobody is left)."""
        ...


class PeerSource:
    """Filters from one random peer, blocks from another, over the P2P pool."""

    def __init__(self, pool: PeerPool, store: HeaderStore) -> None:
        self.pool = pool
        self.store = store

    async def filters(self, first: int, last: int, hashes: list[bytes]) -> tuple[str, list[bytes]]:
        stop = hashes[-1]
        while True:
            await self.pool.ensure()
            peer = self.pool.choose()
            if peer is None:
                raise NoPeers(self.pool._nobody())
            try:
                return peer.name, await peer.get_cfilters(first, stop, hashes)
            except PeerError as err:
                self.pool.fault(peer, err)

    async def block(self, height: int, block_hash: bytes, not_from: str) -> tuple[str, Block]:
        exclude = tuple(p for p in self.pool.peers if p.name == not_from)
        before = {p.name: p.stats.blocks for p in self.pool.peers}
        block = await fetch_block(self.pool, self.store, height, exclude=exclude)
        served = next(
            (p.name for p in self.pool.peers if p.stats.blocks > before.get(p.name, 0)), ""
        )
        return served, block

    def refuse(self, served_by: str, reason: str) -> None:
        for peer in list(self.pool.peers):
            if peer.name == served_by:
                self.pool.drop(peer, reason)


class Scanner:
    def __init__(
        self,
        source: FilterSource | PeerPool,
        store: HeaderStore,
        chain: FilterHeaderChain,
        batch: int = MAX_CFILTERS,
    ) -> None:
        self.source: FilterSource = (
            PeerSource(source, store) if isinstance(source, PeerPool) else source
        )
        self.store = store
        self.chain = chain
        self.batch = batch
        self._workspace = Workspace()
        self._cache: OrderedDict[int, Block] = OrderedDict()
        #: seconds spent per phase since made: "filters" (fetched and checked against their
        #: headers), "match" (matched against the scripts), "blocks" (fetched and checked)
        self.seconds: Counter[str] = Counter()

    async def scan(
        self,
        scripts: Iterable[bytes],
        start: int,
        end: int | None = None,
        *,
        outpoints: Iterable[OutPoint] = (),
        more_scripts: Callable[[list[FoundTx]], Iterable[bytes]] | None = None,
    ) -> ScanResult:
        """Scan blocks ``start..end`` (default: the filter-header tip) for ``scripts``.

        ``outpoints`` are coins the wallet already has (their spends are found too).
        """
        end = self.chain.tip_height if end is None else end
        result = ScanResult(start, end)
        wanted = set(scripts)
        coins = set(outpoints)
        seen: set[bytes] = set()
        self._cache: OrderedDict[int, Block] = OrderedDict()
        pending = [(start, end, set(wanted))]
        try:
            while pending:
                lo, hi, items = pending.pop(0)
                revealed, at = await self._scan_range(
                    lo, hi, items, wanted, coins, seen, result, more_scripts
                )
                if revealed:
                    # scripts a block revealed (the gap limit moved) were matched from that
                    # block's run on: the blocks before it, and those after this pass, may
                    # hold them too
                    if at > start:
                        pending.append((start, at - 1, set(revealed)))
                    if hi < end:
                        pending.append((hi + 1, end, set(revealed)))
        finally:
            self._cache = OrderedDict()
        result.txs.sort(key=lambda t: (t.height, t.pos))
        result.matched_heights = sorted(set(result.matched_heights))
        return result

    async def _scan_range(
        self,
        lo: int,
        hi: int,
        items: set[bytes],
        wanted: set[bytes],
        coins: set[OutPoint],
        seen: set[bytes],
        result: ScanResult,
        more_scripts: Callable[[list[FoundTx]], Iterable[bytes]] | None,
    ) -> tuple[set[bytes], int]:
        """Scan ``lo..hi`` for ``items`` (and spends of ``coins``). Scripts that transactions
        reveal are matched at once against the filters in hand and in every later run of this
        pass; returned: (those scripts, the first block of the run that revealed them)."""
        revealed: set[bytes] = set()
        first_reveal = hi + 1
        items = set(items)
        height = lo
        while height <= hi:
            last = min(hi, height + self.batch - 1)
            clock = time.perf_counter()
            served_by, filters = await self._filters(height, last, result)
            self.seconds["filters"] += time.perf_counter() - clock
            hashes = [self.store.hash_at(h) for h in range(height, last + 1)]
            pairs = list(zip(hashes, filters))
            looking = items
            while looking:
                new: list[FoundTx] = []
                clock = time.perf_counter()
                hits = match_filters(pairs, looking)
                self.seconds["match"] += time.perf_counter() - clock
                for offset, hit in enumerate(hits):
                    if hit:
                        h = height + offset
                        result.matched_heights.append(h)
                        result.filter_peers.setdefault(h, served_by)
                        block = await self._block(h, served_by, result)
                        new += self._extract(block, h, wanted, coins, seen, result)
                fresh = set(more_scripts(new)) - wanted if more_scripts and new else set()
                wanted |= fresh
                items |= fresh
                if fresh and not revealed:
                    first_reveal = height
                revealed |= fresh
                looking = fresh  # this run's filters, matched again for the new scripts
            height = last + 1
        return revealed, first_reveal

    async def _filters(self, first: int, last: int, result: ScanResult) -> tuple[str, list[bytes]]:
        hashes = [self.store.hash_at(h) for h in range(first, last + 1)]
        while True:
            served_by, filters = await self.source.filters(first, last, hashes)
            try:
                if len(filters) != len(hashes):
                    raise FilterHeaderError(first, f"{len(filters)} filters for {len(hashes)}")
                for h, data in zip(range(first, last + 1), filters):
                    self.chain.check_filter(h, data)
            except FilterHeaderError as err:
                self.source.refuse(
                    served_by, f"it served a filter that does not match its header ({err})"
                )
                continue
            result.filters_downloaded += len(filters)
            result.filter_bytes += sum(len(f) for f in filters)
            result.filters_by[served_by] = result.filters_by.get(served_by, 0) + len(filters)
            return served_by, filters

    async def _block(self, height: int, filter_source: str, result: ScanResult) -> Block:
        cached = self._cache.get(height)
        if cached is not None:  # matched again for scripts revealed since: not fetched again
            return cached
        clock = time.perf_counter()
        block = await self._fetch_block(height, filter_source, result)
        self.seconds["blocks"] += time.perf_counter() - clock
        self._cache[height] = block
        while len(self._cache) > CACHED_BLOCKS:
            self._cache.popitem(last=False)
        return block

    async def _fetch_block(self, height: int, filter_source: str, result: ScanResult) -> Block:
        header = self.store.header(height)
        while True:
            served_by, block = await self.source.block(
                height, self.store.hash_at(height), filter_source
            )
            try:
                check_block(block, header)  # hash, Merkle root recomputed, witness commitment
            except MerkleProofError as err:
                self.source.refuse(served_by, f"block {height} does not match its header: {err}")
                continue
            result.block_peers.setdefault(height, served_by)
            return block

    @staticmethod
    def _extract(
        block: Block,
        height: int,
        wanted: set[bytes],
        coins: set[OutPoint],
        seen: set[bytes],
        result: ScanResult,
    ) -> list[FoundTx]:
        hits: list[tuple[int, bytes]] = []
        txids = block.txids()
        for pos, (tx, txid) in enumerate(zip(block.transactions, txids, strict=True)):
            pays = [i for i, o in enumerate(tx.outputs) if o.script_pubkey in wanted]
            spends = not tx.is_coinbase() and any(i.prevout in coins for i in tx.inputs)
            if not (pays or spends):
                continue
            coins.update(OutPoint(txid, i) for i in pays)
            if txid in seen:
                continue
            seen.add(txid)
            hits.append((pos, txid))
        if not hits:
            return []
        block_hash = block.header.hash()
        branches = merkle_branches(txids, [0] + [pos for pos, _ in hits])
        result.blocks[block_hash] = FoundBlock(
            height, block_hash, block.transactions[0].serialize(), tuple(branches[0])
        )
        found = [
            FoundTx(txid, block.transactions[pos].serialize(), height, pos, block_hash, tuple(b))
            for (pos, txid), b in zip(hits, branches[1:], strict=True)
        ]
        result.txs.extend(found)
        return found
