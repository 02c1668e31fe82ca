"""Is ``wallet.json`` still the wallet's own? Anyone who can write the wallet folder could put
another key into its descriptors and so redirect every payment the wallet asks for.

Three checks, by what the wallet holds:

* **Seed (and xprv) wallets**: at unlock, every key in the receive and change descriptors is
  derived again from the secret along its origin path and must be the key written there, and
  the master fingerprint must be the secret's (:func:`check_keys`). A seed whose BIP39
  passphrase is not stored cannot be checked until the passphrase is given.
* **Watch-only wallets with a password**: the file carries a MAC (HMAC-SHA256 under a key that
  scrypt derives from the password, :func:`seal` / :func:`verify`) over what decides the
  addresses: network, kind, descriptors and master fingerprint. Settings that change after
  creation (gap limit, birth height) are outside it, so saving them needs no password.
* **Everyone**: :func:`receive_fingerprint` is a short SHA-256 fingerprint of the receive
  descriptor, shown when the wallet is made and in the GUI, for a person to compare.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING, Any

from wallet.account.errors import KeystoreError, WalletFileError, WrongPasswordError
from wallet.account.keystore import KeystoreSecret, ScryptParams, derive_key
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.errors import BitcoinError

if TYPE_CHECKING:
    from wallet.account.wallet_file import WalletConfig

MAC_NAME = "hmac-sha256"


class WalletTamperedError(WalletFileError):
    """``wallet.json`` does not belong to this wallet's secret (or fails its MAC)."""


def receive_fingerprint(config: WalletConfig) -> str:
    """16 hex digits in groups of four: SHA-256 of the receive descriptor (without checksum).

    64 bits: finding another descriptor with the same fingerprint is out of reach, unlike the
    descriptor's own 8-character checksum, which is an error-detecting code, not a hash.
    """
    body = config.receive_descriptor.split("#", 1)[0].strip()
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


# -- seed wallets: derive the keys again ------------------------------------------------------


def check_keys(
    config: WalletConfig, secret: KeystoreSecret, *, passphrase: str | None = None
) -> bool:
    """Raise :class:`WalletTamperedError` if a descriptor key is not the secret's own.

    Returns False when it cannot be checked yet (a BIP39 passphrase that is not stored and not
    given), True when every key was checked.
    """
    from wallet.account.signer import master_key  # signer imports keystore, as this does

    try:
        master = master_key(secret, config.network, passphrase=passphrase)
    except BitcoinError as exc:
        if secret.passphrase_used and secret.passphrase is None and passphrase is None:
            return False
        raise _tampered(config, f"the stored key is not for {config.network} ({exc})") from None
    if (
        master.depth == 0
        and config.master_fingerprint is not None
        and config.master_fingerprint != master.fingerprint.hex()
    ):
        raise _tampered(config, "its master fingerprint is not the seed's")
    for name, text in (
        ("receive", config.receive_descriptor),
        ("change", config.change_descriptor),
    ):
        if text is None:
            continue
        try:
            key = parse_descriptor(text, config.network).key
        except BitcoinError as exc:
            raise _tampered(config, f"its {name} descriptor does not parse ({exc})") from None
        if key is None or key.extended is None or key.origin_fingerprint is None:
            raise _tampered(config, f"its {name} descriptor holds no key of the seed")
        path = list(key.origin_path)
        if master.depth == 0:
            if key.origin_fingerprint != master.fingerprint:
                raise _tampered(config, f"its {name} descriptor names another master key")
        elif len(path) < master.depth:
            raise _tampered(config, f"its {name} descriptor names a key above the stored one")
        else:
            path = path[master.depth :]
        derived = master.derive_path(path)
        if (derived.public_key, derived.chain_code) != (
            key.extended.public_key,
            key.extended.chain_code,
        ):
            raise _tampered(config, f"its {name} descriptor holds a key the seed does not give")
    return True


def _tampered(config: WalletConfig, detail: str) -> WalletTamperedError:
    return WalletTamperedError(
        f"The wallet configuration (wallet.json) does not belong to this wallet: {detail}. "
        "Someone may have changed it to redirect payments: do not use its addresses. Restore "
        "the wallet from its seed words, or put back wallet.json from a backup."
    )


# -- watch-only wallets: a MAC under the password ---------------------------------------------


def _covered(config: WalletConfig) -> bytes:
    """The canonical bytes the MAC covers: every field that decides the addresses."""
    fields = {
        "network": config.network,
        "kind": config.kind.value,
        "receive": config.receive_descriptor,
        "change": config.change_descriptor,
        "master_fingerprint": config.master_fingerprint,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(config: WalletConfig, password: str, params: ScryptParams | None = None) -> WalletConfig:
    """``config`` with a MAC under ``password`` (fresh salt); scrypt runs once (~0.4 s)."""
    params = params or ScryptParams.default()
    salt = secrets.token_bytes(32)
    tag = hmac.new(derive_key(password, params, salt), _covered(config), "sha256").hexdigest()
    mac = {
        "name": MAC_NAME,
        "kdf": {
            "name": "scrypt",
            "n": params.n,
            "r": params.r,
            "p": params.p,
            "salt": base64.b64encode(salt).decode("ascii"),
        },
        "tag": tag,
    }
    return dataclasses.replace(config, mac=mac)


def verify(config: WalletConfig, password: str) -> None:
    """Check the MAC of ``config``: :class:`WrongPasswordError` or :class:`WalletTamperedError`.

    A wrong password and an altered file look the same to a MAC; the message says both.
    """
    params, salt, tag = _parse_mac(config.mac)
    expected = hmac.new(derive_key(password, params, salt), _covered(config), "sha256").digest()
    if not hmac.compare_digest(expected, tag):
        raise WrongPasswordError(
            "The password is wrong, or the wallet configuration (wallet.json) was changed since "
            "it was sealed with it: do not use its addresses until the password opens it."
        )


def _parse_mac(mac: Any) -> tuple[ScryptParams, bytes, bytes]:
    def bad(detail: str) -> WalletTamperedError:
        return WalletTamperedError(f"The wallet configuration's MAC is damaged: {detail}.")

    if not isinstance(mac, dict) or mac.get("name") != MAC_NAME:
        raise bad(f"it is not {MAC_NAME}")
    kdf: Any = mac.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise bad("its key derivation is not scrypt")
    try:
        cost: Any = (kdf.get("n"), kdf.get("r"), kdf.get("p"))  # ScryptParams checks them
        params = ScryptParams(*cost)
        salt = base64.b64decode(str(kdf.get("salt")).encode("ascii"), validate=True)
        tag_text: Any = mac.get("tag")
        tag = bytes.fromhex(tag_text if isinstance(tag_text, str) else "")
    except (KeystoreError, binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise bad(str(exc).rstrip(".")) from None
    if not 16 <= len(salt) <= 64 or len(tag) != 32:
        raise bad("its salt or tag has the wrong length")
    return params, salt, tag
