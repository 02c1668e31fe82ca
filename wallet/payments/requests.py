"""Payment requests: their state as a pure function of what the wallet has seen, and which
address a new request gets.

A request is an address, an amount (or none: "any amount"), a creation time and an optional
expiry. Its state is computed, never stored as truth, from the transactions paying that address
(their trust states come from ``wallet.account.database``: unconfirmed, unverified, confirmed,
replaced) with these definitions:

* a payment *counts* for the request if its transaction is not replaced and was first seen
  in ``[created_at, expires_at)``. A replacement inherits the first-seen time of the transaction
  it replaced, so a payer's fee bump after the expiry still counts. Payments seen after the
  expiry are reported as ``late`` but do not count (the address may be reused by then);
* **waiting** -- nothing counts yet and the request has not expired;
* **expired** -- nothing counted before the expiry. A payment seen before the expiry and
  confirmed after it is *not* expired;
* **underpaid** -- payments count but add up to less than the amount (whatever their state);
* **seen** -- the amount is covered, but not by confirmed (Merkle-verified) payments alone;
* **confirmed** -- confirmed payments cover the amount, with fewer than ``paid_depth``
  confirmations (the depth of the youngest confirmed payment needed to cover it);
* **paid** -- covered at ``paid_depth`` confirmations or more (default 6): final;
* **overpaid** -- as paid, but the counted payments exceed the amount (``excess_sat`` says by
  how much from the first moment; the state says it once final, so it never hides "unconfirmed").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from wallet.account.database import RequestState, TxState
from wallet.bitcoin.transaction import Transaction

#: Confirmations after which a request is paid (final), by default.
DEFAULT_PAID_DEPTH = 6
#: An expired request's address is reused only this long after the expiry, so a late payer
#: (who scanned the code just before it expired) is not credited to the next customer.
DEFAULT_REUSE_GRACE = 3600
DEFAULT_GAP_LIMIT = 20


class RequestLike(Protocol):
    """What the state machine needs of a request (``database.PaymentRequest`` fits)."""

    @property
    def amount_sat(self) -> int | None: ...
    @property
    def created_at(self) -> int: ...
    @property
    def expires_at(self) -> int | None: ...


@dataclass(frozen=True)
class ObservedPayment:
    """One transaction paying the request's address, as the wallet knows it."""

    txid: bytes
    #: value the transaction pays to the request's address (all its outputs there)
    amount_sat: int
    state: TxState
    #: block height for unverified/confirmed transactions
    height: int | None
    #: earliest time the wallet knows of it (first seen, or its block's time if earlier)
    seen_at: int
    #: for a replaced transaction: the txid that replaced it
    replaced_by: bytes | None = None


