"""The till's parts that are not the window: the scale its fonts and controls follow, the
keypad, the words for each state and policy reason, and the risk view read from the wallet's
own records (``wallet.gui.pos`` puts them together)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from wallet.account.database import RequestState, TxState
from wallet.bitcoin import amount as money
from wallet.gui.controller import WalletController
from wallet.gui.format import decimal_number, number, number_locale
from wallet.payments.requests import RequestStatus

#: the colour roles of the till's states (``wallet.gui.theme``: text_colour for text on the
#: window, fill_colour for a banner with white text), readable on any palette
GREEN, AMBER, RED, BLUE, GREY = "success", "warning", "error", "info", "muted"


def _tr(text: str) -> str:
    return QCoreApplication.translate("PosWindow", text)


def state_look(state: RequestState) -> tuple[str, str]:
    """The banner text and colour of a request state."""
    return {
        RequestState.WAITING: (
            QCoreApplication.translate("PosWindow", "Waiting for payment…"),
            BLUE,
        ),
        RequestState.SEEN: (QCoreApplication.translate("PosWindow", "Payment seen"), AMBER),
        RequestState.UNDERPAID: (QCoreApplication.translate("PosWindow", "Underpaid"), RED),
        RequestState.CONFIRMED: (QCoreApplication.translate("PosWindow", "Paid"), GREEN),
        RequestState.PAID: (QCoreApplication.translate("PosWindow", "Paid"), GREEN),
        RequestState.OVERPAID: (
            QCoreApplication.translate("PosWindow", "Paid — more than asked"),
            GREEN,
        ),
        RequestState.EXPIRED: (
            QCoreApplication.translate("PosWindow", "Expired — start a new sale"),
            GREY,
        ),
    }[state]


_CONFLICT_LIMIT = re.compile(
    r"looked for conflicts among (\d+) of (\d+) other transactions on the spent scripts"
)


def problem_text(problem: str) -> str:
    """A check the risk view could not make fully, in the person's language where it is
    one Paylight writes (its cap on the conflict search); else in the engine's own words."""
    limited = _CONFLICT_LIMIT.fullmatch(problem)
    if limited is None:
        return problem
    return QCoreApplication.translate(
        "PosWindow",
        "only {checked} of the {total} other payments to the same addresses were "
        "checked for a conflict",
    ).format(checked=number(int(limited[1])), total=number(int(limited[2])))


#: what the policy's reasons say, by code (``wallet.payments.risk.Reason``)
def reason_text(code: str, english: str) -> str:
    texts = {
        "off": QCoreApplication.translate(
            "PosWindow", "this till waits for a block for every payment"
        ),
        "over-limit": QCoreApplication.translate(
            "PosWindow", "the amount is above what this till hands over before a block"
        ),
        "no-view": QCoreApplication.translate(
            "PosWindow", "the servers have not been asked about it yet"
        ),
        "conflict": QCoreApplication.translate(
            "PosWindow", "another transaction spends the same coins"
        ),
        "rbf": QCoreApplication.translate(
            "PosWindow", "it signals replace-by-fee: the payer can still replace it"
        ),
        "fee-unknown": QCoreApplication.translate("PosWindow", "its fee is unknown"),
        "no-estimate": QCoreApplication.translate(
            "PosWindow", "there is no next-block fee estimate to compare with"
        ),
        "low-fee": QCoreApplication.translate(
            "PosWindow", "its fee is below the next-block estimate"
        ),
        "parents": QCoreApplication.translate(
            "PosWindow", "it spends coins that are not in a block yet"
        ),
        "no-servers": QCoreApplication.translate(
            "PosWindow", "no server could be asked whether it has it"
        ),
        "not-everywhere": QCoreApplication.translate("PosWindow", "not every server has it"),
    }
    if code == "unchecked" and ": " in english:  # the engine's own words follow the colon
        detail = english.split(": ", 1)[1]
        detail = problem_text(detail)
        return QCoreApplication.translate(
            "PosWindow", "not every check could be made: {detail}"
        ).format(detail=detail)
    return texts.get(code, english)


