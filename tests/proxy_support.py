"""A real SOCKS5 proxy for tests (no tests here): ``pproxy`` in its own process on loopback,
logging every connection it makes (used by tests/test_proxy.py and tests/test_gui_connection.py).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SocksProxy:
    """``pproxy`` in its own process, logging every connection it makes."""

    def __init__(self, log: Path, auth: str | None = None) -> None:
        pytest.importorskip("pproxy", reason="pproxy (test dependency) is not installed")
        self.port = _free_port()
        self.log = log
        listen = f"socks5://127.0.0.1:{self.port}" + (f"#{auth}" if auth else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pproxy", "-l", listen, "-v"],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("pproxy did not start")

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
