"""The wallet command line end to end against the playground over real sockets.

create → addresses → a history made on the playground (receives, sends with change, RBF
replacements, some still in the mempool) → sync over Electrum and Esplora → balance and history
agree exactly with the playground's own ledger; a restore from the same seed elsewhere agrees
too; so does a sync over TLS alone (``ssl://`` Electrum, ``https://`` Esplora). Bad input ends
with exit code 1, one sentence on stderr naming what went wrong, and nothing lost.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import ssl
import time
from pathlib import Path

import pytest

from tests.playground_fixture import playground, start_playground  # noqa: F401
from tests.wallet_builder import HistoryBuilder, View
from wallet.account.database import TxState
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.address import script_to_address
from wallet.cli import main

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


def fails(capsys, *argv: str) -> str:
    code, out, err = cli(capsys, *argv)
    assert code == 1, (out, err)
    assert err.startswith("paylight: error: ") and err.count("\n") == 1, err
    return err


def servers(pg) -> list[str]:
    return ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix != ".lock"}


def agrees_with_playground(capsys, pg, view: View, wallet_arg: str) -> list[dict]:
    """``balance`` and ``history`` say exactly what the playground's ledger says; the history."""
    balance = ok_json(capsys, "balance", "--wallet", wallet_arg)
    assert (balance["confirmed"], balance["unverified"], balance["unconfirmed"]) == (
        view.confirmed,
        0,
        view.unconfirmed,
    )
    history = ok_json(capsys, "history", "--wallet", wallet_arg)
    standing = {r["txid"]: r["height"] for r in history if r["state"] != "replaced"}
    assert standing == view.txs
    for row in history:
        if row["height"] is None:
            assert row["state"] == "unconfirmed" and row["confirmations"] is None
        else:
            assert row["state"] == "confirmed"
            assert row["confirmations"] == pg.height - row["height"] + 1
    return history


def synced_as_the_playground(report: dict, pg, view: View) -> None:
    """A ``sync --json`` report that proved every mined transaction and nothing else."""
    mined = sum(1 for h in view.txs.values() if h is not None)
    assert report["transactions"] == len(view.txs)
    assert report["confirmed"] == report["proofs_verified"] == mined
    assert report["unconfirmed"] == len(view.txs) - mined and report["unverified"] == 0
    assert report["header_height"] == pg.height
    assert report["dropped"] == {} and report["disagreements"] == []


