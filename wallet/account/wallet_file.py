"""One wallet on disk: a folder holding its configuration, keystore, database and lock.

Layout::

    <wallet folder>/
        wallet.json     public configuration: network, kind, descriptors, gap limit (readable
                        without a password, so sync and balance never need one)
        keystore.json   the encrypted secret (absent for a watch-only wallet; see keystore.py)
        wallet.sqlite   the database (plus SQLite's -wal and -shm files; see database.py)
        wallet.lock     held with an OS lock while a Paylight process has the wallet open

The lock is an advisory OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it is
released by the OS when the holder dies, even by SIGKILL: there are no stale locks to clean.
The file holds the holder's pid, so the second opener can say who has it.

A new wallet is built in a hidden staging folder beside its final place and renamed into place
when complete, so a crash during creation never leaves a half-made wallet under the real name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from wallet import bounded_json
from wallet.account.atomic import atomic_write, fsync_directory, remove_stale_temporaries
from wallet.account.database import WalletDatabase
from wallet.account.errors import (
    KeystoreError,
    WalletExistsError,
    WalletFileError,
    WalletLockedError,
)
from wallet.account.keystore import Keystore, KeystoreSecret, ScryptParams, SecretKind
from wallet.account.paths import ensure_private_dir
from wallet.bitcoin.networks import Network, get_network

log = logging.getLogger(__name__)

CONFIG_FILE = "wallet.json"
KEYSTORE_FILE = "keystore.json"
DATABASE_FILE = "wallet.sqlite"
LOCK_FILE = "wallet.lock"
CONFIG_FORMAT = "paylight-wallet"
CONFIG_VERSION = 1
MAX_CONFIG_SIZE = 1 << 20
DEFAULT_GAP_LIMIT = 20
#: Windows locks a byte range; lock one far past the pid so others can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 30

_BASE58 = "1-9A-HJ-NP-Za-km-z"
_PRIVATE_PATTERNS = (
    re.compile(rf"[xtyzuvXTYZUV]prv[{_BASE58}]{{100,}}"),  # extended private keys
    re.compile(rf"(?<![{_BASE58}])[5KLc9][{_BASE58}]{{50,51}}(?![{_BASE58}])"),  # WIF
)


class WalletKind(enum.StrEnum):
    MNEMONIC = "mnemonic"
    XPRV = "xprv"
    WATCH_ONLY = "watch_only"


_SECRET_FOR_KIND = {WalletKind.MNEMONIC: SecretKind.MNEMONIC, WalletKind.XPRV: SecretKind.XPRV}


def contains_private_key(descriptor: str) -> bool:
    """True if the text holds an extended private key or a WIF key (it must not be stored)."""
    return any(p.search(descriptor) for p in _PRIVATE_PATTERNS)


@dataclass(frozen=True)
class WalletConfig:
    """The public description of a wallet, stored in ``wallet.json``."""

    network: str
    kind: WalletKind
    #: Public descriptors (xpub-based, with key origins): the receive and change chains.
    receive_descriptor: str
    change_descriptor: str | None = None
    gap_limit: int = DEFAULT_GAP_LIMIT
    created_at: int = 0
    #: A height before the wallet's first transaction, if known: sync may start there.
    birth_height: int | None = None
    #: The wallet's birthday as a time (Unix seconds) when no height is known yet: a new
    #: wallet's creation, or a date given at restore; a block source finds the height.
    birth_time: int | None = None
    #: Master key fingerprint (8 hex digits): lets the app tell a mistyped BIP39 passphrase.
    master_fingerprint: str | None = None
    #: A watch-only wallet with a password: the MAC over the fields that decide its addresses
    #: (account/integrity.py). None for every other wallet, and for files of older versions.
    mac: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        from wallet.bitcoin.errors import BitcoinError

        if not isinstance(self.network, str):
            raise WalletFileError(f"The wallet's network should be a name, not {self.network!r}.")
        try:
            object.__setattr__(self, "network", get_network(self.network).name)
        except BitcoinError as exc:
            raise WalletFileError(f"The wallet's network is not known: {exc}") from None
        object.__setattr__(self, "kind", WalletKind(self.kind))
        for name in ("receive_descriptor", "change_descriptor"):
            value = getattr(self, name)
            if value is None and name == "change_descriptor":
                continue
            if not isinstance(value, str) or not value:
                raise WalletFileError(f"The wallet's {name.replace('_', ' ')} is missing.")
            if contains_private_key(value):
                raise WalletFileError(
                    "A descriptor with a private key cannot go in the wallet configuration; "
                    "give its public (xpub) form, and the private key to the keystore."
                )
        for name in ("created_at", "birth_height", "birth_time"):
            value = getattr(self, name)
            if not (value is None and name != "created_at") and (
                not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63
            ):
                raise WalletFileError(
                    f"The wallet's {name.replace('_', ' ')} is not a whole number."
                )
        if (
            not isinstance(self.gap_limit, int)
            or isinstance(self.gap_limit, bool)
            or not 1 <= self.gap_limit <= 10_000
        ):
            raise WalletFileError("The gap limit must be a whole number from 1 to 10000.")
        fingerprint = self.master_fingerprint
        if fingerprint is not None and not (
            isinstance(fingerprint, str) and re.fullmatch(r"[0-9a-f]{8}", fingerprint)
        ):
            raise WalletFileError("The master fingerprint must be 8 lowercase hex digits.")
        if self.mac is not None and not isinstance(self.mac, dict):
            raise WalletFileError("The wallet's MAC is damaged: it is not an object.")


    @property
    def net(self) -> Network:
        """The :class:`~wallet.bitcoin.networks.Network` that ``network`` names (the file keeps
        the name; code below the command line and the GUI passes this object)."""
        return get_network(self.network)
    def to_json(self) -> bytes:
        doc = {
            "format": CONFIG_FORMAT,
            "version": CONFIG_VERSION,
            "network": self.network,
            "kind": self.kind.value,
            "descriptors": {"receive": self.receive_descriptor, "change": self.change_descriptor},
            "gap_limit": self.gap_limit,
            "created_at": self.created_at,
            "birth_height": self.birth_height,
            "birth_time": self.birth_time,
            "master_fingerprint": self.master_fingerprint,
        }
        if self.mac is not None:
            doc["mac"] = self.mac
        return (json.dumps(doc, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, blob: bytes, where: Path) -> WalletConfig:
        def bad(detail: str) -> WalletFileError:
            return WalletFileError(f"The wallet configuration {where} is damaged: {detail}.")

        try:
            doc = bounded_json.loads(blob, max_bytes=MAX_CONFIG_SIZE)
        except ValueError as exc:
            raise bad(str(exc)) from None
        if not isinstance(doc, dict) or doc.get("format") != CONFIG_FORMAT:
            raise bad("the format marker is missing")
        version = doc.get("version")
        if isinstance(version, int) and version > CONFIG_VERSION:
            raise WalletFileError(
                f"The wallet {where.parent} was made by a newer Paylight (configuration version "
                f"{version}); update Paylight to open it."
            )
        if version != CONFIG_VERSION:
            raise bad(f"version {version!r} is unknown")
        descriptors = doc.get("descriptors")
        if not isinstance(descriptors, dict):
            raise bad("the descriptors are missing")
        try:
            return cls(
                network=doc["network"],
                kind=WalletKind(doc["kind"]),
                receive_descriptor=descriptors["receive"],
                change_descriptor=descriptors.get("change"),
                gap_limit=doc.get("gap_limit", DEFAULT_GAP_LIMIT),
                created_at=doc.get("created_at") or 0,
                birth_height=doc.get("birth_height"),
                birth_time=doc.get("birth_time"),
                master_fingerprint=doc.get("master_fingerprint"),
                mac=doc.get("mac"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise bad(f"a field is missing or wrong ({exc})") from None


class WalletLock:
    """An exclusive, process-death-safe lock on one wallet folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WalletFileError(
                f"Could not open the wallet's lock file {self.path}: {exc}."
            ) from None
        handle = os.fdopen(fd, "r+b")
        try:
            _lock_handle(handle)
        except OSError:
            handle.close()
            pid = self.holder_pid()
            who = f"pid {pid}" if pid else "pid unknown"
            raise WalletLockedError(
                f"this wallet is open in another Paylight window ({who}); close it there first "
                f"({self.path.parent}).",
                pid,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._handle = handle

    def holder_pid(self) -> int | None:
        """The pid written by the current holder, if readable."""
        try:
            with open(self.path, "rb") as handle:
                text = handle.read(32).decode("ascii", "replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.flush()
        _unlock_handle(handle)
        handle.close()


def _lock_handle(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        handle.seek(0)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock_handle(handle: IO[bytes]) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_WINDOWS_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class Wallet:
    """An open wallet: holds the folder's lock until :meth:`close`."""

    def __init__(self, path: Path, config: WalletConfig, db: WalletDatabase, lock: WalletLock):
        self.path = path
        self.config = config
        self.db = db
        self._lock = lock
        self._config_verified = False

    def __repr__(self) -> str:
        return f"Wallet({str(self.path)!r}, {self.config.kind.value}, {self.config.network})"

    # -- creating and opening -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        config: WalletConfig,
        *,
        secret: KeystoreSecret | None = None,
        password: str | None = None,
        kdf: ScryptParams | None = None,
    ) -> Wallet:
        """Make a new wallet folder at ``path`` and open it.

        Mnemonic and xprv wallets need their ``secret`` and a ``password``; watch-only wallets
        must have neither. Nothing appears at ``path`` unless every file was written.
        """
        path = Path(path).absolute()
        _check_secret_matches(config, secret, password)
        if path.exists():
            raise WalletExistsError(f"A wallet (or other file) already exists at {path}.")
        if config.created_at == 0:
            config = dataclasses.replace(config, created_at=int(time.time()))
        ensure_private_dir(path.parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.creating-", dir=path.parent))
        try:
            if secret is not None:
                assert password is not None
                Keystore.create(staging / KEYSTORE_FILE, secret, password, kdf)
            atomic_write(staging / CONFIG_FILE, config.to_json(), overwrite=False)
            WalletDatabase.open(staging / DATABASE_FILE).close()
            fsync_directory(staging)
            if path.exists():
                raise WalletExistsError(f"A wallet (or other file) already exists at {path}.")
            os.rename(staging, path)
            fsync_directory(path.parent)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise WalletFileError(f"Could not create the wallet at {path}: {exc}.") from None
            raise
        log.info("created %s wallet %s", config.kind.value, path)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, network: Network | None = None) -> Wallet:
        """Open the wallet folder at ``path``, taking its lock.

        With ``network`` given, a wallet made for another network is refused.
        """
        path = Path(path).absolute()
        if not (path / CONFIG_FILE).is_file():
            raise WalletFileError(f"There is no Paylight wallet at {path}.")
        lock = WalletLock(path / LOCK_FILE)
        lock.acquire()
        try:
            for name in (CONFIG_FILE, KEYSTORE_FILE):
                for stale in remove_stale_temporaries(path / name):
                    log.info("removed %s, left by an interrupted write", stale)
            config = _read_config(path / CONFIG_FILE)
            if network is not None:
                wanted = network.name
                if config.network != wanted:
                    raise WalletFileError(
                        f"The wallet at {path} is for {config.network}, not {wanted}; choose "
                        f"--network {config.network} or another wallet."
                    )
            has_keystore = (path / KEYSTORE_FILE).is_file()
            if config.kind is WalletKind.WATCH_ONLY and has_keystore:
                raise WalletFileError(
                    f"The wallet at {path} is watch-only but holds a keystore; its configuration "
                    "does not match its files."
                )
            if config.kind is not WalletKind.WATCH_ONLY and not has_keystore:
                raise WalletFileError(
                    f"The keystore of the wallet at {path} is missing; restore the wallet from "
                    "its seed words or put back keystore.json from a backup."
                )
            if not (path / DATABASE_FILE).exists():
                log.warning("wallet %s has no database; starting an empty one", path)
            db = WalletDatabase.open(path / DATABASE_FILE)
        except BaseException:
            lock.release()
            raise
        return cls(path, config, db, lock)

    def close(self) -> None:
        """Close the database and release the lock (idempotent)."""
        if self._lock.held:
            try:
                self.db.close()
            finally:
                self._lock.release()

    def __enter__(self) -> Wallet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def network(self) -> Network:
        """The network the wallet is made for (``wallet.json`` names it)."""
        return self.config.net

    # -- the keystore ---------------------------------------------------------------------------

    @property
    def is_watch_only(self) -> bool:
        return self.config.kind is WalletKind.WATCH_ONLY

    @property
    def keystore(self) -> Keystore:
        if self.is_watch_only:
            raise KeystoreError("This is a watch-only wallet: it holds no keys to unlock.")
        return Keystore(self.path / KEYSTORE_FILE)

    def unlock(self, password: str) -> KeystoreSecret:
        """The decrypted secret; :class:`WrongPasswordError` if the password is wrong, and
        :class:`~wallet.account.integrity.WalletTamperedError` if ``wallet.json``'s descriptors
        are not the secret's own (derived again here, so a swapped xpub is caught)."""
        from wallet.account.integrity import check_keys

        secret = self.keystore.unlock(password)
        if not check_keys(self.config, secret):
            log.info("wallet %s: descriptors not checked (BIP39 passphrase not stored)", self.path)
        return secret

    @property
    def needs_config_password(self) -> bool:
        """A watch-only wallet sealed with a password: check it with :meth:`verify_config`."""
        return self.config.mac is not None

    def verify_config(self, password: str) -> None:
        """Check ``wallet.json``'s MAC under ``password`` (watch-only wallets with a password)."""
        from wallet.account.integrity import verify

        if self.config.mac is None:
            raise WalletFileError("This wallet's configuration has no password to check.")
        verify(self.config, password)
        self._config_verified = True

    def seal_config(self, password: str, kdf: ScryptParams | None = None) -> None:
        """Give a watch-only wallet's configuration a MAC under ``password``, replacing one
        :meth:`verify_config` checked first. Older files, which have none, get it this way."""
        from wallet.account.integrity import seal

        if not self.is_watch_only:
            raise WalletFileError("Only a watch-only wallet's configuration has its own password.")
        if not password:
            raise KeystoreError("Choose a password: an empty one protects nothing.")
        if self.config.mac is not None and not self._config_verified:
            raise KeystoreError("Check the current password (verify_config) before replacing it.")
        config = seal(self.config, password, kdf)
        atomic_write(self.path / CONFIG_FILE, config.to_json())
        self.config = config

    def change_password(
        self, old_password: str, new_password: str, kdf: ScryptParams | None = None
    ) -> None:
        self.keystore.change_password(old_password, new_password, kdf)

    # -- the configuration ----------------------------------------------------------------------

    def update_config(self, **changes: Any) -> WalletConfig:
        """Change public settings (gap limit, birth height…); the network and kind are fixed."""
        if {"network", "kind"} & changes.keys():
            raise WalletFileError("A wallet's network and kind cannot change; make a new wallet.")
        config = dataclasses.replace(self.config, **changes)
        atomic_write(self.path / CONFIG_FILE, config.to_json())
        self.config = config
        return config


def _check_secret_matches(
    config: WalletConfig, secret: KeystoreSecret | None, password: str | None
) -> None:
    if config.kind is WalletKind.WATCH_ONLY:
        if secret is not None or password is not None:
            raise WalletFileError("A watch-only wallet holds no secret and needs no password.")
        return
    if secret is None or secret.kind is not _SECRET_FOR_KIND[config.kind]:
        raise WalletFileError(f"A {config.kind.value} wallet needs its {config.kind.value} secret.")
    if not password:
        raise KeystoreError("Choose a password: it encrypts the wallet's secret on this disk.")


def _read_config(path: Path) -> WalletConfig:
    try:
        with open(path, "rb") as handle:
            blob = handle.read(MAX_CONFIG_SIZE + 1)
    except OSError as exc:
        raise WalletFileError(f"Could not read the wallet configuration {path}: {exc}.") from None
    if len(blob) > MAX_CONFIG_SIZE:
        raise WalletFileError(f"The wallet configuration {path} is damaged: it is far too large.")
    return WalletConfig.from_json(blob, path)
