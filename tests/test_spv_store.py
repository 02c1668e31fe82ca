"""The header store on real files: appends, reopening, torn writes, forks, reorgs, checkpoints,
and a writer killed with SIGKILL mid-append, many times."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, shared_path
from tests.test_spv_support import mine_chain
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import MAINNET, REGTEST
from wallet.spv.chain import ChainTip, check_header, tip_from_headers
from wallet.spv.checkpoints import checkpoint_at
from wallet.spv.errors import HeaderStoreError, InvalidHeader
from wallet.spv.store import HeaderStore

GENESIS = ChainTip.genesis(REGTEST)


def _time_of(raw: bytes, i: int) -> int:
    return int.from_bytes(raw[80 * i + 68 : 80 * i + 72], "little")


def test_mainnet_from_genesis_in_chunks_and_reopen(tmp_path) -> None:
    raw = shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin").read_bytes()
    with HeaderStore(tmp_path, "mainnet") as store:
        for o in range(80, len(raw), 2016 * 80):
            store.add_headers(raw[o : o + 2016 * 80])
        # a server resending an overlapping range is harmless
        assert store.add_headers(raw[80 * 10000 : 80 * 10237]).accepted == 0
        tip = store.tip
        assert store.height == 10236 and store.header(5000) == raw[80 * 5000 : 80 * 5001]
        assert store.height_of(sha256d(raw[80 * 777 : 80 * 778])) == 777
    assert (tmp_path / "headers.bin").stat().st_size == 10236 * 80
    with HeaderStore(tmp_path, "mainnet") as store:
        assert store.tip == tip
    with pytest.raises(HeaderStoreError, match="mainnet headers, not testnet3"):
        HeaderStore(tmp_path, "testnet3")


def test_two_stores_on_one_directory_share_appends_and_reorgs(tmp_path) -> None:
    """Several processes (here two stores) write one directory: each write lands on the
    current chain, and a reorg one of them makes reaches the other as a fork point."""
    main = mine_chain(GENESIS.hash, GENESIS.times[-1], 30)
    with HeaderStore(tmp_path, "regtest") as a, HeaderStore(tmp_path, "regtest") as b:
        a.add_headers(main[: 80 * 20])
        assert b.height == 0  # b's view is from when it opened...
        result = b.add_headers(main[80 * 10 : 80 * 25])  # ...and a write catches up first
        assert (result.accepted, result.fork_point, b.height) == (5, None, 25)
        assert b.header(20) == main[80 * 19 : 80 * 20]
        a.refresh()
        assert a.tip == b.tip
        # a heavier branch from height 12, added through a: b hears of it on its next write
        branch = mine_chain(sha256d(main[80 * 11 : 80 * 12]), _time_of(main, 11), 16, tag=9)
        assert a.add_headers(branch).fork_point == 12
        assert b.header(13) == branch[:80]  # a read that no longer matches catches up first
        result = b.add_headers(mine_chain(sha256d(branch[-80:]), _time_of(branch, 15), 1, tag=9))
        assert (result.accepted, result.fork_point, result.tip_height) == (1, 12, 29)
        assert b.add_headers(b"").fork_point is None  # reported once
        assert b.forks == a.forks == [(12, 25)]  # the old best chain kept as a fork, by both
    with HeaderStore(tmp_path, "regtest") as c:
        assert c.height == 29 and c.hash_at(13) == sha256d(branch[:80])


SHARER = r"""
import sys
from wallet.spv.store import HeaderStore
raw = open(sys.argv[2], "rb").read()
step = int(sys.argv[3])
with HeaderStore(sys.argv[1], "regtest") as store:
    print("ready", flush=True)
    sys.stdin.readline()
    for o in range(0, len(raw), 80 * step):
        store.add_headers(raw[o : o + 80 * step])
    print(store.height, flush=True)
