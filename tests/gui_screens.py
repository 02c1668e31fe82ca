"""Every screen of the app, opened one after another on a real wallet, for tests that walk them
all (text size, translations): the welcome window, each wizard page, each main-window tab, the
dialogs, and the till's pages.

``walk_screens`` is a generator: it puts the app in each state and yields ``(name, window)``
with the window shown; the caller inspects it before asking for the next. The wallet is the
one of ``tests.test_gui_main`` (a confirmed coin spent by a payment in the mempool, an
unverified and a pending receipt), in a real database, without a network.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from tests.test_gui_main import EXTERNAL, make_wallet, populate
from wallet.account.keystore import ScryptParams
from wallet.account.wallet_file import Wallet
from wallet.gui.widgets import with_detail

CHEAP = ScryptParams.insecure_for_tests()


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def wait_for(condition, timeout: float = 10.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not reach the state to inspect")
        QApplication.processEvents()
        time.sleep(0.005)


def close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.done(0)
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def walk_wizard() -> Iterator[tuple[str, QWidget]]:
    from wallet.gui.wizard import SetupWizard

    wizard = SetupWizard(kdf=CHEAP)
    wizard.show()
    settle()
    yield "wizard: start", wizard
    wizard.start.name.setText("bad/name")  # the error line
    yield "wizard: start, a bad name", wizard
    wizard.start.name.setText("Shop 2")
    wizard.next()
    yield "wizard: seed words (12)", wizard
    wizard.new_seed.twentyfour.setChecked(True)
    yield "wizard: seed words (24)", wizard
    wizard.new_seed.written.setChecked(True)
    wizard.next()
    yield "wizard: check the words", wizard
    confirm = wizard.confirm
    confirm.fields[0].setText("zoo" if confirm.expected[confirm.positions[0]] != "zoo" else "abc")
    confirm.fields[1].setFocus()
    yield "wizard: a wrong word", wizard
    for position, field in zip(confirm.positions, confirm.fields, strict=True):
        field.setText(confirm.expected[position])
    wizard.next()
    wizard.options.use_passphrase.setChecked(True)
    yield "wizard: seed options", wizard
    wizard.options.use_passphrase.setChecked(False)
    wizard.next()
    wizard.password.password.setText("short")
    yield "wizard: password", wizard
    wizard.password.password.setText("long enough password")
    wizard.password.again.setText("long enough password")
    wizard.next()
    yield "wizard: how it connects (new wallet)", wizard
    wizard.next()
    wait_for(wizard.create.isComplete, 20)
    yield "wizard: ready", wizard
    close(wizard)

    wizard = SetupWizard(kdf=CHEAP)
    wizard.show()
    wizard.start.restore.setChecked(True)
    wizard.next()
    wizard.restore.entry.fields[0].setText("abandon")
    wizard.restore.entry.fields[1].setText("zzz")
    wizard.restore.entry.fields[2].setFocus()
    yield "wizard: restore (12)", wizard
    wizard.restore.count.setCurrentIndex(wizard.restore.count.count() - 1)
    yield "wizard: restore (24)", wizard
    wizard.restore.count.setCurrentIndex(0)
    for field, word in zip(wizard.restore.entry.fields, ["abandon"] * 11 + ["about"], strict=True):
        field.setText(word)
    wizard.next()  # the seed options
    wizard.next()
    wizard.password.password.setText("long enough password")
    wizard.password.again.setText("long enough password")
    wizard.next()
    birthday = wizard.connection.birthday
    birthday.setCurrentIndex(birthday.findData(2019))  # mainnet: the estimate, and its warning
    yield "wizard: how it connects (restore)", wizard
    close(wizard)

    wizard = SetupWizard(kdf=CHEAP)
    wizard.show()
    wizard.start.watch.setChecked(True)
    wizard.next()
    wizard.watch.key.setPlainText("zpub-not-a-key")
    yield "wizard: watch-only", wizard
    close(wizard)

    wizard = SetupWizard(kdf=CHEAP)
    wizard.show()
    wizard.start.signer.setChecked(True)
    wizard.next()
    settle()
    yield "wizard: from a signer", wizard
    close(wizard)


def walk_main(controller) -> Iterator[tuple[str, QWidget]]:
    from wallet.gui.glossary import GlossaryDialog
    from wallet.gui.main_window import MainWindow
    from wallet.gui.tabs.history import TxDetailsDialog
    from wallet.gui.tabs.send import ReviewDialog

    window = MainWindow(controller, advanced=True)
    window.resize(1000, 680)
    window.show()
    settle()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        yield f"main: {window.tabs.widget(index).objectName()}", window
    window.tabs.setCurrentWidget(window.overview)
    window.overview.show_details(True)
    yield "main: home with details", window

    window.tabs.setCurrentWidget(window.receive)
    window.receive.amount.set_sats(125_000)
    window.receive.label.setText("Bike repair")
    window.receive.create_request()
    yield "main: receive with a request", window

    send = window.send
    window.tabs.setCurrentWidget(send)
    send.pay_to.setText(f"bitcoin:{EXTERNAL}?amount=0.0015&label=Coffee%20stall")
    yield "main: send filled", window
    send.review()
    asked = send.findChild(QMessageBox, "paid-before")  # the wallet paid this address before
    if asked is not None:
        yield "dialog: paid before", asked
        asked.button(QMessageBox.StandardButton.Yes).click()
    wait_for(lambda: send.findChild(ReviewDialog) is not None)
    review = send.findChild(ReviewDialog)
    yield "dialog: review payment", review
    close(review)
    scanner = send.open_scanner()
    settle()
    yield "dialog: scanner", scanner
    close(scanner)

    history = window.history
    window.tabs.setCurrentWidget(history)
    row = history.model.rows[0]
    details = TxDetailsDialog(controller, row, window.unit, window)
    details.show()
    yield "dialog: transaction details", details
    close(details)
    bumpable = [i for i, r in enumerate(history.model.rows) if controller.can_bump(r.record)]
    if bumpable:
        history.view.selectRow(bumpable[0])
        bump = history.bump_selected()
        assert bump is not None
        yield "dialog: raise the fee", bump
        close(bump)
    glossary = GlossaryDialog(window, "rbf")
    glossary.show()
    yield "dialog: glossary", glossary
    close(glossary)

    from wallet.gui.tools_menu import open_message, open_psbt

    psbt = open_psbt(window)
    settle()
    yield "dialog: PSBT", psbt
    close(psbt)
    message = open_message(window)
    settle()
    yield "dialog: sign or verify a message", message
    close(message)

    currency = window.open_currency()
    settle()
    yield "dialog: local currency", currency
    close(currency)
    connection = window.open_connection()
    connection.tor.setChecked(True)
    settle()
    yield "dialog: connection", connection
    connection.choice.core.setChecked(True)  # the Bitcoin Core node's fields
    yield "dialog: connection to a Bitcoin Core node", connection
    close(connection)

    till = window.open_pos(fullscreen=False)
    settle()
    yield "till: keypad", till
    till.settings_button.click()
    limits = till.findChild(QDialog)
    if limits is not None:
        settle()
        yield "dialog: till limits", limits
        close(limits)
    till.set_amount(48_000)
    yield "till: keypad with an amount", till
    till.charge()
    wait_for(lambda: till.pages.currentIndex() == 1)
    yield "till: waiting", till
    close(till)
    window.pos_window = None
    close(window)


def walk_screens(tmp_path, monkeypatch) -> Iterator[tuple[str, QWidget]]:
    """Every screen, in order (see the module's docstring)."""
    from wallet.gui.app import WelcomeWindow
    from wallet.gui.controller import WalletController

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    welcome = WelcomeWindow()
    welcome.show()
    settle()
    yield "welcome", welcome
    # what the app shows when a wallet cannot be opened (wallet.gui.app.PaylightApp.open_wallet)
    welcome.status.setText(
        with_detail(
            QCoreApplication.translate(
                "PaylightApp", "Paylight could not open the wallet at {path}."
            ).format(path="/home/someone/wallets/Shop"),
            "the wallet is open in another Paylight process",
        )
    )
    yield "welcome with an error", welcome
    close(welcome)
    yield from walk_wizard()
    wallet = Wallet.open(make_wallet())
    populate(wallet)
    controller = WalletController(wallet)
    try:
        yield from walk_main(controller)
    finally:
        controller.close()
