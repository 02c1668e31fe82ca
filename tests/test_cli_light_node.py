"""The light node as the command line's chain source, over real sockets on the playground.

``paylight sync --p2p PEER...`` restores exactly what ``paylight sync --server ...`` restores
(every table, proofs and block depths), and so does ``--core URL``; no peer is told an
address, a script or a txid of the wallet, and the matching blocks come from more than one
peer; a peer serving wrong filters or wrong filter headers is dropped and the sync completes
from the honest ones; a confirmed payment reorged out and back ends with the right balances;
a birthday skips the filters before it; Core's REST off, its filter index off and wrong
credentials say what to change.
"""

from __future__ import annotations

import datetime
import json
import types

import pytest

from tests.light_support import contents, leaks, peer_args, wallet_secrets
from tests.playground_fixture import start_playground
from tests.wallet_builder import HistoryBuilder
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import script_to_address
from wallet.bitcoin.networks import REGTEST
from wallet.cli import main
from wallet.p2p import messages as m

MNEMONIC = "abandon " * 11 + "about"
PASSWORD = "light node password"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pg = start_playground(tmp_path_factory.mktemp("light-cli"), p2p_listeners=3)
    try:
        builder = HistoryBuilder(pg, MNEMONIC, per_address=2, gap_limit=5)
        builder.build(30, seed=5, leave_unmined=0)
        builder.mine()
        yield pg, builder
    finally:
        pg.stop()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    (tmp_path / "seed").write_text(MNEMONIC + "\n")
    return tmp_path


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def ok_json(capsys, *argv: str):
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def fails(capsys, *argv: str) -> str:
    code, out, err = cli(capsys, *argv)
    assert code == 1, (out, err)
    assert err.startswith("paylight: error: ") and err.count("\n") == 1, err
    return err


def restore(capsys, home, name: str, *extra: str) -> dict:
    return ok_json(
        capsys, "restore", "--wallet", name, "--seed-file", str(home / "seed"),
        "--gap-limit", "5", *extra,
    )  # fmt: skip


def servers(pg) -> list[str]:
    return ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]


def db_of(info: dict):
    from pathlib import Path

    return Path(info["wallet"]) / "wallet.sqlite"


def forget_records(pg) -> None:
    for listener in pg.p2p_listeners:
        listener.received.clear()
        listener.announced.clear()


def blocks_asked(pg) -> dict[str, int]:
    """How many blocks each listener was asked for."""
    out = {}
    for listener in pg.p2p_listeners:
        out[listener.address] = sum(
            1
            for _, msg in listener.received
            if isinstance(msg, m.GetData)
            for i in msg.items
            if i.type & ~m.MSG_WITNESS_FLAG == m.MSG_BLOCK
        )
    return out


def test_a_restore_over_p2p_is_the_restore_over_electrum_and_tells_no_peer(built, home, capsys):
    pg, builder = built
    view = builder.view()
    electrum = restore(capsys, home, "electrum")
    ok_json(capsys, "sync", "--wallet", "electrum", *servers(pg))
    forget_records(pg)

    p2p = restore(capsys, home, "p2p")
    report = ok_json(capsys, "sync", "--wallet", "p2p", *peer_args(pg))
    assert report["transactions"] == report["confirmed"] == len(view.txs)
    assert report["header_height"] == pg.height and report["dropped"] == {}
    assert contents(db_of(p2p)) == contents(db_of(electrum))
    balance = ok_json(capsys, "balance", "--wallet", "p2p")
    assert (balance["confirmed"], balance["unconfirmed"]) == (view.confirmed, 0)
    # every filter from genesis was fetched, and the matching blocks from more than one peer
    blocks = report["blocks"]
    assert blocks["from_height"] == 0 and blocks["filters"] >= pg.height + 1
    asked = blocks_asked(pg)
    assert sum(asked.values()) >= blocks["blocks"] > 1
    assert sum(1 for n in asked.values() if n) >= 2, asked
    assert len(blocks["block_peers"]) >= 2, (blocks, asked)
    # no listener was told an address, a script or a txid of the wallet
    marks, txids = wallet_secrets(db_of(p2p))
    assert txids and leaks(pg, marks, txids) == []