"""


def test_processes_writing_one_store_at_once_keep_it_whole(tmp_path) -> None:
    """Three processes add the same chain at once, in chunks of different sizes (one opened
    the store before any header existed): all finish, and the store holds the chain once."""
    chain = mine_chain(GENESIS.hash, GENESIS.times[-1], 3000)
    chain_file = tmp_path / "chain.bin"
    chain_file.write_bytes(chain)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SHARER, str(tmp_path / "store"), str(chain_file), str(step)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for step in (1, 7, 500)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    heights = [proc.communicate(timeout=120)[0].strip() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0]
    assert heights == ["3000"] * 3
    assert (tmp_path / "store" / "headers.bin").read_bytes() == chain
    with HeaderStore(tmp_path / "store", "regtest") as store:
        assert store.height == 3000 and store.forks == []


@pytest.mark.parametrize(
    "damage", ["partial header", "zero-filled tail", "garbage tail", "flipped bit inside"]
)
def test_torn_or_damaged_tail_is_cut_back_to_a_valid_prefix(tmp_path, damage: str) -> None:
    chain = mine_chain(GENESIS.hash, GENESIS.times[-1], 40)
    with HeaderStore(tmp_path, "regtest") as store:
        store.add_headers(chain)
    path = tmp_path / "headers.bin"
    data = bytearray(path.read_bytes())
    if damage == "partial header":
        data += chain[:37]
        expect = 40
    elif damage == "zero-filled tail":
        data += bytes(80 * 3)
        expect = 40
    elif damage == "garbage tail":
        data += os.urandom(80 * 2)
        expect = 40
    else:
        data[80 * 30 + 10] ^= 4  # inside the prev-hash: the link breaks at height 31
        expect = 30
    path.write_bytes(bytes(data))
    with HeaderStore(tmp_path, "regtest") as store:
        assert store.height == expect
        assert store.tip.hash == sha256d(chain[80 * (expect - 1) : 80 * expect])
        # and it goes on from there
        more = chain[80 * expect :]
        if more:
            assert store.add_headers(more).accepted == 40 - expect
    assert path.stat().st_size == 40 * 80


def test_fork_reorg_reports_fork_point_and_survives_reopen(tmp_path) -> None:
    main = mine_chain(GENESIS.hash, GENESIS.times[-1], 30)
    parent = 22
    fork = mine_chain(
        sha256d(main[80 * (parent - 1) : 80 * parent]), _time_of(main, parent - 1), 10, tag=9
    )
    with HeaderStore(tmp_path, "regtest") as store:
        store.add_headers(main)
        r = store.add_headers(fork[: 80 * 5])
        assert r.accepted == 5 and r.fork_point is None and store.height == 30
        assert store.forks == [(parent, parent + 5)]
    with HeaderStore(tmp_path, "regtest") as store:  # the fork was kept on disk
        assert store.forks == [(parent, parent + 5)]
        r = store.add_headers(fork[80 * 5 :])  # 32 > 30: the fork wins
        assert r.fork_point == parent and store.height == 32
        assert store.tip.hash == sha256d(fork[-80:])
        assert store.forks == [(parent, 30)]  # the old chain is kept as a fork
        # the old branch grows back ahead: a second reorg to the same fork point
        old_more = mine_chain(sha256d(main[-80:]), _time_of(main, 29), 4, tag=3)
        r = store.add_headers(old_more)
        assert r.fork_point == parent and store.height == 34
        assert store.hash_at(30) == sha256d(main[-80:])
    with HeaderStore(tmp_path, "regtest") as store:
        assert store.height == 34 and store.forks == [(parent, 32)]


def test_branch_off_the_middle_of_a_fork(tmp_path) -> None:
    main = mine_chain(GENESIS.hash, GENESIS.times[-1], 20)
    fork = mine_chain(sha256d(main[80 * 9 : 80 * 10]), _time_of(main, 9), 6, tag=1)
    sub = mine_chain(sha256d(fork[80 * 2 : 80 * 3]), _time_of(fork, 2), 12, tag=2)
    with HeaderStore(tmp_path, "regtest") as store:
        store.add_headers(main)
        store.add_headers(fork)
        r = store.add_headers(sub)  # 10 + 3 + 12 = 25 > 20
        assert r.fork_point == 10 and store.height == 25
        assert sorted(store.forks) == [(10, 16), (10, 20)]


def test_invalid_headers_are_refused_with_the_rule(tmp_path) -> None:
    main = mine_chain(GENESIS.hash, GENESIS.times[-1], 10)
    with HeaderStore(tmp_path, "regtest") as store:
        with pytest.raises(InvalidHeader) as info:
            store.add_headers(main[80:])
        assert info.value.rule == "prev-blk-not-found"
        bad = bytearray(main)
        bad[80 * 6 + 76] ^= 0xFF  # nonce: almost surely no longer meets the target... or does
        r = store.add_headers(bytes(bad))
        assert store.height == r.accepted
        if r.error is not None:
            assert r.error.rule == "high-hash" and r.accepted == 6


def _stale() -> dict[int, bytes]:
    out = {}
    for line in shared_path("data/headers/mainnet/mainnet_stale_headers.csv").read_text().split():
        height, _, hexed = line.partition(",")
        if height.isdigit():
            out[int(height)] = bytes.fromhex(hexed)
    return out


def test_real_stale_block_is_a_valid_competing_header() -> None:
    """Mainnet's real stale block 823226: valid on its parent, distinct from the main block.

    (The data set's other "stale" header, 829613, is byte-identical to the main-chain block in
    the run, so it is no fork.)
    """
    run = shared_path("data/headers/mainnet/mainnet_headers_0822527_0830592.bin").read_bytes()
    first = 822527
    stale = _stale()[823226]

    def rec(h: int) -> bytes:
        return run[(h - first) * 80 : (h - first + 1) * 80]

    tip = tip_from_headers(
        MAINNET, 823225, b"".join(rec(h) for h in range(823215, 823226)), period_start=rec(822528)
    )
    assert stale[4:36] == tip.hash and stale != rec(823226)
    fork_tip = check_header(stale, tip)
    main_tip = check_header(rec(823226), tip)
    assert fork_tip.bits == main_tip.bits and fork_tip.hash != main_tip.hash
    assert _stale()[829613] == rec(829613)


def test_no_fork_below_the_last_checkpoint(tmp_path) -> None:
    run = shared_path("data/headers/mainnet/mainnet_headers_0822527_0830592.bin").read_bytes()
    first = 822527
    cp = checkpoint_at("mainnet", 824543)
    assert cp is not None and cp.self_contained
    body = run[(824544 - first) * 80 :]
    with HeaderStore(tmp_path, "mainnet", checkpoint=cp) as store:
        r = store.add_headers(body)
        assert r.accepted == len(body) // 80 and store.height == 830592
        # any header branching off below the checkpoint at 830591 is refused outright
        for parent in (824543, 828575, 829612, 830590):
            rival = bytearray(run[(parent + 1 - first) * 80 :][:80])
            rival[76] ^= 1
            with pytest.raises(InvalidHeader) as info:
                store.add_headers(bytes(rival))
            assert info.value.rule == "bad-fork-prior-to-checkpoint"
        # above it, a rival is judged by the rules (this one has no proof of work)
        rival = bytearray(run[-80:])
        rival[76] ^= 1
        with pytest.raises(InvalidHeader) as info:
            store.add_headers(bytes(rival))
        assert info.value.rule == "high-hash"
        with pytest.raises(InvalidHeader, match="prev-blk-not-found"):
            store.add_headers(_stale()[823226])  # its parent is below the anchor


def test_anchor_mismatch_and_checkpoint_needs_context(tmp_path) -> None:
    cp = checkpoint_at("mainnet", 151199)
    HeaderStore(tmp_path, "mainnet", checkpoint=cp).close()
    with pytest.raises(HeaderStoreError, match="starts at height 151199"):
        HeaderStore(tmp_path, "mainnet", checkpoint=checkpoint_at("mainnet", 153215))
    t4 = checkpoint_at("testnet4", 2015)
    with pytest.raises(Exception, match="give the 2016 headers"):
        HeaderStore(tmp_path / "t4", "testnet4", checkpoint=t4)


WRITER = r"""
import sys
from wallet.spv.store import HeaderStore
raw = open(sys.argv[2], "rb").read()
with HeaderStore(sys.argv[1], "regtest") as store:
    start = store.height * 80
    print("ready", flush=True)
    for o in range(start, len(raw), 80 * 2):
        store.add_headers(raw[o : o + 80 * 2])
