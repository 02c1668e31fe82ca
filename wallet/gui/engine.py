"""The GUI's :class:`~wallet.gui.controller.SyncEngine`, on :class:`wallet.sync.runner.SyncRunner`.

The runner owns the network and the light node on its own thread; this adapter only starts
it without making the window wait (opening the header store re-validates the file) and
broadcasts what the controller's ``Sender`` signed through it. A
``prepare`` step may run first on the same background thread (restarting the local playground
for a playground wallet) and give the servers to use. Events go
to the controller's callbacks from the runner's thread; the controller queues them onto the
UI thread with a signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wallet.account.wallet_file import Wallet
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.transaction import Transaction
from wallet.gui.controller import NodeState
from wallet.gui.workers import error_text
from wallet.sync.events import SyncEvent, SyncStatus, TxEvent
from wallet.sync.runner import RunnerContext, RunnerError, SyncRunner

log = logging.getLogger(__name__)


class TillService:
    """Payment requests and the merchant till on the runner's loop (``wallet.payments``).

    The tracker keeps every request's stored state current from the engine's events; the
    POS engine runs one charge at a time and hands its updates to the GUI.
    """

    def __init__(self, context: RunnerContext) -> None:
        from wallet.payments.pos import PosEngine
        from wallet.payments.tracker import RequestTracker

        self.tracker = RequestTracker(context.wallet, context.store)
        engine = context.engine
        self.pos = PosEngine(
            self.tracker,
            headers=context.store,
            pool=context.pool,
            mempool=engine.mempool_view() if hasattr(engine, "mempool_view") else None,
            fee_estimate=engine.fee_estimate,
            on_update=context.emit,
        )

    def on_event(self, event: SyncEvent) -> None:
        self.tracker.on_event(event)

    async def run(self) -> None:
        from wallet.payments.tracker import watch_expiries

        await watch_expiries(self.tracker)

    def close(self) -> None:
        self.pos.close()


class RunnerEngine:
    """Sync through a background :class:`SyncRunner` (servers from the wallet, or given)."""

    def __init__(
        self,
        servers: Sequence[str] | None = None,
        *,
        header_dir: Path | None = None,
        retry_seconds: float | None = None,
        proxy: str | None = None,
    ) -> None:
        self.servers = list(servers) if servers is not None else None
        #: the app's proxy setting, applied when the sync session opens (None: leave it)
        self.proxy = proxy
        self.header_dir = header_dir
        self.retry_seconds = retry_seconds
        self.runner: SyncRunner | None = None
        #: set before start(): runs on the starting thread and returns the servers to use; a
        #: PaylightError it raises becomes the offline status line
        self.prepare: Callable[[], Sequence[str]] | None = None
        self._starting: threading.Thread | None = None
        self._stopped = False
        self.till: TillService | None = None
        self._started: tuple[Wallet, Any, Any] | None = None

    def start(
        self,
        wallet: Wallet,
        report: Callable[[SyncEvent], None],
        changed: Callable[[], None],
    ) -> None:
        self._started = (wallet, report, changed)

        def on_event(event: object) -> None:
            report(event)  # SyncEvents, and the till's PosUpdates
            if isinstance(event, TxEvent):
                changed()

        options = {} if self.retry_seconds is None else {"retry_seconds": self.retry_seconds}

        def make_runner(servers: Sequence[str] | None) -> SyncRunner:
            return SyncRunner(
                wallet,
                servers,
                on_event=on_event,
                header_dir=self.header_dir,
                services=[self._make_till],
                proxy=self.proxy,
                **options,
            )

        prepare = self.prepare
        if prepare is None:
            try:
                self.runner = make_runner(self.servers)
            except Exception as exc:  # a bad server list: say so, do not fail to open the wallet
                report(SyncStatus("offline", message=f"Not syncing: {exc}"))
                return

        def open_in_background() -> None:
            if prepare is not None:
                starting = QT_TRANSLATE_NOOP("Format", "Starting the local playground…")
                report(SyncStatus("connecting", message=starting))
                try:
                    # explicit servers: the runner must not read the UI thread's database
                    self.runner = make_runner(list(prepare()))
                except Exception as exc:
                    log.warning("the sync engine could not be prepared: %s", exc)
                    report(SyncStatus("offline", message=f"Not syncing: {error_text(exc)}"))
                    return
            runner = self.runner
            assert runner is not None
            if self._stopped:  # closed while preparing
                return
            try:
                runner.start()
            except Exception as exc:
                log.warning("the sync engine could not start: %s", exc)
                report(SyncStatus("offline", message=f"Not syncing: {exc}"))
                return
            if self._stopped:  # closed while starting
                runner.stop()

        self._starting = threading.Thread(target=open_in_background, name="paylight-sync-open")
        self._starting.start()

    def stop(self) -> None:
        self._stopped = True
        if self._starting is not None:
            self._starting.join(30)
        if self.runner is not None:
            self.runner.stop()

    def restart(self, proxy: str | None = None) -> None:
        """Stop the sync session and open it again: the wallet's saved sources read anew,
        ``proxy`` (a setting; None: as it was) applied first. Blocks while the old session
        closes: call it off the UI thread."""
        started = self._started
        if started is None:
            return
        self.stop()
        if proxy is not None:
            self.proxy = proxy
        self.servers = None  # the wallet's list, as just saved
        self.runner = None
        self.till = None
        self._stopped = False
        self.start(*started)

    def _runner(self) -> SyncRunner:
        if self.runner is None or not self.runner.running:
            raise RunnerError(
                QCoreApplication.translate(
                    "Engine", "Not connected: the sync engine is not running."
                )
            )
        return self.runner

    def sync_now(self) -> None:
        self._runner().sync_now()

    def tip_height(self) -> int | None:
        return self.runner.tip_height() if self.runner is not None else None

    def header_at(self, height: int) -> bytes | None:
        return self.runner.header_at(height) if self.runner is not None else None

    def fee_estimate(self, target_blocks: int) -> FeeRate | None:
        if self._starting is not None:
            self._starting.join(30)  # runs on a worker thread: waiting here is fine
        return self._runner().fee_estimate(target_blocks)

    def broadcast(self, tx: Transaction) -> bytes:
        """Through the runner's ``WalletSync.broadcast``, as ``Sender.broadcast`` does for the
        CLI: every server must answer with its txid; stored, what it replaces marked."""
        return self._runner().broadcast(tx)

    def _make_till(self, context: RunnerContext) -> TillService:
        self.till = TillService(context)
        return self.till

    def wait_started(self, timeout: float = 30.0) -> bool:
        """True once the runner is up (tests, and actions that need it)."""
        if self._starting is not None:
            self._starting.join(timeout)
        return self.runner is not None and self.runner.running

    def pos_charge(
        self, amount_sat: int | None, label: str = "", message: str = "", price: Any = None
    ):
        """Open a till charge (``wallet.payments.pos``); an open one is cancelled first.
        ``price``: asked in fiat (``wallet.bitcoin.fiat.Price``), its rate locked now."""
        runner = self._runner()
        till = self.till
        if till is None:
            raise RunnerError(QCoreApplication.translate("Engine", "The till is not running."))

        def charge():
            till.pos.cancel()
            return till.pos.charge(amount_sat, label=label, message=message, price=price)

        return runner.call(charge, 20)

    def refresh_requests(self) -> int:
        """Have the request tracker re-evaluate every open request now (one expired: no
        server event says so); the number of requests whose state changed."""
        runner = self._runner()
        till = self.till
        if till is None:
            raise RunnerError(
                QCoreApplication.translate("Engine", "The request tracker is not running.")
            )
        return len(runner.call(till.tracker.refresh, 20))

    def pos_cancel(self, charge_id: int) -> None:
        """Give up the charge ``charge_id`` if it is still the open one (this runs on the
        worker pool: the next sale's charge may already be open, and stays so)."""
        till = self.till
        if till is not None and self.runner is not None and self.runner.running:
            self.runner.call(lambda: till.pos.cancel(charge_id), 20)

    def header_chain(self):
        runner = self.runner
        return runner.store if runner is not None and runner.running else None

    def node_state(self) -> NodeState:
        runner = self.runner
        if runner is None or not runner.running:
            return NodeState(
                last_error=QCoreApplication.translate("Engine", "The sync engine is not running.")
            )
        return NodeState(
            servers=tuple(runner.server_statuses()),
            dropped=tuple(runner.dropped_servers().items()),
            header_height=runner.tip_height(),
            checkpoint_height=runner.checkpoint_height(),
            forks=tuple(runner.forks()),
            last_error=runner.last_error,
            light=runner.light_node(),
        )
