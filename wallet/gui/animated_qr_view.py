"""A PSBT (or a finished transaction) shown as QR codes for an air-gapped signer's camera.

One code when it fits, else an animation in either standard signers read: BC-UR
(``ur:crypto-psbt``, fountain-coded, so a camera that missed frames still finishes) or BBQr.
Density (bytes per frame) and frame rate are the person's to choose: a poor camera reads small
codes shown slowly.

Drawing one QR code takes 20-60 ms of pure Python (``qrcode``), so the frames are made on the
thread pool and arrive one by one; the UI thread only swaps finished pictures on a
:class:`QTimer`, and starts showing as soon as the first frame is ready.
"""

from __future__ import annotations

import base64
import enum

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wallet.errors import PaylightError
from wallet.gui.qr_view import QRView, symbol_image
from wallet.gui.workers import run_task
from wallet.payments.animated_qr import DEFAULT_FPS, DENSITIES, AnimatedEncoder, Standard


class QRFormat(enum.StrEnum):
    UR = "ur"
    BBQR = "bbqr"
    SINGLE = "single"  # one code: the PSBT's base64 (or the transaction's hex)


class FrameView(QRView):
    """A :class:`QRView` that shows pictures drawn elsewhere (the frames of an animation)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, minimum=280)
        self.placeholder = ""

    def show_frame(self, symbol, image: QImage | None, text: str = "") -> None:
        self._symbol, self._image, self._text = symbol, image, text
        self.update()

    def paintEvent(self, event) -> None:
        if self._image is None:
            painter = QPainter(self)
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            return
        super().paintEvent(event)


class _Relay(QObject):
    """Carries frames from the pool thread to the view (queued onto the UI thread)."""

    planned = Signal(int, object, int)  # generation, list[str] frame texts, parts
    rendered = Signal(int, int, object, object)  # generation, index, QRSymbol, QImage
    failed = Signal(int, str)


def _frame_texts(data: bytes, kind: str, fmt: QRFormat, density: str) -> tuple[list[str], int]:
    """The frames to show in a loop, and how many distinct parts the file was split into."""
    if fmt is QRFormat.SINGLE:
        return [data.hex() if kind == "transaction" else base64.b64encode(data).decode()], 1
    if fmt is QRFormat.UR and kind != "psbt":
        raise PaylightError(
            QCoreApplication.translate(
                "AnimatedQRView", "BC-UR has no type for a finished transaction; choose BBQr."
            )
        )
    standard = Standard.UR if fmt is QRFormat.UR else Standard.BBQR
    encoder = AnimatedEncoder(data, standard, kind=kind, density=density)
    return encoder.frames(), encoder.cycle


class AnimatedQRView(QWidget):
    """The frames of one payload, with format, density and frame-rate controls."""

    #: the frames of the current settings are all drawn (tests wait for it)
    frames_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("animated-qr")
        self._data = b""
        self._kind = "psbt"
        self._generation = 0
        #: the generation being drawn, read by the pool thread (a list: no reference to self)
        self._wanted = [0]
        #: the texts of the current animation, in the order shown
        self.frames: list[str] = []
        #: how many distinct parts the payload was split into (UR shows mixes of them after)
        self.parts = 0
        self._symbols: list = []
        self._images: list[QImage | None] = []
        self._drawn = 0
        self._shown = -1
        self._relay = _Relay()
        self._relay.planned.connect(self._planned)
        self._relay.rendered.connect(self._rendered)
        self._relay.failed.connect(self._failed)

        self.view = FrameView()
        self.format = QComboBox()
        self.format.addItem(self.tr("Animated BC-UR (crypto-psbt)"), QRFormat.UR)
        self.format.addItem(self.tr("Animated BBQr"), QRFormat.BBQR)
        self.format.addItem(self.tr("One QR code (when it fits)"), QRFormat.SINGLE)
        self.format.setToolTip(
            self.tr(
                "Most signers (Keystone, Passport, SeedSigner, Jade, Krux) read BC-UR; "
                "Coldcard Q reads BBQr. Both read a single code of a small PSBT."
            )
        )
        self.density = QComboBox()
        for name, label in (
            ("low", self.tr("Low (small codes, more frames)")),
            ("medium", self.tr("Medium")),
            ("high", self.tr("High")),
            ("max", self.tr("Maximum (large codes, few frames)")),
        ):
            self.density.addItem(label, name)
        self.density.setCurrentIndex(1)
        self.fps = QDoubleSpinBox()
        self.fps.setRange(1.0, 15.0)
        self.fps.setDecimals(0)
        self.fps.setSingleStep(1.0)
        self.fps.setValue(DEFAULT_FPS)
        self.fps.setSuffix(self.tr(" frames/s"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.format.currentIndexChanged.connect(self._replan)
        self.density.currentIndexChanged.connect(self._replan)
        self.fps.valueChanged.connect(self._set_interval)
        self._set_interval()

        controls = QHBoxLayout()
        controls.addWidget(self.format, 2)
        controls.addWidget(QLabel(self.tr("Density:")))
        controls.addWidget(self.density, 1)
        controls.addWidget(QLabel(self.tr("Speed:")))
        controls.addWidget(self.fps)
        controls.addWidget(self.pause_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    # -- what is shown -----------------------------------------------------------------------

    def set_payload(self, data: bytes, kind: str = "psbt") -> None:
        """Show ``data`` (a PSBT's bytes, or a transaction's with ``kind="transaction"``)."""
        self._data, self._kind = data, kind
        bbqr = self.format.findData(QRFormat.BBQR)
        if kind != "psbt" and self.format.currentData() is QRFormat.UR:
            self.format.setCurrentIndex(bbqr)  # replans
            return
        self._replan()

    @property
    def current_format(self) -> QRFormat:
        return QRFormat(self.format.currentData())

    @property
    def ready(self) -> bool:
        return bool(self.frames) and self._drawn == len(self.frames)

    @property
    def shown_index(self) -> int:
        return self._shown

    def current_text(self) -> str:
        return self.frames[self._shown] if 0 <= self._shown < len(self.frames) else ""

    def _set_interval(self) -> None:
        self.timer.setInterval(round(1000 / max(1.0, self.fps.value())))
        if self.ready:
            self._describe()

    def _pause(self, paused: bool) -> None:
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.timer.stop()
        elif len(self.frames) > 1:
            self.timer.start()

    def stop(self) -> None:
        """Stop the animation and drop frames being drawn (the dialog closes)."""
        self._generation += 1
        self._wanted[0] = self._generation
        self.timer.stop()

    # -- frames are made on the pool ---------------------------------------------------------

    def _replan(self) -> None:
        animated = self.current_format is not QRFormat.SINGLE
        for widget in (self.density, self.fps, self.pause_button):
            widget.setEnabled(animated)
        self._generation += 1
        generation = self._generation
        self._wanted[0] = generation
        self.timer.stop()
        self.frames, self._symbols, self._images = [], [], []
        self._drawn, self._shown = 0, -1
        self.view.show_frame(None, None)
        if not self._data:
            self.view.placeholder = self.tr("Nothing to show yet")
            self.status.clear()
            return
        self.view.placeholder = self.tr("Drawing the QR codes…")
        self.status.setText(self.tr("Drawing the QR codes…"))
        data, kind, fmt = self._data, self._kind, self.current_format
        density = str(self.density.currentData())
        relay, wanted = self._relay, self._wanted

        def work() -> None:
            from wallet.payments.qr_render import make_qr

            try:
                texts, parts = _frame_texts(data, kind, fmt, density)
            except (PaylightError, ValueError) as exc:
                relay.failed.emit(generation, str(exc))
                return
            relay.planned.emit(generation, texts, parts)
            for index, text in enumerate(texts):
                if wanted[0] != generation:
                    return  # the settings changed: these frames will not be shown
                try:
                    symbol = make_qr(text, ec="L" if fmt is not QRFormat.SINGLE else None)
                except PaylightError as exc:
                    relay.failed.emit(generation, str(exc))
                    return
                relay.rendered.emit(generation, index, symbol, symbol_image(symbol))

        run_task(work)

    def _live(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    def _planned(self, generation: int, texts: list[str], parts: int) -> None:
        if not self._live(generation):
            return
        self.frames = list(texts)
        self.parts = parts
        self._symbols = [None] * len(texts)
        self._images = [None] * len(texts)

    def _rendered(self, generation: int, index: int, symbol, image: QImage) -> None:
        if not self._live(generation) or index >= len(self._images):
            return
        self._symbols[index], self._images[index] = symbol, image
        self._drawn += 1
        if self._shown < 0:
            self._show(0)
            if len(self.frames) > 1 and not self.pause_button.isChecked():
                self.timer.start()
        if self.ready:
            self._describe()
            self.frames_ready.emit()
        elif self._drawn % 8 == 0:
            self._describe()

    def _failed(self, generation: int, why: str) -> None:
        if not self._live(generation):
            return
        self.frames, self._symbols, self._images = [], [], []  # nothing of it can be shown
        self.timer.stop()
        too_big = self.current_format is QRFormat.SINGLE
        hint = self.tr(" Choose an animated code.") if too_big else ""
        self.view.placeholder = why + hint
        self.view.update()
        self.status.setText(why + hint)

    # -- the animation -----------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.frames:
            return
        following = (self._shown + 1) % len(self.frames)
        if self._images[following] is None:
            return  # not drawn yet: keep this one up a little longer
        self._show(following)

    def _show(self, index: int) -> None:
        self._shown = index
        self.view.show_frame(self._symbols[index], self._images[index], self.frames[index])

    def _describe(self) -> None:
        count = len(self.frames)
        fmt = self.current_format
        if fmt is QRFormat.SINGLE:
            symbol = self._symbols[0]
            text = self.tr("One QR code of {chars} characters (version {version}).").format(
                chars=f"{len(self.frames[0]):,}", version=symbol.version
            )
            if symbol.version > 25:
                text += " " + self.tr("A code this dense is hard to scan: try an animated one.")
        elif fmt is QRFormat.UR:
            text = self.tr(
                "BC-UR: {parts} parts of up to {bytes} bytes at {fps} frames per second, then "
                "mixes of them, so a camera that missed a few still finishes. Hold the "
                "signer's camera on it until it says it is done."
            ).format(parts=self.parts, bytes=self._bytes(), fps=self._fps())
        else:
            text = self.tr(
                "BBQr: {parts} parts of up to {bytes} bytes at {fps} frames per second, over "
                "and over. Hold the signer's camera on it until it says it is done."
            ).format(parts=self.parts, bytes=self._bytes(), fps=self._fps())
        if self._drawn < count:
            text += " " + self.tr("Drawing {done} of {count}…").format(
                done=self._drawn, count=count
            )
        self.status.setText(text)

    def _bytes(self) -> int:
        return DENSITIES.get(str(self.density.currentData()), 0)

    def _fps(self) -> str:
        return f"{self.fps.value():.0f}"

    def hideEvent(self, event) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if len(self.frames) > 1 and self._shown >= 0 and not self.pause_button.isChecked():
            self.timer.start()
