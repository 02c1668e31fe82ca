"""Large text (issue 15, accessibility): at 150 % text size every screen fits a 1366×768 laptop,
and nothing on it overlaps or is cut off.

The application font is made 1.5 times its size (what a desktop's text-scaling setting does),
then every screen is opened (``tests.gui_screens``): its minimum size must fit the laptop's
screen less a panel and a title bar, and at the size it opens at (the till: the whole screen)
no two widgets of one layout may overlap and no label, button or check box may be narrower or
shorter than its text needs.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLayout,
    QTabWidget,
    QWidget,
)

from tests.gui_screens import settle, walk_screens

pytestmark = pytest.mark.gui
SCREEN = QSize(1366, 768)
#: what a window may take of it: less a desktop panel and the window's title bar
USABLE = QSize(1366, 768 - 60)
SCALE = 1.5


@pytest.fixture
def large_text(qapp):
    old = qapp.font()
    font = QFont(old)
    font.setPointSizeF(old.pointSizeF() * SCALE)
    qapp.setFont(font)
    yield font
    qapp.setFont(old)


def laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets ``layout`` places (through its sub-layouts, not inside child widgets)."""
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out.extend(laid_out(item.layout()))
    return out


def in_scroll_area(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def overlaps(root: QWidget) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        layout = widget.layout()
        if layout is None or (not widget.isVisibleTo(root) and widget is not root):
            continue
        shown = [w for w in laid_out(layout) if w.isVisibleTo(root) and not w.geometry().isEmpty()]
        for i, a in enumerate(shown):
            for b in shown[i + 1 :]:
                if a.geometry().intersects(b.geometry()):
                    found.append(f"{describe(a)} overlaps {describe(b)}")
    return found


def describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}({widget.objectName() or str(text)[:40]!r})"


def clipped(root: QWidget) -> list[str]:
    """Texts given less room than they need (a layout squeezed below its minimum)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or in_scroll_area(widget, root):
            continue
        if isinstance(widget, QLabel) and widget.text().strip():
            if widget.wordWrap():
                need = QSize(0, widget.heightForWidth(widget.width()))
            else:
                need = widget.minimumSizeHint()
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            need = widget.minimumSizeHint()
        else:
            continue
        if widget.width() + 1 < need.width() or widget.height() + 1 < need.height():
            found.append(f"{describe(widget)} is {widget.size().toTuple()}, needs {need.toTuple()}")
    for tabs in root.findChildren(QTabWidget):
        bar = tabs.tabBar()
        if tabs.isVisibleTo(root) and bar.sizeHint().width() > tabs.width():
            found.append(f"the tabs need {bar.sizeHint().width()} px of {tabs.width()}")
    return found


def fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


def test_every_screen_fits_1366x768_at_150_percent_text(qapp, large_text, tmp_path, monkeypatch):
    problems: list[str] = []
    names = []
    for name, window in walk_screens(tmp_path, monkeypatch):
        names.append(name)
        settle()
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        full_screen = name.startswith("till")
        if not fits(minimum, SCREEN if full_screen else USABLE):
            problems.append(f"{name}: needs at least {minimum.toTuple()}")
        if full_screen:
            window.resize(SCREEN)
        elif not fits(window.size(), USABLE):
            problems.append(f"{name}: opens at {window.size().toTuple()}")
            window.resize(window.size().boundedTo(USABLE))
        settle()
        problems += [f"{name}: {p}" for p in overlaps(window) + clipped(window)]
    assert len(names) >= 30 and any(n.startswith("till") for n in names), names
    assert not problems, "\n".join(problems)


def test_the_receive_qr_has_10_px_modules_on_a_1366x768_laptop(qapp, qtbot, tmp_path, monkeypatch):
    """A phone reads the code from a step away: at least 10 px per module with the window
    filling a 1366x768 screen (less panel and title bar), for a request with a label and a
    message (a larger code than a bare address)."""
    from tests.test_gui_main import make_wallet, populate
    from wallet.account.wallet_file import Wallet
    from wallet.gui.controller import WalletController
    from wallet.gui.main_window import MainWindow

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    wallet = Wallet.open(make_wallet())
    populate(wallet)
    controller = WalletController(wallet)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(USABLE)
    window.show()
    try:
        window.show_receive()
        receive = window.receive
        receive.amount.set_sats(125_000)
        receive.label.setText("Bike repair, table 4")
        receive.message.setText("Thanks for coming!")
        assert receive.create_request() is not None
        settle()
        symbol = receive.qr.symbol
        assert symbol is not None and symbol.width >= 49  # version 3 with its quiet zone
        assert receive.qr.module_scale() >= 10, (receive.qr.size().toTuple(), symbol.width)
        assert not overlaps(window) and not clipped(window)
    finally:
        controller.close()
