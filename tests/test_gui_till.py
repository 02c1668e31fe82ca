"""The merchant till (issue 15, build 2 and its defects), offscreen over a real wallet folder
whose payments come from a running playground.

Without a sync engine the till makes its requests itself and reads each state from the wallet
database, where the test stores the playground's transactions as a sync would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from tests.conftest import REPO
from tests.playground_fixture import TestKey, funded_coin, playground_module  # noqa: F401
from tests.test_gui_one_road import store
from wallet.account.database import RequestState
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import address_to_script
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import SEQUENCE_RBF, TxOut
from wallet.gui.controller import WalletController
from wallet.gui.engine import RunnerEngine
from wallet.gui.format import Unit
from wallet.gui.main_window import MainWindow
from wallet.gui.rates import FiatRates
from wallet.gui.settings import AppSettings
from wallet.payments.receipt import load_receipt
from wallet.rates.mempool import MempoolSource

pytestmark = pytest.mark.gui
MNEMONIC = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def wallet(tmp_path) -> Iterator[Wallet]:
    path = create_from_seed(
        tmp_path / "till",
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
def open_till(qtbot, pg, wallet, tmp_path) -> Iterator[Callable[..., object]]:
    """The till of a main window over ``wallet``, in a normal window; ``engine``: with the sync
    engine on its thread, following the playground's servers (the till engine makes the
    requests, asks every server for the risk view and writes the receipts)."""
    windows: list[MainWindow] = []

    def open_(unit: Unit = Unit.BTC, *, engine: bool = False, rates=None):
        sync = None
        if engine:
            servers = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
            sync = RunnerEngine(servers, header_dir=tmp_path / "headers", retry_seconds=1.0)
        controller = WalletController(wallet, sync, rates)
        window = MainWindow(controller, unit, settings=AppSettings(tmp_path / "gui.ini"))
        qtbot.addWidget(window)
        windows.append(window)
        if engine:
            qtbot.waitUntil(lambda: controller.status.phase == "idle", timeout=30_000)
        till = window.open_pos(fullscreen=False)
        qtbot.addWidget(till)
        qtbot.waitExposed(till)
        till.activateWindow()
        till.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
        return till

    yield open_
    for window in windows:
        if window.pos_window is not None:
            window.pos_window.close()
        window.controller.close()


def messages() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.isVisible()
    ]


def type_amount(qtbot, till, text: str) -> None:
    for key in text:
        qtbot.keyClick(till, key)


def charge(qtbot, till, text: str) -> None:
    type_amount(qtbot, till, text)
    qtbot.keyClick(till, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: till.request is not None, timeout=5000)


def pay(pg, wallet, till, sats: int | None = None) -> bytes:
    """The customer pays the till's request from the playground's faucet; without an engine
    the transaction is stored here as a sync would store it."""
    request = till.request
    txid = pg.fund(request.address, sats or request.amount_sat)
    if till.controller.engine is None:
        store(pg, wallet, txid)
        till.controller._changed_here()  # what the sync engine's write reports
    return bytes.fromhex(txid)[::-1]


# -- defects ---------------------------------------------------------------------------------------


def test_once_paid_the_payment_qr_is_gone(qtbot, pg, wallet, open_till):
    """A QR left on screen after the customer paid gets scanned and paid again."""
    till = open_till()
    charge(qtbot, till, "0.0002")
    assert till.qr.isVisible()
    pay(pg, wallet, till)
    qtbot.waitUntil(lambda: till.status.state is RequestState.SEEN, timeout=5000)
    assert not till.qr.isVisible()


def test_esc_on_a_seen_payment_asks_before_abandoning_the_charge(qtbot, pg, wallet, open_till):
    till = open_till()
    charge(qtbot, till, "0.0003")
    request = till.request
    pay(pg, wallet, till)
    qtbot.waitUntil(lambda: till.status.state is RequestState.SEEN, timeout=5000)
    qtbot.keyClick(till, Qt.Key.Key_Escape)
    asked = messages()
    assert asked, "Esc abandoned a live charge without asking"
    assert till.request == request  # still following it
    (box,) = asked
    box.button(QMessageBox.StandardButton.No).click()  # keep it
    assert till.request == request
    qtbot.keyClick(till, Qt.Key.Key_Escape)
    (box,) = messages()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert till.request is None and till.amount_sat() is None  # the next sale


def test_a_late_cancel_of_the_last_sale_leaves_the_next_sale_open(qtbot, open_till):
    """New sale after a seen payment: the old charge's cancel and the new charge run on the
    worker pool in either order. When the new charge opened first, the cancel gave it up, and
    the customer's payment to it was never seen (test_the_policy_... timed out 1 run in 3)."""
    till = open_till(engine=True)
    charge(qtbot, till, "0.0005")
    first = till.request
    engine = till.controller.till()
    second = engine.pos_charge(40_000)  # the next sale's charge, opened first...
    engine.pos_cancel(first.id)  # ...then the last sale's cancel arrives
    assert engine.till.pos.current is not None
    assert engine.till.pos.current.id == second.id != first.id