def test_the_app_session_restores_over_p2p_as_the_cli_does(built, home, capsys):
    """The GUI's sync thread opens its session the same way: the wallet's saved P2P peers."""
    from wallet.sync.runner import SyncRunner

    pg, _builder = built
    electrum = restore(capsys, home, "electrum")
    ok_json(capsys, "sync", "--wallet", "electrum", *servers(pg))
    app = restore(capsys, home, "app")
    for peer in peer_args(pg)[1:]:
        ok_json(capsys, "servers", "add", f"p2p://{peer}", "--wallet", "app")
    with Wallet.open(db_of(app).parent) as wallet:
        with SyncRunner(wallet) as runner:
            assert runner.wait_synced(60), runner.last_error
            node = runner.light_node()
        mine = contents(db_of(app))
        saved = sorted(r[0] for r in mine.pop("servers"))
        assert saved == sorted(f"p2p://{p}" for p in peer_args(pg)[1:])
        assert mine == {k: v for k, v in contents(db_of(electrum)).items() if k != "servers"}
    assert len(node["peers"]) == 3 and node["filter_height"] == pg.height
    assert all("COMPACT_FILTERS" in p.services for p in node["peers"])
    assert node["scan"]["filters"] >= pg.height + 1


@pytest.mark.parametrize("mode", ["wrong-filter", "wrong-filter-headers"])
def test_a_lying_peer_is_dropped_and_the_sync_completes_from_the_honest_ones(
    built, home, capsys, monkeypatch, mode
):
    pg, _builder = built
    electrum = restore(capsys, home, "electrum")
    ok_json(capsys, "sync", "--wallet", "electrum", *servers(pg))
    restored = restore(capsys, home, "p2p")
    liar = pg.p2p(1).address
    # the peer asked for filters is picked at random: here the liar, whenever it is connected
    # (its wrong filter headers are caught whoever serves: every peer is asked for those)
    import random

    def liar_first(options):
        return next((p for p in options if p.name == liar), random.choice(options))

    monkeypatch.setattr(
        "wallet.p2p.pool.random", types.SimpleNamespace(choice=liar_first, shuffle=random.shuffle)
    )
    pg.p2p(1).misbehave(mode)
    try:
        report = ok_json(capsys, "sync", "--wallet", "p2p", *peer_args(pg))
    finally:
        pg.p2p(1).behave()
    assert list(report["dropped"]) == [liar]
    assert "filter" in report["dropped"][liar]
    assert contents(db_of(restored)) == contents(db_of(electrum))


def test_a_birthday_skips_the_filters_before_it(built, home, capsys):
    pg, _builder = built
    birthday = pg.height - 3
    restore(capsys, home, "late", "--birthday", str(birthday))
    report = ok_json(capsys, "sync", "--wallet", "late", *peer_args(pg))
    assert report["blocks"]["from_height"] == birthday
    assert report["blocks"]["filters"] == pg.height - birthday + 1
    history = ok_json(capsys, "history", "--wallet", "late")
    assert all(r["height"] >= birthday for r in history)
    # a date: the first block of that day less a day's margin, kept as the birth height
    with pg.lock:
        day = pg.chain.blocks[birthday].time
    when = datetime.datetime.fromtimestamp(day + 2 * 86400, datetime.UTC).date().isoformat()
    info = restore(capsys, home, "dated", "--birthday", when)
    report = ok_json(capsys, "sync", "--wallet", "dated", *peer_args(pg))
    with Wallet.open(db_of(info).parent) as wallet:
        born = wallet.config.birth_height
    with pg.lock:  # the last block more than a day before that date, then the next one
        times = [pg.chain.blocks[h].time for h in range(1, pg.height + 1)]
    cutoff = int(datetime.datetime.fromisoformat(when + "T00:00:00+00:00").timestamp()) - 86400
    assert born == max((h for h, t in enumerate(times, 1) if t < cutoff), default=0)
    assert report["blocks"]["from_height"] == born
    old = restore(capsys, home, "old", "--birthday", "2009-01-09")
    ok_json(capsys, "sync", "--wallet", "old", *peer_args(pg))
    with Wallet.open(db_of(old).parent) as wallet:
        assert wallet.config.birth_height == 0  # every block is later: from the first
    err = fails(capsys, "restore", "--wallet", "x", "--seed-file", str(home / "seed"),
                "--birthday", "May 1st")  # fmt: skip
    assert "neither a date (YYYY-MM-DD) nor a block height" in err


