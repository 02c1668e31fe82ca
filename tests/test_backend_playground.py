"""Both clients against the playground: a real regtest chain (every block validated by
libbitcoinkernel) served over the Electrum protocol and the Esplora API on 127.0.0.1.

The two protocols must give the same answers; headers are checked with the light node's own
chain validation, Merkle proofs with its proof verifier, so nothing here trusts the client.
"""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from tests.playground_fixture import TestKey, funded_coin, playground_module  # noqa: F401
from wallet.backends import (
    Backoff,
    ElectrumClient,
    EsploraClient,
    MalformedReply,
    RequestRejected,
    ServerUnavailable,
    electrum_status,
    scripthash_of,
)
from wallet.bitcoin.amount import FeeRate
from wallet.bitcoin.hashes import sha256d
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.spv.chain import chain_from_genesis
from wallet.spv.merkle import MerkleProofError, merkle_root, root_from_branch, verify_branch

FAST = Backoff(base=0.01, maximum=0.05, jitter=0.0)


def run(coro, timeout: float = 30):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def clients(pg, **options):
    electrum = ElectrumClient(
        "127.0.0.1", pg.electrum_port, network=REGTEST, name="electrum", backoff=FAST, **options
    )
    esplora = EsploraClient(
        pg.esplora_url, network=REGTEST, name="esplora", backoff=FAST, poll_interval=0.05, **options
    )
    return electrum, esplora


async def both(call, electrum, esplora):
    return await asyncio.gather(call(electrum), call(esplora))


@pytest.fixture(scope="module")
def funded(playground_module):  # noqa: F811
    """A test key with confirmed coins, a spend between them, and one unconfirmed payment."""
    pg = playground_module
    key = TestKey(b"backend tests")
    coins = [funded_coin(pg, key, 50_000 + i) for i in range(3)]
    spend = key.spend(coins[:2], [TxOut(60_000, key.script), TxOut(39_000, key.script)])
    pg.broadcast(spend.serialize())
    pg.mine(1)
    pending = pg.fund(key.address, 12_345)
    return key, spend, pending


def test_both_protocols_give_the_same_answers(playground_module, funded):  # noqa: F811
    pg = playground_module
    key, spend, pending = funded
    sh = scripthash_of(key.script)

    async def main():
        electrum, esplora = clients(pg)
        try:
            tips = await both(lambda c: c.get_tip(), electrum, esplora)
            assert tips[0] == tips[1]
            assert tips[0].height == pg.height and tips[0].hash_hex == pg.tip_hash

            # the whole header chain, validated by the light node's rules from genesis
            headers = await both(lambda c: c.get_headers(0, pg.height + 50), electrum, esplora)
            assert headers[0] == headers[1]
            assert len(headers[0]) == 80 * (pg.height + 1)
            _, result = chain_from_genesis(headers[0], REGTEST)
            assert result.ok and result.tip.hash_hex == pg.tip_hash
            middle = await both(lambda c: c.get_headers(40, 30), electrum, esplora)
            assert middle[0] == middle[1] == headers[0][40 * 80 : 70 * 80]
            single = await both(lambda c: c.get_header(17), electrum, esplora)
            assert single[0] == single[1]
            assert single[0].header == headers[0][17 * 80 : 18 * 80]

            history = await both(lambda c: c.get_history(sh), electrum, esplora)
            assert history[0] == history[1]
            txids = [i.txid_hex for i in history[0]]
            assert spend.txid_hex in txids and pending in txids
            assert len(history[0]) == 5  # 3 fundings, the spend, the pending payment
            assert [i.height for i in history[0]][-1] == 0 and history[0][-1].fee > 0
            assert all(i.height > 0 and i.fee is None for i in history[0][:-1])

            mempool = await both(lambda c: c.get_mempool(sh), electrum, esplora)
            assert mempool[0] == mempool[1] == history[0][-1:]

            utxos = await both(lambda c: c.list_unspent(sh), electrum, esplora)
            assert sorted(utxos[0], key=repr) == sorted(utxos[1], key=repr)
            assert sum(u.value for u in utxos[0]) == 60_000 + 39_000 + 50_002 + 12_345

            for item in history[0][:-1]:
                raws = await both(
                    lambda c, item=item: c.get_transaction(item.txid), electrum, esplora
                )
                assert raws[0] == raws[1]
                proofs = await both(
                    lambda c, item=item: c.get_merkle(item.txid, item.height), electrum, esplora
                )
                assert proofs[0] == proofs[1]
                header = headers[0][item.height * 80 : item.height * 80 + 80]
                assert verify_branch(raws[0], proofs[0].branch, proofs[0].pos, header) == item.txid

            fees = await both(lambda c: c.estimate_fee(2), electrum, esplora)
            assert fees[0] == fees[1] >= FeeRate.from_sat_per_vb(1)
            relays = await both(lambda c: c.relay_fee(), electrum, esplora)
            assert relays[0] == relays[1] == FeeRate.from_sat_per_vb(1)
        finally:
            await electrum.close()
            await esplora.close()

    run(main())


