"""Start the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from wallet import __version__


def build_main_window() -> QMainWindow:
    window = QMainWindow()
    window.setObjectName("paylight-main")
    window.setWindowTitle(f"Paylight {__version__}")
    label = QLabel(
        "Paylight's wallet window is not built yet.\n"
        "The command line works today: run  paylight --help"
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(640, 400)
    return window


def run_gui(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    window = build_main_window()
    window.show()
    return app.exec()
