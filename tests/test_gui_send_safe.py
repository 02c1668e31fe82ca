"""Safe sending (issue 15, build 4, and its defects): the amount as read shown under the field, a
full-screen ✓ after sending and a cleared form, a question before paying a link already paid,
fee choices with their time and cost, the payee's label in the review; Enter on Receive.

Real widgets offscreen; the wallet syncs from a running playground with the sync engine on its
own thread, and payments really go to the playground's mempool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.playground_fixture import TestKey, in_mempool, playground_module  # noqa: F401
from wallet.account.database import Chain
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.networks import REGTEST
from wallet.gui.controller import WalletController
from wallet.gui.engine import RunnerEngine
from wallet.gui.main_window import MainWindow
from wallet.gui.settings import AppSettings
from wallet.gui.tabs.send import ReviewDialog

pytestmark = pytest.mark.gui
MNEMONIC = "jelly better achieve collect unaware mountain thought cargo oxygen act hood bridge"
PASSWORD = "stall password"
SHOP = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
URI = f"bitcoin:{SHOP}?amount=0.0015&label=Coffee%20stall"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def wallet(tmp_path) -> Iterator[Wallet]:
    path = create_from_seed(
        tmp_path / "buyer",
        REGTEST,
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    w = Wallet.open(path)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def open_window(qtbot, pg, wallet, tmp_path) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def open_(*, engine: bool = True, rates=None) -> MainWindow:
        sync = None
        if engine:
            servers = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
            sync = RunnerEngine(servers, header_dir=tmp_path / "headers", retry_seconds=1.0)
        controller = WalletController(wallet, sync, rates)
        window = MainWindow(controller, settings=AppSettings(tmp_path / "gui.ini"))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        if engine:
            qtbot.waitUntil(lambda: controller.status.phase == "idle", timeout=30_000)
        return window

    yield open_
    for window in windows:
        window.controller.close()


def funded(pg, wallet, sats: int = 10_000_000) -> None:
    pg.fund(wallet.db.address_at(Chain.RECEIVE, 0).address, sats, confirm=True)


def messages() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def review(qtbot, tab) -> ReviewDialog | None:
    """Press Review and wait for the review dialog, a question or an error."""
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)

    def shown() -> ReviewDialog | None:
        # an earlier, closed review may still exist until Qt's deferred delete runs
        return next((d for d in tab.findChildren(ReviewDialog) if d.isVisible()), None)

    def settled() -> bool:
        return bool(shown() or messages() or tab.error.text())

    qtbot.waitUntil(settled, timeout=20_000)
    return shown()


def send(qtbot, dialog: ReviewDialog) -> str:
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.txid is not None, timeout=20_000)
    return dialog.txid


# -- defects ---------------------------------------------------------------------------------------


def test_after_sending_the_form_clears_and_no_warning_shows_a_bare_txid(
    qtbot, pg, wallet, open_window
):
    funded(pg, wallet)
    window = open_window()
    tab = window.send
    window.tabs.setCurrentWidget(tab)
    tab.pay_to.setText(URI)
    txid = send(qtbot, review(qtbot, tab))
    assert in_mempool(pg, bytes.fromhex(txid)[::-1])
    QApplication.processEvents()
    warnings = [m for m in messages() if m.icon() == QMessageBox.Icon.Warning]
    assert not warnings, [m.text() for m in warnings]
    assert not any(txid == m.text().strip(". ").split()[-1] for m in messages())
    assert tab.pay_to.text() == "", "the paid link stayed in the form"
    assert tab.amount.edit.text() == ""


def test_paying_a_link_already_paid_asks_first(qtbot, pg, wallet, open_window):
    funded(pg, wallet)
    window = open_window()
    tab = window.send
    window.tabs.setCurrentWidget(tab)
    # a shop this wallet never paid (each test's wallet has the same seed, on one chain)
    uri = f"bitcoin:{TestKey(b'noodle stall').address}?amount=0.0002&label=Noodles"
    tab.pay_to.setText(uri)
    first = review(qtbot, tab)
    assert first is not None and not messages()
    paid = bytes.fromhex(send(qtbot, first))[::-1]
    qtbot.waitUntil(lambda: window.controller.transaction(paid) is not None, timeout=10_000)
    tab.sent_page.done_button.click()
    tab.pay_to.setText(uri)  # the same link, scanned again
    dialog = review(qtbot, tab)
    asked = messages()
    assert asked and dialog is None, "the same payment was prepared again without a question"
    (box,) = asked
    assert "already paid" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert not any(d.isVisible() for d in tab.findChildren(ReviewDialog))


def test_enter_on_receive_creates_the_request(qtbot, open_window):
    window = open_window(engine=False)
    tab = window.receive
    window.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.amount.edit, "0,5")
    qtbot.keyClick(tab.amount.edit, Qt.Key.Key_Return)
    assert tab.request is not None and tab.request.amount_sat == 50_000_000
    qtbot.keyClicks(tab.label, "Bike repair")
    qtbot.keyClick(tab.label, Qt.Key.Key_Enter)
    assert tab.request.label == "Bike repair"


# -- build 4: safe sending -------------------------------------------------------------------------


def test_the_amount_as_read_shows_under_the_field(qtbot, open_window):
    from decimal import Decimal

    from wallet.bitcoin.fiat import MANUAL, Rate, fiat_unit
    from wallet.gui.rates import FiatRates

    rates = FiatRates("EUR", manual=Rate(fiat_unit("EUR"), Decimal(60_000), MANUAL, 1))
    window = open_window(engine=False, rates=rates)
    for tab in (window.send, window.receive):
        window.tabs.setCurrentWidget(tab)
        qtbot.keyClicks(tab.amount.edit, "0,5")
        assert tab.amount.hint.text() == "= 0.50000000 BTC · 50,000,000 sat · ≈ 30,000.00 EUR"
        tab.amount.edit.clear()
        qtbot.keyClicks(tab.amount.edit, "1,000")
        assert "could mean" in tab.amount.hint.text()  # said while typing, before Review
        tab.amount.edit.clear()
        tab.amount.set_fiat()
        qtbot.keyClicks(tab.amount.edit, "12,50")
        assert tab.amount.hint.text() == "= 0.00020834 BTC · 20,834 sat · 1 BTC = 60,000.00 EUR"
        tab.amount.edit.clear()
        assert tab.amount.hint.text() == ""


def test_fee_choices_and_the_check_after_sending(qtbot, pg, wallet, open_window):
    """Slow, Normal and Fast with their time and cost (Normal once the servers say); the
    review keeps the payee's label in sight; after sending, a ✓ with amount, payee and fee."""
    funded(pg, wallet)
    pg.set_fee_estimates({2: 8.0, 6: 3.0, 144: 1.0})
    try:
        window = open_window()
        tab = window.send
        window.tabs.setCurrentWidget(tab)
        fees = tab.fees
        qtbot.waitUntil(lambda: fees.buttons["normal"].isChecked(), timeout=10_000)
        qtbot.waitUntil(lambda: all(fees.estimates.get(k) for k in ("slow", "fast")))
        assert fees.costs["slow"].text() == "about a day · 1 sat/vB · ≈ 0.00000141 BTC"
        assert fees.costs["normal"].text() == "about an hour · 3 sat/vB · ≈ 0.00000423 BTC"
        assert fees.costs["fast"].text() == "about 20 minutes · 8 sat/vB · ≈ 0.00001128 BTC"
        fees.buttons["fast"].click()
        payee = TestKey(b"flower stall")
        tab.pay_to.setText(f"bitcoin:{payee.address}?amount=0.0003&label=Flower%20stall")
        dialog = review(qtbot, tab)
        assert dialog.payee.text() == "<b>Flower stall</b>"  # the payee's name stays in sight
        assert dialog.plan.fee_sat >= 8 * dialog.plan.vsize
        fee = dialog.plan.fee_sat
        txid = send(qtbot, dialog)
        page = tab.sent_page
        assert tab.pages.currentWidget() is page and page.mark.text() == "✓"
        assert page.amount.text() == "0.00030000 BTC"
        assert "Flower stall" in page.payee.text() and payee.address in page.payee.text()
        assert page.fee.text() == f"Fee: 0.{fee:08d} BTC"
        assert page.txid.text() == txid  # to copy; not the headline
        qtbot.keyClick(page.done_button, Qt.Key.Key_Return)
        assert tab.pages.currentIndex() == 0 and tab.pay_to.text() == ""
        # A custom rate typed is chosen.
        tab.fee_rate.setValue(5.0)
        assert fees.choice() == "custom" and str(fees.rate()) == "5 sat/vB"
    finally:
        pg.set_fee_estimates(None)
