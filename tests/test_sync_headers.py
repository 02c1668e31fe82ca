"""Header sync (wallet/sync/headers.py) against the playground over real sockets.

The reference is the playground's own chain (validated by libbitcoinkernel): after a sync the
store must hold exactly its block hashes. Lying servers are the playground's misbehave switches
(per protocol, so one protocol lies while the other is honest) and second playgrounds that grew
a different chain from the same regtest genesis.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from tests.playground_fixture import playground, playground_module, run, start_playground  # noqa: F401
from wallet.account.paths import header_store_dir
from wallet.backends.servers import make_pool
from wallet.spv.errors import HeaderStoreError
from wallet.sync.headers import (
    HeaderProgress,
    HeaderSync,
    HeaderSyncError,
    open_header_store,
)

#: Blocks the shared chain gets on top of the playground's 101: three 2016-header chunks.
LONG = 2016 * 2 + 300


def electrum(pg) -> str:
    return f"tcp://127.0.0.1:{pg.electrum_port}"


def chain_hashes(pg) -> list[bytes]:
    with pg.lock:
        return [b.hash for b in pg.chain.blocks]


def assert_on_chain(store, pg) -> None:
    """The store's best chain is exactly the playground's, block for block."""
    hashes = chain_hashes(pg)
    assert store.height == len(hashes) - 1
    assert [store.hash_at(h) for h in range(len(hashes))] == hashes


async def do_sync(urls, store, **options):
    pool = make_pool(urls, "regtest")
    try:
        result = await HeaderSync(pool, store, **options).sync()
        return result, pool.dropped()
    finally:
        await pool.close()


@pytest.fixture(scope="module")
def long_chain(playground_module):  # noqa: F811
    playground_module.mine(LONG)
    return playground_module


# -- fresh sync, several chunks -----------------------------------------------------------------


@pytest.mark.parametrize("protocol", ["electrum", "esplora"])
def test_fresh_sync_in_chunks(long_chain, tmp_path, protocol):
    pg = long_chain
    url = electrum(pg) if protocol == "electrum" else pg.esplora_url
    seen: list[HeaderProgress] = []
    with open_header_store("regtest", tmp_path / "headers") as store:
        assert store.base_height == 0  # regtest has no checkpoints: genesis
        result, dropped = run(do_sync([url], store, progress=seen.append))
        assert_on_chain(store, pg)
        assert result.height == pg.height and result.tip_hash == store.tip.hash
        assert result.reorg_from is None and result.dropped == {} and dropped == {}
    # one progress report per 2016-header chunk (and a final one), heights rising to the tip
    heights = [p.height for p in seen]
    assert heights[:3] == [2015, 4031, pg.height]
    assert heights == sorted(heights)
    assert all(p.target == pg.height for p in seen)


def test_two_servers_share_the_chunks(long_chain, tmp_path):
    pg = long_chain
    pool = make_pool([electrum(pg), pg.esplora_url], "regtest")

    async def go(store):
        try:
            result = await HeaderSync(pool, store, chunk_size=500, in_flight=3).sync()
            return result, {s.name: s.requests for s in pool.status()}
        finally:
            await pool.close()

    with open_header_store("regtest", tmp_path / "headers") as store:
        result, requests = run(go(store))
        assert_on_chain(store, pg)
    assert result.dropped == {}
    # both servers were asked for headers (chunks alternate between servers claiming one tip)
    assert all(n > 2 for n in requests.values()), requests


def test_resume_after_interruption(long_chain, tmp_path):
    pg = long_chain
    directory = tmp_path / "headers"
    url = electrum(pg)

    class Interrupted(Exception):
        """Like Ctrl-C or the app closing mid-sync, but at a known point whatever the load
        (a task.cancel() lands at the next await, which may come after the last chunk)."""

    async def interrupted(store):
        pool = make_pool([url], "regtest")

        def progress(p: HeaderProgress) -> None:
            if p.height >= 1000:
                raise Interrupted

        try:
            await HeaderSync(pool, store, chunk_size=500, in_flight=2, progress=progress).sync()
        finally:
            await pool.close()

    with open_header_store("regtest", directory) as store:
        with pytest.raises(Interrupted):
            asyncio.run(interrupted(store))
        stopped_at = store.height
    assert 1000 <= stopped_at < pg.height

    seen: list[HeaderProgress] = []
    with open_header_store("regtest", directory) as store:
        assert store.height == stopped_at  # the store kept what was validated
        result, _ = run(do_sync([url], store, chunk_size=500, progress=seen.append))
        assert_on_chain(store, pg)
    assert result.height == pg.height and result.reorg_from is None
    # it went on from where it stopped: the first chunk ends at the next 500-boundary above it
    assert seen[0].height == ((stopped_at + 1) // 500 + 1) * 500 - 1


# -- reorgs -------------------------------------------------------------------------------------


def test_reorg_through_subscription_and_sync(playground, tmp_path):  # noqa: F811
    pg = playground
    pg.mine(20)
    url = electrum(pg)

    async def go(store, other):
        pool = make_pool([url], "regtest")
        sync = HeaderSync(pool, store)
        tips: asyncio.Queue = asyncio.Queue()
        try:
            await sync.sync()
            height = store.height
            await pool.subscribe_headers(lambda server, tip: tips.put_nowait((server, tip)))

            # a new block: one header, no reorg
            await asyncio.to_thread(pg.mine, 1)
            server, tip = await asyncio.wait_for(tips.get(), 10)
            grew = await sync.on_tip(server, tip)
            assert grew is not None and grew.height == height + 1 and grew.reorg_from is None
            assert await sync.on_tip(server, tip) is None  # the same tip again: nothing

            # the last 3 blocks replaced by a longer branch of 4
            fork_height = store.height - 3
            await asyncio.to_thread(pg.reorg, 3)
            server, tip = await asyncio.wait_for(tips.get(), 10)
            while tip.height != fork_height + 4:  # (a burst may deliver an older tip first)
                server, tip = await asyncio.wait_for(tips.get(), 10)
            moved = await sync.on_tip(server, tip)
            assert moved is not None
            assert moved.reorg_from == fork_height + 1
            assert moved.height == fork_height + 4 and moved.tip_hash == tip.hash

            # a second store that synced before the reorg finds it through sync()
            result = await HeaderSync(pool, other).sync()
            assert result.reorg_from == fork_height + 1
            return moved
        finally:
            await pool.close()

    with (
        open_header_store("regtest", tmp_path / "a") as store,
        open_header_store("regtest", tmp_path / "b") as other,
    ):
        run(do_sync([url], other))  # b is at the pre-reorg tip (+0)
        run(go(store, other))
        assert_on_chain(store, pg)
        assert_on_chain(other, pg)
        assert store.forks  # the replaced blocks are kept as a fork


def test_most_work_chain_wins_and_lesser_server_is_not_dropped(tmp_path):
    """Two playgrounds grew different chains from the regtest genesis: the store follows the
    one with more work; the server on the lesser chain is only behind, not dropped."""
    big = start_playground(tmp_path / "big")
    small = start_playground(tmp_path / "small")
    try:
        big.mine(30)
        small.mine(10)
        with open_header_store("regtest", tmp_path / "headers") as store:
            run(do_sync([electrum(small)], store))
            assert_on_chain(store, small)
            result, dropped = run(do_sync([small.esplora_url, electrum(big)], store))
            assert_on_chain(store, big)
            assert dropped == {}
            # the two chains share only genesis: everything from height 1 changed
            assert result.reorg_from == 1
            # syncing again with the lesser server alone changes nothing and drops nobody
            again, dropped = run(do_sync([electrum(small)], store))
            assert again.reorg_from is None and dropped == {}
            assert_on_chain(store, big)
    finally:
        big.stop()
        small.stop()


def test_server_behind_on_our_chain_is_not_dropped(tmp_path):
    """A copy of a playground's data, restarted later, serves the same chain minus new blocks."""
    ahead = start_playground(tmp_path / "ahead")
    ahead.mine(5)
    ahead.stop()
    shutil.copytree(tmp_path / "ahead", tmp_path / "behind")
    ahead = start_playground(tmp_path / "ahead")
    behind = start_playground(tmp_path / "behind")
    try:
        ahead.mine(7)
        assert behind.height == ahead.height - 7
        with open_header_store("regtest", tmp_path / "headers") as store:
            result, dropped = run(do_sync([electrum(behind), ahead.esplora_url], store))
            assert_on_chain(store, ahead)
            assert dropped == {} and result.reorg_from is None
    finally:
        ahead.stop()
        behind.stop()


