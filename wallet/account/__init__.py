"""The account layer's storage: encrypted keystore, wallet database, wallet folders.

* ``keystore.py`` — the seed or xprv sealed with scrypt + ChaCha20-Poly1305.
* ``database.py`` — SQLite (WAL): addresses, transactions with their trust state and Merkle
  proofs, wallet outputs and spends, labels, payment requests, servers, settings.
* ``wallet_file.py`` — one wallet's folder, its configuration and its process lock.
* ``paths.py`` — the platform data directory, or ``$PAYLIGHT_HOME``.
* ``atomic.py`` — crash-safe file replacement, for every small state file in the project.

What chain sources find is written by ``update.py`` (:func:`~wallet.account.update.apply_update`,
the one place for every source); ``session.py`` opens a wallet the way every front end does.
"""

from wallet.account.errors import (
    AccountError,
    KeystoreCorruptError,
    KeystoreError,
    WalletDatabaseError,
    WalletExistsError,
    WalletFileError,
    WalletLockedError,
    WrongPasswordError,
)

__all__ = [
    "AccountError",
    "KeystoreCorruptError",
    "KeystoreError",
    "WalletDatabaseError",
    "WalletExistsError",
    "WalletFileError",
    "WalletLockedError",
    "WrongPasswordError",
]
