"""A demo that ends in "Paid" (issue 15, build 7): the wizard's playground mines blocks by itself
(and on demand), and a simulated customer pays the till.

Offscreen, through the wizard's playground option, the real playground and the sync engine on
its thread. The block interval is shortened for the test (30 s in the app).
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from tests.test_gui_playground_reopen import close_app, home, make_playground_wallet, new_app  # noqa: F401
from wallet.account.database import RequestState
from wallet.gui import playground_session
from wallet.gui.format import Unit

pytestmark = pytest.mark.gui


def test_the_wizards_playground_mines_blocks_by_itself(home, monkeypatch):  # noqa: F811
    """The playground started from the wizard never mined, so a demo charge stayed "Seen"."""
    monkeypatch.setattr(playground_session, "DEMO_BLOCK_SECONDS", 0.3, raising=False)
    session = playground_session.start_and_fund(
        "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
    )
    try:
        start = session.playground.height
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and session.playground.height < start + 2:
            time.sleep(0.05)
        assert session.playground.height >= start + 2, "no block was mined by itself"
    finally:
        session.stop()


def test_a_demo_sale_ends_in_paid(qtbot, home, monkeypatch):  # noqa: F811
    monkeypatch.setattr(playground_session, "DEMO_BLOCK_SECONDS", 2.0, raising=False)
    app = new_app(home)
    try:
        window = make_playground_wallet(qtbot, app)
        qtbot.waitUntil(lambda: window.controller.status.phase == "idle", timeout=30_000)
        pg = app.playground.playground
        # "Mine a block now"
        actions = {a.objectName(): a for a in window.findChildren(type(window.pos_action))}
        mine, pay = actions["playground-mine"], actions["playground-customer"]
        assert mine.isVisible() and pay.isVisible()
        height = pg.height
        mine.trigger()
        qtbot.waitUntil(lambda: pg.height > height, timeout=5000)
        # A sale at the till, paid by a simulated customer, ends in the check mark.
        till = window.open_pos(fullscreen=False)
        qtbot.addWidget(till)
        till.set_unit(Unit.SAT)
        for key in "21000":
            till.press(key)
        qtbot.keyClick(till, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: till.request is not None, timeout=10_000)
        pay.trigger()
        qtbot.waitUntil(
            lambda: till.status is not None and till.status.state is not RequestState.WAITING,
            timeout=10_000,
        )
        qtbot.waitUntil(lambda: till.big_state.text() == "Paid", timeout=20_000)
        assert till.big_mark.text() == "✓" and till.big_amount.text() == "21,000 sat"
        till.close()
    finally:
        close_app(app)
