"""The Tools menu: the PSBT window and signed messages, for the open wallet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from wallet.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ToolsMenu", text)


def install_tools_menu(window: MainWindow) -> None:
    """Add Tools → PSBT… and Sign/verify message… to the main window's menu bar."""
    menu = QMenu(QCoreApplication.translate("ToolsMenu", "T&ools"), window)
    help_menu = getattr(window, "help_menu", None)  # Help stays the last menu
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    psbt = QAction(QCoreApplication.translate("ToolsMenu", "&PSBT…"), window)
    psbt.setShortcut(QKeySequence("Ctrl+Shift+P"))
    psbt.setToolTip(
        QCoreApplication.translate(
            "ToolsMenu", "Load, show, sign, combine and broadcast partially signed transactions"
        )
    )
    psbt.triggered.connect(lambda: open_psbt(window))
    message = QAction(QCoreApplication.translate("ToolsMenu", "Sign/verify &message…"), window)
    message.triggered.connect(lambda: open_message(window))
    menu.addAction(psbt)
    menu.addAction(message)
    window.psbt_action = psbt  # type: ignore[attr-defined]
    window.message_action = message  # type: ignore[attr-defined]


def open_psbt(window: MainWindow):
    """A PSBT window with nothing loaded yet (Load → file, clipboard, pictures, camera)."""
    from wallet.gui.psbt_dialog import PsbtDialog

    dialog = PsbtDialog(window.controller, None, window, unit=window.unit)
    dialog.open()
    window.psbt_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def open_message(window: MainWindow, address: str = ""):
    from wallet.gui.message_dialog import MessageDialog

    dialog = MessageDialog(window.controller, address, window)
    dialog.open()
    window.message_dialog = dialog  # type: ignore[attr-defined]
    return dialog