def test_wallet_commands_agree_with_the_playground(home, tmp_path, capsys, playground):  # noqa: F811
    pg = playground
    created = ok_json(capsys, "create", "--wallet", "shop", "--show-seed", "--skip-seed-check")
    mnemonic = created["mnemonic"]
    assert len(mnemonic.split()) == 12 and created["network"] == "regtest"
    folder = Path(created["wallet"])
    assert folder == home / "regtest" / "wallets" / "shop"
    for blob in folder_bytes(folder).values():  # the seed is sealed, never in the clear
        assert mnemonic.encode() not in blob

    builder = HistoryBuilder(pg, mnemonic)
    listed = ok_json(capsys, "addresses", "--wallet", "shop", "--count", "25")
    assert [r["address"] for r in listed] == [
        script_to_address(builder.key(0, i)[1], "regtest") for i in range(25)
    ]
    change = ok_json(capsys, "addresses", "--wallet", "shop", "--change", "--count", "2")
    assert change[1]["address"] == script_to_address(builder.key(1, 1)[1], "regtest")

    pg.mine(100)  # mature faucet coins
    builder.build(60, seed=5, leave_unmined=4)
    assert builder.replaced and builder.sends
    view = builder.view()

    report = ok_json(capsys, "sync", "--wallet", "shop", *servers(pg))
    synced_as_the_playground(report, pg, view)

    def check_agrees(wallet_arg: str) -> list[dict]:
        return agrees_with_playground(capsys, pg, view, wallet_arg)

    history = check_agrees("shop")
    with Wallet.open(folder) as wallet:
        for record in wallet.db.transactions(TxState.CONFIRMED):
            assert record.proof is not None and record.proof.height == record.height
    # --server is for one run; saved, the servers serve every later one
    for url in servers(pg)[1::2]:
        ok_json(capsys, "servers", "add", url, "--wallet", "shop")
    assert ok_json(capsys, "sync", "--wallet", "shop")["header_height"] == pg.height
    code, text, _ = cli(capsys, "balance", "--wallet", "shop")
    assert code == 0 and "Confirmed:" in text and "Unconfirmed:" in text and "Unverified:" in text

    # Restore the same seed into another folder, from a file, syncing over Esplora alone.
    seed_file = tmp_path / "seed.txt"
    seed_file.write_text(mnemonic + "\n")
    elsewhere = tmp_path / "elsewhere" / "copy"
    restored = ok_json(capsys, "restore", "--wallet", str(elsewhere), "--seed-file", str(seed_file))
    assert restored["receive_descriptor"] == created["receive_descriptor"]
    ok_json(capsys, "sync", "--wallet", str(elsewhere), "--server", pg.esplora_url)
    again = check_agrees(str(elsewhere))
    assert {r["txid"]: r["amount"] for r in again} == {
        r["txid"]: r["amount"] for r in history if r["state"] != "replaced"
    }

    # Bad input: exit code 1, one sentence, and nothing lost.
    before = folder_bytes(folder)
    assert "no Paylight wallet" in fails(capsys, "balance", "--wallet", "nosuch")
    assert "tcp://" in fails(capsys, "sync", "--wallet", "shop", "--server", "ftp://example")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    assert "server" in fails(
        capsys, "sync", "--wallet", "shop", "--server", f"tcp://127.0.0.1:{dead}"
    )
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the password\n")
    new = tmp_path / "new.txt"
    new.write_text("another password\n")
    err = fails(
        capsys,
        "password",
        "--wallet",
        "shop",
        "--password-file",
        str(wrong),
        "--new-password-file",
        str(new),
    )
    assert "password is wrong" in err
    assert folder_bytes(folder)["keystore.json"] == before["keystore.json"]
    assert folder_bytes(folder)["wallet.json"] == before["wallet.json"]
    check_agrees("shop")  # the database still holds everything
    assert "already exists" in fails(
        capsys, "restore", "--wallet", str(elsewhere), "--seed-file", str(seed_file)
    )


