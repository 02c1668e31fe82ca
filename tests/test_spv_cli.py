"""``paylight headers verify`` in a subprocess, on the real mainnet file and mutated copies."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO, shared_path

TIP_10236 = "000000004f74d42205b9d7ae1cb5c1591e723894a71358fce73b7e0919628161"


def paylight(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wallet", "headers", "verify", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_real_mainnet_file_verifies() -> None:
    path = shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin")
    proc = paylight(str(path), "--network", "mainnet")
    assert proc.returncode == 0, proc.stderr
    assert "10237 of 10237 mainnet headers valid" in proc.stdout
    assert TIP_10236 in proc.stdout and "0x27fd27fd27fd" in proc.stdout
    proc = paylight(str(path), "--json")
    data = json.loads(proc.stdout)
    assert data["valid"] == 10237 and data["tip_height"] == 10236
    assert data["tip_hash"] == TIP_10236 and data["first_invalid"] is None
    assert int(data["total_work"], 16) == 10237 * 0x100010001


def test_mutated_copy_names_the_height_and_rule(tmp_path) -> None:
    raw = bytearray(
        shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin").read_bytes()
    )
    raw[80 * 4321 + 70] ^= 0x10  # the timestamp of block 4321
    bad = tmp_path / "mutated.bin"
    bad.write_bytes(bytes(raw))
    proc = paylight(str(bad), "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["valid"] == 4321 and data["tip_height"] == 4320
    assert data["first_invalid"]["height"] == 4321
    assert data["first_invalid"]["rule"] == "high-hash"
    text = paylight(str(bad)).stdout
    assert "first invalid: height 4321, rule high-hash" in text
    # a dropped header breaks the link at that height
    cut = tmp_path / "gap.bin"
    cut.write_bytes(bytes(raw[: 80 * 100] + raw[80 * 101 :]))
    data = json.loads(paylight(str(cut), "--json").stdout)
    assert data["first_invalid"]["rule"] == "prev-blk-not-found"
    assert data["first_invalid"]["height"] == 100


def test_start_height_uses_the_checkpoint_context(tmp_path) -> None:
    run = shared_path("data/headers/mainnet/mainnet_headers_0150001_0340000.bin").read_bytes()
    part = tmp_path / "from151200.bin"
    part.write_bytes(run[(151200 - 150001) * 80 : (161280 - 150001) * 80])  # 5 retargets
    proc = paylight(str(part), "--start-height", "151200", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["valid"] == 10080 and data["tip_height"] == 161279
    # the wrong start height: the first header does not link to the checkpoint
    proc = paylight(str(part), "--start-height", "153216", "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["first_invalid"]["height"] == 153216
    # no checkpoint context there
    proc = paylight(str(part), "--start-height", "150001")
    assert proc.returncode == 1 and "no checkpoint at height 150000" in proc.stderr


def test_wrong_network_and_unreadable_files(tmp_path) -> None:
    path = shared_path("data/headers/mainnet/mainnet_headers_0000000_0010236.bin")
    proc = paylight(str(path), "--network", "testnet3", "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["first_invalid"]["rule"] == "bad-genesis"
    odd = tmp_path / "odd.bin"
    odd.write_bytes(b"\0" * 81)
    proc = paylight(str(odd))
    assert proc.returncode == 1 and "not a whole number of 80-byte headers" in proc.stderr
    proc = paylight(str(tmp_path / "missing.bin"))
    assert proc.returncode == 1 and "cannot read" in proc.stderr


def test_hex_files_are_read_too() -> None:
    path = shared_path("data/headers/testnet3/veriblock_btc_blockheaders_testnet_0_10000.txt")
    proc = paylight(str(path), "--network", "testnet3")
    assert proc.returncode == 0, proc.stderr
    assert "10000 of 10000 testnet3 headers valid" in proc.stdout