def test_a_confirmed_payment_reorged_out_and_back(built, home, capsys):
    pg, builder = built
    restore(capsys, home, "reorg")
    ok_json(capsys, "sync", "--wallet", "reorg", *peer_args(pg))
    before = ok_json(capsys, "balance", "--wallet", "reorg")
    address = script_to_address(builder.scripts()[0], REGTEST)
    txid = pg.fund(address, 77_000, confirm=True)
    ok_json(capsys, "sync", "--wallet", "reorg", *peer_args(pg))
    paid = ok_json(capsys, "balance", "--wallet", "reorg")
    assert paid["confirmed"] == before["confirmed"] + 77_000

    pg.reorg(1)  # a longer branch without it: back to the mempool
    report = ok_json(capsys, "sync", "--wallet", "reorg", *peer_args(pg))
    assert report["header_height"] == pg.height
    out = ok_json(capsys, "balance", "--wallet", "reorg")
    assert (out["confirmed"], out["unverified"], out["unconfirmed"]) == (
        before["confirmed"], 0, 77_000
    )  # fmt: skip
    row = next(r for r in ok_json(capsys, "history", "--wallet", "reorg") if r["txid"] == txid)
    assert row["state"] == "unconfirmed"

    pg.mine(1)  # mined again
    ok_json(capsys, "sync", "--wallet", "reorg", *peer_args(pg))
    back = ok_json(capsys, "balance", "--wallet", "reorg")
    assert (back["confirmed"], back["unconfirmed"]) == (before["confirmed"] + 77_000, 0)
    row = next(r for r in ok_json(capsys, "history", "--wallet", "reorg") if r["txid"] == txid)
    assert row["state"] == "confirmed" and row["height"] == pg.height


def test_a_restore_through_bitcoin_core_is_the_restore_over_electrum(built, home, capsys):
    pg, _builder = built
    electrum = restore(capsys, home, "electrum")
    ok_json(capsys, "sync", "--wallet", "electrum", *servers(pg))
    core = restore(capsys, home, "core")
    node = ["--core", f"http://127.0.0.1:{pg.core.port}", "--core-cookie", str(pg.core.cookie_path)]
    report = ok_json(capsys, "sync", "--wallet", "core", *node)
    assert report["servers"] == [f"core 127.0.0.1:{pg.core.port}"]
    assert report["confirmed"] == report["transactions"] > 0
    assert contents(db_of(core)) == contents(db_of(electrum))


def test_core_off_switches_and_wrong_credentials_say_what_to_change(
    built, home, capsys, monkeypatch
):
    pg, _builder = built
    restore(capsys, home, "core")
    where = f"http://127.0.0.1:{pg.core.port}"
    node = ["--core", where, "--core-cookie", str(pg.core.cookie_path)]
    pg.core.configure(rest=False)
    try:
        assert "start bitcoind with -rest=1" in fails(capsys, "sync", "--wallet", "core", *node)
    finally:
        pg.core.configure(rest=True)
    pg.core.configure(blockfilterindex=False)
    try:
        err = fails(capsys, "sync", "--wallet", "core", *node)
        assert "start bitcoind with -blockfilterindex=1" in err
    finally:
        pg.core.configure(blockfilterindex=True)
    stale = home / "stale.cookie"
    stale.write_text("__cookie__:" + "00" * 32)
    # the REST part needs no login: the RPC part (fees, a broadcast) is where it shows
    err = fails(capsys, "pay", f"bitcoin:{pg.faucet_address}?amount=0.0001", "--yes",
                "--wallet", "core", "--core", where, "--core-cookie", str(stale))  # fmt: skip
    assert "refused the RPC credentials" in err and "stale" in err
    monkeypatch.setenv("PAYLIGHT_CORE_PASSWORD", "wrong")
    err = fails(capsys, "pay", f"bitcoin:{pg.faucet_address}?amount=0.0001", "--yes",
                "--wallet", "core", "--core", f"http://alice@127.0.0.1:{pg.core.port}")  # fmt: skip
    assert "refused the RPC credentials" in err
    err = fails(capsys, "sync", "--wallet", "core", "--core", "http://bob:pw@127.0.0.1:1")
    assert "PAYLIGHT_CORE_PASSWORD" in err


