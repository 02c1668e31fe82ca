"""``paylight request``, ``pay --yes``, ``send``, ``bump``, ``charge`` and ``receipt export`` on the
playground over real sockets, with wallets under a temporary ``$PAYLIGHT_HOME``. ``charge`` runs
as a real process whose live output is read while the faucet pays its QR code's URI.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.playground_fixture import playground_module  # noqa: F401
from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_from_seed
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.hashes import sha256
from wallet.cli import main
from wallet.payments.uri import parse_uri
from wallet.playground.chain import parse_block

PASSWORD = "cli password"


@pytest.fixture(scope="module")
def pg(playground_module):  # noqa: F811
    return playground_module


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    return tmp_path / "home"


def _wallet(name: str) -> str:
    path = create_from_seed(
        wallet_dir(name, "regtest"),
        "regtest",
        entropy_to_mnemonic(sha256(f"cli {name}".encode())[:16]),
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    return str(path)


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _server(pg) -> list[str]:
    return ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]


def _in_mempool(pg, txid: str) -> bool:
    with pg.lock:
        found = pg.ledger.find_tx(bytes.fromhex(txid)[::-1])
    return found is not None and found.block is None


def _kernel_block_has(pg, txid: str) -> bool:
    with pg.lock:
        _header, txs = parse_block(pg.kernel.block_at(pg.kernel.height))
    return any(t.txid_hex == txid for t, _raw in txs)


def test_request_prints_a_uri_and_qr_and_writes_a_png(pg, home, capsys, tmp_path):
    merchant = _wallet("shop")
    code, out, _ = _cli(
        capsys,
        "request",
        "0.0005",
        "--label",
        "Tea",
        "--expiry",
        "600",
        "--wallet",
        merchant,
        "--network",
        "regtest",
    )
    assert code == 0
    lines = out.splitlines()
    uri = parse_uri(lines[0], "regtest")
    assert uri.amount_sat == 50_000 and uri.label == "Tea"
    assert any("\u2588" in line for line in lines[1:20])  # the QR drawn in block characters
    assert "expires:" in out

    png = tmp_path / "request.png"
    code, out, _ = _cli(
        capsys,
        "request",
        "12000sat",
        "--wallet",
        merchant,
        "--network",
        "regtest",
        "--json",
        "--png",
        str(png),
    )
    doc = json.loads(out)
    assert code == 0 and doc["amount_sat"] == 12_000 and doc["address"] != uri.address
    from wallet.payments.qr_decode import decode_file

    (found,) = decode_file(str(png))
    assert parse_uri(found.text, "regtest") == parse_uri(doc["uri"], "regtest")

    code, _, err = _cli(capsys, "request", "-1", "--wallet", merchant, "--network", "regtest")
    assert code == 1 and "not an amount" in err


def test_pay_yes_then_bump_and_send_max(pg, home, capsys):
    customer, merchant = _wallet("buyer"), _wallet("seller")
    code, out, _ = _cli(
        capsys,
        "request",
        "0.0004",
        "--label",
        "Bread",
        "--wallet",
        merchant,
        "--network",
        "regtest",
        "--json",
    )
    uri = json.loads(out)["uri"]
    code, out, _ = _cli(
        capsys, "request", "--wallet", customer, "--network", "regtest", "--json", "--no-qr"
    )
    pg.fund(json.loads(out)["address"], 100_000)
    pg.mine(1)

    # without --yes and without a terminal nothing is sent
    code, _, err = _cli(capsys, "pay", uri, "--wallet", customer, *_server(pg))
    assert code == 1 and "--yes" in err

    code, out, err = _cli(
        capsys,
        "pay",
        uri,
        "--yes",
        "--fee-rate",
        "1",
        "--wallet",
        customer,
        *_server(pg),
        "--json",
    )
    assert code == 0, err
    paid = json.loads(out)
    assert paid["review"]["recipients"][0]["amount_sat"] == 40_000
    assert paid["review"]["change"] is not None and paid["review"]["rbf"]
    assert paid["label"] == "Bread" and _in_mempool(pg, paid["txid"])

    code, out, err = _cli(
        capsys,
        "bump",
        paid["txid"],
        "--fee-rate",
        "4",
        "--yes",
        "--wallet",
        customer,
        *_server(pg),
        "--json",
    )
    assert code == 0, err
    bumped = json.loads(out)
    assert bumped["review"]["replaces"] == paid["txid"]
    assert _in_mempool(pg, bumped["txid"]) and not _in_mempool(pg, paid["txid"])
    pg.mine(1)
    assert _kernel_block_has(pg, bumped["txid"])

    # everything left, to a fresh address of the merchant; a high-fee payment is refused
    code, out, _ = _cli(capsys, "request", "--wallet", merchant, "--network", "regtest", "--json")
    address = json.loads(out)["address"]
    code, _, err = _cli(
        capsys,
        "send",
        address,
        "1000sat",
        "--fee-rate",
        "30",
        "--yes",
        "--wallet",
        customer,
        *_server(pg),
    )
    assert code == 1 and "--confirm-high-fee" in err
    code, out, err = _cli(
        capsys, "send", address, "--max", "--yes", "--wallet", customer, *_server(pg), "--json"
    )
    assert code == 0, err
    sent = json.loads(out)
    assert sent["review"]["change"] is None and _in_mempool(pg, sent["txid"])
    pg.mine(1)
    assert _kernel_block_has(pg, sent["txid"])


def test_bump_cpfp_confirms_parent_and_child(pg, home, capsys):
    """A payment to us at 1 sat/vB, sped up from the CLI by a child paying for both."""
    merchant = _wallet("cpfp shop")
    code, out, _ = _cli(capsys, "request", "--wallet", merchant, "--network", "regtest", "--json")
    parent = pg.fund(json.loads(out)["address"], 60_000, fee_rate=1.0)
    assert _in_mempool(pg, parent)

    code, out, err = _cli(
        capsys,
        "bump",
        parent,
        "--cpfp",
        "--fee-rate",
        "12",
        "--yes",
        "--wallet",
        merchant,
        *_server(pg),
        "--json",
    )
    assert code == 0, err
    child = json.loads(out)
    review = child["review"]
    assert review["recipients"] == [] and review["change"] is not None  # back to ourselves
    assert [i["outpoint"].split(":")[0] for i in review["inputs"]] == [parent]
    assert float(review["package_fee_rate"]) >= 12 and review["replaces"] is None
    assert _in_mempool(pg, parent) and _in_mempool(pg, child["txid"])
    with pg.lock:  # the package, as the playground's mempool weighs it
        entries = [pg.ledger.find_tx(bytes.fromhex(t)[::-1]).entry for t in (parent, child["txid"])]
    assert entries[0].fee / entries[0].tx.vsize() < 2  # the parent alone would wait
    assert sum(e.fee for e in entries) / sum(e.tx.vsize() for e in entries) >= 12
    assert entries[1].fee == review["fee_sat"]

    pg.mine(1)
    assert _kernel_block_has(pg, parent) and _kernel_block_has(pg, child["txid"])
    code, out, err = _cli(capsys, "history", "--sync", "--wallet", merchant, *_server(pg), "--json")
    assert code == 0, err
    rows = {r["txid"]: r for r in json.loads(out)}
    for txid in (parent, child["txid"]):
        assert rows[txid]["state"] == "confirmed" and rows[txid]["height"] == pg.height
        assert rows[txid]["confirmations"] == 1
    assert rows[child["txid"]]["amount"] == -review["fee_sat"]


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _next_line(lines: queue.Queue, predicate, timeout: float, seen: list[str]) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("timed out; output so far:\n" + "\n".join(seen)) from None
        if line is None:
            raise AssertionError("the process ended; output:\n" + "\n".join(seen))
        seen.append(line)
        if predicate(line):
            return line


def test_charge_follows_live_and_writes_a_receipt(pg, home, capsys, tmp_path):
    merchant = _wallet("till")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wallet",
            "charge",
            "0.0003",
            "--label",
            "Lunch",
            "--no-qr",
            "--timeout",
            "40",
            "--wallet",
            merchant,
            *_server(pg),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        uri = parse_uri(_next_line(lines, lambda s: s.startswith("bitcoin:"), 30, seen), "regtest")
        _next_line(lines, lambda s: "waiting" in s, 10, seen)
        txid = pg.fund(uri.address, uri.amount_sat)
        _next_line(lines, lambda s: "] seen" in s, 10, seen)
        _next_line(lines, lambda s: "seen by 2 of 2" in s, 10, seen)  # the risk view
        pg.mine(1)
        _next_line(lines, lambda s: "] confirmed" in s, 10, seen)
        receipt = _next_line(lines, lambda s: s.startswith("receipt: "), 10, seen)[9:]
        assert proc.wait(10) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert txid[:16] in receipt

    code, out, _ = _cli(capsys, "receipt", "verify", receipt)
    assert code == 0 and "VALID" in out and "Lunch" in out

    exported = tmp_path / "again.txt"
    code, out, err = _cli(
        capsys, "receipt", "export", txid, "-o", str(exported), "--wallet", merchant
    )
    assert code == 0, err
    code, out, _ = _cli(capsys, "receipt", "verify", str(exported))
    assert code == 0 and "VALID" in out
    assert _kernel_block_has(pg, txid)


def test_charge_priced_in_fiat_locks_the_rate_into_the_receipt(pg, home, capsys):
    """``charge 35 --fiat CNY``: the rate comes from a mempool.space-shaped source (the
    playground's), is locked when the charge is made, and the receipt keeps it; ``receipt
    verify`` shows it as the merchant's stated rate, not proven."""
    merchant = _wallet("fiat till")
    pg.set_prices({"CNY": "470000", "USD": 65000})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = ["charge", "35", "--fiat", "CNY", "--rate-source", pg.esplora_url, "--no-qr"]
    argv += ["--accept-unconfirmed", "100"]  # CNY: the policy may hand over before a block
    argv += ["--timeout", "40", "--wallet", merchant, *_server(pg)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "wallet", *argv],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        uri = parse_uri(_next_line(lines, lambda s: s.startswith("bitcoin:"), 30, seen), "regtest")
        assert uri.amount_sat == 7447  # 35 / 470,000 BTC, rounded up to a whole satoshi
        price = _next_line(lines, lambda s: s.startswith("price:"), 10, seen)
        assert "35.00 CNY at 470,000.00 CNY/BTC" in price
        pg.set_prices({"CNY": "1"})  # the market moves: the charge's rate is locked already
        pg.fund(uri.address, uri.amount_sat)
        _next_line(lines, lambda s: "] seen" in s, 10, seen)
        # the faucet's payment signals RBF: the policy says to wait, and why
        _next_line(lines, lambda s: s == "decision: Wait for a block", 10, seen)
        assert "replace-by-fee" in _next_line(lines, lambda s: s.startswith("  "), 5, seen)
        pg.mine(1)
        receipt = _next_line(lines, lambda s: s.startswith("receipt: "), 15, seen)[9:]
        assert proc.wait(10) == 0, proc.stderr.read()
    finally:
        pg.set_prices(None)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    doc = json.loads(Path(receipt).read_text())
    assert doc["price"]["amount"] == "35.00" and doc["price"]["rate"] == "470000"
    assert doc["price"]["rate_source"] == pg.esplora_url
    code, out, _ = _cli(capsys, "receipt", "verify", receipt)
    assert code == 0 and "VALID" in out
    assert "35.00 CNY at 470,000.00 CNY/BTC" in out
    assert "the merchant's stated rate, not proven" in out
