"""Proof of work: compact ``bits`` <-> target, chainwork, and Bitcoin Core's difficulty rules.

Everything here mirrors Bitcoin Core (``arith_uint256.cpp`` SetCompact/GetCompact, ``pow.cpp``
GetNextWorkRequired/CalculateNextWorkRequired/PermittedDifficultyTransition, ``chain.cpp``
GetBlockProof) including its quirks: the retarget measures 2015 block intervals, testnet3 retargets
from the last block's bits even when that block used the minimum difficulty, and testnet4 (BIP94)
retargets from the first block of the period instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from wallet.bitcoin.networks import Network

_U256 = (1 << 256) - 1
#: BIP94: the first block of a period may not be more than this many seconds before its parent.
MAX_TIMEWARP = 600
#: Bitcoin Core's MAX_FUTURE_BLOCK_TIME: a header may be at most 2 hours ahead of the local clock.
MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60
#: Median-time-past covers this many blocks (the parent and its 10 ancestors).
MEDIAN_TIME_SPAN = 11


@dataclass(frozen=True)
class Compact:
    """A decoded ``bits`` field: the target and Bitcoin Core's negative/overflow flags."""

    target: int
    negative: bool
    overflow: bool


def decode_compact(bits: int) -> Compact:
    """Bitcoin Core's ``arith_uint256::SetCompact``: the flags are reported, never hidden."""
    size = bits >> 24
    word = bits & 0x007FFFFF
    if size <= 3:
        word >>= 8 * (3 - size)  # Core shifts the word itself, so the flags see it shifted
        target = word
    else:
        target = (word << (8 * (size - 3))) & _U256
    negative = word != 0 and (bits & 0x00800000) != 0
    overflow = word != 0 and (
        size > 34 or (word > 0xFF and size > 33) or (word > 0xFFFF and size > 32)
    )
    return Compact(target, negative, overflow)


def bits_to_target(bits: int) -> int | None:
    """The target ``bits`` stands for, or None when Core would refuse it outright.

    (Core's ``DeriveTarget`` without the pow_limit check: negative, zero or overflowing.)
    """
    c = decode_compact(bits)
    if c.negative or c.overflow or c.target == 0:
        return None
    return c.target


def target_to_bits(target: int, negative: bool = False) -> int:
    """Bitcoin Core's ``arith_uint256::GetCompact``: the shortest compact form, rounding down."""
    if target < 0 or target > _U256:
        raise ValueError("a target is an unsigned 256-bit number")
    size = (target.bit_length() + 7) // 8
    if size <= 3:
        compact = (target << (8 * (3 - size))) & 0xFFFFFFFF
    else:
        compact = (target >> (8 * (size - 3))) & 0xFFFFFFFF
    if compact & 0x00800000:
        compact >>= 8
        size += 1
    compact |= size << 24
    if negative and compact & 0x007FFFFF:
        compact |= 0x00800000
    return compact


def target_for_network(bits: int, network: Network) -> int | None:
    """The target a header with ``bits`` must meet, or None if Core refuses the bits
    (negative, zero, overflowing, or easier than the network's pow_limit): ``DeriveTarget``."""
    target = bits_to_target(bits)
    if target is None or target > network.pow_limit:
        return None
    return target


def check_proof_of_work(block_hash: bytes, bits: int, network: Network) -> bool:
    """Core's ``CheckProofOfWork``: the hash (internal byte order) read as a number <= target."""
    target = target_for_network(bits, network)
    return target is not None and int.from_bytes(block_hash, "little") <= target


def block_work(bits: int) -> int:
    """Core's ``GetBlockProof``: expected hashes for a target, 2**256 // (target + 1)."""
    c = decode_compact(bits)
    if c.negative or c.overflow or c.target == 0:
        return 0
    return (1 << 256) // (c.target + 1)


def pow_limit_bits(network: Network) -> int:
    return target_to_bits(network.pow_limit)


def calculate_next_bits(
    network: Network,
    last_bits: int,
    last_time: int,
    first_time: int,
    first_bits: int | None = None,
) -> int:
    """Core's ``CalculateNextWorkRequired``: the bits of the first block of a new period.

    ``last_*`` describe the period's last block and ``first_*`` its first block (2015 intervals
    earlier: Core's off-by-one is kept). BIP94 networks scale ``first_bits`` instead of
    ``last_bits`` so a run of minimum-difficulty blocks cannot drag the difficulty down.
    """
    if network.no_retargeting:
        return last_bits
    timespan = network.pow_target_timespan
    actual = last_time - first_time
    actual = max(timespan // 4, min(actual, timespan * 4))
    base_bits = first_bits if network.enforce_bip94 and first_bits is not None else last_bits
    new = decode_compact(base_bits).target
    new = (new * actual) & _U256  # arith_uint256 wraps; never reached with real pow_limits
    new //= timespan
    new = min(new, network.pow_limit)
    return target_to_bits(new)


def permitted_difficulty_transition(
    network: Network, height: int, old_bits: int, new_bits: int
) -> bool:
    """Core's ``PermittedDifficultyTransition``: could ``new_bits`` at ``height`` follow
    ``old_bits`` at all? (A cheap bound Core uses before it has the full chain.)"""
    if network.allow_min_difficulty_blocks:
        return True
    if height % network.retarget_interval == 0:
        timespan = network.pow_target_timespan
        old_target = decode_compact(old_bits).target
        largest = min((old_target * (timespan * 4)) // timespan, network.pow_limit)
        largest = decode_compact(target_to_bits(largest)).target
        if decode_compact(new_bits).target > largest:
            return False
        smallest = min((old_target * (timespan // 4)) // timespan, network.pow_limit)
        smallest = decode_compact(target_to_bits(smallest)).target
        return decode_compact(new_bits).target >= smallest
    return old_bits == new_bits


#: Heights from which BIP34, BIP66 and BIP65 are active (Core's ``consensus.BIP34Height`` etc.):
#: from there on a header's version must be at least 2, 3 and 4 (``bad-version``).
VERSION_RULES: dict[str, tuple[tuple[int, int], ...]] = {
    "mainnet": ((227931, 2), (363725, 3), (388381, 4)),
    "testnet3": ((21111, 2), (330776, 3), (581885, 4)),
    "testnet4": ((1, 4),),
    "signet": ((1, 4),),
    "regtest": ((1, 4),),
}


def min_version(network: Network, height: int) -> int:
    """The lowest header version Core accepts at ``height`` (``ContextualCheckBlockHeader``);
    before BIP34 any signed 32-bit version goes."""
    need = -(1 << 31)
    for start, version in VERSION_RULES.get(network.name, ()):
        if height >= start:
            need = version
    return need
