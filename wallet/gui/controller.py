"""The one object between the windows and the wallet: reads, writes, and the sync engine.

Every tab reads the open wallet's database through :class:`WalletController`, so the widgets
hold no wallet logic. Transactions take the road the command line takes: payments, fee
bumps, CPFP and cancels are built by ``wallet.payments.send.Sender`` (its database reads here,
on the UI thread; coin selection and the PSBT on the worker pool) and signed by it; requests
are made by ``wallet.payments.receive.new_request``. What needs the network or the light node
(sync, fee estimates, broadcasting, the header a proof was checked against) goes to a
:class:`SyncEngine` (``wallet.gui.engine.RunnerEngine``); without one those actions raise
:class:`EngineUnavailable` with a sentence saying so, and the UI shows it instead of pretending.
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal

from wallet.account.database import (
    AddressRecord,
    Balance,
    OutputRecord,
    PaymentRequest,
    RequestState,
    TxRecord,
    TxState,
)
from wallet.account.keystore import KeystoreSecret
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import address_to_script
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.fiat import MANUAL
from wallet.bitcoin.networks import Network
from wallet.bitcoin.transaction import OutPoint, Transaction
from wallet.errors import PaylightError
from wallet.gui.format import shorten, sync_line
from wallet.gui.snapshot import (
    HistoryRow,
    SnapshotReader,
    WalletSnapshot,
    history_rows,
    read_snapshot,
)
from wallet.gui.snapshot import (
    parsed as parse_once,
)
from wallet.gui.workers import run_task
from wallet.payments.requests import RequestStatus, observed_payments, request_status
from wallet.sync.events import ServerEvent, SyncEvent, SyncStatus, TxEvent

if TYPE_CHECKING:  # imported when first used: the window opens without them
    from wallet.payments.send import Build, BuiltTransaction, Sender

log = logging.getLogger(__name__)


class EngineUnavailable(PaylightError):
    """An action needs the sync engine (network, light node), which is not running."""


NO_ENGINE = QT_TRANSLATE_NOOP(
    "WalletController",
    "This window is not connected to the sync engine, so {what} is not available. "
    "Your wallet file is not affected.",
)
#: what needs the engine, as NO_ENGINE names it
NEEDS_ENGINE = {
    "sync": QT_TRANSLATE_NOOP("WalletController", "syncing with servers"),
    "send": QT_TRANSLATE_NOOP("WalletController", "sending a payment"),
}


#: What the status bar shows before the engine reports (and when no engine is attached); the
#: status line shows it in the person's language (``wallet.gui.format.engine_message``).
OFFLINE = SyncStatus(
    "offline",
    message=QT_TRANSLATE_NOOP("Format", "Not syncing: no sync engine is attached to this window."),
)


@dataclass(frozen=True)
class PaymentDraft:
    """What the Send tab asks for, before any coin is chosen."""

    address: str
    amount_sat: int
    fee_rate: FeeRate
    #: Coins the user picked on the Coins tab ("spend from"); empty means automatic selection.
    coins: tuple[OutPoint, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class PaymentPlan:
    """A built, unsigned payment: everything the review screen shows before the password."""

    address: str
    amount_sat: int
    fee_sat: int
    change_sat: int
    change_address: str | None
    inputs: tuple[OutPoint, ...]
    vsize: int
    warnings: tuple[str, ...] = ()
    #: the builder's unsigned transaction (a PSBT inside), handed back to be signed
    unsigned: Any = field(default=None, repr=False)

    @property
    def total_sat(self) -> int:
        return self.amount_sat + self.fee_sat

    @classmethod
    def from_built(cls, built: BuiltTransaction) -> PaymentPlan:
        review = built.review
        change_address, change = review.change if review.change is not None else (None, 0)
        if review.recipients:
            address, amount = review.recipients[0]
        else:  # a CPFP child keeps everything: it "pays" the wallet's own address
            assert change_address is not None
            address, amount, change_address, change = change_address, change, None, 0
        return cls(
            address=address,
            amount_sat=amount,
            fee_sat=review.fee,
            change_sat=change,
            change_address=change_address,
            inputs=tuple(outpoint for outpoint, _value in review.inputs),
            vsize=review.vsize,
            warnings=tuple(warning_text(w.code, w.message) for w in review.warnings),
            unsigned=built,
        )


#: The review's warnings (``wallet.account.tx_builder.ReviewWarning`` codes) in the person's
#: words; the builder's own sentence, with its figures, follows in small print.
WARNINGS = {
    "high-fee": QT_TRANSLATE_NOOP(
        "WalletController", "The fee is a large share of the amount sent."
    ),
    "high-fee-rate": QT_TRANSLATE_NOOP(
        "WalletController", "The fee rate is above the usual ceiling."
    ),
    "unconfirmed-inputs": QT_TRANSLATE_NOOP(
        "WalletController",
        "Some of the coins spent are not in a block yet: this payment cannot confirm before "
        "they do.",
    ),
    "original-not-rbf": QT_TRANSLATE_NOOP(
        "WalletController",
        "The original payment does not signal that it can be replaced: only nodes that relay "
        "any replacement will pass this one on.",
    ),
}


def warning_text(code: str, message: str) -> str:
    """A review warning as rich text: the sentence, then the builder's detail in small print."""
    sentence = WARNINGS.get(code)
    if sentence is None:
        return message
    escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    translated = QCoreApplication.translate("WalletController", sentence)
    return f"{translated}<br><small>{escaped}</small>"


