"""The PSBT window (issue 19) driven through its widgets, offscreen, on a real playground.

The air-gapped round trip, as a person with a watch-only wallet and a signer does it: the app
holds a watch-only wallet made from the signer's account QR (BDK, ``bdkpython``, plays the
signer), syncs it through its sync engine, makes the payment's PSBT from the Send tab, shows
each input's amount as verified by the wallet's records, and shows the PSBT as animated BC-UR
frames (read here from the view, decoded, signed by BDK). BDK's signed PSBT comes back as a
recorded video of animated frames through the window's camera import (the scanner's file
source, its decoding thread, "N of N parts"); the window finalizes, asks for the usual
confirmation, broadcasts through the engine, and after a block the engine proves the payment
against its own header chain.

Then the defence against the fee attack (CVE-2020-14199) as a person sees it: a PSBT whose
input amount only the PSBT states is marked UNVERIFIED in bold red, and signing refuses until
the explicit override is ticked. And the other ways in and out: files, the clipboard, QR
pictures (one code, or the frames of an animated BBQr), combining copies, a single QR code.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.playground_fixture import playground_module  # noqa: F401
from tests.qr_video import record_frames, scenes_of_codes
from tests.test_gui_one_road import store
from wallet.account.database import Chain, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_from_seed, create_wallet
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.psbt import PSBT
from wallet.gui.animated_qr_view import QRFormat
from wallet.gui.controller import WalletController
from wallet.gui.engine import RunnerEngine
from wallet.gui.latency import Heartbeat
from wallet.gui.main_window import MainWindow
from wallet.gui.psbt_dialog import BroadcastConfirmation, PsbtDialog
from wallet.gui.scanner.sources import VideoFileSource
from wallet.payments.animated_qr import AnimatedCollector, AnimatedEncoder, Standard
from wallet.payments.qr_render import make_qr
from wallet.payments.send import Recipient, Sender, finalize_psbt

pytestmark = pytest.mark.gui
PAYEE = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "correct horse"
CHEAP = ScryptParams.insecure_for_tests()


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def wait(qtbot, condition, seconds: float = 20) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=int(seconds * 1000))


def cell(table, row: int, column: int) -> str:
    return table.item(row, column).text()


def seed_wallet(folder: Path, name: str) -> Wallet:
    path = create_from_seed(folder / name, "regtest", MNEMONIC, PASSWORD, kdf=CHEAP, gap_limit=5)
    return Wallet.open(path)


def open_dialog(qtbot, controller, psbt=None) -> PsbtDialog:
    dialog = PsbtDialog(controller, psbt)  # deletes itself on close: the test closes it
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def frames_of(qtbot, dialog: PsbtDialog, fmt: QRFormat, density: str) -> list[str]:
    view = dialog.qr
    dialog.tabs.setCurrentWidget(view)
    view.density.setCurrentIndex(view.density.findData(density))
    if view.current_format is not fmt:
        view.format.setCurrentIndex(view.format.findData(fmt))
    wait(qtbot, lambda: view.ready, 30)
    return list(view.frames)


# -- the air-gapped round trip ------------------------------------------------------------------


def test_air_gapped_round_trip_through_the_app(qtbot, pg, home, tmp_path, shot):
    bdk_signer = pytest.importorskip("tests.bdk_signer", reason="bdkpython is not installed")
    from wallet.gui.tabs.history import proof_report
    from wallet.payments.signer_account import parse_signer_account

    signer = bdk_signer.BdkSigner(bdk_signer.WORDS)
    account = parse_signer_account(signer.account_ur(), "regtest", fingerprint=signer.fingerprint)
    path = create_wallet(wallet_dir("cold", "regtest"), "regtest", account.descriptors)
    wallet = Wallet.open(path)
    first = wallet.db.address_at(Chain.RECEIVE, 0).address
    assert first == signer.first_address()  # BDK and Paylight agree on the account
    pg.fund(first, 500_000, confirm=True)

    servers = [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]
    controller = WalletController(wallet, RunnerEngine(servers, retry_seconds=1.0))
    window = MainWindow(controller)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        wait(qtbot, lambda: controller.balance().confirmed == 500_000, 40)

        # Send: a watch-only wallet's review ends in the PSBT window
        send = window.send
        window.tabs.setCurrentWidget(send)
        send.pay_to.setText(PAYEE)
        send.amount.set_sats(200_000)
        send.fee_rate.setValue(2.0)
        qtbot.mouseClick(send.review_button, Qt.MouseButton.LeftButton)
        wait(qtbot, lambda: getattr(send, "psbt_dialog", None) is not None or send.error.text())
        dialog: PsbtDialog = send.psbt_dialog
        assert not send.error.text()
        qtbot.waitExposed(dialog)
        view = dialog.view
        assert view is not None and not view.complete
        assert [i.amount_source for i in view.inputs] == ["wallet"]  # the wallet's own record
        assert cell(dialog.inputs, 0, 3) == "verified: the wallet's records"
        assert cell(dialog.inputs, 0, 2).startswith("0.00500000")
        payee = next(
            r for r in range(dialog.outputs.rowCount()) if cell(dialog.outputs, r, 1) == PAYEE
        )
        assert cell(dialog.outputs, payee, 3) == "external"
        change = 1 - payee
        assert cell(dialog.outputs, change, 3) == "change (this wallet)"
        assert "UNVERIFIED" not in dialog.fee_label.text() and view.fee > 0
        assert "sat/vB" in dialog.rate_label.text()
        assert not dialog.sign_button.isVisible() and dialog.watch_note.isVisible()
        assert not dialog.finalize_button.isEnabled()
        shot(dialog, "psbt-dialog-unsigned")

        # shown as animated BC-UR: the frames decode (any order, a second round half missed)
        frames = frames_of(qtbot, dialog, QRFormat.UR, "low")
        assert len(frames) > 4 and all(f.startswith("UR:CRYPTO-PSBT/") for f in frames)
        first_shown = dialog.qr.shown_index
        wait(qtbot, lambda: dialog.qr.shown_index != first_shown, 5)  # the timer turns frames
        shot(dialog, "psbt-dialog-animated-ur")
        cycle = len(frames) // 2
        collector = AnimatedCollector()
        for text in reversed(frames[:cycle] + frames[cycle::2]):
            collector.feed(text)
        assert collector.is_complete
        assert collector.result.psbt() == dialog.psbt.serialize()

        # the signer signs and shows its own animated code; the app's camera reads a recording
        signed_b64 = signer.sign(base64.b64encode(collector.result.psbt()).decode())
        signed = PSBT.from_base64(signed_b64)
        encoder = AnimatedEncoder(signed.serialize(), Standard.UR, density="low", fps=5)
        video = record_frames(
            tmp_path / "signed.mp4", scenes_of_codes(encoder.frames()), fps=15, hold=3
        )
        scan = dialog.open_scanner(autostart=False)
        parts: list[str] = []

        def progressed(progress) -> None:
            parts.append(scan.parts.text())
            if len(parts) == 2:
                shot(scan, "psbt-scan-progress")

        scan.scanner.pipeline.progress.connect(progressed)
        beat = Heartbeat()
        source = VideoFileSource(video, loop=True)
        source.started.connect(beat.start)
        scan.scanner.use_source(source)
        wait(qtbot, lambda: dialog.view is not None and dialog.view.inputs[0].signed, 120)
        worst = beat.stop()
        total = encoder.cycle
        assert parts and parts[-1] == f"{total} of {total} parts"
        assert worst < 250, f"the UI stalled {worst:.0f} ms while the camera read the PSBT"
        assert dialog.psbt.serialize() == signed.serialize()
        assert dialog.title.text() == "Signed PSBT, ready to finalize"

        # finalize; the usual confirmation; broadcast through the engine
        qtbot.mouseClick(dialog.finalize_button, Qt.MouseButton.LeftButton)
        tx = dialog.transaction
        assert tx is not None and tx.txid_hex == finalize_psbt(signed).txid_hex
        assert dialog.raw.text() == tx.serialize().hex()
        qtbot.mouseClick(dialog.broadcast_button, Qt.MouseButton.LeftButton)
        confirm = dialog.findChild(BroadcastConfirmation)
        assert confirm is not None
        shown = " ".join(label.text() for label in confirm.findChildren(type(dialog.title)))
        assert PAYEE in shown and "0.00200000" in shown and tx.txid_hex in shown
        assert f"{view.fee / tx.vsize():.1f} sat/vB" in shown
        shot(confirm, "psbt-broadcast-confirmation")
        qtbot.mouseClick(confirm.send_button, Qt.MouseButton.LeftButton)
        wait(qtbot, lambda: dialog.txid is not None or "error" in dialog.message.styleSheet(), 30)
        assert dialog.txid == tx.txid_hex, dialog.message.text()
        txid = bytes.fromhex(dialog.txid)[::-1]
        wait(qtbot, lambda: controller.transaction(txid) is not None, 10)

        # a block: the engine stores the proof it checked against its own headers
        pg.mine(1)
        wait(qtbot, lambda: controller.transaction(txid).state is TxState.CONFIRMED, 30)
        row = next(r for r in controller.history() if r.record.txid == txid)
        assert "the proof holds" in proof_report(controller, row)
        assert controller.balance().confirmed == 500_000 - 200_000 - view.fee
        dialog.close()
    finally:
        window.close()
        controller.close()


# -- an amount only the PSBT states ---------------------------------------------------------


@pytest.fixture
def two_copies(pg, tmp_path):
    """The same seed twice: ``synced`` has the coin's transaction, ``fresh`` has not."""
    synced = seed_wallet(tmp_path, "synced")
    fresh = seed_wallet(tmp_path, "fresh")
    store(pg, synced, pg.fund(synced.db.address_at(Chain.RECEIVE, 0).address, 80_000, confirm=True))
    try:
        yield synced, fresh
    finally:
        synced.close()
        fresh.close()


