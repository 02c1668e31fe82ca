"""Load Bitcoin Core's libbitcoinkernel without holding the GIL.

py-bitcoinkernel loads the library with ``ctypes.CDLL`` when ``pbk`` is first imported, and
``CDLL`` keeps the GIL through ``dlopen`` and the library's static initialisers: about 100 ms
in which no other Python thread runs. The sync thread imports it on its first sync, so the UI
froze for that long (bench/ui_latency.py: 104 ms against a 50 ms goal). Calling the C library's
``dlopen`` through a ctypes function pointer releases the GIL for the call; ``CDLL`` then finds
the library already loaded and returns at once.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

_loaded = False


def library_path() -> Path | None:
    """Where the installed py-bitcoinkernel keeps its library, as pbk itself looks for it."""
    spec = importlib.util.find_spec("pbk")
    for base in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(base, "_libs").glob("*bitcoinkernel*"))
        if len(found) == 1:
            return found[0]
    return None


def preload() -> None:
    """Load the library with the GIL released (once; a no-op where that cannot be done, and
    pbk then loads it as usual)."""
    global _loaded
    if _loaded or sys.platform == "win32" or "pbk.capi.library" in sys.modules:
        return
    _loaded = True
    path = library_path()
    if path is None:
        return
    dlopen = ctypes.CDLL(None).dlopen  # a foreign call: ctypes releases the GIL around it
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    dlopen.restype = ctypes.c_void_p
    dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_LOCAL)  # kept loaded for the process
