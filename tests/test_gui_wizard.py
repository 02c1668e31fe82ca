"""The first-run wizard, driven like a person would: create (read the seed shown, type the
asked words back), restore the BIP84 vector seed word by word, watch a zpub, and the playground.

Every wallet is a real folder under a temporary PAYLIGHT_HOME, checked afterwards by opening it
with ``wallet.account`` and by deriving addresses independently (BIP32 path + p2wpkh).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from tests.conftest import shared_path
from tests.gui_support import PASSWORD, bip84_receive
from wallet.account.database import Chain
from wallet.account.keystore import ScryptParams
from wallet.account.wallet_file import KEYSTORE_FILE, Wallet, WalletKind
from wallet.bitcoin.bip39 import validate_mnemonic
from wallet.gui import wizard as wizard_module
from wallet.gui.wizard import PAGE_CONNECTION, SetupWizard

pytestmark = pytest.mark.gui
CHEAP = ScryptParams.insecure_for_tests()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def bip84():
    data = json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())
    entries = data["bip84"]["entries"]
    return {
        "mnemonic": data["bip84"]["mnemonic"],
        "zpub": entries[1]["xpub"],
        "receive0": entries[2]["address"],
        "receive1": entries[3]["address"],
        "change0": entries[4]["address"],
    }


def open_wizard(qtbot) -> SetupWizard:
    wizard = SetupWizard(kdf=CHEAP)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def button(wizard: SetupWizard, which: QWizard.WizardButton):
    return wizard.button(which)


def click_next(qtbot, wizard: SetupWizard) -> None:
    next_button = button(wizard, QWizard.WizardButton.NextButton)
    assert next_button.isEnabled(), f"Next is disabled on page {wizard.currentId()}"
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)


def finish(qtbot, wizard: SetupWizard, timeout: int = 15_000) -> Path:
    if wizard.currentId() == PAGE_CONNECTION:  # how it connects: as chosen (or the default)
        click_next(qtbot, wizard)
    finish_button = button(wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(finish_button.isEnabled, timeout=timeout)
    with qtbot.waitSignal(wizard.wallet_created, timeout=5000) as blocker:
        qtbot.mouseClick(finish_button, Qt.MouseButton.LeftButton)
    return Path(blocker.args[0])


def type_password(qtbot, wizard: SetupWizard) -> None:
    page = wizard.password
    qtbot.keyClicks(page.password, PASSWORD)
    assert not page.isComplete()
    qtbot.keyClicks(page.again, PASSWORD[:-1] + "X")
    assert not page.isComplete() and "differ" in page.problem.text()
    page.again.clear()
    qtbot.keyClicks(page.again, PASSWORD)
    assert page.isComplete()


def test_create_wallet_shows_seed_and_asks_three_words_back(qtbot, home, shot):
    wizard = open_wizard(qtbot)
    start = wizard.start
    assert start.network_key() == "mainnet"  # mainnet is the default
    assert start.create.isChecked()
    start.name.clear()
    qtbot.keyClicks(start.name, "Daily")
    shot(wizard, "wizard-1-start")
    click_next(qtbot, wizard)

    seed_page = wizard.new_seed
    shown = [label.text().split(". ", 1)[1] for label in seed_page.grid.labels]
    assert len(shown) == 12
    validate_mnemonic(" ".join(shown))  # what is shown is a valid BIP39 seed
    assert not button(wizard, QWizard.WizardButton.NextButton).isEnabled()
    seed_page.twentyfour.setChecked(True)
    assert len(seed_page.grid.labels) == 24
    seed_page.twelve.setChecked(True)
    shown = [label.text().split(". ", 1)[1] for label in seed_page.grid.labels]
    seed_page.written.setChecked(True)
    shot(wizard, "wizard-2-seed")
    click_next(qtbot, wizard)

    confirm = wizard.confirm
    assert len(confirm.fields) == 3 and len(set(confirm.positions)) == 3
    # A wrong word is refused.
    wrong = "zoo" if shown[confirm.positions[0]] != "zoo" else "abandon"
    qtbot.keyClicks(confirm.fields[0], wrong)
    confirm.fields[1].setFocus()
    assert not confirm.isComplete()
    confirm.fields[0].clear()
    for position, field in zip(confirm.positions, confirm.fields):
        label = confirm.form.labelForField(field).text()
        assert label == f"Word {position + 1}:"
        qtbot.keyClicks(field, shown[position])
    assert confirm.isComplete()
    shot(wizard, "wizard-3-confirm")
    click_next(qtbot, wizard)

    options = wizard.options
    assert options.script.currentData().name == "P2WPKH"  # the default
    assert options.account.value() == 0
    assert options.preview.text() == bip84_receive(" ".join(shown), 0)
    shot(wizard, "wizard-4-options")
    click_next(qtbot, wizard)
    type_password(qtbot, wizard)
    shot(wizard, "wizard-5-password")
    click_next(qtbot, wizard)
    path = finish(qtbot, wizard)
    shot(wizard, "wizard-6-created")

    assert path == home / "mainnet" / "wallets" / "Daily"
    assert wizard.new_seed.mnemonic == ""  # shown once: the wizard dropped its copy
    with Wallet.open(path) as wallet:
        assert wallet.config.kind is WalletKind.MNEMONIC
        assert wallet.config.network == "mainnet"
        secret = wallet.unlock(PASSWORD)
        assert secret.value == " ".join(shown)
        assert not secret.passphrase_used
        receive = wallet.db.addresses(Chain.RECEIVE)
        assert len(receive) == wallet.config.gap_limit
        assert receive[0].address == bip84_receive(" ".join(shown), 0)
        assert wallet.db.addresses(Chain.CHANGE)[0].address == bip84_receive(
            " ".join(shown), 0, chain=1
        )


def test_restore_bip84_vector_with_feedback_as_you_type(qtbot, home, bip84, shot):
    wizard = open_wizard(qtbot)
    wizard.start.restore.setChecked(True)
    click_next(qtbot, wizard)
    page = wizard.restore
    fields = page.entry.fields
    assert len(fields) == 12

    # Word completion comes from the BIP39 list.
    completer = fields[0].completer()
    completer.setCompletionPrefix("aban")
    assert completer.currentCompletion() == "abandon"
    completer.setCompletionPrefix("zo")
    assert completer.currentCompletion() in ("zone", "zoo")

    words = bip84["mnemonic"].split()
    # An unknown word is reported by position once the field is left.
    qtbot.keyClicks(fields[0], words[0])
    qtbot.keyClicks(fields[1], words[1])
    fields[2].setFocus()
    qtbot.keyClicks(fields[2], "abandn")
    fields[3].setFocus()
    assert page.feedback.text().startswith("Word 3,")
    assert "abandon" in page.feedback.text()  # a likely correction is offered
    assert fields[2].styleSheet()  # highlighted
    shot(wizard, "wizard-restore-unknown-word")
    fields[2].clear()

    # Every word in the list but a wrong checksum.
    for field in fields[2:]:
        field.setFocus()
        qtbot.keyClicks(field, "abandon")
    assert "checksum" in page.feedback.text()
    assert not button(wizard, QWizard.WizardButton.NextButton).isEnabled()

    fields[11].clear()
    fields[11].setFocus()
    qtbot.keyClicks(fields[11], words[11])
    assert page.feedback.text().startswith("✓")
    assert page.mnemonic == bip84["mnemonic"]
    shot(wizard, "wizard-restore-ok")
    click_next(qtbot, wizard)

    options = wizard.options
    assert options.preview.text() == bip84["receive0"]
    # The passphrase changes the wallet; turning it off again restores the vector's address.
    options.use_passphrase.setChecked(True)
    qtbot.keyClicks(options.passphrase, "TREZOR")
    assert options.preview.text() != bip84["receive0"]
    options.use_passphrase.setChecked(False)
    assert options.preview.text() == bip84["receive0"]
    click_next(qtbot, wizard)
    type_password(qtbot, wizard)
    click_next(qtbot, wizard)
    path = finish(qtbot, wizard)

    with Wallet.open(path) as wallet:
        assert wallet.config.master_fingerprint == "73c5da0a"
        receive = wallet.db.addresses(Chain.RECEIVE)
        assert receive[0].address == bip84["receive0"]
        assert receive[1].address == bip84["receive1"]
        assert wallet.db.addresses(Chain.CHANGE)[0].address == bip84["change0"]
        assert wallet.unlock(PASSWORD).value == bip84["mnemonic"]


def test_pasting_the_whole_phrase_spreads_it_over_the_fields(qtbot, bip84):
    wizard = open_wizard(qtbot)
    wizard.start.restore.setChecked(True)
    click_next(qtbot, wizard)
    page = wizard.restore
    page.entry.fields[0].setText(bip84["mnemonic"].upper())
    assert [f.text() for f in page.entry.fields] == bip84["mnemonic"].split()
    assert page.isComplete()


def test_watch_only_from_zpub(qtbot, home, bip84, shot):
    wizard = open_wizard(qtbot)
    wizard.start.watch.setChecked(True)
    click_next(qtbot, wizard)
    page = wizard.watch
    page.key.setPlainText("zpub-not-a-key")
    assert not page.isComplete() and page.preview.text()
    page.key.setPlainText(bip84["zpub"])
    assert page.isComplete()
    assert bip84["receive0"] in page.preview.text()
    shot(wizard, "wizard-watch-only")
    click_next(qtbot, wizard)  # no password page: nothing secret to protect
    path = finish(qtbot, wizard)

    assert not (path / KEYSTORE_FILE).exists()
    with Wallet.open(path) as wallet:
        assert wallet.is_watch_only
        assert wallet.db.addresses(Chain.RECEIVE)[0].address == bip84["receive0"]
        assert wallet.db.addresses(Chain.CHANGE)[0].address == bip84["change0"]


def test_wallet_name_must_be_new_and_valid(qtbot, home):
    wizard = open_wizard(qtbot)
    start = wizard.start
    start.name.setText("bad/name")
    assert not start.isComplete() and "cannot contain" in start.error.text()
    start.name.setText("")
    assert not button(wizard, QWizard.WizardButton.NextButton).isEnabled()


def test_playground_option_starts_regtest_and_funds_the_new_wallet(qtbot, home, bip84):
    wizard = open_wizard(qtbot)
    start = wizard.start
    start.playground.setChecked(True)
    assert start.network_key() == "regtest" and not start.network.isEnabled()
    assert not start.watch.isEnabled()
    start.restore.setChecked(True)
    click_next(qtbot, wizard)
    wizard.restore.entry.fields[0].setText(bip84["mnemonic"])
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    type_password(qtbot, wizard)
    click_next(qtbot, wizard)
    path = finish(qtbot, wizard, timeout=60_000)
    session = wizard.playground
    assert session is not None
    try:
        address = bip84_receive(bip84["mnemonic"], 0, "regtest")
        assert session.address == address
        # Ask the playground's own Esplora server, over a real socket, what the address holds.
        utxos = httpx.get(f"{session.endpoints['esplora']}/address/{address}/utxo").json()
        assert [u["value"] for u in utxos] == [wizard_module.start_and_fund.__defaults__[0]]
        assert utxos[0]["txid"] == session.funded_txid and utxos[0]["status"]["confirmed"]
        assert path.parent == home / "regtest" / "wallets"
    finally:
        session.stop()


def test_restore_fields_keep_their_position_number_once_filled(qtbot, bip84):
    wizard = open_wizard(qtbot)
    wizard.start.restore.setChecked(True)
    click_next(qtbot, wizard)
    entry = wizard.restore.entry
    entry.fields[0].setText(bip84["mnemonic"])  # pasted whole: every field filled
    assert all(f.text() for f in entry.fields)
    grid = entry.grid
    for i, (label, field) in enumerate(zip(entry.labels, entry.fields, strict=True)):
        assert label.text() == f"{i + 1}." and label.isVisible()
        assert label.buddy() is field
        # beside its field: same row, the column just left of it
        label_at = grid.getItemPosition(grid.indexOf(label))
        field_at = grid.getItemPosition(grid.indexOf(field))
        assert (label_at[0], label_at[1] + 1) == (field_at[0], field_at[1])
        assert label.geometry().right() < field.geometry().left()
        assert abs(label.geometry().center().y() - field.geometry().center().y()) <= 2
    wizard.restore.count.setCurrentIndex(wizard.restore.count.findData(24))
    assert [label.text() for label in entry.labels] == [f"{i}." for i in range(1, 25)]
    assert entry.fields[11].text() == bip84["mnemonic"].split()[11]  # kept


def test_new_words_replace_the_old_at_once(qtbot):
    from wallet.gui.seed_widgets import SeedGrid

    grid = SeedGrid()
    qtbot.addWidget(grid)
    grid.show()
    first = validate_mnemonic("abandon " * 11 + "about").split()
    grid.set_words(first)
    second = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"
    grid.set_words(second.split())  # no event loop turn in between: no old label left showing
    QApplication.processEvents()  # shows the new labels (deleteLater waits for a loop turn)
    shown = [label for label in grid.findChildren(type(grid.labels[0])) if label.isVisible()]
    assert sorted(label.text() for label in shown) == sorted(
        f"{i + 1:>2}. {w}" for i, w in enumerate(second.split())
    )
    assert grid.words() == second.split()
