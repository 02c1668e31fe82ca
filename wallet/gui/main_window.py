"""The main window: one tab per job, a status bar line reserved for the light node's sync."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from wallet import __version__
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, read_system_locale
from wallet.gui.tabs.history import HistoryTab
from wallet.gui.tabs.node import NodeTab
from wallet.gui.tabs.overview import OverviewTab
from wallet.gui.tabs.receive import ReceiveTab
from wallet.gui.tabs.send import SendTab
from wallet.gui.tabs.tables import AddressesTab, CoinsTab, RequestsTab
from wallet.gui.tools_menu import install_tools_menu
from wallet.sync.events import SyncStatus


class MainWindow(QMainWindow):
    new_wallet_requested = Signal()
    open_wallet_requested = Signal()

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.setObjectName("paylight-main")
        self.controller = controller
        read_system_locale()  # amounts shown and typed as the person's locale writes them
        network = controller.network
        suffix = "" if network == "mainnet" else f" [{network}]"
        self.setWindowTitle(f"Paylight {__version__} — {controller.name}{suffix}")

        self.overview = OverviewTab(controller, unit)
        self.send = SendTab(controller, unit)
        self.receive = ReceiveTab(controller, unit)
        self.history = HistoryTab(controller, unit)
        self.coins = CoinsTab(controller, unit)
        self.addresses = AddressesTab(controller, unit)
        self.requests = RequestsTab(controller, unit)
        self.node = NodeTab(controller)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, title in (
            (self.overview, "Overview"),
            (self.send, "Send"),
            (self.receive, "Receive"),
            (self.history, "History"),
            (self.coins, "Coins"),
            (self.addresses, "Addresses"),
            (self.requests, "Requests"),
            (self.node, "Light node"),
        ):
            self.tabs.addTab(widget, title)
        self.setCentralWidget(self.tabs)
        for model, tab in (
            (self.overview.recent.model(), self.overview),
            (self.history.model, self.history),
            (self.coins.model, self.coins),
            (self.addresses.model, self.addresses),
            (self.requests.model, self.requests),
        ):
            model.follow_visibility(tab)

        self.coins.spend_from.connect(self._spend_from)
        self.requests.open_request.connect(self._show_request)

        self.sync_label = QLabel()
        self.sync_label.setObjectName("sync-status")
        self.wallet_label = QLabel(f"{controller.name} · {network}")
        self.statusBar().addWidget(self.wallet_label)
        self.statusBar().addPermanentWidget(self.sync_label)
        controller.status_changed.connect(self.show_sync_status)
        controller.changed.connect(self.show_sync_status)  # the proven/mined count
        self.show_sync_status(controller.status)

        self.unit = unit
        self.pos_window = None
        self._build_menus(unit)
        self.resize(1000, 680)

    def _build_menus(self, unit: Unit) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new_action = QAction("&New or restore wallet…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.new_wallet_requested)
        open_action = QAction("&Open wallet…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.open_wallet_requested)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (new_action, open_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        till_menu = self.menuBar().addMenu("&Till")
        self.pos_action = QAction("&Merchant till (full screen)", self)
        self.pos_action.setShortcut(QKeySequence("Ctrl+T"))
        self.pos_action.triggered.connect(lambda: self.open_pos())
        till_menu.addAction(self.pos_action)

        view_menu = self.menuBar().addMenu("&View")
        group = QActionGroup(self)
        self.unit_actions: dict[Unit, QAction] = {}
        for u, text in ((Unit.BTC, "Amounts in &BTC"), (Unit.SAT, "Amounts in &sats")):
            action = QAction(text, self, checkable=True)
            action.setChecked(u is unit)
            action.triggered.connect(lambda _c=False, u=u: self.set_unit(u))
            group.addAction(action)
            view_menu.addAction(action)
            self.unit_actions[u] = action
        install_tools_menu(self)  # PSBT…, Sign/verify message…

    def open_pos(self, *, fullscreen: bool = True):
        """The merchant till in its own (full-screen) window; one at a time."""
        from wallet.gui.pos import PosWindow

        if self.pos_window is not None and self.pos_window.isVisible():
            self.pos_window.raise_()
            return self.pos_window
        unit = Unit.SAT if self.unit is Unit.SAT else Unit.BTC
        self.pos_window = PosWindow(self.controller, unit, fullscreen=fullscreen)
        self.pos_window.open()
        return self.pos_window

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        for tab in (self.overview, self.send, self.receive):
            tab.set_unit(unit)
        for model in (
            self.history.model,
            self.coins.model,
            self.addresses.model,
            self.requests.model,
        ):
            model.set_unit(unit)

    def show_sync_status(self, _status: SyncStatus | None = None) -> None:
        self.sync_label.setText(self.controller.status_text())
        self.sync_label.setToolTip(self.controller.status_details())

    def _spend_from(self, coins: list) -> None:
        self.send.set_coins(coins)
        self.tabs.setCurrentWidget(self.send)

    def _show_request(self, request) -> None:
        self.receive.show_request(request)
        self.tabs.setCurrentWidget(self.receive)

    def closeEvent(self, event) -> None:
        self.send.scanner_dialog = None
        if self.pos_window is not None:
            self.pos_window.close()
            self.pos_window = None
        super().closeEvent(event)
