"""Making a payment request: its receive address, the stored request and its BIP21 URI.

The one road to a new request for every front end: ``paylight request``, the till
(``RequestTracker.create_request``, which also follows its state) and the GUI's Receive tab.
The address is ``requests.choose_request_address``'s choice: a fresh one within the gap
limit, else one of an expired request nobody paid, and only as a last resort one that pushes
the gap limit (a restore would then need a larger gap limit; the log says so). Addresses
derived for it are stored without holes and returned, so a running sync can subscribe to them.

Runs on the thread owning the wallet's database connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wallet.account.database import AddressRecord, Chain, PaymentRequest
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.fiat import Price
from wallet.errors import PaylightError
from wallet.payments.requests import AddressChoice, choose_request_address
from wallet.payments.uri import make_uri

log = logging.getLogger(__name__)


class RequestError(PaylightError):
    """A payment request that cannot be made as asked."""


@dataclass(frozen=True)
class NewRequest:
    request: PaymentRequest
    uri: str
    choice: AddressChoice
    #: receive addresses derived and stored for it (beyond those the wallet had)
    derived: tuple[AddressRecord, ...] = ()


def request_address(
    wallet: Wallet, *, now: int
) -> tuple[AddressRecord, AddressChoice, tuple[AddressRecord, ...]]:
    """The receive address for a new request, stored (with every index below it), its
    choice, and the addresses derived for it."""
    db, config = wallet.db, wallet.config
    choice = choose_request_address(
        db.addresses(Chain.RECEIVE),
        db.payment_requests(),
        now=now,
        gap_limit=config.gap_limit,
    )
    derived: tuple[AddressRecord, ...] = ()
    if choice.address_id is None:
        descriptor = parse_descriptor(config.receive_descriptor, config.network)
        highest = db.highest_index(Chain.RECEIVE)
        start = 0 if highest is None else highest + 1
        with db.transaction():
            for index in range(start, choice.index + 1):
                db.add_address(
                    Chain.RECEIVE,
                    index,
                    descriptor.address(index, config.network),
                    descriptor.script_pubkey(index),
                )
        derived = tuple(a for a in db.addresses(Chain.RECEIVE) if start <= a.index <= choice.index)
    record = db.address_at(Chain.RECEIVE, choice.index)
    assert record is not None
    return record, choice, derived


def new_request(
    wallet: Wallet,
    amount_sat: int | None,
    *,
    label: str = "",
    message: str = "",
    expires_in: int | None = None,
    now: int,
    price: Price | None = None,
) -> NewRequest:
    """A new request on :func:`request_address`'s address, stored, with its BIP21 URI; the
    label also labels the address (BIP329 export). ``price``: asked in fiat at a rate locked
    now; ``amount_sat`` None then means what the price costs at that rate."""
    if price is not None:
        if amount_sat is not None and amount_sat != price.sats:
            raise RequestError("the amount in bitcoin is not what the price costs at its rate")
        amount_sat = price.sats
    if amount_sat is not None and (
        isinstance(amount_sat, bool) or not isinstance(amount_sat, int) or amount_sat <= 0
    ):
        raise RequestError("a request's amount is a positive number of satoshis")
    if expires_in is not None and expires_in <= 0:
        raise RequestError("a request's expiry is a positive number of seconds")
    db, config = wallet.db, wallet.config
    address, choice, derived = request_address(wallet, now=now)
    request = db.add_payment_request(
        address.id,
        amount_sat,
        label=label,
        message=message,
        created_at=now,
        expires_at=None if expires_in is None else now + expires_in,
        price=price,
    )
    if label:
        db.set_label("addr", request.address, label)
    if choice.extends_gap:
        log.warning(
            "request %d uses receive index %d, beyond the gap limit of %d: a restore needs "
            "a larger gap limit to find it",
            request.id,
            choice.index,
            config.gap_limit,
        )
    uri = make_uri(
        request.address, amount_sat, label or None, message or None, network=config.network
    )
    return NewRequest(request, uri, choice, derived)


__all__ = ["NewRequest", "RequestError", "new_request", "request_address"]
