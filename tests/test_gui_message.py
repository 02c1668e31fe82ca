"""Signed messages in the app (issue 19, item 4): sign with an address of the wallet, verify.

Real wallet folders (the BIP84/86/49/44 vector seed), the real window offscreen: the Addresses
tab's context action opens the dialog on the chosen address; signing asks for the password
and runs on the worker pool; verifying says which format it found. BIP322's own vectors
(``../shared/vectors/bip322``) verify in the dialog of a mainnet wallet, including a P2WSH
multisig one that only Bitcoin Core's interpreter (libbitcoinkernel) can decide.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.conftest import shared_path
from wallet.account.database import Chain
from wallet.account.keystore import ScryptParams
from wallet.account.setup import ScriptChoice, create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.message import verify_message
from wallet.gui.controller import WalletController
from wallet.gui.main_window import MainWindow
from wallet.gui.message_dialog import MessageDialog

pytestmark = pytest.mark.gui
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "message password"
MESSAGE = "I control this address — Paylight, 2026\nsecond line"


def make_wallet(tmp_path, choice: ScriptChoice, network: str = "regtest") -> Wallet:
    path = create_from_seed(
        tmp_path / f"{choice.name.lower()}-{network}",
        network,
        MNEMONIC,
        PASSWORD,
        script=choice,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=3,
    )
    return Wallet.open(path)


@pytest.fixture
def opened(qtbot, tmp_path):
    """``open_(choice)``: a wallet of that script type and its controller, closed afterwards."""
    made: list[tuple[Wallet, WalletController]] = []

    def open_(choice: ScriptChoice, network: str = "regtest") -> WalletController:
        wallet = make_wallet(tmp_path, choice, network)
        controller = WalletController(wallet)
        made.append((wallet, controller))
        return controller

    yield open_
    for wallet, controller in made:
        controller.close()
        wallet.close()


def show(qtbot, controller, address: str = "") -> MessageDialog:
    dialog = MessageDialog(controller, address)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def sign(qtbot, dialog: MessageDialog, fmt: str) -> str:
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.signature_made = None
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.signature_made is not None or "font-weight" in dialog.result.styleSheet(),
        timeout=10_000,
    )
    assert dialog.signature_made is not None, dialog.result.text()
    return dialog.signature_made


def verify(qtbot, dialog: MessageDialog) -> str:
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    return dialog.result.text()


def test_sign_then_verify_from_the_addresses_tab(qtbot, opened, shot):
    controller = opened(ScriptChoice.P2WPKH)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    tab = window.addresses
    window.tabs.setCurrentWidget(tab)
    address = controller.db.address_at(Chain.RECEIVE, 1).address
    qtbot.waitUntil(lambda: any(r.address == address for r in tab.model.rows), timeout=5000)
    row = next(i for i, r in enumerate(tab.model.rows) if r.address == address)
    tab.view.selectRow(tab.proxy.mapFromSource(tab.model.index(row, 0)).row())
    tab.message_action.trigger()
    dialog = tab.message_dialog
    qtbot.waitExposed(dialog)
    try:
        assert dialog.address.text() == address
        dialog.message.setPlainText(MESSAGE)

        signature = sign(qtbot, dialog, "bip322")
        assert signature.startswith("smp")  # BIP322 simple for native SegWit
        assert dialog.signature.toPlainText() == signature and not dialog.password.text()
        assert verify(qtbot, dialog) == (
            f"✔ Valid: a BIP322 simple signature of this message by {address}."
        )
        qtbot.wait(50)  # the result line is laid out anew
        shot(dialog, "message-dialog-valid")
        dialog.copy()
        assert QGuiApplication.clipboard().text() == signature

        legacy = sign(qtbot, dialog, "legacy")
        assert verify_message(address, legacy, MESSAGE, "regtest")  # the legacy format itself
        assert "legacy signmessage (BIP137)" in verify(qtbot, dialog)

        dialog.message.setPlainText(MESSAGE + ".")
        text = verify(qtbot, dialog)
        assert text.startswith("✘ Not valid (legacy signmessage (BIP137))")
        assert "font-weight: bold" in dialog.result.styleSheet()
        qtbot.wait(50)
        shot(dialog, "message-dialog-invalid")

        # the wrong password: said, nothing signed
        dialog.message.setPlainText(MESSAGE)
        dialog.signature_made = None
        qtbot.keyClicks(dialog.password, "not the password")
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.sign_button.isEnabled(), timeout=10_000)
        assert dialog.signature_made is None and "password" in dialog.result.text().lower()
    finally:
        dialog.close()
        window.close()


@pytest.mark.parametrize(
    ("choice", "bip322_form", "legacy"),
    [
        (ScriptChoice.P2TR, "BIP322 simple", False),
        (ScriptChoice.P2SH_P2WPKH, "BIP322 full", True),
        (ScriptChoice.P2PKH, "BIP322 full", True),
    ],
)
def test_each_address_type_signs_in_its_formats(qtbot, opened, choice, bip322_form, legacy):
    controller = opened(choice)
    address = controller.db.address_at(Chain.CHANGE, 0).address
    dialog = show(qtbot, controller, address)
    try:
        dialog.message.setPlainText(MESSAGE)
        sign(qtbot, dialog, "bip322")
        assert verify(qtbot, dialog).startswith(f"✔ Valid: a {bip322_form} signature")
        assert dialog.format.model().item(1).isEnabled() is legacy
        if legacy:
            sign(qtbot, dialog, "legacy")
            assert "✔ Valid: a legacy signmessage (BIP137) signature" in verify(qtbot, dialog)
    finally:
        dialog.close()


def test_bip322_vectors_verify_in_the_dialog(qtbot, opened, shot):
    controller = opened(ScriptChoice.P2WPKH, "mainnet")
    folder = shared_path("vectors", "bip322")
    basic = json.loads((folder / "basic-test-vectors.json").read_text())
    generated = json.loads((folder / "generated-test-vectors.json").read_text())
    multisig = next(v for v in generated["simple"] if v["type"] == "p2wsh-multisig-2of2")
    nested = next(v for v in generated["full"] if v["type"] == "p2sh-p2wpkh")
    cases = [
        (basic["simple"][1], "BIP322 simple"),
        (multisig, "BIP322 simple"),  # decided by libbitcoinkernel's interpreter
        (nested, "BIP322 full"),
    ]
    dialog = show(qtbot, controller)
    try:
        for vector, form in cases:
            dialog.address.setText(vector["address"])
            dialog.message.setPlainText(vector["message"])
            dialog.signature.setPlainText(vector["bip322_signatures"][0])
            assert verify(qtbot, dialog) == (
                f"✔ Valid: a {form} signature of this message by {vector['address']}."
            )
        shot(dialog, "message-dialog-vector")
        dialog.message.setPlainText(basic["simple"][1]["message"] + " ")
        dialog.address.setText(basic["simple"][1]["address"])
        dialog.signature.setPlainText(basic["simple"][1]["bip322_signatures"][0])
        assert verify(qtbot, dialog).startswith("✘ Not valid (BIP322 simple)")
        # an address of another network: one sentence
        dialog.address.setText("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")
        assert verify(qtbot, dialog) == "this is a regtest address, but the wallet is on mainnet"
    finally:
        dialog.close()


def test_a_watch_only_wallet_verifies_but_does_not_sign(qtbot, tmp_path):
    from wallet.account.setup import create_wallet, watch_only_descriptors
    from wallet.bitcoin.bip32 import ExtendedKey
    from wallet.bitcoin.bip39 import mnemonic_to_seed

    key = ExtendedKey.from_seed(mnemonic_to_seed(MNEMONIC), "regtest").derive_path("m/84'/1'/0'")
    descriptors = watch_only_descriptors(key.neuter().serialize("tpub"), "regtest")
    wallet = Wallet.open(create_wallet(tmp_path / "watch", "regtest", descriptors))
    controller = WalletController(wallet)
    dialog = show(qtbot, controller, wallet.db.address_at(Chain.RECEIVE, 0).address)
    try:
        assert not dialog.sign_button.isEnabled() and "signer" in dialog.sign_button.toolTip()
        assert dialog.verify_button.isEnabled()
    finally:
        dialog.close()
        controller.close()
        wallet.close()
