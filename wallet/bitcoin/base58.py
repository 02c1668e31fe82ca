"""Base58 and Base58Check (legacy addresses, WIF keys, BIP32 extended keys).

Decoding failures raise :class:`EncodingError` with the offending character and its position, or
which checksum was expected, so a mistyped key or address can be found by eye.
"""

from __future__ import annotations

from wallet.bitcoin.errors import EncodingError
from wallet.bitcoin.hashes import sha256d

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
#: Longest string we try to decode; far above any Bitcoin use, and keeps bad input cheap.
MAX_DECODE_LENGTH = 1000


def b58encode(data: bytes) -> str:
    """Base58 of ``data``; each leading zero byte becomes a leading '1'."""
    data = bytes(data)
    zeros = len(data) - len(data.lstrip(b"\x00"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(ALPHABET[r])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Bytes of a Base58 string; raises EncodingError naming any character not in the alphabet."""
    if not isinstance(text, str):
        raise EncodingError("base58 input must be text")
    if len(text) > MAX_DECODE_LENGTH:
        raise EncodingError(f"base58 string is too long ({len(text)} characters)")
    n = 0
    for pos, c in enumerate(text):
        digit = _INDEX.get(c)
        if digit is None:
            hint = " (base58 leaves out 0, O, I and l)" if c in "0OIl" else ""
            raise EncodingError(f"invalid base58 character {c!r} at position {pos + 1}{hint}")
        n = n * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\x00" * zeros + body


def b58check_encode(payload: bytes) -> str:
    """Base58 of ``payload`` followed by the first 4 bytes of its double SHA-256."""
    payload = bytes(payload)
    return b58encode(payload + sha256d(payload)[:4])


def b58check_decode(text: str) -> bytes:
    """The payload of a Base58Check string; raises EncodingError on a bad checksum."""
    raw = b58decode(text)
    if len(raw) < 4:
        raise EncodingError("base58check string is too short to hold a checksum")
    payload, checksum = raw[:-4], raw[-4:]
    expected = sha256d(payload)[:4]
    if checksum != expected:
        raise EncodingError(
            "base58check checksum does not match (a character is probably mistyped): "
            f"expected {expected.hex()}, found {checksum.hex()}"
        )
    return payload
