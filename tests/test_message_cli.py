"""``paylight message sign|verify`` with a wallet's own addresses, for every script type."""

from __future__ import annotations

import json

import pytest

from wallet.account.keystore import ScryptParams
from wallet.account.paths import wallet_dir
from wallet.account.setup import ScriptChoice, create_from_seed
from wallet.account.wallet_file import Wallet
from wallet.cli import main

PASSWORD = "message password"
WORDS = "abandon " * 11 + "about"
MESSAGE = "I control this address — Paylight, 2026"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAYLIGHT_PASSWORD", PASSWORD)
    return tmp_path / "home"


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def _wallet(choice: ScriptChoice) -> tuple[str, str, str]:
    path = create_from_seed(
        wallet_dir(choice.name.lower(), "regtest"),
        "regtest",
        WORDS,
        PASSWORD,
        script=choice,
        kdf=ScryptParams.insecure_for_tests(),
        gap_limit=3,
    )
    with Wallet.open(path) as wallet:
        receive, change = (
            [a.address for a in wallet.db.addresses() if a.chain == chain][1] for chain in (0, 1)
        )
    return str(path), receive, change


FORMATS = {
    ScriptChoice.P2WPKH: ("bip322", "simple", "full", "legacy", "electrum"),
    ScriptChoice.P2TR: ("bip322", "simple", "full"),
    ScriptChoice.P2SH_P2WPKH: ("bip322", "full", "legacy", "electrum"),
    ScriptChoice.P2PKH: ("bip322", "full", "legacy", "electrum"),
}


@pytest.mark.parametrize("choice", list(ScriptChoice))
def test_sign_and_verify_every_format(choice, home, capsys):
    path, receive, change = _wallet(choice)
    for fmt in FORMATS[choice]:
        for address in (receive, change):
            code, out, err = _cli(
                capsys, "message", "sign", address, MESSAGE, "--wallet", path, "--format", fmt,
                "--json",
            )  # fmt: skip
            assert code == 0, (fmt, err)
            signature = json.loads(out)["signature"]
            code, out, err = _cli(
                capsys, "message", "verify", address, signature, MESSAGE, "--json"
            )
            assert code == 0, (fmt, out, err)
            assert json.loads(out)["verdict"] == "valid"
            code, out, _err = _cli(capsys, "message", "verify", address, signature, MESSAGE + "!")
            assert code == 1 and out.startswith("invalid"), (fmt, out)
    if choice is ScriptChoice.P2TR:
        code, _out, err = _cli(
            capsys, "message", "sign", receive, MESSAGE, "--wallet", path, "--format", "legacy"
        )
        assert code == 1 and "no Taproot" in err
    if choice is ScriptChoice.P2PKH:
        code, _out, err = _cli(
            capsys, "message", "sign", receive, MESSAGE, "--wallet", path, "--format", "simple"
        )
        assert code == 1 and "native SegWit" in err


def test_foreign_address_watch_only_and_message_sources(home, capsys, tmp_path, monkeypatch):
    path, receive, _change = _wallet(ScriptChoice.P2WPKH)
    foreign = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
    code, _out, err = _cli(capsys, "message", "sign", foreign, "x", "--wallet", path)
    assert code == 1 and "not one of this wallet's addresses" in err
    code, _out, err = _cli(capsys, "message", "sign", receive, "x", "--wallet", path)
    assert code == 0, err
    with Wallet.open(path) as wallet:
        descriptor = wallet.config.receive_descriptor
    code, _out, err = _cli(capsys, "restore", "--wallet", "watch", "--watch", descriptor)
    assert code == 0, err
    code, _out, err = _cli(capsys, "message", "sign", receive, "x", "--wallet", "watch")
    assert code == 1 and "watch-only" in err
    note = tmp_path / "note.txt"
    note.write_text(MESSAGE, encoding="utf-8")
    code, out, err = _cli(
        capsys, "message", "sign", receive, "--message-file", str(note), "--wallet", path
    )
    assert code == 0, err
    code, out, err = _cli(capsys, "message", "verify", receive, out.strip(), MESSAGE)
    assert code == 0 and out.strip() == "valid"
    code, _out, err = _cli(capsys, "message", "verify", receive, "smp!!!", MESSAGE)
    assert code == 1
    code, _out, err = _cli(capsys, "message", "verify", "nonsense", "smpAA==", MESSAGE)
    assert code == 1 and "invalid address" in err
