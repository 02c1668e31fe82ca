"""Helpers of the ``paylight psbt`` tests (no tests here): the command line run in-process,
the playground's servers as arguments, a seed wallet with its watch-only copy, and where the
kernel's chain holds a transaction."""

from __future__ import annotations

import json

from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.setup import create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.hashes import sha256
from wallet.bitcoin.networks import REGTEST
from wallet.cli import main
from wallet.playground.chain import parse_block

PASSWORD = "psbt password"
PAYEE = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"  # BIP173's regtest example


def cli_home(tmp_path, monkeypatch):
    """A Paylight home folder for the test, and the wallets' password in the environment."""
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    return tmp_path / "home"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def servers(pg) -> list[str]:
    return ["--server", f"tcp://127.0.0.1:{pg.electrum_port}", "--server", pg.esplora_url]


def kernel_height_of(pg, txid: str) -> int | None:
    with pg.lock:
        for height in range(pg.kernel.height, 0, -1):
            _header, txs = parse_block(pg.kernel.block_at(height))
            if any(t.txid_hex == txid for t, _raw in txs):
                return height
    return None


def cold_and_watch_only(capsys, name: str) -> tuple[str, str]:
    """A seed wallet and a watch-only copy of it (its descriptor, key origins included)."""
    cold = create_from_seed(
        wallet_dir(f"{name}-cold", REGTEST),
        REGTEST,
        entropy_to_mnemonic(sha256(f"psbt {name}".encode())[:16]),
        PASSWORD,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=5,
    )
    with Wallet.open(cold) as wallet:
        receive = wallet.config.receive_descriptor
    multipath = parse_descriptor(receive.split("#")[0].replace("/0/*", "/<0;1>/*"), "regtest")
    code, out, err = cli(
        capsys,
        "restore",
        "--wallet",
        f"{name}-watch",
        "--watch",
        multipath.to_string(),
        "--gap-limit",
        "5",
        "--json",
    )
    assert code == 0, err
    info = json.loads(out)
    assert info["kind"] == "watch_only"
    return str(cold), info["first_address"]
