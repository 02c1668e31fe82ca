"""Amounts, numbers and times as the GUI shows them, in the person's locale (``QLocale``);
amounts typed in BTC or sats read exactly (``wallet.bitcoin.amount``)."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLocale

from wallet.bitcoin import amount
from wallet.sync.events import SyncStatus

_PHASE_LABELS = {
    "connecting": QT_TRANSLATE_NOOP("Format", "Connecting"),
    "headers": QT_TRANSLATE_NOOP("Format", "Syncing headers"),
    "history": QT_TRANSLATE_NOOP("Format", "Fetching history"),
    "proofs": QT_TRANSLATE_NOOP("Format", "Verifying proofs"),
    "idle": QT_TRANSLATE_NOOP("Format", "Up to date"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Format", text)


def number(n: int) -> str:
    """A count as the person's locale writes it (``1,234``; ``1.234`` in Spanish)."""
    return (_qlocale or QLocale()).toString(n)


def decimal_number(value: Decimal | float, places: int) -> str:
    """A measure such as a fee rate in sat/vB with ``places`` decimals, as the person's locale
    writes it (``2.01``; ``2,01`` in Spanish)."""
    return (_qlocale or QLocale()).toString(float(value), "f", places)


class Unit(enum.StrEnum):
    """The units the GUI offers (a setting stores the value)."""

    BTC = "BTC"
    SAT = "sat"

    @property
    def amount_unit(self) -> amount.Unit:
        return amount.BTC if self is Unit.BTC else amount.SAT


def _unit(unit: Unit | str) -> amount.Unit:
    # compared as text: a combo box's data comes back as the plain string (and hashing a
    # StrEnum runs Python code; this is called for every amount in every table)
    return amount.SAT if unit == "sat" else amount.BTC


_locale: amount.NumberLocale | None = None
#: the QLocale read last (numbers, dates), and the moments formatted in it
_qlocale: QLocale | None = None
_times: dict[int, str] = {}
_TIMES_KEPT = 50_000
#: the tables' formatters in the locale read last (BTC, sat): called for every cell
_shown: tuple[Callable[[int, bool], str], Callable[[int, bool], str]] | None = None


def number_locale() -> amount.NumberLocale:
    """How the person writes numbers (``QLocale``'s decimal mark and digit groups), read once:
    :func:`read_system_locale` reads it again when a main window opens."""
    return _locale if _locale is not None else read_system_locale()


def read_system_locale() -> amount.NumberLocale:
    global _locale, _shown, _qlocale
    qt = QLocale()
    _qlocale = qt
    _times.clear()
    try:
        locale = amount.NumberLocale(qt.decimalPoint(), qt.groupSeparator())
    except amount.AmountError:  # a locale we cannot read numbers in: the C locale's marks
        locale = amount.C_LOCALE
    _shown = (
        amount.formatter(amount.BTC, locale, code=True),
        amount.formatter(amount.SAT, locale, code=True),
    )
    _locale = locale
    return locale


def format_amount(sats: int, unit: Unit = Unit.BTC, *, sign: bool = False) -> str:
    """``150000`` -> ``0.00150000 BTC`` or ``150,000 sat`` in the person's locale; ``sign``
    shows + for gains."""
    shown = _shown
    if shown is None:
        read_system_locale()
        shown = _shown
        assert shown is not None
    return shown[1](sats, sign) if unit == "sat" else shown[0](sats, sign)


def edit_text(sats: int, unit: Unit | amount.Unit) -> str:
    """An amount as put into a field to edit: the locale's decimal mark, no digit groups."""
    shown = unit if isinstance(unit, amount.Unit) else _unit(unit)
    return amount.format_amount(sats, shown, number_locale(), group=False)


def keypad_text(sats: int, unit: Unit | amount.Unit) -> str:
    """An amount as the till's keypad types it: digits and a dot (the machine form)."""
    shown = unit if isinstance(unit, amount.Unit) else _unit(unit)
    return amount.format_amount(sats, shown)


def parse_amount(
    text: str, unit: Unit | amount.Unit, *, typed_on_keypad: bool = False
) -> int:
    """What a person typed -> satoshis (or a fiat currency's minor units, for a fiat
    ``amount.Unit``), exactly (``wallet.bitcoin.amount``: "0,5" is half a bitcoin, "1,000" is
    refused as ambiguous). ``typed_on_keypad``: the till's keypad text, digits and a dot only,
    read as such."""
    locale = None if typed_on_keypad else number_locale()
    if not text.strip():
        raise amount.AmountError(QCoreApplication.translate("Format", "Enter an amount."))
    shown = unit if isinstance(unit, amount.Unit) else _unit(unit)
    try:
        return amount.parse_amount(text, shown, locale)
    except amount.AmountError as exc:
        raise amount.AmountError(_sentence(str(exc))) from None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def format_time(timestamp: int | None) -> str:
    """A moment in local time, as the person's locale writes a short date and time.

    Tables show one per row and are refilled on every sync step (on the reader thread), so
    each moment is formatted once per locale (Qt's date formatting costs microseconds)."""
    if not timestamp:
        return ""
    shown = _times.get(timestamp)
    if shown is None:
        moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
        locale = _qlocale or QLocale()
        if locale.language() == QLocale.Language.C:  # no locale set: ISO 8601, not "14 11 2023"
            shown = moment.toString("yyyy-MM-dd HH:mm")
        else:
            shown = locale.toString(moment, QLocale.FormatType.ShortFormat)
        if len(_times) >= _TIMES_KEPT:
            _times.clear()
        _times[timestamp] = shown
    return shown


