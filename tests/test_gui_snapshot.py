"""Refreshes the sync engine asks for are read off the UI thread (wallet.gui.snapshot): the
engine writes on its own thread and connection, the window shows what it wrote, and a change
made in the window while a read is under way is not undone by that older read.
"""

from __future__ import annotations

import threading

import pytest

from tests.test_gui_main import funding_tx, make_wallet, populate
from wallet.account.database import Chain, TxState
from wallet.account.wallet_file import Wallet
from wallet.gui.controller import WalletController
from wallet.gui.main_window import MainWindow
from wallet.sync.runner import thread_wallet

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))


@pytest.fixture
def window(qtbot):
    wallet = Wallet.open(make_wallet())
    populate(wallet)
    controller = WalletController(wallet)
    main = MainWindow(controller)
    qtbot.addWidget(main)
    main.show()
    main.tabs.setCurrentWidget(main.history)
    yield main
    controller.close()


def engine_write(wallet: Wallet, controller: WalletController, salt: int) -> bytes:
    """Store a payment as the engine does: on another thread with its own connection, then
    tell the controller from that thread."""
    done: list[bytes] = []

    def work() -> None:
        other = thread_wallet(wallet)
        try:
            address = other.db.addresses(Chain.RECEIVE)[5]
            tx = funding_tx(address.script_pubkey, 70_000 + salt, 100 + salt)
            other.db.add_transaction(tx.serialize(), state=TxState.UNCONFIRMED)
            done.append(tx.txid())
        finally:
            other.db.close()
        controller._engine_changed.emit()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return done[0]


def test_engine_refresh_is_read_off_the_ui_thread(qtbot, window):
    controller = window.controller
    before = controller.balance().unconfirmed
    with qtbot.waitSignal(controller.changed, timeout=5000):
        txid = engine_write(controller.wallet, controller, 1)
    # the rows came from the reader's own connection, read on its own thread
    assert controller._reader is not None and controller._view is not None
    assert controller._reader._db is not None and controller._reader._db is not controller.db
    rows = window.history.model.rows
    assert txid in {r.record.txid for r in rows}
    assert controller.balance().unconfirmed == before + 70_001
    # the snapshot agrees with reading the database here
    assert controller.balance() == controller.db.balance()
    assert [r.record.txid for r in controller.history()] == [r.record.txid for r in rows]
    assert controller.proof_counts == (1, 2)


def test_a_change_made_during_a_read_is_not_undone(qtbot, window):
    controller = window.controller
    txid = engine_write(controller.wallet, controller, 2)
    controller._refresh.stop()
    controller._read_in_background()  # a read under way...
    controller.set_label("tx", txid[::-1].hex(), "rent")  # ...and a change made meanwhile
    qtbot.waitUntil(lambda: not controller._reading and not controller._refresh.isActive())
    qtbot.wait(50)
    labels = {r.record.txid: r.label for r in window.history.model.rows}
    assert labels[txid] == "rent"
    assert {r.record.txid: r.label for r in controller.history()}[txid] == "rent"
