"""Subcommands of ``paylight``; each module defines ``register(subparsers, common)``.

Modules import heavy dependencies inside their handlers so ``paylight --version`` stays fast.
"""

import json
import sys
from typing import Any

#: ``--network`` choices, spelled here so that parsing needs no chain parameters;
#: tests/test_cli_startup.py checks them against wallet.bitcoin.networks.NETWORK_NAMES.
NETWORK_CHOICES = ("mainnet", "testnet3", "testnet4", "signet", "regtest")


def emit(args: Any, data: Any, text: str) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else the human ``text``."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, indent=2, sort_keys=False)
        sys.stdout.write("\n")
    else:
        print(text)
