"""The server pool: cross-checked histories, failover, dropping servers with a reason.

Honest servers are the playground's Electrum and Esplora ports (one real regtest chain); hostile
ones are the scripted real servers of the client tests. The pool must keep serving from the
honest servers and say, per server, what went wrong.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.playground_fixture import TestKey, funded_coin, playground_module  # noqa: F401
from tests.test_backend_electrum import Delay as SlowAnswer
from tests.test_backend_electrum import ScriptedElectrum, answer
from tests.test_backend_esplora import Reply, ScriptedHTTP, routes
from wallet.backends import (
    Backoff,
    ElectrumClient,
    EsploraClient,
    PoolError,
    ServerPool,
    ServerState,
    scripthash_of,
)
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.spv.chain import chain_from_genesis

FAST = Backoff(base=0.01, maximum=0.05, jitter=0.0)


def run(coro, timeout: float = 30):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def both(pg, timeout: float):
    """The playground's two servers with short timeouts and fast retries (for stall tests)."""
    return [
        ElectrumClient(
            "127.0.0.1",
            pg.electrum_port,
            network=REGTEST,
            name="electrum",
            timeout=timeout,
            backoff=FAST,
        ),
        EsploraClient(
            pg.esplora_url,
            network=REGTEST,
            name="esplora",
            timeout=timeout,
            retries=1,
            backoff=FAST,
            poll_interval=0.05,
        ),
    ]


def reference_history(pg, sh: bytes) -> list[tuple[bytes, int]]:
    """The playground's own history of ``sh`` (its ledger, not a server's answer)."""
    with pg.lock:
        return [(i.txid, i.height) for i in pg.ledger.history(sh, "reference")]


def honest(pg, **options):
    return [
        ElectrumClient(
            "127.0.0.1", pg.electrum_port, network=REGTEST, name="electrum", backoff=FAST, **options
        ),
        EsploraClient(
            pg.esplora_url, network=REGTEST, name="esplora", backoff=FAST, poll_interval=0.05
        ),
    ]


@pytest.fixture(scope="module")
def wallet_key(playground_module):  # noqa: F811
    """A key with two confirmed payments and a confirmed spend of one of them."""
    pg = playground_module
    key = TestKey(b"pool tests")
    coins = [funded_coin(pg, key, 40_000), funded_coin(pg, key, 41_000)]
    spend = key.spend(coins[:1], [TxOut(39_000, key.script)])
    pg.broadcast(spend.serialize())
    pg.mine(1)
    return key, spend, coins[1]


def test_history_is_cross_checked_and_a_hidden_transaction_reported(
    playground_module,  # noqa: F811
    wallet_key,
):
    pg = playground_module
    key, spend, _ = wallet_key
    sh = scripthash_of(key.script)

    async def main():
        async with ServerPool(honest(pg)) as pool:
            clean = await pool.get_history(sh)
            assert clean.cross_checked and sorted(clean.servers) == ["electrum", "esplora"]
            assert clean.disagreements == []
            assert clean.by_server["electrum"] == clean.by_server["esplora"] == clean.items

            # one server hides the spend: the pool still lists it, and says who hid it
            pg.misbehave("omit-tx", protocols="esplora", txid=spend.txid_hex)
            try:
                checked = await pool.get_history(sh)
            finally:
                pg.behave()
            assert spend.txid() in {i.txid for i in checked.items}
            assert checked.items == clean.items
            assert spend.txid() not in {i.txid for i in checked.by_server["esplora"]}
            [d] = checked.disagreements
            assert d.kind == "missing" and d.txid == spend.txid() and d.confirmed
            assert d.missing_from == ("esplora",)
            assert list(d.heights) == ["electrum"]
            assert spend.txid_hex in d.note and "esplora does not" in d.note
            assert list(pool.disagreements)[-1] == d
            # hiding a transaction is not a protocol fault: nobody is dropped for it
            assert pool.dropped() == {}

    run(main())


