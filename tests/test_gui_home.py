"""Home (issue 15, build 3): one "available" figure, big Receive / Pay (scan) / Till buttons, the
expert tabs under View › Advanced (remembered), and plain-word explanations on demand.

A real wallet database with a confirmed coin spent by a payment still in the mempool (its change
coming back), an unverified receipt and a receipt in the mempool (``tests.test_gui_main``).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.test_gui_main import (
    A_VALUE,
    B_VALUE,
    C_VALUE,
    D_CHANGE,
    make_wallet,
    populate,
)
from wallet.account.wallet_file import Wallet
from wallet.gui.app import PaylightApp
from wallet.gui.controller import WalletController
from wallet.gui.format import format_amount
from wallet.gui.glossary import TERMS, GlossaryDialog
from wallet.gui.main_window import MainWindow
from wallet.gui.settings import AppSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    wallet = Wallet.open(make_wallet())
    populate(wallet)
    controller = WalletController(wallet)
    main = MainWindow(controller)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    controller.close()


def test_home_shows_what_can_be_spent_and_what_is_on_its_way(window):
    home = window.overview
    assert window.tabs.currentWidget() is home and window.tabs.tabText(0) == "Home"
    # A (confirmed) is being spent by D, whose change comes back: D's change is spendable;
    # B (unverified) and C (mempool) are paid to us but not proven: on their way, apart.
    assert home.available.text() == format_amount(D_CHANGE)
    assert format_amount(B_VALUE + C_VALUE, sign=True) in home.incoming.text()
    assert home.available.text() != format_amount(A_VALUE + B_VALUE + C_VALUE + D_CHANGE - A_VALUE)
    # the per-state figures are a click away, not on the first screen
    assert not home.details.isVisible() and not home.confirmed.isVisible()
    home.details_button.click()
    assert home.confirmed.isVisible()
    assert home.confirmed.amount.text() == format_amount(A_VALUE)
    # a slot for the amount in local currency, hidden until there is one
    assert not home.fiat.isVisible()
    home.set_fiat_text("≈ 12.34 EUR")
    assert home.fiat.isVisible() and home.fiat.text() == "≈ 12.34 EUR"


def test_home_buttons_go_to_receive_pay_and_the_till(qtbot, window):
    home = window.overview
    qtbot.mouseClick(home.receive_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.receive
    window.tabs.setCurrentWidget(home)
    qtbot.mouseClick(home.pay_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.send
    dialog = window.send.scanner_dialog
    assert dialog is not None and dialog.isVisible()  # Pay (scan) opens the scanner
    dialog.reject()
    window.tabs.setCurrentWidget(home)
    qtbot.mouseClick(home.till_button, Qt.MouseButton.LeftButton)
    till = window.pos_window
    assert till is not None and till.isVisible()
    till.close()


def test_advanced_tabs_hide_and_the_choice_is_remembered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    settings = AppSettings(tmp_path / "gui.ini")
    app = PaylightApp(settings=settings, engine_factory=None)
    window = app.open_wallet(make_wallet())
    assert window is not None
    try:
        shown = {
            window.tabs.tabText(i)
            for i in range(window.tabs.count())
            if window.tabs.isTabVisible(i)
        }
        assert {"Home", "Receive", "Send", "History", "Requests"} <= shown
        assert not {"Coins", "Addresses", "Light node"} & shown  # the default: plain
        window.advanced_action.trigger()  # View › Advanced
        for tab in window.advanced_tabs:
            assert window.tabs.isTabVisible(window.tabs.indexOf(tab))
        assert settings.advanced()
        # the next window (another run) opens with them shown
        app.close_wallet()
        again = app.open_wallet(make_wallet(name="Second"))
        assert again is not None and again.advanced()
        assert again.tabs.isTabVisible(again.tabs.indexOf(again.node))
        again.advanced_action.trigger()
        assert not settings.advanced()
        assert not again.tabs.isTabVisible(again.tabs.indexOf(again.coins))
    finally:
        app.window.close()
        app.shutdown()


def test_what_is_this_links_explain_terms_in_plain_words(qtbot, window):
    home = window.overview
    assert "glossary:confirmation" in home.incoming.text()
    home.incoming.linkActivated.emit("glossary:confirmation")
    dialog = window.findChild(GlossaryDialog)
    assert dialog is not None and dialog.isVisible() and dialog.key == "confirmation"
    text = dialog.text.toPlainText()
    for needed in ("mempool", "unverified", "rbf", "confirmation", "proof", "fee-rate"):
        assert needed in TERMS
    for key, (name, _explanation) in TERMS.items():
        assert name in text, key
    assert "Six are usually treated as final" in text
    dialog.close()
    QApplication.processEvents()
    # the cards' links, and Help › Glossary
    home.details_button.click()
    links = [w for w in home.details.findChildren(type(home.incoming)) if "glossary:" in w.text()]
    assert {w.objectName() for w in links} >= {"glossary-unverified", "glossary-mempool"}
    assert all(w.toolTip() for w in links)  # hovering already says it
