"""``paylight receipt verify`` and ``paylight receipt show`` on a real mainnet receipt (block
830,000) and real mainnet headers: a header store folder, a raw headers file, the wallet's own
store under ``$PAYLIGHT_HOME``; and a receipt QR code written and read back from the PNG."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from tests.conftest import REPO, shared_path
from wallet.bitcoin.transaction import Transaction
from wallet.cli import main
from wallet.payments.receipt import Receipt, make_receipt, receipt_qr_text
from wallet.spv.checkpoints import checkpoint_at
from wallet.spv.merkle import CoinbaseProof, ElectrumProof
from wallet.spv.store import HeaderStore

RUN = "data/headers/mainnet/mainnet_headers_0822527_0830592.bin"


@pytest.fixture(scope="module")
def receipt() -> Receipt:
    path = "data/merkle_proofs/derived/electrum_style_merkle_branches_from_real_blocks.json"
    rows = json.loads(shared_path(path).read_text())
    row = next(r for r in rows if r["block_height"] == 830_000 and r["electrum_get_merkle"]["pos"])
    tx = Transaction.from_hex(row["tx_hex"])
    proof = ElectrumProof.from_json(row["electrum_get_merkle"])
    first = next(
        r for r in rows if r["block_height"] == 830_000 and not r["electrum_get_merkle"]["pos"]
    )
    return make_receipt(
        tx,
        network="mainnet",
        height=proof.block_height,
        header=bytes.fromhex(row["header_hex"]),
        position=proof.pos,
        branch=proof.branch,
        output_index=0,
        label="Invoice 42",
        coinbase=CoinbaseProof(
            bytes.fromhex(first["txid"])[::-1],
            ElectrumProof.from_json(first["electrum_get_merkle"]).branch,
        ),
    )


def _store_dir(path):
    run = shared_path(RUN).read_bytes()
    with HeaderStore(path, "mainnet", checkpoint=checkpoint_at("mainnet", 824_543)) as store:
        store.add_headers(run[(824_544 - 822_527) * 80 :])
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return _store_dir(tmp_path_factory.mktemp("store"))


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_against_a_store_folder_in_both_forms(receipt, store_dir, tmp_path, capsys):
    as_json = tmp_path / "receipt.json"
    as_json.write_text(receipt.to_json_text())
    as_text = tmp_path / "receipt.txt"
    as_text.write_text(receipt.to_text() + "\n")
    for path in (as_json, as_text):
        code, out, _ = _cli(capsys, "receipt", "verify", str(path), "--headers", str(store_dir))
        assert code == 0, out
        assert "VALID: confirmed in block 830,000, 593 confirmations" in out
        assert receipt.address in out
    code, out, _ = _cli(
        capsys, "receipt", "verify", str(as_json), "--headers", str(store_dir), "--json"
    )
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True and doc["confirmations"] == 593
    assert doc["txid"] == receipt.txid[::-1].hex() and doc["label"] == "Invoice 42"


def test_verify_against_a_raw_headers_file(receipt, tmp_path, capsys):
    path = tmp_path / "receipt.txt"
    path.write_text(receipt.to_text())
    run = str(shared_path(RUN))
    code, out, _ = _cli(
        capsys, "receipt", "verify", str(path), "--headers", run, "--start-height", "822527"
    )
    assert code == 0 and "593 confirmations" in out
    code, _, err = _cli(capsys, "receipt", "verify", str(path), "--headers", run)
    assert code == 1 and "does not start with mainnet's genesis header" in err


def test_a_changed_receipt_fails_with_the_reason(receipt, store_dir, tmp_path, capsys):
    doc = receipt.to_json()
    doc["output"]["amount_sat"] += 1
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(doc))
    code, out, _ = _cli(capsys, "receipt", "verify", str(path), "--headers", str(store_dir))
    assert code == 1
    assert "NOT VALID: output 0 of the transaction pays" in out and "receipt claims" in out
    path.write_text("hello")
    code, _, err = _cli(capsys, "receipt", "verify", str(path), "--headers", str(store_dir))
    assert code == 1 and err.startswith("paylight: error: this is not a receipt")


def test_an_old_receipt_without_a_coinbase_proof_is_depth_not_proven(
    receipt, store_dir, tmp_path, capsys
):
    """A version 1 receipt passes every check it can, but nothing proves its branch has the
    block's depth (CVE-2017-12842): the verdict says so and is not VALID (exit code 1)."""
    old = replace(receipt, coinbase_txid=None, coinbase_branch=None)
    doc = old.to_json()
    assert doc["version"] == 1 and "coinbase" not in doc["block"]
    for text in (json.dumps(doc), old.to_text()):
        path = tmp_path / "old-receipt"
        path.write_text(text)
        code, out, _ = _cli(capsys, "receipt", "verify", str(path), "--headers", str(store_dir))
        assert code == 1, out
        assert "DEPTH NOT PROVEN (not valid): depth not proven: this is a version 1 receipt" in out
        assert "VALID: confirmed" not in out
        code, out, _ = _cli(
            capsys, "receipt", "verify", str(path), "--headers", str(store_dir), "--json"
        )
        verdict = json.loads(out)
        assert code == 1 and verdict["ok"] is False
        assert verdict["outcome"] == "depth not proven" and verdict["failed_check"] == "depth"


def test_the_wallets_own_header_store_and_the_network(receipt, tmp_path, capsys, monkeypatch):
    path = tmp_path / "receipt.json"
    path.write_text(receipt.to_json_text())
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    code, _, err = _cli(capsys, "receipt", "verify", str(path))
    assert code == 1 and "there is no mainnet header store" in err
    _store_dir(tmp_path / "home" / "mainnet" / "headers")
    code, out, _ = _cli(capsys, "receipt", "verify", str(path))
    assert code == 0 and "VALID" in out
    code, _, err = _cli(capsys, "receipt", "verify", str(path), "--network", "testnet4")
    assert code == 1 and "is a mainnet receipt, not testnet4" in err


def test_show_prints_converts_and_draws(receipt, tmp_path, capsys):
    path = tmp_path / "receipt.json"
    path.write_text(receipt.to_json_text())
    code, out, _ = _cli(capsys, "receipt", "show", str(path))
    assert code == 0 and receipt.address in out and "not verified" in out
    assert "Invoice 42 (the payee's note, not covered by the proof)" in out
    code, out, _ = _cli(capsys, "receipt", "show", str(path), "--text")
    assert out.strip() == receipt.to_text()
    text_path = tmp_path / "receipt.txt"
    text_path.write_text(out)
    code, out, _ = _cli(capsys, "receipt", "show", str(text_path), "--json")
    converted = Receipt.from_json(out)
    assert converted.to_json() == Receipt.from_text(receipt.to_text()).to_json()
    assert converted.label is None  # the text form carries no notes
    png = tmp_path / "receipt.png"
    code, out, _ = _cli(capsys, "receipt", "show", str(path), "--qr", str(png), "--json")
    assert code == 0 and "QR version" in out
    from wallet.payments.qr_decode import decode_file

    found = decode_file(png)
    assert [f.text for f in found] == [receipt_qr_text(receipt)]
    assert Receipt.from_text(found[0].text) == Receipt.from_text(receipt.to_text())


def test_the_installed_command_runs(receipt, store_dir, tmp_path):
    path = tmp_path / "receipt.txt"
    path.write_text(receipt.to_text())
    result = subprocess.run(
        [sys.executable, "-m", "wallet", "receipt", "verify", str(path), "--headers", store_dir],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "VALID: confirmed in block 830,000" in result.stdout