def test_a_malformed_server_is_dropped_and_the_others_keep_serving(
    playground_module,  # noqa: F811
    wallet_key,
):
    pg = playground_module
    key, _, _ = wallet_key
    sh = scripthash_of(key.script)
    bad_history = [{"tx_hash": "ab" * 32, "height": "yesterday"}]

    async def main():
        handlers = {"blockchain.scripthash.get_history": answer(bad_history)}
        cut_json = Reply(200, '[{"txid": "ab', {"Content-Type": "application/json"})
        async with (
            ScriptedElectrum(handlers) as hostile,
            ScriptedHTTP(lambda method, path, body: cut_json) as broken_http,
        ):
            drops: list[tuple[str, str]] = []
            pool = ServerPool(
                [
                    hostile.client(name="hostile"),
                    broken_http.client(name="broken-http"),
                    *honest(pg),
                ],
                on_drop=lambda n, r: drops.append((n, r)),
            )
            async with pool:
                checked = await pool.get_history(sh)
                assert sorted(checked.servers) == ["electrum", "esplora"]
                assert checked.cross_checked
                assert pool.is_dropped("hostile") and pool.is_dropped("broken-http")
                reasons = dict(drops)
                assert len(drops) == 2
                assert "not valid JSON" in reasons["broken-http"]
                reason = reasons["hostile"]
                assert reason.startswith("malformed reply: bad reply to ")
                assert "should be an integer" in reason
                panel = {s.name: s for s in pool.status()}
                assert panel["hostile"].dropped == reason
                assert panel["hostile"].state in (ServerState.FAULTY, ServerState.CLOSED)
                assert panel["electrum"].dropped is None
                assert panel["electrum"].state == ServerState.CONNECTED
                assert panel["electrum"].latency_ms is not None
                # the dropped server is never asked again
                asked = len(hostile.requests)
                await pool.get_history(sh)
                await pool.get_transaction(checked.items[0].txid)
                assert len(hostile.requests) == asked
                assert sorted(b.name for b in pool.active()) == ["electrum", "esplora"]
                assert broken_http.count(f"/scripthash/{sh.hex()}/txs") == 1

    run(main())


def test_a_slow_or_failing_server_is_skipped_not_dropped(playground_module, wallet_key):  # noqa: F811
    pg = playground_module
    _, spend, _ = wallet_key

    async def main():
        handlers = {"blockchain.transaction.get": answer(SlowAnswer(5, "00"))}
        async with (
            ScriptedElectrum(handlers) as slow,
            ScriptedHTTP(routes({})) as broken,
        ):
            broken.route = lambda method, path, body: Reply(503, "maintenance")
            backends = [
                slow.client(name="slow", timeout=0.3),
                EsploraClient(broken.url, name="broken", retries=1, backoff=FAST),
                *honest(pg),
            ]
            async with ServerPool(backends) as pool:
                raw = await pool.get_transaction(spend.txid())
                assert raw == spend.serialize()
                assert pool.dropped() == {}
                assert pool.stalls("slow") == 1  # one stall: counted, not dropped
                assert pool.stalls("broken") == 0  # HTTP 503 is busy, not stalling
                panel = {s.name: s for s in pool.status()}
                assert panel["slow"].state == ServerState.UNREACHABLE
                assert "within 0.3 s" in panel["slow"].last_error
                assert panel["broken"].state == ServerState.UNREACHABLE
                assert "HTTP 503" in panel["broken"].last_error
                # working servers are now asked first
                assert [b.name for b in pool.active()][:2] in (
                    ["electrum", "esplora"],
                    ["esplora", "electrum"],
                )

    run(main())


