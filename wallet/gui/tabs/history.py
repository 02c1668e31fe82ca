"""History: every transaction with its trust state; details show the proof behind "confirmed"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
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
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._open)
        self.details_button = QPushButton("Details…")
        self.details_button.clicked.connect(self._open_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(
            note("Double-click a transaction to see its Merkle proof and the block header."), 1
        )
        buttons.addWidget(self.details_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

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
        f"  raw          {raw.hex()}",
    ]
    if header.hash() != proof.block_hash:
        lines.append("WARNING: the header now at this height is another block (a reorg?).")
    elif root == header.merkle_root:
        lines.append("The branch leads to this header's merkle root: the proof holds.")
    else:
        lines.append("WARNING: the branch does not lead to this header's merkle root.")
    return "\n".join(lines)
