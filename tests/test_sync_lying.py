"""Lying servers (the playground's misbehave switches) against the wallet sync, over real sockets.

Each test has two servers: one protocol lies, the other is honest. In every case nothing may be
shown confirmed that should not be (each confirmed transaction's stored proof is checked against
the playground's real blocks), the liar is dropped with a reason, and the wallet ends with exactly
the playground's history and balance through the honest server. A server that stalls or closes
the connection once is only skipped; one that keeps doing so is dropped at its third time in a
row while the other answered (the pool's stall limit), whichever protocol it speaks.
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.sync_support import (
    Session,
    assert_matches_playground,
    new_wallet,
    open_session,
    run,
)
from wallet.account.database import TxState
from wallet.account.wallet_file import Wallet
from wallet.backends.base import Backoff, ServerState
from wallet.backends.electrum import ElectrumClient
from wallet.backends.esplora import EsploraClient
from wallet.backends.pool import ServerPool
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.networks import REGTEST
from wallet.spv.store import HeaderStore
from wallet.sync.engine import SyncReport, WalletSync
from wallet.sync.events import ServerEvent
from wallet.sync.history import HistoryError

MINED = 12
POOLED = 2
BOTH = ("electrum", "esplora")
#: A short, fixed client backoff: after a failure, each client tries its server again this soon
#: (0.5 s doubling by default), so the next sync asks a stalling server again, as a later sync
#: of a running wallet would.
RETRY = Backoff(base=0.2, maximum=0.2, factor=1.0, jitter=0.0)


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


#: A lie of one server, and what the reason it is dropped for says (a regular expression).
LIES = {
    "wrong-merkle": r"bad Merkle proof",
    "wrong-raw": r"hash(es|ing) to",
    "malformed-json": r"malformed",
    "oversized": r"limit",
    "low-work": r"proof-of-work.*work it does not have",
}


@pytest.mark.parametrize("liar", BOTH)
@pytest.mark.parametrize("mode", list(LIES))
def test_a_lying_server_is_dropped_with_the_reason_and_the_history_stays_honest(
    playground, tmp_path, mode, liar
):
    wallet, s, report, second, _ = _sync_with(playground, tmp_path, mode, liar)
    try:
        assert set(report.dropped) == {liar}
        reason = report.dropped[liar]
        assert re.search(LIES[mode], reason), reason
        assert ServerEvent(liar, "dropped", reason) in s.events
        _check_honest_outcome(playground, wallet, report, second)
    finally:
        wallet.close()


def test_wrong_merkle_everywhere_confirms_nothing(playground, tmp_path):
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
def test_omitted_transaction_is_found_and_the_liar_dropped(playground, tmp_path, liar):
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


def test_stalled_server_is_skipped(playground, tmp_path):
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


def _retrying_session(pg: Any, wallet: Wallet, headers: Path, timeout: float) -> Session:
    """Both playground servers with the quick fixed ``RETRY`` backoff; call inside the loop."""
    pool = ServerPool(
        [
            ElectrumClient(
                "127.0.0.1",
                pg.electrum_port,
                network=REGTEST,
                name="electrum",
                timeout=timeout,
                connect_timeout=timeout,
                backoff=RETRY,
            ),
            EsploraClient(
                pg.esplora_url,
                network=REGTEST,
                name="esplora",
                timeout=timeout,
                connect_timeout=timeout,
                retries=1,
                backoff=RETRY,
                poll_interval=0.5,
            ),
        ]
    )
    store = HeaderStore(headers, "regtest")
    events: list[Any] = []
    sync = WalletSync(wallet, pool, store, on_event=events.append)
    return Session(wallet, pool, store, sync, events)


def _sync_until_dropped(
    pg: Any, tmp_path: Path, mode: str, liar: str, *, timeout: float = 1.0, **options: Any
) -> tuple[Wallet, Session, list[SyncReport], list[int]]:
    """Sync repeatedly (past the client's backoff each time) while ``liar`` misbehaves, until
    it is dropped, then once more: every report, and the liar's stall count after each sync."""
    wallet = new_wallet(tmp_path / "w")
    _history(pg, wallet)
    pg.misbehave(mode, protocols=liar, **options)

    async def scenario() -> tuple[Session, list[SyncReport], list[int]]:
        s = _retrying_session(pg, wallet, tmp_path / "headers", timeout)
        reports: list[SyncReport] = []
        stalls: list[int] = []
        try:
            for _ in range(5):
                if reports:
                    await asyncio.sleep(RETRY.base + 0.1)  # the client may try again
                reports.append(await s.sync.sync())
                stalls.append(s.pool.stalls(liar))
                if s.pool.is_dropped(liar):
                    break
            else:
                pytest.fail(f"{liar} was never dropped: {s.pool.status()}")
            # once dropped, it is never asked again, and the wallet works without it
            before = {st.name: st for st in s.pool.status()}[liar]
            reports.append(await s.sync.sync())
            after = {st.name: st for st in s.pool.status()}[liar]
            assert (after.requests, after.failures) == (before.requests, before.failures)
            return s, reports, stalls
        finally:
            await s.close()

    s, reports, stalls = run(scenario(), timeout=120)
    return wallet, s, reports, stalls


def _check_dropped_for_stalling(
    pg: Any, wallet: Wallet, s: Session, reports: list[SyncReport], stalls: list[int], liar: str
) -> str:
    """The liar was dropped at its third stall in a row, with the pool's reason, and every
    sync (before and after) showed exactly the honest chain's confirmed and unconfirmed ones."""
    other = next(name for name in BOTH if name != liar)
    reason = reports[-1].dropped[liar]
    assert set(reports[-1].dropped) == {liar}
    assert re.search(rf", 3 times in a row, while {other} answered$", reason), reason
    assert ServerEvent(liar, "dropped", reason) in s.events
    assert stalls[-1] >= 3 and stalls == sorted(stalls), stalls  # no answer in between
    for report in reports[:-2]:  # skipped, not dropped, until the third stall
        assert report.dropped == {}
    status = {st.name: st for st in s.pool.status()}[liar]
    assert status.dropped == reason and status.state is ServerState.CLOSED
    for report in reports:  # nothing the honest chain has unconfirmed was shown confirmed
        assert (report.confirmed, report.unconfirmed, report.unverified) == (MINED, POOLED, 0)
    _check_honest_outcome(pg, wallet, reports[0], reports[-1])
    return reason


@pytest.mark.parametrize("liar", BOTH)
def test_server_that_keeps_stalling_is_dropped(playground, tmp_path, liar):
    wallet, s, reports, stalls = _sync_until_dropped(
        playground, tmp_path, "slow", liar, delay=4.0, timeout=1.0
    )
    try:
        reason = _check_dropped_for_stalling(playground, wallet, s, reports, stalls, liar)
        assert reason.startswith("stalled: ") and "within 1 s" in reason, reason
        assert len(reports) <= 4  # dropped by the third sync at the latest
    finally:
        wallet.close()


@pytest.mark.parametrize("liar", BOTH)
def test_connection_dropped_by_server(playground, tmp_path, liar):
    """A server that hangs up instead of answering is skipped, then dropped like a staller."""
    wallet, s, reports, stalls = _sync_until_dropped(playground, tmp_path, "drop", liar)
    try:
        reason = _check_dropped_for_stalling(playground, wallet, s, reports, stalls, liar)
        assert len(reports) <= 4
        assert reason.startswith("lost the connection: "), reason
        assert "closed the connection" in reason or "disconnected" in reason, reason
    finally:
        wallet.close()
