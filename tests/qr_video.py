"""Recording test videos of (animated) QR codes with Qt's own recorder, offscreen.

``record_frames`` writes an MPEG-4 clip from grayscale pictures (QVideoFrameInput ->
QMediaRecorder), the way :func:`record_video` does for one still code, so the
scanner pipeline's file source plays it through the same QVideoSink path a camera uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, QSize, QTimer, QUrl
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QMediaCaptureSession,
    QMediaFormat,
    QMediaRecorder,
    QVideoFrame,
    QVideoFrameInput,
)

from wallet.payments.qr_render import make_qr

#: the size and frame rate of the clip of one still code (:func:`record_video`)
W, H, FPS = 1280, 720, 15


def gray_qimage(gray: np.ndarray) -> QImage:
    h, w = gray.shape
    return QImage(np.ascontiguousarray(gray).data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def scenes_of_codes(
    texts: Sequence[str], size: tuple[int, int] = (800, 450), scale: int = 5, seed: int = 7
) -> list[np.ndarray]:
    """One picture per code: the code on a grey wall, drifting a little, with sensor noise."""
    width, height = size
    rng = np.random.default_rng(seed)
    pictures = []
    for i, text in enumerate(texts):
        code = make_qr(text, ec="L").to_array(scale)
        scene = np.full((height, width), 140, np.uint8)
        scene[:, : width // 5] = 90
        ch, cw = code.shape
        if ch > height or cw > width:
            raise ValueError(f"a code of {cw}x{ch} pixels does not fit a {width}x{height} frame")
        x = (width - cw) // 2 + int(rng.integers(-8, 9))
        y = (height - ch) // 2 + (i % 5)
        x, y = min(max(x, 0), width - cw), min(max(y, 0), height - ch)
        scene[y : y + ch, x : x + cw] = code
        noisy = np.clip(scene + rng.normal(0, 3, scene.shape), 0, 255).astype(np.uint8)
        pictures.append(noisy)
    return pictures


def record_frames(path: Path, pictures: Sequence[np.ndarray], fps: int = 15, hold: int = 2) -> Path:
    """An MPEG-4 clip showing each picture for ``hold`` frames at ``fps``."""
    height, width = pictures[0].shape
    frame_input = QVideoFrameInput()
    session = QMediaCaptureSession()
    session.setVideoFrameInput(frame_input)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    media = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
    media.setVideoCodec(QMediaFormat.VideoCodec.MPEG4)
    recorder.setMediaFormat(media)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    recorder.setVideoResolution(QSize(width, height))
    recorder.setVideoFrameRate(fps)
    recorder.setQuality(QMediaRecorder.Quality.VeryHighQuality)
    errors: list[str] = []
    recorder.errorOccurred.connect(lambda _e, message: errors.append(message))
    total = len(pictures) * hold
    sent = 0

    def frame(i: int) -> QVideoFrame:
        image = gray_qimage(pictures[i // hold]).convertToFormat(QImage.Format.Format_RGBA8888)
        out = QVideoFrame(image)
        out.setStartTime(i * 1_000_000 // fps)
        out.setEndTime((i + 1) * 1_000_000 // fps)
        return out

    def pump() -> None:
        nonlocal sent
        while sent < total:
            if not frame_input.sendVideoFrame(frame(sent)):
                return  # readyToSendVideoFrame calls back
            sent += 1
        if recorder.recorderState() == QMediaRecorder.RecorderState.RecordingState:
            recorder.stop()

    loop = QEventLoop()
    frame_input.readyToSendVideoFrame.connect(pump)

    def state(s: QMediaRecorder.RecorderState) -> None:
        if s == QMediaRecorder.RecorderState.RecordingState:
            pump()
        elif s == QMediaRecorder.RecorderState.StoppedState:
            loop.quit()

    recorder.recorderStateChanged.connect(state)
    QTimer.singleShot(120_000, loop.quit)
    recorder.record()
    loop.exec()
    assert not errors, errors
    assert sent == total and path.stat().st_size > 10_000
    return path


def record_video(path: Path, text: str, frames: int = 60, blank: int = 8) -> Path:
    """Record an MPEG-4 clip: ``blank`` frames of an empty scene, then a code drifting slowly."""
    code = make_qr(text).to_array(6)
    rng = np.random.default_rng(7)
    frame_input = QVideoFrameInput()
    session = QMediaCaptureSession()
    session.setVideoFrameInput(frame_input)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    media = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
    media.setVideoCodec(QMediaFormat.VideoCodec.MPEG4)
    recorder.setMediaFormat(media)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    recorder.setVideoResolution(QSize(W, H))
    recorder.setVideoFrameRate(FPS)
    recorder.setQuality(QMediaRecorder.Quality.VeryHighQuality)
    errors: list[str] = []
    recorder.errorOccurred.connect(lambda _e, message: errors.append(message))
    sent = 0

    def picture(i: int) -> QVideoFrame:
        scene = np.full((H, W), 140, np.uint8)
        scene[:, : W // 3] = 90  # a wall and a table edge
        if i >= blank:
            ch, cw = code.shape
            x, y = 300 + 5 * (i - blank), (H - ch) // 2 + (i % 7)
            scene[y : y + ch, x : x + cw] = code
        noisy = np.clip(scene + rng.normal(0, 3, scene.shape), 0, 255).astype(np.uint8)
        frame = QVideoFrame(gray_qimage(noisy).convertToFormat(QImage.Format.Format_RGBA8888))
        frame.setStartTime(i * 1_000_000 // FPS)
        frame.setEndTime((i + 1) * 1_000_000 // FPS)
        return frame

    def pump() -> None:
        nonlocal sent
        while sent < frames:
            if not frame_input.sendVideoFrame(picture(sent)):
                return  # readyToSendVideoFrame calls back
            sent += 1
        if recorder.recorderState() == QMediaRecorder.RecorderState.RecordingState:
            recorder.stop()

    loop = QEventLoop()
    frame_input.readyToSendVideoFrame.connect(pump)

    def state(s: QMediaRecorder.RecorderState) -> None:
        if s == QMediaRecorder.RecorderState.RecordingState:
            pump()
        elif s == QMediaRecorder.RecorderState.StoppedState:
            loop.quit()

    recorder.recorderStateChanged.connect(state)
    QTimer.singleShot(60_000, loop.quit)
    recorder.record()
    loop.exec()
    assert not errors, errors
    assert sent == frames and path.stat().st_size > 10_000
    return path
