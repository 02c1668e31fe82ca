"""Header-chain validation on real chains, and each difficulty rule on chains mined here."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from tests.conftest import shared_path
from tests.spv_support import mine_header
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET, REGTEST, SIGNET, TESTNET3
from wallet.spv.chain import (
    ChainTip,
    chain_from_genesis,
    check_header,
    tip_from_headers,
    verify_headers,
)
from wallet.spv.checkpoints import checkpoint_at, checkpoint_hashes, tip_from_checkpoint
from wallet.spv.errors import InvalidHeader
from wallet.spv.header import HeaderError
from wallet.spv.pow import (
    block_work,
    calculate_next_bits,
    permitted_difficulty_transition,
    pow_limit_bits,
)

TIP_10236 = "000000004f74d42205b9d7ae1cb5c1591e723894a71358fce73b7e0919628161"


def _mainnet_0() -> bytes:
    return shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin").read_bytes()


def _ckb_chainwork() -> dict[int, int]:
    path = shared_path("data/headers/mainnet/mainnet_chainwork.csv")
    with open(path) as f:
        return {
            int(r["height"]): int(r["chainwork_hex_32bytes_as_stored"], 16)
            for r in csv.DictReader(f)
        }


def test_mainnet_from_genesis_verifies_end_to_end() -> None:
    raw = _mainnet_0()
    genesis, result = chain_from_genesis(raw, MAINNET)
    assert result.ok and result.count == 10236
    assert result.tip.height == 10236 and result.tip.hash_hex == TIP_10236
    assert genesis.hash_hex == MAINNET.genesis_hash
    # chainwork agrees with the independent ckb table at every period boundary in the run
    table = _ckb_chainwork()
    for height in (2015, 2016, 4031, 8064, 10079):
        part = verify_headers(raw[80 : 80 * (height + 1)], genesis)
        assert part.tip.chainwork == table[height]


def test_bulk_and_single_header_paths_agree(tmp_path) -> None:
    raw = _mainnet_0()
    tip, result = chain_from_genesis(raw, MAINNET)
    for i in range(1, len(raw) // 80):
        tip = check_header(raw[80 * i : 80 * i + 80], tip)
    assert tip == result.tip


def test_retarget_rich_mainnet_run_from_a_checkpoint() -> None:
    """190,000 real headers, 93 retargets, synced from the checkpoint at 151199."""
    run = shared_path("data/headers/mainnet/mainnet_headers_0150001_0340000.bin").read_bytes()
    body = run[(151200 - 150001) * 80 :]
    cp = checkpoint_at("mainnet", 151199)
    assert cp is not None and cp.self_contained
    anchor = tip_from_checkpoint("mainnet", cp)
    result = verify_headers(body, anchor, checkpoints=checkpoint_hashes("mainnet"))
    assert result.ok and result.tip.height == 340000
    assert result.tip.hash_hex == (
        "00000000000000000d9b2508615d569e18f00c034d71474fc44a43af8d4a5003"
    )
    # the same context rebuilt from the run's own headers gives the same verdict and tip
    rebuilt = tip_from_headers(
        MAINNET,
        151199,
        run[(151189 - 150001) * 80 : (151200 - 150001) * 80],
        chainwork=cp.chainwork,
        next_bits=cp.next_bits,
    )
    assert rebuilt == anchor
    table = _ckb_chainwork()
    part = verify_headers(body[: (338688 - 151200) * 80], anchor)
    assert part.tip.chainwork == table[338687]


def test_every_real_mainnet_retarget_is_recomputed_exactly() -> None:
    """Core's CalculateNextWorkRequired at all 413 real boundaries (ckb's headers at 2016k-1
    and 2016k, with the period's first header from the period table)."""
    rows = {}
    with open(shared_path("data/headers/mainnet/mainnet_diffchange_headers.csv")) as f:
        for r in csv.DictReader(f):
            rows[int(r["height"])] = bytes.fromhex(r["header_hex"])
    checked = 0
    for k in range(1, 414):
        last, first, new = rows.get(2016 * k - 1), rows.get(2016 * (k - 1)), rows.get(2016 * k)
        if not (last and first and new):
            continue
        assert new[4:36] == sha256d(last)
        last_bits = int.from_bytes(last[72:76], "little")
        want = int.from_bytes(new[72:76], "little")
        got = calculate_next_bits(
            MAINNET,
            last_bits,
            int.from_bytes(last[68:72], "little"),
            int.from_bytes(first[68:72], "little"),
        )
        assert got == want, f"retarget at {2016 * k}"
        assert permitted_difficulty_transition(MAINNET, 2016 * k, last_bits, want)
        checked += 1
    assert checked >= 400


