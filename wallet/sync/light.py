"""The sync engine of a block source: compact filters over P2P, or Bitcoin Core.

:class:`LightSync` offers what :class:`~wallet.sync.engine.WalletSync` offers the front ends
-- ``sync``, ``follow``, ``watch``, ``broadcast``, ``fee_estimate``, the tip and status -- over
a client that holds whole blocks (:class:`wallet.p2p.client.LightClient`, or
:class:`wallet.core.source.CoreSource`), so ``paylight sync/pay/charge`` and the GUI run on it
unchanged:

* **sync**: headers and filter headers to the most-work chain, then the filters from the
  wallet's birthday (:class:`~wallet.sync.blocks.BlockScanSync`: only the blocks past the last
  scan, and past the fork point after a reorg);
* **follow**: peers announce new blocks (``headers`` after ``sendheaders``, or ``inv``); Core
  is polled for its best block. Each new block is synced as above. Between blocks the peers
  are pinged and the pool refilled. Over P2P every announced transaction is fetched
  (:class:`~wallet.p2p.mempool.MempoolWatch`: no peer learns which interest us) and matched
  here against the wallet's scripts and coins; a match is stored as unconfirmed, listed by
  the peers that announced it, after its spends of wallet coins pass libbitcoinkernel --
  the till's "seen";
* **broadcast**: over P2P, announced to one peer by ``inv``, served on its ``getdata``, and
  relayed when a *different* peer announces it back; through Core's RPC
  ``sendrawtransaction``. Stored as unconfirmed through the one applier, as every source's
  findings are;
* **fees**: Core's ``estimatesmartfee``; over P2P the latest blocks' own fee rates.

:class:`CombinedSync` runs a server engine and a block engine side by side for a wallet that
uses both (the servers learn its addresses; the blocks check them).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterable
from typing import Any

from wallet.account.database import AddressRecord, TxState
from wallet.account.update import SeenTx, WalletUpdate
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.errors import PaylightError
from wallet.sync.blocks import BlockScanSync
from wallet.sync.cancel import stop_if_cancelled
from wallet.sync.engine import BroadcastError, SyncReport, WalletSync
from wallet.sync.events import SyncEvent, SyncStatus, deliver
from wallet.sync.signatures import invalid_spends

log = logging.getLogger(__name__)

#: Seconds a follow waits for news before pinging the peers (or polling the node).
KEEPALIVE_SECONDS = 30.0
#: How often Core is asked for its best block and mempool while following.
CORE_POLL_SECONDS = 2.0
#: Seconds to wait for another peer to announce a broadcast back.
RELAY_TIMEOUT = 20.0


@dataclasses.dataclass(frozen=True)
class BlockBroadcast:
    """Where a broadcast went: who took it, and who showed it relayed."""

    txid: bytes
    accepted: tuple[str, ...]
    relayed_by: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        return bool(self.relayed_by)


class LightSync:
    """Keeps one wallet in step with a block source (see the module docstring)."""

    def __init__(
        self,
        wallet: Wallet,
        client: Any,
        *,
        source: str,
        on_event: Callable[[SyncEvent], None] | None = None,
        keepalive: float = KEEPALIVE_SECONDS,
    ) -> None:
        self.wallet = wallet
        self.client = client
        self.source = source
        self.headers = client.store
        self.on_event = on_event
        self.keepalive = keepalive
        self.blocks = BlockScanSync(wallet, client, source=source, on_event=self._emit)
        self.sink = self.blocks.sink
        self._lock: asyncio.Lock | None = None
        self._synced = False
        self._status = SyncStatus(phase="connecting", header_height=self.headers.height)
        self.last_broadcast: BlockBroadcast | None = None
        #: mempool transactions matched against the wallet, waiting to be checked and stored
        self._arrived: asyncio.Queue[tuple[Transaction, bytes, set[str]]] | None = None
        self._scripts: set[bytes] | None = None
        mempool = getattr(client, "mempool", None)
        if mempool is not None:
            mempool.on_tx = self._on_mempool_tx

    # -- reporting ----------------------------------------------------------------------------

    def _emit(self, event: SyncEvent) -> None:
        if isinstance(event, SyncStatus):
            event = dataclasses.replace(event, servers_active=self._peer_count())
            self._status = event
        deliver(self.on_event, event)

    def _set_status(self, **changes: Any) -> None:
        self._emit(dataclasses.replace(self._status, **changes))

    def _peer_count(self) -> int:
        pool = getattr(self.client, "pool", None)
        return len(pool.peers) if pool is not None else 1

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def tip_height(self) -> int | None:
        return self.headers.height

    def confirmations(self, height: int | None) -> int:
        if height is None or height <= 0 or height > self.headers.height:
            return 0
        return self.headers.height - height + 1

    def dropped(self) -> dict[str, str]:
        return {d.peer: d.reason for d in getattr(self.client, "dropped", ())}

    def scan_summary(self) -> dict[str, Any] | None:
        """What the last sync fetched: filters (how many, their bytes, from whom) and the
        matching blocks (and from whom); None before the first."""
        scan = self.blocks.last_scan
        if scan is None:
            return None
        return {
            "from_height": scan.start,
            "to_height": scan.end,
            "filters": scan.filters_downloaded,
            "filter_bytes": scan.filter_bytes,
            "filters_by": dict(scan.filters_by),
            "blocks": len(scan.block_peers),
            "block_peers": sorted(set(scan.block_peers.values())),
        }

    # -- syncing ------------------------------------------------------------------------------

    def _serial(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def sync(self) -> SyncReport:
        """Headers, filter headers, then the blocks that match the wallet; the outcome."""
        async with self._serial():
            try:
                report = await self.blocks.sync()
            except PaylightError as exc:
                self._set_status(phase="offline", message=f"Sync failed: {exc}")
                raise
        self._synced = True
        return report

    async def follow(self) -> None:
        """Follow new blocks (and, over P2P, the wallet's new mempool transactions) until
        cancelled; failures are reported (phase "offline") and retried."""
        self._arrived = asyncio.Queue()
        checker = asyncio.ensure_future(self._check_arrivals(self._arrived))
        try:
            while True:
                stop_if_cancelled()
                try:
                    if not self._synced:
                        await self.sync()
                    if await self._news():
                        await self.sync()
                except asyncio.CancelledError:
                    raise
                except PaylightError as exc:
                    log.warning("%s: sync failed, retrying: %s", self.source, exc)
                    self._set_status(phase="offline", message=f"Sync failed: {exc}")
                    self._synced = False
                    await asyncio.sleep(min(5.0, self.keepalive))
        finally:
            checker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await checker
            self._arrived = None

    async def _news(self) -> bool:
        """Wait for a new block: True when one may be there."""
        wait = getattr(self.client, "wait_for_news", None)
        if wait is not None:  # peers announce blocks
            if await wait(self.keepalive):
                return True
            await self.client.keep_alive()
            return False
        # Bitcoin Core: ask for its best block now and then
        await asyncio.sleep(CORE_POLL_SECONDS)
        best = await self.client.best_block()
        await self._core_mempool()
        return best != self.headers.hash_at(self.headers.height)

    def watch(self, addresses: Iterable[AddressRecord | bytes]) -> None:
        """Addresses derived outside the engine (a payment request past the gap limit): their
        scripts are matched from now on; the next sync scans the blocks for them too."""
        self._scripts = None

    # -- the mempool ----------------------------------------------------------------------------

    def _wallet_scripts(self) -> set[bytes]:
        if self._scripts is None or len(self._scripts) < len(self.wallet.db.script_pubkeys()):
            self._scripts = set(self.wallet.db.script_pubkeys())
        return self._scripts

    def _on_mempool_tx(self, tx: Transaction, raw: bytes, peers: set[str]) -> None:
        """A transaction the peers announced: kept for checking when it touches the wallet
        (matched here, on this machine: no peer is told)."""
        if self._arrived is None:
            return
        scripts = self._wallet_scripts()
        pays = any(o.script_pubkey in scripts for o in tx.outputs)
        spends = not pays and bool(
            self.wallet.db.wallet_coins(i.prevout for i in tx.inputs if not tx.is_coinbase())
        )
        if pays or spends:
            self._arrived.put_nowait((tx, raw, set(peers)))

    async def _check_arrivals(self, queue: asyncio.Queue[tuple[Transaction, bytes, set[str]]]):
        while True:
            tx, raw, peers = await queue.get()
            try:
                await self._store_unconfirmed(tx, raw, peers)
            except PaylightError as exc:
                log.warning("%s: mempool transaction not stored: %s", self.source, exc)

    async def _store_unconfirmed(self, tx: Transaction, raw: bytes, peers: set[str]) -> None:
        db = self.wallet.db
        txid = tx.txid()
        record = db.transaction_record(txid)
        if record is not None and record.state in (TxState.CONFIRMED, TxState.REPLACED):
            return
        if record is None:
            refused = await invalid_spends(db, [txid], {txid: raw}, None)
            if txid in refused:
                log.warning("%s: mempool transaction %s %s", self.source, tx.txid_hex, refused)
                return
        asked = max(self._peer_count(), len(peers))
        update = WalletUpdate(
            self.source, (SeenTx(txid, raw, listed_by=tuple(peers), asked=asked),)
        )
        async with self._serial():
            self.sink.apply(update)

    async def _core_mempool(self) -> None:
        """Bitcoin Core: new mempool transactions of the wallet, asked of the user's node."""
        news = getattr(self.client, "new_mempool_transactions", None)
        if news is None or self._arrived is None:
            return
        for tx, raw in await news():
            self._on_mempool_tx(tx, raw, {self.client.name})

    def mempool_view(self) -> Any:
        """What the peers' mempools showed (the till's risk view), or None for Core."""
        mempool = getattr(self.client, "mempool", None)
        if mempool is None:
            return None
        return PeerMempoolView(self.client, mempool)

    # -- sending and fees ---------------------------------------------------------------------

    async def broadcast(self, tx: Transaction) -> bytes:
        """Send ``tx`` (see the module docstring) and store it as unconfirmed; its txid."""
        raw = tx.serialize()
        txid = tx.txid()
        result = await self.client.broadcast(raw)
        if hasattr(result, "sent_to"):  # over P2P
            if not result.fetched and not result.relayed_by:
                raise BroadcastError(
                    f"no peer took transaction {tx.txid_hex}: {result.sent_to} never asked for "
                    "it and no other peer announced it; try again"
                )
            self.last_broadcast = BlockBroadcast(txid, (result.sent_to,), tuple(result.relayed_by))
        else:  # Bitcoin Core: sendrawtransaction answered with the txid
            self.last_broadcast = BlockBroadcast(
                txid, (self.client.name,), (self.client.name,) if result.in_mempool else ()
            )
        async with self._serial():
            self.sink.apply(WalletUpdate("broadcast", (SeenTx(txid, raw, ours=True),)))
        return txid

    async def fee_estimate(self, target_blocks: int) -> FeeRate | None:
        return await self.client.fee_estimate(target_blocks)


class PeerMempoolView:
    """The P2P mempool watch as the till's risk view reads it
    (:func:`wallet.payments.risk.assess_risk_from_peers`)."""

    def __init__(self, client: Any, mempool: Any) -> None:
        self.client = client
        self.mempool = mempool

    def peers(self) -> list[str]:
        return [p.name for p in self.client.pool.peers]

    def seen_by(self, tx: Transaction) -> set[str]:
        return self.mempool.seen_by(tx.txid(), tx.wtxid())

    def transaction(self, txid: bytes) -> Transaction | None:
        return self.mempool.transaction(txid)

    def spending(self, outpoint: OutPoint) -> set[bytes]:
        return self.mempool.spending(outpoint)


class CombinedSync:
    """Servers and a block source for one wallet: both sync and follow, each update through
    the one applier; broadcasts go to both, fee estimates and the risk view come from the
    servers (they answer what blocks alone cannot)."""

    def __init__(self, servers: WalletSync, blocks: LightSync) -> None:
        self.servers = servers
        self.blocks = blocks
        self.wallet = servers.wallet
        self.headers = servers.headers
        self.pool = servers.pool
        self.last_broadcast: Any = None

    @property
    def status(self) -> SyncStatus:
        return self.servers.status

    @property
    def tip_height(self) -> int | None:
        return self.headers.height

    def confirmations(self, height: int | None) -> int:
        return self.servers.confirmations(height)

    def dropped(self) -> dict[str, str]:
        return {**self.servers.pool.dropped(), **self.blocks.dropped()}

    async def sync(self) -> SyncReport:
        first = await self.servers.sync()
        second = await self.blocks.sync()
        return dataclasses.replace(
            second,
            requests_made=first.requests_made + second.requests_made,
            proofs_verified=first.proofs_verified + second.proofs_verified,
            disagreements=first.disagreements,
            dropped={**first.dropped, **second.dropped},
        )

    async def follow(self) -> None:
        tasks = [
            asyncio.ensure_future(self.servers.follow()),
            asyncio.ensure_future(self.blocks.follow()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def watch(self, addresses: Iterable[AddressRecord | bytes]) -> None:
        items = list(addresses)
        self.servers.watch(items)
        self.blocks.watch(items)

    async def broadcast(self, tx: Transaction) -> bytes:
        errors: list[PaylightError] = []
        accepted = False
        for engine in (self.servers, self.blocks):
            try:
                await engine.broadcast(tx)
                accepted = True
            except PaylightError as exc:
                errors.append(exc)
        if not accepted:
            raise errors[0]
        self.last_broadcast = self.servers.last_broadcast or self.blocks.last_broadcast
        return tx.txid()

    async def fee_estimate(self, target_blocks: int) -> FeeRate | None:
        rate = None
        with contextlib.suppress(PaylightError):
            rate = await self.servers.fee_estimate(target_blocks)
        return rate if rate is not None else await self.blocks.fee_estimate(target_blocks)

    def mempool_view(self) -> Any:
        return None  # the servers' pool gives the fuller view

    def scan_summary(self) -> dict[str, Any] | None:
        return self.blocks.scan_summary()


__all__ = ["BlockBroadcast", "CombinedSync", "LightSync", "PeerMempoolView"]
