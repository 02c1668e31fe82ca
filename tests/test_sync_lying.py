"""Lying servers (the playground's misbehave switches) against the wallet sync, over real sockets.

Each test has two servers: one protocol lies, the other is honest. In every case nothing may be
shown confirmed that should not be (each confirmed transaction's stored proof is checked against
the playground's real blocks), the liar is dropped with a reason (a stalled one is skipped), and
the wallet ends with exactly the playground's history and balance through the honest server.
"""

from __future__ import annotations

import time

import pytest

from tests.playground_fixture import playground  # noqa: F401
from tests.test_sync_history_support import (
    assert_matches_playground,
    new_wallet,
    open_session,
    run,
)
from wallet.account.database import TxState
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.sync.events import ServerEvent
from wallet.sync.history import HistoryError

MINED = 12
POOLED = 2
BOTH = ("electrum", "esplora")


def _history(pg, wallet) -> None:
    receive = parse_descriptor(wallet.config.receive_descriptor, "regtest")
    for i in range(MINED):
        pg.fund(receive.address(i), 10_000 + i)
    pg.mine(1)
    for i in range(POOLED):
        pg.fund(receive.address(MINED + i), 3_000 + i)


def _sync_with(pg, tmp_path, mode: str | None, liar: str, *, twice: bool = True, **options):
    """Make a history, turn the lie on, sync (twice: the wallet keeps working); the result."""
    wallet = new_wallet(tmp_path / "w")
    _history(pg, wallet)
    timeout = options.pop("client_timeout", 10.0)
    if mode is not None:
        pg.misbehave(mode, protocols=liar, **options)

    async def scenario():
        s = open_session(pg, wallet, tmp_path / "headers", timeout=timeout)
        try:
            started = time.perf_counter()
            report = await s.sync.sync()
            elapsed = time.perf_counter() - started
            second = await s.sync.sync() if twice else None
            return s, report, second, elapsed
        finally:
            await s.close()

    s, report, second, elapsed = run(scenario())
    return wallet, s, report, second, elapsed


def _check_honest_outcome(pg, wallet, report, second) -> None:
    pg.behave()  # the reference view is the honest chain
    assert_matches_playground(pg, wallet)
    assert report.confirmed == MINED and report.unconfirmed == POOLED
    if second is not None:
        assert (second.confirmed, second.unconfirmed) == (MINED, POOLED)


@pytest.mark.parametrize("liar", BOTH)
def test_wrong_merkle_branch(playground, tmp_path, liar):  # noqa: F811
    wallet, s, report, second, _ = _sync_with(playground, tmp_path, "wrong-merkle", liar)
    try:
        assert set(report.dropped) == {liar}
        assert "bad Merkle proof" in report.dropped[liar]
        assert ServerEvent(liar, "dropped", report.dropped[liar]) in s.events
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


def test_wrong_merkle_everywhere_confirms_nothing(playground, tmp_path):  # noqa: F811
    wallet = new_wallet(tmp_path / "w")
    _history(playground, wallet)
    playground.misbehave("wrong-merkle")

    async def scenario():
        s = open_session(playground, wallet, tmp_path / "headers")
        try:
            with pytest.raises(HistoryError, match="all were dropped"):
                await s.sync.sync()
            return s
        finally:
            await s.close()

    try:
        s = run(scenario())
        assert set(s.pool.dropped()) == set(BOTH)
        assert all("bad Merkle proof" in r for r in s.pool.dropped().values())
        assert s.sync.status.phase == "offline"
        # what was learnt is kept, as claims: mined but unproven, or in the mempool
        states = [r.state for r in wallet.db.transactions()]
        assert states.count(TxState.UNVERIFIED) == MINED
        assert states.count(TxState.UNCONFIRMED) == POOLED
        assert all(r.proof is None for r in wallet.db.transactions())
        assert wallet.db.balance().confirmed == 0
    finally:
        wallet.close()


@pytest.mark.parametrize("liar", BOTH)
def test_omitted_transaction_is_found_and_the_liar_dropped(playground, tmp_path, liar):  # noqa: F811
    wallet, s, report, second, _ = _sync_with(playground, tmp_path, "omit-tx", liar)
    try:
        assert report.disagreements, "the hidden transactions were not reported"
        assert all(d.missing_from == (liar,) for d in report.disagreements)
        assert set(report.dropped) == {liar}
        assert "hid transaction" in report.dropped[liar]
        assert any(isinstance(e, ServerEvent) and e.state == "disagreement" for e in s.events)
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


@pytest.mark.parametrize("liar", BOTH)
def test_raw_transaction_that_does_not_hash_to_its_txid(playground, tmp_path, liar):  # noqa: F811
    wallet, _s, report, second, _ = _sync_with(playground, tmp_path, "wrong-raw", liar)
    try:
        assert set(report.dropped) == {liar}
        assert "hashes to" in report.dropped[liar] or "hashing to" in report.dropped[liar]
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


@pytest.mark.parametrize("liar", BOTH)
def test_malformed_json(playground, tmp_path, liar):  # noqa: F811
    wallet, _s, report, second, _ = _sync_with(playground, tmp_path, "malformed-json", liar)
    try:
        assert set(report.dropped) == {liar}
        assert "malformed" in report.dropped[liar]
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


@pytest.mark.parametrize("liar", BOTH)
def test_oversized_replies(playground, tmp_path, liar):  # noqa: F811
    wallet, _s, report, second, _ = _sync_with(playground, tmp_path, "oversized", liar)
    try:
        assert set(report.dropped) == {liar}
        assert "limit" in report.dropped[liar]
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


def test_low_work_headers(playground, tmp_path):  # noqa: F811
    wallet, _s, report, second, _ = _sync_with(playground, tmp_path, "low-work", "esplora")
    try:
        assert set(report.dropped) == {"esplora"}
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


def test_stalled_server_is_skipped(playground, tmp_path):  # noqa: F811
    wallet, s, report, second, elapsed = _sync_with(
        playground, tmp_path, "slow", "electrum", delay=3.0, client_timeout=1.0, twice=False
    )
    try:
        status = {st.name: st for st in s.pool.status()}["electrum"]
        assert status.dropped is None and "no answer" in status.last_error
        assert elapsed < 15
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


def test_connection_dropped_by_server(playground, tmp_path):  # noqa: F811
    wallet, _s, report, second, _ = _sync_with(playground, tmp_path, "drop", "esplora")
    try:
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()
