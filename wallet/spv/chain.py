"""Header-chain validation exactly as Bitcoin Core applies it, fast enough for a full sync.

Two paths share one set of rules:

* :func:`check_header` validates one header against a :class:`ChainTip`, in Core's order
  (``CheckBlockHeader`` then ``AcceptBlockHeader`` then ``ContextualCheckBlockHeader``), so the rule
  it names for a bad header is the reject reason Core would give.
* :func:`verify_headers` validates a run of raw headers in bulk. It never builds a Python object per
  header: the 80-byte records are read as one array of 32-bit words, so the fields of all headers
  come out as strided slices (C speed); links and proof of work are compared word-wise against the
  hashes; the expected ``bits`` is computed once per retarget period (per header only on networks
  with the 20-minute rule); median-time-past is computed exactly only for the few headers whose time
  is not above every earlier time. When anything fails, the first failing header is handed to
  :func:`check_header`, which names the rule.
"""

from __future__ import annotations

import hashlib
import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from wallet.bitcoin.networks import Network
from wallet.spv.errors import InvalidHeader
from wallet.spv.header import HEADER_SIZE, HeaderError
from wallet.spv.pow import (
    MAX_FUTURE_BLOCK_TIME,
    MAX_TIMEWARP,
    MEDIAN_TIME_SPAN,
    VERSION_RULES,
    block_work,
    calculate_next_bits,
    min_version,
    pow_limit_bits,
    target_for_network,
)

_sha256 = hashlib.sha256


