"""The BIP157 filter-header chain: what ties each block's compact filter to the ones before it.

A peer's ``cfheaders`` reply gives the filter header before a range and the hash of each filter
in it; the headers follow by chaining (``header_n = sha256d(filter_hash_n || header_{n-1})``),
so a peer commits to every filter up to a height with one 32-byte value. ``cfcheckpt`` gives
those values every 1,000 blocks. This module keeps the chain a client has accepted, checks new
ranges against it and against checkpoints, checks each downloaded filter against its header,
and locates where two peers' chains part (the height whose filter one of them lies about).

Nothing here talks to peers; :mod:`wallet.p2p` asks, and decides whom to believe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wallet.bitcoin.bip158 import filter_hash, filter_header
from wallet.bitcoin.errors import BitcoinError

#: BIP157: ``cfcheckpt`` carries the filter header of every 1,000th block.
CHECKPOINT_INTERVAL = 1000
#: BIP157: at most this many filter hashes per ``cfheaders`` (and filters per ``getcfilters``).
MAX_CFHEADERS = 2000
MAX_CFILTERS = 1000


class FilterHeaderError(BitcoinError):
    """A filter header, filter hash or filter that contradicts the accepted chain.

    ``height`` is the first block whose filter header (or filter) is wrong.
    """

    def __init__(self, height: int, message: str) -> None:
        self.height = height
        super().__init__(f"filter header at height {height}: {message}")


def chain_headers(prev_header: bytes, filter_hashes: Sequence[bytes]) -> list[bytes]:
    """The filter headers that ``filter_hashes`` give on top of ``prev_header``."""
    out = []
    prev = prev_header
    for fh in filter_hashes:
        if len(fh) != 32:
            raise ValueError("a filter hash is 32 bytes")
        prev = filter_header(fh, prev, is_hash=True)
        out.append(prev)
    return out


def checkpoint_heights(first: int, last: int, interval: int = CHECKPOINT_INTERVAL) -> range:
    """Heights in ``[first, last]`` that carry a ``cfcheckpt`` entry (1000, 2000, ...)."""
    start = max(interval, -(-first // interval) * interval)
    return range(start, last + 1, interval)


def first_difference(a: Sequence[bytes], b: Sequence[bytes]) -> int | None:
    """Index of the first entry where two lists differ (a shorter list differs where it ends)."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    if len(a) != len(b):
        return min(len(a), len(b))
    return None


@dataclass(frozen=True)
class HeldHeaders:
    """A :class:`FilterHeaderChain`'s headers at one moment (:meth:`FilterHeaderChain.
    snapshot`)."""

    base_height: int
    base_header: bytes
    headers: bytes


@dataclass(frozen=True)
class CheckpointRange:
    """Where a change lies between two checkpoints: heights ``first..last`` (inclusive)."""

    first: int
    last: int


def locate_checkpoint_mismatch(
    ours: Sequence[bytes], theirs: Sequence[bytes], interval: int = CHECKPOINT_INTERVAL
) -> CheckpointRange | None:
    """Two ``cfcheckpt`` lists (entries at interval, 2*interval, ...): the block range that
    holds the first filter they disagree on, or None when they agree on every shared entry."""
    i = first_difference(ours[: len(theirs)], theirs[: len(ours)])
    if i is None:
        return None
    return CheckpointRange(i * interval + 1, (i + 1) * interval)


