"""The sync engine on its own thread, for callers that are not asyncio programs (the GUI).

:class:`SyncRunner` starts one thread that runs an asyncio loop owning the wallet's
:class:`~wallet.backends.pool.ServerPool`, the network's
:class:`~wallet.spv.store.HeaderStore` and a :class:`~wallet.sync.engine.WalletSync`. The loop
runs ``sync()`` then ``follow()``; when following fails (every server gone) it reports
*offline* and tries again after a pause, or at once on :meth:`SyncRunner.sync_now`.

Everything public here is thread-safe and blocking with a timeout: the call is handed to the
loop and its answer waited for. Events (:mod:`wallet.sync.events`) reach ``on_event`` on the
runner's thread; a GUI marshals them to its own thread. SQLite connections belong to one
thread, so the runner opens the wallet's database again for itself (:func:`thread_wallet`);
the wallet folder's lock stays with the caller's :class:`~wallet.account.wallet_file.Wallet`.
No Qt here.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from wallet.account.database import WalletDatabase
from wallet.account.wallet_file import DATABASE_FILE, Wallet
from wallet.backends.base import ServerStatus
from wallet.backends.pool import ServerPool
from wallet.backends.servers import ServerSpec
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.sync.events import ServerEvent, SyncEvent, SyncStatus

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds between attempts when no server answers.
RETRY_SECONDS = 15.0
#: Default wait for a blocking call (a broadcast goes to every server).
CALL_TIMEOUT = 60.0


class RunnerError(PaylightError):
    """The sync thread is not running, or did not answer in time."""


class _BorrowedLock:
    """The wallet lock in the thread's view: the caller's Wallet holds the real one."""

    held = False

    def release(self) -> None:  # pragma: no cover - never held
        pass


def thread_wallet(wallet: Wallet) -> Wallet:
    """The same wallet with a database connection of its own, for use on another thread.

    Closing it closes only that connection (``close_thread_wallet``); the folder's lock stays
    with ``wallet``.
    """
    db = WalletDatabase.open(wallet.path / DATABASE_FILE, create=False)
    return Wallet(wallet.path, wallet.config, db, _BorrowedLock())  # type: ignore[arg-type]


def wallet_servers(wallet: Wallet) -> list[str]:
    """The servers to use, as every front end finds them (:func:`wallet.sync.session.
    saved_servers`): the wallet's own enabled ones, else the user's ``servers.json`` when it
    names the network, else the bundled defaults."""
    from wallet.sync.session import saved_servers

    return [spec.url for spec in saved_servers(wallet)]


@dataclass(frozen=True)
class RunnerContext:
    """What a service started on the runner's loop may use (all owned by that thread)."""

    wallet: Wallet  # the thread's own view (its database connection)
    pool: ServerPool
    store: Any  # HeaderStore
    engine: Any  # WalletSync
    emit: Callable[[Any], None]  # hand an object to the runner's ``on_event`` listener


class Service(Protocol):
    """Something living beside the engine on its loop (e.g. a payment request tracker).

    ``on_event`` sees every engine event first; ``run`` (optional) runs until cancelled.
    """

    def on_event(self, event: SyncEvent) -> object: ...


ServiceFactory = Callable[[RunnerContext], Service]


