"""Small helpers over coincurve (libsecp256k1): key validation, WIF, x-only keys.

Secrets are plain 32-byte strings here; nothing in this module prints or logs them, and error
messages never include them.
"""

from __future__ import annotations

from coincurve import PrivateKey, PublicKey

from wallet.bitcoin.base58 import b58check_decode, b58check_encode
from wallet.bitcoin.errors import EncodingError, KeyDerivationError, NetworkMismatchError
from wallet.bitcoin.networks import NETWORKS, Network, get_network

SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141

__all__ = [
    "SECP256K1_ORDER",
    "PrivateKey",
    "PublicKey",
    "compress_pubkey",
    "pubkey_from_secret",
    "validate_pubkey",
    "validate_secret",
    "wif_decode",
    "wif_encode",
    "xonly",
]


def validate_secret(secret: bytes) -> bytes:
    """A 32-byte private key in 1..n-1, or KeyDerivationError."""
    secret = bytes(secret)
    if len(secret) != 32:
        raise KeyDerivationError(f"a private key is 32 bytes, got {len(secret)}")
    if not 0 < int.from_bytes(secret, "big") < SECP256K1_ORDER:
        raise KeyDerivationError("private key is out of range (must be 1..n-1 of secp256k1)")
    return secret


def pubkey_from_secret(secret: bytes, compressed: bool = True) -> bytes:
    """The SEC1 public key (33 bytes compressed, 65 uncompressed) of a private key."""
    return PrivateKey(validate_secret(secret)).public_key.format(compressed=compressed)


def validate_pubkey(pubkey: bytes, allow_uncompressed: bool = True) -> bytes:
    """Check that ``pubkey`` is a SEC1 point on secp256k1 and return it unchanged."""
    pubkey = bytes(pubkey)
    if len(pubkey) == 33 and pubkey[0] in (2, 3):
        pass
    elif len(pubkey) == 65 and pubkey[0] == 4:
        if not allow_uncompressed:
            raise KeyDerivationError("an uncompressed public key is not allowed here")
    else:
        raise KeyDerivationError(
            f"a public key is 33 bytes starting 02/03 (or 65 starting 04); got {len(pubkey)} "
            f"bytes starting {pubkey[:1].hex() or 'nothing'}"
        )
    try:
        PublicKey(pubkey)
    except ValueError:
        raise KeyDerivationError(f"public key {pubkey.hex()} is not a point on secp256k1") from None
    return pubkey


def compress_pubkey(pubkey: bytes) -> bytes:
    """33-byte form of any valid public key."""
    return PublicKey(validate_pubkey(pubkey)).format(compressed=True)


def xonly(pubkey33: bytes) -> bytes:
    """The 32-byte x-only key (BIP340) of a compressed public key."""
    pubkey33 = bytes(pubkey33)
    if len(pubkey33) != 33 or pubkey33[0] not in (2, 3):
        raise KeyDerivationError("an x-only key is made from a 33-byte compressed public key")
    return pubkey33[1:]


def wif_encode(secret32: bytes, network: Network | str, compressed: bool = True) -> str:
    """Wallet Import Format of a private key."""
    net = get_network(network)
    payload = bytes([net.wif_prefix]) + validate_secret(secret32)
    if compressed:
        payload += b"\x01"
    return b58check_encode(payload)


def wif_decode(wif: str, network: Network | str) -> tuple[bytes, bool]:
    """``(secret, compressed)`` of a WIF private key for ``network``."""
    net = get_network(network)
    try:
        payload = b58check_decode(wif.strip())
    except EncodingError as exc:
        raise EncodingError(f"invalid WIF private key: {exc}") from None
    if len(payload) == 34 and payload[-1] == 1:
        compressed = True
    elif len(payload) == 33:
        compressed = False
    else:
        raise EncodingError("not a WIF private key (wrong length or compression flag)")
    prefix = payload[0]
    if prefix != net.wif_prefix:
        owners = [n for n in NETWORKS.values() if n.wif_prefix == prefix]
        if owners:
            family = (
                "mainnet" if owners[0].name == "mainnet" else "testnet3/testnet4/signet/regtest"
            )
            raise NetworkMismatchError(
                f"this is a {family} private key, but the wallet is on {net.name}"
            )
        raise EncodingError(f"WIF prefix byte {prefix:#04x} is not a Bitcoin private key prefix")
    return validate_secret(payload[1:33]), compressed
