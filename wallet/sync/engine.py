"""The wallet's sync engine: headers, then history and proofs — and then following the tip.

:class:`WalletSync` ties the light node's header chain (:class:`~wallet.sync.headers.HeaderSync`)
to the wallet's history (:class:`~wallet.sync.history.HistorySync`) over one
:class:`~wallet.backends.pool.ServerPool`:

* :meth:`WalletSync.sync` brings the headers to the most-work valid chain, moves back any
  confirmation whose block left that chain, then discovers addresses to the gap limit on both
  chains and fetches, cross-checks and verifies their history (see :mod:`wallet.sync.history`);
* :meth:`WalletSync.follow` subscribes to new tips and to every script hash and re-syncs only
  what changed, so a mempool payment shows within about a second (Electrum servers notify at
  once; Esplora ones are polled by their client);
* :meth:`WalletSync.watch` adds addresses derived outside the engine (a payment request past
  the gap limit) to a running ``follow``: subscribed to, and their history fetched;
* :meth:`WalletSync.broadcast` sends to every server and stores the transaction as unconfirmed.

Events (:mod:`wallet.sync.events`) go to ``on_event``: progress, each transaction's state change,
and each server dropped with its reason. ``on_event`` runs on the engine's event loop and must
not block; a GUI hands the event to its own thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wallet.account.database import AddressRecord, TxState
from wallet.account.update import SeenTx, WalletUpdate
from wallet.account.wallet_file import Wallet
from wallet.backends.base import RequestRejected, ServerError, Tip
from wallet.backends.pool import BroadcastResult, Disagreement, ServerPool
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.spv.store import HeaderStore
from wallet.sync.cancel import stop_if_cancelled
from wallet.sync.events import ServerEvent, SyncEvent, SyncStatus, TxEvent, deliver
from wallet.sync.history import HistorySync
from wallet.sync.updates import UpdateSink

if TYPE_CHECKING:
    from wallet.sync.headers import HeaderProgress, HeaderSync, HeaderSyncResult

log = logging.getLogger(__name__)

__all__ = [
    "BroadcastError",
    "ServerEvent",
    "SyncEvent",
    "SyncReport",
    "SyncStatus",
    "TxEvent",
    "WalletSync",
    "broadcast_everywhere",
]

#: How long follow() waits before retrying after every server failed.
RETRY_DELAY = 5.0


class BroadcastError(PaylightError):
    """No server accepted the transaction under its own txid."""


async def broadcast_everywhere(pool: ServerPool, tx: Transaction) -> BroadcastResult:
    """Send ``tx`` to every active server; each one that accepts must answer with its txid.

    A server answering with another txid is lying or broken: it is dropped with that reason.
    (The Electrum and Esplora clients already refuse that answer as a malformed reply, which
    drops the server the same way; the check here holds for any ``Backend``.) One honest
    server relaying is enough; when none accepts, the refusal is raised (a server's
    :class:`RequestRejected` reason first, e.g. a missing input).
    """
    raw = tx.serialize()
    txid = tx.txid()
    answers = await pool.everyone(lambda b: b.broadcast(raw))
    accepted: list[str] = []
    refused: dict[str, str] = {}
    rejections: list[ServerError] = []
    for name, answer in answers.items():
        if isinstance(answer, ServerError):
            refused[name] = answer.reason
            rejections.append(answer)
        elif answer != txid:
            reason = f"accepted transaction {tx.txid_hex} but answered txid {answer[::-1].hex()}"
            refused[name] = reason
            pool.drop(name, reason)
        else:
            accepted.append(name)
    if not accepted:
        first = next((e for e in rejections if isinstance(e, RequestRejected)), None)
        if first is not None and len(rejections) == len(answers):
            raise first
        detail = "; ".join(f"{n}: {r}" for n, r in refused.items())
        raise BroadcastError(f"no server accepted transaction {tx.txid_hex} ({detail})")
    return BroadcastResult(txid, tuple(accepted), refused)


@dataclass(frozen=True)
class SyncReport:
    """What one :meth:`WalletSync.sync` did and found (counts exclude replaced transactions)."""

    header_height: int
    transactions: int
    confirmed: int
    unverified: int
    unconfirmed: int
    #: Merkle proofs checked during this sync (kept proofs of earlier syncs are not counted)
    proofs_verified: int
    #: requests sent to the servers during this sync (headers, histories, transactions, proofs)
    requests_made: int
    disagreements: list[Disagreement] = field(default_factory=list)
    #: every server dropped this session -> the reason
    dropped: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "header_height": self.header_height,
            "transactions": self.transactions,
            "confirmed": self.confirmed,
            "unverified": self.unverified,
            "unconfirmed": self.unconfirmed,
            "proofs_verified": self.proofs_verified,
            "requests_made": self.requests_made,
            "disagreements": [d.note for d in self.disagreements],
            "dropped": dict(self.dropped),
        }


class WalletSync:
    """Keeps one wallet's database in step with the servers, trusting only checked proofs.

    Methods are coroutines on one event loop; ``sync`` and the work ``follow`` does are
    serialised (one at a time).
    """

    def __init__(
        self,
        wallet: Wallet,
        pool: ServerPool,
        headers: HeaderStore,
        *,
        on_event: Callable[[SyncEvent], None] | None = None,
    ) -> None:
        self.wallet = wallet
        self.pool = pool
        self.headers = headers
        self.on_event = on_event
        #: where every update of this wallet's sources is applied (account.update.apply_update)
        self.sink = UpdateSink(wallet.db, headers, self._emit)
        self.history = HistorySync(wallet, pool, headers, emit=self._emit, sink=self.sink)
        self.history.progress = self._history_progress
        self._header_sync: HeaderSync | None = None
        self._lock: asyncio.Lock | None = None
        self._synced = False
        self._status = SyncStatus(phase="connecting", header_height=headers.height)
        # follow()'s loop, its wake-up and the script hashes watch() asked it to add
        self._follow_loop: asyncio.AbstractEventLoop | None = None
        self._follow_wake: asyncio.Event | None = None
        self._to_watch: set[bytes] = set()
        #: the outcome of the latest :meth:`broadcast` (which servers accepted it)
        self.last_broadcast: BroadcastResult | None = None
        previous = pool.on_drop

        def dropped(server: str, reason: str) -> None:
            if previous is not None:
                previous(server, reason)
            self.sink.reported_drop(server)
            self._emit(ServerEvent(server, "dropped", reason))
            self._set_status(servers_active=len(self.pool.active()))

        pool.on_drop = dropped

    # -- reporting ----------------------------------------------------------------------------

    def _emit(self, event: SyncEvent) -> None:
        deliver(self.on_event, event)

    def _set_status(self, **changes: Any) -> None:
        self._status = dataclasses.replace(self._status, **changes)
        self._emit(self._status)

    @property
    def status(self) -> SyncStatus:
        return self._status

    def _history_progress(self) -> None:
        stats = self.history.stats
        self._set_status(
            phase="proofs",
            proofs_verified=stats.proofs_verified,
            proofs_total=stats.proofs_total,
            header_height=self.headers.height,
        )

    def _header_progress(self, progress: HeaderProgress) -> None:
        self._set_status(
            phase="headers", header_height=progress.height, header_target=progress.target
        )

    def _requests(self) -> int:
        return sum(s.requests for s in self.pool.status())

    @property
    def tip_height(self) -> int | None:
        """Height of our own validated header chain (confirmations count from here)."""
        return self.headers.height

    def confirmations(self, height: int | None) -> int:
        """Confirmations of a block at ``height`` counted from our tip (0 if not in a block)."""
        if height is None or height <= 0 or height > self.headers.height:
            return 0
        return self.headers.height - height + 1

    # -- syncing ------------------------------------------------------------------------------

    def _serial(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def _headers(self) -> HeaderSync:
        if self._header_sync is None:
            from wallet.sync.headers import HeaderSync

            self._header_sync = HeaderSync(self.pool, self.headers, progress=self._header_progress)
        return self._header_sync

    def _after_headers(self, result: HeaderSyncResult | None) -> None:
        if result is not None and result.reorg_from is not None:
            self.history.reorg(result.reorg_from)
        self.history.check_chain()

    async def sync(self) -> SyncReport:
        """Headers, then discovery and history with every proof checked; the outcome."""
        async with self._serial():
            return await self._sync()

    async def _sync(self) -> SyncReport:
        requests = self._requests()
        proofs = self.history.stats.proofs_verified
        seen = len(self.history.stats.disagreements)
        self._set_status(phase="headers", servers_active=len(self.pool.active()), message="")
        try:
            with self.history.stats.timed("headers"):
                result = await self._headers().sync()
            self._after_headers(result)
            self._set_status(phase="history", header_height=self.headers.height)
            await self.history.discover()
        except PaylightError as exc:
            self._set_status(phase="offline", message=f"Sync failed: {exc}")
            raise
        self._synced = True
        self._set_status(
            phase="idle",
            header_height=self.headers.height,
            header_target=self.headers.height,
            servers_active=len(self.pool.active()),
        )
        return self._report(requests, proofs, seen)

    def _report(self, requests: int, proofs: int, seen: int) -> SyncReport:
        counts = dict.fromkeys(TxState, 0)
        for record in self.wallet.db.transactions():
            counts[record.state] += 1
        return SyncReport(
            header_height=self.headers.height,
            transactions=sum(n for s, n in counts.items() if s is not TxState.REPLACED),
            confirmed=counts[TxState.CONFIRMED],
            unverified=counts[TxState.UNVERIFIED],
            unconfirmed=counts[TxState.UNCONFIRMED],
            proofs_verified=self.history.stats.proofs_verified - proofs,
            requests_made=self._requests() - requests,
            disagreements=list(self.history.stats.disagreements[seen:]),
            dropped=self.pool.dropped(),
        )

    # -- following ----------------------------------------------------------------------------

    def watch(self, addresses: Iterable[AddressRecord | bytes]) -> None:
        """Follow these wallet addresses (records or script hashes) too; returns at once.

        For addresses stored after ``follow`` subscribed -- a payment request's address derived
        past the gap limit: a running ``follow`` subscribes to them and fetches their history
        (so a payment already made is found too). Without a running ``follow`` nothing is
        needed: ``sync`` and ``follow`` cover every stored address. Safe from any thread.
        """
        hashes = {a.script_hash if isinstance(a, AddressRecord) else bytes(a) for a in addresses}
        loop = self._follow_loop
        if not hashes or loop is None or loop.is_closed():
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._queue_watch(hashes)
        else:
            loop.call_soon_threadsafe(self._queue_watch, hashes)

    def _queue_watch(self, hashes: set[bytes]) -> None:
        if self._follow_wake is None:
            return  # follow() ended; the next one subscribes to every stored address
        self._to_watch |= hashes
        self._follow_wake.set()

    async def follow(self) -> None:
        """Follow new blocks and every script hash until cancelled (syncs first if needed).

        New tips go through header sync (a reorg moves confirmations back) and then unverified
        transactions are proven; a script hash whose status changed is re-synced on its own;
        addresses handed to :meth:`watch` are subscribed to and synced. Failures are reported
        (phase "offline") and retried; cancel the task to stop.
        """
        wake = asyncio.Event()
        tips: list[tuple[str, Tip]] = []
        dirty: set[bytes] = set()
        watched: set[bytes] = set()
        if self._follow_loop is not None:
            raise RuntimeError("this engine is already following")
        self._follow_loop, self._follow_wake = asyncio.get_running_loop(), wake
        self._to_watch.clear()
        try:
            await self._follow(wake, tips, dirty, watched)
        finally:
            self._follow_loop = self._follow_wake = None
            self._to_watch.clear()

    async def _follow(
        self,
        wake: asyncio.Event,
        tips: list[tuple[str, Tip]],
        dirty: set[bytes],
        watched: set[bytes],
    ) -> None:
        db = self.wallet.db

        def on_tip(server: str, tip: Tip) -> None:
            tips.append((server, tip))
            wake.set()

        def on_status(server: str, sh: bytes, status: str | None) -> None:
            # the status hash of the history as the last step saw it (the source's own cache)
            known = self.history.statuses.get(sh)
            if known != status and db.address_by_script_hash(sh) is not None:
                dirty.add(sh)
                wake.set()

        async def watch(script_hashes: list[bytes]) -> None:
            watched.update(script_hashes)
            answers = await asyncio.gather(
                *(
                    self.history._limited(self.pool.subscribe_scripthash(sh, on_status))
                    for sh in script_hashes
                ),
                return_exceptions=True,
            )
            for sh, answer in zip(script_hashes, answers, strict=True):
                if isinstance(answer, BaseException):
                    if not isinstance(answer, PaylightError):
                        raise answer
                    log.warning("could not watch a script hash: %s", answer)
                    continue
                for server, status in answer.items():
                    on_status(server, sh, status)

        subscribed = False
        while True:
            stop_if_cancelled()
            try:
                if not self._synced:
                    await self.sync()
                if not subscribed:
                    await self.pool.subscribe_headers(on_tip)
                    await watch([a.script_hash for a in db.addresses()])
                    subscribed = True
                    # a block may have come while subscribing: catch up once
                    tips.append(("", Tip(-1, b"")))
                    wake.set()
                await wake.wait()
                wake.clear()
                asked, self._to_watch = self._to_watch - watched, set()
                if asked:
                    await watch(sorted(asked))
                    dirty.update(asked)  # fetch their history even if no server had news of them
                async with self._serial():
                    new_tips, tips[:] = list(tips), []
                    if new_tips:
                        await self._on_tips(new_tips)
                    changed, dirty_now = set(dirty), None
                    dirty.clear()
                    if changed:
                        self._set_status(phase="history")
                        added = await self.history.refresh(changed)
                        dirty_now = [a.script_hash for a in added]
                    self._set_status(
                        phase="idle",
                        header_height=self.headers.height,
                        header_target=self.headers.height,
                        servers_active=len(self.pool.active()),
                        message="",
                    )
                if dirty_now:
                    await watch(dirty_now)
            except asyncio.CancelledError:
                raise
            except PaylightError as exc:
                log.warning("sync failed, retrying in %g s: %s", RETRY_DELAY, exc)
                self._set_status(phase="offline", message=f"Sync failed: {exc}")
                await asyncio.sleep(RETRY_DELAY)
                self._synced = subscribed and self._synced
                wake.set()

    async def _on_tips(self, tips: list[tuple[str, Tip]]) -> None:
        sync = self._headers()
        result: HeaderSyncResult | None = None
        real = [(s, t) for s, t in tips if s]
        if len(real) != len(tips) or not real:
            result = await sync.sync()
            self._after_headers(result)
        for server, tip in real:
            if self.pool.is_dropped(server):
                continue
            result = await sync.on_tip(server, tip)
            self._after_headers(result)
        await self.history.verify_pending()

    # -- sending and fees ---------------------------------------------------------------------

    async def broadcast(self, tx: Transaction) -> bytes:
        """Send ``tx`` to every server (:func:`broadcast_everywhere`: each must answer with its
        txid); store it as unconfirmed; its txid (internal order).

        A transaction it replaces (same wallet coin, RBF) is marked replaced at once.
        """
        raw = tx.serialize()
        txid = tx.txid()
        self.last_broadcast = await broadcast_everywhere(self.pool, tx)
        async with self._serial():  # stored the way every source's findings are (and reported)
            self.sink.apply(WalletUpdate("broadcast", (SeenTx(txid, raw, ours=True),)))
        return txid

    async def fee_estimate(self, target_blocks: int) -> FeeRate | None:
        """The servers' median estimate to confirm within ``target_blocks`` (None: unknown)."""
        return await self.pool.estimate_fee(target_blocks)