def risk_view_lines(view: Any) -> list[RiskLine]:
    """What the servers said of one unconfirmed payment (``wallet.payments.risk.RiskView``),
    a fact a line in the person's language (its notes, the engine's own words, stay as
    they came); the concerns are the ``warn`` lines."""

    lines = [
        RiskLine(
            QCoreApplication.translate("PosWindow", "transaction {txid}…").format(
                txid=view.txid_hex[:16]
            )
        )
    ]
    if view.confirmed_height is not None:
        lines.append(
            RiskLine(
                QCoreApplication.translate(
                    "PosWindow", "a server says it is in block {height}: no longer unconfirmed"
                ).format(height=number(view.confirmed_height))
            )
        )
    if view.rbf:
        lines.append(
            RiskLine(
                QCoreApplication.translate(
                    "PosWindow", "RBF (replace-by-fee) signalled: the payer can replace it"
                ),
                True,
            )
        )
    else:
        lines.append(
            RiskLine(QCoreApplication.translate("PosWindow", "RBF (replace-by-fee) not signalled"))
        )
    if view.fee_rate is None:
        lines.append(
            RiskLine(
                QCoreApplication.translate(
                    "PosWindow", "fee unknown (a spent coin could not be fetched)"
                ),
                True,
            )
        )
    else:
        fee = QCoreApplication.translate("PosWindow", "fee {fee} sat, {rate} sat/vB").format(
            fee=number(view.fee), rate=decimal_number(view.fee_rate, 2)
        )
        if view.next_block_rate is not None:
            compare = (
                QCoreApplication.translate("PosWindow", "below the next-block estimate of {rate}")
                if view.below_next_block
                else QCoreApplication.translate(
                    "PosWindow", "at or above the next-block estimate of {rate}"
                )
            )
            estimate = f"{decimal_number(view.next_block_rate.sat_per_vb, 2)} sat/vB"
            fee += " (" + compare.format(rate=estimate) + ")"
        lines.append(RiskLine(fee, bool(view.below_next_block)))
    if view.unconfirmed_parents:
        lines.append(
            RiskLine(
                QCoreApplication.translate(
                    "PosWindow", "{n} unconfirmed parent(s): it cannot confirm before them"
                ).format(n=len(view.unconfirmed_parents)),
                True,
            )
        )
    else:
        lines.append(RiskLine(QCoreApplication.translate("PosWindow", "parents: all in blocks")))
    if view.servers_asked:
        lines.append(
            RiskLine(
                QCoreApplication.translate("PosWindow", "seen by {seen} of {asked} servers").format(
                    seen=len(view.seen_by), asked=view.servers_asked
                ),
                len(view.seen_by) < view.servers_asked,
            )
        )
    for conflict in view.conflicts:
        lines.append(
            RiskLine(
                QCoreApplication.translate(
                    "PosWindow", "another transaction, {txid}…, spends the same coins"
                ).format(txid=conflict.txid_hex[:16]),
                True,
            )
        )
    if not view.conflicts:
        lines.append(
            RiskLine(QCoreApplication.translate("PosWindow", "no conflicting payment seen"))
        )
    lines += [RiskLine(problem_text(problem)) for problem in view.problems]
    return lines


@dataclass(frozen=True)
class RiskLine:
    """One fact about an unconfirmed payment; ``warn`` lines are shown in amber."""

    text: str
    warn: bool = False