class SyncEngine(Protocol):
    """What the sync engine provides to the GUI. Methods may block: they run off the UI thread
    (``tip_height`` and ``header_at`` excepted: they read the header file and return at once).

    ``start`` receives a callback for every :data:`~wallet.sync.events.SyncEvent` (called from
    any thread) and a callback to call after the engine wrote to the wallet database.
    """

    def start(
        self,
        wallet: Wallet,
        report: Callable[[SyncEvent], None],
        changed: Callable[[], None],
    ) -> None: ...

    def stop(self) -> None: ...

    def sync_now(self) -> None: ...

    def tip_height(self) -> int | None: ...

    def header_at(self, height: int) -> bytes | None: ...

    def fee_estimate(self, target_blocks: int) -> FeeRate | None: ...

    def broadcast(self, tx: Transaction) -> bytes:
        """Send a signed transaction to every server and store it; its txid (internal order)."""
        ...

    def node_state(self) -> NodeState:
        """Servers, dropped servers, header chain: what the light node panel shows."""
        ...

    def header_chain(self) -> Any:
        """The header store, for reading only (receipts); None when not open."""
        ...


@dataclass(frozen=True)
class NodeState:
    """A snapshot of the light node for its panel (taken off the UI thread)."""

    servers: tuple[Any, ...] = ()  # wallet.backends.base.ServerStatus
    dropped: tuple[tuple[str, str], ...] = ()
    header_height: int | None = None
    checkpoint_height: int | None = None
    forks: tuple[tuple[int, int], ...] = ()
    last_error: str | None = None
    #: the block source's state (P2P peers or Bitcoin Core), as
    #: :meth:`wallet.sync.runner.SyncRunner.light_node` gives it; None for servers alone
    light: dict[str, Any] | None = None


