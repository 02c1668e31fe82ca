"""BIP158 compact block filters: SipHash-2-4, Golomb-Rice coded sets, basic filters, headers.

A basic filter commits to every script a block touches: each output script (except empty ones
and ``OP_RETURN`` data carriers) and the script of every output its inputs spend (except the
coinbase's, and empty ones). Each distinct script is hashed with SipHash-2-4 keyed by the first
16 bytes of the block hash, mapped onto ``[0, N*M)``, sorted, and the differences are written
with Golomb-Rice coding (parameter ``P``), after the element count ``N`` as a CompactSize.

This module builds and decodes filters exactly (pure Python: a light client builds few filters,
and decodes them here only as the reference). Matching many filters quickly against a wallet's
scripts is :mod:`wallet.bitcoin.bip158_match`. The filter header chain (BIP157) is
``header_n = sha256d(sha256d(filter_n) || header_{n-1})``, all in internal byte order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wallet.bitcoin.errors import DecodeError
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.serialize import ByteReader, encode_varint

#: BIP158 basic filter parameters.
BASIC_FILTER_TYPE = 0
P = 19
M = 784931
_MASK64 = (1 << 64) - 1
#: Bitcoin Core refuses to decode a filter announcing more elements than this (blockfilter.cpp).
MAX_ELEMENTS = 1 << 32


class FilterError(DecodeError):
    """A compact filter that does not decode (bad count, truncated stream)."""


# -- SipHash-2-4 ------------------------------------------------------------------------------


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _MASK64


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the 128-bit key ``(k0, k1)`` (two little-endian u64)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(data)
    tail = n - n % 8
    words = [int.from_bytes(data[i : i + 8], "little") for i in range(0, tail, 8)]
    words.append(((n & 0xFF) << 56) | int.from_bytes(data[tail:], "little"))

    def rounds(k: int) -> None:
        nonlocal v0, v1, v2, v3
        for _ in range(k):
            v0 = (v0 + v1) & _MASK64
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK64
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK64
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK64
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)

    for m in words:
        v3 ^= m
        rounds(2)
        v0 ^= m
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


def filter_key(block_hash: bytes) -> tuple[int, int]:
    """The SipHash key of a block's filter: the first 16 bytes of its hash (internal order)."""
    if len(block_hash) != 32:
        raise ValueError("a block hash is 32 bytes")
    return int.from_bytes(block_hash[0:8], "little"), int.from_bytes(block_hash[8:16], "little")


def hash_to_range(k0: int, k1: int, item: bytes, f: int) -> int:
    """``item`` hashed onto ``[0, f)`` as BIP158 does (multiply and keep the high 64 bits)."""
    return (siphash24(k0, k1, item) * f) >> 64


def hashed_set(block_hash: bytes, items: Iterable[bytes], n: int, m: int = M) -> list[int]:
    """The sorted hashed values of ``items`` for a filter of ``n`` elements."""
    k0, k1 = filter_key(block_hash)
    f = n * m
    return sorted(hash_to_range(k0, k1, it, f) for it in items)


# -- Golomb-Rice coding -----------------------------------------------------------------------


class _BitWriter:
    def __init__(self) -> None:
        self.acc = 0
        self.nbits = 0
        self.out = bytearray()

    def write(self, value: int, nbits: int) -> None:
        self.acc = (self.acc << nbits) | value
        self.nbits += nbits
        while self.nbits >= 8:
            self.nbits -= 8
            self.out.append((self.acc >> self.nbits) & 0xFF)
        self.acc &= (1 << self.nbits) - 1

    def finish(self) -> bytes:
        if self.nbits:
            self.out.append((self.acc << (8 - self.nbits)) & 0xFF)
            self.acc = self.nbits = 0
        return bytes(self.out)


def golomb_encode(sorted_values: Sequence[int], p: int = P) -> bytes:
    """The Golomb-Rice bit stream (zero-padded to a byte) of ascending values' differences."""
    w = _BitWriter()
    last = 0
    for v in sorted_values:
        delta = v - last
        if delta < 0:
            raise ValueError("values must be sorted ascending")
        last = v
        q = delta >> p
        while q >= 32:  # unary quotient, written in slices so the accumulator stays small
            w.write(0xFFFFFFFF, 32)
            q -= 32
        w.write((1 << (q + 1)) - 2, q + 1)  # q ones then a zero
        w.write(delta & ((1 << p) - 1), p)
    return w.finish()


