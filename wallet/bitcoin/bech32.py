"""Bech32 (BIP173) and Bech32m (BIP350) strings and segwit addresses.

Every failure raises :class:`EncodingError` saying what is wrong and, where it can, where: an
invalid character with its position, mixed case, a wrong human-readable part (expected and found),
or a version 0 program with a Bech32m checksum (and the other way round).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum

from wallet.bitcoin.errors import EncodingError

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_INDEX = {c: i for i, c in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
#: BIP173's length limit for a whole string (HRP + '1' + data + checksum).
MAX_LENGTH = 90


class Encoding(Enum):
    """The two checksum variants; the constant is what the checksum polymod must equal."""

    BECH32 = 1
    BECH32M = 0x2BC830A3

    @property
    def label(self) -> str:
        return "bech32" if self is Encoding.BECH32 else "bech32m"


def _polymod(values: Iterable[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GENERATOR[i]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _create_checksum(hrp: str, data: Sequence[int], encoding: Encoding) -> list[int]:
    polymod = _polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ encoding.value
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]


def _check_hrp(hrp: str) -> None:
    if not hrp:
        raise EncodingError("the human-readable part (before the last '1') is empty")
    for pos, c in enumerate(hrp):
        if not 33 <= ord(c) <= 126:
            raise EncodingError(
                f"character {c!r} at position {pos + 1} is not allowed in the human-readable part"
            )


def bech32_encode(hrp: str, data5: Sequence[int], encoding: Encoding) -> str:
    """Encode 5-bit values under ``hrp`` with the given checksum variant (lower case)."""
    _check_hrp(hrp)
    hrp = hrp.lower()
    for v in data5:
        if not 0 <= v < 32:
            raise EncodingError(f"bech32 data value {v} is not a 5-bit number")
    combined = [*data5, *_create_checksum(hrp, data5, encoding)]
    out = hrp + "1" + "".join(CHARSET[d] for d in combined)
    if len(out) > MAX_LENGTH:
        raise EncodingError(f"bech32 string would be {len(out)} characters, over {MAX_LENGTH}")
    return out


def bech32_decode(text: str, max_length: int = MAX_LENGTH) -> tuple[str, list[int], Encoding]:
    """Split and check a Bech32/Bech32m string: ``(hrp in lower case, 5-bit data, encoding)``.

    The data excludes the 6 checksum characters.
    """
    if not isinstance(text, str):
        raise EncodingError("bech32 input must be text")
    if len(text) > max_length:
        raise EncodingError(f"bech32 string is {len(text)} characters long, over {max_length}")
    for pos, c in enumerate(text):
        if not 33 <= ord(c) <= 126:
            raise EncodingError(f"character {c!r} at position {pos + 1} is not allowed in bech32")
    if text.lower() != text and text.upper() != text:
        raise EncodingError("bech32 string mixes upper and lower case; it must be all one case")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 0:
        raise EncodingError("bech32 string has no '1' separator")
    if sep == 0:
        raise EncodingError("the human-readable part (before the last '1') is empty")
    if len(text) - sep - 1 < 6:
        raise EncodingError("bech32 data part is shorter than the 6-character checksum")
    hrp = text[:sep]
    data: list[int] = []
    for pos in range(sep + 1, len(text)):
        value = _CHARSET_INDEX.get(text[pos])
        if value is None:
            raise EncodingError(
                f"invalid bech32 character {text[pos]!r} at position {pos + 1} "
                "(bech32 leaves out 1, b, i and o)"
            )
        data.append(value)
    polymod = _polymod([*_hrp_expand(hrp), *data])
    for encoding in Encoding:
        if polymod == encoding.value:
            return hrp, data[:-6], encoding
    raise EncodingError(
        "bech32 checksum does not match (a character is probably mistyped or missing)"
    )


def convertbits(data: Iterable[int], frombits: int, tobits: int, pad: bool) -> list[int]:
    """Regroup bits (8 to 5 for encoding, 5 to 8 for decoding, with BIP173's padding rules)."""
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise EncodingError(f"value {value} does not fit in {frombits} bits")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits:
        raise EncodingError("bech32 data has more than 4 bits of padding")
    elif (acc << (tobits - bits)) & maxv:
        raise EncodingError("bech32 data has non-zero padding bits")
    return out


def encode_segwit_address(hrp: str, version: int, program: bytes) -> str:
    """A segwit address: Bech32 for version 0, Bech32m for versions 1..16 (BIP350)."""
    _check_witness(version, bytes(program))
    encoding = Encoding.BECH32 if version == 0 else Encoding.BECH32M
    return bech32_encode(hrp, [version, *convertbits(program, 8, 5, True)], encoding)


def decode_segwit(addr: str) -> tuple[str, int, bytes]:
    """``(hrp, witness version, program)`` of any segwit address, whatever its HRP."""
    hrp, data, encoding = bech32_decode(addr)
    if not data:
        raise EncodingError("segwit address has no witness version (empty data part)")
    version = data[0]
    if version > 16:
        raise EncodingError(f"witness version {version} is invalid; it must be 0..16")
    program = bytes(convertbits(data[1:], 5, 8, False))
    _check_witness(version, program)
    expected = Encoding.BECH32 if version == 0 else Encoding.BECH32M
    if encoding is not expected:
        raise EncodingError(
            f"a version {version} segwit address must use a {expected.label} checksum, but this "
            f"one has a {encoding.label} checksum (BIP350); the address is corrupted or was "
            "made by faulty software"
        )
    return hrp, version, program


def decode_segwit_address(hrp: str, addr: str) -> tuple[int, bytes]:
    """``(witness version, program)`` of a segwit address that must have the HRP ``hrp``."""
    found, version, program = decode_segwit(addr)
    if found != hrp.lower():
        raise EncodingError(
            f"address has human-readable part {found!r}, but {hrp.lower()!r} was expected"
        )
    return version, program


def _check_witness(version: int, program: bytes) -> None:
    if not 0 <= version <= 16:
        raise EncodingError(f"witness version {version} is invalid; it must be 0..16")
    if not 2 <= len(program) <= 40:
        raise EncodingError(f"witness program is {len(program)} bytes; it must be 2 to 40 bytes")
    if version == 0 and len(program) not in (20, 32):
        raise EncodingError(
            f"a version 0 witness program must be 20 or 32 bytes, got {len(program)} (BIP141)"
        )
