"""``paylight addresses`` run as a real subprocess, checked against the BIP84 text's addresses."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO, shared_path
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.descriptors import add_checksum


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wallet", "addresses", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _bip84_descriptor(branch: str = "0") -> tuple[str, list[dict]]:
    data = json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())
    bip84 = data["bip84"]
    fp = ExtendedKey.from_seed(mnemonic_to_seed(bip84["mnemonic"])).fingerprint.hex()
    account = ExtendedKey.parse(bip84["entries"][1]["xpub"])  # a zpub; descriptors use xpub
    body = f"wpkh([{fp}/84'/0'/0']{account.serialize('xpub')}/{branch}/*)"
    return add_checksum(body), bip84["entries"]


def test_json_addresses_match_bip84():
    descriptor, entries = _bip84_descriptor()
    result = _run("--descriptor", descriptor, "--count", "3", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["index"] for r in rows] == [0, 1, 2]
    expected = {e["path"]: e["address"] for e in entries if "address" in e}
    for row in rows[:2]:
        assert row["address"] == expected[row["path"]]
        assert row["script_pubkey"].startswith("0014")
    assert rows[2]["path"] == "m/84'/0'/0'/0/2"


def test_text_output_multipath_and_start():
    descriptor, entries = _bip84_descriptor("<0;1>")
    result = _run("--descriptor", descriptor, "--count", "1", "--start", "0")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    change = next(e for e in entries if e.get("path") == "m/84'/0'/0'/1/0")
    assert lines[0].split()[:3] == ["receive", "0", entries[2]["address"]]
    assert lines[1].split()[:3] == ["change", "0", change["address"]]
    result = _run("--descriptor", _bip84_descriptor()[0], "--count", "1", "--start", "1")
    assert result.stdout.split()[:2] == ["1", entries[3]["address"]]


def test_wrong_checksum_is_one_line_on_stderr():
    descriptor, _ = _bip84_descriptor()
    body, checksum = descriptor.split("#")
    wrong = body + "#" + ("q" if checksum[0] != "q" else "p") + checksum[1:]
    result = _run("--descriptor", wrong, "--count", "3", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "checksum" in lines[0] and lines[0].startswith("paylight: error:")


def test_network_mismatch_is_refused():
    descriptor, _ = _bip84_descriptor()
    result = _run("--descriptor", descriptor, "--count", "1", "--network", "testnet4")
    assert result.returncode == 1
    assert "mainnet" in result.stderr and "testnet4" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_private_descriptor_prints_no_private_material():
    data = json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())
    bip86 = data["bip86"]["entries"]
    root_xprv = bip86[0]["rootpriv"]
    result = _run("--descriptor", f"tr({root_xprv}/86h/0h/0h/0/*)", "--count", "2", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["address"] for r in rows] == [bip86[2]["address"], bip86[3]["address"]]
    assert "prv" not in result.stdout and root_xprv[4:20] not in result.stdout