def lower_thread_priority(niceness: int = 10) -> None:
    """Make the calling thread yield the CPU to the UI thread (Linux: threads have their own
    nice value; elsewhere nothing happens)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)


class SyncRunner:
    """One wallet kept in sync by a background thread; see the module docstring.

    ``services`` are built on the runner's thread once the engine exists (they are the
    place for logic above this layer, such as payment tracking, which must use the thread's
    database connection); :meth:`call` runs any function there.
    """

    def __init__(
        self,
        wallet: Wallet,
        servers: Sequence[str | ServerSpec] | None = None,
        *,
        on_event: Callable[[SyncEvent], None] | None = None,
        header_dir: Path | None = None,
        retry_seconds: float = RETRY_SECONDS,
        pool_options: dict[str, Any] | None = None,
        services: Sequence[ServiceFactory] = (),
        background_priority: bool = True,
        proxy: str | None = None,
        peer_options: dict[str, Any] | None = None,
    ) -> None:
        self.wallet = wallet
        #: options for the P2P light client (tests: timeouts)
        self.peer_options = peer_options
        #: the proxy setting applied when the session opens (None: as the process has it)
        self.proxy = proxy
        self.network = wallet.network
        #: the servers given, else (None) the wallet's saved ones, looked up on the runner's
        #: thread when it opens (with its own database connection; the lookup imports the
        #: whole sync layer, which the UI thread should not wait for)
        self.servers: list[str | ServerSpec] | None = list(servers) if servers is not None else None
        self.on_event = on_event
        self.header_dir = header_dir
        self.retry_seconds = retry_seconds
        self.pool_options = pool_options or {}
        self.service_factories = list(services)
        self.background_priority = background_priority
        self.services: list[Any] = []
        self.last_report: Any = None  # wallet.sync.engine.SyncReport of the last full sync
        self.last_error: str | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._setup_error: BaseException | None = None
        self._kick: asyncio.Event | None = None
        self._main_task: asyncio.Task[None] | None = None
        self._synced = threading.Event()
        self.pool: ServerPool | None = None
        self.session: Any = None  # wallet.sync.session.SyncSession
        self.store: Any = None  # HeaderStore
        self.engine: Any = None  # WalletSync

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> SyncRunner:
        """Start the thread and wait until the pool, header store and engine are open.

        Raises what opening them raised (a header store in use by another process, a bad
        server list), so the caller can say why nothing syncs.
        """
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="paylight-sync", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RunnerError("the sync thread did not start in time")
        if self._setup_error is not None:
            self._thread.join(5)
            self._thread = None
            raise self._setup_error
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Cancel sync and follow, close servers and the header store, end the thread."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if self._main_task is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(self._main_task.cancel)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the sync thread did not stop within %.0f s", timeout)
        self._thread = None

    def _run(self) -> None:
        if self.background_priority:
            lower_thread_priority()
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:
            if not isinstance(exc, asyncio.CancelledError):
                log.exception("the sync thread failed")
        finally:
            pending = asyncio.all_tasks(loop)  # clients' readers, subscriptions
            for task in pending:
                task.cancel()
            with contextlib.suppress(Exception):
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._ready.set()

    async def _open(self) -> tuple[Wallet, Any]:
        from wallet.sync.session import open_sync_session

        wallet = thread_wallet(self.wallet)
        session = None
        try:
            if self.servers is None:
                self.servers = list(wallet_servers(wallet))
            # the same opener as the command line's: proxy, pinned TLS, the chain's headers
            session = await open_sync_session(
                wallet,
                servers=self.servers,
                proxy=self.proxy,
                header_dir=self.header_dir,
                pool_options=self.pool_options,  # tests may pass their own pins
                peer_options=self.peer_options,
            )
            self.session = session
            self.pool, self.store = session.pool, session.headers
            engine = session.engine(on_event=self._engine_event)
            if self.pool is not None and self.pool.on_drop is None:  # the engine may report
                self.pool.on_drop = lambda name, why: self._emit(ServerEvent(name, "dropped", why))
            context = RunnerContext(wallet, self.pool, self.store, engine, self._emit)
            self.services = [make(context) for make in self.service_factories]
        except BaseException:
            wallet.db.close()
            if session is not None:  # it may have asked which chain the sources follow
                with contextlib.suppress(Exception):
                    await session.close()
            self.session = None
            raise
        return wallet, engine

    async def _main(self) -> None:
        self._main_task = asyncio.current_task()
        self._kick = asyncio.Event()
        try:
            wallet, self.engine = await self._open()
        except BaseException as exc:
            self._setup_error = exc
            self._ready.set()
            return
        self._ready.set()
        background = [
            asyncio.ensure_future(service.run())
            for service in self.services
            if hasattr(service, "run")
        ]
        try:
            await self._cycle()
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            for service in self.services:
                with contextlib.suppress(Exception):
                    if hasattr(service, "close"):
                        service.close()
            with contextlib.suppress(Exception):
                if self.session is not None:
                    await asyncio.wait_for(self.session.close(), 5)
            with contextlib.suppress(Exception):
                wallet.db.close()

    async def _cycle(self) -> None:
        """sync → follow, forever; on failure say offline and retry later (or when kicked)."""
        assert self._kick is not None
        while True:
            self._kick.clear()
            try:
                self.last_report = await self.engine.sync()
                self.last_error = None
                self._synced.set()
                await self._until_kicked(self.engine.follow())
                continue  # kicked (sync now): sync again
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not isinstance(exc, PaylightError):
                    log.exception("sync failed")
                self.last_error = str(exc)
                self._emit(
                    SyncStatus(
                        "offline",
                        header_height=self._height(),
                        message=f"Offline: {exc}. Retrying in {self.retry_seconds:.0f} s.",
                    )
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), self.retry_seconds)

    async def _until_kicked(self, work: Awaitable[None]) -> None:
        """Run ``work`` until it ends (re-raising its error) or :meth:`sync_now` is called."""
        assert self._kick is not None
        task = asyncio.ensure_future(work)
        kicked = asyncio.ensure_future(self._kick.wait())
        try:
            done, _ = await asyncio.wait({task, kicked}, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                task.result()
        finally:
            for t in (task, kicked):
                if not t.done():
                    t.cancel()
            await asyncio.gather(task, kicked, return_exceptions=True)

    def _engine_event(self, event: SyncEvent) -> None:
        for service in self.services:
            try:
                service.on_event(event)
            except Exception:
                log.exception("a sync service failed on an event")
        self._emit(event)

    def _emit(self, event: Any) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception:
            log.exception("a sync event listener failed")

    def _height(self) -> int | None:
        store = self.store
        return store.height if store is not None else None

    # -- calls from other threads ------------------------------------------------------------

    def call(self, fn: Callable[[], Awaitable[T] | T], timeout: float = CALL_TIMEOUT) -> T:
        """Run ``fn`` on the runner's loop (where the services and the thread's database
        connection live) and return its result; a coroutine it returns is awaited."""
        return self._call(fn, timeout)

    def _call(self, fn: Callable[[], Awaitable[T] | T], timeout: float) -> T:
        """Run ``fn`` on the loop (a coroutine function or a plain one) and wait for it."""
        loop = self._loop
        if loop is None or not self.running:
            raise RunnerError("Not connected: the sync engine is not running.")

        async def call() -> T:
            result = fn()
            if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                return await result
            return result  # type: ignore[return-value]

        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(call(), loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RunnerError(f"The sync engine did not answer within {timeout:.0f} s.") from None

    def sync_now(self) -> None:
        """Sync again now (does not wait for the sync to finish)."""
        loop, kick = self._loop, self._kick
        if loop is None or kick is None or not self.running:
            raise RunnerError("Not connected: the sync engine is not running.")
        loop.call_soon_threadsafe(kick.set)

    def wait_synced(self, timeout: float) -> bool:
        """True once a full sync has completed (tests and benchmarks)."""
        return self._synced.wait(timeout)

    def broadcast(self, tx: Transaction, timeout: float = CALL_TIMEOUT) -> bytes:
        """Send ``tx`` to every server; the txid (internal order). Stored as unconfirmed."""
        return self._call(lambda: self.engine.broadcast(tx), timeout)

    def fee_estimate(self, target_blocks: int, timeout: float = 20.0) -> FeeRate | None:
        return self._call(lambda: self.engine.fee_estimate(target_blocks), timeout)

    def tip_height(self) -> int | None:
        """The header store's height (read without waiting for the loop)."""
        return self._height()

    def header_at(self, height: int) -> bytes | None:
        """The raw header at ``height`` on the best chain, or None (a positional file read,
        safe beside the loop's appends)."""
        store = self.store
        if store is None:
            return None
        try:
            return store.header(height)
        except PaylightError:
            return None
        except ValueError:
            return None

    def checkpoint_height(self) -> int | None:
        """Where the header chain starts (0: genesis; otherwise a hard-coded checkpoint)."""
        store = self.store
        return store.base_height if store is not None else None

    def server_statuses(self, timeout: float = 5.0) -> list[ServerStatus]:
        pool = self.pool
        if pool is None:
            return []
        return self._call(pool.status, timeout)

    def dropped_servers(self, timeout: float = 5.0) -> dict[str, str]:
        """Every server and peer dropped this session, with the reason."""
        engine = self.engine
        if engine is None:
            return {}
        if hasattr(engine, "dropped"):
            return self._call(engine.dropped, timeout)
        return self._call(engine.pool.dropped, timeout)

    def light_node(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The P2P light client's state for its panel (None without one): its peers with
        their services and what each sent, the filter headers' progress, what the last scan
        downloaded (the last scan, and the session's totals), the mempool watch's count, and
        the peers that could not be reached."""
        session = self.session
        if session is None or session.block_source is None:
            return None

        def read() -> dict[str, Any]:
            client = session.block_source
            chain = getattr(client, "filter_headers", None)
            engine = self.engine
            summary = engine.scan_summary() if hasattr(engine, "scan_summary") else None
            mempool = getattr(client, "mempool", None)
            return {
                "peers": client.peers() if hasattr(client, "peers") else [],
                "node": getattr(client, "name", None) if session.light is None else None,
                "filter_height": None if chain is None else chain.tip_height,
                "header_height": session.headers.height,
                "birthday": engine.blocks.birthday() if hasattr(engine, "blocks") and
                hasattr(engine.blocks, "birthday") else None,
                "scan": summary,
                "mempool_fetched": 0 if mempool is None else mempool.fetched,
                # the filter headers held (each checked against the peers' and the blocks')
                "filter_headers": 0 if chain is None else chain.tip_height - chain.base_height,
                # what every peer of the session sent (dropped ones too); None for Core
                "downloaded": client.downloaded() if hasattr(client, "downloaded") else None,
                "unreachable": client.unreachable() if hasattr(client, "unreachable") else {},
            }  # fmt: skip

        return self._call(read, timeout)

    def forks(self, timeout: float = 5.0) -> list[tuple[int, int]]:
        """(parent height, tip height) of each competing branch the header store keeps."""
        store = self.store
        if store is None:
            return []
        return self._call(lambda: store.forks, timeout)

    def __enter__(self) -> SyncRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