def test_esplora_headers_in_several_windows(playground_module, monkeypatch):  # noqa: F811
    import wallet.backends.esplora as esplora_module

    monkeypatch.setattr(esplora_module, "HEADERS_WINDOW", 25)
    pg = playground_module

    async def main():
        electrum, esplora = clients(pg)
        try:
            for start, count in ((0, pg.height + 1), (3, 61), (pg.height - 1, 10)):
                got = await both(lambda c, s=start, n=count: c.get_headers(s, n), electrum, esplora)
                assert got[0] == got[1]
                assert len(got[0]) == 80 * min(count, pg.height + 1 - start)
        finally:
            await electrum.close()
            await esplora.close()

    run(main())


def test_fee_estimates_follow_the_server(playground_module):  # noqa: F811
    pg = playground_module
    pg.set_fee_estimates({1: 25.5, 6: 7.25, 144: 1.5})
    try:

        async def main():
            electrum, esplora = clients(pg)
            try:
                for target, want in ((1, "25.5"), (3, "25.5"), (6, "7.25"), (24, "7.25")):
                    rate = FeeRate.from_sat_per_vb(want)
                    got = await both(lambda c, t=target: c.estimate_fee(t), electrum, esplora)
                    assert got == [rate, rate]
            finally:
                await electrum.close()
                await esplora.close()

        run(main())
    finally:
        pg.set_fee_estimates(None)


def test_checkpoint_header_proof(playground_module):  # noqa: F811
    pg = playground_module

    async def main():
        electrum, _ = clients(pg)
        try:
            cp = pg.height
            raw = await electrum.get_headers(0, cp + 1)
            hashes = [sha256d(raw[i : i + 80]) for i in range(0, len(raw), 80)]
            reply = await electrum.get_header(30, cp_height=cp)
            assert reply.header == raw[30 * 80 : 31 * 80]
            assert reply.proof is not None and reply.proof.cp_height == cp
            assert reply.proof.root == merkle_root(hashes)
            leaf = sha256d(reply.header)
            assert root_from_branch(leaf, reply.proof.branch, 30) == reply.proof.root
            with pytest.raises(RequestRejected):
                await electrum.get_header(cp + 5)
        finally:
            await electrum.close()

    run(main())


