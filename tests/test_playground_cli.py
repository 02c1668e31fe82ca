"""``paylight playground`` in a real subprocess: endpoints printed, console commands, clean exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.playground_fixture import TestKey, read_json

REPO = Path(__file__).resolve().parents[1]


def test_runs_in_the_foreground_and_takes_commands(tmp_path):
    key = TestKey()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wallet",
            "playground",
            "--datadir",
            str(tmp_path / "pg"),
            "--electrum-port",
            "0",
            "--esplora-port",
            "0",
            "--p2p-port",
            "0",
            "--core-port",
            "0",
            "--json",
            "--exit-on-eof",
            "--fund",
            f"{key.address}:12345",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = read_json(proc.stdout)
        assert info["network"] == "regtest" and info["height"] == 102  # 101 + the funding block
        url = info["esplora"]
        assert len(info["p2p"]) == 3 and len(set(info["p2p"])) == 3
        # Bitcoin Core's JSON-RPC where it says, with the cookie it names
        user, password = Path(info["core_cookie"]).read_text().strip().split(":", 1)
        answer = httpx.post(
            info["core"], auth=(user, password),
            json={"jsonrpc": "1.0", "id": 1, "method": "getblockcount", "params": []},
        ).json()  # fmt: skip
        assert answer["result"] == 102 and answer["error"] is None
        assert httpx.get(f"{url}/blocks/tip/height").text == "102"
        utxo = httpx.get(f"{url}/address/{key.address}/utxo").json()
        assert [u["value"] for u in utxo] == [12345]
        proc.stdin.write("mine 2\n")
        proc.stdin.flush()
        mined = read_json(proc.stdout)
        assert mined["height"] == 104 and len(mined["blocks"]) == 2
        assert httpx.get(f"{url}/blocks/tip/hash").text == mined["blocks"][-1]
        proc.stdin.write("reorg nonsense\nquit\n")
        proc.stdin.flush()
        assert proc.wait(30) == 0
        assert "paylight: error:" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        proc.stdin.close()
    assert (tmp_path / "pg" / "chain" / "blocks").is_dir()  # the chain stays for next time


def test_usage_errors_are_one_sentence(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "wallet", "playground", "--temp", "--fund", "nonsense"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("paylight: error: --fund takes ADDRESS:SATS")


def test_default_ports_are_regtest_conventions():
    from wallet.bitcoin.networks import REGTEST
    from wallet.commands import playground as command

    assert REGTEST.electrum_tcp_port == command.REGTEST_ELECTRUM_PORT
    assert REGTEST.electrum_tls_port == command.REGTEST_TLS_PORT
    assert REGTEST.default_p2p_port == command.REGTEST_P2P_PORT
    from wallet.core.node import DEFAULT_RPC_PORTS

    assert DEFAULT_RPC_PORTS["regtest"] == command.REGTEST_CORE_PORT


def test_other_networks_are_refused():
    result = subprocess.run(
        [sys.executable, "-m", "wallet", "playground", "--temp", "--network", "signet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "regtest" in result.stderr
