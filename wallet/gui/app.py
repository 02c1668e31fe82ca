"""Start the desktop app: reopen the last wallet, or run the first-run wizard.

``paylight`` with no arguments calls :func:`run_gui`. The last wallet opened is remembered in
the GUI's settings; a wallet open in another Paylight process is refused with the wallet lock's
own sentence (the OS lock in ``wallet_file`` guarantees two processes never write one wallet).
A wallet made on the local playground gets its playground back when it is opened again (see
``playground_session``); quitting stops it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet import __version__
from wallet.account.database import WalletDatabase
from wallet.account.keystore import ScryptParams
from wallet.account.paths import data_dir
from wallet.account.wallet_file import CONFIG_FILE, DATABASE_FILE, Wallet
from wallet.errors import PaylightError
from wallet.gui import i18n, main_thread_gc
from wallet.gui.controller import SyncEngine, WalletController
from wallet.gui.format import Unit, read_system_locale
from wallet.gui.main_window import MainWindow
from wallet.gui.playground_session import (
    PlaygroundKeeper,
    PlaygroundSession,
    gone_message,
    has_chain,
    mark_wallet,
    playground_config,
    playground_mode,
)
from wallet.gui.settings import AppSettings, configure_application
from wallet.gui.theme import apply_legible_palette, text_style
from wallet.gui.widgets import heading, note, show_message, with_detail
from wallet.gui.wizard import SetupWizard
from wallet.gui.workers import wait_for_tasks

log = logging.getLogger(__name__)


#: How often (seconds) Python hands the GIL between threads. The default 5 ms lets the sync
#: thread's pure-Python work hold the UI thread up for 5 ms at every handover (and SQLite
#: releases the GIL per row fetched, so a query of n rows can wait n times); at 0.5 ms the UI
#: keeps its frame budget during a big sync (bench/ui_latency.py).
GIL_SWITCH_INTERVAL = 0.0005


def create_application(
    argv: list[str] | None = None, *, language: str | None = None
) -> QApplication:
    """The QApplication, set up. ``language``: a code of :data:`wallet.gui.i18n.LANGUAGES`, or
    "" for the system's; None reads the setting."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    i18n.install(app, AppSettings().language() if language is None else language)
    apply_legible_palette(app)  # a dark system palette under Fusion: fields stay visible
    main_thread_gc.install(app)  # a Qt object in a cycle must not be freed on the sync thread
    return app


