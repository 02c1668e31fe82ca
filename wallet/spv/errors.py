"""Errors of the light node: a header breaking a consensus rule, a bad Merkle proof, a bad store."""

from __future__ import annotations

from wallet.bitcoin.errors import BitcoinError
from wallet.errors import PaylightError


class InvalidHeader(BitcoinError):
    """A header that breaks a consensus rule.

    ``rule`` is Bitcoin Core's reject reason (``high-hash``, ``bad-diffbits``, ``time-too-old``,
    ``time-too-new``, ``time-timewarp-attack``, ``prev-blk-not-found``, ``bad-version(0x...)``)
    or, for the light node's own checks, ``bad-genesis`` and ``checkpoint-mismatch``.
    """

    def __init__(self, rule: str, height: int, message: str, block_hash: str = "") -> None:
        self.rule = rule
        self.height = height
        self.block_hash = block_hash
        super().__init__(f"header at height {height} is invalid ({rule}): {message}")


class MerkleProofError(BitcoinError):
    """A Merkle proof that does not prove what it claims (or cannot be read)."""


class HeaderStoreError(PaylightError):
    """The header store on disk cannot be used (wrong network, unreadable, locked)."""
