"""Amounts and times as the GUI shows them; amounts typed in BTC or sats, read exactly."""

from __future__ import annotations

import enum
import time

from wallet.errors import PaylightError
from wallet.payments.uri import COIN, UriError, parse_btc_amount
from wallet.sync.events import SyncStatus

_PHASE_LABELS = {
    "connecting": "Connecting",
    "headers": "Syncing headers",
    "history": "Fetching history",
    "proofs": "Verifying proofs",
    "idle": "Up to date",
}


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


def proof_summary(proven: int, mined: int) -> str:
    """``4 of 5 mined transactions proven``: the wallet's own count, as the balance cards."""
    if mined == 0:
        return "no mined transactions yet"
    noun = "transaction" if mined == 1 else "transactions"
    return f"{proven} of {mined} mined {noun} proven"


#: The longest status line shown; a longer engine message (the reasons every server was
#: dropped, say) is cut, and the whole of it is the line's tooltip.
STATUS_MAX = 150


def shorten(text: str, limit: int = STATUS_MAX) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis, if longer."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip(" :;,(") + "…"


def sync_line(status: SyncStatus, proven: int, mined: int) -> str:
    """The status line: the engine's phase, headers and servers, and the wallet's proofs.

    The proof figures are counted in the wallet (``proven``: confirmed, Merkle proof checked
    against our headers; ``mined``: those plus the unverified ones a server places in a
    block), not taken from :class:`SyncStatus`: its ``proofs_verified/proofs_total`` are
    running totals of one engine session (a transaction is counted once per address history
    it appears in, and a proof kept from an earlier sync is not counted as verified), so
    "4/6" could show while every mined transaction was proven.
    """
    if status.message or status.phase == "offline":
        return status.text()
    parts = []
    if status.header_height is not None:
        target = status.header_target
        shown = f"/{target:,}" if target is not None and target != status.header_height else ""
        parts.append(f"Headers {status.header_height:,}{shown}")
    parts.append(proof_summary(proven, mined))
    servers = status.servers_active
    parts.append(f"{servers} server{'s' if servers != 1 else ''}")
    phase = _PHASE_LABELS[status.phase]
    if status.phase == "idle" and servers == 0:
        phase = "No server left to ask"  # every one dropped: nothing is "up to date" now
    return f"{phase} · " + " · ".join(parts)