@pytest.mark.parametrize(
    ("mode", "liar", "label"),
    [
        ("slow", "electrum", "stalled: no answer to "),
        ("slow", "esplora", "stalled: GET "),
        ("drop", "electrum", "lost the connection: the server closed the connection"),
        ("drop", "esplora", "lost the connection: GET "),
    ],
    ids=["electrum-stalls", "esplora-stalls", "electrum-hangs-up", "esplora-hangs-up"],
)
def test_a_server_that_keeps_stalling_is_dropped_and_the_honest_one_answers(
    playground_module,  # noqa: F811
    wallet_key,
    mode,
    liar,
    label,
):
    pg = playground_module
    key, _, _ = wallet_key
    sh = scripthash_of(key.script)
    other = "esplora" if liar == "electrum" else "electrum"
    expected = reference_history(pg, sh)
    assert len(expected) == 3

    async def main():
        drops: list[tuple[str, str]] = []
        pool = ServerPool(both(pg, timeout=0.3), on_drop=lambda n, r: drops.append((n, r)))
        async with pool:
            pg.misbehave(mode, protocols=liar, **({"delay": 2.0} if mode == "slow" else {}))
            try:
                for attempt in range(1, 6):
                    checked = await pool.get_history(sh)
                    # every answer comes from the honest server, and it is the right one
                    assert checked.servers == [other] and not checked.cross_checked
                    assert [(i.txid, i.height) for i in checked.items] == expected
                    if pool.is_dropped(liar):
                        break
                    assert pool.stalls(liar) == attempt
                    await asyncio.sleep(0.1)  # past the client's backoff: it is asked again
            finally:
                pg.behave()
            assert attempt == pool.stall_limit == 3
            [(name, reason)] = drops
            assert name == liar and pool.dropped() == {liar: reason}
            assert reason.startswith(label), reason
            if mode == "slow":
                assert "within 0.3 s" in reason
            assert reason.endswith(f", 3 times in a row, while {other} answered"), reason
            panel = {s.name: s for s in pool.status()}
            assert panel[liar].dropped == reason and panel[other].dropped is None
            # the wallet keeps working with the honest server, the dropped one is not asked
            requests = panel[liar].requests
            checked = await pool.get_history(sh)
            assert checked.servers == [other]
            assert [(i.txid, i.height) for i in checked.items] == expected
            assert [b.name for b in pool.active()] == [other]
            assert {s.name: s for s in pool.status()}[liar].requests == requests

    run(main())


def test_one_stall_does_not_drop_and_an_answer_restarts_the_count(
    playground_module,  # noqa: F811
    wallet_key,
):
    pg = playground_module
    key, _, _ = wallet_key
    sh = scripthash_of(key.script)
    expected = reference_history(pg, sh)

    async def main():
        async with ServerPool(both(pg, timeout=0.3)) as pool:
            pg.misbehave("slow", protocols="electrum", delay=2.0)
            try:
                checked = await pool.get_history(sh)
            finally:
                pg.behave()
            assert checked.servers == ["esplora"]
            assert pool.stalls("electrum") == 1 and pool.dropped() == {}
            panel = {s.name: s for s in pool.status()}
            assert panel["electrum"].state == ServerState.UNREACHABLE
            assert "no answer to server.version within 0.3 s" in panel["electrum"].last_error
            await asyncio.sleep(0.1)
            # it answers again: cross-checked as before, and its count starts over
            checked = await pool.get_history(sh)
            assert sorted(checked.servers) == ["electrum", "esplora"] and checked.cross_checked
            assert [(i.txid, i.height) for i in checked.items] == expected
            assert pool.stalls("electrum") == 0
            # two more stalls are still not three in a row
            pg.misbehave("slow", protocols="electrum", delay=2.0)
            try:
                for _ in range(2):
                    await asyncio.sleep(0.1)
                    await pool.get_history(sh)
            finally:
                pg.behave()
            assert pool.stalls("electrum") == 2 and pool.dropped() == {}

    run(main())