def test_broadcast_and_notifications(playground_module):  # noqa: F811
    pg = playground_module
    key = TestKey(b"backend notifications")
    sh = scripthash_of(key.script)
    coin = funded_coin(pg, key, 80_000)

    async def main():
        electrum, esplora = clients(pg)
        tips = {"electrum": asyncio.Queue(), "esplora": asyncio.Queue()}
        statuses = {"electrum": asyncio.Queue(), "esplora": asyncio.Queue()}
        try:
            for c in (electrum, esplora):
                tip = await c.subscribe_headers(tips[c.name].put_nowait)
                assert tip.height == pg.height
                status = await c.subscribe_scripthash(
                    sh, lambda *a, n=c.name: statuses[n].put_nowait(a)
                )
                assert status == electrum_status(await electrum.get_history(sh))

            # a spend broadcast over Esplora shows up over Electrum
            tx = key.spend([coin], [TxOut(79_000, key.script)])
            assert await esplora.broadcast(tx.serialize()) == tx.txid()
            for name in ("electrum", "esplora"):
                got_sh, status = await asyncio.wait_for(statuses[name].get(), 10)
                assert got_sh == sh
                history = await electrum.get_history(sh)
                assert history[-1].txid == tx.txid() and history[-1].height == 0
                assert status == electrum_status(history)
            # the same coin again with a lower fee: refused (no valid replacement)
            cheaper = key.spend([coin], [TxOut(79_500, key.script)])
            with pytest.raises(RequestRejected, match="rejected"):
                await electrum.broadcast(cheaper.serialize())

            # mining confirms it: both report the new tip and the new status
            pg.mine(1)
            for name in ("electrum", "esplora"):
                tip = await asyncio.wait_for(tips[name].get(), 10)
                assert tip.height == pg.height and tip.hash_hex == pg.tip_hash
                _, status = await asyncio.wait_for(statuses[name].get(), 10)
                assert status == electrum_status(await esplora.get_history(sh))
            item = (await esplora.get_history(sh))[-1]
            assert item.txid == tx.txid() and item.height == pg.height
            proof = await electrum.get_merkle(tx.txid(), item.height)
            header = (await esplora.get_header(item.height)).header
            assert verify_branch(tx.serialize(), proof.branch, proof.pos, header) == tx.txid()
        finally:
            await electrum.close()
            await esplora.close()

    run(main())


def test_tls_against_the_playground(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from tests.playground_fixture import start_playground
    from wallet.sync.tls_pins import PinFile

    pg = start_playground(tmp_path / "pg", tls=True, initial_blocks=3)
    try:

        async def main():
            pins = PinFile(tmp_path / "pins.json")
            client = ElectrumClient(
                "127.0.0.1", pg.electrum_tls_port, tls=True, network=REGTEST, pins=pins
            )
            try:
                tip = await client.get_tip()
                assert tip.height == 3 and tip.hash_hex == pg.tip_hash
            finally:
                await client.close()
            der = x509.load_pem_x509_certificate(pg.certificate.read_bytes()).public_bytes(
                serialization.Encoding.DER
            )
            assert pins.get(f"127.0.0.1:{pg.electrum_tls_port}") == hashlib.sha256(der).hexdigest()

        run(main())
    finally:
        pg.stop()


# -- the playground's misbehaviour switches -----------------------------------------------------


def test_misbehaving_playground(playground_module, funded):  # noqa: F811
    pg = playground_module
    key, _, _ = funded
    sh = scripthash_of(key.script)

    async def main():
        electrum = ElectrumClient(
            "127.0.0.1", pg.electrum_port, name="electrum", backoff=FAST, timeout=0.5
        )
        esplora = EsploraClient(
            pg.esplora_url, name="esplora", backoff=FAST, timeout=0.5, retries=1
        )
        try:
            height = (await electrum.get_history(sh))[0].height
            txid = (await electrum.get_history(sh))[0].txid

            pg.misbehave("malformed-json")
            for c in (electrum, esplora):
                with pytest.raises(MalformedReply, match="not valid JSON"):
                    await c.get_history(sh)
            pg.behave()
            await asyncio.sleep(0.1)  # past the Electrum client's reconnect backoff

            pg.misbehave("slow", delay=2)
            for c in (electrum, esplora):
                with pytest.raises(ServerUnavailable, match=r"within 0\.5 s"):
                    await c.get_tip()
            pg.behave()

            pg.misbehave("drop")
            await asyncio.sleep(0.1)  # past the client's reconnect backoff
            for c in (electrum, esplora):
                with pytest.raises(ServerUnavailable):
                    await c.get_tip()
            pg.behave()
            await asyncio.sleep(0.1)

            # a wrong branch is well-formed, so it passes the client; the proof check catches it
            pg.misbehave("wrong-merkle")
            raw = await electrum.get_transaction(txid)
            header = (await electrum.get_header(height)).header
            for c in (electrum, esplora):
                proof = await c.get_merkle(txid, height)
                with pytest.raises(MerkleProofError):
                    verify_branch(raw, proof.branch, proof.pos, header)
            pg.behave()

            # the servers recover and answer honestly again
            for c in (electrum, esplora):
                proof = await c.get_merkle(txid, height)
                assert verify_branch(raw, proof.branch, proof.pos, header) == txid
        finally:
            pg.behave()
            await electrum.close()
            await esplora.close()

    run(main())
