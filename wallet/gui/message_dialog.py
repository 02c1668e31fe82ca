"""Signed messages in the app: prove an address is yours, or check someone's proof.

Signing uses one of the wallet's own addresses (``WalletController.sign_message``: the
password and the key on the worker pool) in BIP322 -- the *simple* form for native SegWit and
Taproot, *full* for the others -- or, for P2PKH, P2SH-P2WPKH and P2WPKH addresses, the legacy
``signmessage`` format many services still ask for. Verifying takes any format either makes and
says which one it found (``payments.signed_message``). The window opens from Tools → Sign/verify
message…, and from an address's context menu on the Addresses tab.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet.bitcoin.address import parse_address
from wallet.bitcoin.script import ScriptType, classify
from wallet.errors import PaylightError
from wallet.gui.alerts import alert_colour, good_colour
from wallet.gui.controller import WalletController
from wallet.gui.widgets import heading, monospace, note
from wallet.gui.workers import error_text
from wallet.payments.signed_message import (
    BIP322_FULL,
    BIP322_SIMPLE,
    LEGACY,
    LEGACY_ELECTRUM,
    verify_signed_message,
)

#: the address types the legacy format has a header for (Taproot has none)
LEGACY_TYPES = (ScriptType.P2PKH, ScriptType.P2SH, ScriptType.P2WPKH)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageDialog", text)


def format_name(fmt: str) -> str:
    """A signature format, as a person reads it."""
    return {
        LEGACY: QCoreApplication.translate("MessageDialog", "legacy signmessage (BIP137)"),
        LEGACY_ELECTRUM: QCoreApplication.translate(
            "MessageDialog", "legacy signmessage (Electrum's header)"
        ),
        BIP322_SIMPLE: QCoreApplication.translate("MessageDialog", "BIP322 simple"),
        BIP322_FULL: QCoreApplication.translate("MessageDialog", "BIP322 full"),
    }.get(fmt, fmt)


class MessageDialog(QDialog):
    """Sign a message with one of the wallet's addresses, or verify a signed message."""

    def __init__(
        self, controller: WalletController, address: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("message-dialog")
        self.setWindowTitle(self.tr("Sign or verify a message"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.controller = controller
        self.network = controller.network
        self.signature_made: str | None = None
        self.check = None  # the last verification (payments.signed_message.MessageCheck)

        self.address = QLineEdit(address)
        self.address.setFont(monospace())
        self.address.setPlaceholderText(self.tr("One of this wallet's addresses, or anyone's"))
        completer = QCompleter([a.address for a in controller.addresses()], self.address)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.address.setCompleter(completer)
        self.address.textChanged.connect(self._address_changed)
        self.message = QPlainTextEdit()
        self.message.setPlaceholderText(self.tr("The exact text that is signed"))
        self.message.setMinimumHeight(90)
        self.signature = QPlainTextEdit()
        self.signature.setFont(monospace())
        self.signature.setPlaceholderText(
            self.tr("The signature: made here by Sign, or pasted to verify")
        )
        self.signature.setMaximumHeight(110)
        self.format = QComboBox()
        self.format.addItem(self.tr("BIP322 (simple for SegWit and Taproot)"), "bip322")
        self.format.addItem(self.tr("Legacy signmessage (BIP137)"), "legacy")
        self.format.setToolTip(
            self.tr(
                "BIP322 proves any address type. The legacy format is what older services and "
                "wallets read; it exists for P2PKH, P2SH-P2WPKH and P2WPKH addresses only."
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("Message:"), self.message)
        form.addRow(self.tr("Format:"), self.format)
        form.addRow(self.tr("Signature:"), self.signature)

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Wallet password (to sign)"))
        self.password.setAccessibleName(self.tr("Wallet password (to sign)"))
        self.password.returnPressed.connect(self.sign)
        self.sign_button = QPushButton(self.tr("Sign"))
        self.sign_button.clicked.connect(self.sign)
        self.verify_button = QPushButton(self.tr("Verify"))
        self.verify_button.clicked.connect(self.verify)
        self.copy_button = QPushButton(self.tr("Copy signature"))
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.sign_button)
        row.addWidget(self.verify_button)
        row.addWidget(self.copy_button)
        self.result = QLabel()
        self.result.setObjectName("message-result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Signed message"), 2))
        layout.addWidget(
            note(
                self.tr(
                    "A signature proves that whoever holds an address's key wrote this exact "
                    "message. It moves no coins."
                )
            )
        )
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(buttons)
        if controller.is_watch_only:
            why = self.tr("This wallet is watch-only: sign the message on your signer.")
            for widget in (self.password, self.sign_button):
                widget.setEnabled(False)
                widget.setToolTip(why)
        self._address_changed()
        self.resize(680, 560)

    def _address_changed(self) -> None:
        """The legacy format only where it has a header for the address type."""
        try:
            kind = classify(parse_address(self.address.text().strip(), self.network).script_pubkey)
        except PaylightError:
            kind = None
        legacy = self.format.model().item(1)
        legacy.setEnabled(kind is None or kind in LEGACY_TYPES)
        if kind is not None and kind not in LEGACY_TYPES and self.format.currentIndex() == 1:
            self.format.setCurrentIndex(0)

    def _show(self, text: str, colour: str = "") -> None:
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        self.result.setText(text)

    def sign(self) -> None:
        if not self.sign_button.isEnabled():
            return
        address = self.address.text().strip()
        message = self.message.toPlainText()
        fmt = str(self.format.currentData())
        self.sign_button.setEnabled(False)
        self._show(self.tr("Signing…"))

        def signed(signature: str) -> None:
            self.sign_button.setEnabled(True)
            self.password.clear()
            self.signature_made = signature
            self.signature.setPlainText(signature)
            self._show(self.tr("Signed. Copy the signature and send it with the message."))

        def failed(exc: BaseException) -> None:
            self.sign_button.setEnabled(True)
            self._show(error_text(exc), alert_colour(self))

        self.controller.sign_message(address, message, fmt, self.password.text(), signed, failed)

    def verify(self) -> None:
        address = self.address.text().strip()
        signature = self.signature.toPlainText().strip()
        if not address or not signature:
            self._show(self.tr("Give the address, the message and the signature."), "")
            return
        try:
            check = verify_signed_message(
                address, self.message.toPlainText(), signature, self.network
            )
        except PaylightError as exc:
            self._show(str(exc), alert_colour(self))
            return
        self.check = check
        name = format_name(check.format)
        if check.valid:
            self._show(
                self.tr("✔ Valid: a {format} signature of this message by {address}.").format(
                    format=name, address=address
                ),
                good_colour(self),
            )
        elif check.verdict == "inconclusive":
            self._show(
                self.tr("? Inconclusive ({format}): {reason}").format(
                    format=name, reason=check.reason
                ),
                "",
            )
        else:
            self._show(
                self.tr("✘ Not valid ({format}): {reason}").format(
                    format=name, reason=check.reason
                ),
                alert_colour(self),
            )

    def copy(self) -> None:
        text = self.signature.toPlainText().strip()
        if text:
            QGuiApplication.clipboard().setText(text)
            self._show(self.tr("Copied the signature."))


def install_address_menu(tab) -> None:
    """The Addresses tab's context menu: copy an address, or sign/verify a message with it."""
    view = tab.view
    tab.message_action = QAction(
        QCoreApplication.translate("MessageDialog", "Sign/verify message…"), tab
    )
    tab.message_action.triggered.connect(lambda: _message_for_selected(tab))
    copy = QAction(QCoreApplication.translate("MessageDialog", "Copy address"), tab)
    copy.triggered.connect(tab._copy)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def menu_at(pos) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        view.selectRow(index.row())
        menu = QMenu(view)
        menu.addAction(copy)
        menu.addAction(tab.message_action)
        menu.popup(view.viewport().mapToGlobal(pos))

    view.customContextMenuRequested.connect(menu_at)


def _message_for_selected(tab) -> MessageDialog | None:
    rows = tab.view.selectionModel().selectedRows()
    address = ""
    if rows:
        address = tab.model.record(tab.proxy.mapToSource(rows[0]).row()).address
    dialog = MessageDialog(tab.model.controller, address, tab.window())
    dialog.open()
    tab.message_dialog = dialog
    return dialog
