"""Command-line traps a new user fell into (issue 18), each shut: listing addresses leaves the
wallet as it was, a one-off ``--server`` stays one-off, several processes share a header store,
each regtest chain gets its own store, ``create`` prints a descriptor that sees change too and
makes sure the words were copied, ``charge --json`` streams, and coins and requests have commands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
