"""The Qt scanner: a generated video through the real pipeline and widget, offscreen.

There is no camera here (nor in CI), so a video is recorded at test time with Qt's own
recorder (QVideoFrameInput → QMediaRecorder, MPEG-4) and played back by the file source through
the same QVideoSink path a camera uses. Also: dropping frames while busy, UI responsiveness,
clipboard, screen, frame formats, camera choice and the no-camera message.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEventLoop, QMimeData, QSettings, QSize, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtMultimedia import (
    QCameraDevice,
    QMediaCaptureSession,
    QMediaFormat,
    QMediaRecorder,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoFrameInput,
)
from PySide6.QtWidgets import QApplication, QLabel

from wallet.gui.scanner.images import decode_qimage, decode_screen, video_frame_to_gray
from wallet.gui.scanner.pipeline import ScanPipeline
from wallet.gui.scanner.sources import (
    NO_CAMERA,
    CameraChoice,
    CameraInfo,
    CameraSource,
    FormatInfo,
    VideoFileSource,
    choose_camera,
    list_cameras,
    rank_formats,
)
from wallet.gui.scanner.widget import ScannerWidget
from wallet.payments.qr_payload import qr_text
from wallet.payments.qr_render import make_qr

pytestmark = pytest.mark.gui

URI = "bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.00125&label=Market%20stall"
W, H, FPS = 1280, 720, 15


def _gray_qimage(gray: np.ndarray) -> QImage:
    h, w = gray.shape
    return QImage(np.ascontiguousarray(gray).data, w, h, w, QImage.Format.Format_Grayscale8).copy()


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
        frame = QVideoFrame(_gray_qimage(noisy).convertToFormat(QImage.Format.Format_RGBA8888))
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


@pytest.fixture(scope="module")
def qr_video(tmp_path_factory, qapp) -> Path:
    return record_video(tmp_path_factory.mktemp("video") / "qr.mp4", URI)


@pytest.fixture
def pipeline(qapp):
    pipe = ScanPipeline()
    yield pipe
    pipe.close()


def test_video_file_through_the_pipeline_delivers_the_uri(qtbot, qr_video, pipeline):
    source = VideoFileSource(qr_video)
    pipeline.set_source(source)
    texts: list[str] = []
    pipeline.decoded.connect(lambda found: texts.extend(r.text for r in found))
    with qtbot.waitSignal(source.finished, timeout=30_000):
        pipeline.start()
    qtbot.waitUntil(lambda: not pipeline.busy, timeout=5_000)
    assert texts and set(texts) == {qr_text(URI)}
    assert pipeline.frames_seen >= 50  # 60 frames were recorded
    assert pipeline.frames_seen == pipeline.frames_decoded + pipeline.frames_dropped
    assert len(texts) >= 10  # read on many of the 52 frames that show the code


def test_frames_arriving_while_busy_are_dropped(qtbot, pipeline):
    """A burst of frames into the sink: one goes to the worker, the rest are dropped."""
    source = VideoFileSource("unused.mp4")
    pipeline.set_source(source)
    picture = _gray_qimage(make_qr(URI).to_array(8))
    frames = [QVideoFrame(picture.copy()) for _ in range(51)]  # distinct frames (equal ones
    for frame in frames[:50]:  # are not re-announced by the sink)
        source.sink.setVideoFrame(frame)  # delivered synchronously, as fast as possible
    assert (pipeline.frames_seen, pipeline.frames_dropped) == (50, 49)
    with qtbot.waitSignal(pipeline.decoded, timeout=5_000) as blocker:
        pass
    assert [r.text for r in blocker.args[0]] == [qr_text(URI)]
    qtbot.waitUntil(lambda: not pipeline.busy, timeout=5_000)
    source.sink.setVideoFrame(frames[50])
    assert pipeline.frames_dropped == 49  # not busy any more: taken
    qtbot.waitUntil(lambda: pipeline.frames_decoded == 2, timeout=5_000)


def _screenshot_dir(tmp_path: Path) -> Path:
    """Where widget screenshots go: $PAYLIGHT_SCREENSHOTS (to look at them) or the test's tmp."""
    return Path(os.environ.get("PAYLIGHT_SCREENSHOTS", tmp_path))


