"""What the app imports before its window shows: not the HTTP library, not the kernel.

The UI thread used to construct the sync runner, which looked up the wallet's servers through
the whole sync layer, and ``wallet.backends`` imported every client: httpx and libbitcoinkernel
(~0.1 s each) were loaded before the window was painted (bench/startup.py: window 0.72 s
against 0.57 s before). They now load on the sync thread when first needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import wallet.gui.app, wallet.gui.engine, wallet.sync.runner, wallet.backends.servers
heavy = sorted(m for m in ("httpx", "pbk", "wallet.sync.session", "wallet.sync.history")
               if m in sys.modules)
print(",".join(heavy) or "none")
"""


def test_the_gui_and_the_runner_import_no_http_library_or_kernel():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


def test_names_of_the_backends_package_still_resolve():
    from wallet.backends import EsploraClient, ServerPool, scripthash_of
    from wallet.backends.esplora import EsploraClient as Direct

    assert EsploraClient is Direct
    assert callable(scripthash_of) and ServerPool.__name__ == "ServerPool"
