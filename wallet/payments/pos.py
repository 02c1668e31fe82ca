"""The point-of-sale engine: "charge X" -> request and QR -> live states -> receipt -> next.

One charge at a time, as at a till. :meth:`PosEngine.charge` makes a payment request (a fresh
or recycled address, the amount, a label, an expiry), its BIP21 URI and QR symbol. From then on
the engine listens to the :class:`~wallet.payments.tracker.RequestTracker` (which listens to the
sync engine's subscriptions) and reports every state change to ``on_update``: *waiting* ->
*seen* (with a :mod:`risk view <wallet.payments.risk>` fetched from the servers, attached in a
second update when it arrives) -> *confirmed* (the Merkle proof checked against the local
header chain). On *confirmed* it writes a receipt for each transaction that paid the request
(``wallet.payments.receipt``) and the charge is done: the engine is ready for the next one.

A payment that stops counting before it is confirmed (the request goes back to *waiting*) gets
a risk view too, from the copy the engine kept: the servers no longer list it, so the view is
how the merchant learns *why* -- a conflicting spend of its coin, in a mempool or a block (a
double spend), named in the update's note. A replacement that still pays the charge (the payer
bumped the fee) is not reported as a double spend.

No Qt here: the till window (wallet/gui) calls these methods and shows the updates; callbacks
run on the thread of the sync engine's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wallet.account.atomic import atomic_write
from wallet.account.database import PaymentRequest, RequestState, TxState
from wallet.bitcoin.fiat import Price
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.payments.receipt import receipt_for_payment, stored_coinbase
from wallet.payments.requests import AddressChoice, RequestStatus
from wallet.payments.risk import RiskView, assess_risk, assess_risk_from_peers
from wallet.payments.tracker import RequestChange, RequestTracker

log = logging.getLogger(__name__)

#: A charge's default lifetime: long enough to pay, short enough to recycle the address.
DEFAULT_EXPIRY = 15 * 60
#: States that end a charge (the payment is Merkle-verified, or it can no longer come).
DONE_STATES = frozenset(
    {RequestState.CONFIRMED, RequestState.PAID, RequestState.OVERPAID, RequestState.EXPIRED}
)
RECEIPTS_DIR = "receipts"


class PosError(PaylightError):
    """A till action that cannot be done now (e.g. a charge is already open)."""


@dataclass(frozen=True)
class Charge:
    request: PaymentRequest
    uri: str
    #: how its address was chosen (fresh, reused from an expired request, or past the gap)
    choice: AddressChoice | None = None

    @property
    def id(self) -> int:
        return self.request.id

    @property
    def amount_sat(self) -> int | None:
        return self.request.amount_sat

    @property
    def address(self) -> str:
        return self.request.address

    def qr(self) -> Any:
        """The QR symbol of the URI (``qr_render.QRSymbol``; upper-case trick applied)."""
        from wallet.payments.qr_render import make_qr

        return make_qr(self.uri)


@dataclass(frozen=True)
class PosUpdate:
    """Something the till should show about the current charge."""

    charge: Charge
    state: RequestState
    status: RequestStatus | None
    #: for a payment seen but not confirmed: the risk of each paying transaction
    risks: tuple[RiskView, ...] = ()
    #: receipts written when the charge completed (one per paying transaction)
    receipts: tuple[Path, ...] = ()
    #: True when this charge is over (confirmed, expired or cancelled)
    done: bool = False
    note: str = ""
    transactions: tuple[bytes, ...] = field(default=())


class PosEngine:
    """Runs charges on top of a tracker; ``on_update`` gets every :class:`PosUpdate`.

    ``pool`` and ``fee_estimate`` (``WalletSync.fee_estimate``) feed the risk view; a light
    node without servers gives ``mempool`` (its peers' announcements) instead; without either
    there is none. ``receipts_dir`` defaults to ``<wallet folder>/receipts``.
    """

    def __init__(
        self,
        tracker: RequestTracker,
        *,
        headers: Any,
        on_update: Callable[[PosUpdate], None] | None = None,
        pool: Any = None,
        mempool: Any = None,
        fee_estimate: Callable[[int], Any] | None = None,
        receipts_dir: Path | None = None,
        expires_in: int | None = DEFAULT_EXPIRY,
        receipt_confirmations: int = 1,
    ) -> None:
        self.tracker = tracker
        self.headers = headers
        self.pool = pool
        #: a light node's view of its peers' mempools (``risk.MempoolView``), used when there
        #: is no server pool to ask
        self.mempool = mempool
        self.fee_estimate = fee_estimate
        self.expires_in = expires_in
        self.receipt_confirmations = receipt_confirmations
        self.receipts_dir = receipts_dir or tracker.wallet.path / RECEIPTS_DIR
        self._listeners: list[Callable[[PosUpdate], None]] = []
        if on_update is not None:
            self._listeners.append(on_update)
        self.current: Charge | None = None
        self.last: PosUpdate | None = None
        self._risk_tasks: set[asyncio.Task[None]] = set()
        self._assessed: set[bytes] = set()
        #: every transaction that counted for the current charge, kept for when it stops
        #: counting (sync removes a transaction no server lists any more)
        self._payments: dict[bytes, Transaction] = {}
        self._lost: set[bytes] = set()
        self._done: asyncio.Event | None = None
        tracker.add_listener(self._on_change)

    @property
    def db(self) -> Any:
        return self.tracker.db

    @property
    def ready(self) -> bool:
        """True when no charge is open (the till can take the next one)."""
        return self.current is None

    def add_listener(self, listener: Callable[[PosUpdate], None]) -> None:
        self._listeners.append(listener)

    def close(self) -> None:
        self.tracker.remove_listener(self._on_change)
        for task in self._risk_tasks:
            task.cancel()

    # -- charging ---------------------------------------------------------------------------------

    def charge(
        self,
        amount_sat: int | None,
        *,
        label: str = "",
        message: str = "",
        price: Price | None = None,
    ) -> Charge:
        """Open a charge for ``amount_sat``, or for ``price`` (asked in fiat, its rate locked
        now: the request and the receipt keep it): a stored request and its URI."""
        if self.current is not None:
            raise PosError(
                f"charge {self.current.id} is still open; cancel it or wait for it to complete"
            )
        made = self.tracker.create_request(
            amount_sat, label=label, message=message, expires_in=self.expires_in, price=price
        )
        charge = Charge(made.request, made.uri, made.choice)
        self.current = charge
        self._assessed = set()
        self._payments = {}
        self._lost = set()
        with contextlib.suppress(RuntimeError):
            self._done = asyncio.Event()
        status = self.tracker.statuses.get(charge.id)
        self._emit(PosUpdate(charge, made.request.state, status))
        return charge

    def cancel(self, charge_id: int | None = None) -> None:
        """Give up the open charge (its request stays stored and expires as usual); with
        ``charge_id``, only if that is the open one (a cancel that arrives after the next
        sale opened must not give up the new charge)."""
        charge = self.current
        if charge is None or (charge_id is not None and charge.id != charge_id):
            return
        self._finish(PosUpdate(charge, charge.request.state, None, done=True, note="cancelled"))

    async def wait(self, timeout: float | None = None) -> PosUpdate:
        """Until the open charge is done; its last update."""
        if self.current is None and self.last is not None:
            return self.last
        if self._done is None:
            self._done = asyncio.Event()
        await asyncio.wait_for(self._done.wait(), timeout)
        assert self.last is not None
        return self.last

    # -- following --------------------------------------------------------------------------------

    def _on_change(self, change: RequestChange) -> None:
        charge = self.current
        if charge is None or change.request_id != charge.id:
            return
        status = change.status
        lost = self._follow_payments(status)
        if change.new in DONE_STATES:
            receipts: tuple[Path, ...] = ()
            note = ""
            if change.new is not RequestState.EXPIRED:
                try:
                    receipts = self._write_receipts(charge, status)
                except PaylightError as exc:
                    note = f"no receipt: {exc}"
                    log.warning("charge %d: %s", charge.id, note)
            update = PosUpdate(
                charge,
                change.new,
                status,
                receipts=receipts,
                done=True,
                note=note,
                transactions=status.counted,
            )
            self._finish(update)
            return
        self._emit(PosUpdate(charge, change.new, status, transactions=status.counted))
        if change.new in (RequestState.SEEN, RequestState.UNDERPAID):
            new = [t for t in status.counted if t not in self._assessed]
            if new:
                self._assessed.update(new)
                pending = []
                for txid in status.counted:
                    record = self.db.transaction_record(txid)
                    if record is not None and record.state is TxState.UNCONFIRMED:
                        pending.append(record.transaction())
                self._start_risk(charge, status, pending)
        if lost:
            self._start_risk(charge, status, lost, lost=True)

    def _follow_payments(self, status: RequestStatus) -> list[Transaction]:
        """Keep a copy of each counted transaction; those that stopped counting (new ones)."""
        counted = set(status.counted)
        for txid in status.counted:
            self._lost.discard(txid)
            if txid not in self._payments:
                record = self.db.transaction_record(txid)
                if record is not None:
                    self._payments[txid] = record.transaction()
        lost = [tx for txid, tx in self._payments.items() if txid not in counted | self._lost]
        for tx in lost:
            self._lost.add(tx.txid())
            self._assessed.discard(tx.txid())  # should it come back, it is assessed again
        return lost

    def _start_risk(
        self,
        charge: Charge,
        status: RequestStatus,
        txs: Sequence[Transaction],
        *,
        lost: bool = False,
    ) -> None:
        if (self.pool is None and self.mempool is None) or not txs:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop here (called synchronously): no network view
        task = loop.create_task(self._risk(charge, status, list(txs), lost))
        self._risk_tasks.add(task)
        task.add_done_callback(self._risk_tasks.discard)

    async def _risk(
        self, charge: Charge, status: RequestStatus, txs: list[Transaction], lost: bool
    ) -> None:
        """Assess ``txs`` and report the views; ``lost``: payments that stopped counting."""
        try:
            rate = None
            if self.fee_estimate is not None:
                with contextlib.suppress(PaylightError):
                    rate = await self.fee_estimate(1)
            known = [r.transaction() for r in self.db.transactions()]
            if self.pool is not None:
                views = [
                    await assess_risk(tx, self.pool, next_block_rate=rate, known=known)
                    for tx in txs
                ]
            else:
                views = [
                    await assess_risk_from_peers(
                        tx, self.mempool, next_block_rate=rate, known=known
                    )
                    for tx in txs
                ]
        except PaylightError as exc:
            log.warning("charge %d: no risk view: %s", charge.id, exc)
            return
        if self.current is None or self.current.id != charge.id:
            return
        note = ""
        if lost:
            now = self.tracker.statuses.get(charge.id, status)
            # a replacement that pays the charge too is a fee bump, not a double spend
            views = [v for v in views if not v.conflicts or not _paid_by(v, now.counted)]
            status = now
            note = "; ".join(_lost_note(v) for v in views)
        if views:
            state = self.last.state if self.last is not None else RequestState.SEEN
            self._emit(
                PosUpdate(
                    charge,
                    state,
                    status,
                    risks=tuple(views),
                    note=note,
                    transactions=status.counted,
                )
            )

    def _write_receipts(self, charge: Charge, status: RequestStatus) -> tuple[Path, ...]:
        script = self.tracker._script_of(charge.request)
        paths = []
        self.receipts_dir.mkdir(parents=True, exist_ok=True)
        for txid in status.counted:
            record = self.db.transaction_record(txid)
            if record is None or record.state is not TxState.CONFIRMED:
                continue
            tx = record.transaction()
            index = next(n for n, o in enumerate(tx.outputs) if o.script_pubkey == script)
            receipt = receipt_for_payment(
                record,
                self.headers,
                index,
                confirmations=self.receipt_confirmations,
                label=charge.request.label or None,
                message=charge.request.message or None,
                coinbase=stored_coinbase(self.db, record),
                price=charge.request.price,
            )
            path = self.receipts_dir / f"receipt-{charge.id}-{record.txid_hex[:16]}.json"
            atomic_write(path, receipt.to_json_text().encode("utf-8"))
            paths.append(path)
        return tuple(paths)

    # -- reporting --------------------------------------------------------------------------------

    def _emit(self, update: PosUpdate) -> None:
        self.last = update
        for listener in list(self._listeners):
            try:
                listener(update)
            except Exception:
                log.exception("a POS listener failed")

    def _finish(self, update: PosUpdate) -> None:
        self.current = None
        self._emit(update)
        if self._done is not None:
            self._done.set()
            self._done = None


def _paid_by(view: RiskView, counted: Sequence[bytes]) -> bool:
    """True if every conflicting spend in ``view`` is itself a payment of the charge."""
    return all(c.txid in counted for c in view.conflicts)


def _lost_note(view: RiskView) -> str:
    """Why a payment stopped counting, in a sentence for the till."""
    short = view.txid_hex[:16] + "…"
    if view.conflicts:
        spends = {
            (
                c.txid_hex,
                f"the server says in block {c.height:,}" if c.height > 0 else "in a mempool",
            )
            for c in view.conflicts
        }
        by = ", ".join(f"{txid} ({where})" for txid, where in sorted(spends))
        return f"payment {short} was double-spent by {by}"
    if view.confirmed_height is not None:
        return (
            f"payment {short}: the server says it is in block {view.confirmed_height:,}, but it "
            "no longer counts here"
        )
    return f"payment {short} is no longer listed by the servers (no conflicting spend seen)"


__all__ = [
    "DEFAULT_EXPIRY",
    "DONE_STATES",
    "Charge",
    "PosEngine",
    "PosError",
    "PosUpdate",
]
