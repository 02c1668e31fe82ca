"""Local currency in the windows (issue 15, build 1): the rate from the playground's price
endpoint (mempool.space's shape, over a real socket), amounts typed in fiat, the locked rate of
a request, the balance and the history's value on the day each transaction arrived.

Real widgets offscreen over a real wallet folder; the coins come from a running playground.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from tests.playground_fixture import playground_module  # noqa: F401
from tests.test_gui_one_road import receive_address, store
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.fiat import MANUAL, Price, Rate, fiat_unit
from wallet.bitcoin.networks import REGTEST
from wallet.gui.controller import WalletController
from wallet.gui.currency import CurrencyDialog
from wallet.gui.main_window import MainWindow
from wallet.gui.rates import FiatRates
from wallet.gui.settings import AppSettings
from wallet.rates.mempool import MempoolSource

pytestmark = pytest.mark.gui
MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    playground_module.set_prices({"CNY": "470000", "USD": "65000"})
    yield playground_module
    playground_module.set_prices(None)


@pytest.fixture
def wallet(tmp_path) -> Iterator[Wallet]:
    path = create_from_seed(
        tmp_path / "stall",
        REGTEST,
        MNEMONIC,
        "pw",
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    w = Wallet.open(path)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def open_window(qtbot, wallet, tmp_path) -> Iterator[Callable[..., MainWindow]]:
    opened: list[MainWindow] = []

    def open_(rates: FiatRates) -> MainWindow:
        window = MainWindow(
            WalletController(wallet, rates=rates), settings=AppSettings(tmp_path / "gui.ini")
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.controller.rates.stop()
        window.controller.close()


def playground_rates(qtbot, pg, code: str = "CNY") -> FiatRates:
    rates = FiatRates(code, [MempoolSource(pg.esplora_url, "playground", currencies=None)])
    with qtbot.waitSignal(rates.changed, timeout=10_000):
        rates.refresh()
    assert rates.rate() is not None, rates.describe()
    return rates


def test_a_request_typed_in_fiat_locks_its_rate(qtbot, pg, open_window):
    rates = playground_rates(qtbot, pg)
    assert rates.rate().price == Decimal(470000) and rates.rate().source == "playground"
    assert "from playground" in rates.describe() and "1 BTC = 470,000.00 CNY" in rates.describe()
    window = open_window(rates)
    tab = window.receive
    window.tabs.setCurrentWidget(tab)
    tab.amount.set_fiat()
    assert tab.amount.in_fiat and tab.amount.unit_box.currentText() == "CNY"
    qtbot.keyClicks(tab.amount.edit, "35")
    qtbot.mouseClick(tab.create_button, Qt.MouseButton.LeftButton)
    request = tab.request
    assert tab.error.text() == "" and request is not None
    assert request.amount_sat == 7447  # 35 / 470,000 BTC, rounded up to a whole satoshi
    assert request.price == Price(3500, rates.rate())
    assert "35.00 CNY at 1 BTC = 470,000.00 CNY (rate locked)" in tab.summary.text()
    # The market moves; the request keeps the rate it was made at.
    pg.set_prices({"CNY": "500000"})
    try:
        with qtbot.waitSignal(rates.changed, timeout=10_000):
            rates.refresh()
        assert rates.rate().price == Decimal(500000)
        stored = window.controller.db.payment_request(request.id)
        assert stored.price.rate.price == Decimal(470000) and stored.amount_sat == 7447
        # The Requests tab shows what it asked in CNY, and the locked rate in the tooltip.
        window.tabs.setCurrentWidget(window.requests)
        model = window.requests.model
        row = next(i for i, r in enumerate(model.rows) if r.id == request.id)
        assert model.headerData(3, Qt.Orientation.Horizontal) == "Price"
        assert model.index(row, 3).data() == "35.00 CNY"
        tip = model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)
        assert "1 BTC = 470,000.00 CNY (playground)" in tip
    finally:
        pg.set_prices({"CNY": "470000", "USD": "65000"})
    # Switching the unit converts what is typed; a bitcoin amount set (from a URI) stays exact.
    tab.amount.edit.setText("35")
    tab.amount.set_unit(tab.amount.unit)
    assert tab.amount.sats() == 7000  # 35 CNY at 500,000 now
    tab.amount.set_fiat()
    tab.amount.set_sats(123_456)
    assert not tab.amount.in_fiat and tab.amount.sats() == 123_456


def test_no_rate_means_no_fiat_amount_and_a_sentence(qtbot, open_window, wallet):
    window = open_window(FiatRates("EUR"))  # no source, no rate set by hand
    tab = window.receive
    tab.amount.set_fiat()
    qtbot.keyClicks(tab.amount.edit, "12,50")
    qtbot.mouseClick(tab.create_button, Qt.MouseButton.LeftButton)
    assert tab.request is None
    assert "no current EUR rate" in tab.error.text()
    assert window.overview.confirmed.fiat.text() == ""


def test_the_balance_and_history_show_the_local_currency(qtbot, pg, wallet, open_window):
    new = store(pg, wallet, pg.fund(receive_address(wallet, 0), 1_000_000))
    old_raw = pg.fund(receive_address(wallet, 1), 2_000_000)
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(old_raw)[::-1])
    old = wallet.db.add_transaction(found.entry.raw, first_seen=int(time.time()) - 86_400).txid
    rates = playground_rates(qtbot, pg)
    window = open_window(rates)
    # The balance: 0.03 BTC pending at 470,000 CNY.
    assert window.overview.pending.fiat.text() == "≈ +14,100.00 CNY"
    assert "playground" in window.overview.pending.fiat.toolTip()
    # Home: the available figure (nothing proven yet) and what is on its way, in CNY too
    assert window.overview.fiat.text() == "≈ 0.00 CNY"
    assert "≈ +14,100.00 CNY" in window.overview.incoming.text()
    # History: the payment that arrived now keeps today's rate; the one from yesterday (say, found
    # by a restore) keeps none rather than today's.
    qtbot.waitUntil(lambda: set(window.controller.tx_rates()) == {new})
    window.tabs.setCurrentWidget(window.history)
    model = window.history.model
    qtbot.waitUntil(lambda: any(r.record.txid == new for r in model.rows))
    cells = {r.record.txid: model.index(i, 3).data() for i, r in enumerate(model.rows)}
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Value then"
    assert cells[new] == "+4,700.00 CNY" and cells[old] == ""
    # A later rate does not change the value then.
    pg.set_prices({"CNY": "100"})
    try:
        with qtbot.waitSignal(rates.changed, timeout=10_000):
            rates.refresh()
    finally:
        pg.set_prices({"CNY": "470000", "USD": "65000"})
    assert window.controller.tx_rates()[new].price == Decimal(470000)
    assert window.overview.pending.fiat.text() == "≈ +3.00 CNY"


def test_a_rate_set_by_hand_for_an_offline_stall(qtbot, open_window, tmp_path):
    settings = AppSettings(tmp_path / "gui.ini")
    window = open_window(FiatRates("JPY"))
    dialog = window.open_currency()
    assert isinstance(dialog, CurrencyDialog)
    dialog.manual.setText("9,800,000")
    assert dialog.apply()
    rates = window.controller.rates
    assert rates.rate() == Rate(fiat_unit("JPY"), Decimal(9_800_000), MANUAL, rates.rate().at)
    assert rates.describe() == "1 BTC = 9,800,000 JPY · set by hand"
    assert settings.manual_rate("JPY")[0] == "9800000"
    tab = window.receive
    tab.amount.set_fiat()
    qtbot.keyClicks(tab.amount.edit, "980")
    assert tab.amount.sats() == 10_000
    # An ambiguous price is refused with how to write it.
    dialog = window.open_currency()
    dialog.manual.setText("9,800")
    assert not dialog.apply()
    assert "could mean" in dialog.error.text()
    dialog.close()