class WelcomeWindow(QMainWindow):
    """Shown when no wallet is open: create/restore one, or open a wallet folder; and the
    language, chosen before anything else."""

    language_requested = Signal(str)

    def __init__(self, language: str = i18n.SYSTEM) -> None:
        super().__init__()
        self.setObjectName("paylight-welcome")
        self.setWindowTitle(f"Paylight {__version__}")
        self.new_button = QPushButton(self.tr("Create or restore a wallet…"))
        self.new_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Open a wallet folder…"))
        for button in (self.new_button, self.open_button):
            button.setMinimumHeight(button.fontMetrics().height() * 2 + 4)
            button.setAutoDefault(True)  # Enter presses the focused one (not a dialog)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 40, 48, 24)
        layout.addStretch(1)
        title = heading(self.tr("No wallet is open"), 6)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        explanation = note(
            self.tr(
                "Paylight keeps each wallet in its own folder. Create or restore one, or open a "
                "wallet you already have."
            )
        )
        explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(explanation)
        layout.addSpacing(16)
        layout.addWidget(self.new_button)
        layout.addWidget(self.open_button)
        self.status = QLabel("")
        self.status.setObjectName("welcome-status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(text_style("error"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.language = QComboBox()
        self.language.setObjectName("welcome-language")
        self.language.addItem(self.tr("System language"), i18n.SYSTEM)
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.activated.connect(
            lambda index: self.language_requested.emit(self.language.itemData(index))
        )
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(language_label)
        row.addWidget(self.language)
        layout.addLayout(row)
        self.setCentralWidget(body)
        self.resize(680, 460)


EngineFactory = Callable[[Wallet], "SyncEngine | None"]


def default_engine(wallet: Wallet, settings: AppSettings | None = None) -> SyncEngine | None:
    """The sync engine on its thread, its session opened as the command line opens one
    (:mod:`wallet.sync.session`: the wallet's servers, else the user's ``servers.json``, else
    the network's defaults; pinned TLS; the app's proxy setting)."""
    from wallet.gui.engine import RunnerEngine

    return RunnerEngine(proxy=settings.proxy() if settings is not None else None)


def build_main_window(controller: WalletController | None = None) -> QMainWindow:
    """The wallet's main window, or the welcome window when no wallet is open."""
    if controller is None:
        return WelcomeWindow()
    return MainWindow(controller)


class PaylightApp(QObject):
    """Which window is up, which wallet is open, and the playground if one was started."""

    def __init__(
        self,
        *,
        kdf: ScryptParams | None = None,
        settings: AppSettings | None = None,
        engine_factory: EngineFactory | None = None,
    ):
        super().__init__()
        self.kdf = kdf
        #: makes the sync engine for an opened wallet; None in tests that want no network
        self.settings = settings or AppSettings()
        self.engine_factory: EngineFactory | None = (
            engine_factory
            if engine_factory is not None
            else lambda wallet: default_engine(wallet, self.settings)
        )
        self.window: QMainWindow | None = None
        self.controller: WalletController | None = None
        self.wizard: SetupWizard | None = None
        #: the local playground: started by the wizard, or again for a playground wallet
        self.playgrounds = PlaygroundKeeper()

    @property
    def playground(self) -> PlaygroundSession | None:
        return self.playgrounds.session

    def start(self) -> None:
        last = self.settings.last_wallet()
        if last is not None and (last / CONFIG_FILE).is_file():
            if self.open_wallet(last) is not None:
                return
            return  # the welcome window shows why
        self.show_welcome()
        self.show_wizard()

    # -- windows ---------------------------------------------------------------------------------

    def _replace_window(self, window: QMainWindow) -> None:
        old = self.window
        self.window = window
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()

    def show_welcome(self, why: str = "") -> WelcomeWindow:
        if isinstance(self.window, WelcomeWindow):
            welcome = self.window
        else:
            welcome = self._welcome_window()
            self._replace_window(welcome)
        # let long paths wrap (a slash outside the rich text's tags)
        welcome.status.setText(re.sub(r"/(?![^<]*>)", "/\u200b", why))
        return welcome

    def _welcome_window(self) -> WelcomeWindow:
        welcome = WelcomeWindow(self.settings.language())
        welcome.new_button.clicked.connect(self.show_wizard)
        welcome.open_button.clicked.connect(self.choose_wallet)
        welcome.language_requested.connect(self.set_language)
        return welcome

    def show_wizard(self) -> SetupWizard:
        current = self.wizard
        # Closed, the wizard deletes itself (and goes with its parent window when a wallet
        # opens): only a live one is raised.
        if current is not None and shiboken6.isValid(current) and current.isVisible():
            current.raise_()
            return current
        wizard = SetupWizard(self.window, kdf=self.kdf)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.wallet_created.connect(self._wizard_done)
        wizard.open()
        self.wizard = wizard
        return wizard

    def _wizard_done(self, path: Path) -> None:
        wizard = self.wizard
        if wizard is not None and shiboken6.isValid(wizard) and wizard.playground is not None:
            self.playgrounds.adopt(wizard.playground)
            self._new_playground_mode = wizard.connection.playground_mode()
            self.open_wallet(path, made_on_playground=True)
            return
        self.open_wallet(path)

    def choose_wallet(self) -> None:
        start = str(data_dir())
        title = self.tr("Open a Paylight wallet folder")
        path = QFileDialog.getExistingDirectory(self.window, title, start)
        if path:
            self.open_wallet(Path(path))

    # -- wallets -------------------------------------------------------------------------------

    def open_wallet(self, path: Path, *, made_on_playground: bool = False) -> MainWindow | None:
        """Open ``path`` in the main window; on failure say why and keep the current window.

        ``made_on_playground``: the wizard just made it on the playground it started."""
        current = self.controller.wallet.path if self.controller is not None else None
        if current is not None and current == Path(path).absolute():
            assert isinstance(self.window, MainWindow)
            self.window.raise_()
            return self.window
        try:
            wallet = Wallet.open(path)
        except PaylightError as exc:
            sentence = self.tr("Paylight could not open the wallet at {path}.").format(path=path)
            message = with_detail(sentence, str(exc))
            if self.window is None:
                self.show_welcome(message)
            show_message(self.window, self.tr("Cannot open wallet"), message)
            return None
        self.close_wallet()
        playground = self._playground_for(wallet, made_on_playground)
        engine = self.engine_factory(wallet) if self.engine_factory is not None else None
        if playground is not None and engine is not None and hasattr(engine, "prepare"):
            engine.prepare = playground  # restart the playground off the UI thread
        rates = self._rates_for(wallet, playground is not None)
        controller = WalletController(wallet, engine, rates)
        window = self._main_window(controller)
        self.controller = controller
        self._replace_window(window)
        rates.start()  # asked on the thread pool: the window does not wait for it
        self.settings.set_last_wallet(wallet.path)
        log.info("opened wallet %s", wallet.path)
        config = playground_config(wallet.db) if wallet.config.network == "regtest" else None
        if config is not None and not has_chain(Path(config["datadir"])):
            gone = gone_message(Path(config["datadir"]))
            show_message(window, self.tr("The playground is gone"), gone)
        return window

    def _main_window(self, controller: WalletController) -> MainWindow:
        """The main window for ``controller``, as the settings say (unit, Advanced tabs,
        language), its choices saved back to them; a playground wallet's has the Playground
        menu."""
        unit = Unit(self.settings.unit()) if self.settings.unit() in set(Unit) else Unit.BTC
        window = MainWindow(controller, unit, self.settings, advanced=self.settings.advanced())
        window.new_wallet_requested.connect(self.show_wizard)
        window.open_wallet_requested.connect(self.choose_wallet)
        for u, action in window.unit_actions.items():
            action.triggered.connect(lambda _c=False, u=u: self.settings.set_unit(u.value))
        window.advanced_changed.connect(self.settings.set_advanced)
        window.show_language(self.settings.language())
        window.language_requested.connect(self.set_language)
        if controller.network.name == "regtest" and playground_config(controller.db) is not None:
            window.add_playground_menu(lambda: self.playground)
        return window

    def set_language(self, setting: str) -> None:
        """Speak another language now ("" follows the system): saved, then the window is made
        again in it (the wallet stays open; the tab shown and the window's place are kept)."""
        self.settings.set_language(setting)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.install(app, setting)
        read_system_locale()
        old = self.window
        if isinstance(old, MainWindow) and self.controller is not None:
            window: QMainWindow = self._main_window(self.controller)
            assert isinstance(window, MainWindow)
            window.tabs.setCurrentIndex(old.tabs.currentIndex())
        elif isinstance(old, WelcomeWindow):
            window = self._welcome_window()
            window.status.setText(old.status.text())
        else:
            return
        window.setGeometry(old.geometry())
        self._replace_window(window)

    def _rates_for(self, wallet: Wallet, on_playground: bool) -> Any:
        """The local currency's rates for ``wallet``'s window (``wallet.gui.currency``): a
        playground wallet's come from its playground's price endpoint."""
        from wallet.gui.rates import make_rates

        keeper = self.playgrounds

        def playground_url() -> str | None:
            session = keeper.session
            return session.playground.esplora_url if session is not None else None

        return make_rates(
            self.settings, wallet.network, playground_url if on_playground else None
        )

    def _playground_for(self, wallet: Wallet, new: bool) -> Callable[[], list[str]] | None:
        """For a wallet made with the playground option: a step for the sync engine's thread
        that restarts the playground from its saved chain, points the wallet at its new ports
        and returns them. (The wizard's running playground is used as it is.)"""
        if wallet.config.network != "regtest":
            return None
        config = playground_config(wallet.db)
        session = self.playground
        if config is None:
            if not new or session is None:
                return None  # not a playground wallet
            # just made by the wizard: its sources as chosen there (the light node by default)
            mark_wallet(wallet.db, session, getattr(self, "_new_playground_mode", None) or "p2p")
            config = playground_config(wallet.db)
            assert config is not None
        database = wallet.path / DATABASE_FILE
        keeper = self.playgrounds

        def prepare() -> list[str]:
            resumed = keeper.ensure(config)
            db = WalletDatabase.open(database, create=False)  # this thread's own connection
            try:
                mark_wallet(db, resumed)
                mode = playground_mode(db)
            finally:
                db.close()
            return resumed.urls(mode)

        return prepare

    def close_wallet(self) -> None:
        if self.controller is not None:
            self.controller.rates.stop()
            self.controller.close()
            self.controller = None

    def shutdown(self) -> None:
        """Release the wallet lock and stop the playground; called after the event loop ends."""
        wait_for_tasks()
        self.close_wallet()
        self.playgrounds.stop()


def quit_on_signals(app: QApplication) -> None:
    """Quit the event loop on SIGTERM or SIGHUP (a logout, ``kill``, a service manager), so
    :func:`run_gui` shuts down as the window's Quit does: the sync engine stops, the wallet is
    closed (its lock released) and the playground flushes its chain and mempool. Without this
    the process died at once, leaving the playground's kernel and mempool as they were.

    While Qt's event loop waits it runs no Python, so a Python handler alone would wait for the
    next event: the signal is written to a socket Qt watches (``signal.set_wakeup_fd``).
    """
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    names = ("SIGTERM", "SIGHUP")
    for sig in [getattr(signal, n) for n in names if hasattr(signal, n)]:
        signal.signal(sig, lambda *_: None)  # not fatal: the socket wakes the loop
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def received() -> None:
        try:
            numbers = reader.recv(64)
        except BlockingIOError:
            return
        log.info("quitting on signal %s", ", ".join(str(n) for n in numbers))
        app.quit()

    notifier.activated.connect(received)
    app._paylight_signals = (reader, writer, notifier)  # type: ignore[attr-defined]  # kept alive


def run_gui(argv: list[str] | None = None) -> int:
    app = create_application(argv)
    quit_on_signals(app)
    paylight = PaylightApp()
    paylight.start()
    if os.environ.get("PAYLIGHT_EXIT_AFTER_SHOW") == "1":  # packaging/smoke.sh: start, show, quit
        QTimer.singleShot(0, lambda: app.exit(_report_shown(paylight.window)))
    try:
        return app.exec()
    finally:
        paylight.shutdown()


def _report_shown(window: QMainWindow | None) -> int:
    shown = window is not None and window.isVisible()
    print(f"paylight: main window shown: {window.windowTitle() if shown else 'no'}", flush=True)
    return 0 if shown else 1
