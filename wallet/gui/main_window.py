"""The main window: Home first, one tab per job, the expert tabs behind View › Advanced, and a
status bar line reserved for the light node's sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget

from wallet import __version__
from wallet.gui import glossary, i18n
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
    #: a code of :data:`wallet.gui.i18n.LANGUAGES`, or "" for the system's language
    language_requested = Signal(str)
    #: the Advanced tabs were shown (True) or hidden
    advanced_changed = Signal(bool)

    def __init__(
        self,
        controller: WalletController,
        unit: Unit = Unit.BTC,
        settings: Any = None,
        *,
        advanced: bool = False,
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
            (self.overview, self.tr("Home")),
            (self.receive, self.tr("Receive")),
            (self.send, self.tr("Send")),
            (self.history, self.tr("History")),
            (self.requests, self.tr("Requests")),
            (self.coins, self.tr("Coins")),
            (self.addresses, self.tr("Addresses")),
            (self.node, self.tr("Light node")),
        ):
            self.tabs.addTab(widget, title)
        #: the tabs for people who want the machinery: shown with View › Advanced
        self.advanced_tabs = (self.coins, self.addresses, self.node)
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
        self.overview.receive_requested.connect(self.show_receive)
        self.overview.pay_requested.connect(self.scan_to_pay)
        self.overview.till_requested.connect(lambda: self.open_pos())

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
        self.set_advanced(advanced)
        self.resize(1000, 680)

    def _build_menus(self, unit: Unit) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        new_action = QAction(self.tr("&New or restore wallet…"), self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.new_wallet_requested)
        open_action = QAction(self.tr("&Open wallet…"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.open_wallet_requested)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.connection_action = QAction(self.tr("&Connection…"), self)
        self.connection_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.connection_action.triggered.connect(self.open_connection)
        for action in (new_action, open_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.connection_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        till_menu = self.menuBar().addMenu(self.tr("&Till"))
        self.pos_action = QAction(self.tr("&Merchant till (full screen)"), self)
        self.pos_action.setShortcut(QKeySequence("Ctrl+T"))
        self.pos_action.triggered.connect(lambda: self.open_pos())
        till_menu.addAction(self.pos_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        group = QActionGroup(self)
        self.unit_actions: dict[Unit, QAction] = {}
        for u, text in (
            (Unit.BTC, self.tr("Amounts in &BTC")),
            (Unit.SAT, self.tr("Amounts in &sats")),
        ):
            action = QAction(text, self, checkable=True)
            action.setChecked(u is unit)
            action.triggered.connect(lambda _c=False, u=u: self.set_unit(u))
            group.addAction(action)
            view_menu.addAction(action)
            self.unit_actions[u] = action
        view_menu.addSeparator()
        self.advanced_action = QAction(self.tr("&Advanced: coins, addresses, light node"), self)
        self.advanced_action.setCheckable(True)
        self.advanced_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.advanced_action.toggled.connect(self._advanced_toggled)
        view_menu.addAction(self.advanced_action)
        self.currency_action = QAction(self.tr("Local &currency…"), self)
        self.currency_action.triggered.connect(lambda: self.open_currency())
        language_menu = view_menu.addMenu(self.tr("&Language"))
        languages = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        choices = [(i18n.SYSTEM, self.tr("System language")), *i18n.LANGUAGES.items()]
        for code, name in choices:
            action = QAction(name, self, checkable=True)
            action.triggered.connect(lambda _c=False, code=code: self.language_requested.emit(code))
            languages.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action

        view_menu.addAction(self.currency_action)
        install_tools_menu(self)  # PSBT…, Sign/verify message…

        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        glossary_action = QAction(self.tr("&Glossary: words explained"), self)
        glossary_action.triggered.connect(lambda: glossary.show_glossary(self))
        self.help_menu.addAction(glossary_action)

    def show_language(self, setting: str) -> None:
        """Tick the language chosen in the settings ("" is the system's)."""
        action = self.language_actions.get(setting) or self.language_actions[i18n.SYSTEM]
        action.setChecked(True)

    def set_advanced(self, on: bool) -> None:
        """Show or hide the Advanced tabs (coins, addresses, light node)."""
        self.advanced_action.setChecked(on)
        self._advanced_toggled(on)

    def _advanced_toggled(self, on: bool) -> None:
        if not on and self.tabs.currentWidget() in self.advanced_tabs:
            self.tabs.setCurrentWidget(self.overview)
        for tab in self.advanced_tabs:
            self.tabs.setTabVisible(self.tabs.indexOf(tab), on)
        self.advanced_changed.emit(on)

    def advanced(self) -> bool:
        return self.advanced_action.isChecked()

    def show_receive(self) -> None:
        self.tabs.setCurrentWidget(self.receive)
        self.receive.amount.edit.setFocus()

    def scan_to_pay(self):
        """Pay (scan): the Send tab with the scanner open on it."""
        self.tabs.setCurrentWidget(self.send)
        return self.send.open_scanner()

    def add_playground_menu(self, session: Callable[[], Any]) -> None:
        """For a playground wallet: mine a block now, and a customer paying the till (the demo
        ends in "Paid"). ``session`` gives the running ``PlaygroundSession`` (or None)."""
        menu = QMenu(self.tr("&Playground"), self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)  # Help stays last
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

    def open_connection(self) -> Any:
        """File → Connection…: this wallet's chain sources and Tor (``gui/connection.py``)."""
        from wallet.gui.connection import ConnectionDialog
        from wallet.gui.playground_session import playground_choices

        controller = self.controller
        servers, peers = playground_choices(controller.db)
        config = controller.wallet.config
        birth = config.birth_height
        if birth is None:  # a date, or none (every block from the first)
            from wallet.gui.restore_estimate import mainnet_height_at

            on_mainnet = controller.network.name == "mainnet" and config.birth_time
            birth = mainnet_height_at(config.birth_time) if on_mainnet else 0
        dialog = ConnectionDialog(
            controller.sources(),
            self.settings.proxy(),
            lambda sources, proxy: controller.change_connection(
                sources, proxy, self.settings, lambda: None
            ),
            self,
            network=controller.network.name,
            servers=servers,
            peers=peers,
            birth_height=birth,
            tip_height=controller.engine.tip_height() if controller.engine else None,
        )
        dialog.open()
        self.connection_dialog = dialog
        return dialog

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
