"""The part of CBOR (RFC 8949) that URs use: integers, byte and text strings, arrays, maps,
tags, booleans and null, all of definite length.

Encoding is deterministic (shortest heads, map keys in the order given, which the registry
writes sorted), so an encoded UR matches the reference byte for byte. Decoding bounds every
read and nesting depth, so a hostile frame is an :class:`AnimatedQRError`, never an
``IndexError`` or a recursion error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wallet.payments.qr_errors import AnimatedQRError

MAX_DEPTH = 32


@dataclass(frozen=True)
class Tagged:
    """A tagged item, ``tag(value)`` in CBOR's diagnostic notation."""

    tag: int
    value: Any


class CBORError(AnimatedQRError):
    """Bytes that are not the CBOR a UR type expects."""


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise CBORError(f"{n} is too large for CBOR")


def encode(value: Any) -> bytes:
    """The CBOR encoding of ``value`` (int, bytes, str, list, dict, bool, None, Tagged)."""
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _encode(value: Any, out: bytearray) -> None:
    if value is True or value is False:
        out.append(0xF5 if value else 0xF4)
    elif value is None:
        out.append(0xF6)
    elif isinstance(value, int):
        out += _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, bytes | bytearray):
        out += _head(2, len(value)) + bytes(value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        out += _head(3, len(raw)) + raw
    elif isinstance(value, list | tuple):
        out += _head(4, len(value))
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        out += _head(5, len(value))
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    elif isinstance(value, Tagged):
        out += _head(6, value.tag)
        _encode(value.value, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as CBOR")


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n > len(self.data) - self.pos:
            raise CBORError("The CBOR data ends in the middle of an item.")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def head(self) -> tuple[int, int]:
        first = self.take(1)[0]
        major, info = first >> 5, first & 0x1F
        if info < 24:
            return major, info
        if info in (24, 25, 26, 27):
            return major, int.from_bytes(self.take(1 << (info - 24)), "big")
        if info == 31:
            raise CBORError("Indefinite-length CBOR items are not used by URs.")
        raise CBORError(f"The CBOR head byte {first:#04x} is reserved.")


def decode(data: bytes) -> Any:
    """The value of one CBOR item filling all of ``data``."""
    reader = _Reader(data)
    value = _decode(reader, 0)
    if reader.pos != len(reader.data):
        raise CBORError("There are bytes after the CBOR item.")
    return value


def _decode(r: _Reader, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise CBORError("The CBOR data is nested too deeply.")
    major, n = r.head()
    if major == 0:
        return n
    if major == 1:
        return -1 - n
    if major == 2:
        return r.take(n)
    if major == 3:
        try:
            return r.take(n).decode("utf-8")
        except UnicodeDecodeError:
            raise CBORError("A CBOR text string is not valid UTF-8.") from None
    if major == 4:
        if n > len(r.data) - r.pos:  # every item takes at least one byte
            raise CBORError("A CBOR array claims more items than there are bytes.")
        return [_decode(r, depth + 1) for _ in range(n)]
    if major == 5:
        if 2 * n > len(r.data) - r.pos:
            raise CBORError("A CBOR map claims more entries than there are bytes.")
        out: dict[Any, Any] = {}
        for _ in range(n):
            key = _decode(r, depth + 1)
            if isinstance(key, list | dict):
                raise CBORError("A CBOR map key is an array or a map.")
            if isinstance(key, Tagged):
                raise CBORError("A CBOR map key is tagged.")
            if key in out:
                raise CBORError(f"The CBOR map has the key {key!r} twice.")
            out[key] = _decode(r, depth + 1)
        return out
    if major == 6:
        return Tagged(n, _decode(r, depth + 1))
    # major 7: simple values and floats
    if n == 20:
        return False
    if n == 21:
        return True
    if n in (22, 23):
        return None
    raise CBORError("Floating-point and other simple CBOR values are not used by URs.")
