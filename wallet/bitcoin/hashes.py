"""Hash functions used across Bitcoin."""

import hashlib
from functools import lru_cache


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sha256d(data: bytes) -> bytes:
    """Double SHA-256: block hashes, txids, Merkle nodes, base58 checksums."""
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def ripemd160(data: bytes) -> bytes:
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:  # OpenSSL 3 may hide the legacy provider; fall back to pure Python.
        from wallet.bitcoin._ripemd160 import ripemd160 as pure

        return pure(data)


def hash160(data: bytes) -> bytes:
    """RIPEMD160(SHA256(x)): public key and script hashes in P2PKH/P2SH/P2WPKH."""
    return ripemd160(sha256(data))


@lru_cache(maxsize=64)
def _tag_prefix(tag: str) -> bytes:
    t = sha256(tag.encode())
    return t + t


def tagged_hash(tag: str, data: bytes) -> bytes:
    """BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data)."""
    return sha256(_tag_prefix(tag) + data)
