"""The main window over a real wallet folder whose database is filled through wallet.account:
balances split by trust state, history states and the stored proof, coin freezing, a receive
QR that decodes to the URI shown, the send review built by tx_builder, the scanner, the unlock
kept off the UI thread, the last wallet remembered and the lock of a second process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from wallet.account.database import Chain, MerkleProof, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import address_to_script
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.gui.app import PaylightApp
from wallet.gui.controller import WalletController
from wallet.gui.format import Unit, format_amount
from wallet.gui.main_window import MainWindow
from wallet.gui.settings import AppSettings
from wallet.gui.wallet_setup import create_wallet, seed_descriptors
from wallet.payments.qr_decode import decode_image
from wallet.payments.qr_render import save_qr
from wallet.payments.uri import parse_uri
from wallet.spv.merkle import merkle_branch, merkle_root
from wallet.sync.events import SyncStatus

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[1]
CHEAP = ScryptParams.insecure_for_tests()
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "correct horse battery"
#: Someone else's regtest address (BIP84 "abandon…" account 1 would do; any valid one works).
EXTERNAL = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"

A_VALUE, B_VALUE, C_VALUE = 150_000_000, 25_000_000, 1_000_000
D_PAID, D_CHANGE = 40_000_000, 109_990_000


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def funding_tx(script: bytes, value: int, salt: int) -> Transaction:
    """A transaction paying ``value`` to ``script`` from a made-up outside coin."""
    prevout = OutPoint(sha256d(salt.to_bytes(4, "little")), 0)
    return Transaction(
        2,
        [TxIn(prevout, witness=[b"\x01" * 72, b"\x02" * 33])],
        [
            TxOut(value, script),
            TxOut(12_345, address_to_script(EXTERNAL, "regtest")),
        ],
    )


def make_wallet(name: str = "Shop", kdf: ScryptParams = CHEAP) -> Path:
    descriptors = seed_descriptors(MNEMONIC, "", "regtest")
    return create_wallet(
        wallet_dir(name, "regtest"),
        "regtest",
        descriptors,
        mnemonic=MNEMONIC,
        password=PASSWORD,
        kdf=kdf,
    )


def populate(wallet: Wallet) -> dict:
    """Four transactions, one per situation, through WalletDatabase's own API."""
    db = wallet.db
    receive = db.addresses(Chain.RECEIVE)
    change = db.addresses(Chain.CHANGE)
    tx_a = funding_tx(receive[0].script_pubkey, A_VALUE, 1)
    tx_b = funding_tx(receive[1].script_pubkey, B_VALUE, 2)
    tx_c = funding_tx(receive[2].script_pubkey, C_VALUE, 3)
    tx_d = Transaction(
        2,
        [TxIn(OutPoint(tx_a.txid(), 0), witness=[b"\x03" * 72, b"\x04" * 33])],
        [
            TxOut(D_PAID, address_to_script(EXTERNAL, "regtest")),
            TxOut(D_CHANGE, change[0].script_pubkey),
        ],
    )
    # A block of three transactions with A at position 1: branch, root and header are real.
    leaves = [sha256d(b"coinbase"), tx_a.txid(), sha256d(b"other")]
    branch = merkle_branch(leaves, 1)
    root = merkle_root(leaves)
    header = (
        (0x20000000).to_bytes(4, "little")
        + sha256d(b"previous")
        + root
        + (1_700_000_000).to_bytes(4, "little")
        + bytes.fromhex("ffff7f20")
        + (7).to_bytes(4, "little")
    )
    proof = MerkleProof(100, sha256d(header), 1, tuple(branch))
    db.add_transaction(
        tx_a.serialize(), state=TxState.CONFIRMED, proof=proof, first_seen=1_700_000_000
    )
    db.add_transaction(
        tx_b.serialize(), state=TxState.UNVERIFIED, height=101, first_seen=1_700_000_600
    )
    db.add_transaction(tx_c.serialize(), first_seen=1_700_001_000)
    db.add_transaction(tx_d.serialize(), first_seen=1_700_002_000)
    return {"a": tx_a, "b": tx_b, "c": tx_c, "d": tx_d, "proof": proof, "root": root}