def risk_lines(controller: WalletController, status: RequestStatus) -> list[RiskLine]:
    """What the wallet itself knows about the payments not yet confirmed.

    Replace-by-fee, unconfirmed parents, replacements and double spends are read from the
    wallet's own records; the fee against the next-block estimate needs the payer's input
    values, which the wallet only has for coins of its own.
    """
    lines: list[RiskLine] = []
    conflicts = {t for txids in controller.db.conflicts().values() for t in txids}
    for txid in status.counted:
        record = controller.transaction(txid)
        if record is None or record.state is TxState.CONFIRMED:
            continue
        tx = record.transaction()
        short = record.txid_hex[:16] + "…"
        if record.state is TxState.UNVERIFIED:
            lines.append(
                RiskLine(
                    QCoreApplication.translate(
                        "PosWindow",
                        "{txid}: the server says it is in block {height}; proof being checked",
                    ).format(txid=short, height=number(record.height))
                )
            )
            continue
        if tx.signals_rbf():
            lines.append(
                RiskLine(
                    QCoreApplication.translate(
                        "PosWindow", "{txid} signals replace-by-fee: the payer can still replace it"
                    ).format(txid=short),
                    True,
                )
            )
        else:
            lines.append(
                RiskLine(
                    QCoreApplication.translate(
                        "PosWindow", "{txid} does not signal replace-by-fee"
                    ).format(txid=short)
                )
            )
        parents = []
        for txin in tx.inputs:
            parent = controller.transaction(txin.prevout.txid)
            if parent is not None and parent.state is TxState.UNCONFIRMED:
                parents.append(parent)
        if parents:
            lines.append(
                RiskLine(
                    QCoreApplication.translate(
                        "PosWindow", "spends {n} unconfirmed parent(s)"
                    ).format(n=len(parents)),
                    True,
                )
            )
        if txid in conflicts:
            lines.append(
                RiskLine(
                    QCoreApplication.translate(
                        "PosWindow", "another transaction spends the same coins"
                    ),
                    True,
                )
            )
        lines.append(
            RiskLine(
                QCoreApplication.translate("PosWindow", "{vsize} vB · first seen {time}").format(
                    vsize=tx.vsize(), time=time.strftime("%H:%M:%S")
                )
            )
        )
    for txid in status.replaced:
        lines.append(
            RiskLine(
                QCoreApplication.translate("PosWindow", "{txid}… was replaced by the payer").format(
                    txid=txid[::-1].hex()[:16]
                ),
                True,
            )
        )
    return lines


#: The size the till's fonts and controls are designed at; they scale with the window from it.
DESIGN_SIZE = (1100, 720)
SCALE_RANGE = (0.75, 2.0)
_POINTS = "pos_points"  # a widget's font size at the design size
_MIN_W, _MIN_H = "pos_min_width", "pos_min_height"


def _big(widget: QWidget, points: float | None = None, bold: bool = True) -> None:
    """Give ``widget`` a font of ``points`` (its own size if None) that scales with the till."""
    font = QFont(widget.font())
    if points is None:
        points = font.pointSizeF()
    else:
        font.setPointSizeF(points)
        font.setBold(bold)
    widget.setFont(font)
    widget.setProperty(_POINTS, float(points))


def _minimum(widget: QWidget, width: int = 0, height: int = 0) -> None:
    """A minimum size at the design size, scaled with the till."""
    widget.setProperty(_MIN_W, width)
    widget.setProperty(_MIN_H, height)
    widget.setMinimumSize(width, height)


def till_scale(width: int, height: int) -> float:
    """How much larger than at :data:`DESIGN_SIZE` the till draws in a ``width`` x ``height``
    window (both sides must fit), within :data:`SCALE_RANGE`."""
    w, h = DESIGN_SIZE
    low, high = SCALE_RANGE
    return max(low, min(high, min(width / w, height / h)))


def spoken_amount(minor: int, unit: money.Unit) -> str:
    """An amount as a speech engine should read it: no trailing zero decimals, no digit
    groups, the currency's name in the UI's language when it is the locale's own."""
    number = money.format_amount(minor, unit, number_locale(), trim=True, group=False)
    locale = QLocale()
    if locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) == unit.code:
        name = locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyDisplayName)
    elif unit.is_bitcoin:
        name = "bitcoin" if unit.code == "BTC" else "sats"
    else:
        name = unit.code
    return f"{number} {name}"


class Keypad(QWidget):
    """Digits, the decimal mark and back as large buttons, each reachable with Tab."""

    key = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        rows = ("789", "456", "123", ".0⌫")
        for r, row in enumerate(rows):
            for c, label in enumerate(row):
                # the decimal key shows the person's mark ("," in Spanish) and types "."
                shown = number_locale().decimal if label == "." else label
                button = QPushButton(shown)
                button.setObjectName(f"key-{label}")
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                if label == "⌫":
                    button.setAccessibleName(self.tr("Delete the last digit"))
                elif label == ".":
                    button.setAccessibleName(self.tr("Decimal mark"))
                _minimum(button, 96, 64)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                _big(button, 26)
                button.clicked.connect(lambda _c=False, k=label: self.key.emit(k))
                grid.addWidget(button, r, c)
                self.buttons[label] = button
