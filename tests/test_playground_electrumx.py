"""An Electrum server written by others indexes the playground through Core's JSON-RPC alone.

ElectrumX (PyPI ``e-x``, spesmilo/electrumx) is started in a subprocess with
``DAEMON_URL=http://__cookie__:<cookie>@127.0.0.1:<core port>/``, as its operators point it at
``bitcoind``: it checks the node's version and indexes (``getnetworkinfo``, ``getindexinfo``),
fetches every block (``getblockhash``, ``getblock`` hex, batched), follows the mempool
(``getrawmempool``, ``getrawtransaction``) and fees (``estimatesmartfee``, ``getmempoolinfo``).
A wallet with confirmed and unconfirmed history is then restored twice, over real sockets:
through ElectrumX and through the playground's own Electrum server. Both restores must store
the same rows (transactions, outputs, spends, Merkle proofs, block depths), the same balances,
and receipts that verify offline against each restore's own headers.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("electrumx", reason="ElectrumX (pip package e-x) is not installed")
pytest.importorskip("plyvel", reason="ElectrumX's LevelDB binding (plyvel) is not installed")

from tests.light_support import contents
from tests.playground_fixture import ElectrumClient as RawElectrum
from tests.playground_fixture import TestKey, funded_coin, in_mempool, start_playground
from tests.sync_support import Session, new_wallet
from tests.wallet_builder import HistoryBuilder
from wallet.account.database import TxState
from wallet.backends.electrum import ElectrumClient
from wallet.backends.pool import ServerPool
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.transaction import TxOut
from wallet.payments.receipt import receipt_for_payment, stored_coinbase, verify_receipt
from wallet.playground.chain import scripthash
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync

MNEMONIC = "abandon " * 11 + "about"
GAP_LIMIT = 5
INDEX_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_electrumx(pg: Any, root: Path, **extra: str) -> tuple[subprocess.Popen, int, Path]:
    """ElectrumX on a free loopback port, indexing the playground through its RPC cookie."""
    cookie = pg.core.cookie_path.read_text().strip()  # "__cookie__:<hex>", as Core writes it
    port = free_port()
    (root / "db").mkdir(parents=True)
    env = {
        **os.environ,
        "COIN": "Bitcoin",
        "NET": "regtest",
        "DB_ENGINE": "leveldb",
        "DB_DIRECTORY": str(root / "db"),
        "DAEMON_URL": f"http://{cookie}@127.0.0.1:{pg.core.port}/",
        "SERVICES": f"tcp://127.0.0.1:{port}",
        "PEER_DISCOVERY": "off",
        "PEER_ANNOUNCE": "",
        "ALLOW_ROOT": "1",  # CI containers run as root
        "CACHE_MB": "50",
        # poll the node often (defaults: every 5 s) and let one test client ask without the
        # anti-abuse throttling a public server applies (0 = no limit)
        "DAEMON_POLL_INTERVAL_BLOCKS": "200",
        "DAEMON_POLL_INTERVAL_MEMPOOL": "200",
        "COST_SOFT_LIMIT": "0",
        "COST_HARD_LIMIT": "0",
        **extra,
    }
    log = root / "electrumx.log"
    code = "from electrumx.cli.electrumx_server import main; main()"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return proc, port, log


def log_tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


async def histories(port: int, scripts: list[bytes]) -> tuple[int, dict[str, int | None]]:
    """ElectrumX's tip height and every script's history (txid -> height, None unconfirmed)."""
    client = await RawElectrum.connect(port)
    try:
        await client.call("server.version", "paylight-test", "1.4")
        tip = await client.call("blockchain.headers.subscribe")
        asked = [
            client.call("blockchain.scripthash.get_history", scripthash(s)[::-1].hex())
            for s in scripts
        ]
        txs = {
            item["tx_hash"]: item["height"] if item["height"] > 0 else None
            for history in await asyncio.gather(*asked)
            for item in history
        }
        return tip["height"], txs
    finally:
        await client.close()


def wait_indexed(proc: subprocess.Popen, port: int, log: Path, pg: Any, builder: Any) -> None:
    """Until ElectrumX serves the playground's tip and the wallet's whole history, mempool too."""
    want = builder.view().txs
    scripts = builder.scripts()
    deadline = time.monotonic() + INDEX_TIMEOUT
    last: Any = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"ElectrumX exited ({proc.returncode}):\n{log_tail(log)}"
        try:
            last = asyncio.run(asyncio.wait_for(histories(port, scripts), 10))
        except OSError:  # it listens only once it has caught up with the node
            last = None
        if last == (pg.height, want):
            return
        time.sleep(0.2)
    pytest.fail(f"ElectrumX did not index the playground: {last!r}\n{log_tail(log)}")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("electrumx")
    pg = start_playground(root / "playground")
    proc = None
    try:
        builder = HistoryBuilder(pg, MNEMONIC, per_address=2, gap_limit=GAP_LIMIT)
        builder.build(24, seed=17, leave_unmined=3)
        proc, port, log = start_electrumx(pg, root / "ex")
        wait_indexed(proc, port, log, pg, builder)
        yield pg, builder, port, root
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        pg.stop()


def restore(root: Path, name: str, port: int) -> tuple[Any, Any, HeaderStore]:
    """A fresh wallet restored through the Electrum server on ``port`` (plain TCP)."""
    wallet = new_wallet(root / name, MNEMONIC, gap_limit=GAP_LIMIT)

    async def go():
        client = ElectrumClient("127.0.0.1", port, network=REGTEST, name=name, timeout=20)
        pool = ServerPool([client])
        store = HeaderStore(root / f"{name}-headers", REGTEST)
        session = Session(wallet, pool, store, WalletSync(wallet, pool, store), [])
        try:
            return await session.sync.sync()
        finally:
            await session.close()

    report = asyncio.run(asyncio.wait_for(go(), 60))
    return wallet, report, HeaderStore(root / f"{name}-headers", REGTEST)


def test_a_restore_through_electrumx_on_the_playground_equals_the_playgrounds_own(indexed):
    pg, builder, port, root = indexed
    expected = builder.view()
    unconfirmed = [t for t, h in expected.txs.items() if h is None]
    assert len(expected.txs) >= 20 and unconfirmed

    ours, our_report, our_store = restore(root, "own", pg.electrum_port)
    theirs, their_report, their_store = restore(root, "electrumx", port)
    try:
        for report in (our_report, their_report):
            assert report.transactions == len(expected.txs)
            assert report.confirmed == len(expected.txs) - len(unconfirmed)
            assert report.header_height == pg.height
        # the same rows in every table: transactions, outputs, spends, proofs, block depths
        want = contents(ours.db.path)
        assert want["transactions"] and want["block_anchors"] and want["txos"]
        assert contents(theirs.db.path) == want
        balance = ours.db.balance(pg.height)
        assert balance.confirmed == expected.confirmed
        assert balance.unconfirmed == expected.unconfirmed
        assert theirs.db.balance(pg.height) == balance
        # each restore's Merkle proofs verify offline against its own headers
        for wallet, store in ((ours, our_store), (theirs, their_store)):
            confirmed = wallet.db.transactions(TxState.CONFIRMED)
            assert len(confirmed) == len(expected.txs) - len(unconfirmed)
            for record in confirmed[:6]:
                vout = next(o.outpoint.vout for o in wallet.db.outputs()
                            if o.outpoint.txid == record.txid)  # fmt: skip
                receipt = receipt_for_payment(
                    record, store, vout, coinbase=stored_coinbase(wallet.db, record)
                )
                assert verify_receipt(receipt.to_text(), store).ok
    finally:
        for wallet in (ours, theirs):
            wallet.close()
        for store in (our_store, their_store):
            store.close()


def test_a_payment_through_electrumx_reaches_the_node_and_its_spend_is_indexed(indexed):
    """ElectrumX relays a broadcast with ``sendrawtransaction``; its 1.7 ``outpoint.subscribe``
    finds the spender in the mempool, then (after a block) in ``-txospenderindex`` through
    ``gettxspendingprevout``, and notifies the subscriber of the new height."""
    pg, _builder, port, _root = indexed
    key = TestKey(b"electrumx payment")
    coin, value = funded_coin(pg, key, 80_000)  # mined
    spend = key.spend([(coin, value)], [TxOut(value - 700, key.script)])

    async def outpoint_note(client) -> dict:
        while True:
            note = await client.notification(INDEX_TIMEOUT)
            if note["method"] == "blockchain.outpoint.subscribe":
                return note["params"][2]

    async def caught_up(client) -> None:
        tip = await client.call("blockchain.headers.subscribe")
        while tip["height"] < pg.height:
            note = await client.notification(INDEX_TIMEOUT)
            if note["method"] == "blockchain.headers.subscribe":
                tip = note["params"][0]

    async def go():
        client = await RawElectrum.connect(port)
        try:
            await client.call("server.version", "paylight-test", ["1.4", "1.7"])
            await caught_up(client)
            args = (coin.txid_hex, coin.vout, key.script.hex())
            funded = await client.call("blockchain.outpoint.subscribe", *args)
            assert funded == {"funder_height": pg.height}
            txid = await client.call("blockchain.transaction.broadcast", spend.serialize().hex())
            assert txid == spend.txid_hex and in_mempool(pg, spend.txid())
            spent = await outpoint_note(client)
            assert spent == {**funded, "spender_txhash": txid, "spender_height": 0}
            pg.mine(1)
            assert await outpoint_note(client) == {**spent, "spender_height": pg.height}
            # a new subscription asks the node again: the spend now comes from its index
            await client.call("blockchain.outpoint.unsubscribe", coin.txid_hex, coin.vout)
            again = await client.call("blockchain.outpoint.subscribe", *args)
            assert again == {**spent, "spender_height": pg.height}
        finally:
            await client.close()

    asyncio.run(asyncio.wait_for(go(), INDEX_TIMEOUT))
