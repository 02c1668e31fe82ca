"""Amounts and times as the GUI shows them; amounts typed in BTC or sats, read exactly."""

from __future__ import annotations

import enum
import time

from wallet.errors import PaylightError
from wallet.payments.uri import COIN, UriError, parse_btc_amount


class Unit(enum.StrEnum):
    BTC = "BTC"
    SAT = "sat"


class AmountError(PaylightError, ValueError):
    """Text that is not an amount in the chosen unit."""


def format_amount(sats: int, unit: Unit = Unit.BTC, *, sign: bool = False) -> str:
    """``150000`` → ``0.00150000 BTC`` or ``150,000 sat``; ``sign`` shows + for gains."""
    prefix = "-" if sats < 0 else ("+" if sign and sats > 0 else "")
    value = abs(sats)
    if unit is Unit.SAT:
        return f"{prefix}{value:,} sat"
    whole, frac = divmod(value, COIN)
    return f"{prefix}{whole}.{frac:08d} BTC"


def parse_amount(text: str, unit: Unit) -> int:
    """Typed text → satoshis; BTC allows 8 decimals, sats are whole (``,`` and ``_`` ignored)."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        raise AmountError("Enter an amount.")
    if unit is Unit.SAT:
        if not cleaned.isdigit():
            raise AmountError(f"{text.strip()!r} is not a whole number of satoshis.")
        sats = int(cleaned)
        if sats <= 0:
            raise AmountError("The amount must be more than zero.")
        return sats
    try:
        return parse_btc_amount(cleaned)
    except UriError as exc:
        raise AmountError(str(exc)[0].upper() + str(exc)[1:] + ".") from None


def format_time(timestamp: int | None) -> str:
    if not timestamp:
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
