"""The encrypted keystore: one small JSON file holding a wallet's secret, sealed with a password.

What is stored (inside the ciphertext): the BIP39 mnemonic and whether a BIP39 passphrase is in
use, or an extended private key. The passphrase itself is stored only when the user opts in
(``store_passphrase=True``); by default it is asked for when signing, like a second factor.
Watch-only wallets have no keystore: their public descriptors live in the wallet config.

Format (version 1)::

    {"format": "paylight-keystore", "version": 1,
     "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64, 32 bytes>"},
     "cipher": {"name": "chacha20-poly1305", "nonce": "<base64, 12 bytes>"},
     "ciphertext": "<base64>"}

The key is scrypt(NFKC(password), salt, n, r, p) → 32 bytes. The associated data is the
canonical JSON of everything but the ciphertext, so changing the version, the KDF parameters, the
salt or the nonce makes decryption fail instead of silently weakening the file. The plaintext is
padded to a multiple of 256 bytes so the file size does not tell 12 words from 24.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from wallet import bounded_json
from wallet.account.atomic import atomic_write
from wallet.account.errors import KeystoreCorruptError, KeystoreError, WrongPasswordError

log = logging.getLogger(__name__)

FORMAT_NAME = "paylight-keystore"
FORMAT_VERSION = 1
CIPHER_NAME = "chacha20-poly1305"
KEY_SIZE = 32
NONCE_SIZE = 12
SALT_SIZE = 32
PAD_BLOCK = 256
#: A keystore is a few hundred bytes; anything far larger is not one (and is not read whole).
MAX_FILE_SIZE = 64 * 1024
#: Largest scrypt cost accepted from a file, as 128·n·r·p (the memory for p=1; the time grows
#: with all three): twice the default, about a second. A damaged or hostile keystore cannot make
#: every unlock attempt take many seconds (n=2**20 took 4.5 s) or allocate gigabytes.
_DEFAULT_SCRYPT_COST = 128 * (1 << 17) * 8
MAX_SCRYPT_COST = 2 * _DEFAULT_SCRYPT_COST


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost parameters; :meth:`default` is what new keystores use."""

    n: int = 1 << 17
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        problem = _scrypt_problem(self.n, self.r, self.p)
        if problem:
            raise KeystoreError(f"Unusable scrypt parameters: {problem}.")

    @classmethod
    def default(cls) -> ScryptParams:
        """n=2**17, r=8, p=1: 128 MiB and about half a second per unlock on a 2020s laptop."""
        return cls()

    @classmethod
    def insecure_for_tests(cls) -> ScryptParams:
        """Cheap parameters for tests only; a real keystore must never use them."""
        return cls(n=1 << 4, r=1, p=1)

    @property
    def memory_bytes(self) -> int:
        return 128 * self.n * self.r


def _scrypt_problem(n: Any, r: Any, p: Any) -> str | None:
    for name, value in (("n", n), ("r", r), ("p", p)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return f"{name} must be a positive integer"
    if n < 2 or n & (n - 1):
        return "n must be a power of two, at least 2"
    if r > 64 or p > 16:
        return "r must be at most 64 and p at most 16"
    if 128 * n * r * p > MAX_SCRYPT_COST:
        return (
            f"they would cost {128 * n * r * p / _DEFAULT_SCRYPT_COST:g} times the default, "
            "at most 2 is accepted"
        )
    return None


class SecretKind(enum.StrEnum):
    MNEMONIC = "mnemonic"
    XPRV = "xprv"


@dataclass(frozen=True)
class KeystoreSecret:
    """What a keystore seals. ``repr``/``str`` never show the secret (they end up in logs)."""

    kind: SecretKind
    value: str = field(repr=False)
    #: True when the wallet's seed uses a BIP39 passphrase (asked for when signing if not stored).
    passphrase_used: bool = False
    #: The BIP39 passphrase, only when the user chose to store it in the keystore.
    passphrase: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not self.value:
            raise KeystoreError("The secret to store is empty.")
        if self.kind is SecretKind.XPRV and (self.passphrase_used or self.passphrase is not None):
            raise KeystoreError("An extended private key has no BIP39 passphrase.")
        if self.passphrase is not None and not self.passphrase_used:
            raise KeystoreError("A stored passphrase needs passphrase_used=True.")

    @classmethod
    def from_mnemonic(
        cls, mnemonic: str, passphrase: str = "", *, store_passphrase: bool = False
    ) -> KeystoreSecret:
        """A seed secret; the passphrase is kept only with ``store_passphrase=True``."""
        used = bool(passphrase)
        stored = passphrase if (used and store_passphrase) else None
        return cls(SecretKind.MNEMONIC, mnemonic, passphrase_used=used, passphrase=stored)

    @classmethod
    def from_xprv(cls, xprv: str) -> KeystoreSecret:
        return cls(SecretKind.XPRV, xprv)

    @property
    def passphrase_stored(self) -> bool:
        return self.passphrase is not None

    def __repr__(self) -> str:
        extra = ""
        if self.kind is SecretKind.MNEMONIC:
            extra = (
                f", passphrase_used={self.passphrase_used}"
                f", passphrase_stored={self.passphrase_stored}"
            )
        return f"KeystoreSecret(kind={self.kind.value}{extra}, value=<hidden>)"

    __str__ = __repr__

    def _payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, self.kind.value: self.value}
        if self.kind is SecretKind.MNEMONIC:
            data["passphrase_used"] = self.passphrase_used
            data["passphrase"] = self.passphrase
        return data

    @classmethod
    def _from_payload(cls, data: Any) -> KeystoreSecret:
        try:
            kind = SecretKind(data["kind"])
            value = data[kind.value]
            used = bool(data.get("passphrase_used", False))
            passphrase = data.get("passphrase")
            if not isinstance(value, str) or not (
                passphrase is None or isinstance(passphrase, str)
            ):
                raise TypeError
            return cls(kind, value, passphrase_used=used, passphrase=passphrase)
        except (KeyError, TypeError, ValueError, KeystoreError):
            raise KeystoreCorruptError(
                "The keystore opened but its contents are not understood; it may come from a "
                "newer Paylight."
            ) from None


