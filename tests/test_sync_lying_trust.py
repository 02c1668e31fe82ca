"""Lying servers that used to get their way (issue 13), against the wallet sync over real sockets.

One table of cases, each run with the Electrum and then the Esplora server lying while the other
is honest. Each case sets up a history, turns the playground's misbehave switch on and syncs
twice; then the liar must have been dropped with its reason, and the wallet must hold exactly
the playground's honest history, states, proofs and balance (nothing of the liar's kept).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.test_sync_history_support import (
    PASSWORD,
    assert_matches_playground,
    new_wallet,
    open_session,
    pay,
    run,
    sign,
)
from wallet.account.database import TxState
from wallet.account.fees import FeeRate
from wallet.account.tx_builder import Recipient
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.networks import REGTEST
from wallet.bitcoin.script import p2sh_script, p2wsh_script, push_data
from wallet.bitcoin.transaction import OutPoint, Transaction, TxIn, TxOut
from wallet.commands.history import history_rows, row_text
from wallet.payments.send import Sender
from wallet.sync.events import ServerEvent

BOTH = ("electrum", "esplora")
OP_TRUE = b"\x51"


def _receive(wallet: Wallet, i: int) -> str:
    return parse_descriptor(wallet.config.receive_descriptor, "regtest").address(i)


def history(pg: Any, wallet: Wallet) -> None:
    """Twelve payments mined in one block (13 transactions: the last one pays us too), two in
    the mempool."""
    for i in range(12):
        pg.fund(_receive(wallet, i), 10_000 + i)
    pg.mine(1)
    for i in range(2):
        pg.fund(_receive(wallet, 12 + i), 3_000 + i)


def tiny_coinbase_blocks(pg: Any, wallet: Wallet) -> None:
    """Two blocks whose coinbase is a real 64-byte transaction, each holding a payment to us.

    Such a block may hold no witness transaction (it has no witness commitment), so each
    payment spends a P2SH(OP_TRUE) coin: scriptSig only. Two blocks, so that each server is
    asked for one block's coinbase proof."""
    script = p2sh_script(hash160(OP_TRUE))
    for n in range(2):
        txid = bytes.fromhex(pg.fund(script_to_address(script, REGTEST), 60_000, confirm=True))
        with pg.lock:
            funding = pg.ledger.find_tx(txid[::-1]).entry.tx
        vout = next(i for i, o in enumerate(funding.outputs) if o.script_pubkey == script)
        pay_to = parse_descriptor(wallet.config.receive_descriptor, "regtest").script_pubkey(20 + n)
        spend = Transaction(
            2,
            [TxIn(OutPoint(txid[::-1], vout), push_data(OP_TRUE), 0xFFFFFFFD)],
            [TxOut(59_000, pay_to)],
        )
        pg.mine(1, txs=[spend], include_mempool=False, tiny_coinbase=True)
        with pg.lock:
            assert len(pg.chain.tip.txs[0].raw) == 64
    history(pg, wallet)


def phantom_blocks(pg: Any, wallet: Wallet) -> None:
    """Four blocks of three transactions: coinbase, a payment to someone else, then one to us
    (last in an odd-sized block: the one a phantom position can be claimed for)."""
    other = script_to_address(p2wsh_script(bytes(32)), REGTEST)
    for n in range(4):
        pg.fund(other, 5_000, fee_rate=5.0)
        ours = bytes.fromhex(pg.fund(_receive(wallet, 20 + n), 20_000 + n, fee_rate=2.0))[::-1]
        pg.mine(1)
        with pg.lock:
            txs = pg.chain.tip.txs
        assert len(txs) == 3 and txs[-1].txid == ours
    history(pg, wallet)


@dataclass(frozen=True)
class Case:
    """One lie: how to set up the history, the switch's options, the reason the liar is
    dropped with (a regular expression), and what else to check afterwards."""

    setup: Callable[[Any, Wallet], None] = history
    options: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    check: Callable[..., None] | None = None
    #: the clients' request timeout (the tests' usual 10 s; 30 s is the clients' default)
    timeout: float = 10.0


def _quick(_pg: Any, _wallet: Wallet, _s: Any, reports: list[Any], elapsed: float) -> None:
    """The first sync, with a server that never answers histories, takes one grace period,
    not the 30 s request timeout (it took 60.6 s before: two rounds of discovery waited it
    out); the second has nothing to wait for."""
    assert elapsed < 10, f"the sync took {elapsed:.1f} s"


CASES: dict[str, Case] = {
    # CVE-2017-12842 deep form: the coinbase's proof runs through the 64-byte coinbase
    "deep-coinbase": Case(
        tiny_coinbase_blocks,
        reason=r"^bad Merkle proof for the coinbase of block \d+: .*read as a 64-byte "
        r"transaction",
    ),
    # a branch one hash too long for the block's tree (its depth proven by the coinbase)
    "deep-branch": Case(reason=r"^bad Merkle proof for \w{64} at height \d+: .*wrong depth"),
    # a position in the duplicated tail of the tree, beyond the block's transactions
    "phantom": Case(phantom_blocks, reason=r"^bad Merkle proof for .*phantom leaf"),
    # a mempool "spend" of each wallet coin, with no signature at all
    "fake-spend": Case(
        reason=r"^it lists transaction \w{64}, which spends wallet coin \w{64}:\d+ without a "
        r"valid signature for it \(checked with libbitcoinkernel"
    ),
    # 60 made-up mempool transactions in each of the twelve used addresses' histories (Esplora
    # lists 50 mempool transactions a script hash at most)
    "flood": Case(
        options={"count": 60},
        reason=r"^flooding: it listed (722|602) transactions this sync that are new to the wallet "
        r"and in no block we can check \(the limit is 500\); none of them is stored$",
    ),
    # handshake, headers and tips answered; histories, mempool and unspent lists never (a
    # batch of histories given up counts each history it asked for)
    "stall-history": Case(
        reason=r"^stalled: no answer within the \d+\.\d s grace period after \w+ answered, "
        r"(3|[1-9]\d+) times in a row$",
        check=_quick,
        timeout=30.0,
    ),
}


