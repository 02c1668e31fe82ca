"""libbitcoinkernel is loaded with the GIL released before pbk's own ``CDLL`` would hold it.

``CDLL`` held the GIL for ~100 ms while the library loaded on the sync thread's first sync, and
the UI froze for that long (bench/ui_latency.py: sync_max_gap_ms 104 against a 50 ms goal).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import sys
from wallet import kernel_library
path = kernel_library.library_path()
assert path is not None and path.exists(), path
kernel_library.preload()
assert "pbk" not in sys.modules  # loaded by the preload alone
maps = open("/proc/self/maps").read()
assert str(path) in maps, "the library is not mapped after preload()"
import wallet.sync.kernel_scripts  # pbk's CDLL finds the library loaded: the same file, once
assert sum(1 for line in open("/proc/self/maps") if "bitcoinkernel" in line.split()[-1]) >= 1
import pbk.capi.library as lib
assert lib.BITCOINKERNEL_LIB._name == str(path)
print("ok")
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_preload_maps_the_library_pbk_then_uses():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_sync_layer_loads_the_kernel_only_for_a_check():
    """Importing the sync layer (as the GUI does at start) loads neither pbk nor the library;
    the kernel's script checker preloads it before pbk's CDLL would."""
    probe = (
        "import sys; import wallet.sync.history, wallet.sync.blocks, wallet.sync.signatures; "
        "assert 'pbk' not in sys.modules, 'pbk loaded at import'; print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    source = (REPO / "wallet/sync/kernel_scripts.py").read_text()
    assert source.index("preload()") < source.index("import pbk")
