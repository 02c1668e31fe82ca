"""The app's side of the light node (issues 16 and 17), with real Qt windows offscreen over the real
playground and its P2P listeners: the light-node panel lists the peers with their services, the
filter progress and what was downloaded, and shows a lying peer dropped with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.playground_fixture import start_playground
from wallet.account.database import Chain
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.networks import REGTEST
from wallet.gui.controller import WalletController
from wallet.gui.engine import RunnerEngine
from wallet.gui.main_window import MainWindow
from wallet.gui.tabs.node import NodeTab

pytestmark = pytest.mark.gui
MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "light node password"


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("gui-light"), p2p_listeners=3)
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture
def listeners() -> tuple[int, ...]:
    """The playground listeners the wallet names (a test may parametrize it)."""
    return (0, 1, 2)


@pytest.fixture
def wallet(pg, listeners, tmp_path, monkeypatch) -> Iterator[Wallet]:
    """A wallet whose sources are the playground's P2P listeners, paid once in a block."""
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    path = create_from_seed(
        tmp_path / "light",
        REGTEST,
        MNEMONIC,
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
        sources=[f"p2p://127.0.0.1:{pg.p2p_ports[i]}" for i in listeners],
    )
    w = Wallet.open(path)
    pg.fund(w.db.address_at(Chain.RECEIVE, 0).address, 50_000, confirm=True)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def liars() -> tuple[int, ...]:
    """The playground listeners that serve wrong filter headers (a test may parametrize it)."""
    return ()


@pytest.fixture
def window(qtbot, pg, wallet, liars, tmp_path) -> Iterator[MainWindow]:
    # the liars lie before the engine starts its first sync (the controller starts it)
    for i in liars:
        pg.p2p(i).misbehave("wrong-filter-headers")
    try:
        engine = RunnerEngine(header_dir=tmp_path / "headers", retry_seconds=1.0)
        controller = WalletController(wallet, engine)
        win = MainWindow(controller)
        qtbot.addWidget(win)
        win.show()
        try:
            yield win
        finally:
            controller.close()
    finally:
        for i in liars:
            pg.p2p(i).behave()


def node_tab(window: MainWindow) -> NodeTab:
    tab = window.findChild(NodeTab)
    assert tab is not None
    return tab


def synced(qtbot, window: MainWindow, timeout: float = 20.0) -> NodeTab:
    engine = window.controller.engine
    assert engine.wait_started(20)
    assert engine.runner.wait_synced(timeout), engine.runner.last_error
    tab = node_tab(window)
    window.tabs.setCurrentWidget(tab)
    tab.poll()
    qtbot.waitUntil(lambda: bool(tab.state.light and tab.state.light["scan"]), timeout=10_000)
    return tab


def column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_the_panel_lists_the_peers_with_their_services_and_the_filter_progress(qtbot, pg, window):
    tab = synced(qtbot, window)
    qtbot.waitUntil(lambda: tab.peers.rowCount() == 3, timeout=10_000)
    assert sorted(column(tab.peers, 0)) == sorted(f"127.0.0.1:{p}" for p in pg.p2p_ports)
    for offers in column(tab.peers, 1):
        assert {"full blocks", "SegWit", "compact filters"} <= set(offers.split(", "))
    assert set(column(tab.peers, 2)) == {f"{pg.height:,}"}
    assert all(ping.endswith(" ms") for ping in column(tab.peers, 3))
    assert set(column(tab.peers, 4)) == {"connected"}
    height = f"{pg.height:,}"
    assert tab.filters_label.text().startswith(f"filters checked to block {height} of {height}")
    downloaded = tab.downloaded_label.text()
    assert downloaded.startswith(f"filter headers: {pg.height + 1:,} · filters: {pg.height + 1:,}")
    assert " · blocks: " in downloaded and downloaded.endswith(" in all")
    assert tab.peers.isVisible() and not tab.servers.isVisible()
    assert not tab.core_label.isVisible()
    assert tab.dropped.rowCount() == 0
    # the status line counts them as what they are: peers, not servers
    assert tab.status_line.text().endswith(" · 3 peers"), tab.status_line.text()


@pytest.mark.parametrize(("listeners", "liars"), [((0, 1), (1,))])
def test_a_lying_peer_is_shown_dropped_with_its_reason(qtbot, pg, window):
    """A listener serving wrong filter headers is dropped; the panel names it, gives the
    block's verdict on it, and lists only the honest peer. Every connected peer's filter
    headers are compared on every sync (tests/test_p2p_filter_crosscheck.py), so whichever
    peer is asked first the lie is settled through the block."""
    liar = f"127.0.0.1:{pg.p2p_ports[1]}"
    tab = synced(qtbot, window)
    qtbot.waitUntil(lambda: tab.dropped.rowCount() == 1, timeout=10_000)
    assert tab.dropped.item(0, 0).text() == liar
    reason = tab.dropped.item(0, 1).text()
    assert re.fullmatch(r"its filter for block \d+ leaves out \d+ script\(s\) of the block", reason)
    qtbot.waitUntil(lambda: tab.peers.rowCount() == 1, timeout=10_000)
    assert liar not in column(tab.peers, 0)
    assert set(column(tab.peers, 4)) == {"connected"}