def test_the_last_server_left_is_not_dropped_for_stalls_and_recovers(
    playground_module,  # noqa: F811
    wallet_key,
):
    pg = playground_module
    key, _, _ = wallet_key
    sh = scripthash_of(key.script)
    expected = reference_history(pg, sh)

    async def main():
        async with ServerPool(both(pg, timeout=0.3)) as pool:
            assert (await pool.get_history(sh)).cross_checked
            pool.drop("esplora", "bad Merkle proof for a test transaction")
            pg.misbehave("slow", protocols="electrum", delay=2.0)
            try:
                for _ in range(4):
                    await asyncio.sleep(0.1)
                    with pytest.raises(PoolError, match=r"no answer to .* within 0\.3 s"):
                        await pool.get_history(sh)
            finally:
                pg.behave()
            # past the limit, but nobody else answers: unreachable, not dropped
            assert pool.stalls("electrum") == 4
            assert list(pool.dropped()) == ["esplora"]
            panel = {s.name: s for s in pool.status()}
            assert panel["electrum"].state == ServerState.UNREACHABLE
            assert panel["electrum"].dropped is None
            # the server comes back: the wallet uses it again
            await asyncio.sleep(0.1)
            checked = await pool.get_history(sh)
            assert checked.servers == ["electrum"]
            assert [(i.txid, i.height) for i in checked.items] == expected
            assert pool.stalls("electrum") == 0

    run(main())


def test_when_every_server_stalls_none_is_dropped(playground_module, wallet_key):  # noqa: F811
    """Everyone stalling looks like our own network: no server is to blame, none is dropped."""
    pg = playground_module
    key, _, _ = wallet_key
    sh = scripthash_of(key.script)

    async def main():
        async with ServerPool(both(pg, timeout=0.3)) as pool:
            pg.misbehave("slow", delay=2.0)
            try:
                for _ in range(3):
                    await asyncio.sleep(0.1)
                    with pytest.raises(PoolError, match="no server could send a history"):
                        await pool.get_history(sh)
            finally:
                pg.behave()
            assert pool.stalls("electrum") == pool.stalls("esplora") == 3
            assert pool.dropped() == {}
            # the network is back: the first answers are recoveries, not evidence against
            # the other server
            await asyncio.sleep(0.1)
            assert (await pool.get_history(sh)).cross_checked
            assert pool.dropped() == {}
            assert pool.stalls("electrum") == pool.stalls("esplora") == 0

    run(main())


def test_stall_limit_is_checked():
    with pytest.raises(ValueError, match="stall_limit"):
        ServerPool(stall_limit=0)
    assert ServerPool().stall_limit == 3 and ServerPool(stall_limit=None).stall_limit is None


def test_the_light_node_drops_a_server_on_an_invalid_chain(playground_module):  # noqa: F811
    pg = playground_module

    async def main():
        async with ServerPool(honest(pg)) as pool:
            tips = await pool.get_tips()
            assert {t.hash_hex for t in tips.values()} == {pg.tip_hash}
            pg.misbehave("low-work", protocols="electrum", depth=3)
            try:
                for name in pool.names:
                    _, raw = await pool.get_headers(0, pg.height + 1, server=name)
                    _, result = chain_from_genesis(raw, REGTEST)
                    if not result.ok:
                        pool.drop(name, f"invalid chain: {result.error}")
            finally:
                pg.behave()
            assert list(pool.dropped()) == ["electrum"]
            assert "high-hash" in pool.dropped()["electrum"]
            assert [b.name for b in pool.active()] == ["esplora"]
            # asking a dropped server by name says why it cannot
            with pytest.raises(PoolError, match="high-hash"):
                await pool.get_headers(0, 1, server="electrum")
            pool.drop("esplora", "bad Merkle proof for a test transaction")
            with pytest.raises(PoolError) as info:
                await pool.get_tips()
            assert "high-hash" in str(info.value) and "bad Merkle proof" in str(info.value)

    run(main())