def _sync_twice(
    pg: Any, wallet: Wallet, tmp_path: Any, timeout: float
) -> tuple[Any, list[Any], float]:
    async def scenario():
        s = open_session(pg, wallet, tmp_path / "headers", timeout=timeout)
        try:
            started = time.perf_counter()
            first = await s.sync.sync()
            elapsed = time.perf_counter() - started
            second = await s.sync.sync()
            return s, [first, second], elapsed
        finally:
            await s.close()

    return run(scenario(), timeout=120)


@pytest.mark.parametrize("liar", BOTH)
@pytest.mark.parametrize("mode", list(CASES))
def test_a_lying_server_is_dropped_and_believed_in_nothing(
    playground,  # noqa: F811
    tmp_path,
    mode: str,
    liar: str,
) -> None:
    case = CASES[mode]
    wallet = new_wallet(tmp_path / "w")
    try:
        case.setup(playground, wallet)
        playground.misbehave(mode, protocols=liar, **case.options)
        s, reports, elapsed = _sync_twice(playground, wallet, tmp_path, case.timeout)
        reason = reports[0].dropped.get(liar)
        assert reason is not None, f"{liar} was not dropped: {reports[0]}"
        assert set(reports[0].dropped) == {liar}
        assert re.search(case.reason, reason), reason
        assert ServerEvent(liar, "dropped", reason) in s.events
        playground.behave()  # the reference view is the honest one
        view = assert_matches_playground(playground, wallet)
        mined = sum(1 for h in view.txs.values() if h > 0)
        for report in reports:
            assert (report.confirmed, report.unverified) == (mined, 0)
            assert report.unconfirmed == len(view.txs) - mined
        if case.check is not None:
            case.check(playground, wallet, s, reports, elapsed)
    finally:
        wallet.close()


def test_the_cases_cover_the_issue() -> None:
    """The lies issue 13 names for the sync, each in the table above."""
    assert {
        "deep-coinbase",
        "deep-branch",
        "phantom",
        "fake-spend",
        "flood",
        "stall-history",
    } <= set(CASES)


@pytest.mark.parametrize("liar", BOTH)
def test_a_spend_only_one_server_lists_is_shown_so_and_never_locks_the_coin(
    playground,  # noqa: F811
    tmp_path,
    liar: str,
) -> None:
    """A real, signed spend of a wallet coin that only one server claims to have in its
    mempool (here: one the wallet signed and never sent). Its signature is good, so the claim
    is kept -- as one server's word: the history says so, automatic coin selection leaves the
    coin alone, and the coin can still be spent by naming it (``--from``); the network takes
    that transaction, and the claim is replaced."""
    pg = playground
    wallet = new_wallet(tmp_path / "w")
    history(pg, wallet)
    elsewhere = script_to_address(p2wsh_script(bytes(32)), REGTEST)

    async def scenario() -> None:
        s = open_session(pg, wallet, tmp_path / "headers")
        try:
            await s.sync.sync()
            built, _change = pay(wallet, elsewhere, 5_000)
            claim = sign(wallet, built)
            coin = claim.inputs[0].prevout
            pg.misbehave("extra-tx", protocols=liar, raws=[claim.serialize().hex()])
            report = await s.sync.sync()
            assert report.dropped == {}  # a valid spend is no lie; one server's word, though
            record = wallet.db.transaction_record(claim.txid())
            assert record is not None and record.state is TxState.UNCONFIRMED
            sender = Sender(wallet, s.sync)
            assert coin not in {c.outpoint for c in sender.coins()}  # never chosen by itself
            assert coin in {c.outpoint for c in sender.coins(spend_from=[coin])}
            assert record.listed_by == (liar,) and record.asked == 2 and record.one_server_only
            rows = {r["txid"]: r for r in history_rows(wallet.db, s.store.height)}
            text = row_text(rows[claim.txid_hex])
            assert f"unconfirmed (mempool) — only {liar} lists it, of 2 servers asked" in text
            rate = FeeRate.from_sat_per_vb("3")
            mine = sender.build_payment([Recipient(elsewhere, 4_000)], rate, spend_from=[coin])
            tx = sender.sign(mine, wallet.unlock(PASSWORD))
            assert coin in {i.prevout for i in tx.inputs}
            await sender.broadcast(tx)
            assert wallet.db.transaction_record(claim.txid()).state is TxState.REPLACED
            pg.behave()
            pg.mine(1)
            await s.sync.sync()
            assert wallet.db.transaction_record(tx.txid()).state is TxState.CONFIRMED
        finally:
            await s.close()

    try:
        run(scenario(), timeout=120)
        assert_matches_playground(pg, wallet)
    finally:
        wallet.close()
