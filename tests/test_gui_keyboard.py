"""Keyboard and screen readers (issue 15, accessibility): on every screen each control has a
name a screen reader can say, Tab reaches every control in reading order, and Enter submits
the forms.

The names are what Qt's accessibility layer reads: a control's accessible name, its own text
(buttons, check boxes), or the label whose buddy it is (``QFormLayout`` rows, ``setBuddy``).
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.gui_screens import settle, walk_screens

pytestmark = pytest.mark.gui
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
)


def controls(root: QWidget) -> list[QWidget]:
    """The visible, enabled controls a person can act on (a combo box's own line edit, a
    spin box's and Qt's internal parts are their owner's)."""
    out = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if not widget.isEnabled() or (
            widget.focusPolicy() == Qt.FocusPolicy.NoFocus
            and (not isinstance(widget, QAbstractButton))
        ):
            continue
        owner = widget.parentWidget()
        if isinstance(
            owner, (QComboBox, QAbstractSpinBox, QTabBar)
        ) or widget.objectName().startswith("qt_"):
            continue
        if (
            isinstance(widget, (QTextEdit, QPlainTextEdit))
            and widget.isReadOnly()
            and not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        ):
            continue
        if isinstance(widget, QRadioButton) and widget.autoExclusive() and not widget.isChecked():
            continue  # Tab enters a group of radio buttons at the chosen one; arrows move in it
        out.append(widget)
    return out


def spoken_name(widget: QWidget, buddies: set[int]) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if id(widget) in buddies:
        return "(its label)"
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def test_every_control_has_a_name_a_screen_reader_can_say(qapp, tmp_path, monkeypatch):
    nameless = []
    for name, window in walk_screens(tmp_path, monkeypatch):
        settle()
        buddies = {id(label.buddy()) for label in window.findChildren(QLabel) if label.buddy()}
        for control in controls(window):
            if not spoken_name(control, buddies):
                nameless.append(f"{name}: {type(control).__name__} {control.objectName()!r}")
    assert not nameless, "\n".join(sorted(set(nameless)))


def reading_position(widget: QWidget, root: QWidget) -> QPoint:
    return widget.mapTo(root, QPoint(0, 0))


def tab_chain(root: QWidget, start: QWidget, limit: int = 200) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back (or leaves ``root``)."""
    chain = [start]
    widget = start
    for _ in range(limit):
        widget = widget.nextInFocusChain()
        while widget is not start and not (
            widget.isVisibleTo(root)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and (widget is root or root.isAncestorOf(widget))
        ):
            widget = widget.nextInFocusChain()
        if widget is start:
            return chain
        chain.append(widget)
    return chain


FORMS = (
    "welcome",
    "wizard: start",
    "wizard: check the words",
    "wizard: seed options",
    "wizard: password",
    "wizard: restore (12)",
    "wizard: watch-only",
    "main: tab-receive",
    "main: tab-send",
    "dialog: review payment",
    "dialog: raise the fee",
    "till: keypad",
)


def test_tab_reaches_every_control_of_each_form_in_reading_order(qapp, tmp_path, monkeypatch):
    problems = []
    seen_forms = set()
    for name, window in walk_screens(tmp_path, monkeypatch):
        if name not in FORMS:
            continue
        seen_forms.add(name)
        settle()
        wanted = [c for c in controls(window) if c.focusPolicy() & Qt.FocusPolicy.TabFocus]
        unreachable = [c for c in controls(window) if not c.focusPolicy() & Qt.FocusPolicy.TabFocus]
        for control in unreachable:
            problems.append(f"{name}: {describe(control)} cannot be reached with Tab")
        if not wanted:
            continue
        first = min(
            wanted, key=lambda w: (reading_position(w, window).y(), reading_position(w, window).x())
        )
        chain = tab_chain(window, first)
        missing = [c for c in wanted if c not in chain]
        problems += [f"{name}: Tab never reaches {describe(c)}" for c in missing]
        # reading order: each stop is further down, or further right (the next column of a
        # grid numbered down its columns, as the seed words are); never up and to the left
        order = [c for c in chain if c in wanted]
        for a, b in itertools.pairwise(order):
            pa, pb = reading_position(a, window), reading_position(b, window)
            line = max(a.height(), b.height()) // 2
            if not (pb.y() > pa.y() + line or pb.x() > pa.x()):
                problems.append(f"{name}: Tab goes back from {describe(a)} to {describe(b)}")
    assert seen_forms == set(FORMS), set(FORMS) - seen_forms
    assert not problems, "\n".join(problems)


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.objectName() or text!r})"


def test_enter_submits_the_forms(qtbot, tmp_path, monkeypatch):
    """Enter does what the form is for: the welcome window's focused button, the wizard's
    Next, the fee bump's Review, Home's buttons."""
    from PySide6.QtWidgets import QWizard

    from tests.test_gui_main import make_wallet, populate
    from wallet.account.wallet_file import Wallet
    from wallet.gui.app import PaylightApp
    from wallet.gui.controller import WalletController
    from wallet.gui.main_window import MainWindow
    from wallet.gui.settings import AppSettings
    from wallet.gui.wizard import PAGE_NEW_SEED, PAGE_START

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    app = PaylightApp(settings=AppSettings(tmp_path / "gui.ini"), engine_factory=None)
    welcome = app.show_welcome()
    welcome.new_button.setFocus()
    qtbot.keyClick(welcome.new_button, Qt.Key.Key_Return)
    wizard = app.wizard
    assert wizard is not None and wizard.isVisible() and wizard.currentId() == PAGE_START
    qtbot.keyClick(wizard.start.name, Qt.Key.Key_Return)  # Enter in the name field: Next
    assert wizard.currentId() == PAGE_NEW_SEED
    wizard.done(0)
    welcome.close()

    wallet = Wallet.open(make_wallet())
    populate(wallet)
    controller = WalletController(wallet)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    try:
        home = window.overview
        home.receive_button.setFocus()
        qtbot.keyClick(home.receive_button, Qt.Key.Key_Return)
        assert window.tabs.currentWidget() is window.receive
        history = window.history
        window.tabs.setCurrentWidget(history)
        row = next(i for i, r in enumerate(history.model.rows) if controller.can_bump(r.record))
        history.view.selectRow(row)
        bump = history.bump_selected()
        assert bump is not None and bump.next_button.isDefault()
        built = []
        bump.next_button.clicked.connect(lambda: built.append(True))
        qtbot.keyClick(bump.rate, Qt.Key.Key_Return)  # Enter in the fee-rate field: Review
        assert built
        assert isinstance(wizard, QWizard)
    finally:
        controller.close()
        app.shutdown()
