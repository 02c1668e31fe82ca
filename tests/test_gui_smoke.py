"""The PySide6 pinned for this Python does not abort on void calls, and a window shows offscreen.

packaging/pyversions-smoke.sh runs this file on every Python but the one CI runs the suite on.
"""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6


def test_pyside6_is_in_the_range_pinned_for_this_python():
    """pyproject.toml pins PySide6 per Python version: 6.12 on 3.11 aborts (below); from 3.12,
    where None is immortal, the same dropped reference is harmless."""
    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), "PySide6 6.12 aborts on void method calls on 3.11"
    assert (6, 8) <= (major, minor) < (6, 13), PySide6.__version__


def test_void_method_calls_do_not_abort():
    # 6.12.0 dropped a reference to None on every void call; thousands of calls then abort.
    code = (
        "from PySide6.QtCore import QCoreApplication, QObject, QTimer\n"
        "app = QCoreApplication([])\n"
        "t = QTimer(); o = QObject()\n"
        "for i in range(200000):\n"
        "    t.setInterval(i % 1000); o.setObjectName('x')\n"
        "print('survived')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "survived" in out.stdout


def test_main_window_shows_offscreen(qtbot):
    from wallet.gui.app import build_main_window

    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert window.windowTitle().startswith("Paylight")