# -- lying servers ------------------------------------------------------------------------------


def test_low_work_liar_dropped_honest_server_kept(playground, tmp_path):  # noqa: F811
    pg = playground
    pg.mine(50)
    pg.misbehave("low-work", protocols="electrum", depth=6)
    with open_header_store("regtest", tmp_path / "headers") as store:
        result, dropped = run(do_sync([electrum(pg), pg.esplora_url], store, chunk_size=40))
        assert_on_chain(store, pg)  # the honest chain (the liar's forged top is not in it)
    liar = f"127.0.0.1:{pg.electrum_port}"
    assert list(result.dropped) == [liar] and list(dropped) == [liar]
    assert "proof-of-work" in result.dropped[liar] and "claims work" in result.dropped[liar]


def test_liar_caught_by_header_validation_mid_sync(playground, tmp_path):  # noqa: F811
    """The server's tip was honest when asked; the headers it then sends are forged. The store
    keeps the valid prefix, the server is dropped with the rule broken, and with no honest
    server left the sync fails with that reason."""
    pg = playground
    pg.mine(100)

    def progress(p: HeaderProgress) -> None:
        if p.height == 49:  # after the first chunk
            pg.misbehave("low-work", protocols="electrum", depth=6)

    with open_header_store("regtest", tmp_path / "headers") as store:
        with pytest.raises(HeaderSyncError) as caught:
            run(do_sync([electrum(pg)], store, chunk_size=50, in_flight=1, progress=progress))
        # every valid header below the forged ones was kept, and it is the real chain
        hashes = chain_hashes(pg)
        assert store.height == pg.height - 6
        assert all(store.hash_at(h) == hashes[h] for h in range(store.height + 1))
    message = str(caught.value)
    assert "no server offered a valid header chain" in message
    assert "high-hash" in message and f"height {pg.height - 5}" in message


