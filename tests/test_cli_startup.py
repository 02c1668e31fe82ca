"""What starting ``paylight`` costs: ``--version`` and ``--help`` load no command's heavy modules,
one command loads only its own module, the GUI starts without numpy, and httpx finds sniffio.

Each check runs in a fresh interpreter (this one has imported everything already) and reads
``sys.modules`` at the end.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wallet.cli import COMMANDS, NETWORK_CHOICES

REPO = Path(__file__).resolve().parents[1]
#: Modules that cost tens of milliseconds or more each, none needed to print a version or help.
HEAVY = (
    "asyncio",
    "httpx",
    "numpy",
    "PySide6",
    "coincurve",
    "cryptography",
    "sqlite3",
    "PIL",
    "zxingcpp",
    "wallet.bitcoin.networks",
    "wallet.sync",
    "wallet.account",
)

CHILD = """
import contextlib, io, json, sys
from wallet.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        code = main({argv!r})
    except SystemExit as exc:
        code = exc.code
print(json.dumps({{"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}}))
"""


def loaded_by(argv: list[str]) -> tuple[str, set[str]]:
    """Run ``paylight ARGV`` in a fresh interpreter: its output and the modules it imported."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] in (0, None), report
    return report["out"], set(report["modules"])


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}


def test_version_imports_no_command_module():
    out, modules = loaded_by(["--version"])
    assert out.startswith("paylight ")
    assert not {m for m in modules if m.startswith("wallet.commands.")}
    assert not heavy(modules)


def test_help_lists_every_command_without_their_heavy_modules():
    out, modules = loaded_by(["--help"])
    for name in COMMANDS:
        assert name in out
    assert not heavy(modules), heavy(modules)


def test_one_command_loads_only_its_own_module():
    _, modules = loaded_by(["uri", "--help"])
    commands = {m for m in modules if m.startswith("wallet.commands.")}
    assert commands == {"wallet.commands.uri"}, commands
    assert not heavy(modules)


def test_network_choices_are_the_networks():
    from wallet.bitcoin.networks import NETWORK_NAMES

    assert NETWORK_CHOICES == NETWORK_NAMES


GUI_CHILD = """
import sys
from PySide6.QtWidgets import QApplication
from wallet.gui.app import PaylightApp, create_application
app = create_application(["paylight"])
paylight = PaylightApp(engine_factory=lambda wallet: None)
paylight.start()
for _ in range(20):
    app.processEvents()
shown = paylight.window is not None and paylight.window.isVisible()
print(type(paylight.window).__name__, shown, "numpy" in sys.modules)
paylight.shutdown()
"""


@pytest.mark.gui
def test_the_gui_starts_without_numpy(tmp_path, monkeypatch):
    """numpy is for QR decoding (and drawing a code); opening the last wallet's window needs
    neither."""
    from wallet.account.keystore import ScryptParams
    from wallet.account.paths import wallet_dir
    from wallet.gui.settings import AppSettings
    from wallet.gui.wallet_setup import create_wallet, seed_descriptors

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    mnemonic = "abandon " * 11 + "about"
    path = create_wallet(
        wallet_dir("Shop", "regtest"),
        "regtest",
        seed_descriptors(mnemonic, "", "regtest"),
        mnemonic=mnemonic,
        password="correct horse battery",
        kdf=ScryptParams.insecure_for_tests(),
    )
    AppSettings().set_last_wallet(path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", GUI_CHILD],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["MainWindow", "True", "False"], result.stdout


class _Asked(importlib.abc.MetaPathFinder):
    """Counts how often an import of ``name`` reaches the finders (a failed import does, every
    time; a module already imported never does)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def find_spec(self, fullname, path, target=None):
        if fullname == self.name:
            self.count += 1
        return None


def test_httpx_requests_do_not_search_for_sniffio_each_time():
    """httpcore asks sniffio for the running async library on every request; with sniffio
    missing, each ask is a failed import that walks the whole import path (about a fifth of
    an Esplora restore's CPU)."""
    import httpx

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()

    async def main() -> int:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with httpx.AsyncClient() as client:
            await client.get(f"http://127.0.0.1:{port}/")  # the first may import it
            asked = _Asked("sniffio")
            sys.meta_path.insert(0, asked)
            try:
                for _ in range(20):
                    assert (await client.get(f"http://127.0.0.1:{port}/")).text == "ok"
            finally:
                sys.meta_path.remove(asked)
        server.close()
        return asked.count

    assert asyncio.run(main()) == 0
