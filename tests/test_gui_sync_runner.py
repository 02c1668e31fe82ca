"""The sync runner the GUI uses (``wallet.sync.runner``; no Qt): the real engine on its own
thread against a real playground, with calls from the test's thread, events, services on the
loop, a re-sync on demand, offline reporting, and a clean stop.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.playground_fixture import playground  # noqa: F401
from wallet.account.database import Chain, TxState
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.hashes import sha256d
from wallet.sync.events import SyncStatus, TxEvent
from wallet.sync.headers import open_header_store
from wallet.sync.runner import RunnerError, SyncRunner

MNEMONIC = "abandon " * 11 + "about"


@pytest.fixture
def wallet(tmp_path, monkeypatch):
    from wallet.account.setup import create_wallet, seed_descriptors

    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    path = create_wallet(
        wallet_dir("Runner", "regtest"),
        "regtest",
        seed_descriptors(MNEMONIC, "", "regtest"),
        mnemonic=MNEMONIC,
        password="runner test password",
        kdf=ScryptParams.insecure_for_tests(),
    )
    w = Wallet.open(path)
    yield w
    w.close()


def servers(pg) -> list[str]:
    return [f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url]


def until(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_runner_syncs_follows_and_answers_from_another_thread(playground, wallet):  # noqa: F811
    events: list = []
    seen_on: set[int] = set()

    def on_event(event) -> None:
        seen_on.add(threading.get_ident())
        events.append(event)

    address = wallet.db.addresses(Chain.RECEIVE)[0].address
    first = playground.fund(address, 70_000, confirm=True)
    with SyncRunner(wallet, servers(playground), on_event=on_event) as runner:
        assert runner.wait_synced(20)
        assert runner.last_report.confirmed == 1
        assert seen_on == {runner._thread.ident}  # events come from the runner's thread
        # The caller's own connection sees what the runner's connection wrote (WAL).
        record = wallet.db.transaction_record(bytes.fromhex(first)[::-1])
        assert record is not None and record.state is TxState.CONFIRMED

        # Follow: a mempool payment arrives as a TxEvent, then its block confirms it.
        second = bytes.fromhex(playground.fund(address, 30_000))[::-1]
        assert until(lambda: any(isinstance(e, TxEvent) and e.txid == second for e in events))
        playground.mine(1)
        assert until(
            lambda: any(
                isinstance(e, TxEvent) and e.txid == second and e.new is TxState.CONFIRMED
                for e in events
            )
        )
        assert wallet.db.balance().confirmed == 100_000

        # Reads from this thread: the header chain and the servers.
        tip = runner.tip_height()
        assert tip == playground.height
        header = runner.header_at(tip)
        assert sha256d(header)[::-1].hex() == playground.tip_hash
        assert runner.header_at(tip + 1) is None
        assert runner.checkpoint_height() == 0  # regtest: from genesis
        statuses = runner.server_statuses()
        assert {s.protocol for s in statuses} == {"electrum", "esplora"}
        assert all(s.dropped is None for s in statuses) and runner.dropped_servers() == {}
        assert runner.forks() == []
        assert runner.fee_estimate(2) is not None

        # Sync now: a full sync runs again (more requests made).
        before = runner.last_report
        runner.sync_now()
        assert until(lambda: runner.last_report is not before)
        # call() runs on the loop's thread.
        assert runner.call(threading.get_ident) == runner._thread.ident
    assert not runner.running
    with pytest.raises(RunnerError):
        runner.fee_estimate(2)


def test_services_see_every_event_and_live_on_the_loop(playground, wallet):  # noqa: F811
    class Counter:
        def __init__(self, context) -> None:
            self.context = context
            self.events: list = []
            self.thread = threading.get_ident()
            self.closed = False

        def on_event(self, event) -> None:
            self.events.append(event)

        def close(self) -> None:
            self.closed = True

    made: list[Counter] = []

    def factory(context) -> Counter:
        made.append(Counter(context))
        return made[-1]

    runner = SyncRunner(wallet, servers(playground), services=[factory]).start()
    try:
        assert runner.wait_synced(20)
        (service,) = made
        assert service.thread == runner._thread.ident
        assert service.context.wallet.db is not wallet.db  # the thread's own connection
        assert any(isinstance(e, SyncStatus) and e.phase == "idle" for e in service.events)
    finally:
        runner.stop()
    assert service.closed


def test_the_header_store_is_shared_with_other_users(playground, wallet):  # noqa: F811
    """Another process (the CLI's ``pay``, another wallet's window) may have the network's
    header store open: the runner shares it, each seeing what the other wrote."""
    with SyncRunner(wallet, servers(playground)) as runner:
        assert runner.wait_synced(20)
        other = open_header_store("regtest", runner.store.directory)
        try:
            assert other.height == playground.height
            playground.mine(2)
            assert until(lambda: runner.store.height == playground.height)
            other.refresh()
            assert other.tip.hash == runner.store.tip.hash
        finally:
            other.close()


def test_unreachable_servers_report_offline_and_stop_promptly(wallet):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    events: list = []
    runner = SyncRunner(
        wallet,
        [f"tcp://127.0.0.1:{port}"],
        on_event=events.append,
        retry_seconds=0.2,
    ).start()
    try:
        assert until(
            lambda: any(isinstance(e, SyncStatus) and e.phase == "offline" for e in events), 20
        )
        offline = next(e for e in events if isinstance(e, SyncStatus) and e.phase == "offline")
        assert offline.text().startswith(("Offline", "Sync failed"))
    finally:
        started = time.monotonic()
        runner.stop()
        assert time.monotonic() - started < 5
    assert not runner.running
