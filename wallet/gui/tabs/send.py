"""Send: pay to an address or a URI (typed, pasted or scanned), review, then the password."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import OutputRecord
from wallet.bitcoin.address import parse_address
from wallet.bitcoin.networks import Network
from wallet.errors import PaylightError
from wallet.gui import glossary
from wallet.gui.controller import PaymentDraft, PaymentPlan, WalletController
from wallet.gui.fee_choice import FeeChoice
from wallet.gui.format import Unit, format_amount, format_time
from wallet.gui.theme import text_style
from wallet.gui.widgets import AmountEdit, heading, monospace, note, show_message, with_detail
from wallet.gui.workers import error_text
from wallet.payments.qr_payload import PayloadKind, classify
from wallet.payments.uri import parse_uri

if TYPE_CHECKING:
    from wallet.gui.sent_page import SentPage


@dataclass(frozen=True)
class Recipient:
    address: str
    amount_sat: int | None = None
    label: str | None = None
    message: str | None = None


def read_recipient(text: str, network: Network) -> Recipient:
    """An address or a ``bitcoin:`` URI → who to pay; PaylightError naming what is wrong."""
    text = text.strip()
    translate = QCoreApplication.translate
    if not text:
        raise PaylightError(translate("SendTab", "Enter an address or a bitcoin: payment link."))
    kind = classify(text)
    if kind is PayloadKind.LIGHTNING:
        raise PaylightError(
            translate("SendTab", "This is a Lightning invoice; Paylight pays on-chain only.")
        )
    if kind is PayloadKind.PSBT:
        raise PaylightError(translate("SendTab", "This is a PSBT, not a payment address."))
    try:
        if kind is PayloadKind.BITCOIN_URI:
            uri = parse_uri(text, network)
            address = uri.payable_address(network)
            return Recipient(address, uri.amount_sat, uri.label, uri.message)
        return Recipient(parse_address(text, network).address)
    except PaylightError as exc:  # the parser's own sentence, in small print
        sentence = translate(
            "SendTab", "This is not a bitcoin address or payment link Paylight can pay."
        )
        raise PaylightError(with_detail(sentence, str(exc))) from None


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
        self.pay_to.setPlaceholderText(self.tr("Address or bitcoin: payment link"))
        self.pay_to.setFont(monospace())
        self.pay_to.textChanged.connect(self._pay_to_changed)
        self.paste_button = QPushButton(self.tr("Paste"))
        self.paste_button.clicked.connect(self.paste)
        self.scan_button = QPushButton(self.tr("Scan…"))
        self.scan_button.setToolTip(
            self.tr("Scan a QR code with a camera, or from an image or the screen")
        )
        self.scan_button.clicked.connect(self.open_scanner)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.pay_to, 1)
        pay_row.addWidget(self.paste_button)
        pay_row.addWidget(self.scan_button)
        self.pay_to_info = QLabel()
        self.pay_to_info.setWordWrap(True)

        self.amount = AmountEdit(unit=unit, rates=controller.rates)
        self.amount.setMaximumWidth(520)
        self.amount.edit.returnPressed.connect(self.review)
        self.pay_to.returnPressed.connect(self.review)
        #: Slow / Normal / Fast with time and cost, a custom rate behind them
        self.fees = FeeChoice(controller, unit)
        self.fee_rate = self.fees.custom  # the custom rate's field

        self.coins_line = QLabel()
        self.clear_coins_button = QPushButton(self.tr("Choose automatically"))
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
        form.addRow(self.tr("Pay to:"), pay_box)
        form.addRow(self.tr("&Amount:"), self.amount)
        fee_label = QLabel(self.tr("Fee:") + " " + glossary.link("fee-rate"))
        fee_label.setTextFormat(Qt.TextFormat.RichText)
        fee_label.linkActivated.connect(lambda href: glossary.open_link(self, href))
        form.addRow(fee_label, self.fees)
        form.addRow(self.tr("Coins:"), coins_row)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))
        self.review_button = QPushButton(self.tr("Review payment…"))
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self.review)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear)
        self.psbt_button = QPushButton(self.tr("Create PSBT…"))
        self.psbt_button.setToolTip(self.tr("An unsigned PSBT of this payment, to sign elsewhere"))
        self.psbt_button.clicked.connect(self.create_psbt)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.psbt_button)
        buttons.addWidget(self.review_button)

        form_page = QWidget()
        layout = QVBoxLayout(form_page)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.addWidget(heading(self.tr("Send a payment")))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(
            note(
                self.tr(
                    "Nothing is sent until you have reviewed the address, the amount, the fee "
                    "and the change, and entered your password."
                )
            )
        )
        layout.addStretch(1)
        #: after sending: a ✓ with what was sent, to whom, and the fee, over the whole tab
        #: (made on the first payment: the window opens without it)
        self._sent_page: SentPage | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(form_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        if controller.is_watch_only:
            self.review_button.setToolTip(
                self.tr("A watch-only wallet makes a PSBT for its signer.")
            )
        self.set_coins([])

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
            self.pay_to_info.setTextFormat(Qt.TextFormat.AutoText)  # small print, if any
            self.pay_to_info.setText(str(exc))
            return
        self.recipient = recipient
        if recipient.label:
            text = self.tr("Pays {address} to “{name}”").format(
                address=recipient.address, name=recipient.label
            )
        else:
            text = self.tr("Pays {address}").format(address=recipient.address)
        if recipient.amount_sat is not None:
            asked = format_amount(recipient.amount_sat, self.amount.unit)
            text += " · " + self.tr("asks for {amount}").format(amount=asked)
            self.amount.set_sats(recipient.amount_sat)
        if recipient.message:
            text += f" · “{recipient.message}”"
        self.pay_to_info.setStyleSheet(text_style("success"))
        self.pay_to_info.setTextFormat(Qt.TextFormat.PlainText)
        self.pay_to_info.setText(text)

    def open_scanner(self) -> QDialog:
        """The scanner widget in a dialog; the first payment code it reads fills Pay to."""
        from wallet.gui.scanner.widget import ScannerWidget

        dialog = QDialog(self)
        dialog.setObjectName("scan-dialog")
        dialog.setWindowTitle(self.tr("Scan a payment QR code"))
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
            self.coins_line.setText(self.tr("Chosen automatically (frozen coins are left out)"))
            self.clear_coins_button.hide()
        else:
            total = sum(c.value for c in self.coins)
            shown = format_amount(total, self.amount.unit)
            if len(self.coins) == 1:
                text = self.tr("Only from 1 chosen coin ({amount})").format(amount=shown)
            else:
                text = self.tr("Only from {n} chosen coins ({amount})").format(
                    n=len(self.coins), amount=shown
                )
            self.coins_line.setText(text)
            self.clear_coins_button.show()

    def set_unit(self, unit: Unit) -> None:
        self.amount.set_unit(unit)
        self.fees.set_unit(unit)
        self.set_coins(self.coins)

    # -- review ---------------------------------------------------------------------------------

    def draft(self) -> PaymentDraft:
        if self.recipient is None:
            read_recipient(self.pay_to.text(), self.controller.network)  # raises the reason
        assert self.recipient is not None
        amount = self.amount.sats()
        if amount is None:
            raise PaylightError(self.tr("Enter the amount to send."))
        rate = self.fees.rate()
        return PaymentDraft(
            self.recipient.address,
            amount,
            rate,
            tuple(c.outpoint for c in self.coins),
            self.recipient.label or "",
        )

    def review(self) -> None:
        """Plan the payment and open its review -- asking first if this wallet has paid the
        address before (a link scanned twice must not be paid twice unnoticed)."""
        if not self.review_button.isEnabled():
            return  # a plan is being built
        self.error.clear()
        if self.controller.is_watch_only:  # no keys here: the PSBT goes to the signer
            self.create_psbt()
            return
        try:
            draft = self.draft()
        except (PaylightError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        before = self.controller.paid_before(draft.address)
        if not before:
            self._plan(draft)
            return
        last = before[0]
        text = self.tr(
            "This wallet already paid {amount} to this address on {when} (transaction "
            "{txid}…). Pay it again?"
        ).format(
            amount=format_amount(last.amount_sat, self.amount.unit),
            when=format_time(last.when),
            txid=last.txid_hex[:16],
        )
        if len(before) > 1:
            text += " " + self.tr("({n} payments to it so far.)").format(n=len(before))
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Paid before"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("paid-before")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Pay again"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Do not pay"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: self._plan(draft) if result == QMessageBox.StandardButton.Yes else None
        )
        box.open()

    def _plan(self, draft: PaymentDraft) -> None:
        self.review_button.setEnabled(False)
        label = self.recipient.label if self.recipient is not None else None

        def planned(plan: PaymentPlan) -> None:
            self.review_button.setEnabled(True)
            dialog = ReviewDialog(
                self.controller, plan, self.amount.unit, self, label=label, announce=False
            )
            dialog.sent.connect(lambda txid: self.show_sent(plan, txid, label))
            dialog.open()

        def failed(exc: BaseException) -> None:
            self.review_button.setEnabled(True)
            self.error.setText(error_text(exc))

        self.controller.plan_payment(draft, planned, failed)

    def create_psbt(self) -> None:
        """The payment as an unsigned PSBT, in the PSBT window (``gui.psbt_dialog``)."""
        from wallet.gui.psbt_dialog import create_from_send

        create_from_send(self)

    @property
    def sent_page(self) -> SentPage:
        if self._sent_page is None:
            from wallet.gui import sent_page

            self._sent_page = sent_page.SentPage(self.controller)
            self._sent_page.done.connect(self.show_form)
            self.pages.addWidget(self._sent_page)
        return self._sent_page

    def show_sent(self, plan: PaymentPlan, txid: str, label: str | None) -> None:
        """The ✓ over the whole tab; the form is cleared behind it."""
        self.clear()
        self.sent_page.show_payment(plan, txid, label, self.amount.unit)
        self.pages.setCurrentWidget(self.sent_page)
        self.sent_page.done_button.setFocus()

    def show_form(self) -> None:
        self.pages.setCurrentIndex(0)
        self.pay_to.setFocus()

    def clear(self) -> None:
        self.pay_to.clear()
        self.amount.set_sats(None)
        self.error.clear()
        self.set_coins([])


def escape(text: str) -> str:
    """``text`` shown as rich text: its markup characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReviewDialog(QDialog):
    """Everything the payment does, shown before the password is asked for. ``label``: the
    payee's name from the payment link, kept in sight; ``announce``: say "sent" in a message
    (the Send tab shows its own ✓ instead, on :attr:`sent`)."""

    sent = Signal(str)  # the txid

    def __init__(
        self,
        controller: WalletController,
        plan: PaymentPlan,
        unit: Unit,
        parent: QWidget | None,
        *,
        label: str | None = None,
        announce: bool = True,
    ) -> None:
        super().__init__(parent)
        self.announce = announce
        self.setObjectName("review-dialog")
        self.setWindowTitle(self.tr("Review payment"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.controller = controller
        self.plan = plan
        self.txid: str | None = None
        rates = controller.rates

        def money(sats: int, bold: bool = False) -> QLabel:
            text = format_amount(sats, unit)
            text = f"<b>{text}</b>" if bold else text
            fiat = rates.fiat_text(sats)
            label = QLabel(text + (f" &nbsp;({fiat})" if fiat else ""))
            label.setTextFormat(Qt.TextFormat.RichText)  # &nbsp; is markup, bold or not
            return label

        form = QFormLayout()
        self.payee = QLabel(f"<b>{escape(label)}</b>" if label else "")
        self.payee.setObjectName("review-payee")
        if label:
            form.addRow(self.tr("To:"), self.payee)
        address = QLabel(plan.address)
        address.setFont(monospace())
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Pay to:"), address)
        form.addRow(self.tr("Amount:"), money(plan.amount_sat, bold=True))
        rate = Decimal(plan.fee_sat) / plan.vsize if plan.vsize else Decimal(0)
        fee = money(plan.fee_sat)
        fee.setText(fee.text() + f" · {rate:.1f} sat/vB, {plan.vsize} vB")
        form.addRow(self.tr("Fee:"), fee)
        change = format_amount(plan.change_sat, unit) if plan.change_sat else self.tr("none")
        if plan.change_address:
            change += f" → {plan.change_address}"
        form.addRow(self.tr("Change:"), QLabel(change))
        form.addRow(self.tr("Total spent:"), money(plan.total_sat, bold=True))
        coins = len(plan.inputs)
        spent = self.tr("1 coin") if coins == 1 else self.tr("{n} coins").format(n=coins)
        form.addRow(self.tr("From coins:"), QLabel(spent))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Wallet password"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            self.tr("Sign and send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Check this payment"), 2))
        layout.addLayout(form)
        for warning in plan.warnings:
            label = QLabel(f"⚠ {warning}")
            label.setWordWrap(True)
            label.setStyleSheet(text_style("warning"))
            layout.addWidget(label)
        password_label = QLabel(self.tr("&Password to sign:"))
        password_label.setBuddy(self.password)
        layout.addWidget(password_label)
        layout.addWidget(self.password)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        if not controller.can_broadcast():
            why = (
                self.tr("This wallet is watch-only: it cannot sign.")
                if controller.is_watch_only
                else self.tr(
                    "Sending needs the sync engine (to broadcast), and this window is not "
                    "connected to it. The payment above is built but will not be sent."
                )
            )
            self.status.setText(why)
            self.password.setEnabled(False)
            self.send_button.setEnabled(False)
            self.send_button.setToolTip(why)

    def send(self) -> None:
        self.send_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Signing…"))

        def sent(txid: str) -> None:
            self.txid = txid
            if self.announce:  # a replacement from History: said in a message, not a warning
                show_message(
                    self.parentWidget(),
                    self.tr("Sent"),
                    self.tr("Sent to every server. Its transaction ID is in History."),
                    QMessageBox.Icon.Information,
                )
            self.accept()
            self.sent.emit(txid)

        def failed(exc: BaseException) -> None:
            self.send_button.setEnabled(True)
            self.status.setStyleSheet(text_style("error"))
            self.status.setText(error_text(exc))

        self.controller.sign_and_broadcast(self.plan, self.password.text(), sent, failed)
