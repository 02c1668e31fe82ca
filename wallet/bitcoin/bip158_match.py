"""Matching a wallet's scripts against many BIP158 filters at once, fast (numpy).

A restore tests one filter per block against the wallet's scripts: on mainnet a filter holds
about 10,000 elements, so a plain decoder reading bit by bit spends milliseconds per block. A
Golomb-Rice stream cannot be split (each element's position depends on the one before), so
instead of decoding one filter faster we decode *many filters in lockstep*: lane ``i`` decodes
filter ``i``, and each step reads the next element of every lane with a handful of numpy
operations over all lanes:

* the lanes' bit streams sit in one buffer, viewed as big-endian 64-bit words at *every* byte
  offset (a strided view, no copy), so one gather reads the 64 bits at each lane's position;
* the unary quotient is the count of leading ones, looked up from a 65,536-entry table of the
  word's top 16 bits; the remainder is the 19 bits after its terminating zero;
* filters are sorted by element count, longest first, so the lanes still decoding are always a
  prefix: a step works on a slice, with no masks.

A quotient of 16 or more (a gap above 16 * 2**19 between neighbours: rare in a real filter) is
beyond the table; such a filter is decoded again with the plain reader, so answers are exact.
The wallet's scripts are hashed for every filter's key in one vectorised SipHash-2-4.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from wallet.bitcoin.bip158 import FilterError, M, P, filter_key, golomb_decode, split_filter

_C = (0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573)
_REM_SHIFT = np.uint64(64 - P)


def _rotl(x: np.ndarray, b: int) -> np.ndarray:
    return (x << np.uint64(b)) | (x >> np.uint64(64 - b))


def _sipround(v0: Any, v1: Any, v2: Any, v3: Any) -> tuple[Any, Any, Any, Any]:
    v0 += v1
    v1 = _rotl(v1, 13)
    v1 ^= v0
    v0 = _rotl(v0, 32)
    v2 += v3
    v3 = _rotl(v3, 16)
    v3 ^= v2
    v0 += v3
    v3 = _rotl(v3, 21)
    v3 ^= v0
    v2 += v1
    v1 = _rotl(v1, 17)
    v1 ^= v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def _words(items: Sequence[bytes]) -> dict[int, np.ndarray]:
    """SipHash message words of each item, grouped by word count: {count: (items, count)}."""
    groups: dict[int, list[list[int]]] = {}
    for it in items:
        n = len(it)
        tail = n - n % 8
        words = [int.from_bytes(it[i : i + 8], "little") for i in range(0, tail, 8)]
        words.append(((n & 0xFF) << 56) | int.from_bytes(it[tail:], "little"))
        groups.setdefault(len(words), []).append(words)
    return {k: np.array(v, dtype=np.uint64) for k, v in groups.items()}


def siphash_many(k0: np.ndarray, k1: np.ndarray, items: Sequence[bytes]) -> np.ndarray:
    """SipHash-2-4 of every item under every key: shape (keys, items), items in given order."""
    k0 = np.asarray(k0, dtype=np.uint64)[:, None]
    k1 = np.asarray(k1, dtype=np.uint64)[:, None]
    out = np.empty((k0.shape[0], len(items)), dtype=np.uint64)
    order: dict[int, list[int]] = {}
    for i, it in enumerate(items):
        order.setdefault(len(it) // 8 + 1, []).append(i)
    with np.errstate(over="ignore"):
        for count, words in _words(items).items():
            cols = order[count]
            shape = (k0.shape[0], len(cols))
            v0 = np.broadcast_to(k0 ^ np.uint64(_C[0]), shape).copy()
            v1 = np.broadcast_to(k1 ^ np.uint64(_C[1]), shape).copy()
            v2 = np.broadcast_to(k0 ^ np.uint64(_C[2]), shape).copy()
            v3 = np.broadcast_to(k1 ^ np.uint64(_C[3]), shape).copy()
            for j in range(count):
                m = words[:, j][None, :]
                v3 ^= m
                v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
                v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
                v0 ^= m
            v2 ^= np.uint64(0xFF)
            for _ in range(4):
                v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
            out[:, cols] = v0 ^ v1 ^ v2 ^ v3
    return out


def _mulhi(h: np.ndarray, f: np.ndarray) -> np.ndarray:
    """The high 64 bits of the 128-bit products ``h * f`` (uint64 arrays, broadcast)."""
    lo32 = np.uint64(0xFFFFFFFF)
    s32 = np.uint64(32)
    h0, h1 = h & lo32, h >> s32
    f0, f1 = f & lo32, f >> s32
    with np.errstate(over="ignore"):
        mid = h1 * f0 + ((h0 * f0) >> s32)
        mid2 = (mid & lo32) + h0 * f1
        high: np.ndarray = h1 * f1 + (mid >> s32) + (mid2 >> s32)
        return high


class Workspace:
    """Memory reused from one chunk of filters to the next (first touches of fresh pages cost
    as much as a third of the decoding)."""

    def __init__(self) -> None:
        self._flat = np.empty(0, dtype=np.uint64)

    def values(self, rows: int, cols: int) -> np.ndarray:
        if self._flat.size < rows * cols:
            self._flat = np.empty(rows * cols, dtype=np.uint64)
        return self._flat[: rows * cols].reshape(rows, cols)


def decode_many(
    streams: Sequence[bytes], counts: Sequence[int], workspace: Workspace | None = None
) -> list[np.ndarray]:
    """The ascending values of many Golomb-Rice streams (P=19), decoded in lockstep.

    Raises :class:`FilterError` for a stream too short for its element count. The arrays
    returned are views into ``workspace``: valid until it decodes again.
    """
    k = len(streams)
    if k == 0:
        return []
    counts_arr = np.asarray(counts, dtype=np.int64)
    order = np.argsort(-counts_arr, kind="stable")
    sorted_counts = counts_arr[order]
    max_n = int(sorted_counts[0])
    if max_n == 0:
        return [np.zeros(0, dtype=np.uint64) for _ in range(k)]
    # One buffer: the streams in lane order, then zero padding a derailed lane may run into
    # (a lane reads one element per step and moves on by at most 1075 + 1 + P bits: the
    # quotient computed from an all-ones window).
    lengths = np.array([len(streams[i]) for i in order], dtype=np.int64)
    starts = np.zeros(k, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    buf = b"".join(streams[i] for i in order) + bytes(max_n * 137 + 16)
    words = np.ndarray(shape=(len(buf) - 7,), dtype=">u8", buffer=buf, strides=(1,))
    pos = starts * 8
    acc = np.zeros(k, dtype=np.uint64)
    qmax = np.zeros(k, dtype=np.int64)
    values = (workspace or Workspace()).values(max_n, k)
    # active[s]: lanes with more than s elements, a prefix since lanes are sorted
    active = np.searchsorted(-sorted_counts, -np.arange(max_n), side="left")
    s3, s7, s11, s52 = np.int64(3), np.int64(7), np.uint64(11), np.int64(52)
    bias, one, step = np.int64(1075), np.uint64(1), np.int64(P + 1)
    pu, rem_shift = np.uint64(P), _REM_SHIFT
    for s in range(max_n):
        a = int(active[s])
        p = pos[:a]
        w = words[p >> s3] << (p & s7).view(np.uint64)
        # leading ones of w = 52 - floor(log2(~w >> 11)), exact: ~w >> 11 < 2**53
        q = bias - (((~w) >> s11).astype(np.float64).view(np.int64) >> s52)
        qu = q.view(np.uint64)
        v = acc[:a]
        v += (qu << pu) | ((w << (qu + one)) >> rem_shift)
        values[s, :a] = v
        np.maximum(qmax[:a], q, out=qmax[:a])
        p += q + step
    # A quotient of 37 or more (never seen in a real filter) does not fit the 64-bit window;
    # such a lane, and one that ran past its own bytes (a stream too short for its count),
    # is decoded again by the plain reader, which gives the exact values or the error.
    ends = (starts + lengths) * 8
    results: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)] * k
    for lane in range(k):
        original = int(order[lane])
        n = int(sorted_counts[lane])
        if qmax[lane] > 64 - 8 - P - 1 or pos[lane] > ends[lane]:
            results[original] = np.array(golomb_decode(streams[original], n), dtype=np.uint64)
        else:
            results[original] = values[:n, lane]
    return results


#: Filters decoded together: more lanes amortise numpy's per-call cost; each lane keeps its
#: decoded values (8 bytes per element) until its chunk is matched.
CHUNK = 1000


def match_filters(
    filters: Sequence[tuple[bytes, bytes]], items: Iterable[bytes], chunk: int = CHUNK
) -> list[bool]:
    """For each ``(block_hash, serialized filter)``, whether any of ``items`` may be in it.

    Raises :class:`~wallet.bitcoin.bip158.FilterError` for a filter that does not decode.
    False positives happen at about 1 in 784,931 per item and filter, as BIP158 intends.
    """
    wanted = sorted(set(items))
    workspace = Workspace()
    out: list[bool] = []
    for i in range(0, len(filters), chunk):
        out += _match_chunk(filters[i : i + chunk], wanted, workspace)
    return out


def _match_chunk(
    filters: Sequence[tuple[bytes, bytes]], wanted: list[bytes], workspace: Workspace
) -> list[bool]:
    parsed = [split_filter(data) for _, data in filters]
    if not wanted:
        return [False] * len(filters)
    keys = np.array([filter_key(h) for h, _ in filters], dtype=np.uint64).reshape(-1, 2)
    hashes = siphash_many(keys[:, 0], keys[:, 1], wanted)
    f = np.array([n * M for n, _ in parsed], dtype=np.uint64)[:, None]
    targets = np.sort(_mulhi(hashes, f), axis=1)
    decoded = decode_many([s for _, s in parsed], [n for n, _ in parsed], workspace)
    out = []
    for i, values in enumerate(decoded):
        if values.size == 0:
            out.append(False)
            continue
        idx = np.searchsorted(values, targets[i])
        idx[idx >= values.size] = values.size - 1
        out.append(bool(np.any(values[idx] == targets[i])))
    return out


__all__ = ["FilterError", "Workspace", "decode_many", "match_filters", "siphash_many"]
