"""The setup wizard's page for a watch-only wallet whose keys live on an air-gapped signer.

The signer shows its account as a QR code -- a BC-UR ``crypto-account`` (or ``crypto-output``,
``crypto-hdkey``), often animated, or a descriptor or ``[fingerprint/path]xpub`` as text -- and
the page scans it (camera, picture, screen) or takes it pasted. ``payments.signer_account``
turns it into watch-only descriptors after its checks (the key's origin, depth, purpose). The
master fingerprint is shown large: the person compares it with the one the signer shows and
ticks that they match before the wallet is made, so a wrong export (another passphrase, another
device) is caught now, not when the first PSBT fails to sign.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from wallet.account.setup import AccountDescriptors, ScriptChoice
from wallet.bitcoin.networks import MAINNET, Network
from wallet.errors import PaylightError
from wallet.gui.alerts import alert_colour
from wallet.gui.wallet_setup import script_label
from wallet.gui.widgets import monospace, note
from wallet.payments.animated_qr import CollectedCode, Standard


def code_text(code: CollectedCode) -> str:
    """What a scanned code says, as text the page parses (a UR in its one-frame form)."""
    if code.standard is Standard.UR and code.ur is not None:
        from wallet.payments.ur.ur import encode_single

        return encode_single(code.ur)
    return code.text()


class SignerImportPage(QWizardPage):
    """Scan (or paste) the signer's account export; check its fingerprint; on to Create."""

    def __init__(self, next_id: int) -> None:
        super().__init__()
        self._next_id = next_id
        self.setTitle(self.tr("Watch a wallet kept on a signer"))
        self.setSubTitle(self.tr("Scan or paste the account your signer exports."))
        # the where-to-find-it hint in the page, where long text wraps at any text size
        where = note(
            self.tr(
                "On the signer, show the account's QR code (often under Export, Connect "
                "software wallet, or Sparrow). Scan it, or paste what the signer exports."
            )
        )
        self.scan_button = QPushButton(self.tr("Scan the signer's QR code…"))
        self.scan_button.clicked.connect(lambda: self.open_scanner())
        self.text = QPlainTextEdit()
        self.text.setObjectName("signer-export")
        self.text.setAccessibleName(self.tr("The signer's account export"))
        self.text.setTabChangesFocus(True)
        self.text.setFont(monospace())
        self.text.setPlaceholderText(
            self.tr("ur:crypto-account/…, [fingerprint/84h/0h/0h]xpub…, zpub… or a descriptor")
        )
        self.text.setMaximumHeight(90)
        self.text.textChanged.connect(self._changed)
        self.script = QComboBox()
        self.script.addItem(self.tr("As the signer says (native SegWit first)"), None)
        for choice in ScriptChoice:
            self.script.addItem(script_label(choice), choice)
        self.script.currentIndexChanged.connect(self._changed)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("signer-fingerprint")
        self.fingerprint.setFont(monospace())
        font = self.fingerprint.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.same = QCheckBox(self.tr("My signer shows this same fingerprint"))
        self.same.toggled.connect(self.completeChanged)
        self.problem = QLabel()
        self.problem.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(self.scan_button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Address type:"), self.script)
        form.addRow(self.tr("Master fingerprint:"), self.fingerprint)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(row)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(self.same)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(
            note(
                self.tr(
                    "No keys come to this computer: it can watch payments and prepare PSBTs, "
                    "and the signer signs them."
                )
            )
        )
        self.result: AccountDescriptors | None = None
        self.master_fingerprint: str | None = None
        self.scanner_dialog = None
        self._changed()

    def initializePage(self) -> None:
        self._changed()  # the network may have changed on the first page

    def cleanupPage(self) -> None:
        """Back, or the wizard closing: a scan still open stops its camera and thread."""
        scan = self.scanner_dialog
        if scan is not None and shiboken6.isValid(scan) and scan.isVisible():
            scan.reject()

    def _network(self) -> Network:
        wizard = self.wizard()
        return wizard.network() if wizard is not None else MAINNET

    def open_scanner(self, *, autostart: bool = True):
        """The scanner: the signer's account code (animated or not), checked before it is
        taken; a payment code or a PSBT is refused with a sentence and scanning goes on."""
        from wallet.gui.scan_code import ScanCodeDialog
        from wallet.payments.signer_account import parse_signer_account

        network = self._network()

        def check(code: CollectedCode) -> str | None:
            try:
                parse_signer_account(code, network)
            except PaylightError as exc:
                return str(exc)
            return None

        dialog = ScanCodeDialog(
            self,
            self.tr("Scan the signer's account"),
            self.tr(
                "Show the signer's account QR code to the camera. An animated code is collected "
                "part by part; keep it in view until the bar is full."
            ),
            check=check,
            autostart=autostart,
        )
        dialog.scanned.connect(lambda code: self.text.setPlainText(code_text(code)))
        dialog.open()
        self.scanner_dialog = dialog
        return dialog

    def _changed(self) -> None:
        from wallet.payments.signer_account import parse_signer_account

        self.result, self.master_fingerprint = None, None
        self.same.setChecked(False)
        self.problem.clear()
        self.fingerprint.setText("—")
        self.details.clear()
        text = self.text.toPlainText().strip()
        if text:
            network = self._network()
            try:
                account = parse_signer_account(text, network, script=self.script.currentData())
            except PaylightError as exc:
                self.problem.setStyleSheet(f"color: {alert_colour(self)};")
                self.problem.setText(str(exc))
            else:
                self.result = account.descriptors
                self.master_fingerprint = account.master_fingerprint
                self._describe(account, network)
        self.same.setVisible(self.master_fingerprint is not None)
        self.completeChanged.emit()

    def _describe(self, account, network: Network) -> None:
        fingerprint = account.master_fingerprint
        self.fingerprint.setText(fingerprint or self.tr("not given"))
        address = account.descriptors.first_address(network)
        lines = [
            self.tr("Read from: {source}").format(source=account.source),
            self.tr("Address type: {script}").format(script=account.script.label.split(" —")[0]),
            self.tr("First address: <tt>{address}</tt>").format(address=address),
        ]
        if fingerprint is None:
            lines.append(
                self.tr(
                    "This export has no master fingerprint to compare; PSBTs will still name "
                    "the keys, but export the account with its key origin if the signer can."
                )
            )
        else:
            lines.append(
                self.tr(
                    "Compare the fingerprint above with the one your signer shows (its "
                    "settings or About screen). They must be the same."
                )
            )
        self.details.setText("<br>".join(lines))

    def isComplete(self) -> bool:
        if self.result is None:
            return False
        return self.master_fingerprint is None or self.same.isChecked()

    def nextId(self) -> int:
        return self._next_id