def test_an_amount_over_the_sale_limit_is_asked_about(qtbot, open_till):
    till = open_till()
    type_amount(qtbot, till, "35")
    qtbot.keyClick(till, Qt.Key.Key_Return)
    asked = messages()
    assert asked, "35 BTC was charged without a question"
    assert till.request is None
    (box,) = asked
    assert "35" in box.text() and "limit" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert till.request is None and till.amount_sat() == 3_500_000_000  # to correct it
    qtbot.keyClick(till, Qt.Key.Key_Return)
    (box,) = messages()
    box.button(QMessageBox.StandardButton.Yes).click()  # the merchant means it
    qtbot.waitUntil(lambda: till.request is not None, timeout=5000)
    assert till.request.amount_sat == 3_500_000_000


def test_the_scale_follows_the_windows_settled_size(qtbot, open_till):
    """A resize event carrying a size the window no longer has (a window manager's first
    configure, before full screen) must not leave the till drawn at that size's scale."""
    till = open_till()
    till.resize(1100, 720)
    qtbot.waitUntil(lambda: till.size() == QSize(1100, 720))
    QApplication.processEvents()
    assert till.scale == pytest.approx(1.0)
    QApplication.sendEvent(till, QResizeEvent(QSize(770, 504), QSize(1100, 720)))
    for _ in range(3):
        QApplication.processEvents()
    assert till.size() == QSize(1100, 720)
    assert till.scale == pytest.approx(1.0), "drawn at the stale size's scale"


def test_every_till_control_is_reachable_with_tab(qtbot, open_till):
    till = open_till()
    type_amount(qtbot, till, "0.0001")
    reached = set()
    for _ in range(40):
        focus = QApplication.focusWidget()
        reached.add(focus)
        qtbot.keyClick(focus or till, Qt.Key.Key_Tab)
    buttons = [b for b in till.pages.currentWidget().findChildren(QPushButton) if b.isVisible()]
    missing = [b.text() for b in buttons if b not in reached]
    assert not missing, f"not reachable with Tab: {missing}"


def test_the_till_has_an_on_screen_way_out(qtbot, open_till):
    till = open_till()
    exits = [b for b in till.findChildren(QPushButton) if b.objectName() == "pos-exit"]
    shown = [b for b in exits if b.isVisible()]
    assert shown, "a full-screen till needs a button to leave it"
    qtbot.mouseClick(shown[0], Qt.MouseButton.LeftButton)
    assert not till.isVisible()


