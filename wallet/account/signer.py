"""Signing the wallet's PSBTs with its unlocked keystore secret.

The builder (``tx_builder``) puts each input's key origins (master fingerprint + BIP32 path)
into the PSBT, like Bitcoin Core does for a hardware wallet. Signing here works the same way:
the secret gives the master key (BIP39 seed + passphrase, or an extended private key), each
origin is derived, and a derived key is used only if its public key is the one the PSBT names
-- so a PSBT from elsewhere cannot make the wallet sign for keys it did not expect. Nor can it
make the wallet sign amounts it cannot verify (``psbt_amounts``: the fee attack on segwit v0
amounts, CVE-2020-14199). Private keys live only in local variables of :func:`sign_psbt`;
nothing here logs or returns them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wallet.account.keystore import KeystoreSecret, SecretKind
from wallet.account.psbt_amounts import input_amounts, require_verified
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.networks import Network, get_network
from wallet.bitcoin.psbt import PSBT, KeyOrigin
from wallet.bitcoin.signing import public_key, xonly_public_key
from wallet.bitcoin.transaction import Transaction

if TYPE_CHECKING:
    from wallet.account.database import WalletDatabase


def master_key(
    secret: KeystoreSecret, network: Network | str, *, passphrase: str | None = None
) -> ExtendedKey:
    """The extended private key the secret stands for.

    A seed whose BIP39 passphrase is not stored needs ``passphrase`` (asked when signing).
    """
    net = get_network(network)
    if secret.kind is SecretKind.XPRV:
        key = ExtendedKey.parse(secret.value, net)
        if not key.is_private:
            raise SigningError("the keystore holds a public key; this wallet cannot sign")
        return key
    if secret.passphrase_used:
        phrase = secret.passphrase if secret.passphrase is not None else passphrase
        if phrase is None:
            raise SigningError(
                "this wallet's seed uses a BIP39 passphrase that is not stored; give it to sign"
            )
    else:
        phrase = ""
    return ExtendedKey.from_seed(mnemonic_to_seed(secret.value, phrase), net)


def _origins(psbt: PSBT) -> Iterable[tuple[bytes, KeyOrigin, bool]]:
    """(public key, origin, is x-only) for every key the PSBT's inputs name."""
    for m in psbt.inputs:
        for pub, origin in m.bip32_derivations.items():
            yield pub, origin, False
        for xonly, (_leaves, origin) in m.tap_bip32_derivations.items():
            yield xonly, origin, True


def _keys_for(psbt: PSBT, master: ExtendedKey) -> list[bytes]:
    fingerprint = master.fingerprint
    found: dict[bytes, bytes] = {}
    for pub, origin, xonly in _origins(psbt):
        if pub in found:
            continue
        if master.depth == 0:
            if origin.fingerprint != fingerprint:
                continue
            path = origin.path
        else:
            # an account-level xprv: the origin's path starts at the master, skip its depth
            if len(origin.path) < master.depth:
                continue
            path = origin.path[master.depth :]
        child = master.derive_path(list(path))
        secret = child.secret
        derived = xonly_public_key(secret) if xonly else public_key(secret, len(pub) == 33)
        if derived == pub:
            found[pub] = secret
    return list(found.values())


def sign_psbt(
    psbt: PSBT,
    secret: KeystoreSecret,
    network: Network | str,
    *,
    expected_fingerprint: str | None = None,
    passphrase: str | None = None,
    db: WalletDatabase | None = None,
    allow_unverified_amounts: bool = False,
) -> PSBT:
    """A signed and finalized copy of ``psbt``; every input must be the wallet's own.

    ``expected_fingerprint`` (the wallet config's ``master_fingerprint``) catches a mistyped
    BIP39 passphrase before anything is signed. Every input's amount must be verified (from
    ``db``, the wallet's records, or the PSBT's full previous transactions, or committed by
    taproot); ``allow_unverified_amounts`` signs anyway, the fee then being unverified. An amount
    the PSBT states against a verified source is always refused.
    """
    require_verified(input_amounts(psbt, db), allow_unverified=allow_unverified_amounts)
    master = master_key(secret, network, passphrase=passphrase)
    if (
        expected_fingerprint is not None
        and master.depth == 0
        and master.fingerprint.hex() != expected_fingerprint
    ):
        raise SigningError(
            "the seed and passphrase give another wallet than this one (master fingerprint "
            f"{master.fingerprint.hex()}, expected {expected_fingerprint}): check the passphrase"
        )
    keys = _keys_for(psbt, master)
    signed = psbt.copy()
    done = set(signed.sign(keys))
    missing = [i for i, m in enumerate(signed.inputs) if i not in done and not m.is_finalized()]
    if missing:
        raise SigningError(
            f"input{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} "
            "cannot be signed with this wallet's keys"
        )
    if not signed.finalize():
        raise SigningError("the signed PSBT could not be finalized")
    return signed


def sign_transaction(
    psbt: PSBT,
    secret: KeystoreSecret,
    network: Network | str,
    *,
    expected_fingerprint: str | None = None,
    passphrase: str | None = None,
    db: WalletDatabase | None = None,
) -> Transaction:
    """The network transaction of :func:`sign_psbt`."""
    return sign_psbt(
        psbt,
        secret,
        network,
        expected_fingerprint=expected_fingerprint,
        passphrase=passphrase,
        db=db,
    ).extract()


__all__ = ["master_key", "sign_psbt", "sign_transaction"]
