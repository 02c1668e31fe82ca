"""What the first-run wizard makes: now in :mod:`wallet.account.setup` (shared with the CLI).

Kept as a re-export so the GUI's imports keep working; and the script types as the GUI names
them, in the person's language (the command line keeps ``ScriptChoice.label``).
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from wallet.account.setup import (
    AccountDescriptors,
    ScriptChoice,
    create_wallet,
    seed_descriptors,
    store_addresses,
    watch_only_descriptors,
)

SCRIPT_LABELS = {
    ScriptChoice.P2WPKH: QT_TRANSLATE_NOOP("Wizard", "Native SegWit (P2WPKH, bc1q…) — recommended"),
    ScriptChoice.P2TR: QT_TRANSLATE_NOOP("Wizard", "Taproot (P2TR, bc1p…)"),
    ScriptChoice.P2SH_P2WPKH: QT_TRANSLATE_NOOP("Wizard", "Nested SegWit (P2SH-P2WPKH, 3…)"),
    ScriptChoice.P2PKH: QT_TRANSLATE_NOOP("Wizard", "Legacy (P2PKH, 1…)"),
}


def script_label(choice: ScriptChoice) -> str:
    text = SCRIPT_LABELS.get(choice)
    return QCoreApplication.translate("Wizard", text) if text else choice.label


__all__ = [
    "SCRIPT_LABELS",
    "AccountDescriptors",
    "ScriptChoice",
    "create_wallet",
    "script_label",
    "seed_descriptors",
    "store_addresses",
    "watch_only_descriptors",
]