def golomb_decode(stream: bytes, n: int, p: int = P) -> list[int]:
    """The ``n`` ascending values of a Golomb-Rice stream: the plain bit-by-bit reader.

    This is the straightforward decoder (the reference for the fast matcher, and its fallback
    for the rare filter with a quotient it does not handle).
    """
    total = len(stream) * 8
    if n * (p + 1) > total:
        raise FilterError(f"a filter of {n} elements cannot fit in {len(stream)} bytes")
    data = stream
    pos = 0
    value = 0
    out = []
    for _ in range(n):
        q = 0
        while True:
            if pos >= total:
                raise FilterError("the filter's bit stream ends inside an element")
            bit = (data[pos >> 3] >> (7 - (pos & 7))) & 1
            pos += 1
            if not bit:
                break
            q += 1
        if pos + p > total:
            raise FilterError("the filter's bit stream ends inside an element")
        r = 0
        for _ in range(p):
            r = (r << 1) | ((data[pos >> 3] >> (7 - (pos & 7))) & 1)
            pos += 1
        value += (q << p) | r
        out.append(value)
    return out


# -- filters ----------------------------------------------------------------------------------


def split_filter(data: bytes) -> tuple[int, bytes]:
    """``(N, bit stream)`` of a serialized filter."""
    r = ByteReader(data, FilterError)
    n = r.varint()
    if n >= MAX_ELEMENTS:
        raise FilterError(f"a filter of {n} elements is larger than any block can need")
    stream = bytes(r.data[r.pos :])
    if n * (P + 1) > len(stream) * 8:
        raise FilterError(f"a filter of {n} elements cannot fit in {len(stream)} bytes")
    return n, stream


def basic_filter_elements(
    transactions: Sequence[Any], prevout_scripts: Iterable[bytes]
) -> set[bytes]:
    """The distinct scripts a basic filter commits to.

    ``transactions`` are the block's (:class:`~wallet.bitcoin.transaction.Transaction`), and
    ``prevout_scripts`` the scripts of the outputs its non-coinbase inputs spend (any order).
    """
    elements: set[bytes] = set()
    for tx in transactions:
        for out in tx.outputs:
            spk = out.script_pubkey
            if spk and spk[0] != 0x6A:
                elements.add(bytes(spk))
    elements.update(bytes(s) for s in prevout_scripts if s)
    return elements


def build_filter(block_hash: bytes, elements: Iterable[bytes]) -> bytes:
    """The serialized basic filter of a block: CompactSize N then the Golomb-Rice stream."""
    items = set(elements)
    n = len(items)
    values = hashed_set(block_hash, items, n)
    return encode_varint(n) + golomb_encode(values)


def filter_values(block_hash: bytes, data: bytes) -> list[int]:
    """The hashed values a serialized filter holds (decoded with the plain reader)."""
    del block_hash  # the values do not depend on the key; kept for a uniform signature
    n, stream = split_filter(data)
    return golomb_decode(stream, n)


def match_any(block_hash: bytes, data: bytes, items: Iterable[bytes]) -> bool:
    """Whether any of ``items`` may be in the filter (plain decoder; false positives ~1/M).

    For many filters at once use :func:`wallet.bitcoin.bip158_match.match_filters`.
    """
    n, stream = split_filter(data)
    if n == 0:
        return False
    wanted = set(hashed_set(block_hash, set(items), n))
    if not wanted:
        return False
    return any(v in wanted for v in golomb_decode(stream, n))


def filter_hash(data: bytes) -> bytes:
    """sha256d of the serialized filter (internal byte order)."""
    return sha256d(data)


def filter_header(data_or_hash: bytes, prev_header: bytes, *, is_hash: bool = False) -> bytes:
    """BIP157 filter header: sha256d(filter hash || previous filter header)."""
    if len(prev_header) != 32:
        raise ValueError("a filter header is 32 bytes")
    fh = data_or_hash if is_hash else filter_hash(data_or_hash)
    return sha256d(fh + prev_header)


