"""The scanner widget: camera preview with found codes outlined, plus image/clipboard/screen.

It only ever emits :attr:`ScannerWidget.decoded` with the text of a newly scanned code, or
:attr:`ScannerWidget.collected` with the file an animated code (BC-UR or BBQr) carried: the
first part of one starts collecting it, and the status line shows how far it is ("27 of 40
parts"). It never pays, signs or opens anything by itself: the window that owns it shows the
payment confirmation, where the user decides.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wallet.gui.format import number
from wallet.gui.scanner.images import decode_clipboard, decode_screen
from wallet.gui.scanner.pipeline import ScanPipeline
from wallet.gui.scanner.sources import (
    NO_CAMERA,
    CameraChoice,
    CameraSource,
    FrameSource,
    camera_info,
    choose_camera,
    list_cameras,
)
from wallet.payments.animated_qr import AnimatedCollector, CollectedCode, Progress
from wallet.payments.bbqr import is_bbqr
from wallet.payments.qr_decode import DecodedQR, decode_file
from wallet.payments.qr_errors import QRDecodeError
from wallet.payments.qr_payload import PayloadKind
from wallet.payments.ur.ur import is_ur

#: The preview is repainted at most this often; decoding is not tied to it.
PREVIEW_INTERVAL_MS = 40
OUTLINE_MS = 1500

_KIND_TEXT = {
    PayloadKind.BITCOIN_URI: QT_TRANSLATE_NOOP(
        "ScannerWidget", "Scanned a bitcoin payment request."
    ),
    PayloadKind.ADDRESS: QT_TRANSLATE_NOOP("ScannerWidget", "Scanned a bitcoin address."),
    PayloadKind.PSBT: QT_TRANSLATE_NOOP(
        "ScannerWidget", "Scanned a partially signed transaction (PSBT)."
    ),
    PayloadKind.LIGHTNING: QT_TRANSLATE_NOOP(
        "ScannerWidget", "Scanned a Lightning invoice (not supported by this wallet)."
    ),
    PayloadKind.UNKNOWN: QT_TRANSLATE_NOOP(
        "ScannerWidget", "Scanned text that is not a bitcoin payment."
    ),
}


class PreviewView(QWidget):
    """Paints the latest frame (aspect kept) and outlines the codes found in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(320, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._frame: QVideoFrame | None = None
        self._outlines: list[tuple[tuple[int, int], ...]] = []
        self._outlined_at = 0.0
        self._message = ""
        self._dirty = False
        self._repaint = QTimer(self)
        self._repaint.setInterval(PREVIEW_INTERVAL_MS)
        self._repaint.timeout.connect(self._flush)
        self._repaint.start()

    def set_message(self, text: str) -> None:
        self._message = text
        self.update()

    def show_frame(self, frame: QVideoFrame) -> None:
        self._frame = QVideoFrame(frame)
        self._dirty = True

    def clear(self) -> None:
        self._frame = None
        self._outlines = []
        self.update()

    def outline(self, results: list[DecodedQR]) -> None:
        self._outlines = [r.corners for r in results]
        self._outlined_at = time.monotonic()
        self.update()

    def _flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self.update()

    def _target(self) -> QRectF:
        assert self._frame is not None
        fw, fh = self._frame.width(), self._frame.height()
        scale = min(self.width() / fw, self.height() / fh)
        w, h = fw * scale, fh * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 24, 28))
        frame = self._frame
        if frame is None or not frame.isValid() or frame.width() <= 0:
            painter.setPen(QColor(220, 220, 220))
            painter.drawText(
                self.rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._message or self.tr("No picture"),
            )
            return
        target = self._target()
        options = QVideoFrame.PaintOptions()
        options.backgroundColor = QColor(24, 24, 28)
        frame.paint(painter, target, options)
        if self._outlines and time.monotonic() - self._outlined_at < OUTLINE_MS / 1000:
            sx, sy = target.width() / frame.width(), target.height() / frame.height()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(40, 220, 90), 3))
            for corners in self._outlines:
                points = [QPointF(target.x() + x * sx, target.y() + y * sy) for x, y in corners]
                painter.drawPolygon(QPolygonF(points))


