"""Shape checks for what servers send: every value is checked before anything else reads it.

Each helper returns the value in the form the wallet uses (bytes for hex, internal byte order
for hashes) or raises :class:`SchemaError` with a phrase saying what was wrong; the client turns
that into a :class:`~wallet.backends.base.MalformedReply` naming the server and the request.
"""

from __future__ import annotations

import math
from typing import Any

from wallet.bitcoin.amount import MAX_MONEY
from wallet.spv.merkle import ElectrumProof

#: a branch longer than this cannot belong to any block (at most 16,666 transactions: depth 15)
MAX_BRANCH = 32


class SchemaError(ValueError):
    """A reply that does not have the shape the protocol promises (internal; never shown)."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def as_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(f"{what} should be an object, got {_show(value)}")
    return value


def field(obj: dict[str, Any], key: str, what: str) -> Any:
    if key not in obj:
        raise SchemaError(f"{what} has no {key!r}")
    return obj[key]


def as_list(value: Any, what: str, *, max_items: int) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(f"{what} should be a list, got {_show(value)}")
    if len(value) > max_items:
        raise SchemaError(f"{what} has {len(value)} items, more than the {max_items} accepted")
    return value


def as_int(value: Any, what: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """An integer (JSON booleans refused) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchemaError(f"{what} should be an integer, got {_show(value)}")
    if value < minimum:
        raise SchemaError(f"{what} should be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise SchemaError(f"{what} should be at most {maximum}, got {value}")
    return value


def as_decimal(text: str, what: str, *, max_digits: int = 12) -> int:
    """A non-negative integer written in ASCII digits (``str.isdigit`` also accepts ``²`` and
    other Unicode digits that ``int`` refuses), at most ``max_digits`` long."""
    if not (text.isascii() and text.isdigit()):
        raise SchemaError(f"{what} should be a number, got {_show(text)}")
    if len(text) > max_digits:
        raise SchemaError(f"{what} has {len(text)} digits, more than {max_digits}")
    return int(text)


def as_amount(value: Any, what: str) -> int:
    return as_int(value, what, minimum=0, maximum=MAX_MONEY)


def as_number(value: Any, what: str) -> float:
    """A finite JSON number (int or float, not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemaError(f"{what} should be a number, got {_show(value)}")
    if not math.isfinite(value):
        raise SchemaError(f"{what} should be a finite number, got {value}")
    return float(value)


def as_bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(f"{what} should be true or false, got {_show(value)}")
    return value


def as_str(value: Any, what: str, *, max_len: int = 1000) -> str:
    if not isinstance(value, str):
        raise SchemaError(f"{what} should be a string, got {_show(value)}")
    if len(value) > max_len:
        raise SchemaError(f"{what} is {len(value)} characters, more than {max_len}")
    return value


def as_hex(value: Any, what: str, *, size: int | None = None, max_size: int | None = None) -> bytes:
    """Hex text as bytes; ``size`` demands an exact byte length."""
    if not isinstance(value, str):
        raise SchemaError(f"{what} should be a hex string, got {_show(value)}")
    if len(value) % 2:
        raise SchemaError(f"{what} has an odd number of hex digits ({len(value)})")
    if max_size is not None and len(value) > 2 * max_size:
        raise SchemaError(f"{what} is {len(value) // 2} bytes, more than {max_size}")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise SchemaError(f"{what} is not hex") from None
    if len(value) != 2 * len(raw):  # fromhex skips whitespace; the protocols never send any
        raise SchemaError(f"{what} is not plain hex")
    if size is not None and len(raw) != size:
        raise SchemaError(f"{what} is {len(raw)} bytes, expected {size}")
    return raw


def as_hash(value: Any, what: str) -> bytes:
    """A 64-hex-digit hash in display order, returned in internal byte order."""
    if not isinstance(value, str) or len(value) != 64:
        raise SchemaError(f"{what} should be a 64-hex-digit hash, got {_show(value)}")
    return as_hex(value, what, size=32)[::-1]


def as_header(value: Any, what: str = "the header") -> bytes:
    """An 80-byte block header given as 160 hex digits."""
    return as_hex(value, what, size=80)


def as_status(value: Any, what: str = "the script hash status") -> str | None:
    """An Electrum status: null (no history) or 64 hex digits."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 64:
        raise SchemaError(f"{what} should be null or 64 hex digits, got {_show(value)}")
    as_hex(value, what, size=32)
    return value.lower()


def as_merkle_proof(value: Any) -> ElectrumProof:
    """``{"block_height", "merkle": [64-hex, ...], "pos"}`` (Electrum get_merkle, Esplora
    merkle-proof), with branch hashes in internal order; pos must fit the branch."""
    reply = as_dict(value, "the proof")
    height = as_int(field(reply, "block_height", "the proof"), "block_height")
    branch = as_list(field(reply, "merkle", "the proof"), "merkle", max_items=MAX_BRANCH)
    hashes = tuple(as_hash(h, "a merkle branch hash") for h in branch)
    pos = as_int(field(reply, "pos", "the proof"), "pos")
    if pos >> len(hashes):
        raise SchemaError(f"pos {pos} does not fit a branch of {len(hashes)} hashes")
    return ElectrumProof(height, hashes, pos)
