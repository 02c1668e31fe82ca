"""Reading and writing Bitcoin's wire encodings (little-endian ints, CompactSize, byte vectors).

All parsers in this layer read through :class:`ByteReader`, so truncated or oversized input is a
:class:`~wallet.bitcoin.errors.DecodeError` (or the subclass the caller asks for), never an
``IndexError`` or ``struct.error``.
"""

from __future__ import annotations

from wallet.bitcoin.errors import BitcoinError, DecodeError


def encode_varint(n: int) -> bytes:
    """CompactSize encoding."""
    if n < 0:
        raise ValueError("CompactSize cannot encode a negative number")
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    if n <= 0xFFFFFFFF:
        return b"\xfe" + n.to_bytes(4, "little")
    if n <= 0xFFFFFFFFFFFFFFFF:
        return b"\xff" + n.to_bytes(8, "little")
    raise ValueError("CompactSize cannot encode a number above 2**64-1")


def encode_bytes(data: bytes) -> bytes:
    """A CompactSize length followed by the bytes."""
    return encode_varint(len(data)) + data


class ByteReader:
    """A cursor over bytes whose every read is bounds-checked.

    ``error`` is the exception class raised on malformed input, so a transaction parser raises
    ``TransactionError`` and a PSBT parser ``PSBTError`` with the same reader.
    """

    __slots__ = ("data", "error", "pos")

    def __init__(self, data: bytes, error: type[BitcoinError] = DecodeError) -> None:
        self.data = memoryview(bytes(data))
        self.pos = 0
        self.error = error

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def read(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise self.error(
                f"unexpected end of data: needed {n} bytes at offset {self.pos}, "
                f"only {len(self.data) - self.pos} left"
            )
        out = bytes(self.data[self.pos : self.pos + n])
        self.pos += n
        return out

    def peek(self, n: int = 1) -> bytes:
        if self.pos + n > len(self.data):
            raise self.error(f"unexpected end of data at offset {self.pos}")
        return bytes(self.data[self.pos : self.pos + n])

    def u8(self) -> int:
        return self.read(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self.read(2), "little")

    def u32(self) -> int:
        return int.from_bytes(self.read(4), "little")

    def i32(self) -> int:
        return int.from_bytes(self.read(4), "little", signed=True)

    def u64(self) -> int:
        return int.from_bytes(self.read(8), "little")

    def i64(self) -> int:
        return int.from_bytes(self.read(8), "little", signed=True)

    def varint(self) -> int:
        """CompactSize, refusing non-canonical encodings as Bitcoin Core does."""
        first = self.u8()
        if first < 0xFD:
            return first
        size = {0xFD: 2, 0xFE: 4, 0xFF: 8}[first]
        n = int.from_bytes(self.read(size), "little")
        if n < {2: 0xFD, 4: 0x10000, 8: 0x100000000}[size]:
            raise self.error(f"non-canonical CompactSize at offset {self.pos - size - 1}")
        return n

    def var_bytes(self, limit: int | None = None) -> bytes:
        """A CompactSize-prefixed byte string, bounded by the data left (and ``limit``)."""
        n = self.varint()
        if limit is not None and n > limit:
            raise self.error(f"length {n} exceeds the limit of {limit} bytes")
        return self.read(n)

    def count(self, item_min_size: int = 1) -> int:
        """A CompactSize item count, refused when the data left cannot hold that many items.

        Stops a 5-byte input from announcing 2**32 items and making us allocate for them.
        """
        n = self.varint()
        if item_min_size and n * item_min_size > self.remaining():
            raise self.error(f"count {n} cannot fit in the {self.remaining()} bytes left")
        return n

    def expect_end(self, what: str = "data") -> None:
        if not self.at_end():
            raise self.error(f"{self.remaining()} unexpected trailing bytes after the {what}")
