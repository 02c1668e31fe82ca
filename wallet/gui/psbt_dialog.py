"""The PSBT window: what a partially signed transaction spends and pays, and every step of it.

A PSBT comes from the Send tab ("Create PSBT", and always for a watch-only wallet), from a
file, the clipboard, a picture of its QR code or the camera (animated BC-UR or BBQr, collected
on the scanner's decoding thread). The window shows each input with its amount *and where that
amount comes from* (``payments.send.describe_psbt``: the wallet's records, the PSBT's full
previous transaction, Taproot's commitment -- or only the PSBT's word, which a segwit v0
signature does not bind: CVE-2020-14199), each output as the wallet's own, its change or
someone else's, the fee and fee rate, and the warnings. It exports the PSBT as a file, to the
clipboard and as QR codes (``gui.animated_qr_view``); signs it with the wallet's keys
(``WalletController.sign_psbt``: an unverified amount only after an explicit override);
combines it with other copies signed elsewhere; finalizes it; and broadcasts it after the same
kind of confirmation the Send tab asks for. What the PSBT says is drawn by
``gui.psbt_view``; reading it from files, pictures and text is ``gui.psbt_sources``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wallet.bitcoin.errors import PSBTError
from wallet.bitcoin.psbt import PSBT
from wallet.bitcoin.transaction import Transaction
from wallet.errors import PaylightError
from wallet.gui.alerts import alert_colour
from wallet.gui.animated_qr_view import AnimatedQRView
from wallet.gui.controller import PaymentPlan, WalletController
from wallet.gui.format import Unit
from wallet.gui.psbt_sources import (
    PsbtLoadError,
    psbt_from_code,
    psbt_from_file,
    psbt_from_images,
    psbt_from_text,
    psbt_from_texts,
)
from wallet.gui.psbt_view import BroadcastConfirmation, PsbtDetails, signatures_text, title_of
from wallet.gui.widgets import CopyLine, heading, note, show_message
from wallet.gui.workers import error_text, run_task
from wallet.payments.animated_qr import CollectedCode
from wallet.payments.send import PsbtView, describe_psbt, export_psbt, finalize_psbt

if TYPE_CHECKING:
    from wallet.gui.scan_code import ScanCodeDialog

# -- the window --------------------------------------------------------------------------------


class PsbtDialog(QDialog):
    """One PSBT at a time; ``changed`` is emitted whenever another one is shown."""

    changed = Signal()
    #: a transaction was broadcast (its txid in hex)
    broadcast_done = Signal(str)

    def __init__(
        self,
        controller: WalletController,
        psbt: PSBT | None = None,
        parent: QWidget | None = None,
        *,
        unit: Unit = Unit.BTC,
        origin: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("psbt-dialog")
        self.setWindowTitle(self.tr("PSBT — partially signed transaction"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.controller = controller
        self.unit = unit
        self.psbt: PSBT | None = None
        self.view: PsbtView | None = None
        self.transaction: Transaction | None = None
        self.txid: str | None = None
        self.scanner_dialog: ScanCodeDialog | None = None
        self.busy = False

        self.title = heading(self.tr("No PSBT loaded"), 3)
        self.origin = note(origin)
        self.origin.setVisible(bool(origin))
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setMenu(self._source_menu(combine=False))
        self.combine_button = QPushButton(self.tr("Combine with"))
        self.combine_button.setToolTip(
            self.tr("Merge the signatures of another copy of this PSBT (signed elsewhere).")
        )
        self.combine_button.setMenu(self._source_menu(combine=True))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.load_button)
        top.addWidget(self.combine_button)

        self.tabs = QTabWidget()
        self.details = PsbtDetails(unit)
        # the parts tests and the window read directly
        self.inputs, self.outputs = self.details.inputs, self.details.outputs
        self.fee_label, self.rate_label = self.details.fee_label, self.details.rate_label
        self.warnings = self.details.warnings
        self.tabs.addTab(self.details, self.tr("Details"))
        self.qr = AnimatedQRView()
        self.tabs.addTab(self.qr, self.tr("Show as QR code"))

        self.save_button = QPushButton(self.tr("Save to file…"))
        self.save_button.clicked.connect(lambda: self.save())
        self.copy_button = QPushButton(self.tr("Copy to clipboard"))
        self.copy_button.clicked.connect(self.copy)
        self.qr_button = QPushButton(self.tr("Show QR code"))
        self.qr_button.clicked.connect(lambda: self.tabs.setCurrentWidget(self.qr))
        export = QHBoxLayout()
        export.addWidget(QLabel(self.tr("Export:")))
        for button in (self.save_button, self.copy_button, self.qr_button):
            export.addWidget(button)
        export.addStretch(1)

        self.sign_box = self._sign_group()
        self.finish_box = self._finish_group()
        self.message = QLabel()
        self.message.setObjectName("psbt-message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.origin)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(export)
        actions = QHBoxLayout()
        actions.addWidget(self.sign_box, 1)
        actions.addWidget(self.finish_box, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.finished.connect(self._closing)
        self.resize(940, 660)  # a 1366x768 laptop, less its panel and the title bar
        self.set_psbt(psbt)

    def _closing(self) -> None:
        """Stop drawing frames, and the camera of a scan still open (its decoding thread must
        end before the dialog that owns it is deleted)."""
        self.qr.stop()
        scan = self.scanner_dialog
        if scan is not None and shiboken6.isValid(scan) and scan.isVisible():
            scan.reject()

    # -- building the window -------------------------------------------------------------------

    def _source_menu(self, *, combine: bool) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Open a file…"), lambda: self.open_file(combine=combine))
        menu.addAction(self.tr("Paste from the clipboard"), lambda: self.paste(combine=combine))
        menu.addAction(self.tr("Open QR pictures…"), lambda: self.open_images(combine=combine))
        menu.addAction(self.tr("Scan with the camera…"), lambda: self.open_scanner(combine=combine))
        return menu

    def _sign_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sign"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Wallet password"))
        self.password.returnPressed.connect(self.sign)
        self.sign_button = QPushButton(self.tr("Sign"))
        self.sign_button.clicked.connect(self.sign)
        self.allow_unverified = QCheckBox(
            self.tr("Sign although amounts are unverified (the fee may be higher than shown)")
        )
        self.allow_unverified.setObjectName("allow-unverified")
        self.accept_fee = QCheckBox(self.tr("I accept the fee warnings above"))
        self.watch_note = note(
            self.tr(
                "This wallet is watch-only: it holds no keys. Show the QR code to your signer "
                "(or save the file for it), then load the signed PSBT back here with Load → "
                "Scan with the camera."
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.sign_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.watch_note)
        layout.addLayout(row)
        layout.addWidget(self.allow_unverified)
        layout.addWidget(self.accept_fee)
        watch_only = self.controller.is_watch_only
        self.watch_note.setVisible(watch_only)
        for widget in (self.password, self.sign_button):
            widget.setVisible(not watch_only)
        return box

    def _finish_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Finish"))
        self.finalize_button = QPushButton(self.tr("Finalize"))
        self.finalize_button.setToolTip(
            self.tr("Turn the signed PSBT into the network transaction.")
        )
        self.finalize_button.clicked.connect(self.finalize)
        self.broadcast_button = QPushButton(self.tr("Broadcast…"))
        self.broadcast_button.clicked.connect(self.confirm_broadcast)
        self.raw = CopyLine(wrap=True)
        self.raw.edit.max_lines = 3
        self.raw.hide()
        row = QHBoxLayout()
        row.addWidget(self.finalize_button)
        row.addWidget(self.broadcast_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.raw)
        return box

    # -- showing a PSBT --------------------------------------------------------------------------

    def set_psbt(self, psbt: PSBT | None, *, keep_message: bool = False) -> None:
        """Show ``psbt`` (None: nothing loaded yet)."""
        self.psbt = psbt
        self.transaction = None
        self.raw.hide()
        self.allow_unverified.setChecked(False)
        self.accept_fee.setChecked(False)
        if not keep_message:
            self._say("")
        if psbt is None:
            self.view = None
            self.qr.set_payload(b"")
        else:
            self.view = describe_psbt(psbt, self.controller.network, self.controller.db)
            self.qr.set_payload(psbt.serialize())
        self._show_view()
        self.changed.emit()

    def _show_view(self) -> None:
        view = self.view
        loaded = view is not None
        for widget in (
            self.save_button,
            self.copy_button,
            self.qr_button,
            self.combine_button,
            self.finalize_button,
        ):
            widget.setEnabled(loaded and not self.busy)
        self.details.show_view(view)
        self.title.setText(title_of(view) if view is not None else self.tr("No PSBT loaded"))
        self._update_actions()

    def _update_actions(self) -> None:
        view = self.view
        loaded = view is not None and not self.busy
        unverified = view is not None and any(not i.verified for i in view.inputs)
        lies = view is not None and any(i.amount_source == "contradicted" for i in view.inputs)
        can_sign = (
            loaded
            and not self.controller.is_watch_only
            and view is not None
            and not all(i.signed for i in view.inputs)
        )
        self.sign_button.setEnabled(can_sign)
        self.password.setEnabled(can_sign)
        self.allow_unverified.setVisible(bool(can_sign and unverified and not lies))
        self.accept_fee.setVisible(bool(can_sign and view is not None and view.needs_confirmation))
        signed = view is not None and all(i.signed for i in view.inputs)
        self.finalize_button.setEnabled(loaded and signed)
        self.broadcast_button.setEnabled(loaded and signed and self.controller.engine is not None)
        if self.controller.engine is None:
            self.broadcast_button.setToolTip(
                self.tr("Broadcasting needs the sync engine, and this window is not connected.")
            )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(
            f"color: {alert_colour(self)}; font-weight: bold;" if error else ""
        )
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say(error_text(exc), error=True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.load_button.setEnabled(not busy)
        self._show_view()

    # -- loading -------------------------------------------------------------------------------

    def _loaded(self, combine: bool) -> Callable[[PSBT], None]:
        def take(psbt: PSBT) -> None:
            self._set_busy(False)
            if not combine or self.psbt is None:
                self.set_psbt(psbt)
                self._say(
                    self.tr("Loaded a PSBT with {inputs} input(s).").format(inputs=len(psbt.inputs))
                )
                return
            try:
                combined = PSBT.combine([self.psbt, psbt])
            except PSBTError as exc:
                self._say(
                    self.tr("These PSBTs cannot be combined: {why}").format(why=exc), error=True
                )
                return
            self.set_psbt(combined, keep_message=True)
            assert self.view is not None
            self._say(self.tr("Combined: {state}.").format(state=signatures_text(self.view)))

        return take

    def load_file(self, path: str | Path, *, combine: bool = False) -> None:
        """Read a PSBT file (or QR pictures) on the thread pool, then show or combine it."""
        self._set_busy(True)
        self._say(self.tr("Reading {name}…").format(name=Path(path).name))
        run_task(psbt_from_file, Path(path), on_done=self._loaded(combine), on_error=self._failed)

    def open_file(self, *, combine: bool = False) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a PSBT"),
            "",
            self.tr("PSBT files (*.psbt *.txt *.b64);;All files (*)"),
        )
        if path:
            self.load_file(path, combine=combine)

    def open_images(self, paths: list[str | Path] | None = None, *, combine: bool = False) -> None:
        """QR pictures of a PSBT: one code, or every frame of an animated one."""
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Open pictures of the PSBT's QR code"),
                "",
                self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)"),
            )
            if not chosen:
                return
            paths = list(chosen)
        self._set_busy(True)
        self._say(self.tr("Reading {count} picture(s)…").format(count=len(paths)))
        run_task(
            psbt_from_images,
            [Path(p) for p in paths],
            on_done=self._loaded(combine),
            on_error=self._failed,
        )

    def paste(self, *, combine: bool = False) -> None:
        """A PSBT copied as text (base64, hex, or frames); else a copied picture of its code."""
        clipboard = QGuiApplication.clipboard()
        text = clipboard.text()
        try:
            if text.strip():
                psbt = psbt_from_text(text)
            else:
                from wallet.gui.scanner.images import decode_clipboard

                found = decode_clipboard()
                if not found:
                    raise PsbtLoadError(
                        self.tr("The clipboard holds neither a PSBT nor a picture of its code.")
                    )
                psbt = psbt_from_texts([r.text for r in found])
        except PaylightError as exc:
            self._say(str(exc), error=True)
            return
        self._loaded(combine)(psbt)

    def open_scanner(self, *, combine: bool = False, autostart: bool = True) -> ScanCodeDialog:
        """The camera (or a picture, the screen): one code, or an animated one collected."""
        from wallet.gui.scan_code import ScanCodeDialog

        def check(code: CollectedCode) -> str | None:
            try:
                psbt_from_code(code)
            except PaylightError as exc:
                return str(exc)
            return None

        dialog = ScanCodeDialog(
            self,
            self.tr("Scan a PSBT"),
            self.tr(
                "Show the signer's QR code to the camera. An animated code is collected part by "
                "part, in any order; keep it in view until the bar is full."
            ),
            check=check,
            autostart=autostart,
        )
        dialog.scanned.connect(lambda code: self._loaded(combine)(psbt_from_code(code)))
        dialog.open()
        self.scanner_dialog = dialog
        return dialog

    # -- exporting -----------------------------------------------------------------------------

    def copy(self) -> None:
        if self.psbt is not None:
            QGuiApplication.clipboard().setText(export_psbt(self.psbt))
            self._say(self.tr("Copied the PSBT (base64) to the clipboard."))

    def save(self, path: str | Path | None = None) -> Path | None:
        """Write the PSBT: binary for a ``.psbt`` file (what signers read from an SD card),
        base64 text otherwise."""
        if self.psbt is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the PSBT"),
                f"{self.psbt.tx.txid_hex[:8]}.psbt",
                self.tr("PSBT file (*.psbt);;Base64 text (*.txt)"),
            )
            if not chosen:
                return None
            path = chosen
        from wallet.account.atomic import atomic_write

        target = Path(path)
        if target.suffix.lower() == ".psbt":
            data = self.psbt.serialize()
        else:
            data = (export_psbt(self.psbt) + "\n").encode()
        try:
            atomic_write(target, data)
        except OSError as exc:
            self._say(
                self.tr("Cannot write {path}: {why}").format(path=target, why=exc.strerror or exc),
                error=True,
            )
            return None
        self._say(self.tr("Saved the PSBT to {path}.").format(path=target))
        return target

    # -- signing, finalizing, broadcasting -------------------------------------------------------

    def sign(self) -> None:
        view, psbt = self.view, self.psbt
        if view is None or psbt is None or not self.sign_button.isEnabled():
            return
        if any(i.amount_source == "contradicted" for i in view.inputs):
            self._say(
                self.tr("This PSBT lies about an amount it spends; it will not be signed."),
                error=True,
            )
            return
        if any(not i.verified for i in view.inputs) and not self.allow_unverified.isChecked():
            self.allow_unverified.setVisible(True)
            self.allow_unverified.setFocus()
            self._say(
                self.tr(
                    "Not signed: an input's amount is unverified, so the fee may be higher than "
                    "shown. Load the PSBT into the wallet that made it, or tick “Sign although "
                    "amounts are unverified” to sign anyway."
                ),
                error=True,
            )
            return
        if view.needs_confirmation and not self.accept_fee.isChecked():
            self.accept_fee.setVisible(True)
            self.accept_fee.setFocus()
            self._say(
                self.tr("Not signed: tick “I accept the fee warnings above” to sign it anyway."),
                error=True,
            )
            return
        self._set_busy(True)
        self._say(self.tr("Signing…"))

        def signed(result: PSBT) -> None:
            self._set_busy(False)
            self.password.clear()
            self.set_psbt(result)
            self._say(self.tr("Signed with this wallet's keys."))

        self.controller.sign_psbt(
            psbt,
            self.password.text(),
            signed,
            self._failed,
            allow_unverified_amounts=self.allow_unverified.isChecked(),
        )

    def finalize(self) -> Transaction | None:
        if self.psbt is None:
            return None
        try:
            tx = finalize_psbt(self.psbt)
        except PaylightError as exc:
            self._say(str(exc), error=True)
            return None
        self.transaction = tx
        self.raw.set_text(tx.serialize().hex())
        self.raw.show()
        self._say(
            self.tr("Finalized: transaction {txid}, {vsize} vB. Broadcast it, or copy it.").format(
                txid=tx.txid_hex, vsize=tx.vsize()
            )
        )
        return tx

    def confirm_broadcast(self) -> BroadcastConfirmation | None:
        """The usual confirmation (who is paid, how much, the fee), then the servers."""
        tx = self.transaction or self.finalize()
        if tx is None or self.view is None:
            return None
        confirm = BroadcastConfirmation(self.view, tx, self.unit, self)
        confirm.accepted.connect(lambda: self._broadcast(tx))
        confirm.open()
        return confirm

    def _broadcast(self, tx: Transaction) -> None:
        self._set_busy(True)
        self._say(self.tr("Broadcasting…"))

        def sent(txid: str) -> None:
            self._set_busy(False)
            self.txid = txid
            self._say(self.tr("Broadcast as {txid}.").format(txid=txid))
            show_message(
                self, self.tr("Transaction sent"), self.tr("Broadcast as {txid}.").format(txid=txid)
            )
            self.broadcast_done.emit(txid)

        self.controller.broadcast(tx, sent, self._failed)


# -- from the Send tab ---------------------------------------------------------------------------


def create_from_send(tab) -> None:
    """The Send tab's payment as an unsigned PSBT (``WalletController.plan_payment``, built on
    the worker pool), opened in the PSBT window: what a watch-only wallet hands its signer."""
    tab.error.clear()
    try:
        draft = tab.draft()
    except (PaylightError, ValueError) as exc:
        tab.error.setText(str(exc))
        return

    def planned(plan: PaymentPlan) -> None:
        dialog = PsbtDialog(
            tab.controller,
            plan.unsigned.psbt,
            tab,
            unit=tab.amount.unit,
            origin=QCoreApplication.translate(
                "PsbtDialog",
                "Made from the Send tab and not signed yet. Sign it here, or on your signer: "
                "show it the QR code or save the file for it.",
            ),
        )
        dialog.open()
        tab.psbt_dialog = dialog

    def failed(exc: BaseException) -> None:
        tab.error.setText(error_text(exc))

    tab.controller.plan_payment(draft, planned, failed)