@dataclass(frozen=True)
class BlockFilter:
    """A block's basic filter with the hash that keys it."""

    block_hash: bytes
    data: bytes

    @classmethod
    def from_block(cls, block: Any, prevout_scripts: Iterable[bytes]) -> BlockFilter:
        """Build from a :class:`~wallet.spv.merkle.Block`-like object (``.header``,
        ``.transactions``) and the scripts its inputs spend."""
        block_hash = block.header.hash()
        elements = basic_filter_elements(block.transactions, prevout_scripts)
        return cls(block_hash, build_filter(block_hash, elements))

    @property
    def n(self) -> int:
        return split_filter(self.data)[0]

    def hash(self) -> bytes:
        return filter_hash(self.data)

    def header(self, prev_header: bytes) -> bytes:
        return filter_header(self.data, prev_header)

    def match_any(self, items: Iterable[bytes]) -> bool:
        return match_any(self.block_hash, self.data, items)


def derivable_prevout_script(script_sig: bytes, witness: Sequence[bytes]) -> bytes | None:
    """The script an input spends when its scriptSig and witness show it unambiguously.

    A light client has no UTXO set, so it cannot rebuild a filter's spent-script half; but for
    the common templates the input itself reveals the script (P2WPKH, P2SH-wrapped segwit,
    P2PKH), which is enough to catch a filter that leaves them out (as Neutrino checks). None
    for anything else (Taproot, bare scripts, P2WSH...).
    """
    from wallet.bitcoin.hashes import hash160

    pushes = _pushes(script_sig)
    if pushes is None:
        return None
    if not script_sig and len(witness) == 2 and _is_pubkey(witness[1], compressed=True):
        return b"\x00\x14" + hash160(witness[1])
    if witness and len(pushes) == 1:
        redeem = pushes[0]
        if (len(redeem) == 22 and redeem[:2] == b"\x00\x14") or (
            len(redeem) == 34 and redeem[:2] == b"\x00\x20"
        ):
            return b"\xa9\x14" + hash160(redeem) + b"\x87"
    if not witness and len(pushes) == 2 and pushes[0][:1] == b"\x30" and _is_pubkey(pushes[1]):
        return b"\x76\xa9\x14" + hash160(pushes[1]) + b"\x88\xac"
    return None


def _is_pubkey(data: bytes, compressed: bool = False) -> bool:
    if len(data) == 33 and data[0] in (2, 3):
        return True
    return not compressed and len(data) == 65 and data[0] == 4


def _pushes(script: bytes) -> list[bytes] | None:
    """The data pushes of a push-only script (None if it holds anything else)."""
    out = []
    i = 0
    while i < len(script):
        op = script[i]
        i += 1
        if 1 <= op <= 75:
            n = op
        elif op in (0x4C, 0x4D, 0x4E):
            size = {0x4C: 1, 0x4D: 2, 0x4E: 4}[op]
            if i + size > len(script):
                return None
            n = int.from_bytes(script[i : i + size], "little")
            i += size
        else:
            return None
        if i + n > len(script):
            return None
        out.append(script[i : i + n])
        i += n
    return out


def missing_from_filter(block: Any, data: bytes) -> list[bytes]:
    """Scripts of ``block`` a correct basic filter must hold but ``data`` does not: every
    output script (not empty, not OP_RETURN) and every spent script the inputs reveal."""
    must = basic_filter_elements(block.transactions, [])
    for tx in block.transactions[1:]:
        for txin in tx.inputs:
            script = derivable_prevout_script(txin.script_sig, txin.witness)
            if script is not None:
                must.add(script)
    n, stream = split_filter(data)
    if n == 0:
        return sorted(must)
    have = set(golomb_decode(stream, n))
    k0, k1 = filter_key(block.header.hash())
    return [s for s in sorted(must) if hash_to_range(k0, k1, s, n * M) not in have]


def all_prevouts_derivable(block: Any) -> list[bytes] | None:
    """Every spent script of ``block`` if each input reveals it, else None (then only
    :func:`missing_from_filter` can judge a filter)."""
    out = []
    for tx in block.transactions[1:]:
        for txin in tx.inputs:
            script = derivable_prevout_script(txin.script_sig, txin.witness)
            if script is None:
                return None
            out.append(script)
    return out
