"""The wizard's "Watch-only from a signer (scan its QR)": a signer's account code to a wallet.

The signer's account is the BIP84 test vector seed's (``m/84'/1'/0'``, master fingerprint
``73c5da0a``), exported as signers do: a ``ur:crypto-account`` QR code, shown as a still picture
or as an animated code recorded on video, or as ``[fingerprint/path]tpub`` text. The wizard's
scanner reads it, the page shows the fingerprint to compare with the signer's, and the wallet
it makes derives the addresses an independent BIP32 derivation gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.qr_video import record_frames, scenes_of_codes
from tests.test_gui_wizard import CHEAP, bip84_receive
from wallet.account.database import Chain
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.gui.scanner.sources import VideoFileSource
from wallet.gui.wizard import PAGE_CONNECTION, PAGE_SIGNER, SetupWizard
from wallet.payments.qr_render import make_qr
from wallet.payments.ur.registry import HDKey, account_to_ur, output_to_cbor
from wallet.payments.ur.ur import UREncoder, encode_single

pytestmark = pytest.mark.gui
MNEMONIC = "abandon " * 11 + "about"
FINGERPRINT = "73c5da0a"
PATH = [84 | 1 << 31, 1 | 1 << 31, 0 | 1 << 31]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def account_key() -> ExtendedKey:
    master = ExtendedKey.from_seed(mnemonic_to_seed(MNEMONIC), "regtest")
    assert master.fingerprint.hex() == FINGERPRINT
    return master.derive_path("m/84'/1'/0'").neuter()


def account_ur():
    key = HDKey.from_extended(account_key(), bytes.fromhex(FINGERPRINT), PATH)
    return account_to_ur(bytes.fromhex(FINGERPRINT), [output_to_cbor("wpkh", key)])


def to_signer_page(qtbot, name: str) -> SetupWizard:
    wizard = SetupWizard(kdf=CHEAP)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    start = wizard.start
    start.signer.setChecked(True)
    start.network.setCurrentIndex(start.network.findData("regtest"))
    start.name.setText(name)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_SIGNER
    return wizard


def finish(qtbot, wizard: SetupWizard) -> Path:
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_CONNECTION
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    finish_button = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(finish_button.isEnabled, timeout=15_000)
    with qtbot.waitSignal(wizard.wallet_created, timeout=5000) as blocker:
        qtbot.mouseClick(finish_button, Qt.MouseButton.LeftButton)
    return Path(blocker.args[0])


def check_wallet(path: Path) -> None:
    with Wallet.open(path) as wallet:
        assert wallet.is_watch_only
        assert wallet.config.master_fingerprint == FINGERPRINT
        receive = wallet.db.address_at(Chain.RECEIVE, 1).address
        change = wallet.db.address_at(Chain.CHANGE, 0).address
    assert receive == bip84_receive(MNEMONIC, 1, "regtest")
    assert change == bip84_receive(MNEMONIC, 0, "regtest", chain=1)


def test_scan_a_picture_of_the_signers_account_qr(qtbot, tmp_path, shot):
    wizard = to_signer_page(qtbot, "Cold storage")
    page = wizard.signer
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    scan = page.open_scanner(autostart=False)
    # a payment code is not an account: said, and scanning goes on
    payment = tmp_path / "payment.png"
    payment.write_bytes(make_qr(f"bitcoin:{bip84_receive(MNEMONIC, 0, 'regtest')}").to_png(6))
    scan.scanner.open_image(payment)
    assert scan.isVisible() and scan.problem.text()
    picture = tmp_path / "account.png"
    picture.write_bytes(make_qr(encode_single(account_ur()), ec="L").to_png(4))
    scan.scanner.open_image(picture)
    qtbot.waitUntil(lambda: page.result is not None, timeout=5000)
    assert page.text.toPlainText().startswith("ur:crypto-account/")
    assert page.fingerprint.text() == FINGERPRINT
    assert "crypto-account" in page.details.text()
    assert bip84_receive(MNEMONIC, 0, "regtest") in page.details.text()
    # the fingerprint must be compared with the signer's before going on
    assert page.same.isVisible() and not page.isComplete()
    shot(wizard, "wizard-signer-import")
    page.same.setChecked(True)
    assert page.isComplete()
    check_wallet(finish(qtbot, wizard))


def test_an_animated_account_code_from_the_camera(qtbot, tmp_path):
    encoder = UREncoder(account_ur(), max_fragment_len=40)
    assert encoder.seq_len > 2
    frames = [encoder.next_part().upper() for _ in range(2 * encoder.seq_len)]
    video = record_frames(tmp_path / "account.mp4", scenes_of_codes(frames), fps=15, hold=3)
    wizard = to_signer_page(qtbot, "Animated")
    page = wizard.signer
    scan = page.open_scanner(autostart=False)
    scan.scanner.use_source(VideoFileSource(video, loop=True))
    qtbot.waitUntil(lambda: page.result is not None, timeout=60_000)
    assert page.fingerprint.text() == FINGERPRINT
    page.same.setChecked(True)
    check_wallet(finish(qtbot, wizard))


def test_pasted_key_with_origin_and_a_wrong_export(qtbot):
    wizard = to_signer_page(qtbot, "Pasted")
    page = wizard.signer
    tpub = account_key().serialize("tpub")
    page.text.setPlainText(f"[{FINGERPRINT}/84h/1h/0h]{tpub}")
    assert page.fingerprint.text() == FINGERPRINT and not page.isComplete()
    # a key whose origin says another purpose than its script: refused with the reason
    page.text.setPlainText(f"wpkh([{FINGERPRINT}/44h/1h/0h]{tpub}/<0;1>/*)")
    assert page.result is None and "purpose 44" in page.problem.text()
    page.text.setPlainText(f"[{FINGERPRINT}/84h/1h/0h]{tpub}")
    page.same.setChecked(True)
    check_wallet(finish(qtbot, wizard))