@pytest.fixture
def window(qtbot):
    path = make_wallet()
    wallet = Wallet.open(path)
    txs = populate(wallet)
    controller = WalletController(wallet)
    main = MainWindow(controller)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.txs = txs
    yield main
    controller.close()


def test_overview_shows_each_trust_state_apart(window, shot):
    overview = window.overview
    expected_pending = C_VALUE + D_CHANGE - A_VALUE  # D spends A, which is still confirmed
    assert overview.confirmed.amount.text() == format_amount(A_VALUE)
    assert overview.unverified.amount.text() == format_amount(B_VALUE)
    assert overview.pending.amount.text() == format_amount(expected_pending)
    assert expected_pending < 0 and overview.pending.amount.text().startswith("-")
    everything = window.grab()
    assert everything.width() > 0
    # No single figure adds the states together.
    total = format_amount(A_VALUE + B_VALUE + expected_pending)
    texts = [w.text() for w in window.findChildren(type(overview.confirmed.amount))]
    assert total not in texts
    window.set_unit(Unit.SAT)
    assert overview.confirmed.amount.text() == "150,000,000 sat"
    window.set_unit(Unit.BTC)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        shot(window, f"main-{i}-{window.tabs.tabText(i).lower()}")


def test_history_states_and_proof_details(qtbot, window, shot):
    window.tabs.setCurrentWidget(window.history)
    model = window.history.model
    states = {row.record.txid: model.data(model.index(i, 1)) for i, row in enumerate(model.rows)}
    txs = window.txs
    assert states[txs["a"].txid()].startswith("confirmed")
    assert states[txs["b"].txid()].startswith("unverified")
    assert states[txs["c"].txid()].startswith("unconfirmed")
    amounts = {row.record.txid: row.net_sat for row in model.rows}
    assert amounts[txs["d"].txid()] == D_CHANGE - A_VALUE
    assert amounts[txs["b"].txid()] == B_VALUE

    row = next(i for i, r in enumerate(model.rows) if r.record.txid == txs["a"].txid())
    window.history.view.selectRow(row)
    qtbot.mouseClick(window.history.details_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(QDialog, "tx-details")
    assert dialog is not None and dialog.isVisible()
    text = dialog.proof_text.toPlainText()
    proof = txs["proof"]
    assert proof.block_hash[::-1].hex() in text
    for node in proof.branch:
        assert node[::-1].hex() in text
    assert f"Root from branch: {txs['root'][::-1].hex()}" in text
    shot(dialog, "history-details")
    dialog.close()


def test_history_shows_whole_txids_elided_by_width_only(qtbot, window):
    from PySide6.QtWidgets import QHeaderView

    for tab, view in (
        (window.history, window.history.view),
        (window.overview, window.overview.recent),
    ):
        window.tabs.setCurrentWidget(tab)
        model = view.model()
        last = model.columnCount() - 1
        assert model.headerData(last, Qt.Orientation.Horizontal) == "Transaction"
        for row in range(model.rowCount()):
            assert model.index(row, last).data() == model.record(row).record.txid_hex
        header = view.horizontalHeader()
        assert header.sectionResizeMode(last) is QHeaderView.ResizeMode.Stretch
        assert view.textElideMode() is Qt.TextElideMode.ElideMiddle
        # the column takes the width left to the right edge of the table
        QApplication.processEvents()
        right = header.sectionViewportPosition(last) + header.sectionSize(last)
        assert abs(right - view.viewport().width()) <= 2


def test_send_summary_sits_right_under_pay_to(qtbot, window):
    window.tabs.setCurrentWidget(window.send)
    tab = window.send
    tab.pay_to.setText(f"bitcoin:{EXTERNAL}?amount=0.0015&label=Coffee%20stall")
    QApplication.processEvents()
    info, field = tab.pay_to_info, tab.pay_to
    gap = (
        info.mapTo(tab, info.rect().topLeft()).y() - field.mapTo(tab, field.rect().bottomLeft()).y()
    )
    assert 0 <= gap <= 10, gap
    assert info.height() <= 2 * info.fontMetrics().lineSpacing()  # one line, no blank band


def test_coins_freeze_and_spend_from(qtbot, window):
    window.tabs.setCurrentWidget(window.coins)
    tab = window.coins
    db = window.controller.db
    assert len(tab.model.rows) == 3  # B, C and D's change: A is spent by D
    tab.view.selectRow(0)
    outpoint = tab.selected()[0].outpoint
    qtbot.mouseClick(tab.freeze_button, Qt.MouseButton.LeftButton)
    assert {o.outpoint: o.frozen for o in db.outputs()}[outpoint] is True
    assert not tab.spend_button.isEnabled()
    qtbot.mouseClick(tab.unfreeze_button, Qt.MouseButton.LeftButton)
    assert {o.outpoint: o.frozen for o in db.outputs()}[outpoint] is False
    tab.view.selectRow(1)
    qtbot.mouseClick(tab.spend_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.send
    assert [c.outpoint for c in window.send.coins] == [tab.model.rows[1].outpoint]


def qimage_to_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width()].copy()


def test_receive_request_qr_decodes_to_the_uri_shown(qtbot, window, shot):
    window.tabs.setCurrentWidget(window.receive)
    tab = window.receive
    qtbot.keyClicks(tab.amount.edit, "0.0015")
    qtbot.keyClicks(tab.label, "Coffee & cake")
    qtbot.keyClicks(tab.message, "Table 4")
    qtbot.mouseClick(tab.create_button, Qt.MouseButton.LeftButton)
    request = tab.request
    assert request is not None and request.amount_sat == 150_000
    # The first unused receive address that is not already promised (0, 1, 2 are used).
    assert request.address == window.controller.db.addresses(Chain.RECEIVE)[3].address
    shown = tab.uri.text()
    assert shown.startswith(f"bitcoin:{request.address}?amount=0.0015")

    scale = tab.qr.module_scale()
    assert scale >= 4  # large: at least 4 device pixels per module
    image = tab.qr.rendered_image()
    pixels = qimage_to_array(image)
    assert set(np.unique(pixels)) <= {0, 255}  # crisp: no smoothed grey edges
    found = decode_image(pixels)
    assert len(found) == 1
    assert parse_uri(found[0].text) == parse_uri(shown)
    # The widget on screen holds the same pixels (integer scaling, nothing resampled).
    grabbed = qimage_to_array(tab.qr.grab().toImage())
    assert len(decode_image(grabbed)) == 1
    shot(window, "main-receive-request")

    # A second request gets a fresh address; the Requests tab lists both.
    tab.amount.set_sats(None)
    second = tab.create_request()
    assert second is not None and second.address != request.address
    window.tabs.setCurrentWidget(window.requests)  # hidden tables reload when shown
    assert len(window.requests.model.rows) == 2
    window.requests.view.selectRow(1)
    qtbot.mouseClick(window.requests.show_button, Qt.MouseButton.LeftButton)
    assert tab.request.id == request.id


def test_a_request_expires_on_time_with_no_sync_event(qtbot, window):
    """Nothing from the network marks an expiry: the controller's timer moves the request to
    expired when its time passes, and the Requests and Receive tabs say so."""
    from wallet.account.database import RequestState

    controller = window.controller
    window.tabs.setCurrentWidget(window.requests)
    lasting = controller.create_request(210_000, "Coffee beans", "", 86_400)
    soon = controller.create_request(55_000, "Yesterday's order", "", 2)
    model = window.requests.model

    def shown(request) -> str:
        row = next(i for i, r in enumerate(model.rows) if r.id == request.id)
        return model.index(row, 1).data()

    assert shown(soon) == "waiting" and shown(lasting) == "waiting"
    window._show_request(soon)
    assert window.receive.state.text() == "State: waiting"
    window.tabs.setCurrentWidget(window.requests)
    started = time.monotonic()
    qtbot.waitUntil(lambda: shown(soon) == "expired", timeout=6000)
    assert time.monotonic() - started < 4  # at its expiry, not at some later poll
    assert controller.db.payment_request(soon.id).state is RequestState.EXPIRED
    assert controller.db.payment_request(lasting.id).state is RequestState.WAITING
    assert shown(lasting) == "waiting"
    assert window.receive.state.text() == "State: expired"
    # The next timer is set for the request still waiting (a day away), not in a loop.
    assert controller._expiry.isActive()
    assert controller._expiry.remainingTime() > 10_000


def test_requests_footer_explains_every_state_the_column_can_show(window):
    from wallet.account.database import RequestState

    legend = window.requests.legend.text()
    for state in RequestState:
        assert f"<b>{state.value}</b>:" in legend
    request = window.controller.create_request(55_000, "Cake", "", 86_400)
    window.tabs.setCurrentWidget(window.requests)
    model = window.requests.model
    row = next(i for i, r in enumerate(model.rows) if r.id == request.id)
    tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("waiting: nothing paid yet")


def test_a_long_engine_message_is_cut_to_a_line_with_the_whole_as_tooltip(window):
    from wallet.gui.format import STATUS_MAX

    why = "; ".join(
        f"127.0.0.1:{port} (bad Merkle proof for {'ab' * 32} at height 250: the branch leads "
        f"to root {'cd' * 32}, not the header's {'ef' * 32})"
        for port in (50001, 3002)
    )
    status = SyncStatus("offline", message=f"Sync failed: all were dropped: {why}")
    window.controller._dispatch(status)
    for label in (window.sync_label, window.overview.sync_line, window.node.status_line):
        assert len(label.text()) <= STATUS_MAX + 1 and label.text().endswith("…")
        assert label.text().startswith("Sync failed: all were dropped: 127.0.0.1:50001")
        assert label.toolTip() == window.controller.status_details()
        assert why in label.toolTip()
    assert (
        window.overview.sync_line.height() <= 4 * window.overview.sync_line.fontMetrics().height()
    )


def test_send_review_shows_address_amount_fee_and_change_before_password(qtbot, window, shot):
    window.tabs.setCurrentWidget(window.send)
    tab = window.send
    uri = f"bitcoin:{EXTERNAL}?amount=0.1&label=Market%20stall"
    qtbot.keyClicks(tab.pay_to, uri)
    assert tab.recipient is not None and tab.recipient.amount_sat == 10_000_000
    assert tab.amount.sats() == 10_000_000  # filled from the URI
    assert "Market stall" in tab.pay_to_info.text()
    tab.fee_rate.setValue(5.0)
    shot(window, "main-send-filled")
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    # the wallet paid this address before (populate): it asks first
    asked = tab.findChild(QMessageBox, "paid-before")
    assert asked is not None and "already paid" in asked.text()
    asked.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "review-dialog") is not None, timeout=10_000)
    dialog = window.findChild(QDialog, "review-dialog")
    plan = dialog.plan
    assert plan.address == EXTERNAL and plan.amount_sat == 10_000_000
    # Inputs pay exactly amount + fee + change (independent sum over the wallet's coins).
    values = {o.outpoint: o.value for o in window.controller.db.outputs()}
    assert sum(values[o] for o in plan.inputs) == plan.amount_sat + plan.fee_sat + plan.change_sat
    assert plan.fee_sat >= 5 * plan.vsize
    change_addresses = {a.address for a in window.controller.db.addresses(Chain.CHANGE)}
    assert plan.change_address in change_addresses
    labels = " ".join(w.text() for w in dialog.findChildren(type(tab.pay_to_info)))
    assert EXTERNAL in labels and format_amount(plan.fee_sat) in labels
    assert format_amount(plan.change_sat) in labels
    # The password comes after the review, and without a sync engine nothing can be broadcast.
    assert not dialog.send_button.isEnabled()
    assert "sync engine" in dialog.status.text()
    shot(dialog, "send-review")
    dialog.close()

    # Too much: the builder's own sentence is shown.
    tab.amount.set_sats(100 * 100_000_000)
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    tab.findChild(QMessageBox, "paid-before").button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: bool(tab.error.text()), timeout=10_000)