def test_permitted_difficulty_transition_bounds() -> None:
    bits = 0x1B0404CB
    assert permitted_difficulty_transition(MAINNET, 2017, bits, bits)
    assert not permitted_difficulty_transition(MAINNET, 2017, bits, bits - 1)
    quarter = calculate_next_bits(MAINNET, bits, 1, 0)  # fastest: target / 4
    four = calculate_next_bits(MAINNET, bits, 10**9, 0)  # slowest: target * 4
    assert permitted_difficulty_transition(MAINNET, 4032, bits, quarter)
    assert permitted_difficulty_transition(MAINNET, 4032, bits, four)
    assert not permitted_difficulty_transition(MAINNET, 4032, bits, quarter - 1)
    assert not permitted_difficulty_transition(MAINNET, 4032, bits, four + 1)
    assert permitted_difficulty_transition(TESTNET3, 4033, bits, 0x1D00FFFF)


@pytest.mark.parametrize(
    ("offset", "bit"),
    [(0, 0), (5, 1), (40, 2), (68, 0), (71, 7), (72, 0), (74, 7), (75, 1), (79, 4)],
)
def test_one_flipped_bit_anywhere_is_high_hash_at_that_height(offset: int, bit: int) -> None:
    raw = bytearray(_mainnet_0())
    height = 5000 + offset
    raw[80 * height + offset] ^= 1 << bit
    _, result = chain_from_genesis(bytes(raw), MAINNET)
    assert result.count == height - 1
    assert result.error is not None and result.error.rule == "high-hash"
    assert result.error.height == height and result.tip.height == height - 1


def test_broken_link_and_truncated_files() -> None:
    raw = _mainnet_0()
    skipped = raw[: 80 * 700] + raw[80 * 701 :]
    _, result = chain_from_genesis(skipped, MAINNET)
    assert result.error is not None and result.error.rule == "prev-blk-not-found"
    assert result.error.height == 700 and result.count == 699
    with pytest.raises(HeaderError, match="whole number"):
        verify_headers(raw[80:200], ChainTip.genesis(MAINNET))
    with pytest.raises(InvalidHeader) as info:
        chain_from_genesis(raw[80:], MAINNET)
    assert info.value.rule == "bad-genesis"


def test_time_too_new_against_the_local_clock() -> None:
    raw = _mainnet_0()
    block_1_time = int.from_bytes(raw[80 + 68 : 80 + 72], "little")
    now = block_1_time - 7200  # pretend the clock is exactly 2 hours behind block 1
    _, result = chain_from_genesis(raw[:160], MAINNET, now=now)
    assert result.ok
    _, result = chain_from_genesis(raw[:160], MAINNET, now=now - 1)
    assert result.error is not None and result.error.rule == "time-too-new"
    assert result.error.height == 1


def test_real_signet_and_testnet3_runs_verify() -> None:
    raw = shared_path("data/headers/signet/floresta_signet_headers.bin").read_bytes()
    _, result = chain_from_genesis(raw, SIGNET)
    assert result.ok and result.tip.height == 2015
    assert result.tip.hash == checkpoint_at("signet", 2015).hash
    path = shared_path("data/headers/testnet3/veriblock_btc_blockheaders_testnet_0_10000.txt")
    raw = bytes.fromhex("".join(path.read_text().split()))
    genesis, result = chain_from_genesis(raw, TESTNET3)
    assert result.ok and result.tip.height == 9999
    part = verify_headers(raw[80 : 80 * 8064], genesis)
    assert part.tip.hash == checkpoint_at("testnet3", 8063).hash
    with pytest.raises(InvalidHeader, match="bad-genesis"):
        chain_from_genesis(raw, MAINNET)


# --- the testnet and BIP94 rules, on a cheap test network mined here -------------------------

#: regtest's cheap proof of work with testnet rules and a 20-block retarget period
CHEAP = dataclasses.replace(
    REGTEST,
    name="cheap-testnet",
    no_retargeting=False,
    allow_min_difficulty_blocks=True,
    pow_target_timespan=20 * 600,
)
CHEAP_BIP94 = dataclasses.replace(CHEAP, name="cheap-testnet4", enforce_bip94=True)
EASY = pow_limit_bits(CHEAP)


def _extend(tip: ChainTip, steps: list[int]) -> tuple[ChainTip, bytes]:
    """Mine one header per time step, each with the bits the rules expect."""
    out = b""
    for i, step in enumerate(steps):
        t = tip.times[-1] + step
        raw = mine_header(tip.hash, t, tip.expected_bits(t), merkle=sha256d(bytes([i % 256])))
        tip = check_header(raw, tip)
        out += raw
    return tip, out


