"""The main window: one tab per job, a status bar line reserved for the light node's sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
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

    def __init__(
        self, controller: WalletController, unit: Unit = Unit.BTC, settings: Any = None
    ) -> None:
        super().__init__()
        self.setObjectName("paylight-main")
        self.controller = controller
        self._settings = settings  # wallet.gui.settings.AppSettings, made when first needed
        read_system_locale()  # amounts shown and typed as the person's locale writes them
        network = controller.network.name
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
        view_menu.addSeparator()
        self.currency_action = QAction(self.tr("Local &currency…"), self)
        self.currency_action.triggered.connect(lambda: self.open_currency())
        view_menu.addAction(self.currency_action)
        install_tools_menu(self)  # PSBT…, Sign/verify message…

    def add_playground_menu(self, session: Callable[[], Any]) -> None:
        """For a playground wallet: mine a block now, and a customer paying the till (the demo
        ends in "Paid"). ``session`` gives the running ``PlaygroundSession`` (or None)."""
        menu = self.menuBar().addMenu(self.tr("&Playground"))
        mine = QAction(self.tr("&Mine a block now"), self)
        mine.setObjectName("playground-mine")
        mine.setShortcut(QKeySequence("Ctrl+M"))
        mine.triggered.connect(lambda: self._on_playground(session, "mine"))
        pay = QAction(self.tr("A &customer pays the till"), self)
        pay.setObjectName("playground-customer")
        pay.setToolTip(self.tr("The playground's faucet pays the open sale (or request)"))
        pay.triggered.connect(lambda: self._on_playground(session, "pay"))
        menu.addAction(mine)
        menu.addAction(pay)
        self.playground_actions = (mine, pay)

    def _on_playground(self, session: Callable[[], Any], what: str) -> None:
        from wallet.gui import playground_session as demo
        from wallet.gui.widgets import show_message
        from wallet.gui.workers import error_text, run_task

        running = session()
        if running is None:
            show_message(self, self.tr("Playground"), self.tr("The playground is not running."))
            return

        def failed(exc: BaseException) -> None:
            show_message(self, self.tr("Playground"), error_text(exc))

        if what == "mine":
            run_task(demo.mine_now, running, on_error=failed)
            return
        request = self._open_request()
        if request is None:
            show_message(
                self,
                self.tr("Playground"),
                self.tr("Start a sale at the till (or make a request with an amount) first."),
            )
            return
        address, sats = request
        run_task(demo.pay_like_a_customer, running, address, sats, on_error=failed)

    def _open_request(self) -> tuple[str, int] | None:
        """The till's open sale, else the Receive tab's request: (address, amount still due)."""
        till = self.pos_window
        candidates = []
        if till is not None and till.isVisible() and till.request is not None:
            candidates.append(till.request)
        if self.receive.request is not None:
            candidates.append(self.receive.request)
        for request in candidates:
            status = self.controller.request_status(request)
            due = status.shortfall_sat if status.received_sat else (request.amount_sat or 0)
            if due > 0:
                return request.address, due
        return None

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from wallet.gui.settings import AppSettings

            self._settings = AppSettings()
        return self._settings

    def open_currency(self) -> Any:
        """The local currency dialog (which currency, its rate sources, a rate by hand)."""
        from wallet.gui.currency import CurrencyDialog

        dialog = CurrencyDialog(
            self.controller.rates, self.settings, self, network=self.controller.network
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_pos(self, *, fullscreen: bool = True):
        """The merchant till in its own (full-screen) window; one at a time."""
        from wallet.gui.pos import PosWindow

        if self.pos_window is not None and self.pos_window.isVisible():
            self.pos_window.raise_()
            return self.pos_window
        unit = Unit.SAT if self.unit is Unit.SAT else Unit.BTC
        self.pos_window = PosWindow(
            self.controller, unit, fullscreen=fullscreen, settings=self.settings
        )
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
