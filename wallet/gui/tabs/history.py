"""History: every transaction with its trust state; details show the proof behind "confirmed"."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
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
from wallet.gui import glossary
from wallet.gui.controller import HistoryRow, WalletController
from wallet.gui.format import Unit, format_amount, format_time, number
from wallet.gui.models import HistoryModel, tx_state_text
from wallet.gui.tabs.tables import fill_with_last_column
from wallet.gui.theme import text_style
from wallet.gui.widgets import CopyLine, monospace, note, tab_in_drawn_order
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
        self.view.setAccessibleName(self.tr("Transactions"))
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.clicked.connect(self._open_selected)
        self.bump_button = QPushButton(self.tr("Raise fee…"))
        self.bump_button.setToolTip(
            self.tr(
                "Replace an unconfirmed payment of yours (it signals replace-by-fee) with one "
                "paying a higher fee, so it is mined sooner."
            )
        )
        self.bump_button.setEnabled(False)
        self.bump_button.clicked.connect(self.bump_selected)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.refreshed.connect(self._selection_changed)
        self.model.keep_selection(self.view)
        buttons = QHBoxLayout()
        buttons.addWidget(
            note(
                self.tr("Double-click a transaction to see its Merkle proof and the block header.")
            ),
            1,
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
        self.setWindowTitle(self.tr("Transaction details"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        record = row.record
        form = QFormLayout()
        form.addRow(
            self.tr("Transaction ID:"), CopyLine(record.txid_hex, name=self.tr("Transaction ID"))
        )
        self.state_label = QLabel(tx_state_text(row))
        form.addRow(self.tr("State:"), self.state_label)
        form.addRow(self.tr("Amount:"), QLabel(format_amount(row.net_sat, unit, sign=True)))
        form.addRow(self.tr("First seen:"), QLabel(format_time(record.first_seen)))
        tx = record.transaction()
        form.addRow(
            self.tr("Size:"),
            QLabel(
                self.tr("{vsize} vB · {inputs} in · {outputs} out").format(
                    vsize=tx.vsize(), inputs=len(tx.inputs), outputs=len(tx.outputs)
                )
            ),
        )
        if record.state is TxState.REPLACED and record.replaced_by:
            replaced = CopyLine(record.replaced_by[::-1].hex(), name=self.tr("Replaced by"))
            form.addRow(self.tr("Replaced by:"), replaced)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.proof_text = QPlainTextEdit()
        self.proof_text.setReadOnly(True)
        self.proof_text.setFont(monospace())
        self.proof_text.setPlainText(proof_report(controller, row))
        self.proof_text.setMinimumSize(720, 260)
        self.proof_text.setAccessibleName(self.tr("Proof"))
        layout.addWidget(QLabel("<b>{}</b>".format(self.tr("Proof"))))
        layout.addWidget(self.proof_text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _aligned(rows: list[tuple[str, str]], indent: str = "") -> list[str]:
    """``label  value`` lines with the values in one column (labels are translated, so their
    width is only known here; a monospace font shows it)."""
    width = max(_display_width(label) for label, _value in rows) + 2
    return [
        f"{indent}{label}{' ' * (width - _display_width(label))}{value}" for label, value in rows
    ]


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace font (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def proof_report(controller: WalletController, row: HistoryRow) -> str:
    """Plain text: the stored Merkle branch, the root it leads to, the header it was checked by."""
    record = row.record
    proof = record.proof
    if record.state is TxState.UNCONFIRMED:
        return QCoreApplication.translate(
            "ProofReport", "Not in a block yet: there is no proof to show."
        )
    if record.state is TxState.UNVERIFIED:
        return QCoreApplication.translate(
            "ProofReport",
            "A server says this transaction is in the block at height {height}.\n"
            "No Merkle proof has been checked yet, so it is not counted as confirmed.",
        ).format(height=number(record.height))
    if record.state is TxState.REPLACED or proof is None:
        return QCoreApplication.translate(
            "ProofReport", "This transaction was replaced; it no longer counts."
        )
    lines = _aligned(
        [
            (QCoreApplication.translate("ProofReport", "Block height:"), number(proof.height)),
            (
                QCoreApplication.translate("ProofReport", "Block hash:"),
                proof.block_hash[::-1].hex(),
            ),
            (QCoreApplication.translate("ProofReport", "Position:"), str(proof.position)),
            (
                QCoreApplication.translate("ProofReport", "Verified at:"),
                format_time(record.verified_at),
            ),
        ]
    )
    lines.append(
        QCoreApplication.translate(
            "ProofReport", "Merkle branch ({n} hashes, leaf to root):"
        ).format(n=len(proof.branch))
    )
    lines += [f"  {i:2d}  {h[::-1].hex()}" for i, h in enumerate(proof.branch)]
    try:
        root = root_from_branch(record.txid, proof.branch, proof.position)
        lines.append(
            QCoreApplication.translate("ProofReport", "Root from branch: {root}").format(
                root=root[::-1].hex()
            )
        )
    except BitcoinError as exc:
        root = None
        lines.append(
            QCoreApplication.translate(
                "ProofReport", "The stored branch does not hash up: {reason}"
            ).format(reason=exc)
        )
    raw = controller.header_at(proof.height)
    if raw is None:
        lines.append(
            "\n"
            + QCoreApplication.translate(
                "ProofReport",
                "The header at this height is in the light node's header store, which the sync "
                "engine opens; this window has no engine running yet.",
            )
        )
        return "\n".join(lines)
    header = BlockHeader.parse(raw)
    lines += ["", QCoreApplication.translate("ProofReport", "Header it was checked against:")]
    lines += _aligned(
        [
            (QCoreApplication.translate("ProofReport", "hash"), header.hash_hex),
            (QCoreApplication.translate("ProofReport", "previous"), header.prev_hash[::-1].hex()),
            (
                QCoreApplication.translate("ProofReport", "merkle root"),
                header.merkle_root[::-1].hex(),
            ),
            (QCoreApplication.translate("ProofReport", "time"), format_time(header.time)),
            (QCoreApplication.translate("ProofReport", "bits"), f"{header.bits:08x}"),
            (QCoreApplication.translate("ProofReport", "raw"), raw[:40].hex()),
            ("", raw[40:].hex()),
        ],
        indent="  ",
    )
    if header.hash() != proof.block_hash:
        lines.append(
            QCoreApplication.translate(
                "ProofReport", "WARNING: the header now at this height is another block (a reorg?)."
            )
        )
    elif root == header.merkle_root:
        lines.append(
            QCoreApplication.translate(
                "ProofReport", "The branch leads to this header's merkle root: the proof holds."
            )
        )
    else:
        lines.append(
            QCoreApplication.translate(
                "ProofReport", "WARNING: the branch does not lead to this header's merkle root."
            )
        )
    return "\n".join(lines)


class BumpDialog(QDialog):
    """Ask for the new fee rate, build the replacement, then the usual review and password."""

    def __init__(
        self, controller: WalletController, row: HistoryRow, unit: Unit, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bump-dialog")
        self.setWindowTitle(self.tr("Raise the fee"))
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
        form.addRow(self.tr("Transaction:"), txid)
        form.addRow(self.tr("Size:"), QLabel(f"{tx.vsize()} vB"))
        fee = controller.fee_paid(row.record)
        if fee is not None:
            form.addRow(
                self.tr("Fee now:"),
                QLabel(f"{format_amount(fee, unit)} ({fee / tx.vsize():.1f} sat/vB)"),
            )
        form.addRow(self.tr("New fee &rate:"), self.rate)
        self.rate_help = glossary.link_label("fee-rate")
        form.addRow("", self.rate_help)
        form.addRow("", self.estimate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.next_button = buttons.addButton(
            self.tr("Review…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.next_button.setDefault(True)  # Enter reviews the replacement
        self.next_button.clicked.connect(self.build)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                self.tr(
                    "The replacement pays the same people the same amounts; the extra fee "
                    "comes from your change. You will see the new fee before signing."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        tab_in_drawn_order(buttons)
        controller.fee_estimate(1, self._estimate)

    def _estimate(self, rate) -> None:
        if rate is not None:
            self.estimate.setText(self.tr("Next block estimate: {rate}").format(rate=rate))
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
            self.review.setWindowTitle(self.tr("Review the replacement"))
            self.review.open()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.next_button.setEnabled(True)
            self.error.setText(error_text(exc))

        self.controller.plan_bump(self.row.record.txid, rate, planned, failed)