class ScannerWidget(QWidget):
    """Scan a QR code with a camera, or from an image file, the clipboard or the screen."""

    decoded = Signal(str)  # the text of a code not seen before in this scan
    collected = Signal(object)  # the CollectedCode of a whole animated code
    progress = Signal(object)  # the Progress of the animated code being collected

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        choice: CameraChoice | None = None,
        autostart: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qr-scanner")
        self.setWindowTitle(self.tr("Scan a QR code"))
        self.choice = choice if choice is not None else CameraChoice.qsettings()
        self.pipeline = ScanPipeline(parent=self)
        self.pipeline.decoded.connect(self._deliver)
        self.pipeline.progress.connect(self._show_progress)
        self.pipeline.completed.connect(self._animated_done)
        self.animated: CollectedCode | None = None
        #: parts of an animated code read from pictures (files, clipboard, screen)
        self._stills: AnimatedCollector | None = None
        self.seen: list[str] = []
        self._devices: list = []

        self.cameras = QComboBox()
        self.cameras.setMinimumContentsLength(18)
        self.cameras.setAccessibleName(self.tr("Camera"))
        self.cameras.activated.connect(self._camera_chosen)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh_cameras)
        self.open_button = QPushButton(self.tr("Open image…"))
        self.open_button.clicked.connect(lambda: self.open_image())
        self.paste_button = QPushButton(self.tr("Paste image"))
        self.paste_button.clicked.connect(self.paste_image)
        self.screen_button = QPushButton(self.tr("Scan screen"))
        self.screen_button.clicked.connect(self.scan_screen)

        top = QHBoxLayout()
        camera_label = QLabel(self.tr("&Camera:"))
        camera_label.setBuddy(self.cameras)
        top.addWidget(camera_label)
        top.addWidget(self.cameras, 1)
        top.addWidget(self.refresh_button)
        others = QHBoxLayout()
        others.addWidget(QLabel(self.tr("Or scan from:")))
        for button in (self.open_button, self.paste_button, self.screen_button):
            others.addWidget(button)
        others.addStretch(1)

        self.preview = PreviewView()
        self.status = QLabel(self.tr("Hold the QR code in front of the camera."))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        layout.addLayout(others)
        self.resize(720, 560)

        self.refresh_cameras()
        if autostart:
            self.start_camera()

    # --- sources ---

    def refresh_cameras(self) -> None:
        """Re-list cameras (USB cameras come and go) and select the remembered one."""
        self._devices = list_cameras()
        self.cameras.clear()
        if not self._devices:
            self.cameras.addItem(self.tr("No camera found"))
            self.cameras.setEnabled(False)
            self.preview.set_message(self.tr("No camera"))
            self._say(self.tr(NO_CAMERA))
            return
        self.cameras.setEnabled(True)
        for device in self._devices:
            self.cameras.addItem(device.description())
        index = choose_camera([camera_info(d) for d in self._devices], self.choice.load())
        self.cameras.setCurrentIndex(index or 0)

    def start_camera(self, index: int | None = None) -> None:
        if not self._devices:
            self._say(self.tr(NO_CAMERA))
            return
        index = self.cameras.currentIndex() if index is None else index
        device = self._devices[index]
        self.choice.save(camera_info(device).id)
        self.use_source(CameraSource(device, parent=self))

    def use_source(self, source: FrameSource) -> None:
        """Scan frames from ``source`` (a camera, or a video file) and start it."""
        old = self.pipeline.source
        self.pipeline.set_source(source)
        if old is not None:
            old.sink.videoFrameChanged.disconnect(self.preview.show_frame)
            if old.parent() is self:  # a camera source made here
                old.deleteLater()
        source.sink.videoFrameChanged.connect(self.preview.show_frame)
        source.failed.connect(self._source_failed)
        hold = self.tr("Hold the QR code in front of the camera.")
        source.started.connect(lambda: self._say(hold))
        self.preview.clear()
        self.preview.set_message(self.tr("Starting {source}…").format(source=source.description()))
        source.start()

    def stop(self) -> None:
        self.pipeline.stop()

    def shutdown(self) -> None:
        """Stop the camera and the decoding thread; call before the widget goes away."""
        self.pipeline.close()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _camera_chosen(self, index: int) -> None:
        self.start_camera(index)

    # --- stills ---

    def open_image(self, path: str | Path | None = None) -> list[DecodedQR]:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Open a picture of a QR code"),
                "",
                self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif)"),
            )
            if not path:
                return []
        try:
            found = decode_file(path)
        except QRDecodeError as exc:
            self._say(str(exc))
            return []
        if not found:
            self._say(
                self.tr("No QR code was found in {file}. Try a sharper picture.").format(
                    file=Path(path).name
                )
            )
        self._deliver(found, still=True)
        return found

    def paste_image(self) -> list[DecodedQR]:
        found = decode_clipboard()
        if not found:
            self._say(
                self.tr("The clipboard holds no picture with a QR code. Copy an image first.")
            )
        self._deliver(found, still=True)
        return found

    def scan_screen(self) -> list[DecodedQR]:
        found = decode_screen()
        if not found:
            self._say(
                self.tr(
                    "No QR code is visible on the screen. If your desktop does not allow screen "
                    "capture, take a screenshot, copy it and use Paste image."
                )
            )
        self._deliver(found, still=True)
        return found

    # --- results ---

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _source_failed(self, text: str) -> None:
        self.preview.clear()
        self.preview.set_message(self.tr("No picture"))
        self._say(self.tr(text))  # the sources' fixed sentences are translated here

    def reset(self) -> None:
        """Forget what was scanned, so that the same code is reported again (a new scan)."""
        self.seen.clear()
        self.result.clear()
        self.animated = None
        self._stills = None
        self.pipeline.stop_collecting()

    def _show_progress(self, progress: Progress) -> None:
        if progress.total is None:
            so_far = self.tr("waiting for the first part") if not progress.frames else "…"
        else:
            so_far = self.tr("{received} of {total} parts").format(
                received=progress.received, total=progress.total
            )
        self._say(
            self.tr("Reading an animated code: {progress}. Keep the camera on it.").format(
                progress=so_far
            )
        )
        self.progress.emit(progress)

    def _collect_still(self, text: str) -> None:
        """A part of an animated code (or a one-part UR) in a picture: collected here, on the
        UI thread -- one picture's worth of work -- so a picture of a one-part code, or
        pictures of every frame opened one after another, complete as the camera does."""
        if self.animated is not None:
            return
        if self._stills is None:
            self._stills = AnimatedCollector()
        if not self._stills.feed(text):
            return
        self._show_progress(self._stills.progress)
        if self._stills.result is not None:
            result, self._stills = self._stills.result, None
            self._animated_done(result)

    def _animated_done(self, code: CollectedCode) -> None:
        self.animated = code
        if code.is_psbt:
            done = self.tr("Scanned a partially signed transaction (PSBT) ({n} bytes).")
        else:
            done = self.tr("Scanned an animated code ({n} bytes).")
        self._say(done.format(n=number(len(code.data))))
        self.collected.emit(code)

    def _deliver(self, results: list[DecodedQR], *, still: bool = False) -> None:
        if not results:
            return
        self.preview.outline(results)
        for r in results:
            if is_ur(r.text) or is_bbqr(r.text):  # one frame of an animated code
                if still:
                    self._collect_still(r.text)
                elif not self.pipeline.collecting and self.animated is None:
                    self.pipeline.collect()
                    self._say(self.tr("Reading an animated code…"))
                continue
            if r.text in self.seen:
                continue
            self.seen.append(r.text)
            shown = r.text if len(r.text) <= 120 else r.text[:117] + "…"
            self._say(self.tr(_KIND_TEXT[r.kind]))
            self.result.setText(shown)
            self.decoded.emit(r.text)
