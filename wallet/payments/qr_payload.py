"""What a scanned QR text is, and the text to put into a QR code for a payment.

Deliberately small: it sorts a decoded text into bitcoin URI / address / PSBT / lightning /
unknown so the scanner can route it, and applies BIP21's upper-case trick when rendering. Real
URI parsing and address validation belong to the URI and address modules, not here.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re

from wallet.bitcoin.networks import NETWORKS

BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: Human-readable parts of segwit addresses on every network we know (bc, tb, bcrt).
SEGWIT_HRPS = tuple(sorted({n.bech32_hrp for n in NETWORKS.values()}, key=len, reverse=True))
_LIGHTNING_PREFIXES = ("lnbc", "lntb", "lntbs", "lnbcrt", "lnsb", "lnurl", "lno1", "lni1")
_PSBT_B64_MAGIC = "cHNidP8"  # base64 of b"psbt\xff"
_PSBT_HEX_MAGIC = "70736274ff"


class PayloadKind(enum.StrEnum):
    """Where a scanned text should go next (the scanner never acts on it by itself)."""

    BITCOIN_URI = "bitcoin-uri"
    ADDRESS = "address"
    PSBT = "psbt"
    LIGHTNING = "lightning"
    UNKNOWN = "unknown"


def looks_like_segwit_address(text: str) -> bool:
    """True for a single-case string shaped like a bech32/bech32m address of a known network.

    The checksum is not verified (that is the address module's job), but the shape is enough to
    know that upper-casing it cannot change its meaning: bech32 is case-insensitive while a base58
    address, which never starts with a segwit prefix, is case-sensitive.
    """
    if not 14 <= len(text) <= 90 or (text != text.lower() and text != text.upper()):
        return False
    low = text.lower()
    for hrp in SEGWIT_HRPS:
        if low.startswith(hrp + "1"):
            data = low[len(hrp) + 1 :]
            return len(data) >= 6 and all(c in BECH32_CHARSET for c in data)
    return False


def _looks_like_base58_address(text: str) -> bool:
    return 26 <= len(text) <= 35 and text[0] in "13mn2" and all(c in _BASE58 for c in text)


def _looks_like_psbt(text: str) -> bool:
    compact = "".join(text.split())
    if compact.startswith(_PSBT_B64_MAGIC):
        try:
            return base64.b64decode(compact, validate=True).startswith(b"psbt\xff")
        except (binascii.Error, ValueError):
            return False
    if compact.lower().startswith(_PSBT_HEX_MAGIC):
        return re.fullmatch(r"(?:[0-9a-fA-F]{2})+", compact) is not None
    return False


def classify(text: str) -> PayloadKind:
    """Sort a decoded QR text into a :class:`PayloadKind` by its shape."""
    stripped = text.strip()
    low = stripped.lower()
    if low.startswith("bitcoin:"):
        return PayloadKind.BITCOIN_URI
    if low.startswith("lightning:") or low.startswith(_LIGHTNING_PREFIXES):
        return PayloadKind.LIGHTNING
    if _looks_like_psbt(stripped):
        return PayloadKind.PSBT
    if looks_like_segwit_address(stripped) or _looks_like_base58_address(stripped):
        return PayloadKind.ADDRESS
    return PayloadKind.UNKNOWN


def qr_text(text: str) -> str:
    """The text to encode for ``text``: BIP21's upper-case trick where it is safe, else as is.

    BIP21/BIP173 suggest upper-casing a bech32 address inside a QR code so the scheme and
    address use the denser alphanumeric mode. Only ``bitcoin:`` (case-insensitive per RFC 3986)
    and a bech32 address are upper-cased; the query (labels, messages) and base58 addresses are
    case-sensitive and stay exactly as given. A bare bech32 address is upper-cased as a whole.
    """
    if looks_like_segwit_address(text):
        return text.upper()
    if text[:8].lower() != "bitcoin:":
        return text
    rest = text[8:]
    cut = len(rest)
    for sep in "?#":
        at = rest.find(sep)
        if at != -1:
            cut = min(cut, at)
    address, tail = rest[:cut], rest[cut:]
    if not looks_like_segwit_address(address):
        return text
    return "BITCOIN:" + address.upper() + tail
