"""How responsive the UI thread is: a timer that should fire every few milliseconds, and the
longest it had to wait. A gap well above the interval means the event loop was blocked.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer


class Heartbeat(QObject):
    """Records the longest gap between ticks of a precise ``interval_ms`` timer."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.max_gap_ms = 0.0
        self.ticks = 0
        self.gaps: list[float] = []
        self._last = 0

    def start(self) -> None:
        self.max_gap_ms = 0.0
        self.ticks = 0
        self.gaps = []
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        gap = (now - self._last) / 1e6
        self._last = now
        self.ticks += 1
        self.gaps.append(gap)
        if gap > self.max_gap_ms:
            self.max_gap_ms = gap

    def stop(self) -> float:
        """Stop; the longest gap seen, in milliseconds."""
        self.timer.stop()
        self._tick()
        return self.max_gap_ms

    def percentile(self, q: float) -> float:
        if not self.gaps:
            return 0.0
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
