"""A dialog around the scanner for codes that are not payments: PSBTs, a signer's account.

The :class:`~wallet.gui.scanner.widget.ScannerWidget` reads a camera (or a video file, an image,
the clipboard, the screen) and collects animated codes on its decoding thread; this dialog shows
how far an animated code has come ("27 of 40 parts", with a bar) and hands the finished code to
its owner. The owner's ``check`` may refuse a code with a sentence (a payment QR where a PSBT was
expected): the sentence is shown and scanning goes on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from wallet.gui.scanner.sources import CameraChoice
from wallet.gui.scanner.widget import ScannerWidget
from wallet.gui.theme import text_style
from wallet.payments.animated_qr import CollectedCode, Progress, Standard

#: ``check(code)``: None to take the code, or a sentence saying why not (scanning goes on)
Check = Callable[[CollectedCode], str | None]


class ScanCodeDialog(QDialog):
    """Scan one code, animated or not; ``scanned`` carries the :class:`CollectedCode`."""

    scanned = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        hint: str,
        *,
        check: Check | None = None,
        autostart: bool = True,
        choice: CameraChoice | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scan-code-dialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.check = check
        self.code: CollectedCode | None = None
        self.scanner = ScannerWidget(self, choice=choice, autostart=autostart)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.parts = QLabel(self.tr("Waiting for a code…"))
        self.parts.setObjectName("scan-parts")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(text_style("error"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.scanner, 1)
        layout.addWidget(self.parts)
        layout.addWidget(self.bar)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.scanner.progress.connect(self._progress)  # the camera and pictures
        self.scanner.collected.connect(self._take)
        self.scanner.decoded.connect(
            lambda text: self._take(CollectedCode(Standard.TEXT, "text", text.encode("utf-8")))
        )
        self.finished.connect(lambda _r: self.scanner.shutdown())
        self.resize(760, 680)

    def _progress(self, progress: Progress) -> None:
        if progress.total is None:
            self.parts.setText(self.tr("Reading an animated code…"))
            return
        self.bar.setRange(0, progress.total)
        self.bar.setValue(min(progress.received, progress.total))
        self.parts.setText(
            self.tr("{received} of {total} parts").format(
                received=progress.received, total=progress.total
            )
        )

    def _take(self, code: CollectedCode) -> None:
        why = self.check(code) if self.check is not None else None
        if why:
            self.problem.setText(why)
            self.scanner.reset()  # the same code can be read again; another one is looked for
            return
        self.code = code
        self.problem.clear()
        self.scanned.emit(code)
        self.accept()