def test_liar_sharing_the_honest_claim_is_dropped_mid_sync(playground, tmp_path):  # noqa: F811
    """Both servers claim the same tip and share the chunks; then one starts forging. Whoever
    was to send the forged range, the liar ends dropped and the store on the real chain."""
    pg = playground
    pg.mine(100)

    def progress(p: HeaderProgress) -> None:
        if p.height == 49:
            pg.misbehave("low-work", protocols="electrum", depth=6)

    with open_header_store("regtest", tmp_path / "headers") as store:
        urls = [electrum(pg), pg.esplora_url]
        result, dropped = run(do_sync(urls, store, chunk_size=50, in_flight=2, progress=progress))
        assert_on_chain(store, pg)
    liar = f"127.0.0.1:{pg.electrum_port}"
    assert list(result.dropped) == [liar] and list(dropped) == [liar]
    assert "proof-of-work" in result.dropped[liar]


@pytest.mark.parametrize("protocol", ["electrum", "esplora"])
def test_invalid_chain_only_accepts_nothing(playground, tmp_path, protocol):  # noqa: F811
    pg = playground
    pg.misbehave("low-work", depth=pg.height)  # every header above genesis forged
    url = electrum(pg) if protocol == "electrum" else pg.esplora_url
    with open_header_store("regtest", tmp_path / "headers") as store:
        with pytest.raises(HeaderSyncError) as caught:
            run(do_sync([url], store))
        assert store.height == 0
        assert not (tmp_path / "headers" / "headers.bin").read_bytes()
    assert "no server offered a valid header chain" in str(caught.value)
    assert "proof-of-work" in str(caught.value)


