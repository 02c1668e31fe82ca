"""A QR code drawn crisp: whole device pixels per module, never smoothed, quiet zone kept.

The symbol comes from :func:`wallet.payments.qr_render.make_qr`; this widget only picks the
largest integer scale that fits (in device pixels, so HiDPI screens stay sharp) and centres it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:  # the renderer needs numpy: imported with the first code, not at start
    from wallet.payments.qr_render import QRSymbol


def symbol_image(symbol: QRSymbol, scale: int = 1) -> QImage:
    """The symbol (with quiet zone) as an 8-bit grayscale QImage, ``scale`` px per module."""
    import numpy as np

    pixels = np.ascontiguousarray(symbol.to_array(scale))
    height, width = pixels.shape
    image = QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.copy()  # own the pixels: the numpy buffer goes away


class QRView(QWidget):
    """Shows one QR code as large as the widget allows, at an integer scale."""

    def __init__(self, parent: QWidget | None = None, *, minimum: int = 240) -> None:
        super().__init__(parent)
        self.setObjectName("qr-view")
        self._symbol: QRSymbol | None = None
        self._image: QImage | None = None
        self._text = ""
        self._minimum = minimum
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(minimum, minimum)

    @property
    def text(self) -> str:
        """The text given (before BIP21's upper-case trick)."""
        return self._text

    @property
    def symbol(self) -> QRSymbol | None:
        return self._symbol

    def set_text(self, text: str) -> None:
        from wallet.payments.qr_render import make_qr

        self._text = text
        self._symbol = make_qr(text) if text else None
        self._image = symbol_image(self._symbol) if self._symbol is not None else None
        self.update()

    def module_scale(self) -> int:
        """Device pixels per module at the current size (0 when nothing is shown)."""
        if self._symbol is None:
            return 0
        ratio = self.devicePixelRatioF()
        side = int(min(self.width(), self.height()) * ratio)
        return max(1, side // self._symbol.width)

    def rendered_image(self) -> QImage | None:
        """Exactly the pixels drawn (for copying, saving, and tests that decode them)."""
        if self._symbol is None:
            return None
        return symbol_image(self._symbol, self.module_scale())

    def sizeHint(self) -> QSize:
        return QSize(self._minimum + 80, self._minimum + 80)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        if self._image is None or self._symbol is None:
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No request yet"))
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ratio = self.devicePixelRatioF()
        side_px = self._symbol.width * self.module_scale()
        # Whole device pixels for the corner too: a half-pixel offset would blur every edge.
        x = int((self.width() * ratio - side_px) // 2) / ratio
        y = int((self.height() * ratio - side_px) // 2) / ratio
        side = side_px / ratio
        # A light backdrop also keeps the code readable in a dark palette.
        painter.fillRect(QRectF(x, y, side, side), QColor("white"))
        painter.drawImage(QRectF(x, y, side, side), self._image)
