"""Run slow work (scrypt, file I/O, network) on Qt's thread pool and get the result back.

The UI thread must never wait: a task's result or error arrives as a queued signal on the
receiver's thread. Only :class:`PaylightError` messages are shown to people as they are; any
other exception becomes a generic sentence (and is logged), never a traceback in a dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from wallet.errors import PaylightError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """One call of ``fn(*args)`` on the pool; connect to ``relay.done`` / ``relay.failed``."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.args = args
        self.relay = _Relay()

    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except BaseException as exc:
            log.debug("task %s failed", getattr(self.fn, "__name__", self.fn), exc_info=True)
            self.relay.failed.emit(exc)
            return
        self.relay.done.emit(result)


_RUNNING: set[Task] = set()


def error_text(exc: BaseException) -> str:
    """The sentence to show for an exception raised by a task."""
    if isinstance(exc, PaylightError):
        return str(exc)
    log.error("unexpected error in a background task", exc_info=exc)
    return QCoreApplication.translate(
        "Workers", "Something went wrong ({kind}); the details are in the log."
    ).format(kind=type(exc).__name__)


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``fn(*args)`` off the UI thread; the callbacks run on the calling (UI) thread."""
    task = Task(fn, *args)
    _RUNNING.add(task)

    def finished(_value: object) -> None:
        _RUNNING.discard(task)

    task.relay.done.connect(finished)
    task.relay.failed.connect(finished)
    if on_done is not None:
        task.relay.done.connect(on_done)
    if on_error is not None:
        task.relay.failed.connect(on_error)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def wait_for_tasks(msecs: int = 10_000) -> bool:
    """Wait for every pool task to end (used at exit so no task outlives its wallet)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
