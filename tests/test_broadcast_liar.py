"""Broadcasting to a server that lies about the txid, on the playground over real sockets.

With the ``wrong-txid`` switch one of the playground's servers answers a broadcast with another
transaction's id and relays nothing. ``WalletSync.broadcast`` (through
``sync.engine.broadcast_everywhere``) must drop that server with a reason the user is shown, and
still get the payment out through the honest one: the transaction is in the playground's mempool,
which only the honest server can have put it in, and it confirms in the next block. When every
server lies, nothing counts as sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e_support import Party, kernel_has, run, words
from tests.playground_fixture import TestKey, in_mempool
from wallet.account.database import TxState
from wallet.account.tx_builder import Recipient
from wallet.bitcoin.amount import FeeRate
from wallet.sync.engine import BroadcastError
from wallet.sync.events import ServerEvent


@pytest.fixture(scope="module")
def pg(playground_module):
    return playground_module


async def _payer(pg, folder: Path, name: str) -> Party:
    party = Party(pg, folder, words(name))
    pg.fund(party.receive_address(), 100_000)
    pg.mine(1)
    return await party.start(follow=False)


def _payment(party: Party, name: str):
    payee = TestKey(name.encode())
    built = party.sender.build_payment([Recipient(payee.address, 25_000)], FeeRate(2_000))
    return party.sender.sign(built, party.secret())


def _names(party: Party) -> dict[str, str]:
    """protocol -> the pool's name for the playground's server of that protocol."""
    names = [s.name for s in party.pool.status()]
    port = f":{party.pg.electrum_port}"
    electrum = next(n for n in names if n.endswith(port))
    return {"electrum": electrum, "esplora": next(n for n in names if n != electrum)}


async def _one_liar(pg, folder: Path, liar: str) -> None:
    party = await _payer(pg, folder, f"liar {liar}")
    try:
        names = _names(party)
        honest = names["esplora" if liar == "electrum" else "electrum"]
        tx = _payment(party, f"payee of the {liar} liar")
        pg.misbehave("wrong-txid", protocols=liar)
        try:
            assert await party.sync.broadcast(tx) == tx.txid()
        finally:
            pg.behave("wrong-txid")
        result = party.sync.last_broadcast
        assert result.txid == tx.txid() and result.accepted == (honest,)
        (reason,) = result.refused.values()
        assert set(result.refused) == {names[liar]}
        assert f"txid is {tx.txid_hex}" in reason and "answered txid" in reason
        # dropped for the session with that reason, and the user told (a ServerEvent)
        assert party.pool.is_dropped(names[liar])
        assert party.pool.dropped() == {names[liar]: f"malformed reply: {reason}"}
        drops = [e for e in party.events if isinstance(e, ServerEvent) and e.state == "dropped"]
        assert [(e.server, e.reason) for e in drops] == [
            (names[liar], f"malformed reply: {reason}")
        ]
        assert party.pool.active() and [b.name for b in party.pool.active()] == [honest]
        # only the honest server relayed it: the liar relays nothing
        assert in_mempool(pg, tx.txid())
        assert party.wallet.db.transaction_record(tx.txid()).state is TxState.UNCONFIRMED
        pg.mine(1)
        assert kernel_has(pg, tx) == pg.height
    finally:
        await party.stop()


@pytest.mark.parametrize("liar", ["electrum", "esplora"])
def test_a_server_lying_about_the_txid_is_dropped_and_the_honest_one_relays(pg, tmp_path, liar):
    run(_one_liar(pg, tmp_path, liar))


async def _all_lie(pg, folder: Path) -> None:
    party = await _payer(pg, folder, "all liars")
    try:
        tx = _payment(party, "payee of two liars")
        pg.misbehave("wrong-txid")
        try:
            with pytest.raises(
                BroadcastError, match=f"no server accepted transaction {tx.txid_hex}"
            ):
                await party.sync.broadcast(tx)
        finally:
            pg.behave("wrong-txid")
        assert len(party.pool.dropped()) == 2 and not party.pool.active()
        assert not in_mempool(pg, tx.txid())
        assert party.wallet.db.transaction_record(tx.txid()) is None  # not recorded as sent
    finally:
        await party.stop()


def test_when_every_server_lies_nothing_counts_as_sent(pg, tmp_path):
    run(_all_lie(pg, tmp_path))
