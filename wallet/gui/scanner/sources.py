"""Frame sources: a camera or a video file, both delivering into a QVideoSink.

The camera and the file share one path (``QVideoSink.videoFrameChanged``), so the whole
pipeline and the widget are tested with a generated video where no camera exists.

Camera plumbing is where desktop scanners usually fail, so this module:
- lists cameras by name and remembers the user's choice (by id, then by name, since ids of USB
  cameras can change between boots) through a small settings hook;
- picks a capture format from a resolution ladder (720p first: enough pixels per module for a
  code at arm's length, about 1 ms per frame to decode; 1080p and up cost 2-4x per frame and
  often drop to a few frames per second) and steps down the ladder when a format fails or
  delivers no picture (virtual cameras and some USB cameras accept formats they cannot give);
- turns every failure into a sentence saying what to do (no camera, permission, camera busy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, QTimer, QUrl, Signal
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QMediaPlayer,
    QVideoFrameFormat,
    QVideoSink,
)

#: Capture sizes in order of preference.
RESOLUTION_LADDER: tuple[tuple[int, int], ...] = (
    (1280, 720),
    (1920, 1080),
    (960, 540),
    (1024, 768),
    (800, 600),
    (640, 480),
    (640, 360),
)
MIN_FPS = 15.0
#: How long a started camera may stay without a picture before the next format is tried.
NO_PICTURE_TIMEOUT_MS = 4000
#: Formats tried before giving up (the best few of the ladder; each may take the timeout).
MAX_FORMAT_TRIES = 4

#: shown translated (context ScannerWidget) where they are shown
NO_CAMERA = QT_TRANSLATE_NOOP(
    "ScannerWidget",
    "No camera was found. Connect a camera and press Refresh, or scan from an image file, "
    "the clipboard or the screen instead.",
)
PERMISSION_DENIED = QT_TRANSLATE_NOOP(
    "ScannerWidget",
    "Paylight is not allowed to use the camera. Allow camera access for Paylight in your "
    "system's privacy settings, then try again.",
)


class FrameSource(QObject):
    """Something that puts video frames into :attr:`sink` between ``start()`` and ``stop()``."""

    started = Signal()
    stopped = Signal()
    finished = Signal()  # a video file reached its end
    failed = Signal(str)  # a sentence for the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink = QVideoSink(self)

    @property
    def sink(self) -> QVideoSink:
        return self._sink

    def description(self) -> str:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class VideoFileSource(FrameSource):
    """Plays a video file into the sink (QMediaPlayer), for tests and for scanning recordings."""

    def __init__(self, path: str | Path, *, loop: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.loop = loop
        self._player = QMediaPlayer(self)
        self._player.setVideoSink(self.sink)
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.playbackStateChanged.connect(self._on_state)

    def description(self) -> str:
        return self.path.name

    def start(self) -> None:
        if not self.path.is_file():
            self.failed.emit(self.tr("There is no video file {path}.").format(path=self.path))
            return
        self._player.setSource(QUrl.fromLocalFile(str(self.path.resolve())))
        self._player.play()

    def stop(self) -> None:
        self._player.stop()

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        why = message or self.tr("unknown error")
        self.failed.emit(
            self.tr("Could not play {file}: {reason}.").format(file=self.path.name, reason=why)
        )

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if state == QMediaPlayer.PlaybackState.PlayingState:
            self.started.emit()
        elif state == QMediaPlayer.PlaybackState.StoppedState:
            self.stopped.emit()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            if self.loop:
                self._player.setPosition(0)
                self._player.play()
            else:
                self.finished.emit()


# --- choosing a camera and a format (plain data, so it is tested without a camera) ---


@dataclass(frozen=True)
class CameraInfo:
    id: str
    name: str
    is_default: bool = False


@dataclass(frozen=True)
class FormatInfo:
    width: int
    height: int
    max_fps: float
    pixel_format: str  # QVideoFrameFormat.PixelFormat name, e.g. "Format_NV12", "Format_Jpeg"


def choose_camera(cameras: Sequence[CameraInfo], remembered: str | None) -> int | None:
    """Index of the camera to use: the remembered one (by id, then name), else the default."""
    if not cameras:
        return None
    if remembered:
        for i, cam in enumerate(cameras):
            if cam.id == remembered:
                return i
        for i, cam in enumerate(cameras):
            if cam.name == remembered:
                return i
    for i, cam in enumerate(cameras):
        if cam.is_default:
            return i
    return 0


def rank_formats(
    formats: Sequence[FormatInfo], ladder: Sequence[tuple[int, int]] = RESOLUTION_LADDER
) -> list[int]:
    """Indexes of ``formats`` to try, best first: ladder order, then smooth frame rates, then
    uncompressed YUV (luma is read directly) over MJPEG (decoded on the CPU first)."""

    def key(i: int) -> tuple:
        f = formats[i]
        size = (f.width, f.height)
        rung = ladder.index(size) if size in ladder else len(ladder) + abs(f.height - 720) / 1e4
        return (rung, f.max_fps < MIN_FPS, "Jpeg" in f.pixel_format, -f.max_fps)

    usable = [i for i, f in enumerate(formats) if f.width >= 320 and f.height >= 240]
    return sorted(usable, key=key)


def camera_info(device: QCameraDevice) -> CameraInfo:
    ident = bytes(device.id().data()).decode("utf-8", "replace")
    return CameraInfo(ident, device.description(), device.isDefault())


def list_cameras() -> list[QCameraDevice]:
    """The cameras the system offers now (USB cameras come and go)."""
    return list(QMediaDevices.videoInputs())


class CameraChoice:
    """Where the chosen camera is remembered: two callables, or a QSettings key."""

    def __init__(
        self,
        load: Callable[[], str | None] | None = None,
        save: Callable[[str], None] | None = None,
    ) -> None:
        self._load = load or (lambda: None)
        self._save = save or (lambda _value: None)

    @classmethod
    def qsettings(cls, key: str = "scanner/camera", settings: QSettings | None = None):
        store = settings if settings is not None else QSettings()

        def load() -> str | None:
            value = store.value(key)
            return str(value) if value else None

        def save(value: str) -> None:
            store.setValue(key, value)
            store.sync()

        return cls(load, save)

    def load(self) -> str | None:
        return self._load()

    def save(self, value: str) -> None:
        self._save(value)


class CameraSource(FrameSource):
    """A camera (QCamera → QMediaCaptureSession → the sink), walking down the format ladder."""

    def __init__(
        self,
        device: QCameraDevice | None = None,
        *,
        ladder: Sequence[tuple[int, int]] = RESOLUTION_LADDER,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.device = device if device is not None else QMediaDevices.defaultVideoInput()
        self.ladder = tuple(ladder)
        self._session = QMediaCaptureSession(self)
        self._session.setVideoSink(self.sink)
        self._camera: QCamera | None = None
        self._formats: list = []
        self._next_format = 0
        self._had_picture = False
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._no_picture)
        self.sink.videoFrameChanged.connect(self._on_first_frame)

    def description(self) -> str:
        return self.device.description() if not self.device.isNull() else "no camera"

    def current_format(self) -> FormatInfo | None:
        if self._camera is None:
            return None
        return _format_info(self._camera.cameraFormat())

    def start(self) -> None:
        if self.device.isNull():
            self.failed.emit(NO_CAMERA)
            return
        self._with_permission(self._open)

    def _with_permission(self, go: Callable[[], None]) -> None:
        """Run ``go`` once the OS lets us use the camera (macOS asks the user; Linux does not)."""
        try:
            from PySide6.QtCore import QCameraPermission, QCoreApplication, Qt
        except ImportError:  # Qt < 6.5: no permission API, nothing to ask
            go()
            return
        app = QCoreApplication.instance()
        status = app.checkPermission(QCameraPermission()) if app else Qt.PermissionStatus.Granted
        if status == Qt.PermissionStatus.Granted:
            go()
            return
        if status == Qt.PermissionStatus.Denied:
            self.failed.emit(PERMISSION_DENIED)
            return

        def answered(permission) -> None:
            if app.checkPermission(permission) == Qt.PermissionStatus.Granted:
                go()
            else:
                self.failed.emit(PERMISSION_DENIED)

        app.requestPermission(QCameraPermission(), self, answered)

    def _open(self) -> None:
        self.stop()
        self._camera = QCamera(self.device, self)
        self._camera.errorOccurred.connect(self._on_error)
        self._camera.activeChanged.connect(self._on_active)
        self._session.setCamera(self._camera)
        formats = list(self.device.videoFormats())
        order = rank_formats([_format_info(f) for f in formats], self.ladder)
        self._formats = [formats[i] for i in order[:MAX_FORMAT_TRIES]]
        self._next_format = 0
        self._try_next_format()

    def _try_next_format(self) -> bool:
        assert self._camera is not None
        self._had_picture = False
        if self._formats:
            if self._next_format >= len(self._formats):
                return False
            self._camera.setCameraFormat(self._formats[self._next_format])
            self._next_format += 1
        elif self._next_format > 0:
            return False  # no format list and the camera's own default failed
        else:
            self._next_format = 1
        self._camera.start()
        self._watchdog.start(NO_PICTURE_TIMEOUT_MS)
        return True

    def stop(self) -> None:
        self._watchdog.stop()
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)
            self._camera.deleteLater()
            self._camera = None
            self.stopped.emit()

    def _on_active(self, active: bool) -> None:
        if active:
            self.started.emit()

    def _on_first_frame(self, _frame) -> None:
        if not self._had_picture and self._camera is not None:
            self._had_picture = True
            self._watchdog.stop()

    def _step_down(self, why: str) -> None:
        if self._camera is None:
            return
        self._camera.stop()
        if not self._try_next_format():
            name = self.description()
            self.stop()
            self.failed.emit(
                why.format(camera=name)
                + " "
                + self.tr(
                    "It may be in use by another application: close it, or choose another camera."
                )
            )

    def _no_picture(self) -> None:
        self._step_down(self.tr("The camera “{camera}” gives no picture."))

    def _on_error(self, _error: QCamera.Error, message: str) -> None:
        reason = message or self.tr("unknown error")
        self._step_down(
            self.tr("The camera “{camera}” could not be started ({reason}).").replace(
                "{reason}", reason
            )
        )


def _format_info(fmt) -> FormatInfo:
    size = fmt.resolution()
    pixel = QVideoFrameFormat.PixelFormat(fmt.pixelFormat()).name
    return FormatInfo(size.width(), size.height(), float(fmt.maxFrameRate()), pixel)
