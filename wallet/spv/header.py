"""The 80-byte block header."""

from __future__ import annotations

from dataclasses import dataclass

from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d

HEADER_SIZE = 80


class HeaderError(DecodeError):
    """A header that is not 80 bytes or otherwise unreadable."""


@dataclass(frozen=True)
class BlockHeader:
    version: int
    #: hashes in internal byte order (as serialized)
    prev_hash: bytes
    merkle_root: bytes
    time: int
    bits: int
    nonce: int

    def serialize(self) -> bytes:
        return (
            self.version.to_bytes(4, "little", signed=True)
            + self.prev_hash
            + self.merkle_root
            + self.time.to_bytes(4, "little")
            + self.bits.to_bytes(4, "little")
            + self.nonce.to_bytes(4, "little")
        )

    @classmethod
    def parse(cls, raw: bytes) -> BlockHeader:
        if len(raw) != HEADER_SIZE:
            raise HeaderError(f"a block header is 80 bytes, got {len(raw)}")
        return cls(
            int.from_bytes(raw[0:4], "little", signed=True),
            bytes(raw[4:36]),
            bytes(raw[36:68]),
            int.from_bytes(raw[68:72], "little"),
            int.from_bytes(raw[72:76], "little"),
            int.from_bytes(raw[76:80], "little"),
        )

    def hash(self) -> bytes:
        """Block hash in internal byte order."""
        return sha256d(self.serialize())

    @property
    def hash_hex(self) -> str:
        return self.hash()[::-1].hex()

    @property
    def prev_hash_hex(self) -> str:
        return self.prev_hash[::-1].hex()

    @property
    def merkle_root_hex(self) -> str:
        return self.merkle_root[::-1].hex()
