"""A playground wallet survives closing the app: reopening it restarts the playground.

Offscreen, against the real playground: make a wallet with the wizard's playground option,
close the app (the playground stops with it), reopen through the app's last-wallet path and
see the same chain come back on new ports (the old Electrum port is held by someone else),
the wallet pointed at them, the gift confirmed again and the engine following new blocks.
Then the playground's saved chain is taken away: the app says so and the wallet is untouched.
"""

from __future__ import annotations

import shutil
import socket

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.gui_support import PASSWORD
from wallet.account.database import TxState
from wallet.account.keystore import ScryptParams
from wallet.account.wallet_file import CONFIG_FILE, DATABASE_FILE
from wallet.bitcoin.networks import REGTEST
from wallet.gui import playground_session
from wallet.gui.app import PaylightApp
from wallet.gui.engine import RunnerEngine
from wallet.gui.main_window import MainWindow
from wallet.gui.playground_session import SETTING
from wallet.gui.settings import AppSettings

pytestmark = pytest.mark.gui
CHEAP = ScryptParams.insecure_for_tests()
ONE_BTC = "1.00000000 BTC"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    # the wizard's playground mines every 30 s for a demo; here blocks come when a test mines
    monkeypatch.setattr(playground_session, "DEMO_BLOCK_SECONDS", 3600.0)
    return tmp_path / "home"


def new_app(home) -> PaylightApp:
    return PaylightApp(
        kdf=CHEAP,
        settings=AppSettings(home / "gui.ini"),
        engine_factory=lambda _w: RunnerEngine(retry_seconds=1.0),
    )


def close_app(app: PaylightApp) -> None:
    """What quitting does: the window goes, then ``run_gui`` calls ``shutdown``."""
    window = app.window
    if window is not None:
        window.close()
    app.shutdown()


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def make_playground_wallet(qtbot, app: PaylightApp) -> MainWindow:
    app.start()
    wizard = app.wizard
    assert wizard is not None
    wizard.start.playground.setChecked(True)
    wizard.start.name.setText("Tryout")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    click(qtbot, next_button)
    shown = [label.text().split(". ", 1)[1] for label in wizard.new_seed.grid.labels]
    wizard.new_seed.written.setChecked(True)
    click(qtbot, next_button)
    for position, field in zip(wizard.confirm.positions, wizard.confirm.fields, strict=True):
        qtbot.keyClicks(field, shown[position])
    click(qtbot, next_button)
    click(qtbot, next_button)
    qtbot.keyClicks(wizard.password.password, PASSWORD)
    qtbot.keyClicks(wizard.password.again, PASSWORD)
    click(qtbot, next_button)
    click(qtbot, next_button)  # how it connects: the light node over the playground's peers
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(finish.isEnabled, timeout=60_000)
    click(qtbot, finish)
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow), timeout=10_000)
    assert isinstance(app.window, MainWindow)
    return app.window


def online_and_confirmed(window: MainWindow) -> bool:
    return (
        window.controller.status.phase == "idle"
        and window.overview.confirmed.amount.text() == ONE_BTC
    )


def refuses(host_port: str) -> bool:
    host, port = host_port.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return True
    return False


def visible_messages() -> list[str]:
    texts = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    return texts


