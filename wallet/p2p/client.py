"""The compact-filter light client: peers, headers, filter headers, scans and broadcasts.

A narrow interface for a chain source to wrap (:mod:`wallet.sync.blocks` turns its findings
into the wallet's updates): it knows nothing of wallets, only scripts in and transactions with
their block positions out.

    client = LightClient(network, store, peers=["127.0.0.1:18444"])
    await client.start()
    report = await client.sync()            # headers, then filter headers
    found = await client.scan(scripts, birthday_height)
    await client.broadcast(raw_tx)
    await client.close()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import OutPoint
from wallet.p2p.messages import service_names
from wallet.p2p.pool import BroadcastResult, NoPeers, PeerPool
from wallet.p2p.scanner import FoundTx, Scanner, ScanResult
from wallet.p2p.sync import (
    HeaderSyncReport,
    anchor_filter_headers,
    sync_filter_headers,
    sync_headers,
)
from wallet.spv.filter_store import FilterHeaderFile
from wallet.spv.filters import FilterHeaderChain
from wallet.spv.store import HeaderStore


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


@dataclass
class SyncReport:
    headers: HeaderSyncReport
    filter_tip: int

    @property
    def fork_point(self) -> int | None:
        return self.headers.fork_point


class LightClient:
    def __init__(
        self,
        network: Network,
        store: HeaderStore,
        *,
        peers: Iterable[str] = (),
        target_peers: int = 4,
        use_dns: bool = True,
        use_fixed: bool = True,
        timeout: float = 20.0,
        persist: bool = True,
    ) -> None:
        self.network = network
        self.store = store
        self.pool = PeerPool(
            network,
            peers=peers,
            target=target_peers,
            use_dns=use_dns,
            use_fixed=use_fixed,
            timeout=timeout,
        )
        #: the accepted filter headers, kept beside the header store (a restart asks only
        #: for those of new blocks); None until the first sync anchors them
        self.filter_file = FilterHeaderFile(store) if persist else None
        self.filter_headers: FilterHeaderChain | None = (
            self.filter_file.load() if self.filter_file is not None else None
        )
        self.scanner = Scanner(self.pool, store, self.filter_headers or FilterHeaderChain())

    def _still_on_chain(self) -> None:
        """Another process may have moved the shared header store to another branch since our
        filter headers were saved: then they are read again (cut where their blocks left)."""
        chain, file = self.filter_headers, self.filter_file
        if chain is not None and file is not None and not file.still_on_chain(chain):
            self.filter_headers = file.load()
            if self.filter_headers is not None:
                self.scanner.chain = self.filter_headers

    async def start(self) -> None:
        self.pool.start_height = self.store.height
        await self.pool.fill()

    async def sync(self) -> SyncReport:
        """Headers from several peers onto the most-work valid chain, then the filter headers
        cross-checked between peers. After a reorg the filter headers above the fork point are
        dropped and fetched again; ``fork_point`` tells the caller what to undo."""
        headers = await sync_headers(self.pool, self.store)
        self._still_on_chain()
        chain = self.filter_headers
        if chain is None:  # from genesis, or agreed at the store's checkpoint
            chain = self.filter_headers = await anchor_filter_headers(self.pool, self.store)
            self.scanner.chain = chain
        if headers.fork_point is not None:
            chain.rewind(headers.fork_point)
        try:
            tip = await sync_filter_headers(self.pool, self.store, chain)
        finally:
            if self.filter_file is not None:  # what was agreed so far is kept (crash-safe)
                self.filter_file.save(chain)
        return SyncReport(headers, tip)

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
        return await self.pool.broadcast(raw, timeout)

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
            )
            for p in self.pool.peers
        ]

    @property
    def dropped(self):
        return list(self.pool.dropped)

    async def close(self) -> None:
        await self.pool.close()
