"""Frames from a source's sink → a decoding thread → results on the UI thread.

The UI thread only counts each frame and hands it over (a shared reference, no copy); all
pixel work — luma extraction and zxing-cpp, which releases the GIL — runs on one worker thread.
A frame that arrives while the worker is busy is dropped, so decoding never falls behind the
camera and the UI never waits for it.

An animated code (BC-UR or BBQr) is collected on the same worker thread: after
:meth:`ScanPipeline.collect`, every code text the worker reads goes straight into an
:class:`~wallet.payments.animated_qr.AnimatedCollector` there (fountain decoding, zlib, CBOR),
and the UI thread only receives ``progress`` and, once, ``completed``.
"""

from __future__ import annotations

import collections
import logging
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtMultimedia import QVideoFrame

from wallet.gui.scanner.images import video_frame_to_gray
from wallet.gui.scanner.sources import FrameSource
from wallet.payments.animated_qr import AnimatedCollector
from wallet.payments.qr_decode import CAMERA_SCHEDULE, FrameDecoder, Pass

log = logging.getLogger(__name__)


class DecodeWorker(QObject):
    """Lives on the decoding thread; one frame at a time."""

    done = Signal(object, float)  # list[DecodedQR], milliseconds spent
    collected = Signal(object, object)  # Progress, CollectedCode or None

    def __init__(self, schedule: tuple[Pass, ...] = CAMERA_SCHEDULE) -> None:
        super().__init__()
        self._decoder = FrameDecoder(schedule)
        self._collector: AnimatedCollector | None = None

    @Slot(object)
    def set_collector(self, collector: AnimatedCollector | None) -> None:
        """From now on (in frame order) feed codes to ``collector``; owned by this thread."""
        self._collector = collector

    def _collect(self, found: list) -> None:
        collector = self._collector
        if collector is None or not found:
            return
        moved = False
        for result in found:
            moved = collector.feed(result.text) or moved
        if moved:
            self.collected.emit(collector.progress, collector.result)

    @Slot(object)
    def process(self, frame: QVideoFrame) -> None:
        started = time.perf_counter()
        try:
            gray = video_frame_to_gray(frame)
            found = self._decoder.decode(gray) if gray.size else []
            self._collect(found)
        except Exception:  # one bad frame must never stop the scanner
            log.exception("decoding a video frame failed")
            found = []
        self.done.emit(found, (time.perf_counter() - started) * 1000)


class ScanPipeline(QObject):
    """Connects a :class:`FrameSource` to a :class:`DecodeWorker` on its own thread."""

    decoded = Signal(object)  # a non-empty list[DecodedQR] found in one frame
    progress = Signal(object)  # Progress of the animated code being collected
    completed = Signal(object)  # CollectedCode, once per collect()
    _submit = Signal(object)
    _hand_over = Signal(object)

    def __init__(self, source: FrameSource | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.frames_seen = 0
        self.frames_dropped = 0
        self.frames_decoded = 0
        self.decode_ms: collections.deque[float] = collections.deque(maxlen=300)
        self._busy = False
        self._source: FrameSource | None = None
        self._thread = QThread()
        self._thread.setObjectName("qr-decoder")
        self._worker = DecodeWorker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.process)
        self._hand_over.connect(self._worker.set_collector)
        self._worker.done.connect(self._on_done)
        self._worker.collected.connect(self._on_collected)
        self._collecting = False
        self._thread.start()
        if source is not None:
            self.set_source(source)

    @property
    def source(self) -> FrameSource | None:
        return self._source

    def set_source(self, source: FrameSource | None) -> None:
        if self._source is not None:
            self._source.stop()
            self._source.sink.videoFrameChanged.disconnect(self._on_frame)
        self._source = source
        if source is not None:
            source.sink.videoFrameChanged.connect(self._on_frame)

    def start(self) -> None:
        if self._source is not None:
            self._source.start()

    def stop(self) -> None:
        if self._source is not None:
            self._source.stop()

    def close(self) -> None:
        """Stop the source and the decoding thread (waits for the frame in hand)."""
        self.set_source(None)
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def collecting(self) -> bool:
        return self._collecting

    def collect(self) -> None:
        """Start collecting an animated code (a fresh collector on the decoding thread)."""
        self._collecting = True
        self._hand_over.emit(AnimatedCollector())

    def stop_collecting(self) -> None:
        self._collecting = False
        self._hand_over.emit(None)

    def _on_collected(self, progress: object, result: object) -> None:
        if not self._collecting:
            return  # a frame decoded before stop_collecting reached the worker
        self.progress.emit(progress)
        if result is not None:
            self.stop_collecting()
            self.completed.emit(result)

    def _on_frame(self, frame: QVideoFrame) -> None:
        self.frames_seen += 1
        if self._busy or not frame.isValid():
            self.frames_dropped += 1
            return
        self._busy = True
        self._submit.emit(QVideoFrame(frame))

    def _on_done(self, found: list, ms: float) -> None:
        self._busy = False
        self.frames_decoded += 1
        self.decode_ms.append(ms)
        if found:
            self.decoded.emit(found)
