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
kind of confirmation the Send tab asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
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
from wallet.gui.format import Unit, format_amount
from wallet.gui.psbt_sources import (
    PsbtLoadError,
    psbt_from_code,
    psbt_from_file,
    psbt_from_images,
    psbt_from_text,
    psbt_from_texts,
)
from wallet.gui.widgets import CopyLine, heading, monospace, note, show_message
from wallet.gui.workers import error_text, run_task
from wallet.payments.animated_qr import CollectedCode
from wallet.payments.send import PsbtView, describe_psbt, export_psbt, finalize_psbt

if TYPE_CHECKING:
    from wallet.gui.scan_code import ScanCodeDialog

WARNING_AMBER = "#9a6700"


def _tr(text: str) -> str:
    return QCoreApplication.translate("PsbtDialog", text)


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
        self.tabs.addTab(self._details_page(), self.tr("Details"))
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
        self.finished.connect(lambda _r: self.qr.stop())
        self.resize(940, 720)
        self.set_psbt(psbt)

    # -- building the window -------------------------------------------------------------------

    def _source_menu(self, *, combine: bool) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Open a file…"), lambda: self.open_file(combine=combine))
        menu.addAction(self.tr("Paste from the clipboard"), lambda: self.paste(combine=combine))
        menu.addAction(self.tr("Open QR pictures…"), lambda: self.open_images(combine=combine))
        menu.addAction(self.tr("Scan with the camera…"), lambda: self.open_scanner(combine=combine))
        return menu

    def _details_page(self) -> QWidget:
        page = QWidget()
        self.txid_label = QLabel()
        self.txid_label.setFont(monospace())
        self.txid_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel()
        self.sends_label = QLabel()
        self.fee_label = QLabel()
        self.rate_label = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Transaction:"), self.txid_label)
        form.addRow(self.tr("Signatures:"), self.state_label)
        form.addRow(self.tr("Pays others:"), self.sends_label)
        form.addRow(self.tr("Fee:"), self.fee_label)
        form.addRow(self.tr("Fee rate:"), self.rate_label)
        self.inputs = _table(
            [
                self.tr("#"),
                self.tr("Address"),
                self.tr("Amount"),
                self.tr("Amount from"),
                self.tr("Signed"),
                self.tr("Coin"),
            ]
        )
        self.outputs = _table(
            [self.tr("#"), self.tr("Address"), self.tr("Amount"), self.tr("Whose")]
        )
        self.warnings = QLabel()
        self.warnings.setObjectName("psbt-warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addWidget(QLabel(self.tr("Spends:")))
        layout.addWidget(self.inputs)
        layout.addWidget(QLabel(self.tr("Pays:")))
        layout.addWidget(self.outputs)
        layout.addStretch(1)
        return page

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
        self.inputs.setRowCount(0)
        self.outputs.setRowCount(0)
        if view is None:
            self.title.setText(self.tr("No PSBT loaded"))
            for label in (
                self.txid_label,
                self.state_label,
                self.sends_label,
                self.fee_label,
                self.rate_label,
                self.warnings,
            ):
                label.clear()
            self._update_actions()
            return
        self.title.setText(self._title(view))
        self.txid_label.setText(view.txid)
        self.state_label.setText(self._signatures(view))
        self.sends_label.setText(format_amount(view.sent, self.unit))
        self._show_fee(view)
        self._fill_inputs(view)
        self._fill_outputs(view)
        self.warnings.setText(self._warnings_html(view))
        self.warnings.setVisible(bool(self.warnings.text()))
        self._update_actions()

    def _title(self, view: PsbtView) -> str:
        if view.complete:
            return self.tr("Signed transaction, ready to broadcast")
        if all(i.signed for i in view.inputs):
            return self.tr("Signed PSBT, ready to finalize")
        if any(i.signed for i in view.inputs):
            return self.tr("Partly signed PSBT")
        return self.tr("Unsigned PSBT")

    def _signatures(self, view: PsbtView) -> str:
        signed = sum(1 for i in view.inputs if i.signed)
        return self.tr("{signed} of {count} inputs signed").format(
            signed=signed, count=len(view.inputs)
        )

    def _show_fee(self, view: PsbtView) -> None:
        unverified = any(not i.verified for i in view.inputs)
        if view.fee is None:
            self.fee_label.setText(self.tr("unknown (an input's amount is missing)"))
        else:
            fee = format_amount(view.fee, self.unit)
            if unverified:
                fee = self.tr("{fee} — UNVERIFIED").format(fee=fee)
            self.fee_label.setText(fee)
        self._mark(self.fee_label, unverified)
        rate = view.fee_rate
        if rate is None or view.vsize is None:
            self.rate_label.setText(self.tr("unknown"))
        else:
            size = (
                self.tr("{vsize} vB").format(vsize=view.vsize)
                if view.complete
                else self.tr("about {vsize} vB once signed").format(vsize=view.vsize)
            )
            self.rate_label.setText(
                self.tr("{rate} sat/vB ({size})").format(rate=f"{rate:.1f}", size=size)
            )

    def _mark(self, label: QLabel, alarming: bool) -> None:
        label.setStyleSheet(f"color: {alert_colour(self)}; font-weight: bold;" if alarming else "")

    def _fill_inputs(self, view: PsbtView) -> None:
        red = alert_colour(self)
        self.inputs.setRowCount(len(view.inputs))
        for row, item in enumerate(view.inputs):
            amount = "—" if item.value is None else format_amount(item.value, self.unit)
            signed = (
                self.tr("final")
                if item.finalized
                else self.tr("yes")
                if item.signed
                else self.tr("no")
            )
            address = item.address or self.tr("unknown")
            if item.own:
                address = f"{address} ({_whose(item.own)})"
            cells = [
                str(row),
                address,
                amount,
                amount_source_text(item.amount_source),
                signed,
                f"{item.outpoint.txid_hex[:12]}…:{item.outpoint.vout}",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 5:
                    cell.setToolTip(str(item.outpoint))
                if column == 3:
                    cell.setToolTip(item.amount_label)
                    if not item.verified:
                        font = cell.font()
                        font.setBold(True)
                        cell.setFont(font)
                        cell.setForeground(_brush(red))
                if column in (2,):
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.inputs.setItem(row, column, cell)
        _fit_rows(self.inputs)

    def _fill_outputs(self, view: PsbtView) -> None:
        self.outputs.setRowCount(len(view.outputs))
        for row, out in enumerate(view.outputs):
            cells = [str(row), out.address, format_amount(out.value, self.unit), _whose(out.own)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.outputs.setItem(row, column, cell)
        _fit_rows(self.outputs)

    def _warnings_html(self, view: PsbtView) -> str:
        red, lines = alert_colour(self), []
        lies = [str(n) for n, i in enumerate(view.inputs) if i.amount_source == "contradicted"]
        unverified = [
            str(n)
            for n, i in enumerate(view.inputs)
            if not i.verified and i.amount_source != "contradicted"
        ]
        if lies:
            lines.append(
                (
                    red,
                    True,
                    self.tr(
                        "The PSBT lies about the amount spent by input(s) {inputs}: it contradicts "
                        "the transaction that made the coin. It will not be signed."
                    ).format(inputs=", ".join(lies)),
                )
            )
        if unverified:
            lines.append(
                (
                    red,
                    True,
                    self.tr(
                        "The amount spent by input(s) {inputs} is UNVERIFIED: only the PSBT states "
                        "it, and a SegWit signature does not commit to the other inputs' amounts, "
                        "so the fee may be higher than shown. Signing asks you to accept this."
                    ).format(inputs=", ".join(unverified)),
                )
            )
        for warning in view.warnings:
            if warning.code in ("amount-contradicted", "fee-unverified"):
                continue  # said above, in words that name what to do
            lines.append(
                (WARNING_AMBER if not warning.needs_confirmation else red, False, warning.message)
            )
        return "<br>".join(
            f'<span style="color: {colour};{" font-weight: bold;" if bold else ""}">'
            f"⚠ {_escape(text)}</span>"
            for colour, bold, text in lines
        )

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
            self._say(self.tr("Combined: {state}.").format(state=self._signatures(self.view)))

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


class BroadcastConfirmation(QDialog):
    """Who is paid, how much, the change and the fee: the last look before the servers."""

    def __init__(self, view: PsbtView, tx: Transaction, unit: Unit, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("broadcast-confirmation")
        self.setWindowTitle(self.tr("Broadcast this transaction?"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form = QFormLayout()
        paid = [o for o in view.outputs if o.own is None]
        for out in paid:
            address = QLabel(out.address)
            address.setFont(monospace())
            address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(self.tr("Pay to:"), address)
            form.addRow(self.tr("Amount:"), QLabel(f"<b>{format_amount(out.value, unit)}</b>"))
        if not paid:
            form.addRow(self.tr("Pays:"), QLabel(self.tr("only this wallet's own addresses")))
        own = sum(o.value for o in view.outputs if o.own is not None)
        if own and paid:
            form.addRow(self.tr("Change:"), QLabel(format_amount(own, unit)))
        if view.fee is None:
            fee_text = self.tr("unknown")
        else:
            rate = Decimal(view.fee) / tx.vsize()
            fee_text = self.tr("{fee} ({rate} sat/vB, {vsize} vB)").format(
                fee=format_amount(view.fee, unit), rate=f"{rate:.1f}", vsize=tx.vsize()
            )
            if any(not i.verified for i in view.inputs):
                fee_text += " — " + self.tr("UNVERIFIED")
        fee = QLabel(fee_text)
        form.addRow(self.tr("Fee:"), fee)
        if view.fee is not None:
            total = QLabel(f"<b>{format_amount(view.sent + view.fee, unit)}</b>")
            form.addRow(self.tr("Total leaving:"), total)
        txid = QLabel(tx.txid_hex)
        txid.setFont(monospace())
        txid.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Transaction:"), txid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = buttons.addButton(
            self.tr("Broadcast"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Check before sending"), 2))
        layout.addLayout(form)
        layout.addWidget(note(self.tr("Once broadcast, a transaction cannot be called back.")))
        layout.addWidget(buttons)
        self.setMinimumWidth(700)


# -- small pieces --------------------------------------------------------------------------------


def amount_source_text(source: str) -> str:
    """Where an input's amount comes from, in a few words (``account.psbt_amounts``)."""
    return {
        "wallet": _tr("verified: the wallet's records"),
        "non_witness_utxo": _tr("verified: the full previous transaction"),
        "taproot": _tr("committed by Taproot (BIP341)"),
        "unverified": _tr("UNVERIFIED: only the PSBT says so"),
        "missing": _tr("unknown: the PSBT does not say"),
        "contradicted": _tr("CONTRADICTED: the PSBT lies"),
    }.get(source, source)


def _whose(own: str | None) -> str:
    if own == "change":
        return _tr("change (this wallet)")
    if own is not None:
        return _tr("this wallet")
    return _tr("external")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _brush(colour: str):
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(colour))


def _fit_rows(table: QTableWidget, most: int = 6) -> None:
    """As tall as its rows (up to ``most``; it scrolls beyond), so no empty band is left."""
    rows = max(1, min(table.rowCount(), most))
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) if r < table.rowCount() else 30 for r in range(rows))
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


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
