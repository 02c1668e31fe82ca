"""Python's cyclic garbage collector, run on the UI thread only.

Why: the collector runs on whichever thread happens to allocate when a generation fills up. In
this app that is often the sync engine's thread or the snapshot reader's. A Qt object caught in a
reference cycle (a widget whose slot closes over itself, a model held by a lambda) is then
deleted on that thread, and Qt aborts the process (a QObject must die on the thread it lives
on). So automatic collection is switched off while the app runs, and a timer on the UI thread
collects whenever Python's own thresholds say it would have. Reference counting, which frees
almost everything, is untouched; only cycles wait, for at most :data:`INTERVAL_MS`.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the UI thread checks whether a collection is due.
INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """Runs the garbage collector's generations on this (the UI) thread when they are due."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold, as the automatic
        collector would; the number of unreachable objects found."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Hand collection back to Python (after one last collection here)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()


_installed: MainThreadCollector | None = None


def install(app: QObject) -> MainThreadCollector:
    """The app's collector (made once, owned by ``app``)."""
    global _installed
    if _installed is None:
        _installed = MainThreadCollector(app)
    return _installed