@dataclass(frozen=True)
class RequestStatus:
    state: RequestState
    #: total of the counted payments, whatever their state
    received_sat: int
    #: part of it in confirmed (Merkle-verified) transactions
    confirmed_sat: int
    #: part of it unconfirmed or unverified
    pending_sat: int
    #: amount still missing (0 if covered or no amount asked)
    shortfall_sat: int
    #: amount received above the one asked
    excess_sat: int
    #: confirmations of the confirmed payments covering the amount (0 if not covered)
    confirmations: int
    counted: tuple[bytes, ...] = ()
    late: tuple[bytes, ...] = ()
    replaced: tuple[bytes, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.state in (RequestState.PAID, RequestState.OVERPAID)


class TxRecordLike(Protocol):
    """A stored transaction (``database.TxRecord`` fits)."""

    @property
    def txid(self) -> bytes: ...
    @property
    def state(self) -> TxState: ...
    @property
    def height(self) -> int | None: ...
    @property
    def first_seen(self) -> int: ...
    @property
    def replaced_by(self) -> bytes | None: ...
    def transaction(self) -> Transaction: ...


def observed_payments(
    script_pubkey: bytes,
    records: Iterable[TxRecordLike],
    block_times: Mapping[int, int] | None = None,
) -> list[ObservedPayment]:
    """The transactions among ``records`` that pay ``script_pubkey``, as the state machine
    wants them. ``block_times`` (height -> header time) lets a transaction first seen only once
    mined (the wallet was closed) count from its block's time if that is earlier.
    """
    found = []
    for record in records:
        tx = record.transaction()
        amount = sum(o.value for o in tx.outputs if o.script_pubkey == script_pubkey)
        if not amount:
            continue
        seen = record.first_seen
        if block_times and record.height is not None and record.height in block_times:
            seen = min(seen, block_times[record.height])
        found.append(
            ObservedPayment(
                txid=record.txid,
                amount_sat=amount,
                state=TxState(record.state),
                height=record.height,
                seen_at=seen,
                replaced_by=record.replaced_by,
            )
        )
    return found


def _effective_seen(payments: Sequence[ObservedPayment]) -> dict[bytes, int]:
    """First-seen times with replacements inheriting those of what they replaced."""
    seen = {p.txid: p.seen_at for p in payments}
    for _ in range(len(payments)):
        changed = False
        for p in payments:
            if p.state is TxState.REPLACED and p.replaced_by in seen:
                target = p.replaced_by
                if seen[p.txid] < seen[target]:  # type: ignore[index]
                    seen[target] = seen[p.txid]  # type: ignore[index]
                    changed = True
        if not changed:
            break
    return seen


def _depth(height: int | None, tip_height: int) -> int:
    return 0 if height is None else max(0, tip_height - height + 1)


def request_status(
    request: RequestLike,
    payments: Iterable[ObservedPayment],
    *,
    now: int,
    tip_height: int,
    paid_depth: int = DEFAULT_PAID_DEPTH,
) -> RequestStatus:
    """The request's state and figures given every transaction seen paying its address."""
    if paid_depth < 1:
        raise ValueError("paid_depth is at least one confirmation")
    payments = list(payments)
    seen = _effective_seen(payments)
    start, end = request.created_at, request.expires_at
    counted: list[ObservedPayment] = []
    late: list[bytes] = []
    replaced: list[bytes] = []
    for p in payments:
        if p.state is TxState.REPLACED:
            if start <= seen[p.txid] and (end is None or seen[p.txid] < end):
                replaced.append(p.txid)
            continue
        t = seen[p.txid]
        if t < start:
            continue  # an earlier request's payment to a reused address
        if end is not None and t >= end:
            late.append(p.txid)
            continue
        counted.append(p)

    received = sum(p.amount_sat for p in counted)
    confirmed = sum(p.amount_sat for p in counted if p.state is TxState.CONFIRMED)
    amount = request.amount_sat
    need = amount if amount is not None else 1
    shortfall = max(0, amount - received) if amount is not None else 0
    excess = max(0, received - amount) if amount is not None else 0

    depth = 0
    if confirmed >= need:
        total = 0
        # oldest first: the covering depth is that of the youngest payment needed
        for p in sorted(
            (p for p in counted if p.state is TxState.CONFIRMED),
            key=lambda p: _depth(p.height, tip_height),
            reverse=True,
        ):
            total += p.amount_sat
            depth = _depth(p.height, tip_height)
            if total >= need:
                break

    if received == 0:
        state = RequestState.EXPIRED if end is not None and now >= end else RequestState.WAITING
    elif amount is not None and received < amount:
        state = RequestState.UNDERPAID
    elif confirmed < need:
        state = RequestState.SEEN
    elif depth < paid_depth:
        state = RequestState.CONFIRMED
    elif excess:
        state = RequestState.OVERPAID
    else:
        state = RequestState.PAID
    return RequestStatus(
        state=state,
        received_sat=received,
        confirmed_sat=confirmed,
        pending_sat=received - confirmed,
        shortfall_sat=shortfall,
        excess_sat=excess,
        confirmations=depth if confirmed >= need else 0,
        counted=tuple(p.txid for p in counted),
        late=tuple(late),
        replaced=tuple(replaced),
    )


# -- choosing an address for a new request -------------------------------------------------------


class AddressLike(Protocol):
    """A receive address (``database.AddressRecord`` fits)."""

    @property
    def id(self) -> int: ...
    @property
    def index(self) -> int: ...
    @property
    def used(self) -> bool: ...


class StoredRequestLike(Protocol):
    @property
    def address_id(self) -> int: ...
    @property
    def expires_at(self) -> int | None: ...
    @property
    def state(self) -> RequestState: ...


@dataclass(frozen=True)
class AddressChoice:
    """Which receive index a new request uses, and why."""

    index: int
    #: the stored address, or None when the caller must derive index ``index`` first
    address_id: int | None
    #: "fresh" (never shown), "reused" (an expired unpaid request's), or "new" (beyond the gap)
    reason: str

    @property
    def extends_gap(self) -> bool:
        return self.reason == "new"


def choose_request_address(
    addresses: Sequence[AddressLike],
    requests: Sequence[StoredRequestLike],
    *,
    now: int,
    gap_limit: int = DEFAULT_GAP_LIMIT,
    reuse_grace: int = DEFAULT_REUSE_GRACE,
) -> AddressChoice:
    """The receive address for a new request, pushing the gap limit only as a last resort.

    1. the lowest unused address never given to a request, if a restore would still find it
       (index at most ``gap_limit`` past the last used one);
    2. else the address of an expired, never-paid request (every request on it expired at least
       ``reuse_grace`` seconds ago and nothing ever paid it), the longest idle first;
    3. else the next index, which extends the gap (``reason == "new"``).
    """
    by_index = sorted(addresses, key=lambda a: a.index)
    last_used = max((a.index for a in by_index if a.used), default=-1)
    bound = last_used + gap_limit
    with_requests: dict[int, list[StoredRequestLike]] = {}
    for r in requests:
        with_requests.setdefault(r.address_id, []).append(r)

    known = {a.index for a in by_index}
    for a in by_index:
        if a.index > bound:
            break
        if not a.used and a.id not in with_requests:
            return AddressChoice(a.index, a.id, "fresh")
    next_index = (by_index[-1].index + 1) if by_index else 0
    first_missing = next(i for i in range(next_index + 1) if i not in known)
    if first_missing <= bound:
        return AddressChoice(first_missing, None, "fresh")

    best: tuple[int, int, AddressLike] | None = None
    for a in by_index:
        reqs = with_requests.get(a.id)
        if a.used or not reqs:
            continue
        if any(
            r.state is not RequestState.EXPIRED
            or r.expires_at is None
            or now < r.expires_at + reuse_grace
            for r in reqs
        ):
            continue
        last_expiry = max(r.expires_at for r in reqs)  # type: ignore[type-var]
        key = (last_expiry, a.index, a)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is not None:
        return AddressChoice(best[2].index, best[2].id, "reused")
    return AddressChoice(next_index, None, "new")


__all__ = [
    "DEFAULT_GAP_LIMIT",
    "DEFAULT_PAID_DEPTH",
    "DEFAULT_REUSE_GRACE",
    "AddressChoice",
    "ObservedPayment",
    "RequestStatus",
    "choose_request_address",
    "observed_payments",
    "request_status",
]