def test_a_new_wallet_uses_the_networks_peers_by_default(home, capsys):
    made = main(["create", "--network", "signet", "--wallet", "fresh", "--json",
                 "--show-seed", "--skip-seed-check"])  # fmt: skip
    assert made == 0
    capsys.readouterr()
    assert main(["servers", "list", "--network", "signet", "--wallet", "fresh", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["in_use"] == ["p2p://"]
    from wallet.account.paths import wallet_dir
    from wallet.bitcoin.networks import get_network

    with Wallet.open(wallet_dir("fresh", get_network("signet"))) as wallet:
        birth = wallet.config.birth_time
        assert birth is not None and abs(birth - wallet.config.created_at) < 5


def test_servers_and_peers_combined_restore_the_same_wallet(built, home, capsys):
    """Electrum/Esplora servers and P2P peers together (``--server`` and ``--p2p`` in one
    run: CombinedSync): both sources fill the one wallet through the one applier, and it holds
    exactly what either alone restores; the report names both."""
    pg, builder = built
    view = builder.view()
    electrum = restore(capsys, home, "electrum-only")
    ok_json(capsys, "sync", "--wallet", "electrum-only", *servers(pg))
    both = restore(capsys, home, "both")
    report = ok_json(capsys, "sync", "--wallet", "both", *servers(pg), *peer_args(pg))
    assert report["transactions"] == report["confirmed"] == len(view.txs)
    assert report["dropped"] == {}
    names = report["servers"]
    assert f"127.0.0.1:{pg.electrum_port}" in names, names
    assert any(f"127.0.0.1:{port}" in names for port in pg.p2p_ports), names
    assert contents(db_of(both)) == contents(db_of(electrum))


def test_a_payment_through_bitcoin_cores_rpc_is_broadcast_and_confirmed(built, home, capsys):
    """``paylight pay --core``: the fee from ``estimatesmartfee``, the transaction sent with
    ``sendrawtransaction`` (the node holds it in its mempool), stored as unconfirmed, and
    confirmed by the next ``sync --core`` once mined -- proven from the block, as any."""
    pg, _builder = built
    restore(capsys, home, "core-pay")
    where = f"http://127.0.0.1:{pg.core.port}"
    node = ["--core", where, "--core-cookie", str(pg.core.cookie_path)]
    ok_json(capsys, "sync", "--wallet", "core-pay", *node)
    before = ok_json(capsys, "balance", "--wallet", "core-pay")
    asked = len(pg.core.requests)
    sent = ok_json(capsys, "pay", f"bitcoin:{pg.faucet_address}?amount=0.00050000", "--yes",
                   "--wallet", "core-pay", *node)  # fmt: skip
    txid = bytes.fromhex(sent["txid"])[::-1]
    with pg.lock:
        assert pg.mempool.get(txid) is not None  # the node took it
    assert sent["accepted_by"] == [f"core 127.0.0.1:{pg.core.port}"]
    # it went by JSON-RPC, authorised (the cookie), and nothing else was sent to be relayed
    calls = pg.core.requests[asked:]
    assert any(path == "/" and ok for method, path, ok in calls if method == "POST")
    assert history_row(capsys, "core-pay", sent["txid"])["state"] == "unconfirmed"
    pg.mine(1)
    ok_json(capsys, "sync", "--wallet", "core-pay", *node)
    row = history_row(capsys, "core-pay", sent["txid"])
    assert row["state"] == "confirmed" and row["height"] == pg.height
    after = ok_json(capsys, "balance", "--wallet", "core-pay")
    assert after["unconfirmed"] == 0
    assert after["confirmed"] == before["confirmed"] - 50_000 - sent["fee_sat"]


def history_row(capsys, wallet: str, txid: str) -> dict:
    return next(r for r in ok_json(capsys, "history", "--wallet", wallet) if r["txid"] == txid)