class FilterHeaderChain:
    """Filter headers a client has accepted, from a known header up (in memory).

    ``base_height`` is the height whose filter header is ``base_header``: ``-1`` with 32 zero
    bytes for a chain from genesis (BIP157's "previous" header of block 0), or a height whose
    header a checkpoint or a trusted earlier run gives.
    """

    def __init__(self, base_height: int = -1, base_header: bytes = bytes(32)) -> None:
        if len(base_header) != 32:
            raise ValueError("a filter header is 32 bytes")
        self.base_height = base_height
        self._base = base_header
        self._headers = bytearray()
        #: height -> filter header every peer must agree with (from ``cfcheckpt``)
        self.checkpoints: dict[int, bytes] = {}

    @property
    def tip_height(self) -> int:
        return self.base_height + len(self._headers) // 32

    def header(self, height: int) -> bytes:
        """The accepted filter header of block ``height`` (the base's too)."""
        if height == self.base_height:
            return self._base
        i = height - self.base_height - 1
        if not 0 <= i < len(self._headers) // 32:
            raise KeyError(f"no filter header at height {height}")
        return bytes(self._headers[32 * i : 32 * i + 32])

    def headers(self, first: int, last: int) -> list[bytes]:
        return [self.header(h) for h in range(first, last + 1)]

    def set_checkpoints(
        self, entries: Sequence[bytes], interval: int = CHECKPOINT_INTERVAL
    ) -> None:
        """Adopt ``cfcheckpt`` entries (heights interval, 2*interval, ...) and check the headers
        already accepted against them."""
        self.checkpoints = {interval * (i + 1): e for i, e in enumerate(entries)}
        for height, expected in self.checkpoints.items():
            if self.base_height < height <= self.tip_height and self.header(height) != expected:
                raise FilterHeaderError(height, "it contradicts the checkpoint at this height")

    def derive(self, first: int, prev_header: bytes, filter_hashes: Sequence[bytes]) -> list[bytes]:
        """Headers for blocks ``first..`` from a ``cfheaders`` reply, checked but not adopted:
        the previous header must be ours and every checkpoint in the range must match."""
        if first - 1 > self.tip_height or first - 1 < self.base_height:
            raise FilterHeaderError(
                first, f"the range does not start next to the accepted chain ({self.tip_height})"
            )
        if prev_header != self.header(first - 1):
            raise FilterHeaderError(
                first - 1, "the previous filter header differs from the one accepted"
            )
        headers = chain_headers(prev_header, filter_hashes)
        self._check_checkpoints(first, headers)
        return headers

    def _check_checkpoints(self, first: int, headers: Sequence[bytes]) -> None:
        last = first + len(headers) - 1
        for height in sorted(h for h in self.checkpoints if first <= h <= last):
            if headers[height - first] != self.checkpoints[height]:
                raise FilterHeaderError(height, "it contradicts the checkpoint at this height")

    def extend(self, first: int, prev_header: bytes, filter_hashes: Sequence[bytes]) -> int:
        """Adopt a ``cfheaders`` range (see :meth:`derive`); replaces anything above ``first - 1``
        (a reorg); returns the new tip height."""
        headers = self.derive(first, prev_header, filter_hashes)
        self.rewind(first - 1)
        self._headers += b"".join(headers)
        return self.tip_height

    def adopt(self, first: int, headers: Sequence[bytes]) -> None:
        """Adopt filter headers already trusted (saved by an earlier run, or agreed on by
        every peer), checked against the checkpoints; replaces anything above ``first - 1``."""
        if not self.base_height < first <= self.tip_height + 1:
            raise FilterHeaderError(first, f"the headers do not follow height {self.tip_height}")
        self._check_checkpoints(first, headers)
        self.rewind(first - 1)
        self._headers += b"".join(headers)

    def snapshot(self) -> HeldHeaders:
        """The headers held now, to tell later which of them were replaced or dropped."""
        return HeldHeaders(self.base_height, self._base, bytes(self._headers))

    def restore(self, held: HeldHeaders) -> None:
        """Go back to ``held`` (a sync that replaced some of them failed before it ended)."""
        self.base_height, self._base = held.base_height, held.base_header
        self._headers = bytearray(held.headers)

    def first_change(self, held: HeldHeaders) -> int | None:
        """The lowest height whose header in ``held`` is no longer ours (replaced, or gone
        below our tip); None when every one of them still is."""
        if held.base_height != self.base_height or held.base_header != self._base:
            return held.base_height + 1
        ours = bytes(self._headers[: len(held.headers)])
        if ours == held.headers:
            return None
        lo, hi = 0, min(len(ours), len(held.headers)) // 32  # the first differing entry
        while lo < hi:
            mid = (lo + hi) // 2
            if ours[: 32 * (mid + 1)] == held.headers[: 32 * (mid + 1)]:
                lo = mid + 1
            else:
                hi = mid
        return self.base_height + 1 + lo

    def rewind(self, height: int) -> None:
        """Forget the headers above ``height`` (their blocks left the best chain)."""
        keep = max(0, height - self.base_height)
        del self._headers[32 * keep :]

    def check_filter(self, height: int, data: bytes) -> bytes:
        """Refuse a filter that is not the one committed to at ``height``; return its hash."""
        fh = filter_hash(data)
        if filter_header(fh, self.header(height - 1), is_hash=True) != self.header(height):
            raise FilterHeaderError(height, "the filter does not hash to the accepted header")
        return fh
