"""The setup wizard can be opened again after it was cancelled or finished, and it does not
close over new seed words without asking (issue 15's wizard defects).

Driven through the real app object (``PaylightApp``) offscreen, as a person would: the welcome
window's "Create or restore a wallet…" button, the main window's File › New, Esc.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.test_gui_wizard import bip84  # noqa: F401  (the BIP84 vector's zpub)
from wallet.account.keystore import ScryptParams
from wallet.gui.app import PaylightApp, WelcomeWindow
from wallet.gui.main_window import MainWindow
from wallet.gui.settings import AppSettings
from wallet.gui.wizard import PAGE_CONFIRM, PAGE_NEW_SEED, PAGE_START, SetupWizard

pytestmark = pytest.mark.gui
CHEAP = ScryptParams.insecure_for_tests()


@pytest.fixture
def app(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    paylight = PaylightApp(
        kdf=CHEAP, settings=AppSettings(tmp_path / "gui.ini"), engine_factory=None
    )
    yield paylight
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SetupWizard) and widget.isVisible():
            widget.done(0)  # closed without the question: the test is over
    if paylight.window is not None:
        paylight.window.close()
    paylight.shutdown()
    flush_deletes()


def flush_deletes() -> None:
    """Run the deferred deletes (WA_DeleteOnClose, deleteLater) as the event loop would."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def visible_wizard() -> SetupWizard | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard)]
    shown = [w for w in shown if w.isVisible()]
    assert len(shown) <= 1
    return shown[0] if shown else None


def press_escape(qtbot, wizard: SetupWizard) -> None:
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    QApplication.processEvents()


def question() -> QMessageBox | None:
    boxes = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)]
    boxes = [b for b in boxes if b.isVisible()]
    return boxes[0] if boxes else None


def shown(widget) -> bool:
    return shiboken6.isValid(widget) and widget.isVisible()


def test_create_or_restore_opens_the_wizard_again_after_it_was_cancelled(qtbot, app):
    welcome = app.show_welcome()
    assert isinstance(welcome, WelcomeWindow)
    for _attempt in range(3):
        qtbot.mouseClick(welcome.new_button, Qt.MouseButton.LeftButton)
        wizard = visible_wizard()
        assert wizard is not None, "the button did nothing"
        assert wizard.currentId() == PAGE_START
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton
        )
        flush_deletes()  # the cancelled wizard is deleted (WA_DeleteOnClose)
        assert visible_wizard() is None


def test_new_wallet_opens_the_wizard_again_after_it_finished(qtbot, app, bip84):  # noqa: F811
    app.show_welcome()
    qtbot.mouseClick(app.window.new_button, Qt.MouseButton.LeftButton)
    wizard = visible_wizard()
    assert wizard is not None
    wizard.start.watch.setChecked(True)
    wizard.next()
    wizard.watch.key.setPlainText(bip84["zpub"])
    wizard.next()
    wizard.next()  # how it connects: the default
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(finish.isEnabled, timeout=15_000)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    flush_deletes()  # the welcome window (the wizard's parent) goes, and the wizard with it
    window = app.window
    assert isinstance(window, MainWindow)
    window.new_wallet_requested.emit()  # File › New or restore wallet…
    again = visible_wizard()
    assert again is not None and again is not wizard
    assert again.currentId() == PAGE_START


def test_escape_over_new_seed_words_asks_before_closing(qtbot, app):
    app.show_welcome()
    wizard = app.show_wizard()
    wizard.next()
    assert wizard.currentId() == PAGE_NEW_SEED
    words = wizard.new_seed.mnemonic
    assert len(words.split()) == 12

    press_escape(qtbot, wizard)
    box = question()
    assert box is not None, "Esc closed the wizard over the seed words without asking"
    assert wizard.isVisible()
    box.button(QMessageBox.StandardButton.No).click()  # keep going
    QApplication.processEvents()
    assert wizard.isVisible() and wizard.new_seed.mnemonic == words

    # on the next page too (the words are still in memory), and Cancel asks the same
    wizard.new_seed.written.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_CONFIRM
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    box = question()
    assert box is not None and wizard.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()  # discard them
    assert wizard.new_seed.mnemonic == ""  # no copy of the words is kept
    QApplication.processEvents()
    assert not shown(wizard)
    flush_deletes()
    assert visible_wizard() is None


def test_escape_on_the_first_page_closes_at_once(qtbot, app):
    app.show_welcome()
    wizard = app.show_wizard()
    press_escape(qtbot, wizard)
    assert question() is None
    assert not shown(wizard)
