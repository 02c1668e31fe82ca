"""Send: pay to an address or a URI (typed, pasted or scanned), review, then the password."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import OutputRecord
from wallet.bitcoin.address import parse_address
from wallet.bitcoin.amount import FeeRate
from wallet.errors import PaylightError
from wallet.gui.controller import PaymentDraft, PaymentPlan, WalletController
from wallet.gui.format import Unit, format_amount
from wallet.gui.theme import text_style
from wallet.gui.widgets import AmountEdit, heading, monospace, note, show_message
from wallet.gui.workers import error_text
from wallet.payments.qr_payload import PayloadKind, classify
from wallet.payments.uri import parse_uri


@dataclass(frozen=True)
class Recipient:
    address: str
    amount_sat: int | None = None
    label: str | None = None
    message: str | None = None


def read_recipient(text: str, network: str) -> Recipient:
    """An address or a ``bitcoin:`` URI → who to pay; PaylightError naming what is wrong."""
    text = text.strip()
    if not text:
        raise PaylightError("Enter an address or a bitcoin: payment link.")
    kind = classify(text)
    if kind is PayloadKind.BITCOIN_URI:
        uri = parse_uri(text, network)
        return Recipient(uri.payable_address(network), uri.amount_sat, uri.label, uri.message)
    if kind is PayloadKind.LIGHTNING:
        raise PaylightError("This is a Lightning invoice; Paylight pays on-chain only.")
    if kind is PayloadKind.PSBT:
        raise PaylightError("This is a PSBT, not a payment address.")
    return Recipient(parse_address(text, network).address)


class SendTab(QWidget):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-send")
        self.controller = controller
        self.recipient: Recipient | None = None
        self.coins: list[OutputRecord] = []
        self.scanner_dialog: QDialog | None = None

        self.pay_to = QLineEdit()
        self.pay_to.setAccessibleName(self.tr("Pay to"))
        self.pay_to.setPlaceholderText("Address or bitcoin: payment link")
        self.pay_to.setFont(monospace())
        self.pay_to.textChanged.connect(self._pay_to_changed)
        self.paste_button = QPushButton("Paste")
        self.paste_button.clicked.connect(self.paste)
        self.scan_button = QPushButton("Scan…")
        self.scan_button.setToolTip("Scan a QR code with a camera, or from an image or the screen")
        self.scan_button.clicked.connect(self.open_scanner)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.pay_to, 1)
        pay_row.addWidget(self.paste_button)
        pay_row.addWidget(self.scan_button)
        self.pay_to_info = QLabel()
        self.pay_to_info.setWordWrap(True)

        self.amount = AmountEdit(unit=unit)
        self.amount.setMaximumWidth(360)
        self.fee_rate = QDoubleSpinBox()
        self.fee_rate.setAccessibleName(self.tr("Fee rate"))
        self.fee_rate.setDecimals(1)
        self.fee_rate.setRange(1.0, 1000.0)
        self.fee_rate.setValue(2.0)
        self.fee_rate.setSuffix(" sat/vB")
        self.fee_estimate = QLabel("No estimate: not connected to a server.")
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.fee_rate)
        fee_row.addWidget(self.fee_estimate, 1)

        self.coins_line = QLabel()
        self.clear_coins_button = QPushButton("Choose automatically")
        self.clear_coins_button.clicked.connect(lambda: self.set_coins([]))
        coins_row = QHBoxLayout()
        coins_row.addWidget(self.coins_line, 1)
        coins_row.addWidget(self.clear_coins_button)

        # the summary under the field, in one row: a wrapped label in a row of its own gets
        # QFormLayout's height for its narrowest width (a blank band under "Pay to")
        pay_box = QVBoxLayout()
        pay_box.setSpacing(4)
        pay_box.addLayout(pay_row)
        pay_box.addWidget(self.pay_to_info)
        form = QFormLayout()
        form.addRow("Pay to:", pay_box)
        form.addRow("Amount:", self.amount)
        form.addRow("Fee rate:", fee_row)
        form.addRow("Coins:", coins_row)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))
        self.review_button = QPushButton("Review payment…")
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self.review)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.review_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.addWidget(heading("Send a payment"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(
            note(
                "Nothing is sent until you have reviewed the address, the amount, the fee and "
                "the change, and entered your password."
            )
        )
        layout.addStretch(1)
        if controller.is_watch_only:
            self.review_button.setToolTip("A watch-only wallet cannot sign payments.")
        self.set_coins([])
        controller.fee_estimate(6, self._estimate_arrived)

    # -- the recipient -------------------------------------------------------------------------

    def paste(self) -> None:
        self.pay_to.setText(QGuiApplication.clipboard().text().strip())

    def _pay_to_changed(self, text: str) -> None:
        self.recipient = None
        if not text.strip():
            self.pay_to_info.clear()
            return
        try:
            recipient = read_recipient(text, self.controller.network)
        except PaylightError as exc:
            self.pay_to_info.setStyleSheet(text_style("error"))
            self.pay_to_info.setText(str(exc))
            return
        self.recipient = recipient
        parts = [f"Pays {recipient.address}"]
        if recipient.label:
            parts.append(f"to “{recipient.label}”")
        if recipient.amount_sat is not None:
            parts.append(f"· asks for {format_amount(recipient.amount_sat, self.amount.unit)}")
            self.amount.set_sats(recipient.amount_sat)
        if recipient.message:
            parts.append(f"· “{recipient.message}”")
        self.pay_to_info.setStyleSheet(text_style("success"))
        self.pay_to_info.setText(" ".join(parts))

    def open_scanner(self) -> QDialog:
        """The scanner widget in a dialog; the first payment code it reads fills Pay to."""
        from wallet.gui.scanner.widget import ScannerWidget

        dialog = QDialog(self)
        dialog.setObjectName("scan-dialog")
        dialog.setWindowTitle("Scan a payment QR code")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        scanner = ScannerWidget(dialog, autostart=True)
        layout = QVBoxLayout(dialog)
        layout.addWidget(scanner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)

        def scanned(text: str) -> None:
            if classify(text) in (PayloadKind.BITCOIN_URI, PayloadKind.ADDRESS):
                self.pay_to.setText(text)
                dialog.accept()

        scanner.decoded.connect(scanned)
        dialog.finished.connect(lambda _r: scanner.shutdown())
        dialog.resize(760, 620)
        dialog.open()
        self.scanner_dialog = dialog
        return dialog

    # -- coins and fee ---------------------------------------------------------------------------

    def set_coins(self, coins: list[OutputRecord]) -> None:
        self.coins = list(coins)
        if not self.coins:
            self.coins_line.setText("Chosen automatically (frozen coins are left out)")
            self.clear_coins_button.hide()
        else:
            total = sum(c.value for c in self.coins)
            self.coins_line.setText(
                f"Only from {len(self.coins)} chosen coin{'s' * (len(self.coins) != 1)} "
                f"({format_amount(total, self.amount.unit)})"
            )
            self.clear_coins_button.show()

    def _estimate_arrived(self, rate: FeeRate | None) -> None:
        if rate is None:
            return
        self.fee_estimate.setText(f"Estimate for about an hour (6 blocks): {rate}")
        self.fee_rate.setValue(float(rate.sat_per_vb))

    def set_unit(self, unit: Unit) -> None:
        self.amount.unit_box.setCurrentIndex(list(Unit).index(unit))
        self.set_coins(self.coins)

    # -- review ---------------------------------------------------------------------------------

    def draft(self) -> PaymentDraft:
        if self.recipient is None:
            read_recipient(self.pay_to.text(), self.controller.network)  # raises the reason
        assert self.recipient is not None
        amount = self.amount.sats()
        if amount is None:
            raise PaylightError("Enter the amount to send.")
        rate = FeeRate.from_sat_per_vb(Decimal(str(round(self.fee_rate.value(), 1))))
        return PaymentDraft(
            self.recipient.address,
            amount,
            rate,
            tuple(c.outpoint for c in self.coins),
            self.recipient.label or "",
        )

    def review(self) -> None:
        self.error.clear()
        if self.controller.is_watch_only:
            self.error.setText("This wallet is watch-only: it holds no keys to sign with.")
            return
        try:
            draft = self.draft()
        except (PaylightError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        self.review_button.setEnabled(False)

        def planned(plan: PaymentPlan) -> None:
            self.review_button.setEnabled(True)
            ReviewDialog(self.controller, plan, self.amount.unit, self).open()

        def failed(exc: BaseException) -> None:
            self.review_button.setEnabled(True)
            self.error.setText(error_text(exc))

        self.controller.plan_payment(draft, planned, failed)

    def clear(self) -> None:
        self.pay_to.clear()
        self.amount.set_sats(None)
        self.error.clear()
        self.set_coins([])


class ReviewDialog(QDialog):
    """Everything the payment does, shown before the password is asked for."""

    def __init__(
        self, controller: WalletController, plan: PaymentPlan, unit: Unit, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("review-dialog")
        self.setWindowTitle("Review payment")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.controller = controller
        self.plan = plan
        self.txid: str | None = None
        form = QFormLayout()
        address = QLabel(plan.address)
        address.setFont(monospace())
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Pay to:", address)
        form.addRow("Amount:", QLabel(f"<b>{format_amount(plan.amount_sat, unit)}</b>"))
        rate = Decimal(plan.fee_sat) / plan.vsize if plan.vsize else Decimal(0)
        form.addRow(
            "Fee:",
            QLabel(f"{format_amount(plan.fee_sat, unit)} ({rate:.1f} sat/vB, {plan.vsize} vB)"),
        )
        change = format_amount(plan.change_sat, unit) if plan.change_sat else "none"
        if plan.change_address:
            change += f" → {plan.change_address}"
        form.addRow("Change:", QLabel(change))
        form.addRow("Total spent:", QLabel(f"<b>{format_amount(plan.total_sat, unit)}</b>"))
        coins = len(plan.inputs)
        form.addRow("From coins:", QLabel(f"{coins} coin{'s' * (coins != 1)}"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Wallet password")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            "Sign and send", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Check this payment", 2))
        layout.addLayout(form)
        for warning in plan.warnings:
            label = QLabel(f"⚠ {warning}")
            label.setWordWrap(True)
            label.setStyleSheet(text_style("warning"))
            layout.addWidget(label)
        layout.addWidget(QLabel("Password to sign:"))
        layout.addWidget(self.password)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        if not controller.can_broadcast():
            why = (
                "This wallet is watch-only: it cannot sign."
                if controller.is_watch_only
                else "Sending needs the sync engine (to broadcast), and this window is not "
                "connected to it. The payment above is built but will not be sent."
            )
            self.status.setText(why)
            self.password.setEnabled(False)
            self.send_button.setEnabled(False)
            self.send_button.setToolTip(why)

    def send(self) -> None:
        self.send_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Signing…")

        def sent(txid: str) -> None:
            self.txid = txid
            show_message(
                self.parentWidget(),
                "Payment sent",
                f"Broadcast as {txid}.",
            )
            self.accept()

        def failed(exc: BaseException) -> None:
            self.send_button.setEnabled(True)
            self.status.setStyleSheet(text_style("error"))
            self.status.setText(error_text(exc))

        self.controller.sign_and_broadcast(self.plan, self.password.text(), sent, failed)