def unsigned_psbt(wallet: Wallet, amount: int = 30_000) -> PSBT:
    built = Sender(wallet).build_payment([Recipient(PAYEE, amount)], FeeRate.from_sat_per_vb(2))
    return built.psbt


def test_an_unverified_input_amount_is_flagged_and_signing_needs_the_override(
    qtbot, two_copies, shot
):
    synced, fresh = two_copies
    psbt = unsigned_psbt(synced)
    bare = psbt.copy()
    for m in bare.inputs:  # as a coordinator that leaves out the previous transactions
        m.non_witness_utxo = None
    assert bare.inputs[0].witness_utxo is not None

    # the wallet holding the coin's transaction verifies it from its records
    known = WalletController(synced)
    dialog = open_dialog(qtbot, known, bare)
    assert cell(dialog.inputs, 0, 3) == "verified: the wallet's records"
    assert not dialog.warnings.isVisible()
    dialog.close()
    known.close()

    # a wallet of the same seed that never saw it: only the PSBT's word
    controller = WalletController(fresh)
    dialog = open_dialog(qtbot, controller, bare)
    try:
        item = dialog.inputs.item(0, 3)
        assert item.text() == "UNVERIFIED: only the PSBT says so"
        assert item.font().bold() and item.foreground().color().name() == "#b00020"
        assert "UNVERIFIED" in dialog.fee_label.text()
        assert "font-weight: bold" in dialog.fee_label.styleSheet()
        warning = dialog.warnings.text()
        assert "UNVERIFIED" in warning and "font-weight: bold" in warning and "#b00020" in warning
        assert dialog.allow_unverified.isVisible() and not dialog.allow_unverified.isChecked()
        shot(dialog, "psbt-dialog-unverified")

        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        assert "Not signed" in dialog.message.text() and "unverified" in dialog.message.text()
        assert not dialog.view.inputs[0].signed

        dialog.allow_unverified.setChecked(True)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        wait(qtbot, lambda: dialog.view.complete or "error" in dialog.message.text(), 20)
        assert dialog.view.complete, dialog.message.text()
        assert dialog.title.text() == "Signed transaction, ready to broadcast"
        assert finalize_psbt(dialog.psbt).txid_hex == psbt.tx.txid_hex
    finally:
        dialog.close()
        controller.close()


