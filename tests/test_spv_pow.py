"""Compact bits <-> target with Bitcoin Core's edge cases, and chainwork."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.bitcoin.networks import MAINNET, REGTEST, SIGNET, TESTNET4
from wallet.spv.pow import (
    bits_to_target,
    block_work,
    check_proof_of_work,
    decode_compact,
    min_version,
    pow_limit_bits,
    target_for_network,
    target_to_bits,
)

# Bitcoin Core's arith_uint256_tests (SetCompact/GetCompact): bits, target, negative, overflow,
# and what GetCompact gives back (with the negative flag).
CORE_VECTORS = [
    (0x00000000, 0, False, False, 0),
    (0x00123456, 0, False, False, 0),
    (0x01003456, 0, False, False, 0),
    (0x02000056, 0, False, False, 0),
    (0x03000000, 0, False, False, 0),
    (0x04000000, 0, False, False, 0),
    (0x00923456, 0, False, False, 0),
    (0x01803456, 0, False, False, 0),
    (0x02800056, 0, False, False, 0),
    (0x03800000, 0, False, False, 0),
    (0x04800000, 0, False, False, 0),
    (0x01123456, 0x12, False, False, 0x01120000),
    (0x01FEDCBA, 0x7E, True, False, 0x01FE0000),
    (0x02123456, 0x1234, False, False, 0x02123400),
    (0x03123456, 0x123456, False, False, 0x03123456),
    (0x04123456, 0x12345600, False, False, 0x04123456),
    (0x04923456, 0x12345600, True, False, 0x04923456),
    (0x05009234, 0x92340000, False, False, 0x05009234),
    (0x20123456, 0x123456 << 232, False, False, 0x20123456),
]


@pytest.mark.parametrize(("bits", "target", "negative", "overflow", "back"), CORE_VECTORS)
def test_core_compact_vectors(bits, target, negative, overflow, back) -> None:
    c = decode_compact(bits)
    assert (c.target, c.negative, c.overflow) == (target, negative, overflow)
    assert target_to_bits(c.target, c.negative) == back


def test_overflow_and_refusals() -> None:
    assert decode_compact(0xFF123456).overflow
    assert decode_compact(0x23000001).overflow  # 35 bytes
    assert decode_compact(0x22000100).overflow  # 34 bytes, word > 0xff
    assert decode_compact(0x21010000).overflow  # 33 bytes, word > 0xffff
    assert not decode_compact(0x2100FFFF).overflow
    assert target_to_bits(0x80) == 0x02008000  # never a compact with the sign bit set
    for bits in (0x20FFFFFF, 0, 0x03000000, 0x23000001):
        assert bits_to_target(bits) is None
    assert target_for_network(0x2100FFFF, REGTEST) is None  # above regtest's pow_limit
    assert target_for_network(0x207FFFFF, REGTEST) == REGTEST.pow_limit >> 232 << 232
    assert target_for_network(0x1D00FFFF, MAINNET) == 0xFFFF << 208


def test_pow_limit_bits_per_network() -> None:
    assert pow_limit_bits(MAINNET) == 0x1D00FFFF
    assert pow_limit_bits(TESTNET4) == 0x1D00FFFF
    assert pow_limit_bits(SIGNET) == 0x1E0377AE
    assert pow_limit_bits(REGTEST) == 0x207FFFFF


def test_genesis_proof_of_work() -> None:
    for net in (MAINNET, TESTNET4, SIGNET, REGTEST):
        h = bytes.fromhex(net.genesis_hash)[::-1]
        assert check_proof_of_work(h, net.genesis_bits, net)
        assert not check_proof_of_work(b"\xff" * 32, net.genesis_bits, net)


def test_min_version_heights() -> None:
    assert min_version(MAINNET, 227930) < 1 and min_version(MAINNET, 227931) == 2
    assert min_version(MAINNET, 363725) == 3 and min_version(MAINNET, 388381) == 4
    assert min_version(REGTEST, 0) < 1 and min_version(REGTEST, 1) == 4


@given(st.integers(min_value=1, max_value=(1 << 256) - 1))
def test_get_compact_rounds_down_to_three_bytes(target: int) -> None:
    bits = target_to_bits(target)
    c = decode_compact(bits)
    assert not c.negative and not c.overflow
    assert c.target <= target
    size = (target.bit_length() + 7) // 8
    assert target - c.target < 1 << max(0, 8 * (size - 2))
    assert target_to_bits(c.target) == bits


def test_block_work() -> None:
    assert block_work(0x1D00FFFF) == 0x100010001
    # Core's GetBlockProof: ~target / (target + 1) + 1 == 2**256 // (target + 1)
    t = decode_compact(0x1B0404CB).target
    assert block_work(0x1B0404CB) == ((((1 << 256) - 1 - t) // (t + 1)) + 1)