def test_create_never_hides_the_seed_and_needs_a_password(home, tmp_path, capsys, monkeypatch):
    typo = tmp_path / "typo.txt"
    typo.write_text("abandon abandon abandonn " * 4)
    # stdout is captured (not a terminal): without --show-seed the words would be lost.
    assert "--show-seed" in fails(capsys, "create", "--wallet", "w")
    assert not (home / "regtest" / "wallets" / "w").exists()
    # text, asked for (a script: no terminal to check words at, so it says it keeps them)
    assert "--skip-seed-check" in fails(capsys, "create", "--wallet", "w", "--show-seed")
    code, out, _ = cli(capsys, "create", "--wallet", "w", "--show-seed", "--skip-seed-check")
    assert code == 0 and "1. " in out and "12. " in out
    created = ok_json(capsys, "create", "--wallet", "j", "--skip-seed-check")
    assert len(created["mnemonic"].split()) == 12
    monkeypatch.delenv("PAYLIGHT_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no prompt possible
    assert "PAYLIGHT_PASSWORD" in fails(
        capsys, "create", "--wallet", "x", "--show-seed", "--skip-seed-check"
    )
    assert "no seed words" in fails(capsys, "restore", "--wallet", "x", "--seed-file", "/dev/null")
    assert "word 3" in fails(capsys, "restore", "--wallet", "x", "--seed-file", str(typo))
    assert sorted(p.name for p in (home / "regtest" / "wallets").iterdir()) == ["j", "w"]


def test_password_change_and_watch_only_restore(home, tmp_path, capsys):
    created = ok_json(capsys, "create", "--wallet", "w", "--skip-seed-check", "--words", "24")
    assert len(created["mnemonic"].split()) == 24
    new = tmp_path / "new.txt"
    new.write_text("a brand new password\n")
    ok_json(capsys, "password", "--wallet", "w", "--new-password-file", str(new))
    with Wallet.open(created["wallet"]) as wallet:
        assert wallet.unlock("a brand new password").value == created["mnemonic"]

    account = created["receive_descriptor"].split("]", 1)[1].split("/", 1)[0]  # the tpub
    watch = ok_json(capsys, "restore", "--wallet", "watch", "--watch", account)
    assert watch["kind"] == "watch_only" and watch["first_address"] == created["first_address"]
    # a watch-only wallet has no seed: its password seals wallet.json (issue 13, item 11)
    sealed = ok_json(capsys, "password", "--wallet", "watch", "--new-password-file", str(new))
    assert sealed["sealed"]
    assert "mac" in json.loads((Path(watch["wallet"]) / "wallet.json").read_text())


@pytest.fixture
def tls_playground(tmp_path):
    """A playground that also serves Electrum over TLS and Esplora over HTTPS (one cert.pem)."""
    pg = start_playground(tmp_path / "tls-playground", tls=True)
    try:
        yield pg
    finally:
        pg.stop()


def test_wallet_syncs_over_ssl_and_https(home, tmp_path, capsys, monkeypatch, tls_playground):
    """``--server ssl://`` trusts the self-signed certificate on first use; ``https://`` goes
    through the system's CA check, so the playground's cert.pem must be trusted for it."""
    pg = tls_playground
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    created = ok_json(capsys, "create", "--wallet", "tls", "--show-seed", "--skip-seed-check")
    builder = HistoryBuilder(pg, created["mnemonic"])
    pg.mine(100)  # mature faucet coins
    builder.build(20, seed=11, leave_unmined=3)
    view = builder.view()
    assert any(h is None for h in view.txs.values()) and any(view.txs.values())

    # Electrum over TLS alone (the plain ports are never named)
    tls_url = f"ssl://127.0.0.1:{pg.electrum_tls_port}"
    report = ok_json(capsys, "sync", "--wallet", "tls", "--server", tls_url)
    synced_as_the_playground(report, pg, view)
    agrees_with_playground(capsys, pg, view, "tls")
    ok_json(capsys, "servers", "add", tls_url, "--wallet", "tls")
    with Wallet.open(home / "regtest" / "wallets" / "tls") as wallet:
        assert [s.url for s in wallet.db.servers("regtest") if s.enabled] == [tls_url]
    # the certificate seen first is remembered for the next run (trust on first use across runs)
    pins_file = home / "tls-pins.json"
    key = f"127.0.0.1:{pg.electrum_tls_port}"
    pinned = json.loads(pins_file.read_text())
    assert (
        pinned[key]
        == hashlib.sha256(ssl.PEM_cert_to_DER_cert(pg.certificate.read_text())).hexdigest()
    )
    ok_json(capsys, "sync", "--wallet", "tls")  # the same certificate: accepted
    # a later run that meets another certificate at that address refuses it and says why
    pins_file.write_text(json.dumps({**pinned, key: "00" * 32}))
    err = fails(capsys, "sync", "--wallet", "tls")
    assert "certificate changed since first use" in err and str(pins_file) in err, err
    agrees_with_playground(capsys, pg, view, "tls")  # nothing lost
    pins_file.write_text(json.dumps(pinned))
    # a TLS client on the plain port says what is wrong
    err = fails(
        capsys, "sync", "--wallet", "tls", "--server", f"ssl://127.0.0.1:{pg.electrum_port}"
    )
    assert "TLS" in err, err
    agrees_with_playground(capsys, pg, view, "tls")  # nothing lost

    # Esplora over HTTPS: refused while the certificate is not trusted...
    seed_file = tmp_path / "seed.txt"
    seed_file.write_text(created["mnemonic"] + "\n")
    copy = str(tmp_path / "copy")
    ok_json(capsys, "restore", "--wallet", copy, "--seed-file", str(seed_file))
    https_url = pg.esplora_tls_url
    assert https_url is not None and https_url.startswith("https://127.0.0.1:")
    started = time.monotonic()
    err = fails(capsys, "sync", "--wallet", copy, "--server", https_url)
    assert "TLS certificate is not trusted" in err and "SSL_CERT_FILE" in err, err
    assert time.monotonic() - started < 3, "an untrusted certificate is not worth retrying"
    # ...and synced once the playground's certificate is the trusted one
    monkeypatch.setenv("SSL_CERT_FILE", str(pg.certificate))
    report = ok_json(capsys, "sync", "--wallet", copy, "--server", https_url)
    synced_as_the_playground(report, pg, view)
    agrees_with_playground(capsys, pg, view, copy)
