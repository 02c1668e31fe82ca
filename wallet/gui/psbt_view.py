"""What a PSBT spends and pays, shown: the PSBT window's Details page and the last look
before broadcasting.

Every input with its amount *and where that amount comes from* (``payments.send.describe_psbt``,
``account/psbt_amounts.py``): the wallet's records or the PSBT's full previous transaction
(verified), every input Taproot (committed by BIP341), or only the PSBT's ``witness_utxo`` --
UNVERIFIED, since a SegWit v0 signature does not commit to the other inputs' amounts
(CVE-2020-14199) -- or CONTRADICTED. Those are shown in bold red of at least 4.5:1 contrast and
said in words, never by colour alone. Outputs are the wallet's own, its change, or external.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wallet.bitcoin.transaction import Transaction
from wallet.gui.alerts import alert_colour
from wallet.gui.format import Unit, decimal_number, format_amount
from wallet.gui.widgets import heading, monospace, note
from wallet.payments.send import PsbtView

WARNING_AMBER = "#9a6700"


def _tr(text: str) -> str:
    return QCoreApplication.translate("PsbtDetails", text)


def title_of(view: PsbtView) -> str:
    """How far the PSBT is, in a few words (the window's title line)."""
    if view.complete:
        return QCoreApplication.translate("PsbtDetails", "Signed transaction, ready to broadcast")
    if all(i.signed for i in view.inputs):
        return QCoreApplication.translate("PsbtDetails", "Signed PSBT, ready to finalize")
    if any(i.signed for i in view.inputs):
        return QCoreApplication.translate("PsbtDetails", "Partly signed PSBT")
    return QCoreApplication.translate("PsbtDetails", "Unsigned PSBT")


def signatures_text(view: PsbtView) -> str:
    signed = sum(1 for i in view.inputs if i.signed)
    return QCoreApplication.translate("PsbtDetails", "{signed} of {count} inputs signed").format(
        signed=signed, count=len(view.inputs)
    )


class PsbtDetails(QWidget):
    """The Details page: summary, warnings, what is spent, what is paid."""

    def __init__(self, unit: Unit = Unit.BTC, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
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
        self.inputs.setAccessibleName(self.tr("Inputs"))
        self.outputs.setAccessibleName(self.tr("Outputs"))
        self.warnings = QLabel()
        self.warnings.setObjectName("psbt-warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addWidget(QLabel(self.tr("Spends:")))
        layout.addWidget(self.inputs)
        layout.addWidget(QLabel(self.tr("Pays:")))
        layout.addWidget(self.outputs)
        layout.addStretch(1)

    def show_view(self, view: PsbtView | None) -> None:
        """Show ``view`` (None: empty)."""
        self.inputs.setRowCount(0)
        self.outputs.setRowCount(0)
        if view is None:
            for label in (
                self.txid_label,
                self.state_label,
                self.sends_label,
                self.fee_label,
                self.rate_label,
                self.warnings,
            ):
                label.clear()
            return
        self.txid_label.setText(view.txid)
        self.state_label.setText(signatures_text(view))
        self.sends_label.setText(format_amount(view.sent, self.unit))
        self._show_fee(view)
        self._fill_inputs(view)
        self._fill_outputs(view)
        self.warnings.setText(self._warnings_html(view))
        self.warnings.setVisible(bool(self.warnings.text()))

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
                self.tr("{rate} sat/vB ({size})").format(rate=decimal_number(rate, 1), size=size)
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
                fee=format_amount(view.fee, unit), rate=decimal_number(rate, 1), vsize=tx.vsize()
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
        "wallet": QCoreApplication.translate("PsbtDetails", "verified: the wallet's records"),
        "non_witness_utxo": QCoreApplication.translate(
            "PsbtDetails", "verified: the full previous transaction"
        ),
        "taproot": QCoreApplication.translate("PsbtDetails", "committed by Taproot (BIP341)"),
        "unverified": QCoreApplication.translate(
            "PsbtDetails", "UNVERIFIED: only the PSBT says so"
        ),
        "missing": QCoreApplication.translate("PsbtDetails", "unknown: the PSBT does not say"),
        "contradicted": QCoreApplication.translate("PsbtDetails", "CONTRADICTED: the PSBT lies"),
    }.get(source, source)


def _whose(own: str | None) -> str:
    if own == "change":
        return QCoreApplication.translate("PsbtDetails", "change (this wallet)")
    if own is not None:
        return QCoreApplication.translate("PsbtDetails", "this wallet")
    return QCoreApplication.translate("PsbtDetails", "external")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _brush(colour: str) -> QBrush:
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