def test_broadcast_reaches_every_server(playground_module):  # noqa: F811
    pg = playground_module
    key = TestKey(b"pool broadcast")
    coin = funded_coin(pg, key, 30_000)
    tx = key.spend([coin], [TxOut(29_000, key.script)])

    async def main():
        lying = {"blockchain.transaction.broadcast": answer("cd" * 32)}
        async with (
            ScriptedElectrum(lying) as liar,
            ServerPool([*honest(pg), liar.client(name="liar")]) as pool,
        ):
            result = await pool.broadcast(tx.serialize())
            assert result.txid == tx.txid()
            assert "electrum" in result.accepted or "esplora" in result.accepted
            assert "liar" in result.refused
            assert pool.is_dropped("liar")
            assert "the transaction's txid is" in pool.dropped()["liar"]
            _, mempool = await pool.get_mempool(scripthash_of(key.script))
            assert [i.txid for i in mempool] == [tx.txid()]

    run(main())


def test_fee_estimate_is_the_median_so_one_server_cannot_set_it(playground_module):  # noqa: F811
    pg = playground_module
    pg.set_fee_estimates({1: 12.0, 6: 4.0})
    try:

        async def main():
            greedy = {
                "blockchain.estimatefee": answer(5.0),  # 500,000 sat/vB
                "blockchain.relayfee": answer(0.00003),
            }
            async with (
                ScriptedElectrum(greedy) as server,
                ServerPool([*honest(pg), server.client(name="greedy")]) as pool,
            ):
                assert await pool.estimate_fee(1) == FeeRate.from_sat_per_vb(12)
                assert await pool.estimate_fee(6) == FeeRate.from_sat_per_vb(4)
                # the strictest relay policy
                assert await pool.relay_fee() == FeeRate.from_sat_per_vb(3)

        run(main())
    finally:
        pg.set_fee_estimates(None)


def test_pool_subscriptions(playground_module):  # noqa: F811
    pg = playground_module
    key = TestKey(b"pool subscriptions")
    sh = scripthash_of(key.script)

    async def main():
        tips: asyncio.Queue = asyncio.Queue()
        statuses: asyncio.Queue = asyncio.Queue()
        async with ServerPool(honest(pg)) as pool:
            first = await pool.subscribe_headers(lambda name, tip: tips.put_nowait((name, tip)))
            assert {t.height for t in first.values()} == {pg.height}
            current = await pool.subscribe_scripthash(sh, lambda *a: statuses.put_nowait(a))
            assert current == {"electrum": None, "esplora": None}
            pg.fund(key.address, 20_000, confirm=True)
            heard = {}
            for _ in range(2):
                name, tip = await asyncio.wait_for(tips.get(), 10)
                heard[name] = tip
            assert set(heard) == {"electrum", "esplora"}
            assert {t.hash_hex for t in heard.values()} == {pg.tip_hash}
            changed = set()
            for _ in range(2):
                name, got_sh, status = await asyncio.wait_for(statuses.get(), 10)
                assert got_sh == sh and status is not None
                changed.add(name)
            assert changed == {"electrum", "esplora"}

    run(main())


def test_a_pool_with_one_server_says_the_history_was_not_cross_checked(
    playground_module,  # noqa: F811
    wallet_key,
):
    pg = playground_module
    key, _, _ = wallet_key

    async def main():
        async with ServerPool(honest(pg)[:1]) as pool:
            checked = await pool.get_history(scripthash_of(key.script))
            assert not checked.cross_checked and checked.servers == ["electrum"]
        empty = ServerPool()
        with pytest.raises(PoolError, match="no server is configured"):
            await empty.get_tips()
        with pytest.raises(PoolError, match="no server is configured"):
            await empty.get_header(0)

    run(main())


def test_duplicate_names_are_refused(playground_module):  # noqa: F811
    a, _ = honest(playground_module)
    b, _ = honest(playground_module)
    pool = ServerPool([a])
    with pytest.raises(ValueError, match="named"):
        pool.add(b)
