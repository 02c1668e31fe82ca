"""The compact-filter light client: peers, headers, filter headers, scans and broadcasts.

A narrow interface for a chain source to wrap (:mod:`wallet.sync.blocks` turns its findings
into the wallet's updates): it knows nothing of wallets, only scripts in and transactions with
their block positions out.

    client = LightClient(network, store, peers=["127.0.0.1:18444"])
    await client.start()
    report = await client.sync()            # headers, then filter headers
    found = await client.scan(scripts, birthday_height)
    await client.broadcast(raw_tx)
    await client.wait_for_news(30)          # a block announced (sendheaders / inv)
    await client.close()

Following: peers announce new blocks (``headers``, as we asked with ``sendheaders``, or an
``inv``): :meth:`wait_for_news` returns then, and the caller syncs again. New transactions
are announced by ``inv`` and fetched, every one of them, by :class:`~wallet.p2p.mempool.
MempoolWatch`, whose ``on_tx`` the caller sets to match them against its scripts. The fee
estimate is the average fee rate of the latest blocks (their coinbase's value less the
subsidy, over their transactions' size): no peer is asked anything but whole blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import OutPoint
from wallet.p2p import messages as m
from wallet.p2p.mempool import MempoolWatch
from wallet.p2p.messages import service_names
from wallet.p2p.peer import Peer, PeerError
from wallet.p2p.pool import BroadcastResult, NoPeers, PeerPool
from wallet.p2p.scanner import FoundTx, Scanner, ScanResult
from wallet.p2p.sync import (
    HeaderSyncReport,
    anchor_filter_headers,
    fetch_block,
    sync_filter_headers,
    sync_headers,
)
from wallet.spv.filter_store import FilterHeaderFile
from wallet.spv.filters import FilterHeaderChain
from wallet.spv.merkle import Block
from wallet.spv.store import HeaderStore

#: blocks whose fee rates make the estimate
FEE_BLOCKS = 3


@dataclass(frozen=True)
class PeerInfo:
    """What the light-node panel shows for one peer."""

    name: str
    user_agent: str
    services: list[str]
    height: int
    blocks: int
    filters: int
    bytes_in: int
    bytes_out: int = 0
    connected_at: float = 0.0
    #: the last round trip in milliseconds (None before one was measured)
    ping_ms: float | None = None
    #: its misbehaviour score so far (dropped at ``wallet.p2p.pool.BAN_SCORE``)
    score: int = 0


@dataclass
class SyncReport:
    headers: HeaderSyncReport
    filter_tip: int
    #: the lowest block whose filter header changed under one we held (a liar we believed
    #: was exposed): its filters and those after it must be matched again
    filters_changed_from: int | None = None

    @property
    def fork_point(self) -> int | None:
        return self.headers.fork_point


class LightClient:
    def __init__(
        self,
        network: Network,
        store: HeaderStore | None,
        *,
        peers: Iterable[str] = (),
        target_peers: int = 4,
        use_dns: bool = True,
        use_fixed: bool = True,
        timeout: float = 20.0,
        persist: bool = True,
    ) -> None:
        self.network = network
        self.persist = persist
        self.pool = PeerPool(
            network,
            peers=peers,
            target=target_peers,
            use_dns=use_dns,
            use_fixed=use_fixed,
            timeout=timeout,
            on_message=self._on_message,
        )
        #: every announced transaction, fetched (set its ``on_tx`` to match them)
        self.mempool = MempoolWatch()
        self._news: asyncio.Event | None = None
        self._fees: tuple[bytes, list[FeeRate]] | None = None
        self.filter_file: FilterHeaderFile | None = None
        self.filter_headers: FilterHeaderChain | None = None
        #: seconds spent per phase since made ("headers", "filter_headers"; the scanner's
        #: "filters", "match" and "blocks": :meth:`phase_seconds`)
        self.seconds: Counter[str] = Counter()
        self.store: HeaderStore = store  # type: ignore[assignment]  # (attach() sets it)
        if store is not None:
            self.attach(store)

    def attach(self, store: HeaderStore) -> None:
        """Use ``store`` (given later when the peers must first say which chain they follow:
        :meth:`first_block`)."""
        self.store = store
        #: the accepted filter headers, kept beside the header store (a restart asks only
        #: for those of new blocks); None until the first sync anchors them
        self.filter_file = FilterHeaderFile(store) if self.persist else None
        self.filter_headers = self.filter_file.load() if self.filter_file is not None else None
        self.scanner = Scanner(self.pool, store, self.filter_headers or FilterHeaderChain())

    async def first_block(self) -> str | None:
        """The chain the peers follow, named by its block 1 (on regtest every playground has
        its own): the first 16 hex digits of its hash, as :func:`wallet.sync.headers.
        regtest_chain` names a server's. None when no peer answers."""
        genesis = bytes.fromhex(self.network.genesis_hash)[::-1]
        with contextlib.suppress(NoPeers):
            for peer in list(await self.pool.ensure()):
                try:
                    headers = await peer.get_headers([genesis])
                except PeerError as err:
                    self.pool.fault(peer, err)
                    continue
                if headers and headers[0][4:36] == genesis:
                    return sha256d(headers[0])[::-1].hex()[:16]
        return None

    def _still_on_chain(self) -> None:
        """Another process may have moved the shared header store to another branch since our
        filter headers were saved: then they are read again (cut where their blocks left)."""
        chain, file = self.filter_headers, self.filter_file
        if chain is not None and file is not None and not file.still_on_chain(chain):
            self.filter_headers = file.load()
            if self.filter_headers is not None:
                self.scanner.chain = self.filter_headers

    async def start(self) -> None:
        self.pool.start_height = self.store.height if self.store is not None else 0
        await self.pool.fill()

    async def sync(self) -> SyncReport:
        """Headers from several peers onto the most-work valid chain, then the filter headers
        cross-checked between every connected peer (those we held too). After a reorg the
        filter headers above the fork point are dropped and fetched again; ``fork_point`` tells
        the caller what to undo, ``filters_changed_from`` what to scan again."""
        clock = time.perf_counter()
        headers = await sync_headers(self.pool, self.store)
        self.seconds["headers"] += time.perf_counter() - clock
        clock = time.perf_counter()
        self._still_on_chain()
        chain = self.filter_headers
        if chain is None:  # from genesis, or agreed at the store's checkpoint
            chain = self.filter_headers = await anchor_filter_headers(self.pool, self.store)
            self.scanner.chain = chain
        if headers.fork_point is not None:
            chain.rewind(headers.fork_point)
        try:
            done = await sync_filter_headers(self.pool, self.store, chain)
        finally:
            if self.filter_file is not None:  # what was agreed so far is kept (crash-safe)
                self.filter_file.save(chain)
            self.seconds["filter_headers"] += time.perf_counter() - clock
        return SyncReport(headers, done.tip_height, done.changed_from)

    def phase_seconds(self) -> dict[str, float]:
        """Seconds spent so far per phase: headers, filter headers, filters, matching, blocks."""
        return {**self.seconds, **self.scanner.seconds}

    async def scan(
        self,
        scripts: Iterable[bytes],
        birthday: int = 0,
        *,
        end: int | None = None,
        outpoints: Iterable[OutPoint] = (),
        more_scripts: Callable[[list[FoundTx]], Iterable[bytes]] | None = None,
    ) -> ScanResult:
        chain = self.filter_headers
        if chain is None:
            raise NoPeers("the filter headers are not synced yet: sync first")
        start = max(birthday, chain.base_height + 1)
        return await self.scanner.scan(
            scripts, start, end, outpoints=outpoints, more_scripts=more_scripts
        )

    async def broadcast(self, raw: bytes, timeout: float = 30.0) -> BroadcastResult:
        """Announce ``raw`` to one peer, serve it, and wait for another to announce it back."""
        from wallet.bitcoin.transaction import Transaction

        self.mempool.add_own(Transaction.parse(raw), raw)  # never fetched back from a peer
        return await self.pool.broadcast(raw, timeout)

    # -- following ------------------------------------------------------------------------------

    async def _on_message(self, peer: Peer, msg: m.Message) -> None:
        if self._news is not None and _announces_block(msg):
            self._news.set()
        await self.mempool.on_message(peer, msg)

    async def wait_for_news(self, timeout: float) -> bool:
        """Until a peer announces a block (True), or ``timeout`` seconds (False)."""
        if self._news is None:
            self._news = asyncio.Event()
        try:
            # not asyncio.wait_for: on Python 3.11 it returns a result that arrives in the
            # same turn as a cancellation and drops the cancellation (the follow loop then
            # never ends); asyncio.timeout delivers it
            async with asyncio.timeout(timeout):
                await self._news.wait()
        except TimeoutError:
            return False
        self._news.clear()
        return True

    async def keep_alive(self) -> None:
        """Ping every peer (a dead connection shows) and connect new ones up to the target."""
        for peer in list(self.pool.peers):
            try:
                await peer.ping()
            except PeerError as err:
                self.pool.fault(peer, err)
        with contextlib.suppress(NoPeers):
            await self.pool.ensure(self.pool.target)

    # -- fees -----------------------------------------------------------------------------------

    async def fee_estimate(self, blocks: int) -> FeeRate | None:
        """The fee rate to confirm within ``blocks``, from the latest blocks themselves: the
        highest of their average fee rates for 1-2 blocks, their median for more. None when
        they hold no transactions to judge by."""
        rates = await self._block_fee_rates()
        if not rates:
            return None
        ordered = sorted(rates, key=lambda r: r.sat_per_kvb)
        return ordered[-1] if blocks <= 2 else ordered[len(ordered) // 2]

    async def _block_fee_rates(self) -> list[FeeRate]:
        store = self.store
        tip = store.hash_at(store.height)
        if self._fees is not None and self._fees[0] == tip:
            return self._fees[1]
        rates = []
        for height in range(store.height, max(store.base_height, store.height - FEE_BLOCKS), -1):
            block = await fetch_block(self.pool, store, height)
            rate = block_fee_rate(block, self.network.block_subsidy(height))
            if rate is not None:
                rates.append(rate)
        self._fees = (tip, rates)
        return rates

    def peers(self) -> list[PeerInfo]:
        return [
            PeerInfo(
                p.name,
                p.user_agent,
                service_names(p.services),
                p.height,
                p.stats.blocks,
                p.stats.filters,
                p.stats.bytes_in,
                p.stats.bytes_out,
                p.stats.connected_at,
                None if p.stats.ping_seconds is None else p.stats.ping_seconds * 1000,
                self.pool.scores.get(p.name, 0),
            )
            for p in self.pool.peers
        ]

    def downloaded(self) -> dict[str, int]:
        """What every peer of this session sent, dropped ones included: bytes, filters,
        blocks."""
        stats = self.pool.all_stats
        return {
            "bytes": sum(s.bytes_in for s in stats),
            "filters": sum(s.filters for s in stats),
            "blocks": sum(s.blocks for s in stats),
        }

    def unreachable(self) -> dict[str, str]:
        """Peers that could not be reached this session, with why."""
        live = {p.name for p in self.pool.peers}
        return {k: v for k, v in self.pool.failed.items() if k not in live}

    @property
    def dropped(self):
        return list(self.pool.dropped)

    async def close(self) -> None:
        await self.pool.close()


def block_fee_rate(block: Block, subsidy: int) -> FeeRate | None:
    """A block's average fee rate: what its coinbase claims beyond the subsidy (the fees), over
    the virtual size of its other transactions. None for a block of the coinbase alone."""
    txs = block.transactions
    size = sum(tx.vsize() for tx in txs[1:])
    fees = sum(o.value for o in txs[0].outputs) - subsidy
    if size <= 0 or fees <= 0:
        return None
    return FeeRate(-(-fees * 1000 // size))


def _announces_block(msg: m.Message) -> bool:
    """A ``headers`` announcement (after ``sendheaders``) or an ``inv`` naming a block."""
    if isinstance(msg, m.Headers):
        return bool(msg.headers)
    if isinstance(msg, m.Inv) and not isinstance(msg, m.GetData | m.NotFound):
        return any(i.type & ~m.MSG_WITNESS_FLAG == m.MSG_BLOCK for i in msg.items)
    return False
