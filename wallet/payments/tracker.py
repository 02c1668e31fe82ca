"""Payment requests over time: create them, and follow their states as payments arrive.

The state of a request is a pure function (``requests.request_status``) of the transactions
paying its address, the clock and the header tip. :class:`RequestTracker` recomputes it when
something that function depends on changes -- a wallet transaction changed state (a
:class:`~wallet.sync.events.TxEvent` from ``WalletSync.follow()``), the header tip moved (a
:class:`~wallet.sync.events.SyncStatus` with a new height: confirmations), or an expiry passed
(:meth:`RequestTracker.next_deadline`) -- stores the new state, and reports each change to its
listeners. So the merchant's screen says *seen* as soon as the sync engine has the customer's
transaction from a server notification, and *confirmed* once its Merkle proof checked out.

New requests are made by ``wallet.payments.receive.new_request`` (the road the GUI takes too).
An address derived for one is handed to the tracker's ``watcher`` (``WalletSync.watch``), so a
running ``follow()`` subscribes to it: the sync engine itself only derives to the gap limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from wallet.account.database import (
    AddressRecord,
    Chain,
    PaymentRequest,
    RequestState,
    TxRecord,
    WalletDatabase,
)
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.fiat import Price
from wallet.payments.receive import NewRequest, RequestError, new_request
from wallet.payments.requests import (
    DEFAULT_PAID_DEPTH,
    RequestStatus,
    observed_payments,
    request_status,
)
from wallet.spv.header import BlockHeader

log = logging.getLogger(__name__)

#: The states that can still change (a paid request is final).
OPEN_STATES = frozenset(RequestState) - {RequestState.PAID, RequestState.OVERPAID}


@dataclass(frozen=True)
class RequestChange:
    """A request moved from ``old`` to ``new``; ``status`` has the figures behind it."""

    request: PaymentRequest
    old: RequestState
    new: RequestState
    status: RequestStatus

    @property
    def request_id(self) -> int:
        return self.request.id


class HeaderTimes:
    """Block times and the tip from a header store (``HeaderStore`` fits), cached by height."""

    def __init__(self, store: object | None) -> None:
        self.store = store
        self._times: dict[tuple[int, bytes], int] = {}

    @property
    def tip_height(self) -> int:
        return 0 if self.store is None else int(self.store.height)  # type: ignore[attr-defined]

    def time_at(self, height: int) -> int | None:
        store = self.store
        if store is None or not store.base_height < height <= store.height:  # type: ignore[attr-defined]
            return None
        raw = store.header(height)  # type: ignore[attr-defined]
        key = (height, raw[:36])
        if key not in self._times:
            self._times[key] = BlockHeader.parse(raw).time
        return self._times[key]


class RequestTracker:
    """Keeps the stored state of every open request current and reports each change.

    Runs on the thread (event loop) owning the wallet's database connection. ``headers`` is the
    light node's header store (tip height, block times); ``clock`` is for tests. ``watcher``
    gets the addresses a new request derived (pass ``WalletSync.watch``; may be set later).
    """

    def __init__(
        self,
        wallet: Wallet,
        headers: object | None = None,
        *,
        on_change: Callable[[RequestChange], None] | None = None,
        paid_depth: int = DEFAULT_PAID_DEPTH,
        clock: Callable[[], float] = time.time,
        watcher: Callable[[Sequence[AddressRecord]], object] | None = None,
    ) -> None:
        self.wallet = wallet
        self.watcher = watcher
        self.headers = HeaderTimes(headers)
        self.paid_depth = paid_depth
        self.clock = clock
        self._listeners: list[Callable[[RequestChange], None]] = []
        if on_change is not None:
            self._listeners.append(on_change)
        self._last_tip: int | None = None
        self.statuses: dict[int, RequestStatus] = {}
        self._scripts: dict[int, bytes] = {}

    @property
    def db(self) -> WalletDatabase:
        return self.wallet.db

    def add_listener(self, listener: Callable[[RequestChange], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[RequestChange], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def now(self) -> int:
        return int(self.clock())

    # -- creating ---------------------------------------------------------------------------------

    def create_request(
        self,
        amount_sat: int | None,
        *,
        label: str = "",
        message: str = "",
        expires_in: int | None = None,
        price: Price | None = None,
    ) -> NewRequest:
        """A new request on a suitable receive address, stored, with its BIP21 URI (``price``:
        asked in fiat, the rate locked now)
        (:func:`wallet.payments.receive.new_request`, after the stored states are brought up
        to date: they decide which expired addresses may be reused)."""
        self.refresh()
        made = new_request(
            self.wallet,
            amount_sat,
            label=label,
            message=message,
            expires_in=expires_in,
            now=self.now(),
            price=price,
        )
        if made.derived and self.watcher is not None:
            try:
                self.watcher(list(made.derived))  # a running follow() subscribes to them
            except Exception:
                log.exception(
                    "could not hand request %d's address to the sync engine", made.request.id
                )
        request = made.request
        self.statuses[request.id] = self._status(request, self._payments_by_script())
        return made

    # -- following --------------------------------------------------------------------------------

    def on_event(self, event: object) -> list[RequestChange]:
        """Feed ``WalletSync`` events here (its ``on_event``, or via a fan-out)."""
        from wallet.sync.events import SyncStatus, TxEvent

        if isinstance(event, TxEvent):
            return self.refresh()
        height = event.header_height if isinstance(event, SyncStatus) else None
        if height is not None and height != self._last_tip:
            self._last_tip = height
            return self.refresh()
        return []

    def _payments_by_script(self) -> dict[bytes, list[TxRecord]]:
        records = self.db.transactions()
        by_script: dict[bytes, list[TxRecord]] = {}
        for record in records:
            for out in {o.script_pubkey for o in record.transaction().outputs}:
                by_script.setdefault(out, []).append(record)
        return by_script

    def _block_times(self, records: Iterable[TxRecord]) -> dict[int, int]:
        times = {}
        for r in records:
            if r.height is not None:
                t = self.headers.time_at(r.height)
                if t is not None:
                    times[r.height] = t
        return times

    def _status(
        self, request: PaymentRequest, by_script: dict[bytes, list[TxRecord]]
    ) -> RequestStatus:
        script = self._script_of(request)
        records = by_script.get(script, [])
        payments = observed_payments(script, records, self._block_times(records))
        return request_status(
            request,
            payments,
            now=self.now(),
            tip_height=self.headers.tip_height,
            paid_depth=self.paid_depth,
        )

    def _script_of(self, request: PaymentRequest) -> bytes:
        cache = self._scripts
        script = cache.get(request.address_id)
        if script is None:
            for a in self.db.addresses(Chain.RECEIVE):
                cache[a.id] = a.script_pubkey
            script = cache.get(request.address_id)
            if script is None:
                raise RequestError(f"request {request.id} points to an unknown address")
        return script

    def status(self, request_id: int) -> RequestStatus:
        """The current status of one request (recomputed)."""
        request = self.db.payment_request(request_id)
        if request is None:
            raise RequestError(f"there is no payment request {request_id}")
        status = self._status(request, self._payments_by_script())
        self.statuses[request_id] = status
        return status

    def refresh(self, request_ids: Iterable[int] | None = None) -> list[RequestChange]:
        """Recompute open requests (or those given), store changed states, tell listeners."""
        wanted = None if request_ids is None else set(request_ids)
        requests = [
            r
            for r in self.db.payment_requests()
            if (wanted is None and r.state in OPEN_STATES) or (wanted and r.id in wanted)
        ]
        if not requests:
            return []
        by_script = self._payments_by_script()
        changes = []
        with self.db.transaction():
            for request in requests:
                status = self._status(request, by_script)
                self.statuses[request.id] = status
                if status.state is not request.state:
                    self.db.set_request_state(request.id, status.state)
                    changes.append(RequestChange(request, request.state, status.state, status))
        for change in changes:
            log.info("request %d: %s -> %s", change.request.id, change.old.value, change.new.value)
            for listener in list(self._listeners):
                try:
                    listener(change)
                except Exception:
                    log.exception("a request listener failed")
        return changes

    def next_deadline(self) -> int | None:
        """The next time an open, unpaid request expires (to refresh then), or None."""
        now = self.now()
        times = [
            r.expires_at
            for r in self.db.payment_requests()
            if r.state is RequestState.WAITING and r.expires_at is not None and r.expires_at > now
        ]
        return min(times, default=None)


async def watch_expiries(tracker: RequestTracker, max_sleep: float = 30.0) -> None:
    """Refresh ``tracker`` when a request expires (no server event marks an expiry); run it
    beside ``WalletSync.follow()`` until cancelled."""
    while True:
        deadline = tracker.next_deadline()
        delay = max_sleep if deadline is None else deadline - tracker.clock() + 0.05
        await asyncio.sleep(min(max_sleep, max(0.05, delay)))
        tracker.refresh()


def fan_out(*handlers: Callable[[object], object] | None) -> Callable[[object], None]:
    """One ``on_event`` callback calling several (WalletSync takes one)."""
    live = [h for h in handlers if h is not None]

    def handle(event: object) -> None:
        for h in live:
            try:
                h(event)
            except Exception:
                log.exception("an event handler failed")

    return handle


__all__ = [
    "OPEN_STATES",
    "NewRequest",
    "RequestChange",
    "RequestError",
    "RequestTracker",
    "fan_out",
    "watch_expiries",
]