def test_a_lie_about_an_amount_is_never_signed(qtbot, two_copies):
    synced, _fresh = two_copies
    psbt = unsigned_psbt(synced)
    lying = psbt.copy()
    out = lying.inputs[0].witness_utxo
    lying.inputs[0].witness_utxo = type(out)(out.value - 10_000, out.script_pubkey)
    lying.inputs[0].non_witness_utxo = None
    controller = WalletController(synced)
    dialog = open_dialog(qtbot, controller, lying)
    try:
        assert cell(dialog.inputs, 0, 3) == "CONTRADICTED: the PSBT lies"
        assert "lies about the amount" in dialog.warnings.text()
        assert not dialog.allow_unverified.isVisible()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        assert "will not be signed" in dialog.message.text()
        assert not dialog.view.inputs[0].signed
    finally:
        dialog.close()
        controller.close()


def test_a_fee_warning_needs_its_own_yes_before_signing(qtbot, two_copies):
    synced, _fresh = two_copies
    psbt = unsigned_psbt(synced, 3_000)  # 282 sat of fee on 3,000 sent: above 5 %
    controller = WalletController(synced)
    dialog = open_dialog(qtbot, controller, psbt)
    try:
        assert dialog.view.needs_confirmation and "% of the" in dialog.warnings.text()
        assert dialog.accept_fee.isVisible() and not dialog.allow_unverified.isVisible()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        assert dialog.message.text().startswith("Not signed: tick “I accept the fee warnings")
        dialog.accept_fee.setChecked(True)
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        wait(qtbot, lambda: dialog.view.complete or "font-weight" in dialog.message.styleSheet())
        assert dialog.view.complete, dialog.message.text()
    finally:
        dialog.close()
        controller.close()


# -- in and out: files, clipboard, pictures, combining, one code -------------------------------


