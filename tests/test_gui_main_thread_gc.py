"""Garbage collection runs on the UI thread only (wallet.gui.main_thread_gc): a Qt object in a
reference cycle freed by the sync thread's allocations would abort the process."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject

from wallet.gui import main_thread_gc

pytestmark = pytest.mark.gui


class Cyclic(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a cycle: only the collector frees it


def test_the_app_turns_automatic_collection_off(qapp):
    assert main_thread_gc.install(qapp) is main_thread_gc.install(qapp)
    assert not gc.isenabled()


def test_a_cycle_is_freed_on_the_ui_thread_not_by_another_threads_allocations(qapp, qtbot):
    main_thread_gc.install(qapp)
    gc.collect()
    obj = Cyclic()
    alive = weakref.ref(obj)
    del obj
    assert alive() is not None

    kept: list = []

    def allocate() -> None:  # enough new objects to fill the youngest generation many times
        kept.extend([i] for i in range(gc.get_threshold()[0] * 20))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert alive() is not None, "the worker thread ran the collector"
    qtbot.waitUntil(lambda: alive() is None, timeout=5000)  # the app's timer, on this thread


def test_collect_due_follows_pythons_thresholds(qapp):
    collector = main_thread_gc.install(qapp)
    gc.collect()
    assert collector.collect_due() == 0  # nothing due right after a full collection
    cycles = []
    for _ in range(gc.get_threshold()[0] + 10):
        a: list = []
        a.append(a)
        cycles.append(a)
    del cycles, a
    assert collector.collect_due() >= gc.get_threshold()[0]