def test_scan_button_opens_the_scanner_and_fills_pay_to(qtbot, window, tmp_path, shot):
    tab = window.send
    qtbot.mouseClick(tab.scan_button, Qt.MouseButton.LeftButton)
    dialog = tab.scanner_dialog
    assert dialog is not None and dialog.isVisible()
    from wallet.gui.scanner.widget import ScannerWidget

    scanner = dialog.findChild(ScannerWidget)
    assert scanner is not None
    shot(dialog, "send-scanner")
    uri = f"bitcoin:{EXTERNAL}?amount=0.002"
    save_qr(uri, tmp_path / "code.png")
    scanner.open_image(tmp_path / "code.png")  # "Open image…" without the file dialog
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert parse_uri(tab.pay_to.text()) == parse_uri(uri)
    assert tab.amount.sats() == 200_000


def test_sync_status_line_in_status_bar(window):
    label = window.sync_label
    assert "sync engine" in label.text()
    window.controller._report(
        SyncStatus(
            "proofs",
            header_height=1200,
            header_target=2016,
            proofs_verified=3,
            proofs_total=4,
            servers_active=2,
        )
    )
    # The engine's running counters (3/4) are not what the line counts: the wallet's own
    # transactions are (A confirmed with its proof, B unverified; C and D in the mempool).
    expected = (
        "Verifying proofs · Headers 1,200/2,016 · 1 of 2 mined transactions proven · 2 servers"
    )
    assert label.text() == expected
    assert window.overview.sync_line.text() == label.text()
    assert window.node.status_line.text() == label.text()
    # B's proof checks out: the line follows the wallet, not the engine's counters.
    db = window.controller.db
    b = window.txs["b"]
    db.set_tx_state(b.txid(), TxState.CONFIRMED, proof=MerkleProof(101, b"\x11" * 32, 1, ()))
    window.controller.changed.emit()
    assert "2 of 2 mined transactions proven" in label.text()
    assert "2 of 2 mined transactions proven" in window.overview.sync_line.text()
    window.controller._report(SyncStatus("idle", header_height=2016, servers_active=1))
    assert (
        label.text() == "Up to date · Headers 2,016 · 2 of 2 mined transactions proven · 1 server"
    )
    # Idle with every server dropped is not "up to date".
    window.controller._report(SyncStatus("idle", header_height=2016, servers_active=0))
    assert label.text().startswith("No server left to ask · Headers 2,016")


