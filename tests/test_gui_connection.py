"""How a wallet connects, in the app (issues 16 and 17): the wizard's connection step and the
Connection dialog, with real Qt windows offscreen, the real playground's P2P listeners and a real
SOCKS5 proxy (``pproxy``).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.playground_fixture import start_playground
from tests.proxy_support import SocksProxy
from wallet.account.database import Chain
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.networks import REGTEST
from wallet.gui.connection import ConnectionDialog
from wallet.gui.controller import WalletController
from wallet.gui.engine import RunnerEngine
from wallet.gui.main_window import MainWindow
from wallet.gui.settings import AppSettings
from wallet.gui.wizard import PAGE_CONNECTION, SetupWizard
from wallet.net import proxy as net

pytestmark = pytest.mark.gui
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "connection password"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    net.set_default_proxy(None)


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("gui-connection"), p2p_listeners=2)
    try:
        yield pg
    finally:
        pg.stop()


def to_connection_page(qtbot, *, restore: bool, network: str = "mainnet") -> SetupWizard:
    wizard = SetupWizard(kdf=ScryptParams.insecure_for_tests())
    qtbot.addWidget(wizard)
    wizard.show()
    start = wizard.start
    start.network.setCurrentIndex(start.network.findData(network))
    if restore:
        start.watch.setChecked(True)
        wizard.next()
        wizard.watch.key.setPlainText(
            "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvU"
            "UkgDKf31mGDtKsAYz2oz2AGutZYs"
        )
    else:
        wizard.next()
        wizard.new_seed.written.setChecked(True)
        shown = [label.text().split(". ", 1)[1] for label in wizard.new_seed.grid.labels]
        wizard.next()
        for position, field in zip(wizard.confirm.positions, wizard.confirm.fields, strict=True):
            field.setText(shown[position])
        wizard.next()
        wizard.next()  # options
        wizard.password.password.setText(PASSWORD)
        wizard.password.again.setText(PASSWORD)
    wizard.next()
    assert wizard.currentId() == PAGE_CONNECTION
    return wizard


def test_the_wizard_chooses_the_light_node_by_default_and_estimates_a_restore(qtbot):
    wizard = to_connection_page(qtbot, restore=False)
    choice = wizard.connection.choice
    assert choice.private.isChecked() and choice.sources() == ["p2p://"]
    assert not wizard.connection.birthday.isVisible()  # a new wallet is born now
    assert "almost nothing" in choice.estimate_label.text()

    restore = to_connection_page(qtbot, restore=True)
    page = restore.connection
    assert page.choice.private.isChecked() and page.birthday.isVisible()

    def estimate_for(year: int) -> str:
        page.birthday.setCurrentIndex(page.birthday.findData(year))
        assert page.birth_time() == calendar.timegm((year, 1, 1, 0, 0, 0))
        return page.choice.estimate_label.text()

    old, recent = estimate_for(2015), estimate_for(2024)
    assert "GB of filters" in old and "That is a lot" in old
    blocks = [
        int(t.split(" checks ")[1].split(" blocks")[0].replace(",", "")) for t in (old, recent)
    ]
    assert blocks[0] > blocks[1] > 0
    # Quick and Core say what they mean; Core's address is checked
    page.choice.quick.setChecked(True)
    assert page.choice.sources() == [] and not page.choice.estimate_label.isVisible()
    page.choice.core.setChecked(True)
    page.choice.core_address.setText("my node")
    assert not page.isComplete()
    assert "is not an address: write it as host:port" in page.choice.problem.text()
    page.choice.core_address.setText("192.168.1.20:8332")
    page.choice.core_user.setText("alice")
    assert page.isComplete()
    assert page.choice.sources() == ["core://alice@192.168.1.20:8332"]
    page.choice.core_user.setText("alice:secret")  # a password is never stored
    assert "PAYLIGHT_CORE_PASSWORD" in page.choice.problem.text() and not page.isComplete()


def test_the_wizard_stores_the_light_node_and_the_wallet_syncs_over_p2p(qtbot, pg, tmp_path):
    """A regtest wallet made by the wizard with the playground's P2P listeners chosen as its
    peers; its saved list is what the CLI stores, and the app syncs it over P2P."""
    wizard = to_connection_page(qtbot, restore=False, network="regtest")
    choice = wizard.connection.choice
    assert choice.quick.isChecked()  # regtest has no peers of its own to find
    peers = [f"p2p://127.0.0.1:{p}" for p in pg.p2p_ports]
    choice.set_context("regtest", peers=peers)
    choice.private.setEnabled(True)
    choice.private.setChecked(True)
    wizard.next()
    qtbot.waitUntil(wizard.create.isComplete, timeout=15_000)
    path = wizard.create.path
    with Wallet.open(path) as wallet:
        assert [r.url for r in wallet.db.servers("regtest")] == sorted(peers)
        assert wallet.config.birth_time  # a new wallet: born now
        pg.fund(wallet.db.address_at(Chain.RECEIVE, 0).address, 70_000, confirm=True)
        controller = WalletController(wallet, RunnerEngine(header_dir=tmp_path / "headers"))
        try:
            engine = controller.engine
            assert engine.wait_started(20)
            assert engine.runner.wait_synced(20), engine.runner.last_error
            assert engine.runner.session.light is not None and engine.runner.session.pool is None
            assert wallet.db.balance().confirmed == 70_000
        finally:
            controller.close()


@pytest.fixture
def window(qtbot, pg, tmp_path) -> Iterator[MainWindow]:
    path = create_from_seed(
        tmp_path / "w",
        REGTEST,
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
        sources=[f"p2p://127.0.0.1:{pg.p2p_ports[0]}"],
    )
    wallet = Wallet.open(path)
    controller = WalletController(wallet, RunnerEngine(header_dir=tmp_path / "headers"))
    win = MainWindow(controller, settings=AppSettings(tmp_path / "gui.ini"))
    qtbot.addWidget(win)
    win.show()
    try:
        yield win
    finally:
        controller.close()


def test_bad_input_in_the_connection_dialog_gets_one_sentence(qtbot, window):
    dialog = window.open_connection()
    assert isinstance(dialog, ConnectionDialog) and dialog.choice.private.isChecked()
    dialog.other.setChecked(True)
    dialog.proxy_text.setText("http://127.0.0.1:8080")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert dialog.isVisible()
    assert dialog.problem.text() == (
        "“http://127.0.0.1:8080” is not a SOCKS5 proxy: write it as socks5://host:port."
    )
    assert window.settings.proxy() == ""
    dialog.proxy_text.clear()
    dialog.save()
    assert dialog.problem.text() == "Write the proxy's address, e.g. socks5://127.0.0.1:1080."
    dialog.tor_off.setChecked(True)
    dialog.choice.core.setChecked(True)
    dialog.choice.core_address.setText("127.0.0.1:port")
    dialog.save()
    assert "is not an address: write it as host:port" in dialog.problem.text()
    assert dialog.isVisible() and window.controller.sources()[0].startswith("p2p://")
    dialog.reject()


def test_the_connection_dialog_stores_tor_and_the_restarted_session_uses_the_proxy(
    qtbot, pg, window, tmp_path
):
    engine = window.controller.engine
    assert engine.wait_started(20) and engine.runner.wait_synced(20), engine.runner.last_error
    old = engine.runner
    proxy = SocksProxy(tmp_path / "proxy.log")
    try:
        dialog = window.open_connection()
        dialog.tor.setChecked(True)  # Tor is stored as the setting "tor"...
        dialog.other.setChecked(True)  # ...but here a real local SOCKS5 proxy stands in
        dialog.proxy_text.setText(f"socks5://127.0.0.1:{proxy.port}")
        peers = [f"p2p://localhost:{p}" for p in pg.p2p_ports]
        dialog.choice.set_context("regtest", peers=peers)
        dialog.choice.private.setChecked(True)
        dialog.save()
        assert not dialog.isVisible() and dialog.problem.text() == ""
        assert window.settings.proxy() == f"socks5://127.0.0.1:{proxy.port}"
        assert window.controller.sources() == sorted(peers)
        qtbot.waitUntil(
            lambda: engine.runner not in (None, old) and engine.runner.wait_synced(0),
            timeout=20_000,
        )  # the session was restarted (on the worker pool) and synced again
        session = engine.runner.session
        assert sorted(p.name for p in session.light.pool.peers) == sorted(
            f"localhost:{p}" for p in pg.p2p_ports
        )
        log = "\n".join(proxy.lines())
        for port in pg.p2p_ports:  # the names went to the proxy, which connected
            assert f"-> localhost:{port}" in log, log
    finally:
        proxy.stop()
    dialog = window.open_connection()
    assert dialog.other.isChecked()
    dialog.tor.setChecked(True)
    assert dialog.proxy_setting() == "tor"
    dialog.reject()


@pytest.mark.parametrize("language", ["en", "zh_CN", "es"])
def test_the_connection_dialog_shows_every_explanation_whole(qtbot, qapp, language):
    """Each wrapped explanation gets the height its lines need at the width shown (in
    Chinese the dialog was sized for a line fewer, and the texts were cut)."""
    from PySide6.QtWidgets import QLabel

    from wallet.gui import i18n

    i18n.translations.install(qapp, language)
    try:
        dialog = ConnectionDialog([], "tor", lambda sources, proxy: None, network="regtest")
        qtbot.addWidget(dialog)
        dialog.choice.quick.setChecked(True)
        dialog.show()
        qtbot.waitExposed(dialog)
        cut = [
            (label.text()[:30], label.height(), label.heightForWidth(label.width()))
            for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.wordWrap()
            if label.height() < label.heightForWidth(label.width())
        ]
        assert not cut
    finally:
        i18n.translations.install(qapp, "en")