@dataclass(frozen=True)
class ChainTip:
    """Everything validating the next header needs to know about the chain below it.

    Strictly needed: the tip's hash (link), bits and the bits rule state (``walk_bits``: on
    testnets, the bits of the nearest ancestor that is a period start or not at minimum
    difficulty), the last 11 timestamps (median-time-past; the last one also serves BIP94 and the
    20-minute rule), and for the next retarget either the first block of the current period
    (time, and bits for BIP94) or, from a checkpoint at a period end, the next period's bits.
    """

    network: Network
    height: int
    #: internal byte order
    hash: bytes
    bits: int
    #: times of the last (up to) 11 blocks, oldest first, ending with the tip's
    times: tuple[int, ...]
    #: time and bits of the first block of the tip's retarget period (None: unknown)
    period_start_time: int | None
    period_start_bits: int | None
    walk_bits: int
    #: total work up to and including the tip (None: unknown, e.g. a testnet4 checkpoint)
    chainwork: int | None
    #: bits the next block must carry, known from a checkpoint at a period end
    next_bits: int | None = None

    @property
    def hash_hex(self) -> str:
        return self.hash[::-1].hex()

    @property
    def median_time_past(self) -> int:
        return sorted(self.times)[len(self.times) // 2]

    @classmethod
    def genesis(cls, network: Network) -> ChainTip:
        """The tip after the network's genesis block (taken from the chain parameters)."""
        return cls(
            network=network,
            height=0,
            hash=bytes.fromhex(network.genesis_hash)[::-1],
            bits=network.genesis_bits,
            times=(network.genesis_time,),
            period_start_time=network.genesis_time,
            period_start_bits=network.genesis_bits,
            walk_bits=network.genesis_bits,
            chainwork=block_work(network.genesis_bits),
        )

    def expected_bits(self, time: int) -> int:
        """Core's ``GetNextWorkRequired`` for a child of this tip with timestamp ``time``."""
        net = self.network
        height = self.height + 1
        if height % net.retarget_interval:
            if net.allow_min_difficulty_blocks:
                if time > self.times[-1] + 2 * net.pow_target_spacing:
                    return pow_limit_bits(net)
                return self.walk_bits
            return self.bits
        if self.next_bits is not None:
            return self.next_bits
        if net.no_retargeting:
            return self.bits
        if self.period_start_time is None:
            raise InvalidHeader(
                "missing-context",
                height,
                "the first block of the previous period is unknown, so the retarget cannot be "
                "checked; start from genesis or from a checkpoint at a period end",
            )
        return calculate_next_bits(
            net, self.bits, self.times[-1], self.period_start_time, self.period_start_bits
        )

    def child(self, block_hash: bytes, bits: int, time: int) -> ChainTip:
        """The tip after accepting a (valid) child header."""
        height = self.height + 1
        start = height % self.network.retarget_interval == 0
        walk = bits if start or bits != pow_limit_bits(self.network) else self.walk_bits
        return ChainTip(
            network=self.network,
            height=height,
            hash=block_hash,
            bits=bits,
            times=(*self.times, time)[-MEDIAN_TIME_SPAN:],
            period_start_time=time if start else self.period_start_time,
            period_start_bits=bits if start else self.period_start_bits,
            walk_bits=walk,
            chainwork=None if self.chainwork is None else self.chainwork + block_work(bits),
        )


def _now(now: int | None) -> int:
    return int(_time.time()) if now is None else now


def check_header(
    raw: bytes,
    tip: ChainTip,
    now: int | None = None,
    checkpoints: Mapping[int, bytes] | None = None,
) -> ChainTip:
    """Validate one header on top of ``tip``; return the new tip or raise :class:`InvalidHeader`.

    The checks run in Bitcoin Core's order, so the first rule broken is the one Core reports.
    """
    if len(raw) != HEADER_SIZE:
        raise HeaderError(f"a block header is 80 bytes, got {len(raw)}")
    net = tip.network
    height = tip.height + 1
    block_hash = _sha256(_sha256(raw).digest()).digest()
    hex_hash = block_hash[::-1].hex()
    bits = int.from_bytes(raw[72:76], "little")
    time = int.from_bytes(raw[68:72], "little")
    version = int.from_bytes(raw[0:4], "little", signed=True)

    def bad(rule: str, message: str) -> InvalidHeader:
        return InvalidHeader(rule, height, message, hex_hash)

    target = target_for_network(bits, net)
    if target is None or int.from_bytes(block_hash, "little") > target:
        raise bad("high-hash", f"hash {hex_hash} does not meet the target of bits {bits:08x}")
    if raw[4:36] != tip.hash:
        raise bad(
            "prev-blk-not-found",
            f"its parent {raw[4:36][::-1].hex()} is not the block at height {tip.height} "
            f"({tip.hash_hex})",
        )
    expected = tip.expected_bits(time)
    if bits != expected:
        raise bad(
            "bad-diffbits", f"bits are {bits:08x}, the difficulty rules require {expected:08x}"
        )
    mtp = tip.median_time_past
    if time <= mtp:
        raise bad("time-too-old", f"time {time} is not after the median time past {mtp}")
    if (
        net.enforce_bip94
        and height % net.retarget_interval == 0
        and time < tip.times[-1] - MAX_TIMEWARP
    ):
        raise bad(
            "time-timewarp-attack",
            f"time {time} of a period's first block is more than {MAX_TIMEWARP} s before "
            f"its parent's {tip.times[-1]}",
        )
    limit = _now(now) + MAX_FUTURE_BLOCK_TIME
    if time > limit:
        raise bad("time-too-new", f"time {time} is more than 2 hours ahead of the clock")
    if version < min_version(net, height):
        raise bad(
            f"bad-version(0x{version & 0xFFFFFFFF:08x})",
            f"version {version} is below {min_version(net, height)}, required at this height",
        )
    if checkpoints and height in checkpoints and checkpoints[height] != block_hash:
        raise bad(
            "checkpoint-mismatch",
            f"the checkpoint at this height is {checkpoints[height][::-1].hex()}",
        )
    return tip.child(block_hash, bits, time)


@dataclass
class VerifyResult:
    """The outcome of :func:`verify_headers`: how many headers are valid and the tip after them."""

    count: int
    tip: ChainTip
    #: the first invalid header's error, or None when all were valid
    error: InvalidHeader | None = None
    #: hashes (internal order) of the valid headers
    hashes: list[bytes] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


_HEADER_DTYPE = None


def _header_dtype() -> Any:  # numpy is imported lazily: ``paylight --version`` must stay fast
    global _HEADER_DTYPE
    if _HEADER_DTYPE is None:
        import numpy as np

        _HEADER_DTYPE = np.dtype(
            [
                ("version", "<i4"),
                ("prev", "<u8", (4,)),
                ("merkle", "V32"),
                ("time", "<u4"),
                ("bits", "<u4"),
                ("nonce", "<u4"),
            ]
        )
    return _HEADER_DTYPE


def _first(mask: Any) -> int | None:  # first True index of a numpy bool array
    import numpy as np

    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def verify_headers(
    raw: bytes,
    tip: ChainTip,
    now: int | None = None,
    checkpoints: Mapping[int, bytes] | None = None,
) -> VerifyResult:
    """Validate concatenated raw headers on top of ``tip``; stops at the first invalid one.

    Each rule is evaluated for every header at once (numpy columns over the raw bytes), assuming
    the headers before it are valid: that finds the first header breaking any rule exactly,
    because every rule only looks at earlier headers. That header then goes through
    :func:`check_header`, which names the rule Core would report.
    """
    import numpy as np

    if len(raw) % HEADER_SIZE:
        raise HeaderError(
            f"{len(raw)} bytes is not a whole number of 80-byte headers "
            f"({len(raw) % HEADER_SIZE} bytes left over)"
        )
    raw = bytes(raw)
    n = len(raw) // HEADER_SIZE
    if n == 0:
        return VerifyResult(0, tip)
    net = tip.network
    interval = net.retarget_interval
    base = tip.height + 1  # height of raw[0:80]
    limit_bits = pow_limit_bits(net)

    hashes = [_sha256(_sha256(raw[o : o + 80]).digest()).digest() for o in range(0, 80 * n, 80)]
    rec: Any = np.frombuffer(raw, _header_dtype())  # a structured array: columns by name
    hw = np.frombuffer(b"".join(hashes), "<u8").reshape(n, 4)
    times = rec["time"].astype(np.int64)
    bits = rec["bits"].astype(np.int64)
    firsts: list[int] = []

    def found(i: int | None) -> None:
        if i is not None:
            firsts.append(i)

    # Proof of work against each header's own bits (Core's CheckBlockHeader).
    values, inverse = np.unique(bits, return_inverse=True)
    tw = np.zeros((len(values), 4), dtype=np.uint64)
    refused = np.zeros(len(values), dtype=bool)
    for k, b in enumerate(values.tolist()):
        target = target_for_network(b, net)
        if target is None:
            refused[k] = True
        else:
            tw[k] = np.frombuffer(target.to_bytes(32, "little"), "<u8")
    t = tw[inverse.reshape(-1)]
    above = np.zeros(n, dtype=bool)
    equal = np.ones(n, dtype=bool)
    for w in (3, 2, 1, 0):  # most significant 64-bit word first
        above |= equal & (hw[:, w] > t[:, w])
        equal &= hw[:, w] == t[:, w]
    found(_first(above | refused[inverse.reshape(-1)]))

    # Links.
    if rec["prev"][0].tobytes() != tip.hash:
        firsts.append(0)
    elif n > 1:
        broken = _first(~np.all(rec["prev"][1:] == hw[:-1], axis=1))
        found(None if broken is None else broken + 1)

    # Expected bits (Core's GetNextWorkRequired), for every header given the ones before it.
    prev_bits = np.concatenate(([tip.bits], bits[:-1]))
    prev_times = np.concatenate(([tip.times[-1]], times[:-1]))
    heights = np.arange(base, base + n)
    starts = heights % interval == 0
    if net.allow_min_difficulty_blocks:
        keep = starts | (bits != limit_bits)
        idx = np.maximum.accumulate(np.where(keep, np.arange(n), -1))
        walk_prev = np.concatenate(
            ([tip.walk_bits], np.where(idx >= 0, bits[idx], tip.walk_bits)[:-1])
        )
        expected = np.where(times > prev_times + 2 * net.pow_target_spacing, limit_bits, walk_prev)
    else:
        expected = prev_bits.copy()
    for i in np.flatnonzero(starts).tolist():
        if i == 0:
            try:
                expected[0] = tip.expected_bits(int(times[0]))
            except InvalidHeader:
                firsts.append(0)
            continue
        if net.no_retargeting:
            expected[i] = prev_bits[i]
            continue
        j = i - interval  # index of the previous period's first block
        first_time = int(times[j]) if j >= 0 else tip.period_start_time
        first_bits = int(bits[j]) if j >= 0 else tip.period_start_bits
        if first_time is None:
            firsts.append(i)
            continue
        expected[i] = calculate_next_bits(
            net, int(bits[i - 1]), int(times[i - 1]), first_time, first_bits
        )
    found(_first(bits != expected))

    # Median time past: only a header not later than every earlier one needs the exact median.
    ctx = np.array(tip.times, dtype=np.int64)
    c = len(ctx)
    all_times = np.concatenate((ctx, times))
    running = np.maximum.accumulate(all_times)
    suspects = np.flatnonzero(times <= running[c - 1 : -1])
    if suspects.size:
        full = suspects[suspects + c >= MEDIAN_TIME_SPAN]
        short = suspects[suspects + c < MEDIAN_TIME_SPAN]
        bad_mtp = []
        if full.size:
            windows = np.lib.stride_tricks.sliding_window_view(all_times, MEDIAN_TIME_SPAN)
            med = np.sort(windows[full + c - MEDIAN_TIME_SPAN], axis=1)[:, MEDIAN_TIME_SPAN // 2]
            hit = _first(times[full] <= med)
            if hit is not None:
                bad_mtp.append(int(full[hit]))
        for i in short.tolist():
            window = sorted(all_times[: c + i].tolist())
            if times[i] <= window[len(window) // 2]:
                bad_mtp.append(i)
                break
        if bad_mtp:
            firsts.append(min(bad_mtp))

    # BIP94: a period's first block may not be more than 10 minutes before its parent.
    if net.enforce_bip94:
        found(_first(starts & (times < prev_times - MAX_TIMEWARP)))
    # Two hours into the future at most.
    found(_first(times > _now(now) + MAX_FUTURE_BLOCK_TIME))
    # Versions (BIP34/66/65 heights).
    if VERSION_RULES.get(net.name):
        need = np.full(n, -(1 << 31), dtype=np.int64)
        for start, version in VERSION_RULES[net.name]:
            need[heights >= start] = version
        found(_first(rec["version"] < need))
    # Checkpoints inside the run.
    if checkpoints:
        for h, cp_hash in checkpoints.items():
            if base <= h < base + n and hashes[h - base] != cp_hash:
                firsts.append(h - base)

    bad = min(firsts, default=n)
    new_tip = tip
    if bad:
        new_tip = _advance(tip, bad, hashes, times, bits)
    if bad < n:
        try:
            check_header(raw[80 * bad : 80 * bad + 80], new_tip, now, checkpoints)
        except InvalidHeader as exc:
            return VerifyResult(bad, new_tip, exc, hashes[:bad])
        raise AssertionError(f"bulk and single-header checks disagree at height {base + bad}")
    return VerifyResult(n, new_tip, None, hashes)


def _advance(tip: ChainTip, m: int, hashes: list[bytes], times: Any, bits: Any) -> ChainTip:
    """The tip after the first ``m`` headers of a run (already validated); numpy columns in."""
    import numpy as np

    net = tip.network
    interval = net.retarget_interval
    base = tip.height + 1
    limit_bits = pow_limit_bits(net)
    last = m - 1
    # The latest period start inside the run, if any.
    first_start = (interval - base % interval) % interval
    start_idx = None
    if first_start <= last:
        start_idx = first_start + ((last - first_start) // interval) * interval
    # Walk-back bits: nearest header that starts a period or is not at the minimum difficulty.
    walk = tip.walk_bits
    lo = max(0, start_idx if start_idx is not None else 0)
    keep = np.flatnonzero(bits[lo:m] != limit_bits)
    if keep.size:
        walk = int(bits[lo + keep[-1]])
    elif start_idx is not None:
        walk = int(bits[start_idx])
    chainwork = None
    if tip.chainwork is not None:
        values, counts = np.unique(bits[:m], return_counts=True)
        chainwork = tip.chainwork + sum(
            block_work(b) * k for b, k in zip(values.tolist(), counts.tolist())
        )
    return replace(
        tip,
        height=tip.height + m,
        hash=hashes[last],
        bits=int(bits[last]),
        times=(*tip.times, *times[max(0, m - MEDIAN_TIME_SPAN) : m].tolist())[-MEDIAN_TIME_SPAN:],
        period_start_time=int(times[start_idx]) if start_idx is not None else tip.period_start_time,
        period_start_bits=int(bits[start_idx]) if start_idx is not None else tip.period_start_bits,
        walk_bits=walk,
        chainwork=chainwork,
        next_bits=None,
    )


def chain_from_genesis(
    raw: bytes, network: Network, now: int | None = None
) -> tuple[ChainTip, VerifyResult]:
    """Check that ``raw`` starts with the network's genesis header and verify the rest on it.

    The returned count in the result excludes the genesis header.
    """
    tip = ChainTip.genesis(network)
    if len(raw) < HEADER_SIZE:
        raise HeaderError("the file holds no complete header")
    genesis = raw[:HEADER_SIZE]
    got = _sha256(_sha256(genesis).digest()).digest()
    if got != tip.hash:
        raise InvalidHeader(
            "bad-genesis",
            0,
            f"the first header hashes to {got[::-1].hex()}, not {network.name}'s genesis "
            f"{network.genesis_hash}",
            got[::-1].hex(),
        )
    return tip, verify_headers(raw[HEADER_SIZE:], tip, now)


def tip_from_headers(
    network: Network,
    height: int,
    headers: bytes,
    *,
    period_start: bytes | None = None,
    chainwork: int | None = None,
    next_bits: int | None = None,
) -> ChainTip:
    """A tip rebuilt from the last raw headers of a chain ending at ``height`` (up to 11 used).

    They must link to each other. ``period_start`` is the first header of the tip's retarget
    period (needed for the next retarget unless ``next_bits`` is known, e.g. from a checkpoint).
    This is how validation resumes from a store or a checkpoint without the whole chain.
    """
    if not headers or len(headers) % HEADER_SIZE:
        raise HeaderError("give one or more whole 80-byte headers")
    count = len(headers) // HEADER_SIZE
    if count > height + 1:
        raise HeaderError(f"{count} headers cannot end at height {height}")
    recs = [headers[o : o + 80] for o in range(0, len(headers), 80)][-MEDIAN_TIME_SPAN:]
    hashes = [_sha256(_sha256(r).digest()).digest() for r in recs]
    for i in range(1, len(recs)):
        if recs[i][4:36] != hashes[i - 1]:
            raise HeaderError(f"the headers given for height {height} do not link to each other")
    times = tuple(int.from_bytes(r[68:72], "little") for r in recs)
    bits = [int.from_bytes(r[72:76], "little") for r in recs]
    interval = network.retarget_interval
    first_height = height - len(recs) + 1
    limit_bits = pow_limit_bits(network)
    start_time = start_bits = None
    if period_start is not None:
        start_time = int.from_bytes(period_start[68:72], "little")
        start_bits = int.from_bytes(period_start[72:76], "little")
    walk = start_bits if start_bits is not None else bits[-1]
    for i in range(len(recs) - 1, -1, -1):
        if (first_height + i) % interval == 0 or bits[i] != limit_bits:
            walk = bits[i]
            break
    for i, rec_bits in enumerate(bits):
        if (first_height + i) % interval == 0:
            start_time, start_bits = times[i], rec_bits
    return ChainTip(
        network=network,
        height=height,
        hash=hashes[-1],
        bits=bits[-1],
        times=times,
        period_start_time=start_time,
        period_start_bits=start_bits,
        walk_bits=walk,
        chainwork=chainwork,
        next_bits=next_bits,
    )
