"""After a payment is sent: a big ✓ with what was sent, to whom, and the fee -- over the whole
Send tab, until Done. The transaction ID is there to copy, not the headline."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wallet.gui.format import Unit, format_amount
from wallet.gui.theme import text_style
from wallet.gui.widgets import CopyLine, note


class SentPage(QWidget):
    done = Signal()

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("send-sent")
        self.controller = controller
        self.mark = QLabel("✓")
        self.mark.setObjectName("sent-mark")
        self.mark.setStyleSheet(text_style("success"))
        self.title = QLabel(self.tr("Sent"))
        self.amount = QLabel()
        self.amount.setObjectName("sent-amount")
        self.fiat = QLabel()
        self.payee = QLabel()
        self.payee.setObjectName("sent-payee")
        self.payee.setWordWrap(True)
        self.fee = QLabel()
        self.fee.setObjectName("sent-fee")
        for label, points, bold in (
            (self.mark, 72, True),
            (self.title, 26, True),
            (self.amount, 22, True),
            (self.fiat, 14, False),
            (self.payee, 14, False),
            (self.fee, 12, False),
        ):
            font = QFont(label.font())
            font.setPointSize(points)
            font.setBold(bold)
            label.setFont(font)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.txid = CopyLine()
        self.txid.button.setText(self.tr("Copy transaction ID"))
        self.txid.setMaximumWidth(760)
        self.explain = note(
            self.tr(
                "Every server has it. It counts as paid once it is in a block; History shows "
                "when, with its Merkle proof checked here."
            )
        )
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("sent-done")
        self.done_button.setDefault(True)
        self.done_button.setMinimumHeight(44)
        self.done_button.setMinimumWidth(200)
        self.done_button.clicked.connect(self.done)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        txid_row = QHBoxLayout()
        txid_row.addStretch(1)
        txid_row.addWidget(self.txid, 4)
        txid_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        for widget in (self.mark, self.title, self.amount, self.fiat, self.payee, self.fee):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addLayout(txid_row)
        layout.addWidget(self.explain)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_payment(self, plan: Any, txid: str, label: str | None, unit: Unit) -> None:
        """``plan`` (a ``PaymentPlan``) sent as ``txid``; ``label``: the payee's name."""
        rates = self.controller.rates
        self.amount.setText(format_amount(plan.amount_sat, unit))
        self.fiat.setText(rates.fiat_text(plan.amount_sat))
        self.fiat.setVisible(bool(self.fiat.text()))
        if label:
            self.payee.setText(
                self.tr("to <b>{name}</b><br>{address}").format(
                    name=escape(label), address=plan.address
                )
            )
        else:
            self.payee.setText(self.tr("to {address}").format(address=plan.address))
        fee = format_amount(plan.fee_sat, unit)
        fiat_fee = rates.fiat_text(plan.fee_sat)
        self.fee.setText(
            self.tr("Fee: {fee}").format(fee=fee + (f" ({fiat_fee})" if fiat_fee else ""))
        )
        self.txid.set_text(txid)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.done.emit()
            return
        super().keyPressEvent(event)