def test_scanner_widget_plays_video_delivers_uri_and_ui_stays_responsive(qtbot, qr_video, tmp_path):
    widget = ScannerWidget(choice=CameraChoice())
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    windows_before = set(QApplication.topLevelWidgets())

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    received: list[str] = []
    widget.decoded.connect(received.append)
    source = VideoFileSource(qr_video)
    timer.start()
    last[0] = time.perf_counter()
    with qtbot.waitSignal(source.finished, timeout=30_000):
        widget.use_source(source)
        qtbot.waitUntil(lambda: bool(received), timeout=20_000)
        shot = widget.grab()  # the preview with the found code outlined
    timer.stop()
    qtbot.waitUntil(lambda: not widget.pipeline.busy, timeout=5_000)

    assert received == [qr_text(URI)]  # once, though many frames show it
    assert widget.pipeline.frames_decoded >= 20
    worst = max(gaps[1:])
    print(f"event-loop gaps: max {worst:.1f} ms, median {np.median(gaps):.1f} ms, n={len(gaps)}")
    # the 50 ms goal is bench/ui_latency.py's; a loaded machine's scheduler adds gaps of its own
    assert worst < 200, f"the UI thread stalled for {worst:.0f} ms"
    # the scanner only reports: no payment dialog or other window was opened
    assert set(QApplication.topLevelWidgets()) == windows_before
    assert "payment request" in widget.status.text()
    assert widget.result.text() == qr_text(URI)
    assert shot.save(str(_screenshot_dir(tmp_path) / "paylight_scanner.png"))
    widget.shutdown()


def test_clipboard_image_and_copied_file(qtbot, tmp_path):
    widget = ScannerWidget(choice=CameraChoice())
    qtbot.addWidget(widget)
    clipboard = QGuiApplication.clipboard()
    clipboard.setImage(_gray_qimage(make_qr(URI).to_array(5)))
    with qtbot.waitSignal(widget.decoded) as blocker:
        widget.paste_image()
    assert blocker.args == [qr_text(URI)]
    with qtbot.assertNotEmitted(widget.decoded):
        widget.paste_image()  # the same code again is not reported twice...
    widget.reset()
    with qtbot.waitSignal(widget.decoded):
        widget.paste_image()  # ...until a new scan starts

    other = "bitcoin:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy?amount=1"
    path = tmp_path / "copied.png"
    _gray_qimage(make_qr(other).to_array(5)).save(str(path))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    clipboard.setMimeData(mime)
    with qtbot.waitSignal(widget.decoded) as blocker:
        widget.paste_image()
    assert blocker.args == [other]

    clipboard.setText("no picture here")
    assert widget.paste_image() == []
    assert "clipboard holds no picture" in widget.status.text()
    widget.shutdown()


def test_screen_region_is_scanned(qtbot):
    label = QLabel()
    label.setPixmap(QPixmap.fromImage(_gray_qimage(make_qr(URI).to_array(4))))
    label.move(40, 60)
    label.adjustSize()
    qtbot.addWidget(label)
    with qtbot.waitExposed(label):
        label.show()
    qtbot.waitUntil(lambda: bool(decode_screen()), timeout=5_000)  # once it is painted
    assert [r.text for r in decode_screen()] == [qr_text(URI)]
    widget = ScannerWidget(choice=CameraChoice())
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.decoded) as blocker:
        widget.scan_screen()
    assert blocker.args == [qr_text(URI)]
    widget.shutdown()


def test_open_image_reports_problems_in_words(qtbot, tmp_path):
    widget = ScannerWidget(choice=CameraChoice())
    qtbot.addWidget(widget)
    assert widget.open_image(tmp_path / "none.png") == []
    assert "There is no file" in widget.status.text()
    blank = tmp_path / "blank.png"
    _gray_qimage(np.full((200, 200), 255, np.uint8)).save(str(blank))
    assert widget.open_image(blank) == []
    assert "No QR code was found in blank.png" in widget.status.text()
    widget.shutdown()


def test_video_frame_to_gray_reads_luma_of_each_layout():
    h, w = 48, 64
    luma = (np.arange(h * w, dtype=np.uint32).reshape(h, w) % 251).astype(np.uint8)
    PF = QVideoFrameFormat.PixelFormat
    for fmt in (PF.Format_NV12, PF.Format_YUV420P, PF.Format_YUYV, PF.Format_UYVY, PF.Format_P010):
        frame = QVideoFrame(QVideoFrameFormat(QSize(w, h), fmt))
        assert frame.map(QVideoFrame.MapMode.WriteOnly)
        stride = frame.bytesPerLine(0)
        plane = np.frombuffer(frame.bits(0), np.uint8, count=stride * h).reshape(h, stride)
        if fmt == PF.Format_YUYV:
            plane[:, 0 : 2 * w : 2] = luma
        elif fmt == PF.Format_UYVY:
            plane[:, 1 : 2 * w : 2] = luma
        elif fmt == PF.Format_P010:
            plane[:, 1 : 2 * w : 2] = luma  # high byte of little-endian 16-bit samples
        else:
            plane[:, :w] = luma
        frame.unmap()
        assert (video_frame_to_gray(frame) == luma).all(), fmt
    # anything else goes through QImage
    rgb = QVideoFrame(_gray_qimage(luma).convertToFormat(QImage.Format.Format_RGB32))
    assert np.abs(video_frame_to_gray(rgb).astype(int) - luma).max() <= 1
    assert video_frame_to_gray(QVideoFrame()).size == 0


