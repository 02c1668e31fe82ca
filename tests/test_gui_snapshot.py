"""Refreshes the sync engine asks for are read off the UI thread (wallet.gui.snapshot): the
engine writes on its own thread and connection, the window shows what it wrote, and a change
made in the window while a read is under way is not undone by that older read.
"""

from __future__ import annotations

import pytest

from tests.gui_support import engine_write, make_wallet, populate
from wallet.account.wallet_file import Wallet
from wallet.gui.controller import WalletController
from wallet.gui.main_window import MainWindow

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
