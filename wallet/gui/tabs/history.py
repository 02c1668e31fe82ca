"""History: every transaction with its trust state; details show the proof behind "confirmed"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import TxState
from wallet.bitcoin.errors import BitcoinError
from wallet.gui.controller import HistoryRow, WalletController
from wallet.gui.format import Unit, format_amount, format_time
from wallet.gui.models import HistoryModel, tx_state_text
from wallet.gui.tabs.tables import fill_with_last_column
from wallet.gui.theme import text_style
from wallet.gui.widgets import CopyLine, monospace, note
from wallet.spv.header import BlockHeader
from wallet.spv.merkle import root_from_branch


class HistoryTab(QWidget):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-history")
        self.controller = controller
        self.model = HistoryModel(controller, unit)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        fill_with_last_column(self.view)
        self.view.doubleClicked.connect(self._open)
        self.details_button = QPushButton("Details…")
        self.details_button.clicked.connect(self._open_selected)
        self.bump_button = QPushButton("Raise fee…")
        self.bump_button.setToolTip(
            "Replace an unconfirmed payment of yours (it signals replace-by-fee) with one "
            "paying a higher fee, so it is mined sooner."
        )
        self.bump_button.setEnabled(False)
        self.bump_button.clicked.connect(self.bump_selected)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.refreshed.connect(self._selection_changed)
        self.model.keep_selection(self.view)
        buttons = QHBoxLayout()
        buttons.addWidget(
            note("Double-click a transaction to see its Merkle proof and the block header."), 1
        )
        buttons.addWidget(self.bump_button)
        buttons.addWidget(self.details_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.shown()

    def selected_row(self) -> HistoryRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _selection_changed(self, *_args) -> None:
        row = self.selected_row()
        self.bump_button.setEnabled(row is not None and self.controller.can_bump(row.record))

    def bump_selected(self) -> BumpDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        dialog = BumpDialog(self.controller, row, self.model.unit, self)
        dialog.open()
        self.bump_dialog = dialog
        return dialog

    def _open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._open(rows[0])

    def _open(self, index: QModelIndex) -> None:
        row = self.model.record(index.row())
        TxDetailsDialog(self.controller, row, self.model.unit, self).open()


class TxDetailsDialog(QDialog):
    """The transaction, its state, and for confirmed ones the stored proof and its header."""

    def __init__(
        self,
        controller: WalletController,
        row: HistoryRow,
        unit: Unit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tx-details")
        self.setWindowTitle("Transaction details")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        record = row.record
        form = QFormLayout()
        form.addRow("Transaction ID:", CopyLine(record.txid_hex))
        self.state_label = QLabel(tx_state_text(row))
        form.addRow("State:", self.state_label)
        form.addRow("Amount:", QLabel(format_amount(row.net_sat, unit, sign=True)))
        form.addRow("First seen:", QLabel(format_time(record.first_seen)))
        tx = record.transaction()
        form.addRow(
            "Size:", QLabel(f"{tx.vsize()} vB · {len(tx.inputs)} in · {len(tx.outputs)} out")
        )
        if record.state is TxState.REPLACED and record.replaced_by:
            form.addRow("Replaced by:", CopyLine(record.replaced_by[::-1].hex()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.proof_text = QPlainTextEdit()
        self.proof_text.setReadOnly(True)
        self.proof_text.setFont(monospace())
        self.proof_text.setPlainText(proof_report(controller, row))
        self.proof_text.setMinimumSize(720, 260)
        layout.addWidget(QLabel("<b>Proof</b>"))
        layout.addWidget(self.proof_text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def proof_report(controller: WalletController, row: HistoryRow) -> str:
    """Plain text: the stored Merkle branch, the root it leads to, the header it was checked by."""
    record = row.record
    proof = record.proof
    if record.state is TxState.UNCONFIRMED:
        return "Not in a block yet: there is no proof to show."
    if record.state is TxState.UNVERIFIED:
        return (
            f"A server says this transaction is in the block at height {record.height:,}.\n"
            "No Merkle proof has been checked yet, so it is not counted as confirmed."
        )
    if record.state is TxState.REPLACED or proof is None:
        return "This transaction was replaced; it no longer counts."
    lines = [
        f"Block height:   {proof.height:,}",
        f"Block hash:     {proof.block_hash[::-1].hex()}",
        f"Position:       {proof.position}",
        f"Verified at:    {format_time(record.verified_at)}",
        f"Merkle branch ({len(proof.branch)} hashes, leaf to root):",
    ]
    lines += [f"  {i:2d}  {h[::-1].hex()}" for i, h in enumerate(proof.branch)]
    try:
        root = root_from_branch(record.txid, proof.branch, proof.position)
        lines.append(f"Root from branch: {root[::-1].hex()}")
    except BitcoinError as exc:
        root = None
        lines.append(f"The stored branch does not hash up: {exc}")
    raw = controller.header_at(proof.height)
    if raw is None:
        lines.append(
            "\nThe header at this height is in the light node's header store, which is not "
            "open in this build (the sync engine opens it)."
        )
        return "\n".join(lines)
    header = BlockHeader.parse(raw)
    lines += [
        "\nHeader it was checked against:",
        f"  hash         {header.hash_hex}",
        f"  previous     {header.prev_hash[::-1].hex()}",
        f"  merkle root  {header.merkle_root[::-1].hex()}",
        f"  time         {format_time(header.time)}",
        f"  bits         {header.bits:08x}",
        f"  raw          {raw[:40].hex()}",
        f"               {raw[40:].hex()}",
    ]
    if header.hash() != proof.block_hash:
        lines.append("WARNING: the header now at this height is another block (a reorg?).")
    elif root == header.merkle_root:
        lines.append("The branch leads to this header's merkle root: the proof holds.")
    else:
        lines.append("WARNING: the branch does not lead to this header's merkle root.")
    return "\n".join(lines)


class BumpDialog(QDialog):
    """Ask for the new fee rate, build the replacement, then the usual review and password."""

    def __init__(
        self, controller: WalletController, row: HistoryRow, unit: Unit, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bump-dialog")
        self.setWindowTitle("Raise the fee")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.controller = controller
        self.row = row
        self.unit = unit
        self.review = None
        tx = row.record.transaction()
        self.rate = QDoubleSpinBox()
        self.rate.setDecimals(1)
        self.rate.setRange(1.0, 1000.0)
        self.rate.setSuffix(" sat/vB")
        self.rate.setValue(5.0)
        self.estimate = QLabel("")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(text_style("error"))
        txid = QLabel(row.record.txid_hex)
        txid.setFont(monospace())
        txid.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Transaction:", txid)
        form.addRow("Size:", QLabel(f"{tx.vsize()} vB"))
        fee = controller.fee_paid(row.record)
        if fee is not None:
            form.addRow(
                "Fee now:",
                QLabel(f"{format_amount(fee, unit)} ({fee / tx.vsize():.1f} sat/vB)"),
            )
        form.addRow("New fee rate:", self.rate)
        form.addRow("", self.estimate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.next_button = buttons.addButton("Review…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.next_button.clicked.connect(self.build)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                "The replacement pays the same people the same amounts; the extra fee comes "
                "from your change. You will see the new fee before signing."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        controller.fee_estimate(1, self._estimate)

    def _estimate(self, rate) -> None:
        if rate is not None:
            self.estimate.setText(f"Next block estimate: {rate}")
            self.rate.setValue(max(self.rate.value(), float(rate.sat_per_vb)))

    def build(self) -> None:
        from decimal import Decimal

        from wallet.bitcoin.amount import FeeRate
        from wallet.gui.tabs.send import ReviewDialog
        from wallet.gui.workers import error_text

        self.error.clear()
        self.next_button.setEnabled(False)
        rate = FeeRate.from_sat_per_vb(Decimal(str(round(self.rate.value(), 1))))

        def planned(plan) -> None:
            self.next_button.setEnabled(True)
            self.review = ReviewDialog(self.controller, plan, self.unit, self.parentWidget())
            self.review.setWindowTitle("Review the replacement")
            self.review.open()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.next_button.setEnabled(True)
            self.error.setText(error_text(exc))

        self.controller.plan_bump(self.row.record.txid, rate, planned, failed)
