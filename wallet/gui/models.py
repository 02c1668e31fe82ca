"""Qt table models over the wallet database (read through the controller, refreshed on change).

Each model is a list of records plus column definitions; ``reload`` re-reads the database,
which is cheap for a wallet's size (a few thousand rows). The record of a row is under
``Qt.UserRole`` so views act on the wallet's own objects, not on display text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from wallet.account.database import (
    AddressRecord,
    Chain,
    OutputRecord,
    PaymentRequest,
    RequestState,
    TxState,
)
from wallet.gui.controller import HistoryRow, WalletController
from wallet.gui.format import Unit, format_amount, format_time

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ROOT = QModelIndex()

#: Colours of trust states, readable on light and dark palettes.
STATE_COLOURS = {
    TxState.CONFIRMED: QColor(30, 150, 70),
    TxState.UNVERIFIED: QColor(200, 130, 0),
    TxState.UNCONFIRMED: QColor(120, 120, 200),
    TxState.REPLACED: QColor(150, 150, 150),
}


def tx_state_text(row: HistoryRow) -> str:
    state = row.record.state
    if state is TxState.CONFIRMED:
        if row.confirmations is None:
            return f"confirmed (proof checked at height {row.record.height:,})"
        return f"confirmed · {row.confirmations:,} confirmation{'s' * (row.confirmations != 1)}"
    if state is TxState.UNVERIFIED:
        return f"unverified (a server says height {row.record.height:,})"
    if state is TxState.REPLACED:
        return "replaced"
    return "unconfirmed (in the mempool)"


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Any], str] | None = None


class RecordModel(QAbstractTableModel):
    """Rows of records with fixed columns; subclasses say how to load them."""

    columns: Sequence[Column] = ()

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.controller = controller
        self.unit = unit
        self.rows: list[Any] = []
        self.stale = False
        self._shown_in: QWidget | None = None
        controller.changed.connect(self.reload)
        self.reload()

    def load(self) -> list[Any]:
        raise NotImplementedError

    def reload(self) -> None:
        """Load the rows again; while no view of this model is on screen, only remember to
        (a big sync changes the database often: hidden tables must not cost the UI thread)."""
        if self._shown_in is not None and not self._shown_in.isVisible():
            self.stale = True
            return
        self.stale = False
        self.beginResetModel()
        self.rows = self.load()
        self.endResetModel()

    def follow_visibility(self, widget: QWidget) -> None:
        """Reload only while ``widget`` (the tab showing this model) is visible."""
        self._shown_in = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale:
            self.reload()
        return False

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        self.reload()

    def record(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item)
        if role == Qt.ItemDataRole.UserRole:
            return item
        return self.extra(item, column, role)

    def extra(self, item: Any, column: Column, role: int) -> Any:
        return None


class HistoryModel(RecordModel):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        self.columns = (
            Column("Date", lambda r: format_time(r.record.first_seen)),
            Column("State", tx_state_text),
            Column("Amount", lambda r: format_amount(r.net_sat, self.unit, sign=True), RIGHT),
            Column("Label", lambda r: r.label),
            Column(
                "Transaction",
                lambda r: r.record.txid_hex[:16] + "…",
                tooltip=lambda r: r.record.txid_hex,
            ),
        )
        super().__init__(controller, unit)

    def load(self) -> list[HistoryRow]:
        return self.controller.history()

    def extra(self, item: HistoryRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column.title == "State":
            return STATE_COLOURS[item.record.state]
        return None


def _outpoint_text(o: OutputRecord) -> str:
    return f"{o.outpoint.txid[::-1].hex()[:12]}…:{o.outpoint.vout}"


class CoinsModel(RecordModel):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        self.columns = (
            Column(
                "Coin",
                _outpoint_text,
                tooltip=lambda o: f"{o.outpoint.txid[::-1].hex()}:{o.outpoint.vout}",
            ),
            Column("Amount", lambda o: format_amount(o.value, self.unit), RIGHT),
            Column("State", lambda o: o.state.value),
            Column("Address", lambda o: self._address(o)),
            Column("Frozen", lambda o: "frozen" if o.frozen else ""),
        )
        self._addresses: dict[int, str] = {}
        super().__init__(controller, unit)

    def _address(self, o: OutputRecord) -> str:
        kind = "change" if o.chain is Chain.CHANGE else "receive"
        return f"{self._addresses.get(o.address_id, '')} ({kind} #{o.index})"

    def load(self) -> list[OutputRecord]:
        self._addresses = {a.id: a.address for a in self.controller.addresses()}
        return self.controller.coins()

    def extra(self, item: OutputRecord, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column.title == "State":
            return STATE_COLOURS[item.state]
        if role == Qt.ItemDataRole.ForegroundRole and item.frozen:
            return QColor(150, 150, 150)
        return None


class AddressesModel(RecordModel):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        self.columns = (
            Column("Chain", lambda a: "change" if a.chain is Chain.CHANGE else "receive"),
            Column("Index", lambda a: str(a.index), RIGHT),
            Column("Address", lambda a: a.address),
            Column("Used", lambda a: "used" if a.used else ""),
            Column(
                "Balance", lambda a: format_amount(self._balances.get(a.id, 0), self.unit), RIGHT
            ),
            Column("Label", lambda a: self._labels.get(a.address, "")),
        )
        self._balances: dict[int, int] = {}
        self._labels: dict[str, str] = {}
        super().__init__(controller, unit)

    def load(self) -> list[AddressRecord]:
        self._balances = {}
        for coin in self.controller.coins():
            self._balances[coin.address_id] = self._balances.get(coin.address_id, 0) + coin.value
        self._labels = {x.ref: x.label for x in self.controller.db.labels("addr")}
        return self.controller.addresses()


class RequestsModel(RecordModel):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        self.columns = (
            Column("Created", lambda r: format_time(r.created_at)),
            Column("State", lambda r: r.state.value),
            Column("Amount", lambda r: self._amount(r), RIGHT),
            Column("Label", lambda r: r.label),
            Column("Address", lambda r: r.address),
        )
        super().__init__(controller, unit)

    def _amount(self, r: PaymentRequest) -> str:
        return "any amount" if r.amount_sat is None else format_amount(r.amount_sat, self.unit)

    def load(self) -> list[PaymentRequest]:
        return self.controller.requests()

    def extra(self, item: PaymentRequest, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column.title == "State":
            if item.state in (RequestState.CONFIRMED, RequestState.PAID):
                return STATE_COLOURS[TxState.CONFIRMED]
            if item.state is RequestState.SEEN:
                return STATE_COLOURS[TxState.UNCONFIRMED]
        return None
