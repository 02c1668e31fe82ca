"""The desktop app end to end, offscreen, against a real regtest playground.

One app session per module, in the order a person would go: create a wallet through the
wizard (its playground option starts the chain and sends 1 test BTC), watch the sync engine
(on its own thread) confirm it, receive a payment into a request and see it reach *confirmed*,
pay a URI that the scanner reads from a video file, raise that payment's fee, and run one
merchant-till charge to a receipt that verifies against the local header chain. Every step
goes through the widgets; the playground's own servers are asked what happened.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.gui_support import PASSWORD, bip84_receive
from wallet.account.database import RequestState, TxState
from wallet.account.keystore import ScryptParams
from wallet.gui.app import PaylightApp
from wallet.gui.engine import RunnerEngine
from wallet.gui.format import Unit, format_amount
from wallet.gui.latency import Heartbeat
from wallet.gui.main_window import MainWindow
from wallet.gui.pos import PosWindow
from wallet.gui.settings import AppSettings
from wallet.gui.tabs.send import ReviewDialog
from wallet.payments.qr_decode import decode_image
from wallet.payments.receipt import load_receipt, verify_receipt
from wallet.payments.uri import parse_uri
from wallet.sync.events import SyncStatus

pytestmark = pytest.mark.gui
CHEAP = ScryptParams.insecure_for_tests()
#: Someone else's regtest address: where the wallet pays.
SHOP = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
def wait(qtbot, condition, timeout: float = 20.0, what: str = "") -> None:
    qtbot.waitUntil(condition, timeout=int(timeout * 1000))


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def close_messages() -> list[str]:
    texts = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    return texts


@pytest.fixture(scope="module")
def session(qapp, tmp_path_factory):
    """The app after the wizard made a playground wallet: (app, window, playground session)."""
    import os

    home = tmp_path_factory.mktemp("home")
    # the wizard's playground mines every 30 s for a demo; here blocks come when a test mines
    from wallet.gui import playground_session

    interval = playground_session.DEMO_BLOCK_SECONDS
    playground_session.DEMO_BLOCK_SECONDS = 3600.0
    old = os.environ.get("PAYLIGHT_HOME")
    os.environ["PAYLIGHT_HOME"] = str(home)
    app = PaylightApp(
        kdf=CHEAP,
        settings=AppSettings(home / "gui.ini"),
        engine_factory=lambda _w: RunnerEngine(retry_seconds=1.0),
    )
    try:
        yield app, home
    finally:
        playground_session.DEMO_BLOCK_SECONDS = interval
        app.shutdown()
        if isinstance(app.window, MainWindow):
            app.window.close()
        if old is None:
            os.environ.pop("PAYLIGHT_HOME", None)
        else:
            os.environ["PAYLIGHT_HOME"] = old


def test_1_create_through_the_wizard_and_sync_the_playground_coins(qtbot, session):
    app, _home = session
    app.start()  # no last wallet: the welcome window and the wizard
    wizard = app.wizard
    assert wizard is not None and wizard.isVisible()
    start = wizard.start
    start.playground.setChecked(True)
    start.name.setText("Stall")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    click(qtbot, next_button)
    shown = [label.text().split(". ", 1)[1] for label in wizard.new_seed.grid.labels]
    wizard.new_seed.written.setChecked(True)
    click(qtbot, next_button)
    for position, field in zip(wizard.confirm.positions, wizard.confirm.fields, strict=True):
        qtbot.keyClicks(field, shown[position])
    click(qtbot, next_button)
    click(qtbot, next_button)  # options: P2WPKH, account 0
    qtbot.keyClicks(wizard.password.password, PASSWORD)
    qtbot.keyClicks(wizard.password.again, PASSWORD)
    click(qtbot, next_button)
    # how it connects: the light node, the playground's P2P listeners (the default)
    assert wizard.connection.choice.private.isChecked()
    click(qtbot, next_button)
    finish_button = wizard.button(QWizard.WizardButton.FinishButton)
    wait(qtbot, finish_button.isEnabled, 60)
    click(qtbot, finish_button)

    wait(qtbot, lambda: isinstance(app.window, MainWindow), 10)
    window = app.window
    assert app.playground is not None
    assert app.playground.address == bip84_receive(" ".join(shown), 0, "regtest")
    # The sync engine, on its thread, fetched the gift and proved it against its own headers.
    wait(qtbot, lambda: window.overview.confirmed.amount.text() == "1.00000000 BTC", 30)
    assert window.controller.balance().confirmed == 100_000_000
    assert window.controller.status.phase == "idle"
    assert "Up to date" in window.sync_label.text()
    history = window.controller.history()
    assert [r.record.state for r in history] == [TxState.CONFIRMED]
    # The proof in History's details is the one checked against the stored header.
    from wallet.gui.tabs.history import proof_report

    report = proof_report(window.controller, history[0])
    assert "The branch leads to this header's merkle root: the proof holds." in report
    # The wallet syncs over the light node (the wizard's default): the panel lists the
    # playground's P2P listeners as its peers, with their tips.
    listeners = len(app.playground.playground.p2p_ports)
    window.tabs.setCurrentWidget(window.node)
    wait(qtbot, lambda: window.node.peers.rowCount() == listeners, 10)
    tip = app.playground.playground.height
    wait(qtbot, lambda: window.node.height_label.text() == f"{tip:,}", 10)
    states = {window.node.peers.item(r, 4).text() for r in range(listeners)}
    assert states == {"connected"}
    assert not window.node.servers.isVisible()
    assert window.node.checkpoint_label.text().startswith("genesis")
    # New blocks: the header height and the filter progress in the panel follow (the peers
    # announce each block).
    pg = app.playground.playground
    for blocks in (1, 2):
        pg.mine(blocks)
        shown = f"{pg.height:,}"
        wait(qtbot, lambda s=shown: window.node.height_label.text() == s, 10)
        wait(
            qtbot,
            lambda s=shown: window.node.filters_label.text().startswith(
                f"filters checked to block {s} of {s}"
            ),
            10,
        )


def test_2_receive_into_a_request_until_confirmed(qtbot, session):
    app, _home = session
    window: MainWindow = app.window
    pg = app.playground.playground
    tab = window.receive
    window.tabs.setCurrentWidget(tab)
    tab.amount.set_sats(2_500_000)
    tab.label.setText("Invoice 7")
    click(qtbot, tab.create_button)
    request = tab.request
    assert request is not None and tab.state.text() == "State: waiting"
    pg.fund(request.address, 2_500_000)  # into the mempool
    # The tracker (on the engine's thread) stores the new state; the tab shows it.
    wait(qtbot, lambda: tab.state.text() == "State: seen", 10)
    assert window.controller.balance().unconfirmed == 2_500_000
    pg.mine(1)
    wait(qtbot, lambda: tab.state.text() == "State: confirmed", 10)
    stored = window.controller.db.payment_request(request.id)
    assert stored.state is RequestState.CONFIRMED
    assert window.controller.balance().confirmed == 102_500_000

    # A request nobody pays expires on time, stored by the engine's request tracker, and
    # the Requests tab shows it (no server event marks an expiry).
    controller = window.controller
    assert controller.engine.till is not None
    soon = controller.create_request(10_000, "Nobody pays", "", 2)
    window.tabs.setCurrentWidget(window.requests)
    model = window.requests.model

    def shown() -> str | None:
        rows = [i for i, r in enumerate(model.rows) if r.id == soon.id]
        return model.index(rows[0], 1).data() if rows else None

    wait(qtbot, lambda: shown() == "waiting", 5)
    wait(qtbot, lambda: shown() == "expired", 6)
    assert controller.db.payment_request(soon.id).state is RequestState.EXPIRED
    assert controller.engine.refresh_requests() == 0  # the tracker had stored it already


def test_3_pay_a_uri_scanned_from_video_then_raise_its_fee(qtbot, session, tmp_path):
    from tests.qr_video import record_video
    from wallet.gui.scanner.sources import VideoFileSource
    from wallet.gui.scanner.widget import ScannerWidget

    app, _home = session
    window: MainWindow = app.window
    pg = app.playground.playground
    esplora = app.playground.endpoints["esplora"]
    uri = f"bitcoin:{SHOP}?amount=0.0015&label=Coffee%20stall"
    video = record_video(tmp_path / "qr.mp4", uri, frames=24, blank=4)

    tab = window.send
    window.tabs.setCurrentWidget(tab)
    click(qtbot, tab.scan_button)
    dialog = tab.scanner_dialog
    scanner = dialog.findChild(ScannerWidget)
    beat = Heartbeat()
    beat.start()
    scanner.use_source(VideoFileSource(video))
    wait(qtbot, lambda: tab.recipient is not None, 20)  # and the dialog closed itself
    scan_gap = beat.stop()
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert parse_uri(tab.pay_to.text(), "regtest") == parse_uri(uri, "regtest")
    assert tab.amount.sats() == 150_000
    assert scan_gap < 250, f"the UI stalled {scan_gap:.0f} ms during the scan"

    tab.fees.set_custom(2.0)
    click(qtbot, tab.review_button)
    wait(qtbot, lambda: tab.findChild(ReviewDialog) is not None, 10)
    review = tab.findChild(ReviewDialog)
    assert review.plan.address == SHOP and review.plan.amount_sat == 150_000
    qtbot.keyClicks(review.password, PASSWORD)
    click(qtbot, review.send_button)
    wait(qtbot, lambda: review.txid is not None, 20)
    txid = review.txid
    # sent: a ✓ over the tab (no warning box), the form cleared behind it
    assert tab.pages.currentWidget() is tab.sent_page and tab.sent_page.txid.text() == txid
    assert "Coffee stall" in tab.sent_page.payee.text() and tab.pay_to.text() == ""
    assert close_messages() == []
    tab.sent_page.done_button.click()
    # The playground's mempool has it (asked over its Esplora API).
    assert httpx.get(f"{esplora}/tx/{txid}/status").json()["confirmed"] is False
    first = bytes.fromhex(txid)[::-1]
    wait(qtbot, lambda: window.controller.transaction(first) is not None, 10)

    # Raise the fee from the History tab.
    history = window.history
    window.tabs.setCurrentWidget(history)
    wait(qtbot, lambda: any(r.record.txid == first for r in history.model.rows), 10)
    row = next(i for i, r in enumerate(history.model.rows) if r.record.txid == first)
    history.view.selectRow(row)
    assert history.bump_button.isEnabled()
    click(qtbot, history.bump_button)
    bump = history.bump_dialog
    shown = " ".join(label.text() for label in bump.findChildren(type(bump.estimate)))
    assert txid in shown  # the whole txid, and the fee it pays now
    fee = window.controller.fee_paid(window.controller.transaction(first))
    assert fee is not None and fee >= 2 * first_vsize(window, first)
    assert format_amount(fee, history.model.unit) in shown
    bump.rate.setValue(12.0)
    click(qtbot, bump.next_button)
    wait(qtbot, lambda: history.findChild(ReviewDialog) is not None, 10)
    review = history.findChild(ReviewDialog)
    assert review.plan.address == SHOP and review.plan.amount_sat == 150_000
    assert review.plan.fee_sat >= 12 * review.plan.vsize
    qtbot.keyClicks(review.password, PASSWORD)
    click(qtbot, review.send_button)
    wait(qtbot, lambda: review.txid is not None, 20)
    close_messages()
    second = bytes.fromhex(review.txid)[::-1]
    assert second != first
    assert httpx.get(f"{esplora}/tx/{review.txid}/status").json()["confirmed"] is False
    assert window.controller.transaction(first).state is TxState.REPLACED
    pg.mine(1)
    wait(
        qtbot,
        lambda: window.controller.transaction(second).state is TxState.CONFIRMED,
        15,
    )
    assert httpx.get(f"{esplora}/tx/{review.txid}/status").json()["confirmed"] is True


def test_4_one_till_charge_to_a_receipt(qtbot, session, tmp_path):
    app, _home = session
    window: MainWindow = app.window
    pg = app.playground.playground
    window.set_unit(Unit.SAT)
    till = window.open_pos(fullscreen=False)
    assert isinstance(till, PosWindow)
    # the playground's price endpoint gave a rate: the keypad types the local currency; this
    # sale is typed in sats (the unit switch)
    assert till.in_fiat and till.unit is window.controller.rates.currency
    till.set_unit(Unit.SAT)
    qtbot.waitExposed(till)
    till.setFocus()
    for key in "2500":
        qtbot.keyClick(till, key)
    qtbot.mouseClick(till.keypad.buttons["0"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(till, Qt.Key.Key_Backspace)
    qtbot.keyClick(till, "0")
    assert till.amount_sat() == 25_000
    qtbot.keyClick(till, Qt.Key.Key_Return)  # charge: the till engine makes the request
    wait(qtbot, lambda: till.pages.currentIndex() == 1, 10)
    request = till.request
    assert request.amount_sat == 25_000
    # The QR drawn on screen decodes to the URI shown beside it.
    decoded = [d.text for d in decode_image(_qimage_gray(till.qr.rendered_image()))]
    assert [t.lower() for t in decoded] == [till.uri.text().lower()]
    assert till.state_banner.text().startswith("Waiting")

    pg.fund(request.address, 25_000)
    wait(qtbot, lambda: till.status is not None and till.status.state is RequestState.SEEN, 10)
    wait(qtbot, lambda: bool(till.risks), 10)  # the till engine asked the servers
    assert not till.qr.isVisible()  # paid: a second scan must not pay again
    # the faucet's payment signals RBF: the policy says wait, the reasons folded away
    assert till.verdict_banner.text() == "Wait for a block"
    assert not till.risk_box.isVisibleTo(till)
    click(qtbot, till.details_button)
    assert till.risk_box.isVisibleTo(till) and "RBF" in till.risk.text()
    # seen by the light node's peers (the wizard's default): how many announced it so far
    peers = len(pg.p2p_ports)
    assert re.search(rf"seen by [1-{peers}] of {peers} ", till.risk.text()), till.risk.text()
    pg.mine(1)
    wait(qtbot, lambda: till.status.state is RequestState.CONFIRMED, 10)
    wait(qtbot, lambda: bool(till.receipt_files), 10)
    assert till.receipt_button.isEnabled()
    saved = till.save_receipt(tmp_path / "receipt.json")
    receipt = load_receipt(saved.read_text())
    verdict = verify_receipt(receipt, window.controller.header_chain())
    assert verdict.ok, verdict.failed_check
    assert receipt.amount_sat == 25_000 and receipt.address == request.address
    # Shown as a QR code for the customer: it decodes to the receipt itself.
    assert till.big_mark.text() == "✓" and till.big_amount.text() == "25,000 sat"
    till.receipt_qr_button.setChecked(True)
    decoded = [d.text for d in decode_image(_qimage_gray(till.receipt_view.rendered_image()))]
    assert load_receipt(decoded[0]).to_bytes() == receipt.to_bytes()
    # One key press: the next charge.
    qtbot.keyClick(till, Qt.Key.Key_N)
    assert till.pages.currentIndex() == 0 and till.amount_sat() is None
    till.close()


def test_5_status_reports_come_from_the_engine_thread(session):
    app, _home = session
    window: MainWindow = app.window
    status = window.controller.status
    # the light node's peers (the wizard's default): every playground listener
    peers = len(app.playground.playground.p2p_ports)
    assert isinstance(status, SyncStatus) and status.servers_active == peers
    assert status.header_height == status.header_target == app.playground.playground.height
    # transactions found in blocks are proven (their Merkle branches computed from the block
    # and checked against our headers) and counted as the servers' proofs are
    assert status.proofs_verified >= 1
    deadline = time.time() + 2
    while time.time() < deadline and window.controller.status.phase != "idle":
        QApplication.processEvents()
    assert window.controller.status.phase == "idle"


def first_vsize(window, txid: bytes) -> int:
    return window.controller.transaction(txid).transaction().vsize()


def _qimage_gray(image):
    import numpy as np
    from PySide6.QtGui import QImage

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = gray.width(), gray.height()
    bits = np.frombuffer(gray.constBits(), np.uint8).reshape(height, gray.bytesPerLine())
    return bits[:, :width].copy()
