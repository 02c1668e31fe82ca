"""Errors of the account layer: keystore, wallet database, wallet folders.

Each message is a sentence the CLI and GUI show as is; none of them ever contains a secret.
"""

from __future__ import annotations

from wallet.errors import PaylightError


class AccountError(PaylightError):
    """Base of every error raised by ``wallet.account``."""


class KeystoreError(AccountError):
    """The keystore cannot be used (missing, unreadable, refused input)."""


class WrongPasswordError(KeystoreError):
    """The password does not open the keystore; nothing on disk was changed."""


class KeystoreCorruptError(KeystoreError):
    """The keystore file is damaged or not a Paylight keystore; it is never overwritten."""


class WalletDatabaseError(AccountError):
    """The wallet database cannot be opened, upgraded, or refused a write."""


class WalletFileError(AccountError):
    """A wallet folder is missing, incomplete, or its configuration is damaged."""


class WalletExistsError(WalletFileError):
    """A wallet already exists where a new one was to be created."""


class WalletLockedError(WalletFileError):
    """Another process (another Paylight window) has this wallet open."""

    def __init__(self, message: str, pid: int | None) -> None:
        super().__init__(message)
        self.pid = pid