def test_save_receipt_has_a_keyboard_path(qtbot, pg, wallet, open_till, tmp_path):
    till = open_till(engine=True)
    charge(qtbot, till, "0.0004")
    pay(pg, wallet, till)
    qtbot.waitUntil(lambda: till.status.state is RequestState.SEEN, timeout=10_000)
    pg.mine(1)
    qtbot.waitUntil(lambda: till.receipt is not None, timeout=10_000)
    till.activateWindow()
    till.setFocus()
    qtbot.keyClick(till, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialogs = [d for d in till.findChildren(QFileDialog) if d.isVisible()]
    assert dialogs, "Ctrl+S did not offer to save the receipt"
    target = tmp_path / "receipt.json"
    dialogs[0].fileSelected.emit(str(target))
    assert target.is_file() and "paylight-receipt" in target.read_text()


# -- build 2: a till a stall can run -----------------------------------------------------------


def playground_rates(qtbot, pg, code: str = "CNY") -> FiatRates:
    rates = FiatRates(code, [MempoolSource(pg.esplora_url, "playground", currencies=None)])
    with qtbot.waitSignal(rates.changed, timeout=10_000):
        rates.refresh()
    assert rates.rate() is not None, rates.describe()
    return rates


def test_a_fiat_priced_sale_from_keypad_to_paid_keeps_its_rate_in_the_receipt(
    qtbot, pg, wallet, open_till, tmp_path
):
    """Acceptance: the keypad in the merchant's currency, the rate locked when the charge is
    made, the payment seen (the QR gone, the chime and the amount spoken), then ✓ once it is
    in a block -- and the receipt keeps the price and its rate."""
    pg.set_prices({"CNY": "470000"})
    try:
        rates = playground_rates(qtbot, pg)
        till = open_till(engine=True, rates=rates)
        till.announcer._engine = "mock"  # Qt's silent speech engine: what is said is kept
        assert till.in_fiat and till.unit_buttons["CNY"].isChecked()
        type_amount(qtbot, till, "35")
        assert till.amount_display.text() == "35 CNY"
        assert "= 0.00007447 BTC" in till.conversion.text()
        assert "1 BTC = 470,000.00 CNY" in till.conversion.text()
        qtbot.keyClick(till, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: till.request is not None, timeout=10_000)
        request = till.request
        assert request.amount_sat == 7447 and request.price.amount == 3500
        assert till.charge_amount.text() == "35.00 CNY"
        pg.set_prices({"CNY": "1"})  # the market moves after the charge: its rate is locked
        pay(pg, wallet, till)
        qtbot.waitUntil(lambda: till.status.state is RequestState.SEEN, timeout=10_000)
        assert not till.qr.isVisible() and till.big_amount.text() == "35.00 CNY"
        assert till.announcer.played == 1
        assert till.announcer.said == ["Received 35 CNY"]
        pg.mine(1)
        qtbot.waitUntil(lambda: till.status.state in (RequestState.CONFIRMED,), timeout=10_000)
        qtbot.waitUntil(lambda: bool(till.receipt_files), timeout=10_000)
        assert till.big_mark.text() == "✓" and till.big_state.text() == "Paid"
        assert "Rate locked for this sale: 1 BTC = 470,000.00 CNY (playground)" in (
            till.status_detail.text()
        )
        assert till.announcer.played == 1  # once a sale
        receipt = load_receipt(till.receipt_files[0].read_text())
        assert receipt.price == request.price
        assert receipt.price.rate.price == 470000 and receipt.amount_sat == 7447
        # The ✓ stays until the next sale; Enter starts it.
        QApplication.processEvents()
        assert till.pages.currentIndex() == 2 and not till.qr.isVisible()
        qtbot.keyClick(till, Qt.Key.Key_Return)
        assert till.request is None and till.pages.currentIndex() == 0
    finally:
        pg.set_prices(None)


def test_the_policy_hands_over_a_small_clean_payment_and_waits_on_rbf(
    qtbot, pg, wallet, open_till, tmp_path
):
    """Acceptance: up to the 0-conf amount, a payment with no RBF signal, a fee at the
    next-block estimate, confirmed parents, on every server and without conflict is "OK to
    hand over"; the same payment signalling RBF is "Wait for a block", with the reason."""
    settings = AppSettings(tmp_path / "gui.ini")
    settings.set_till_value("zero_conf", "0.001 BTC")
    pg.set_fee_estimates({1: 2.0, 2: 2.0, 6: 1.0})
    try:
        till = open_till(engine=True)
        for sequence, expected in ((0xFFFFFFFF, "OK to hand over"), (SEQUENCE_RBF, None)):
            charge(qtbot, till, "0.0005")
            request = till.request
            customer = TestKey(f"customer {sequence}".encode())
            coin = funded_coin(pg, customer, 80_000)
            to_till = TxOut(50_000, address_to_script(request.address, "regtest"))
            payment = customer.spend(
                [coin], [to_till, TxOut(29_000, customer.script)], sequence=sequence
            )  # 1,000 sat for ~141 vB: ~7 sat/vB, above the next-block estimate
            pg.broadcast(payment)
            qtbot.waitUntil(lambda: till.status.state is RequestState.SEEN, timeout=10_000)
            qtbot.waitUntil(lambda: bool(till.risks), timeout=10_000)
            verdict = till.verdict
            if expected:
                assert verdict.hand_over and verdict.reasons == ()
                assert till.verdict_banner.text() == expected
                assert till.big_mark.text() == "✓"
            else:
                assert not verdict.hand_over
                assert [r.code for r in verdict.reasons] == ["rbf"]
                assert till.verdict_banner.text() == "Wait for a block"
                till.resize(1100, 720)  # a laptop-sized till window
                till.details_button.click()
                assert "replace-by-fee" in till.risk.text()
                # every reason readable at once: the box takes the mark's room and the spare
                # height (it showed three lines and scrolled the rest before)
                qtbot.waitUntil(lambda: not till.big_mark.isVisible(), timeout=2_000)
                QApplication.processEvents()
                viewport = till.risk.parentWidget()
                assert viewport.height() >= till.risk.heightForWidth(viewport.width()) - 2
            qtbot.keyClick(till, Qt.Key.Key_Escape)  # a seen payment: asked first
            (box,) = messages()
            box.button(QMessageBox.StandardButton.Yes).click()
        # Above the 0-conf amount a clean payment waits too.
        charge(qtbot, till, "0.002")
        customer = TestKey(b"a big clean customer")
        coin = funded_coin(pg, customer, 250_000)
        to_till = TxOut(200_000, address_to_script(till.request.address, "regtest"))
        pg.broadcast(
            customer.spend([coin], [to_till, TxOut(49_000, customer.script)], sequence=0xFFFFFFFF)
        )
        qtbot.waitUntil(lambda: bool(till.risks), timeout=10_000)
        assert [r.code for r in till.verdict.reasons] == ["over-limit"]
    finally:
        pg.set_fee_estimates(None)


def test_the_chime_is_made_by_its_script(tmp_path):
    """The sound is generated (no recording to license), and the committed file is what the
    script makes."""
    import importlib.util

    from wallet.gui.announce import sound_file

    script = REPO / "resources" / "sounds" / "make_sounds.py"
    spec = importlib.util.spec_from_file_location("make_sounds", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import struct
    import wave

    with wave.open(str(sound_file()), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        frames = wav.readframes(wav.getnframes())
    assert frames == b"".join(struct.pack("<h", s) for s in module.samples())
