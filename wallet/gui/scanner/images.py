"""Qt pictures (QImage, QVideoFrame, clipboard, screen) to grayscale arrays, and their codes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QClipboard, QGuiApplication, QImage, QPainter, QScreen
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

from wallet.payments.qr_decode import DecodedQR, decode_file, decode_image

_PF = QVideoFrameFormat.PixelFormat
#: Formats whose first plane is 8-bit luma (the Y of YUV): a grayscale picture for free.
_LUMA_PLANE_8 = {
    _PF.Format_YUV420P,
    _PF.Format_YUV422P,
    _PF.Format_YV12,
    _PF.Format_NV12,
    _PF.Format_NV21,
    _PF.Format_IMC1,
    _PF.Format_IMC2,
    _PF.Format_IMC3,
    _PF.Format_IMC4,
    _PF.Format_Y8,
}
_LUMA_PLANE_16 = {_PF.Format_P010, _PF.Format_P016, _PF.Format_Y16}
_PACKED_LUMA_OFFSET = {_PF.Format_YUYV: 0, _PF.Format_UYVY: 1}  # Y in every other byte


def qimage_to_gray(image: QImage) -> np.ndarray:
    """A 2-D uint8 copy of ``image`` in grayscale; transparency counts as white (as on screen)."""
    if image.isNull():
        return np.zeros((0, 0), np.uint8)
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(Qt.GlobalColor.white)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, stride = gray.width(), gray.height(), gray.bytesPerLine()
    buffer = np.frombuffer(gray.constBits(), np.uint8, count=stride * h)
    return buffer.reshape(h, stride)[:, :w].copy()


def video_frame_to_gray(frame: QVideoFrame) -> np.ndarray:
    """Luma of a video frame: read straight from the Y plane for YUV formats (no conversion),
    through QImage for anything else. Safe to call on a worker thread."""
    frame = QVideoFrame(frame)  # our own reference to the shared buffer
    fmt = frame.pixelFormat()
    w, h = frame.width(), frame.height()
    if fmt in _LUMA_PLANE_8 or fmt in _LUMA_PLANE_16 or fmt in _PACKED_LUMA_OFFSET:
        if not frame.map(QVideoFrame.MapMode.ReadOnly):
            return np.zeros((0, 0), np.uint8)
        try:
            stride = frame.bytesPerLine(0)
            raw = np.frombuffer(frame.bits(0), np.uint8, count=stride * h).reshape(h, stride)
            if fmt in _LUMA_PLANE_8:
                return raw[:, :w].copy()
            if fmt in _LUMA_PLANE_16:  # little-endian 16-bit samples: keep the high byte
                return raw[:, 1 : 2 * w : 2].copy()
            offset = _PACKED_LUMA_OFFSET[fmt]
            return raw[:, offset : offset + 2 * w : 2].copy()
        finally:
            frame.unmap()
    return qimage_to_gray(frame.toImage())


def decode_qimage(image: QImage) -> list[DecodedQR]:
    """Codes in a still QImage (all fallback passes)."""
    gray = qimage_to_gray(image)
    return decode_image(gray) if gray.size else []


def decode_clipboard(clipboard: QClipboard | None = None) -> list[DecodedQR]:
    """Codes in the clipboard's image, or in image files copied from a file manager."""
    clipboard = clipboard or QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is not None and mime.hasImage():
        return decode_qimage(clipboard.image())
    if mime is not None and mime.hasUrls():
        for url in mime.urls():
            if url.isLocalFile():
                found = decode_file(url.toLocalFile())
                if found:
                    return found
    return []


def grab_screen(screen: QScreen | None = None, region: QRect | None = None) -> QImage:
    """A picture of ``region`` of ``screen`` (the whole primary screen by default)."""
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QImage()
    if region is None:
        return screen.grabWindow(0).toImage()
    return screen.grabWindow(0, region.x(), region.y(), region.width(), region.height()).toImage()


def decode_screen(screen: QScreen | None = None, region: QRect | None = None) -> list[DecodedQR]:
    """Codes shown on the screen, e.g. a payment request in a web page."""
    return decode_qimage(grab_screen(screen, region))
