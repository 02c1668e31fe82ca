"""How a restore asks: histories in batches from every server cross-checking, each transaction,
each proof and each block's coinbase proof once, batched from the server that batches, and
nothing asked twice. Counted by the playground's servers (what they were asked), over real
sockets. Speed is in bench/sync.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.test_backend_electrum import FAST, ScriptedElectrum
from tests.test_sync_history_support import (
    assert_matches_playground,
    new_wallet,
    open_session,
    run,
)
from tests.wallet_builder import HistoryBuilder
from wallet.backends.base import MalformedReply
from wallet.backends.electrum import BATCH_SIZE, ElectrumClient
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.networks import REGTEST

SEED = "legal winner thank year wave sausage worth useful legal winner thank yellow"


def _asked(pg: Any) -> tuple[dict[str, int], dict[str, int], int]:
    traffic = pg.traffic()
    return (
        traffic["electrum"]["by_kind"],
        traffic["esplora"]["by_kind"],
        traffic["electrum"]["messages"],
    )


def test_a_restore_asks_every_history_of_both_servers_and_each_transaction_and_proof_once(
    playground,  # noqa: F811
    tmp_path,
):
    builder = HistoryBuilder(playground, SEED)
    builder.build(120, seed=3)
    view = builder.view()
    wallet = new_wallet(tmp_path / "w")
    before_electrum, before_esplora, before_messages = _asked(playground)

    async def restore():
        s = open_session(playground, wallet, tmp_path / "headers")
        try:
            return await s.sync.sync(), s.sync.history.stats
        finally:
            await s.close()

    try:
        report, stats = run(restore())
        assert_matches_playground(playground, wallet)
        after_electrum, after_esplora, after_messages = _asked(playground)
        electrum = {k: v - before_electrum.get(k, 0) for k, v in after_electrum.items()}
        esplora = {k: v - before_esplora.get(k, 0) for k, v in after_esplora.items()}
        addresses = len(wallet.db.addresses())
        mined = sum(1 for h in view.txs.values() if h is not None)
        blocks = len({h for h in view.txs.values() if h is not None})
        # every address's history from both servers (the cross-check), once each
        assert electrum["blockchain.scripthash.get_history"] == addresses
        assert esplora["sh_txs"] == addresses
        # each block's coinbase proof (its tree depth) once: the branch and the coinbase
        coinbase_branches = electrum["blockchain.transaction.id_from_pos"]
        coinbase_branches += esplora.get("block_txid", 0)
        assert coinbase_branches == blocks
        # each transaction, coinbase and proof once in all, nearly all from the Electrum server;
        # Esplora answers one of each per step (a spot check that catches a liar there); its
        # coinbase branches come as the coinbase's merkle-proof
        fetched = electrum["blockchain.transaction.get"] + esplora.get("tx_raw", 0)
        proven = electrum["blockchain.transaction.get_merkle"] + esplora.get("tx_merkle_proof", 0)
        assert fetched == len(wallet.db.transactions()) + blocks
        assert proven - esplora.get("block_txid", 0) == mined == report.proofs_verified
        steps = esplora.get("tx_raw", 0)
        assert 1 <= steps <= esplora["sh_txs"] / 10
        # in batches: far fewer messages than requests
        requests = sum(v for k, v in electrum.items() if k.startswith("blockchain.scripthash"))
        requests += electrum["blockchain.transaction.get"]
        requests += electrum["blockchain.transaction.get_merkle"]
        requests += electrum["blockchain.transaction.id_from_pos"]
        assert after_messages - before_messages < requests / 5
        assert set(stats.seconds) >= {"headers", "histories", "transactions and proofs", "store"}
    finally:
        wallet.close()


def test_electrum_batches_answer_as_the_single_calls_do(playground):  # noqa: F811
    builder = HistoryBuilder(playground, SEED)
    builder.build(30, seed=5)
    view = builder.view()
    txids = [bytes.fromhex(t)[::-1] for t in view.txs]
    mined = [(bytes.fromhex(t)[::-1], h) for t, h in view.txs.items() if h is not None]
    shs = [sha256(builder.key(0, i)[1]) for i in range(BATCH_SIZE + 5)]  # two batches
    blocks = [(h, playground.chain.blocks[h].hash) for h in sorted({h for _, h in mined})]

    async def ask():
        client = ElectrumClient("127.0.0.1", playground.electrum_port, network=REGTEST)
        try:
            await client.connect()  # version and features: not part of the count
            before = playground.traffic()["electrum"]["messages"]
            batched = (
                await client.get_histories(shs),
                await client.get_transactions(txids),
                await client.get_merkles(mined),
                await client.get_coinbase_branches(blocks),
            )
            messages = playground.traffic()["electrum"]["messages"] - before
            single = (
                [await client.get_history(sh) for sh in shs],
                [await client.get_transaction(t) for t in txids],
                [await client.get_merkle(t, h) for t, h in mined],
                [await client.get_coinbase_branch(h, b) for h, b in blocks],
            )
            return batched, single, messages
        finally:
            await client.close()

    batched, single, messages = run(ask())
    assert batched == single
    assert any(batched[0])  # some of these addresses have a history
    chunks = sum(-(-n // BATCH_SIZE) for n in (len(shs), len(txids), len(mined), len(blocks)))
    assert messages == chunks


class _Unbatched(ScriptedElectrum):
    """A server that answers a JSON-RPC batch with one error, as one without batches does."""

    def __init__(self, handlers: dict[str, Any]) -> None:
        super().__init__(handlers)
        self.batches = 0

    async def _answer(self, request: Any, writer: asyncio.StreamWriter) -> None:
        if isinstance(request, list):
            self.batches += 1
            error = {"code": -32600, "message": "batch requests are not supported"}
            line = json.dumps({"jsonrpc": "2.0", "id": None, "error": error}).encode()
            writer.write(line + b"\n")
            await writer.drain()
            return
        await super()._answer(request, writer)


def test_a_server_that_refuses_batches_is_asked_one_by_one_not_dropped():
    history = [{"tx_hash": "ab" * 32, "height": 7}]

    async def main():
        async with _Unbatched({"blockchain.scripthash.get_history": lambda p: history}) as server:
            client = server.client(backoff=FAST)
            faults: list[Any] = []
            client.on_fault = faults.append
            shs = [bytes([i]) * 32 for i in range(3)]
            first = await client.get_histories(shs)
            again = await client.get_histories(shs)
            await client.close()
            return server, faults, first, again

    server, faults, first, again = run(main())
    assert faults == []
    assert server.batches == 1  # asked as a batch once, one by one from then on
    assert [[(i.txid_hex, i.height) for i in h] for h in first] == [[("ab" * 32, 7)]] * 3
    assert again == first
    singles = [m for m, _ in server.requests if m == "blockchain.scripthash.get_history"]
    assert len(singles) == 6


class _BadItem(ScriptedElectrum):
    """Answers batches, but one history in each is not a list."""

    async def _answer(self, request: Any, writer: asyncio.StreamWriter) -> None:
        if not isinstance(request, list):
            await super()._answer(request, writer)
            return
        replies = [{"jsonrpc": "2.0", "id": r["id"], "result": []} for r in request]
        replies[-1]["result"] = {"not": "a list"}
        writer.write(json.dumps(replies).encode() + b"\n")
        await writer.drain()


def test_a_malformed_item_in_a_batch_reply_is_the_server_s_fault():
    async def main():
        async with _BadItem() as server:
            client = server.client()
            faults: list[Any] = []
            client.on_fault = faults.append
            with pytest.raises(MalformedReply, match="get_history"):
                await client.get_histories([bytes([i]) * 32 for i in range(3)])
            await client.close()
            return faults

    faults = run(main())
    assert len(faults) == 1 and isinstance(faults[0], MalformedReply)


class _Verbose(ScriptedElectrum):
    """Answers batches in one line, however long."""

    async def _answer(self, request: Any, writer: asyncio.StreamWriter) -> None:
        if not isinstance(request, list):
            await super()._answer(request, writer)
            return
        history = [{"tx_hash": "cd" * 32, "height": 9}] * 5  # ~400 bytes a reply
        replies = [{"jsonrpc": "2.0", "id": r["id"], "result": history} for r in request]
        writer.write(json.dumps(replies).encode() + b"\n")
        await writer.drain()


def test_a_batch_reply_over_the_line_limit_is_asked_again_in_halves_not_held_against_the_server():
    async def main():
        async with _Verbose() as server:
            client = server.client(max_line=1500)  # three replies fit, eight do not
            faults: list[Any] = []
            client.on_fault = faults.append
            histories = await client.get_histories([bytes([i]) * 32 for i in range(8)])
            await client.close()
            return faults, histories

    faults, histories = run(main())
    assert faults == []
    assert [len(h) for h in histories] == [5] * 8