def test_twenty_minute_rule_and_walk_back() -> None:
    genesis = ChainTip.genesis(CHEAP)
    # Period 0 at the limit; fast blocks make the retarget at 20 raise the difficulty (x4 max).
    tip, raw = _extend(genesis, [150] * 20)
    assert tip.height == 20 and tip.bits != EASY
    hard = tip.bits
    # A block more than 20 minutes after its parent may use the minimum difficulty...
    t = tip.times[-1] + 1201
    assert tip.expected_bits(t) == EASY
    assert tip.expected_bits(t - 1) == hard  # ...but not at exactly 20 minutes
    tip, more = _extend(tip, [1201, 1300])
    assert tip.bits == EASY
    # ...and the next normal block walks back to the last real difficulty.
    assert tip.expected_bits(tip.times[-1] + 600) == hard
    wrong = mine_header(tip.hash, tip.times[-1] + 600, EASY)
    with pytest.raises(InvalidHeader, match="bad-diffbits"):
        check_header(wrong, tip)
    # the bulk path agrees, header for header
    bulk = verify_headers(raw + more + wrong, genesis)
    assert bulk.count == 22 and bulk.error is not None and bulk.error.rule == "bad-diffbits"
    assert bulk.tip == tip


def test_retarget_block_gets_no_minimum_difficulty_exception() -> None:
    genesis = ChainTip.genesis(CHEAP)
    tip, _ = _extend(genesis, [150] * 20)  # height 20, hard
    tip, _ = _extend(tip, [150] * 19)  # height 39: the next block starts a period
    t = tip.times[-1] + 5000
    assert tip.expected_bits(t) != EASY


def test_testnet3_retargets_from_a_minimum_difficulty_last_block_bip94_does_not() -> None:
    for net in (CHEAP, CHEAP_BIP94):
        tip, _ = _extend(ChainTip.genesis(net), [150] * 20)  # period 1 starts hard
        hard = tip.bits
        tip, _ = _extend(tip, [150] * 18 + [1300])  # last block of period 1 is min-difficulty
        assert tip.bits == EASY and (tip.height + 1) % net.retarget_interval == 0
        nxt = tip.expected_bits(tip.times[-1] + 150)
        if net.enforce_bip94:
            # scaled from the period's first block: still harder than the limit
            assert nxt == calculate_next_bits(net, EASY, tip.times[-1], tip.period_start_time, hard)
            assert nxt != EASY
        else:
            # testnet3's quirk: scaled from the last block's minimum difficulty
            assert nxt == calculate_next_bits(net, EASY, tip.times[-1], tip.period_start_time)


def test_bip94_timewarp_rule() -> None:
    tip, _ = _extend(ChainTip.genesis(CHEAP_BIP94), [600] * 19)  # next block starts a period
    prev_time = tip.times[-1]
    # a period's first block may be up to 600 s before its parent, not more
    ok_time = prev_time - 600
    assert ok_time > tip.median_time_past
    ok = mine_header(tip.hash, ok_time, tip.expected_bits(ok_time))
    check_header(ok, tip)
    bad = mine_header(tip.hash, prev_time - 601, tip.expected_bits(prev_time - 601))
    with pytest.raises(InvalidHeader, match="time-timewarp-attack"):
        check_header(bad, tip)
    assert verify_headers(bad, tip).error.rule == "time-timewarp-attack"
    # without BIP94 the same header is fine
    plain = dataclasses.replace(tip, network=CHEAP)
    check_header(bad, plain)


def test_median_time_past_in_bulk_matches_single() -> None:
    """Times jumping back and forth (many at median + 1): the bulk path's shortcut for times
    above every earlier one must not hide a header at or under the median."""
    tip = ChainTip.genesis(REGTEST)
    steps = [600, -300, 900, -1200, 600, 600, 1, -50, 700, 30, -10, 600, -400, 800, -2000]
    raw, state = b"", tip
    for i, step in enumerate(steps * 4):
        t = max(state.times[-1] + step, state.median_time_past + 1)
        h = mine_header(state.hash, t, merkle=sha256d(bytes([i])))
        state = check_header(h, state)
        raw += h
    bulk = verify_headers(raw, tip)
    assert bulk.ok and bulk.tip == state
    at_median = mine_header(state.hash, state.median_time_past)
    above = mine_header(state.hash, state.median_time_past + 1)
    assert verify_headers(raw + above, tip).ok
    bad = verify_headers(raw + at_median, tip)
    assert bad.count == len(raw) // 80 and bad.error.rule == "time-too-old"
    assert bad.tip == state


def test_work_is_cores_block_proof() -> None:
    assert block_work(0x1D00FFFF) == 0x100010001
    assert block_work(0x207FFFFF) == 2
    assert block_work(0x20FFFFFF) == 0  # negative
    assert block_work(0) == 0