def test_unreachable_servers_are_an_error_not_a_drop(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open_header_store("regtest", tmp_path / "headers") as store:
        pool = make_pool([f"tcp://127.0.0.1:{port}"], "regtest", connect_timeout=2)

        async def go():
            try:
                await HeaderSync(pool, store).sync()
            finally:
                await pool.close()

        with pytest.raises(HeaderSyncError, match="no server answered"):
            run(go())
        assert pool.dropped() == {}


# -- the store: checkpoints and where it lives --------------------------------------------------


def test_open_header_store_anchors(tmp_path, monkeypatch):
    from wallet.spv.checkpoints import latest

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    cp = latest("mainnet", self_contained=True)
    with open_header_store("mainnet") as store:  # fast start: the latest usable checkpoint
        assert store.directory == header_store_dir("mainnet") == tmp_path / "home/mainnet/headers"
        assert store.base_height == store.height == cp.height
        assert store.tip.hash == cp.hash
    with pytest.raises(HeaderStoreError, match="delete it"):
        open_header_store("mainnet", from_genesis=True)
    with open_header_store("mainnet", tmp_path / "g", from_genesis=True) as store:
        assert store.base_height == store.height == 0
    with open_header_store(
        "mainnet", tmp_path / "g"
    ) as store:  # an existing store keeps its anchor
        assert store.base_height == 0


# -- the command --------------------------------------------------------------------------------


def test_cli_headers_sync(playground, tmp_path, monkeypatch, capsys):  # noqa: F811
    from wallet.cli import main

    pg = playground
    pg.mine(30)
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    argv = ["headers", "sync", "--network", "regtest", "--server", electrum(pg)]
    assert main([*argv, "--server", pg.esplora_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["height"] == pg.height and data["tip_hash"] == pg.tip_hash
    assert data["start_height"] == 0 and data["base_height"] == 0
    block1 = pg.chain.blocks[1].hash[::-1].hex()  # regtest: a store per playground chain
    assert data["store"] == str(header_store_dir("regtest", block1[:16]))
    assert {s["tip_height"] for s in data["servers_used"]} == {pg.height}
    assert len(data["servers_used"]) == 2 and data["servers_dropped"] == {}
    with open_header_store("regtest", Path(data["store"])) as store:
        assert_on_chain(store, pg)

    # text output, a lying server beside the honest one
    pg.mine(3)
    pg.misbehave("low-work", protocols="esplora", depth=2)
    assert main([*argv, "--server", pg.esplora_url]) == 0
    out = capsys.readouterr().out
    assert f"height {pg.height:,} (was {pg.height - 3:,}" in out
    assert f"tip: {pg.tip_hash}" in out
    assert f"servers used: 127.0.0.1:{pg.electrum_port} (tip {pg.height:,})" in out
    assert "dropped 127.0.0.1:" in out and "proof-of-work" in out

    # only a liar: an error, exit code 1
    assert main(["headers", "sync", "--network", "regtest", "--server", pg.esplora_url]) == 1
    assert "no server offered a valid header chain" in capsys.readouterr().err

    # --from-genesis cannot turn a store anchored on a checkpoint into a genesis one
    open_header_store("mainnet").close()
    mainnet = ["headers", "sync", "--network", "mainnet", "--server", electrum(pg)]
    assert main([*mainnet, "--from-genesis"]) == 1
    assert "starts at the checkpoint" in capsys.readouterr().err