def test_files_clipboard_pictures_and_combining(qtbot, two_copies, tmp_path, shot):
    synced, _fresh = two_copies
    psbt = unsigned_psbt(synced)
    controller = WalletController(synced)
    dialog = open_dialog(qtbot, controller)
    try:
        assert dialog.title.text() == "No PSBT loaded" and not dialog.save_button.isEnabled()
        binary, text = tmp_path / "p.psbt", tmp_path / "p.txt"
        dialog.set_psbt(psbt)
        assert dialog.save(binary) == binary and binary.read_bytes() == psbt.serialize()
        assert dialog.save(text) == text and text.read_text().strip() == psbt.to_base64()
        dialog.copy()
        assert QGuiApplication.clipboard().text() == psbt.to_base64()

        for source in (binary, text):
            dialog.set_psbt(None)
            dialog.load_file(source)
            wait(qtbot, lambda: dialog.psbt is not None)
            assert dialog.psbt.serialize() == psbt.serialize()

        # a file that is not a PSBT: one sentence, nothing lost
        junk = tmp_path / "notes.txt"
        junk.write_text("buy milk")
        dialog.load_file(junk)
        wait(qtbot, lambda: not dialog.busy)
        assert dialog.message.text().startswith("This is not a PSBT")
        assert dialog.psbt.serialize() == psbt.serialize()

        # a picture of one code, and the frames of an animated BBQr as pictures
        still = tmp_path / "psbt.png"
        still.write_bytes(make_qr(psbt.to_base64()).to_png(4))
        dialog.set_psbt(None)
        dialog.open_images([still])
        wait(qtbot, lambda: dialog.psbt is not None)
        assert dialog.psbt.serialize() == psbt.serialize()
        encoder = AnimatedEncoder(psbt.serialize(), Standard.BBQR, density=80)
        pictures = []
        for n, frame in enumerate(encoder.frames()):
            pictures.append(tmp_path / f"frame-{n}.png")
            pictures[-1].write_bytes(make_qr(frame, ec="L").to_png(4))
        assert len(pictures) > 1
        dialog.set_psbt(None)
        dialog.open_images(pictures[::-1])
        wait(qtbot, lambda: dialog.psbt is not None)
        assert dialog.psbt.serialize() == psbt.serialize()
        dialog.set_psbt(None)
        dialog.open_images(pictures[:1])
        wait(qtbot, lambda: not dialog.busy)
        assert f"only 1 of the {len(pictures)} parts" in dialog.message.text()

        # combining a copy signed elsewhere (here: this wallet's keys, through Sender)
        dialog.set_psbt(psbt)
        signed = Sender(synced).prepare_sign(psbt)(synced.unlock(PASSWORD))
        QGuiApplication.clipboard().setText(signed.to_base64())
        dialog.paste(combine=True)
        assert dialog.message.text() == "Combined: 1 of 1 inputs signed."
        assert dialog.view.complete
        other = unsigned_psbt(synced, 31_000)  # another transaction
        QGuiApplication.clipboard().setText(other.to_base64())
        dialog.paste(combine=True)
        assert dialog.message.text().startswith("These PSBTs cannot be combined")

        # the clipboard may hold the frames of an animated code, one per line
        QGuiApplication.clipboard().setText("\n".join(encoder.frames()))
        dialog.paste()
        assert dialog.psbt.serialize() == psbt.serialize()

        # a small PSBT fits one QR code: it decodes to the PSBT's base64
        (single,) = frames_of(qtbot, dialog, QRFormat.SINGLE, "medium")
        assert single == psbt.to_base64()
        assert "One QR code" in dialog.qr.status.text()
        shot(dialog, "psbt-dialog-single-qr")
        bbqr = frames_of(qtbot, dialog, QRFormat.BBQR, "low")
        collector = AnimatedCollector()
        for frame in bbqr[::-1]:
            collector.feed(frame)
        assert collector.result.psbt() == psbt.serialize()
    finally:
        dialog.close()
        controller.close()


def test_tools_menu_opens_the_psbt_window(qtbot, two_copies):
    synced, _fresh = two_copies
    controller = WalletController(synced)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    try:
        window.psbt_action.trigger()
        dialog = window.psbt_dialog
        qtbot.waitExposed(dialog)
        assert isinstance(dialog, PsbtDialog) and dialog.psbt is None
        # "Create PSBT" beside Send: a wallet with keys may hand its PSBT elsewhere too
        send = window.send
        send.pay_to.setText(PAYEE)
        send.amount.set_sats(25_000)
        qtbot.mouseClick(send.psbt_button, Qt.MouseButton.LeftButton)
        wait(qtbot, lambda: getattr(send, "psbt_dialog", None) is not None or send.error.text())
        made = send.psbt_dialog
        assert made.view.outputs[0].value == 25_000 or made.view.outputs[1].value == 25_000
        assert made.sign_button.isVisible() and made.sign_button.isEnabled()
        made.close()
        dialog.close()
    finally:
        window.close()
        controller.close()
