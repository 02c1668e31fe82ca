"""Subcommands of ``paylight``; each module defines ``register(subparsers, common)``.

Modules import heavy dependencies inside their handlers so ``paylight --version`` stays fast.
"""

import json
import sys
from typing import Any


def emit(args: Any, data: Any, text: str) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else the human ``text``."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        print(text)
