"""Same verdicts as Bitcoin Core: headers fed both to our validator and to libbitcoinkernel.

Real chains (mainnet from genesis, testnet3, signet) and mutated headers, plus regtest chains
mined here, broken in every way a header can be; for each header the accept/reject verdict and
the reject reason must match Core's.
"""

from __future__ import annotations

import time

import pytest

from tests.conftest import shared_path
from tests.spv_support import Kernel, mine_chain, mine_header
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET, REGTEST, SIGNET, TESTNET3, Network
from wallet.spv.chain import ChainTip, chain_from_genesis, check_header
from wallet.spv.errors import InvalidHeader
from wallet.spv.store import HeaderStore

pytest.importorskip("pbk")


def ours(raw: bytes, tip: ChainTip, now: int | None = None) -> str | None:
    try:
        check_header(raw, tip, now)
    except InvalidHeader as exc:
        return exc.rule
    return None


def _run(network: Network, raw: bytes, kernel: Kernel) -> dict[int, ChainTip]:
    """Feed a real run from genesis to both; return our tips at every height.

    Every 97th header, the header after it is offered first: its parent is not known yet, so
    both must refuse it (a broken link).
    """
    genesis, result = chain_from_genesis(raw, network)
    assert result.ok, result.error
    tips = {0: genesis}
    tip = genesis
    for i in range(1, len(raw) // 80):
        header = raw[80 * i : 80 * i + 80]
        if i % 97 == 0 and i + 1 < len(raw) // 80:
            skipped = raw[80 * (i + 1) : 80 * (i + 2)]
            assert ours(skipped, tip) == kernel.process(skipped) == "prev-blk-not-found"
        assert kernel.process(header) is None, f"Core rejects real header {i}"
        tip = check_header(header, tip)
        tips[i] = tip
    assert tip == result.tip  # the bulk and the one-by-one paths agree on everything
    assert kernel.tip_height == tip.height
    assert kernel.chainman.best_entry.block_hash.__bytes__() == tip.hash
    return tips


def _mutations(raw: bytes) -> list[tuple[str, bytes]]:
    """A bit flipped in every field (and in the bits' sign, exponent and mantissa)."""
    out = []
    for name, offset, bit in [
        ("version", 0, 0),
        ("version-top", 3, 7),
        ("prev", 4, 0),
        ("prev-high", 35, 7),
        ("merkle", 36, 3),
        ("time", 68, 0),
        ("time-high", 71, 6),
        ("bits-mantissa", 72, 0),
        ("bits-sign", 74, 7),
        ("bits-exponent", 75, 0),
        ("nonce", 76, 5),
    ]:
        m = bytearray(raw)
        m[offset] ^= 1 << bit
        out.append((name, bytes(m)))
    return out


def _check_mutations(raw: bytes, tips: dict[int, ChainTip], kernel: Kernel, heights) -> int:
    compared = 0
    for h in heights:
        header = raw[80 * h : 80 * h + 80]
        for name, mutated in _mutations(header):
            want = kernel.process(mutated)
            got = ours(mutated, tips[h - 1])
            assert want is not None, f"Core accepted a mutated header ({name} at {h})"
            assert got == want, f"{name} at {h}: ours {got}, Core {want}"
            compared += 1
    return compared


def test_mainnet_from_genesis_and_mutations_agree_with_core(tmp_path) -> None:
    raw = shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin").read_bytes()
    kernel = Kernel("MAINNET", tmp_path)
    tips = _run(MAINNET, raw, kernel)
    assert tips[10236].hash_hex == (
        "000000004f74d42205b9d7ae1cb5c1591e723894a71358fce73b7e0919628161"
    )
    heights = [1, 2, 11, 12, 2015, 2016, 2017, 4032, 8064, 10080, 10235]
    assert _check_mutations(raw, tips, kernel, heights) >= 11 * len(heights)


def test_testnet3_and_signet_real_runs_agree_with_core(tmp_path) -> None:
    path = shared_path("data/headers/testnet3/veriblock_btc_blockheaders_testnet_0_10000.txt")
    raw = bytes.fromhex("".join(path.read_text().split()))
    kernel = Kernel("TESTNET", tmp_path / "testnet3")
    tips = _run(TESTNET3, raw, kernel)
    _check_mutations(raw, tips, kernel, [1, 2016, 4031, 9998])
    raw = shared_path("data/headers/signet/floresta_signet_headers.bin").read_bytes()
    kernel = Kernel("SIGNET", tmp_path / "signet")
    tips = _run(SIGNET, raw, kernel)
    _check_mutations(raw, tips, kernel, [1, 1000, 2014])


def test_testnet3_side_branch_off_genesis_agrees_with_core(tmp_path) -> None:
    """Bitcoin Core's own test file: headers 1..546 plus two valid headers forking off genesis."""
    lines = shared_path("data/headers/testnet3/bitcoin-core_blockheader_testnet3.hex")
    main, fork = b"", b""
    for line in lines.read_text().split():
        if line.startswith("fork:"):
            fork += bytes.fromhex(line[5:])
        else:
            main += bytes.fromhex(line)
    kernel = Kernel("TESTNET", tmp_path / "k")
    with HeaderStore(tmp_path / "store", "testnet3", fsync=False) as store:
        for raw in (main[: 80 * 10], fork, main[80 * 10 :]):
            for o in range(0, len(raw), 80):
                assert kernel.process(raw[o : o + 80]) is None
            store.add_headers(raw)
            if raw is fork:
                assert store.forks == [(0, 2)] and store.height == 10
        assert store.height == kernel.tip_height == 546
        assert store.tip.hash == bytes(kernel.chainman.best_entry.block_hash)
        assert store.forks == []  # far behind the best chain: resolved and dropped


def test_regtest_mined_mutations_agree_with_core(tmp_path) -> None:
    """Every contextual rule, on headers mined with valid proof of work for their own bits."""
    kernel = Kernel("REGTEST", tmp_path)
    tip = ChainTip.genesis(REGTEST)
    # Cross the first retarget height, with some gaps over 20 minutes (regtest keeps its
    # minimum-difficulty rule and never retargets).
    chain = mine_chain(tip.hash, tip.times[-1], 2030, step=600)
    steps = b""
    prev = sha256d(chain[-80:])
    t = int.from_bytes(chain[-12:-8], "little")
    for i, step in enumerate((1300, 5, 1201, 1200, 7000, 1)):
        t += step
        raw = mine_header(prev, t, merkle=sha256d(b"gap" + bytes([i])))
        steps += raw
        prev = sha256d(raw)
    for o in range(0, len(chain + steps), 80):
        header = (chain + steps)[o : o + 80]
        assert kernel.process(header) is None
        tip = check_header(header, tip)
    assert kernel.tip_height == tip.height == 2036

    now = int(time.time())
    mtp = tip.median_time_past
    cases: list[tuple[str, bytes]] = [
        ("valid", mine_header(tip.hash, tip.times[-1] + 600)),
        ("harder bits", mine_header(tip.hash, tip.times[-1] + 600, bits=0x2000FFFF)),
        ("slightly harder", mine_header(tip.hash, tip.times[-1] + 600, bits=0x207FFFFE)),
        ("negative bits", mine_header(tip.hash, tip.times[-1] + 600, bits=0x20FFFFFF)),
        ("overflowing bits", mine_header(tip.hash, tip.times[-1] + 600, bits=0x23000001)),
        ("zero target", mine_header(tip.hash, tip.times[-1] + 600, bits=0x20000000)),
        ("overflow, 33 bytes", mine_header(tip.hash, tip.times[-1] + 600, bits=0x21010000)),
        ("above pow limit", mine_header(tip.hash, tip.times[-1] + 600, bits=0x2100FFFF)),
        ("no work", mine_header(tip.hash, tip.times[-1] + 600, valid_pow=False)),
        ("time = mtp", mine_header(tip.hash, mtp)),
        ("time = mtp + 1", mine_header(tip.hash, mtp + 1)),
        ("time way back", mine_header(tip.hash, 1)),
        ("2h - 2min ahead", mine_header(tip.hash, now + 7200 - 120)),
        ("2h + 2min ahead", mine_header(tip.hash, now + 7200 + 120)),
        ("far future", mine_header(tip.hash, 0xFFFFFFFF)),
        ("version 1", mine_header(tip.hash, tip.times[-1] + 600, version=1)),
        ("version 3", mine_header(tip.hash, tip.times[-1] + 600, version=3)),
        ("version 4", mine_header(tip.hash, tip.times[-1] + 600, version=4)),
        ("negative version", mine_header(tip.hash, tip.times[-1] + 600, version=-(1 << 31))),
        ("unknown parent", mine_header(b"\x42" * 32, tip.times[-1] + 600)),
    ]
    verdicts = {}
    for name, raw in cases:
        want = kernel.process(raw)
        got = ours(raw, tip)
        assert got == want, f"{name}: ours {got}, Core {want}"
        verdicts[name] = got
    # The cases do exercise every rule (so agreement is not agreement on "valid" only).
    assert verdicts["valid"] is None and verdicts["time = mtp + 1"] is None
    assert verdicts["harder bits"] == verdicts["slightly harder"] == "bad-diffbits"
    for name in ("negative bits", "overflowing bits", "zero target", "overflow, 33 bytes"):
        assert verdicts[name] == "high-hash"
    assert verdicts["above pow limit"] == verdicts["no work"] == "high-hash"
    assert verdicts["time = mtp"] == verdicts["time way back"] == "time-too-old"
    assert verdicts["2h - 2min ahead"] is None
    assert verdicts["2h + 2min ahead"] == verdicts["far future"] == "time-too-new"
    assert verdicts["version 1"] == "bad-version(0x00000001)"
    assert verdicts["negative version"] == "bad-version(0x80000000)"
    assert verdicts["unknown parent"] == "prev-blk-not-found"


def test_best_chain_after_a_reorg_agrees_with_core(tmp_path) -> None:
    """Two competing regtest branches: the store's best chain is the one Core picks."""
    kernel = Kernel("REGTEST", tmp_path / "k")
    genesis = ChainTip.genesis(REGTEST)
    main = mine_chain(genesis.hash, genesis.times[-1], 20)
    fork_parent = 12
    fork = mine_chain(
        sha256d(main[80 * (fork_parent - 1) : 80 * fork_parent]),
        int.from_bytes(main[80 * fork_parent - 12 : 80 * fork_parent - 8], "little"),
        10,
        tag=7,
    )
    with HeaderStore(tmp_path / "store", "regtest", fsync=False) as store:
        store.add_headers(main)
        for o in range(0, len(main), 80):
            kernel.process(main[o : o + 80])
        points = []
        for o in range(0, len(fork), 80):
            assert kernel.process(fork[o : o + 80]) is None
            points.append(store.add_headers(fork[o : o + 80]).fork_point)
            assert store.tip.hash == bytes(kernel.chainman.best_entry.block_hash)
        # the fork overtakes at its 9th header (height 21 > 20): the fork point is reported once
        assert points == [None] * 8 + [fork_parent, None]
        assert store.height == kernel.tip_height == 22