def test_qimage_with_transparency_and_null_image():
    code = make_qr(URI, border=0).to_array(4)
    image = QImage(code.shape[1] + 40, code.shape[0] + 40, QImage.Format.Format_ARGB32)
    image.fill(0)  # fully transparent
    for y, x in zip(*np.nonzero(code == 0)):
        image.setPixel(int(x) + 20, int(y) + 20, 0xFF000000)
    assert [r.text for r in decode_qimage(image)] == [qr_text(URI)]
    assert decode_qimage(QImage()) == []


def test_video_file_source_failures_are_sentences(qtbot, tmp_path):
    missing = VideoFileSource(tmp_path / "gone.mp4")
    with qtbot.waitSignal(missing.failed) as blocker:
        missing.start()
    assert "There is no video file" in blocker.args[0]
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video" * 100)
    source = VideoFileSource(junk)
    with qtbot.waitSignal(source.failed, timeout=10_000) as blocker:
        source.start()
    assert blocker.args[0].startswith("Could not play junk.mp4")


def test_no_camera_is_explained(qtbot, tmp_path):
    if list_cameras():
        pytest.skip("this machine has a camera")
    widget = ScannerWidget(choice=CameraChoice())
    qtbot.addWidget(widget)
    assert not widget.cameras.isEnabled()
    assert widget.cameras.currentText() == "No camera found"
    assert widget.status.text() == NO_CAMERA
    widget.start_camera()
    assert widget.status.text() == NO_CAMERA
    source = CameraSource(QCameraDevice())
    with qtbot.waitSignal(source.failed) as blocker:
        source.start()
    assert blocker.args == [NO_CAMERA]
    granted: list[int] = []
    source._with_permission(lambda: granted.append(1))  # Linux never asks: go straight on
    assert granted == [1]
    assert widget.grab().save(str(_screenshot_dir(tmp_path) / "paylight_scanner_no_camera.png"))
    widget.shutdown()


def test_camera_choice_is_remembered_by_id_then_name(tmp_path, qapp):
    cams = [
        CameraInfo("/dev/video0", "Integrated Camera", is_default=True),
        CameraInfo("/dev/video2", "OBS Virtual Camera"),
        CameraInfo("/dev/video4", "Logitech C920"),
    ]
    assert choose_camera(cams, None) == 0
    assert choose_camera(cams, "/dev/video4") == 2
    assert choose_camera(cams, "Logitech C920") == 2  # id changed after a replug
    assert choose_camera(cams, "gone") == 0
    assert choose_camera([], "x") is None
    assert choose_camera(cams[1:], None) == 0

    settings = QSettings(str(tmp_path / "paylight.ini"), QSettings.Format.IniFormat)
    choice = CameraChoice.qsettings("scanner/camera", settings)
    assert choice.load() is None
    choice.save("/dev/video4")
    reread = QSettings(str(tmp_path / "paylight.ini"), QSettings.Format.IniFormat)
    assert CameraChoice.qsettings("scanner/camera", reread).load() == "/dev/video4"
    remembered: list[str] = []
    hook = CameraChoice(load=lambda: "Logitech C920", save=remembered.append)
    assert choose_camera(cams, hook.load()) == 2
    hook.save("x")
    assert remembered == ["x"]


def test_resolution_ladder_prefers_720p_smooth_and_uncompressed():
    formats = [
        FormatInfo(1920, 1080, 5.0, "Format_YUYV"),
        FormatInfo(1920, 1080, 30.0, "Format_Jpeg"),
        FormatInfo(1280, 720, 10.0, "Format_YUYV"),
        FormatInfo(1280, 720, 30.0, "Format_Jpeg"),
        FormatInfo(1280, 720, 30.0, "Format_NV12"),
        FormatInfo(640, 480, 30.0, "Format_YUYV"),
        FormatInfo(160, 120, 30.0, "Format_YUYV"),
        FormatInfo(2592, 1944, 2.0, "Format_YUYV"),
    ]
    order = rank_formats(formats)
    assert order[:3] == [4, 3, 2]  # 720p: NV12 30 fps, then MJPEG 30 fps, then 10 fps
    assert order[3:5] == [1, 0]  # then 1080p, smooth first
    assert 6 not in order  # too small to read a code
    assert order[-1] == 7  # off the ladder: last resort
