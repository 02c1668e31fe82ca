"""Receive: a request form, then a large crisp QR of its BIP21 URI and the URI to copy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import PaymentRequest
from wallet.bitcoin import amount as money
from wallet.bitcoin.networks import Network
from wallet.errors import PaylightError
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount, number_locale
from wallet.gui.models import request_state_name
from wallet.gui.qr_view import QRView
from wallet.gui.theme import text_style
from wallet.gui.widgets import AmountEdit, CopyLine, VerticalScroll, heading, note
from wallet.payments.uri import make_uri

EXPIRY_CHOICES = (
    (QT_TRANSLATE_NOOP("ReceiveTab", "Never"), None),
    (QT_TRANSLATE_NOOP("ReceiveTab", "1 hour"), 3600),
    (QT_TRANSLATE_NOOP("ReceiveTab", "1 day"), 86_400),
    (QT_TRANSLATE_NOOP("ReceiveTab", "1 week"), 7 * 86_400),
)


def request_uri(request: PaymentRequest, network: Network) -> str:
    """The BIP21 URI of a stored request (empty label and message are left out)."""
    return make_uri(
        request.address,
        request.amount_sat,
        request.label or None,
        request.message or None,
        network=network,
    )


def request_fiat_text(request: PaymentRequest, rates: Any) -> str:
    """A request's amount in the local currency: the price it was asked at, with its locked
    rate; else its value at the current rate; "" without either."""
    price = request.price
    if price is not None:
        rate = price.rate
        return QCoreApplication.translate("ReceiveTab", "{amount} at {price} (rate locked)").format(
            amount=money.format_amount(price.amount, rate.currency, number_locale(), code=True),
            price=rates.price_text(rate),
        )
    if request.amount_sat is None:
        return ""
    return rates.fiat_text(request.amount_sat)


class ReceiveTab(QWidget):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-receive")
        self.controller = controller
        self.request: PaymentRequest | None = None

        self.amount = AmountEdit(unit=unit, rates=controller.rates)
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("Who pays, or what for (shown to the payer)"))
        self.message = QLineEdit()
        self.message.setPlaceholderText(self.tr("Optional note for the payer"))
        self.expiry = QComboBox()
        for text, seconds in EXPIRY_CHOICES:
            self.expiry.addItem(self.tr(text), seconds)
        self.expiry.setCurrentIndex(2)
        self.create_button = QPushButton(self.tr("Create request"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_request)
        for field in (self.amount.edit, self.label, self.message):
            field.returnPressed.connect(self.create_request)  # Enter makes the request
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))

        form = QFormLayout()
        form.addRow(self.tr("&Amount:"), self.amount)
        form.addRow(self.tr("&Label:"), self.label)
        form.addRow(self.tr("&Message:"), self.message)
        form.addRow(self.tr("&Expires after:"), self.expiry)
        left = QVBoxLayout()
        left.addWidget(heading(self.tr("Request a payment")))
        left.addLayout(form)
        left.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        left.addLayout(buttons)
        left.addWidget(
            note(
                self.tr(
                    "Leave the amount empty to let the payer choose. Each request gets a fresh "
                    "address, so payments can be told apart and your history stays private."
                )
            )
        )
        self.qr = QRView(minimum=300)
        self.summary = QLabel(self.tr("Fill in the form and create a request."))
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel()
        self.uri = CopyLine(wrap=True, name=self.tr("Payment link"))
        self.address = CopyLine(name=self.tr("Address"))
        # the link and address to copy go under the form, so the code gets the column's
        # whole height: at least 10 px per module on a 1366x768 laptop (a phone reads it
        # from a step away)
        uri_form = QFormLayout()
        uri_form.addRow(self.tr("Link:"), self.uri)
        uri_form.addRow(self.tr("Address:"), self.address)
        left.addSpacing(8)
        left.addWidget(self.state)
        left.addLayout(uri_form)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.qr, 1)
        right.addWidget(self.summary)

        form_side = QWidget()
        form_side.setObjectName("receive-form")
        form_side.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(24)
        layout.addWidget(VerticalScroll(form_side), 2)  # scrolls with large text: the code
        layout.addLayout(right, 3)  # keeps the height
        controller.changed.connect(self._refresh_state)

    def set_unit(self, unit: Unit) -> None:
        self.amount.set_unit(unit)
        if self.request is not None:
            self.show_request(self.request)

    def create_request(self) -> PaymentRequest | None:
        self.error.clear()
        try:
            price = self.amount.price()  # typed in the local currency: its rate locked now
            amount = price.sats if price is not None else self.amount.sats()
            request = self.controller.create_request(
                amount,
                self.label.text().strip(),
                self.message.text().strip(),
                self.expiry.currentData(),
                price=price,
            )
        except (PaylightError, ValueError) as exc:
            self.error.setText(str(exc))
            return None
        self.show_request(request)
        return request

    def show_request(self, request: PaymentRequest) -> None:
        self.request = request
        uri = request_uri(request, self.controller.network)
        self.qr.set_text(uri)
        self.uri.set_text(uri)
        self.address.set_text(request.address)
        amount = (
            self.tr("any amount")
            if request.amount_sat is None
            else format_amount(request.amount_sat, self.amount.unit)
        )
        who = f" · {request.label}" if request.label else ""
        fiat = request_fiat_text(request, self.controller.rates)
        self.summary.setText(f"<b>{amount}</b>{who}" + (f"<br>{fiat}" if fiat else ""))
        self._refresh_state()

    def _refresh_state(self) -> None:
        if self.request is None:
            return
        current = self.controller.db.payment_request(self.request.id)
        if current is not None:
            self.state.setText(
                self.tr("State: {state}").format(state=request_state_name(current.state))
            )
