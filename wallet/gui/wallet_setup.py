"""What the first-run wizard makes: now in :mod:`wallet.account.setup` (shared with the CLI).

Kept as a re-export so the GUI's imports keep working.
"""

from wallet.account.setup import (
    AccountDescriptors,
    ScriptChoice,
    create_wallet,
    seed_descriptors,
    store_addresses,
    watch_only_descriptors,
)

__all__ = [
    "AccountDescriptors",
    "ScriptChoice",
    "create_wallet",
    "seed_descriptors",
    "store_addresses",
    "watch_only_descriptors",
]
