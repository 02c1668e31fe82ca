"""A payment request past the gap limit is watched by a running ``follow()`` (playground).

The sync engine derives addresses only to the gap limit; a merchant who hands out more unpaid
requests than that gets an address the engine never subscribed to. The tracker hands such an
address to ``WalletSync.watch``: a payment to it must show as *seen* within a second while
``follow()`` runs, over real sockets to the playground's Electrum and Esplora servers. The
control: without the hand-over the same kind of payment stays unseen; handing the address over
afterwards (from another thread) finds the payment already made.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from tests.sync_support import make_pool, new_wallet, run
from wallet.account.database import RequestState, TxState
from wallet.payments.tracker import RequestChange, RequestTracker, fan_out
from wallet.spv.store import HeaderStore
from wallet.sync.engine import WalletSync

GAP = 3


async def _until(predicate, timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)
    return time.monotonic()


async def _scenario(pg, tmp_path) -> float:
    wallet = new_wallet(tmp_path / "merchant", gap_limit=GAP)
    pool = make_pool(pg)
    store = HeaderStore(tmp_path / "headers", "regtest")
    changes: list[tuple[float, RequestChange]] = []
    tracker = RequestTracker(
        wallet, store, on_change=lambda c: changes.append((time.monotonic(), c))
    )
    sync = WalletSync(wallet, pool, store, on_event=fan_out(tracker.on_event))
    tracker.watcher = sync.watch
    task: asyncio.Task | None = None

    def reached(request_id: int, state: RequestState) -> float | None:
        for at, c in changes:
            if c.request_id == request_id and c.new is state:
                return at
        return None

    try:
        await sync.sync()
        synced = {a.script_hash for a in wallet.db.addresses()}
        task = asyncio.create_task(sync.follow())
        await _until(lambda: sync.status.phase == "idle" and len(pool.status()) > 0, 5, "follow")
        await asyncio.sleep(0.2)  # follow() subscribed to what the sync stored

        # unpaid requests use up the addresses within the gap; the next one is derived past it
        made = [tracker.create_request(10_000 + n) for n in range(GAP)]
        assert [m.choice.reason for m in made] == ["fresh"] * GAP
        beyond = tracker.create_request(25_000, label="past the gap")
        assert beyond.choice.reason == "new" and beyond.choice.extends_gap
        derived = {a.script_hash for a in wallet.db.addresses()} - synced
        assert any(
            a.address == beyond.request.address and a.script_hash in derived
            for a in wallet.db.addresses()
        ), "the request's address was derived by the tracker, not by the sync"

        started = time.monotonic()
        txid = bytes.fromhex(pg.fund(beyond.request.address, 25_000))[::-1]
        seen_at = await _until(
            lambda: reached(beyond.request.id, RequestState.SEEN) is not None, 5, "seen"
        )
        seen_after = seen_at - started
        assert wallet.db.transaction_record(txid).state is TxState.UNCONFIRMED
        assert tracker.statuses[beyond.request.id].received_sat == 25_000

        # the control: not handed over, a payment past the gap goes unseen ...
        # (the payment moved the gap: the engine derived and watches GAP more; use them up)
        tracker.watcher = None
        more = [tracker.create_request(5_000) for _ in range(GAP)]
        assert [m.choice.reason for m in more] == ["fresh"] * GAP
        hidden = tracker.create_request(7_000, label="not watched")
        assert hidden.choice.reason == "new"
        hidden_txid = bytes.fromhex(pg.fund(hidden.request.address, 7_000))[::-1]
        await asyncio.sleep(1.5)
        assert reached(hidden.request.id, RequestState.SEEN) is None
        assert wallet.db.transaction_record(hidden_txid) is None
        # ... until it is, from another thread: the payment already made is found
        address = next(a for a in wallet.db.addresses() if a.address == hidden.request.address)
        handed = time.monotonic()
        await asyncio.to_thread(sync.watch, [address])
        found_at = await _until(
            lambda: reached(hidden.request.id, RequestState.SEEN) is not None, 5, "found"
        )
        assert found_at - handed < 1.0, f"found {found_at - handed:.3f} s after watch()"

        # and both confirm with their proofs checked against our own headers
        pg.mine(1)
        await _until(
            lambda: (
                reached(beyond.request.id, RequestState.CONFIRMED) is not None
                and reached(hidden.request.id, RequestState.CONFIRMED) is not None
            ),
            10,
            "both confirmed",
        )
        for t in (txid, hidden_txid):
            rec = wallet.db.transaction_record(t)
            assert rec.state is TxState.CONFIRMED and rec.proof.height == pg.height
        return seen_after
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await pool.close()
        store.close()
        wallet.close()


def test_request_past_the_gap_is_seen_while_following(playground, tmp_path, capsys):
    seen_after = run(_scenario(playground, tmp_path), timeout=40)
    assert seen_after < 1.0, f"seen {seen_after:.3f} s after the payment"
    with capsys.disabled():
        print(f"\npast-the-gap request seen {seen_after * 1000:.0f} ms after the payment")