@dataclass(frozen=True)
class KeystoreHeader:
    """The public part of a keystore file: readable without the password."""

    version: int
    kdf: ScryptParams
    salt: bytes = field(repr=False)
    nonce: bytes = field(repr=False)

    def associated_data(self) -> bytes:
        """Canonical bytes binding the format version, KDF parameters, salt and nonce."""
        return json.dumps(self._fields(), sort_keys=True, separators=(",", ":")).encode()

    def _fields(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": self.version,
            "kdf": {
                "name": "scrypt",
                "n": self.kdf.n,
                "r": self.kdf.r,
                "p": self.kdf.p,
                "salt": _b64(self.salt),
            },
            "cipher": {"name": CIPHER_NAME, "nonce": _b64(self.nonce)},
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _normalize_password(password: str) -> bytes:
    """NFKC so the same password typed on different keyboards/OSes gives the same key."""
    if not isinstance(password, str):
        raise KeystoreError("The password must be text.")
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def derive_key(password: str, params: ScryptParams, salt: bytes) -> bytes:
    """scrypt(NFKC(password), salt) → 32 bytes: the keystore's key, and the wallet.json MAC's."""
    # hashlib's scrypt (OpenSSL) releases the GIL; cryptography's holds it for the whole
    # half second, which froze the GUI's event loop during an unlock on a worker thread.
    return hashlib.scrypt(
        _normalize_password(password),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.memory_bytes + (1 << 20),
        dklen=KEY_SIZE,
    )


def _pad(plaintext: bytes) -> bytes:
    """JSON tolerates trailing spaces, so padding needs no length field."""
    return plaintext + b" " * (-len(plaintext) % PAD_BLOCK)


def encrypt_secret(
    secret: KeystoreSecret,
    password: str,
    params: ScryptParams | None = None,
) -> bytes:
    """Seal ``secret`` into the bytes of a keystore file (fresh random salt and nonce)."""
    if not isinstance(secret, KeystoreSecret):
        raise KeystoreError("Only a KeystoreSecret can be sealed in a keystore.")
    if not password:
        raise KeystoreError("Choose a password: a keystore cannot have an empty one.")
    header = KeystoreHeader(
        FORMAT_VERSION,
        params or ScryptParams.default(),
        secrets.token_bytes(SALT_SIZE),
        secrets.token_bytes(NONCE_SIZE),
    )
    plaintext = _pad(json.dumps(secret._payload(), separators=(",", ":")).encode("utf-8"))
    key = derive_key(password, header.kdf, header.salt)
    ciphertext = ChaCha20Poly1305(key).encrypt(header.nonce, plaintext, header.associated_data())
    document = header._fields() | {"ciphertext": _b64(ciphertext)}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def parse_keystore(blob: bytes) -> tuple[KeystoreHeader, bytes]:
    """Check the structure of a keystore file and return its header and ciphertext.

    Raises :class:`KeystoreCorruptError` for anything that is not a well-formed version-1 file.
    """

    def bad(detail: str) -> KeystoreCorruptError:
        return KeystoreCorruptError(
            f"The keystore is damaged or not a Paylight keystore: {detail}."
        )

    if len(blob) > MAX_FILE_SIZE:
        raise bad(f"it is {len(blob)} bytes, far larger than a keystore")
    try:
        doc = bounded_json.loads(blob, max_bytes=MAX_FILE_SIZE)
    except ValueError as exc:
        raise bad(str(exc)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise bad("the format marker is missing")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad("the version is missing")
    if version > FORMAT_VERSION:
        raise KeystoreCorruptError(
            f"This keystore has format version {version}, made by a newer Paylight; "
            "update Paylight to open it."
        )
    if version != FORMAT_VERSION:
        raise bad(f"format version {version} is unknown")
    kdf, cipher = doc.get("kdf"), doc.get("cipher")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise bad("the key derivation is not scrypt")
    if not isinstance(cipher, dict) or cipher.get("name") != CIPHER_NAME:
        raise bad(f"the cipher is not {CIPHER_NAME}")
    problem = _scrypt_problem(kdf.get("n"), kdf.get("r"), kdf.get("p"))
    if problem:
        raise bad(f"its scrypt parameters are unusable ({problem})")

    def decode(value: Any, what: str) -> bytes:
        if not isinstance(value, str):
            raise bad(f"the {what} is missing")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise bad(f"the {what} is not valid base64") from None

    salt = decode(kdf.get("salt"), "salt")
    nonce = decode(cipher.get("nonce"), "nonce")
    ciphertext = decode(doc.get("ciphertext"), "ciphertext")
    if not 16 <= len(salt) <= 64:
        raise bad("the salt has the wrong length")
    if len(nonce) != NONCE_SIZE:
        raise bad("the nonce has the wrong length")
    if len(ciphertext) < 16 + 1:
        raise bad("the ciphertext is too short")
    header = KeystoreHeader(version, ScryptParams(kdf["n"], kdf["r"], kdf["p"]), salt, nonce)
    return header, ciphertext


def decrypt_secret(blob: bytes, password: str) -> KeystoreSecret:
    """Open the bytes of a keystore file; :class:`WrongPasswordError` if the password is wrong."""
    header, ciphertext = parse_keystore(blob)
    key = derive_key(password, header.kdf, header.salt)
    try:
        plaintext = ChaCha20Poly1305(key).decrypt(
            header.nonce, ciphertext, header.associated_data()
        )
    except InvalidTag:
        raise WrongPasswordError(
            "The password is wrong (or the keystore file was altered); nothing was changed."
        ) from None
    try:
        payload = bounded_json.loads(plaintext, max_bytes=MAX_FILE_SIZE)
    except ValueError:
        raise KeystoreCorruptError("The keystore opened but its contents are damaged.") from None
    return KeystoreSecret._from_payload(payload)


class Keystore:
    """A keystore file on disk. Writes are atomic; reads never modify the file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Keystore({str(self.path)!r})"

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        secret: KeystoreSecret,
        password: str,
        params: ScryptParams | None = None,
    ) -> Keystore:
        """Write a new keystore; refuses to replace an existing file."""
        keystore = cls(path)
        blob = encrypt_secret(secret, password, params)
        try:
            atomic_write(keystore.path, blob, overwrite=False)
        except FileExistsError:
            raise KeystoreError(
                f"A keystore already exists at {keystore.path}; it was left untouched."
            ) from None
        except OSError as exc:
            raise KeystoreError(f"Could not write the keystore {keystore.path}: {exc}.") from None
        log.info("created keystore %s (%s)", keystore.path, secret)
        return keystore

    def read_bytes(self) -> bytes:
        """The raw file, bounded in size; missing or unreadable files raise KeystoreError."""
        try:
            with open(self.path, "rb") as handle:
                blob = handle.read(MAX_FILE_SIZE + 1)
        except FileNotFoundError:
            raise KeystoreError(
                f"The keystore {self.path} is missing; restore the wallet from its seed words "
                "or from a backup."
            ) from None
        except OSError as exc:
            raise KeystoreError(f"Could not read the keystore {self.path}: {exc}.") from None
        return blob

    def header(self) -> KeystoreHeader:
        """The public parameters (format version, scrypt cost), without the password."""
        return self._parse(self.read_bytes())[0]

    def _parse(self, blob: bytes) -> tuple[KeystoreHeader, bytes]:
        try:
            return parse_keystore(blob)
        except KeystoreCorruptError as exc:
            raise KeystoreCorruptError(f"{exc} ({self.path})") from None

    def unlock(self, password: str) -> KeystoreSecret:
        """Decrypt and return the secret. Never writes."""
        blob = self.read_bytes()
        self._parse(blob)
        secret = decrypt_secret(blob, password)
        log.debug("unlocked keystore %s", self.path)
        return secret

    def check_password(self, password: str) -> bool:
        try:
            self.unlock(password)
        except WrongPasswordError:
            return False
        return True

    def change_password(
        self, old_password: str, new_password: str, params: ScryptParams | None = None
    ) -> None:
        """Re-seal the secret under a new password (fresh salt and nonce), atomically.

        ``params=None`` keeps the file's current scrypt cost; pass ``ScryptParams.default()``
        to upgrade an older keystore. A crash at any point leaves either the old file or the
        new one in place, each complete.
        """
        blob = self.read_bytes()
        header, _ = self._parse(blob)
        secret = decrypt_secret(blob, old_password)
        new_blob = encrypt_secret(secret, new_password, params or header.kdf)
        try:
            atomic_write(self.path, new_blob, overwrite=True)
        except OSError as exc:
            raise KeystoreError(
                f"Could not save the keystore with the new password ({exc}); the old password "
                "still opens it."
            ) from None
        log.info("changed the password of keystore %s", self.path)