"""


def test_sigkill_mid_append_always_reopens_to_a_valid_prefix(tmp_path) -> None:
    """A writer appending 2 headers at a time (fsync each) is killed at random moments."""
    total = 8000
    chain = mine_chain(GENESIS.hash, GENESIS.times[-1], total)
    chain_file = tmp_path / "chain.bin"
    chain_file.write_bytes(chain)
    store_dir = tmp_path / "store"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    rng = random.Random(1234)
    kills = heights = 0
    seen = []
    deadline = time.monotonic() + 25
    while kills < 40 and time.monotonic() < deadline:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store_dir), str(chain_file)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        size = (store_dir / "headers.bin").stat().st_size
        with HeaderStore(store_dir, "regtest") as store:
            heights = store.height
            assert store.tip.hash == sha256d(chain[80 * (heights - 1) : 80 * heights])
            assert size >= heights * 80  # nothing valid was lost, only a torn tail cut
            seen.append(heights)
        if heights == total:
            break
    assert kills >= 30 or heights == total
    assert seen == sorted(seen)  # every reopen kept what the previous one had
    assert len(set(seen)) > 5  # the kills did land at different moments


def test_crash_between_fork_file_and_reorg_is_finished_on_reopen(tmp_path) -> None:
    """A reorg first fsyncs the winning branch as a fork file; if the process dies before the
    best chain is rewritten, the next open finds the heavier fork and switches to it."""
    main = mine_chain(GENESIS.hash, GENESIS.times[-1], 12)
    fork = mine_chain(sha256d(main[80 * 7 : 80 * 8]), _time_of(main, 7), 9, tag=5)
    with HeaderStore(tmp_path, "regtest") as store:
        store.add_headers(main)
    (tmp_path / "forks" / "8-crashed.bin").write_bytes(fork)  # as left by the dead process
    with HeaderStore(tmp_path, "regtest") as store:
        assert store.height == 17 and store.tip.hash == sha256d(fork[-80:])
        assert store.forks == [(8, 12)]