def test_reopening_a_playground_wallet_restarts_its_chain(qtbot, home):
    first = new_app(home)
    try:
        window = make_playground_wallet(qtbot, first)
        qtbot.waitUntil(lambda: online_and_confirmed(window), timeout=30_000)
        session = first.playground
        assert session is not None
        before = session.endpoints
        path = window.controller.wallet.path
        marked = window.controller.db.get_setting(SETTING)
        assert marked["datadir"] == before["datadir"]
    finally:
        close_app(first)
    # Closing the app stopped the playground.
    assert first.playground is None
    assert refuses(before["electrum"])

    # Someone else takes last run's Electrum port: the playground must come back elsewhere.
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", int(before["electrum"].rsplit(":", 1)[1])))
    squatter.listen()
    second = new_app(home)
    try:
        second.start()  # the last wallet, as on the next launch
        window = second.window
        assert isinstance(window, MainWindow)
        assert window.controller.wallet.path == path
        qtbot.waitUntil(lambda: second.playground is not None, timeout=20_000)
        qtbot.waitUntil(lambda: online_and_confirmed(window), timeout=30_000)
        after = second.playground.endpoints
        # The same chain, from the saved folder, on a new Electrum port.
        assert after["datadir"] == before["datadir"]
        assert (after["height"], after["tip"]) == (before["height"], before["tip"])
        assert after["electrum"] != before["electrum"]
        # The wallet points at the running playground's P2P listeners (its light node, the
        # wizard's default); last run's are kept, disabled.
        servers = {s.url: s.enabled for s in window.controller.db.servers("regtest")}
        assert all(servers[f"p2p://{peer}"] for peer in after["p2p"])
        assert not any(servers[f"p2p://{peer}"] for peer in before["p2p"])
        assert "Up to date" in window.sync_label.text()
        # The coins are really there: ask the playground's Esplora about the gift's address.
        history = window.controller.history()
        assert [r.record.state for r in history] == [TxState.CONFIRMED]
        address = window.controller.addresses()[0].address
        reply = httpx.get(f"{after['esplora']}/address/{address}", timeout=10).json()
        assert reply["chain_stats"]["funded_txo_sum"] == 100_000_000
        # The engine follows the restarted chain: a new block reaches the light node.
        second.playground.playground.mine(1)
        tip = before["height"] + 1
        qtbot.waitUntil(lambda: window.controller.tip_height() == tip, timeout=20_000)
        window.tabs.setCurrentWidget(window.node)
        peers = len(after["p2p"])
        qtbot.waitUntil(lambda: window.node.peers.rowCount() == peers, timeout=10_000)
        qtbot.waitUntil(
            lambda: {window.node.peers.item(r, 4).text() for r in range(peers)} == {"connected"},
            timeout=10_000,
        )
    finally:
        squatter.close()
        close_app(second)
    assert refuses(after["electrum"])

    # The playground's saved chain is removed: say so, and leave the wallet as it was.
    datadir = home / "regtest" / "playground"
    assert str(datadir) == before["datadir"]
    shutil.move(datadir, home / "elsewhere")
    config_before = (path / CONFIG_FILE).read_bytes()
    third = new_app(home)
    try:
        third.start()
        window = third.window
        assert isinstance(window, MainWindow)
        messages = visible_messages()
        assert len(messages) == 1 and "playground" in messages[0]
        assert str(datadir) in messages[0]
        assert "left as it was" in messages[0]
        qtbot.waitUntil(lambda: window.controller.status.phase == "offline", timeout=10_000)
        assert "saved chain is no longer" in window.controller.status.message
        assert third.playground is None
        assert not datadir.exists()  # no new chain was made in its place
        # The wallet still shows what it knew.
        assert window.overview.confirmed.amount.text() == ONE_BTC
    finally:
        close_app(third)
    assert (path / CONFIG_FILE).read_bytes() == config_before
    assert (path / DATABASE_FILE).is_file()


SIGTERM_GUI = "import sys; from wallet.cli import main; sys.exit(main([]))"


def test_sigterm_quits_like_the_window_and_leaves_playground_and_wallet_whole(home):
    """``kill`` (SIGTERM: a logout, a service manager) once ended the app at once, mid-sync,
    with the playground's chain and mempool unsaved. It now quits as the window's Quit does:
    exit code 0, the wallet closed (lock released) and the playground stopped cleanly, so
    both open again as they were."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from tests.conftest import REPO
    from wallet.account.database import Chain, WalletDatabase
    from wallet.account.paths import wallet_dir
    from wallet.account.wallet_file import Wallet
    from wallet.gui.playground_session import mark_wallet, start_and_fund
    from wallet.gui.wallet_setup import create_wallet, seed_descriptors
    from wallet.playground import Playground

    mnemonic = "abandon " * 11 + "about"
    path = create_wallet(
        wallet_dir("Play", REGTEST),
        REGTEST,
        seed_descriptors(mnemonic, "", REGTEST),
        mnemonic=mnemonic,
        password=PASSWORD,
        kdf=CHEAP,
    )
    with Wallet.open(path) as wallet:
        address = wallet.db.addresses(Chain.RECEIVE)[0].address
    session = start_and_fund(address)
    gift, datadir = session.funded_txid, session.datadir
    db = WalletDatabase.open(path / DATABASE_FILE, create=False)
    try:
        mark_wallet(db, session)
    finally:
        db.close()
    session.stop()
    AppSettings().set_last_wallet(path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_GUI], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        uri = f"file:{path / DATABASE_FILE}?mode=ro"
        deadline = time.monotonic() + 60
        while True:  # until the app's sync engine has the gift confirmed
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the app never synced"
            with sqlite3.connect(uri, uri=True) as conn:
                rows = conn.execute("SELECT state FROM transactions").fetchall()
            if [r[0] for r in rows] == [TxState.CONFIRMED.value]:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # Exit code 0 says run_gui returned: the shutdown ran. (asyncio may still log a server
    # pool's "Task exception was never retrieved" for a request cut short: not the app's.)
    err = proc.stderr.read()
    assert "Fatal Python error" not in err and "Error in sys.excepthook" not in err, err
    with Wallet.open(path) as wallet:  # the lock was released; nothing torn
        assert wallet.db.integrity_check() == "ok"
        assert [r.txid_hex for r in wallet.db.transactions(TxState.CONFIRMED)] == [gift]
    with Playground(datadir, initial_blocks=0) as pg:  # the chain comes back whole
        assert pg.height == 102
        with pg.lock:
            assert pg.ledger.find_tx(bytes.fromhex(gift)[::-1]).block is not None