def proof_summary(proven: int, mined: int) -> str:
    """``4 of 5 mined transactions proven``: the wallet's own count, as the balance cards."""
    if mined == 0:
        return QCoreApplication.translate("Format", "no mined transactions yet")
    if mined == 1:
        return QCoreApplication.translate(
            "Format", "{proven} of 1 mined transaction proven"
        ).format(proven=number(proven))
    return QCoreApplication.translate(
        "Format", "{proven} of {mined} mined transactions proven"
    ).format(proven=number(proven), mined=number(mined))


def servers_text(count: int, kind: str = "server") -> str:
    """How many sources answer: servers, the network's peers (``kind="peer"``), or nodes
    (the user's Bitcoin Core, ``kind="node"``)."""
    if kind == "peer":
        if count == 1:
            return QCoreApplication.translate("Format", "1 peer")
        return QCoreApplication.translate("Format", "{n} peers").format(n=number(count))
    if kind == "node":
        if count == 1:
            return QCoreApplication.translate("Format", "1 node")
        return QCoreApplication.translate("Format", "{n} nodes").format(n=number(count))
    if count == 1:
        return QCoreApplication.translate("Format", "1 server")
    return QCoreApplication.translate("Format", "{n} servers").format(n=number(count))


#: Messages the sync layer (English, as for the command line) writes into a status, and the
#: sentence each becomes on screen; what they quote (a server's or the system's words) is kept.
_ENGINE_MESSAGES = (
    (re.compile(r"Sync failed: (.*)", re.S), QT_TRANSLATE_NOOP("Format", "Sync failed: {0}")),
    (
        re.compile(r"Offline: (.*)\. Retrying in (\d+) s\.", re.S),
        QT_TRANSLATE_NOOP("Format", "Offline: {0}. Retrying in {1} s."),
    ),
    (re.compile(r"Not syncing: (.*)", re.S), QT_TRANSLATE_NOOP("Format", "Not syncing: {0}")),
)


def engine_message(message: str) -> str:
    """A status message from the sync engine in the person's language (its quoted detail, a
    server's or the system's own words, stays as it came)."""
    whole = _tr(message)  # one of the GUI's own (connecting, no engine attached...)
    if whole != message:
        return whole
    for pattern, sentence in _ENGINE_MESSAGES:
        match = pattern.fullmatch(message)
        if match is not None:
            return _tr(sentence).format(*match.groups())
    return message


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


def sync_line(status: SyncStatus, proven: int, mined: int, kind: str = "server") -> str:
    """The status line: the engine's phase, headers and servers, and the wallet's proofs.

    The proof figures are counted in the wallet (``proven``: confirmed, Merkle proof checked
    against our headers; ``mined``: those plus the unverified ones a server places in a
    block), not taken from :class:`SyncStatus`: its ``proofs_verified/proofs_total`` are
    running totals of one engine session (a transaction is counted once per address history
    it appears in, and a proof kept from an earlier sync is not counted as verified), so
    "4/6" could show while every mined transaction was proven. ``kind``: what the engine
    counts (:func:`servers_text`).
    """
    if status.message:
        return engine_message(status.message)
    if status.phase == "offline":
        return QCoreApplication.translate("Format", "Offline: no server is reachable")
    parts = []
    if status.header_height is not None:
        target = status.header_target
        shown = number(status.header_height)
        if target is not None and target != status.header_height:
            shown += f"/{number(target)}"
        parts.append(QCoreApplication.translate("Format", "Headers {height}").format(height=shown))
    parts.append(proof_summary(proven, mined))
    servers = status.servers_active
    parts.append(servers_text(servers, kind))
    phase = _tr(_PHASE_LABELS[status.phase])
    if status.phase == "idle" and servers == 0:  # every one dropped: nothing is up to date
        if kind == "peer":
            phase = QCoreApplication.translate("Format", "No peer left to ask")
        else:
            phase = QCoreApplication.translate("Format", "No server left to ask")
    return f"{phase} · " + " · ".join(parts)