def test_unlock_keeps_the_event_loop_responsive(qtbot):
    path = make_wallet("Strong", kdf=ScryptParams.default())  # the real scrypt cost
    wallet = Wallet.open(path)
    controller = WalletController(wallet)
    try:
        gaps: list[int] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        timer.start()
        result = []
        started = time.perf_counter()
        controller.unlock(PASSWORD, result.append, result.append)
        qtbot.waitUntil(lambda: bool(result), timeout=20_000)
        elapsed = time.perf_counter() - started
        timer.stop()
        assert getattr(result[0], "value", None) == MNEMONIC
        assert elapsed > 0.1, "the real scrypt cost was not paid"
        print(f"unlock {elapsed * 1000:.0f} ms, {len(gaps)} ticks, longest gap {max(gaps)} ms")
        assert len(gaps) > 10
        # scrypt on the UI thread would stall it for its whole cost (> 100 ms, asserted above);
        # the 50 ms goal is bench/ui_latency.py's, a loaded machine adds gaps of its own
        assert max(gaps) < elapsed * 1000 / 2
        # A wrong password arrives as an error, also without blocking.
        errors = []
        controller.unlock("wrong password", errors.append, errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
        assert "password" in str(errors[0]).lower()
    finally:
        controller.close()


def test_app_reopens_the_last_wallet(qtbot, home):
    path = make_wallet()
    first = PaylightApp(kdf=CHEAP)
    window = first.open_wallet(path)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    first.shutdown()
    assert AppSettings().last_wallet() == path
    assert (home / "config" / "gui.ini").is_file()

    second = PaylightApp(kdf=CHEAP)
    second.start()
    try:
        assert isinstance(second.window, MainWindow)
        qtbot.addWidget(second.window)
        assert second.controller.wallet.path == path
    finally:
        second.shutdown()


def test_second_process_gets_the_lock_message_and_nothing_is_damaged(qtbot, home, shot):
    path = make_wallet()
    code = (
        "import sys, time\n"
        "from wallet.account.wallet_file import Wallet\n"
        "w = Wallet.open(sys.argv[1])\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"
        "w.close()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ},
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        AppSettings().set_last_wallet(path)
        app = PaylightApp(kdf=CHEAP)
        app.start()
        qtbot.addWidget(app.window)
        assert app.controller is None
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        assert boxes, "no message was shown"
        text = boxes[-1].text()
        assert "open in another Paylight window" in text and f"pid {holder.pid}" in text
        assert "No wallet is open" in " ".join(
            w.text() for w in app.window.findChildren(type(app.window.status))
        )
        QApplication.processEvents()
        shot(app.window, "app-locked")
        for box in boxes:
            box.close()
        app.shutdown()
    finally:
        holder.stdin.close()
        holder.wait(10)
    with Wallet.open(path) as wallet:
        assert wallet.db.integrity_check() == "ok"
        assert len(wallet.db.addresses(Chain.RECEIVE)) == wallet.config.gap_limit


def _mean_colour(widget) -> tuple[float, float, float]:
    image = widget.grab().toImage()
    pixels = [
        QColor(image.pixel(x, y))
        for x in range(2, image.width() - 2, 3)
        for y in range(2, image.height() - 2, 3)
    ]
    n = len(pixels)
    return (
        sum(p.red() for p in pixels) / n,
        sum(p.green() for p in pixels) / n,
        sum(p.blue() for p in pixels) / n,
    )


def _distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def test_the_till_scales_its_text_and_controls_with_its_size(qtbot, window):
    from wallet.gui.pos import RIGHT_PANEL_WIDTH

    till = window.open_pos(fullscreen=False)
    qtbot.addWidget(till)
    for key in "0.00048":
        till.press(key)
    till.charge()
    assert till.pages.currentIndex() == 1

    def measure(width: int, height: int) -> dict[str, float]:
        till.resize(width, height)
        qtbot.waitUntil(lambda: till.size().width() == width and till.size().height() == height)
        for _ in range(3):
            QApplication.processEvents()
        return {
            "uri": till.uri.edit.font().pointSizeF(),
            "copy": till.uri.button.font().pointSizeF(),
            "copy_height": till.uri.button.height(),
            "caption": till.qr_note.font().pointSizeF(),
            "amount": till.charge_amount.font().pointSizeF(),
            "right": till.right_panel.width(),
            "bottom": till.cancel_button.mapTo(till, till.cancel_button.rect().bottomLeft()).y(),
            "uri_bottom": till.uri.mapTo(till, till.uri.rect().bottomLeft()).y(),
        }

    design = measure(1100, 720)
    assert design["right"] == RIGHT_PANEL_WIDTH
    full_hd = measure(1920, 1080)
    for key in ("uri", "copy", "caption", "amount", "right"):
        assert full_hd[key] >= 1.4 * design[key], (key, design[key], full_hd[key])
    assert full_hd["copy_height"] >= 1.25 * design["copy_height"]
    # A 1024x600 tablet: the window is that size and every control is inside it.
    tablet = measure(1024, 600)
    assert tablet["bottom"] < 600 and tablet["uri_bottom"] < 600
    assert tablet["amount"] < design["amount"]
    till.new_charge()
    till.resize(1024, 600)
    for _ in range(3):
        QApplication.processEvents()
    assert till.charge_button.mapTo(till, till.charge_button.rect().bottomLeft()).y() < 600
    till.close()


def test_the_receipt_qr_toggle_looks_different_when_on(qtbot, window):
    till = window.open_pos(fullscreen=False)
    qtbot.addWidget(till)
    till.set_amount(48_000)
    till.charge()
    save, toggle = till.receipt_button, till.receipt_qr_button
    for button in (save, toggle):
        button.setEnabled(True)  # as once the payment is confirmed
    QApplication.processEvents()
    off = _distance(_mean_colour(save), _mean_colour(toggle))
    toggle.setChecked(True)
    QApplication.processEvents()
    on = _distance(_mean_colour(save), _mean_colour(toggle))
    assert off < 10, off  # two plain buttons alike...
    assert on > 60, on  # ...and the toggle, on, clearly not
    assert toggle.text().startswith("✓")
    toggle.setChecked(False)
    assert not toggle.text().startswith("✓")
    till.close()


def test_paylight_with_no_arguments_opens_the_last_wallets_window(home):
    """``paylight`` alone (the console script's path: ``wallet.cli.main([])``) starts the desktop
    app in a fresh process, which reopens the wallet remembered from last time."""
    path = make_wallet("Corner shop")
    AppSettings().set_last_wallet(path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PAYLIGHT_EXIT_AFTER_SHOW": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from wallet.cli import main; sys.exit(main([]))"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "paylight: main window shown: Paylight" in result.stdout
    assert "Corner shop" in result.stdout
    with Wallet.open(path) as wallet:
        assert wallet.db.integrity_check() == "ok"
