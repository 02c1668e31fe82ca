"""Coins, Addresses and Requests: tables over the wallet database with their few actions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wallet.account.database import Chain, OutputRecord, PaymentRequest, RequestState, TxState
from wallet.bitcoin.transaction import OutPoint
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount
from wallet.gui.message_dialog import install_address_menu
from wallet.gui.models import (
    AddressesModel,
    CoinsModel,
    RecordModel,
    RequestsModel,
    chain_name,
    request_state_meaning,
    request_state_name,
    tx_state_name,
)
from wallet.gui.widgets import note, show_message


def fill_with_last_column(view: QTableView) -> None:
    """Columns sized to their contents, the last one given the width left (a long txid or
    address is then elided in the middle instead of pushing the table wider)."""
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Size columns from the rows on screen only: measuring every row on each refresh
    # stalls the UI thread during a big sync (bench/ui_latency.py).
    header.setResizeContentsPrecision(0)
    header.setStretchLastSection(True)
    last = view.model().columnCount() - 1
    if last >= 0:
        header.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)


def make_table(model: RecordModel, multi: bool = False) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    fill_with_last_column(view)
    model.keep_selection(view)
    return view


class TableTab(QWidget):
    """A tab showing one :class:`RecordModel`, read again when the tab is shown."""

    model: RecordModel

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.shown()


class CoinsTab(TableTab):
    """Unspent coins: freeze or unfreeze them, or pick some to pay from on the Send tab."""

    spend_from = Signal(object)  # list[OutputRecord]

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-coins")
        self.controller = controller
        self.model = CoinsModel(controller, unit)
        self.view = make_table(self.model, multi=True)
        self.view.setAccessibleName(self.tr("Coins"))
        self.freeze_button = QPushButton(self.tr("Freeze"))
        self.freeze_button.setToolTip(
            self.tr("Frozen coins are never chosen automatically for a payment.")
        )
        self.unfreeze_button = QPushButton(self.tr("Unfreeze"))
        self.spend_button = QPushButton(self.tr("Spend from selected…"))
        self.spend_button.setToolTip(self.tr("Pay from exactly these coins (coin control)."))
        self.freeze_button.clicked.connect(lambda: self._freeze(True))
        self.unfreeze_button.clicked.connect(lambda: self._freeze(False))
        self.spend_button.clicked.connect(self._spend)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        for button in (self.freeze_button, self.unfreeze_button, self.spend_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(self._update)
        self.model.refreshed.connect(self._update)
        self._update()

    def selected(self) -> list[OutputRecord]:
        return [self.model.record(i.row()) for i in self.view.selectionModel().selectedRows()]

    def select_outpoints(self, outpoints: list[OutPoint]) -> None:
        self.view.clearSelection()
        mode = self.view.selectionModel()
        for row, coin in enumerate(self.model.rows):
            if coin.outpoint in outpoints:
                index = self.model.index(row, 0)
                mode.select(index, mode.SelectionFlag.Select | mode.SelectionFlag.Rows)

    def _update(self) -> None:
        chosen = self.selected()
        has = bool(chosen)
        self.freeze_button.setEnabled(has and any(not c.frozen for c in chosen))
        self.unfreeze_button.setEnabled(has and any(c.frozen for c in chosen))
        self.spend_button.setEnabled(has and not any(c.frozen for c in chosen))
        coins = chosen or self.model.rows
        if chosen:
            what = self.tr("{n} selected").format(n=len(chosen))
        elif len(coins) == 1:
            what = self.tr("1 coin")
        else:
            what = self.tr("{n} coins").format(n=len(coins))
        per_state: dict[TxState, int] = {}
        for coin in coins:  # kept apart by trust state, as everywhere
            per_state[coin.state] = per_state.get(coin.state, 0) + coin.value
        parts = [
            f"{format_amount(v, self.model.unit)} {tx_state_name(k)}"
            for k, v in sorted(per_state.items(), key=lambda kv: kv[0].value)
        ]
        self.summary.setText(f"{what}: " + (" · ".join(parts) or self.tr("none")))

    def _freeze(self, frozen: bool) -> None:
        chosen = [c.outpoint for c in self.selected()]
        try:
            for outpoint in chosen:
                self.controller.set_frozen(outpoint, frozen)
        except Exception as exc:
            show_message(self, self.tr("Coins"), str(exc))
        self.select_outpoints(chosen)

    def _spend(self) -> None:
        self.spend_from.emit(self.selected())


class AddressesTab(TableTab):
    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-addresses")
        self.model = AddressesModel(controller, unit)
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.view = make_table(self.model)
        self.view.setModel(self.proxy)  # make_table's keep_selection maps through it
        self.view.setAccessibleName(self.tr("Addresses"))
        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Which addresses"))
        self.filter.addItems([self.tr("All addresses"), self.tr("Receive"), self.tr("Change")])
        self.filter.currentIndexChanged.connect(self._filter)
        self.copy_button = QPushButton(self.tr("Copy address"))
        self.copy_button.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.filter)
        row.addWidget(
            note(
                self.tr("Addresses are derived ahead of use (gap limit {n}).").format(
                    n=controller.wallet.config.gap_limit
                )
            ),
            1,
        )
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        install_address_menu(self)  # right-click: Copy address, Sign/verify message…

    def _filter(self, which: int) -> None:
        self.proxy.setFilterFixedString(
            ["", chain_name(Chain.RECEIVE), chain_name(Chain.CHANGE)][which]
        )

    def _copy(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            record = self.model.record(self.proxy.mapToSource(rows[0]).row())
            QGuiApplication.clipboard().setText(record.address)


def request_legend() -> str:
    """Every state the Requests tab's State column can show, and what it means."""
    intro = QCoreApplication.translate(
        "RequestsTab",
        "Requests move from waiting to seen to confirmed to paid as the sync engine finds "
        "payments.",
    )
    return (
        intro
        + " "
        + " · ".join(
            f"<b>{request_state_name(state)}</b>: {request_state_meaning(state)}"
            for state in RequestState
        )
        + "."
    )


class RequestsTab(TableTab):
    """Payment requests made on the Receive tab, with their state."""

    open_request = Signal(object)  # PaymentRequest

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("tab-requests")
        self.model = RequestsModel(controller, unit)
        self.view = make_table(self.model)
        self.view.setAccessibleName(self.tr("Payment requests"))
        self.view.doubleClicked.connect(lambda index: self._show(index.row()))
        self.show_button = QPushButton(self.tr("Show QR"))
        self.show_button.clicked.connect(self._show_selected)
        self.legend = note(request_legend())
        self.legend.setObjectName("requests-legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.addWidget(self.legend, 1)
        row.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def _show_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._show(rows[0].row())

    def _show(self, row: int) -> None:
        request: PaymentRequest = self.model.record(row)
        self.open_request.emit(request)
