"""The wallet tables keep their cells on the C++ side (wallet.gui.models): painting them runs no
Python, refreshes the engine asks for are built on the reader thread, a few changed cells are
updated in place, and a replaced table keeps the selected record selected.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from tests.test_gui_main import make_wallet, populate
from tests.test_gui_snapshot import engine_write
from wallet.account.wallet_file import Wallet
from wallet.gui.controller import WalletController
from wallet.gui.main_window import MainWindow
from wallet.gui.models import STATE_COLOURS

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))


@pytest.fixture
def window(qtbot):
    wallet = Wallet.open(make_wallet())
    txs = populate(wallet)
    controller = WalletController(wallet)
    main = MainWindow(controller)
    qtbot.addWidget(main)
    main.show()
    main.tabs.setCurrentWidget(main.history)
    main.txs = txs
    yield main
    controller.close()


def python_calls_during(action) -> list[str]:
    """Python functions entered (from Qt) on this thread while ``action`` runs."""
    entered: list[str] = []

    def profile(frame, event, _arg):
        if event == "call" and frame.f_code is not action.__code__:
            entered.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return entered


def test_painting_the_tables_runs_no_python(qtbot, window):
    controller = window.controller
    for salt, tab in enumerate((window.history, window.coins, window.addresses, window.overview)):
        window.tabs.setCurrentWidget(tab)
        view = getattr(tab, "view", None) or tab.recent
        assert view.model().rowCount() > 0

        def paint(view=view):
            view.viewport().grab()
            view.horizontalHeader().grab()

        paint()  # the first paint of a tab also lays out its widgets and makes Qt enum types
        assert python_calls_during(paint) == []
        # after a refresh replaced the table, as during a sync
        with qtbot.waitSignal(controller.changed, timeout=5000):
            engine_write(controller.wallet, controller, 10 + salt)
        assert python_calls_during(paint) == []


def test_cells_show_text_colour_tooltip_and_alignment(window):
    model = window.history.model
    txs = window.txs
    row = next(i for i, r in enumerate(model.rows) if r.record.txid == txs["a"].txid())
    state = model.index(row, 1)
    assert model.data(state).startswith("confirmed")
    assert (
        model.data(state, Qt.ItemDataRole.ForegroundRole)
        == STATE_COLOURS[model.rows[row].record.state]
    )
    assert (
        model.data(model.index(row, 5), Qt.ItemDataRole.ToolTipRole) == txs["a"].txid()[::-1].hex()
    )
    align = Qt.AlignmentFlag(model.data(model.index(row, 2), Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight
    assert not model.flags(state) & Qt.ItemFlag.ItemIsEditable
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Amount"


def test_engine_refresh_is_built_off_the_ui_thread_and_keeps_the_selection(qtbot, window):
    tab, controller = window.history, window.controller
    model = tab.model
    selected = window.txs["b"].txid()
    tab.view.selectRow(next(i for i, r in enumerate(model.rows) if r.record.txid == selected))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    before = model.prepared_tables
    with qtbot.waitSignal(controller.changed, timeout=5000):
        txid = engine_write(controller.wallet, controller, 7)
    assert model.prepared_tables == before + 1  # built on the reader thread, swapped in here
    assert model.rows[0].record.txid == txid  # newest first: every row moved down
    assert resets == [1]
    assert tab.selected_row().record.txid == selected
    assert model.data(model.index(0, 1)).startswith("unconfirmed")


def test_a_label_updates_its_cell_in_place(qtbot, window):
    tab, controller = window.history, window.controller
    model = tab.model
    txid = window.txs["c"].txid()
    row = next(i for i, r in enumerate(model.rows) if r.record.txid == txid)
    tab.view.selectRow(row)
    table = model.sourceModel()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    controller.set_label("tx", txid[::-1].hex(), "groceries")
    assert model.data(model.index(row, 4)) == "groceries"
    assert model.rows[row].label == "groceries"
    assert model.sourceModel() is table and resets == []
    assert tab.selected_row().record.txid == txid
