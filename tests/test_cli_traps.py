"""Command-line traps a new user fell into (issue 18), each shut: listing addresses leaves the
wallet as it was, a one-off ``--server`` stays one-off, several processes share a header store,
each regtest chain gets its own store, ``create`` prints a descriptor that sees change too and
makes sure the words were copied, ``charge --json`` streams, and coins and requests have commands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.playground_fixture import playground  # noqa: F401
from wallet.account.database import Chain
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_wallet, seed_descriptors
from wallet.account.wallet_file import Wallet
from wallet.cli import main

MNEMONIC = "abandon " * 11 + "about"


PASSWORD = "market stall password"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    return tmp_path / "home"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def ok_json(capsys, *argv: str):
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def watch_wallet(name: str = "shop", gap_limit: int = 20) -> Path:
    """A watch-only regtest wallet of the BIP84 test seed (no password, no scrypt)."""
    return create_wallet(
        wallet_dir(name, "regtest"),
        "regtest",
        seed_descriptors(MNEMONIC, "", "regtest"),
        gap_limit=gap_limit,
    )


def test_listing_addresses_never_changes_the_wallet(home, capsys):
    """``addresses --count 5000`` once stored 5,000 addresses, and every later sync asked the
    servers about all of them (~15,000 requests instead of ~140)."""
    path = watch_wallet()
    with Wallet.open(path) as wallet:
        before = wallet.db.addresses()
    rows = ok_json(capsys, "addresses", "--wallet", "shop", "--count", "500")
    change = ok_json(capsys, "addresses", "--wallet", "shop", "--change", "--start", "30")
    with Wallet.open(path) as wallet:
        assert wallet.db.addresses() == before  # nothing added, nothing marked
    assert [r["index"] for r in rows] == list(range(500))
    watched = {a.address for a in before if a.chain == Chain.RECEIVE}
    assert {r["address"] for r in rows if r["watched"]} == watched
    # The same addresses as the descriptor gives, stored or not.
    receive = seed_descriptors(MNEMONIC, "", "regtest").receive
    derived = ok_json(capsys, "addresses", "--descriptor", receive, "--count", "500")
    assert [r["address"] for r in rows] == [r["address"] for r in derived]
    assert [r["index"] for r in change] == list(range(30, 40))
    assert not any(r["used"] or r["watched"] for r in change)


def test_a_server_given_once_is_used_once(home, capsys, playground):  # noqa: F811
    """``--server`` on one command once replaced the wallet's saved list: later runs used that
    one server ("seen by 1 of 1") and lost the cross-check. The lists change through
    ``paylight servers`` only."""
    pg = playground
    electrum, esplora = f"tcp://127.0.0.1:{pg.electrum_port}", pg.esplora_url
    watch_wallet()
    for url in (electrum, esplora):
        ok_json(capsys, "servers", "add", url, "--wallet", "shop")
    saved = ok_json(capsys, "servers", "list", "--wallet", "shop")
    assert saved["in_use"] == sorted([electrum, esplora])

    report = ok_json(capsys, "sync", "--wallet", "shop", "--server", esplora)
    assert len(report["servers"]) == 1 and report["header_height"] == pg.height
    assert ok_json(capsys, "servers", "list", "--wallet", "shop") == saved  # unchanged
    assert len(ok_json(capsys, "sync", "--wallet", "shop")["servers"]) == 2  # the saved two

    ok_json(capsys, "servers", "remove", electrum, "--wallet", "shop")
    assert ok_json(capsys, "servers", "list", "--wallet", "shop")["in_use"] == [esplora]
    code, _, err = cli(capsys, "servers", "remove", electrum, "--wallet", "shop")
    assert code == 1 and "not in this wallet's server list" in err


def test_the_networks_list_is_edited_explicitly(home, capsys):
    """Without ``--wallet``, ``servers`` edits the network's list (the user's servers.json,
    started from the bundled defaults), which wallets without a list of their own use."""

    def signet(*argv: str):
        capsys.readouterr()
        assert main([*argv, "--network", "signet", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    bundled = signet("servers", "list")["in_use"]
    assert bundled and not (home / "config" / "servers.json").exists()
    mine = "ssl://signet.example.org:50002"
    assert signet("servers", "add", mine)["servers"] == [*bundled, mine]
    stored = json.loads((home / "config" / "servers.json").read_text())
    assert [e["url"] for e in stored["networks"]["signet"]] == [*bundled, mine]
    assert set(stored["networks"]) == {"signet"}  # other networks keep the bundled defaults
    assert signet("servers", "remove", bundled[0])["servers"] == [*bundled[1:], mine]
    assert signet("servers", "list")["in_use"] == [*bundled[1:], mine]
    # a regtest wallet with no servers of its own uses the regtest network's list
    watch_wallet()
    ok_json(capsys, "servers", "add", "tcp://127.0.0.1:50001")
    assert ok_json(capsys, "servers", "list", "--wallet", "shop")["in_use"] == [
        "tcp://127.0.0.1:50001"
    ]
