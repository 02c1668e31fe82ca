"""The test helpers of tests/spv_support.py do what they claim: a mined regtest chain is
valid for our header rules, and a header can miss its target on purpose."""

from __future__ import annotations

from tests.spv_support import REGTEST_BITS, mine_chain, mine_header, regtest_genesis
from wallet.bitcoin.hashes import sha256d
from wallet.spv.chain import verify_headers
from wallet.spv.pow import bits_to_target


def test_mined_regtest_chain_is_valid_for_us() -> None:
    tip = regtest_genesis()
    raw = mine_chain(tip.hash, tip.times[-1], 30)
    result = verify_headers(raw, tip)
    assert result.ok and result.count == 30 and result.tip.height == 30


def test_mine_header_can_miss_the_target_on_purpose() -> None:
    tip = regtest_genesis()
    raw = mine_header(tip.hash, tip.times[-1] + 600, valid_pow=False)
    assert int.from_bytes(sha256d(raw), "little") > bits_to_target(REGTEST_BITS)