class WalletController(QObject):
    """The open wallet, as the GUI sees it. Lives on the UI thread (SQLite is per-thread)."""

    changed = Signal()
    status_changed = Signal(object)  # SyncStatus
    tx_event = Signal(object)  # TxEvent: a wallet transaction changed state
    server_event = Signal(object)  # ServerEvent: connected, dropped (with the reason)...
    pos_update = Signal(object)  # wallet.payments.pos.PosUpdate from the till engine
    _engine_changed = Signal()  # engine writes happen on its thread; refresh on ours
    _engine_event = Signal(object)
    _snapshot_read = Signal(object)  # a Future from the snapshot reader's thread

    #: Database refreshes asked for by the engine are coalesced over this many milliseconds,
    #: so a big sync writing thousands of rows does not redraw every table thousands of times.
    REFRESH_MS = 150
    #: ... and over this many while a sync is under way (the tables catch up once idle).
    REFRESH_BUSY_MS = 1000
    #: A request is re-evaluated this long after its expiry time (the clock is in seconds).
    EXPIRY_SLACK_MS = 50
    #: ... and the next expiry is looked for again at least this often (a request made by
    #: the till engine on its own thread, or the system clock changed).
    EXPIRY_MAX_MS = 60_000

    def __init__(self, wallet: Wallet, engine: SyncEngine | None = None, rates: Any = None) -> None:
        super().__init__()
        self.wallet = wallet
        self.engine = engine
        from wallet.gui.rates import FiatRates

        #: the local currency and its rate (``wallet.gui.rates.FiatRates``; none shown if not
        #: given); each new transaction keeps the rate of the day it arrived
        self.rates: FiatRates = rates if rates is not None else FiatRates(None, parent=self)
        self._rates_checked: dict[str, set[bytes]] = {}
        self._sender: Sender | None = None
        self.status = OFFLINE
        self.closed = False
        self._parsed: dict[bytes, Transaction] = {}
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(self.REFRESH_MS)
        self._refresh.timeout.connect(self._read_in_background)
        # Emitted on the engine's thread, delivered (queued) on this object's thread.
        self._engine_changed.connect(self._refresh_soon)
        self._engine_event.connect(self._dispatch)
        # Engine-driven refreshes are read on this thread's own connection (wallet.gui.snapshot)
        # and applied here; reads between refreshes use the latest snapshot while no change
        # has been reported since it was read, and the database otherwise.
        self._reader: SnapshotReader | None = None
        self._snapshot_read.connect(self._apply_snapshot)
        self._view: WalletSnapshot | None = None
        #: table models (wallet.gui.models) whose visible rows the reader thread prepares
        self._tables: list[weakref.ref[Any]] = []
        self._applying = False
        self._reading = False
        self._read_again = False
        #: changes reported by the engine or made here; and those made here
        self._changes = 0
        self._local_changes = 0
        #: (proven, mined) transactions for the status line, counted again on each refresh
        self.proof_counts = self._count_proofs()
        self.changed.connect(self._recount_proofs)  # first: views read it on ``changed``
        # No server event marks a request's expiry: a timer set for the next one does.
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self._expire_due)
        self._expiring = False
        self.changed.connect(self._schedule_expiry)
        self._schedule_expiry()
        self.changed.connect(self.keep_rates)
        self.rates.changed.connect(self.keep_rates)
        QTimer.singleShot(0, self, self.keep_rates)  # a rate known already: after the first paint
        if engine is not None:
            connecting = QT_TRANSLATE_NOOP("Format", "Connecting to servers…")
            self.status = SyncStatus("connecting", message=connecting)
            engine.start(wallet, self._engine_event.emit, self._engine_changed.emit)

    # -- the wallet ------------------------------------------------------------------------------

    @property
    def sender(self) -> Sender:
        """Builds and signs every transaction, as for the command line (its database reads on
        this thread); made on first use, so opening the window does not import it."""
        if self._sender is None:
            from wallet.payments.send import Sender

            self._sender = Sender(self.wallet, tip_height=self.tip_height)
        return self._sender

    @property
    def db(self):
        return self.wallet.db

    @property
    def network(self) -> Network:
        return self.wallet.network

    @property
    def is_watch_only(self) -> bool:
        return self.wallet.is_watch_only

    @property
    def name(self) -> str:
        return self.wallet.path.name

    def close(self) -> None:
        self.closed = True
        self._refresh.stop()
        self._expiry.stop()
        if self.engine is not None:
            self.engine.stop()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.wallet.close()

    def _count_proofs(self) -> tuple[int, int]:
        view = self._current_view()
        if view is not None:
            return view.proof_counts
        proven = len(self.db.transactions(TxState.CONFIRMED))
        return proven, proven + len(self.db.transactions(TxState.UNVERIFIED))

    def _recount_proofs(self) -> None:
        if not self.closed:
            self.proof_counts = self._count_proofs()

    # -- refreshes asked for by the engine, read off the UI thread -------------------------------

    def _current_view(self) -> WalletSnapshot | None:
        """The snapshot being shown, or the latest one if nothing changed since it was read."""
        view = self._view
        if view is None:
            return None
        if self._applying or view.changes == self._changes:
            return view
        return None

    def _changed_here(self) -> None:
        """This controller wrote to the database: views read it again, now."""
        self._changes += 1
        self._local_changes += 1
        self.changed.emit()

    def _read_in_background(self) -> None:
        if self.closed:
            return
        if self._reading:
            self._read_again = True
            return
        if self._reader is None:
            self._reader = SnapshotReader(self.db.path)
        self._reading = True
        tip, cache = self.tip_height(), self._parsed
        changes, local = self._changes, self._local_changes
        preparers = self._preparers()
        future = self._reader.submit(
            lambda db: read_snapshot(db, tip, cache, changes, local, preparers)
        )
        future.add_done_callback(self._snapshot_read.emit)  # queued to this thread

    def _apply_snapshot(self, future: concurrent.futures.Future[WalletSnapshot]) -> None:
        self._reading = False
        if self.closed or future.cancelled():
            return
        again, self._read_again = self._read_again, False
        try:
            view = future.result()
        except Exception:  # the reader could not read: fall back to reading here
            log.warning("could not read the wallet off the UI thread", exc_info=True)
            self.changed.emit()
            return
        if view.local_changes != self._local_changes:
            again = True  # read before a change made here: it would undo it on screen
        else:
            self._view = view
            self._applying = True
            try:
                self.changed.emit()
            finally:
                self._applying = False
                view.prepared.clear()  # the tables took theirs; Qt objects stay with them
        if again:
            self._refresh_soon()

    def add_table(self, model: Any) -> None:
        """A table model whose rows (and Qt table) the reader thread computes on each
        engine-driven refresh while it is visible (``model.preparer()``)."""
        self._tables.append(weakref.ref(model))

    def _preparers(self) -> dict[int, Callable[[Any, WalletSnapshot], Any]]:
        preparers = {}
        alive = []
        for ref in self._tables:
            model = ref()
            if model is None:
                continue
            alive.append(ref)
            prepare = model.preparer()
            if prepare is not None:
                preparers[id(model)] = prepare
        self._tables = alive
        return preparers

    def prepared_for(self, model: Any) -> Any:
        """What the reader thread prepared for ``model`` in the snapshot being applied now."""
        view = self._view
        if not self._applying or view is None:
            return None
        return view.prepared.get(id(model))

    def syncing(self) -> bool:
        """The sync engine is at work (it holds the GIL much of the time)."""
        return self.engine is not None and self.status.phase not in ("idle", "offline")

    def read_now(self) -> None:
        """Read a snapshot off the UI thread now (a table was shown that missed refreshes)."""
        self._refresh.stop()
        self._read_in_background()

    def status_text(self) -> str:
        """The sync status line (engine progress, and the wallet's proven/mined count), cut to
        a line's length; :meth:`status_details` is the whole of it."""
        return shorten(self.status_details())

    def status_details(self) -> str:
        sources = self.sources()
        # the light node counts its peers (or the one Bitcoin Core node), not servers
        kind = (
            "peer"
            if any(u.startswith("p2p://") for u in sources)
            else "node"
            if any(u.startswith("core://") for u in sources)
            else "server"
        )
        return sync_line(self.status, *self.proof_counts, kind)

    def _report(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _refresh_soon(self) -> None:
        self._changes += 1  # the database changed: the latest snapshot is no longer current
        if not self.closed and not self._refresh.isActive():
            busy = self.status.phase not in ("idle", "offline")
            self._refresh.start(self.REFRESH_BUSY_MS if busy else self.REFRESH_MS)

    def _dispatch(self, event: SyncEvent) -> None:
        """One engine event, on the UI thread."""
        if self.closed:
            return
        if isinstance(event, SyncStatus):
            self._report(event)
            if event.phase == "idle":
                if self._refresh.isActive() and self._refresh.remainingTime() > self.REFRESH_MS:
                    self._refresh.start(self.REFRESH_MS)  # done: show the result promptly
                self._refresh_soon()
        elif isinstance(event, TxEvent):
            self.tx_event.emit(event)
            self._refresh_soon()
        elif isinstance(event, ServerEvent):
            self.server_event.emit(event)
        else:  # the till's updates (wallet.payments.pos.PosUpdate)
            self.pos_update.emit(event)
            self._refresh_soon()  # request states were stored

    def sources(self) -> list[str]:
        """This wallet's saved chain sources (empty: the network's server list)."""
        return [r.url for r in self.db.servers(self.network.name) if r.enabled]

    def change_connection(
        self, sources: list[str], proxy: str, settings: Any, on_done: Callable[[], None]
    ) -> None:
        """Store the wallet's sources and the app's proxy, then restart the sync session on
        the worker pool (``on_done`` after). A proxy that is no proxy raises before anything
        is stored."""
        settings.set_proxy(proxy)
        network = self.network.name
        for record in self.db.servers(network):
            if record.url not in sources:
                self.db.remove_server(record.url, network)
        for url in sources:
            self.db.add_server(url, network)
        from wallet.gui.playground_session import playground_config, set_playground_mode

        if playground_config(self.db) is not None:
            set_playground_mode(self.db, sources)
        restart = getattr(self.engine, "restart", None)
        if restart is None:
            on_done()
            return
        run_task(lambda: restart(proxy), on_done=lambda _r: on_done(), on_error=lambda _e: None)

    def node_state(self, on_done: Callable[[NodeState], None]) -> None:
        """The light node's state, fetched off the UI thread (empty without an engine)."""
        if self.engine is None:
            on_done(NodeState(last_error=OFFLINE.message))
            return
        run_task(self.engine.node_state, on_done=on_done, on_error=lambda _e: None)

    # -- requests expire on time ----------------------------------------------------------------

    def _schedule_expiry(self, at_least_ms: int = 0) -> None:
        """Set the expiry timer for the next waiting request to expire (at once if one is
        overdue, but not sooner than ``at_least_ms``)."""
        if self.closed or self._expiring:
            return
        now = time.time()
        deadlines = [r.expires_at for r in self._expiring_requests()]
        if not deadlines:
            self._expiry.start(self.EXPIRY_MAX_MS)
            return
        wait = (min(deadlines) - now) * 1000 + self.EXPIRY_SLACK_MS
        self._expiry.start(int(min(max(wait, at_least_ms), self.EXPIRY_MAX_MS)))

    def _expiring_requests(self) -> list[PaymentRequest]:
        """Waiting requests with an expiry time (read by state: expired and paid ones, which a
        merchant accumulates, are not loaded on each refresh)."""
        return [
            r for r in self.db.payment_requests(RequestState.WAITING) if r.expires_at is not None
        ]

    def _expire_due(self) -> None:
        """Re-evaluate the requests whose time has passed: the sync engine's request tracker
        stores their new state (it owns the states while it runs); without one, it is done
        here with the same rule (``requests.request_status``)."""
        if self.closed:
            return
        now = int(time.time())
        due = [r for r in self._expiring_requests() if r.expires_at <= now]
        if not due:
            self._schedule_expiry()
            return
        refresh = getattr(self.engine, "refresh_requests", None)
        if refresh is None:
            self._expire_here(due)
            return
        self._expiring = True

        def done(_result: object = None) -> None:
            self._expiring = False
            if self.closed:
                return
            self._refresh_soon()  # the tracker wrote on its own connection: read again
            self._schedule_expiry(1000)  # (not in a loop if it left one waiting)

        def failed(exc: BaseException) -> None:  # the engine is not running: do it here
            log.info("the request tracker could not refresh: %s", exc)
            self._expiring = False
            if not self.closed:
                self._expire_here(due)

        run_task(refresh, on_done=done, on_error=failed)

    def _expire_here(self, due: list[PaymentRequest]) -> None:
        changed = False
        for request in due:
            state = self.request_status(request).state
            if state is not request.state:
                self.db.set_request_state(request.id, state)
                changed = True
        if changed:
            self._changed_here()  # reschedules through ``changed``
        else:
            self._schedule_expiry(1000)

    # -- reading ---------------------------------------------------------------------------------

    def balance(self) -> Balance:
        view = self._current_view()
        return view.balance if view is not None else self.db.balance(self.tip_height())

    def tip_height(self) -> int | None:
        return self.engine.tip_height() if self.engine is not None else None

    def history(self) -> list[HistoryRow]:
        """Newest first, replaced transactions included (they say so)."""
        view = self._current_view()
        if view is not None:
            return list(view.history)
        return history_rows(self.db, self.tip_height(), self._parsed)

    def parsed(self, record: TxRecord) -> Transaction:
        """``record.transaction()``, parsed once (a txid's bytes never change)."""
        return parse_once(self._parsed, record)

    def coins(self) -> list[OutputRecord]:
        view = self._current_view()
        return list(view.utxos) if view is not None else self.db.utxos()

    def addresses(self) -> list[AddressRecord]:
        view = self._current_view()
        return list(view.addresses) if view is not None else self.db.addresses()

    def requests(self) -> list[PaymentRequest]:
        return list(reversed(self.db.payment_requests()))

    def request_status(self, request: PaymentRequest) -> RequestStatus:
        """The request's state now, computed from the transactions paying its address."""
        script = self.request_script(request)
        view = self._current_view()
        transactions = view.transactions if view is not None else self.db.transactions()
        payments = observed_payments(script, transactions)
        tip = self.tip_height()
        return request_status(request, payments, now=int(time.time()), tip_height=tip or 0)

    def request_script(self, request: PaymentRequest) -> bytes:
        return address_to_script(request.address, self.network)

    def transaction(self, txid: bytes) -> TxRecord | None:
        return self.db.transaction_record(txid)

    def till(self) -> Any:
        """The engine if it runs the merchant till engine (``pos_charge``), else None."""
        engine = self.engine
        return engine if engine is not None and hasattr(engine, "pos_charge") else None

    def header_chain(self) -> Any:
        """The light node's header store for reading (None without an engine)."""
        if self.engine is None:
            return None
        return self.engine.header_chain()

    def paid_before(self, address: str) -> list[Any]:
        """This wallet's payments to ``address``, newest first (``payments.paid.PriorPayment``)."""
        from wallet.payments.paid import payments_to

        return payments_to(self.db, address, self.network)

    def address_label(self, address: str) -> str:
        return self.db.label("addr", address) or ""

    def header_at(self, height: int) -> bytes | None:
        """The header a proof was checked against, from the light node's store if it runs."""
        return self.engine.header_at(height) if self.engine is not None else None

    # -- the rate of the day each transaction arrived --------------------------------------------

    #: A transaction is given the current rate only if it arrived (its block's time, or when it
    #: was first seen) within this many seconds of the rate: an old one found by a restore
    #: keeps no rate rather than today's.
    RATE_WINDOW = 60 * 60

    def tx_rates(self) -> dict[bytes, Any]:
        """Every transaction's kept rate in the shown currency (txid -> Rate)."""
        code = self.rates.code
        return self.db.tx_rates(code) if code is not None and not self.closed else {}

    def keep_rates(self) -> None:
        """Give each transaction that just arrived the current rate (once; the first stays)."""
        rate = self.rates.rate()
        if rate is None or self.closed:
            return
        checked = self._rates_checked.get(rate.code)
        if checked is None:
            checked = self._rates_checked[rate.code] = set(self.db.tx_rates(rate.code))
        now = time.time()
        stored = False
        for row in self.history():
            record = row.record
            if record.txid in checked:
                continue
            checked.add(record.txid)
            when: float | None = record.first_seen
            if record.height:
                header = self.header_at(record.height)
                when = int.from_bytes(header[68:72], "little") if header else None
            if when is None or abs(now - when) > self.RATE_WINDOW:
                continue
            if abs(rate.at - when) > self.RATE_WINDOW and rate.source != MANUAL:
                continue
            stored = self.db.set_tx_rate(record.txid, rate) or stored
        if stored:
            self._changed_here()

    # -- changing the wallet (through wallet.account) --------------------------------------------

    def set_frozen(self, outpoint: OutPoint, frozen: bool) -> None:
        self.db.set_frozen(outpoint, frozen)
        self._changed_here()

    def set_label(self, type: str, ref: str, label: str) -> None:
        self.db.set_label(type, ref, label)
        self._changed_here()

    def create_request(
        self,
        amount_sat: int | None,
        label: str = "",
        message: str = "",
        expires_in: int | None = None,
        price: Any = None,
    ) -> PaymentRequest:
        """A new request (``wallet.payments.receive.new_request``, as ``paylight request``);
        ``price``: asked in fiat (``wallet.bitcoin.fiat.Price``), its rate locked now."""
        from wallet.payments.receive import new_request

        made = new_request(
            self.wallet,
            amount_sat,
            label=label,
            message=message,
            expires_in=expires_in,
            now=int(time.time()),
            price=price,
        )
        self._changed_here()
        return made.request

    # -- slow work, off the UI thread -------------------------------------------------------------

    def unlock(
        self,
        password: str,
        on_done: Callable[[KeystoreSecret], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Check the password (scrypt, ~0.5 s) on the thread pool; the keystore only reads."""
        keystore = self.wallet.keystore
        run_task(keystore.unlock, password, on_done=on_done, on_error=on_error)

    def _need_engine(self, what: str) -> SyncEngine:
        """The engine; ``what`` (a key of NEEDS_ENGINE) needs it."""
        if self.engine is None:
            translate = QCoreApplication.translate
            needed = translate("WalletController", NEEDS_ENGINE[what])
            raise EngineUnavailable(translate("WalletController", NO_ENGINE).format(what=needed))
        return self.engine

    def sync_now(self) -> None:
        self._need_engine("sync").sync_now()

    def fee_estimate(self, target_blocks: int, on_done: Callable[[FeeRate | None], None]) -> None:
        if self.engine is None:
            on_done(None)
            return
        run_task(self.engine.fee_estimate, target_blocks, on_done=on_done, on_error=lambda _e: None)

    def fee_estimates(
        self, targets: list[int], on_done: Callable[[dict[int, FeeRate | None]], None]
    ) -> None:
        """Estimates for several confirmation targets, asked in one task off the UI thread
        (one worker, not one per target, waits while the engine starts); {} without one."""
        engine = self.engine
        if engine is None:
            on_done({})
            return

        def ask() -> dict[int, FeeRate | None]:
            found: dict[int, FeeRate | None] = {}
            for target in targets:
                try:
                    found[target] = engine.fee_estimate(target)
                except PaylightError:
                    found[target] = None
            return found

        run_task(ask, on_done=on_done, on_error=lambda _e: None)

    def _plan(
        self,
        prepare: Callable[[], Build],
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Read what the transaction needs here (this thread's database connection), then
        build it -- coin selection, the PSBT -- on the thread pool."""
        try:
            build = prepare()
        except PaylightError as exc:
            on_error(exc)
            return
        run_task(lambda: PaymentPlan.from_built(build()), on_done=on_done, on_error=on_error)

    def plan_payment(
        self,
        draft: PaymentDraft,
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Choose coins and build the unsigned payment (``Sender.prepare_payment``: someone
        else's unconfirmed coins only when chosen on the Coins tab)."""
        from wallet.payments.send import Recipient

        recipients = [Recipient(draft.address, draft.amount_sat)]
        self._plan(
            lambda: self.sender.prepare_payment(
                recipients, draft.fee_rate, spend_from=draft.coins or None
            ),
            on_done,
            on_error,
        )

    def can_bump(self, record: TxRecord) -> bool:
        """An unconfirmed transaction spending the wallet's coins that signals RBF."""
        return not self.is_watch_only and self.sender.can_bump(record)

    def fee_paid(self, record: TxRecord) -> int | None:
        """The fee of a transaction whose inputs' transactions are stored, else None."""
        return self.sender.stored_fee(record.transaction())

    def plan_bump(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A replacement of the wallet's unconfirmed ``txid`` paying ``fee_rate``, and more
        than the unconfirmed children it evicts (``Sender.prepare_bump``, BIP125 rule 3)."""
        self._plan(lambda: self.sender.prepare_bump(txid, fee_rate), on_done, on_error)

    def plan_cpfp(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A child spending the wallet's output of unconfirmed ``txid`` so that both reach
        ``fee_rate`` (``Sender.prepare_cpfp``)."""
        self._plan(lambda: self.sender.prepare_cpfp(txid, fee_rate), on_done, on_error)

    def plan_cancel(
        self,
        txid: bytes,
        fee_rate: FeeRate,
        on_done: Callable[[PaymentPlan], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A replacement of the wallet's unconfirmed ``txid`` paying its coins back to the
        wallet (``Sender.prepare_cancel``)."""
        self._plan(lambda: self.sender.prepare_cancel(txid, fee_rate), on_done, on_error)

    def can_broadcast(self) -> bool:
        return self.engine is not None and not self.is_watch_only

    # -- PSBTs and messages (the PSBT and message windows) -----------------------------------------

    def sign_psbt(
        self,
        psbt: Any,
        password: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        allow_unverified_amounts: bool = False,
    ) -> None:
        """Sign a PSBT with the wallet's keys (``Sender.prepare_sign``: amounts checked here
        against the records, the password and signing on the thread pool); the signed PSBT."""
        try:
            sign = self.sender.prepare_sign(psbt, allow_unverified_amounts=allow_unverified_amounts)
        except PaylightError as exc:
            on_error(exc)
            return
        wallet = self.wallet
        run_task(lambda: sign(wallet.unlock(password)), on_done=on_done, on_error=on_error)

    def broadcast(
        self,
        tx: Transaction,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Send a transaction finished elsewhere (a finalized PSBT) to every server; the engine
        stores it, as after :meth:`sign_and_broadcast`. ``on_done`` gets the txid's hex."""
        try:
            engine = self._need_engine("broadcasting a transaction")
        except EngineUnavailable as exc:
            on_error(exc)
            return

        def done(txid: bytes) -> None:
            self._changed_here()
            on_done(txid[::-1].hex())

        run_task(engine.broadcast, tx, on_done=done, on_error=on_error)

    def sign_message(
        self,
        address: str,
        message: str,
        fmt: str,
        password: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Sign ``message`` with one of the wallet's addresses (``account.message_signer``;
        ``fmt`` a ``MessageFormat`` value): the address looked up here, the rest on the pool."""
        from wallet.account.message_signer import MessageFormat, own_address, sign_for_address

        try:
            record = own_address(self.db, address, self.network)
        except PaylightError as exc:
            on_error(exc)
            return
        wallet = self.wallet

        def work() -> str:
            secret = wallet.unlock(password)
            return sign_for_address(wallet.config, record, secret, message, MessageFormat(fmt))

        run_task(work, on_done=on_done, on_error=on_error)

    def sign_and_broadcast(
        self,
        plan: PaymentPlan,
        password: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        try:
            engine = self._need_engine("send")
        except EngineUnavailable as exc:
            on_error(exc)
            return

        sender = self.sender

        def work() -> str:
            secret = self.wallet.unlock(password)  # refuses a wallet.json not of this seed
            # no database on this thread: the amounts verify against the PSBT's own
            # previous transactions (Sender built it with them) or taproot's commitment
            tx = sender.sign(plan.unsigned, secret, from_records=False)
            return engine.broadcast(tx)[::-1].hex()

        def done(txid: str) -> None:
            self._changed_here()
            on_done(txid)

        run_task(work, on_done=done, on_error=on_error)
