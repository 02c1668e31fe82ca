"""The playground at scale: bursts of blocks dated within what Bitcoin Core accepts, a chain that
survives a kill, and the kernel's block index check spread thin. Speed itself is measured in
bench/playground.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from tests import playground_fixture
from wallet.playground import Playground
from wallet.playground.blocks import block_time, median_time_past
from wallet.playground.kernel import Kernel, check_one_in
from wallet.spv.pow import MAX_FUTURE_BLOCK_TIME

playground = playground_fixture.playground  # the fixture, used by name
ROOT = Path(__file__).resolve().parents[1]


def test_a_burst_leaves_no_block_dated_ahead_of_the_clock_and_room_for_100000_more(playground):
    started = int(time.time())
    playground.mine(600)
    now = int(time.time())
    with playground.lock:
        times = [b.time for b in playground.chain.blocks]
        mtp = playground.chain.mtp()
    assert max(times) <= now  # mined at ~3,000 a second, blocks dated now ran 100 s ahead
    assert times[-1] >= started  # the block that ends the burst is dated now
    # the median rule lets 6 blocks share a second: 100,000 blocks need 16,667 s of chain time,
    # which must fit under the clock + 2 hours
    assert mtp + 100_000 // 6 + 1 <= now + MAX_FUTURE_BLOCK_TIME


def test_burst_blocks_advance_the_chain_time_as_little_as_consensus_allows():
    now = 1_800_000_000
    recent = [now] * 11  # a chain whose time has caught up with the clock
    for _ in range(100_000):
        recent = [*recent[-10:], block_time(recent, now, current=False)]
    assert recent[-1] <= now + 100_000 // 6 + 1  # the slowest the median rule allows
    behind = [now - 7 * 86400 + i for i in range(11)]
    current = block_time(behind, now, current=True)
    assert current == now
    after = block_time([*behind[1:], current], now, current=False)
    assert median_time_past([*behind[1:], current]) < after < now  # back under the median


def _child(datadir: Path, body: str) -> subprocess.Popen:
    code = textwrap.dedent(
        f"""
        import sys, time
        from wallet.playground import Playground
        pg = Playground({str(datadir)!r}, electrum_port=0, esplora_port=0).start()
        """
    ) + textwrap.dedent(body)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )


def _read_then_kill(child: subprocess.Popen) -> list[str]:
    try:
        line = child.stdout.readline().split()
    finally:
        child.send_signal(signal.SIGKILL)  # no stop(), no destructor: only what is on disk
        child.wait(30)
    assert line, "the child playground printed nothing"
    return line


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_playground_resumes_the_same_chain(tmp_path):
    datadir = tmp_path / "pg"
    # a long burst is written while it runs: killed right after, the chain keeps its first part
    burst = _child(
        datadir,
        """
        pg.mine(1200)
        with pg.lock:
            print(pg.chain.blocks[1000].hash.hex(), flush=True)
        time.sleep(60)
        """,
    )
    (hash_1000,) = _read_then_kill(burst)
    # a few blocks are written once the playground has been idle for a moment
    quiet = _child(
        datadir,
        """
        assert pg.height >= 1000, pg.height
        pg.mine(3)
        while not pg.flushed:
            time.sleep(0.05)
        print(pg.height, pg.tip_hash, flush=True)
        time.sleep(60)
        """,
    )
    height, tip = _read_then_kill(quiet)
    again = Playground(datadir, electrum_port=0, esplora_port=0).start()
    try:
        assert (again.height, again.tip_hash) == (int(height), tip)  # not a fresh 101 blocks
        with again.lock:
            assert again.chain.blocks[1000].hash.hex() == hash_1000
            assert again.kernel.height == again.chain.height
    finally:
        again.stop()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the option's layout is checked for libstdc++"
)
def test_the_kernel_checks_its_block_index_on_one_call_in_n_sized_to_the_chain(tmp_path):
    kernel = Kernel(tmp_path / "k")
    try:
        assert kernel.block_index_check == f"1 in {check_one_in(0)}"
        assert check_one_in(100_000) == 100_000 // 64  # ~64 entries walked per call, any height
        kernel.flush()
        assert kernel.block_index_check == "1 in 16" and kernel.height == 0
    finally:
        kernel.close()


def test_the_servers_count_requests_messages_and_bytes(playground):
    """What bench/sync.py compares clients by: counted by the servers, one batch one message."""
    from tests.playground_fixture import ElectrumClient, run

    async def ask() -> None:
        client = await ElectrumClient.connect(playground.electrum_port)
        await client.call("server.version", "test", "1.4")
        client.writer.write(
            b'[{"id":1,"method":"server.ping","params":[]},'
            b'{"id":2,"method":"blockchain.headers.subscribe","params":[]}]\n'
        )
        await client.writer.drain()
        assert b'"id":2' in await client.next_raw()
        client.writer.close()

    run(ask())
    with urllib.request.urlopen(playground.esplora_url + "/blocks/tip/height") as reply:
        tip = reply.read()
    request = urllib.request.Request(
        playground.esplora_url + "/playground/traffic",
        headers=playground_fixture.control_headers(playground),
    )
    with urllib.request.urlopen(request) as reply:
        counts = json.loads(reply.read())
    electrum, esplora = counts["electrum"], counts["esplora"]
    assert electrum["by_kind"] == {
        "server.version": 1,
        "server.ping": 1,
        "blockchain.headers.subscribe": 1,
    }
    assert (electrum["requests"], electrum["messages"], electrum["connections"]) == (3, 2, 1)
    assert electrum["bytes_in"] > 150 and electrum["bytes_out"] > 200
    assert esplora["by_kind"] == {"tip_height": 1}  # the traffic request itself is left out
    assert esplora["bytes_out"] > len(tip) and esplora["messages"] == 1
