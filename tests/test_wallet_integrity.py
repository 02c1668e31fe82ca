"""wallet.json is checked (issue 13, item 11): someone who can write the wallet folder and puts
another key into its descriptors must not redirect payments unnoticed. Seed wallets derive their
descriptors again at unlock; a watch-only wallet with a password carries a MAC; the GUI and the
CLI show a fingerprint of the receive descriptor. Real wallet folders, the real CLI, a real
offscreen window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from wallet.account.errors import WrongPasswordError
from wallet.account.integrity import WalletTamperedError, check_keys, receive_fingerprint
from wallet.account.keystore import ScryptParams
from wallet.account.setup import create_from_seed, create_watch_only, seed_descriptors
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.bip39 import entropy_to_mnemonic
from wallet.bitcoin.hashes import sha256

CHEAP = ScryptParams.insecure_for_tests()
PASSWORD = "integrity password"
MINE = entropy_to_mnemonic(sha256(b"integrity: the user's seed")[:16])
THEIRS = entropy_to_mnemonic(sha256(b"integrity: the attacker's seed")[:16])


def _seed_wallet(path: Path, mnemonic: str = MINE) -> Path:
    return create_from_seed(path, "regtest", mnemonic, PASSWORD, kdf=CHEAP, gap_limit=3)


def _rewrite(path: Path, **fields) -> None:
    """What an attacker with write access to the folder does: edit wallet.json in place."""
    config = path / "wallet.json"
    doc = json.loads(config.read_text())
    for key, value in fields.items():
        if key in ("receive", "change"):
            doc["descriptors"][key] = value
        else:
            doc[key] = value
    config.write_text(json.dumps(doc, indent=2))


ATTACKER = seed_descriptors(THEIRS, "", "regtest")


def _same_origin(mine: str, theirs: str) -> str:
    """The user's key origin [fingerprint/84h/1h/0h] in front of the attacker's xpub: at a
    glance it looks like the user's own descriptor."""
    origin = mine[mine.index("[") : mine.index("]") + 1]
    return "wpkh(" + origin + theirs[theirs.index("]") + 1 :].split("#")[0]


CASES = {
    "receive": lambda mine: {"receive": ATTACKER.receive},
    "receive-same-origin": lambda mine: {"receive": _same_origin(mine, ATTACKER.receive)},
    "change": lambda mine: {"change": ATTACKER.change},
    "everything": lambda mine: {
        "receive": ATTACKER.receive,
        "change": ATTACKER.change,
        "master_fingerprint": ATTACKER.master_fingerprint,
    },
    "addr": lambda mine: {"receive": "addr(bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080)"},
    "fingerprint": lambda mine: {"master_fingerprint": "00000000"},
}


@pytest.mark.parametrize("case", list(CASES))
def test_unlock_refuses_descriptors_that_are_not_the_seeds(tmp_path, case):
    path = _seed_wallet(tmp_path / "w")
    mine = json.loads((path / "wallet.json").read_text())["descriptors"]["receive"]
    _rewrite(path, **CASES[case](mine))
    with Wallet.open(path) as wallet:  # opening (balance, sync) still works: no secret needed
        with pytest.raises(WalletTamperedError, match="does not belong to this wallet") as info:
            wallet.unlock(PASSWORD)
        assert "redirect payments" in str(info.value)


def test_an_untouched_or_older_seed_wallet_unlocks(tmp_path):
    path = _seed_wallet(tmp_path / "w")
    doc = json.loads((path / "wallet.json").read_text())
    assert "mac" not in doc  # the format older versions wrote, unchanged for seed wallets
    with Wallet.open(path) as wallet:
        secret = wallet.unlock(PASSWORD)
        assert check_keys(wallet.config, secret) is True
        wallet.update_config(gap_limit=7)  # a later save keeps it valid
        assert wallet.unlock(PASSWORD) == secret


def test_a_passphrase_seed_is_checked_once_the_passphrase_is_known(tmp_path):
    path = create_from_seed(
        tmp_path / "w", "regtest", MINE, PASSWORD, passphrase="extra word", kdf=CHEAP, gap_limit=3
    )
    with Wallet.open(path) as wallet:
        secret = wallet.keystore.unlock(PASSWORD)
        assert check_keys(wallet.config, secret) is False  # not stored: cannot check yet
        assert check_keys(wallet.config, secret, passphrase="extra word") is True
        with pytest.raises(WalletTamperedError, match="master fingerprint"):
            check_keys(wallet.config, secret, passphrase="a typo")


# -- watch-only wallets with a password -------------------------------------------------------


def _cli(*argv: str, home: Path, password: str | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PAYLIGHT_PASSWORD"}
    env |= {"PYTHONPATH": str(REPO), "PAYLIGHT_HOME": str(home)}
    if password is not None:
        env["PAYLIGHT_PASSWORD"] = password
    done = subprocess.run(
        [sys.executable, "-m", "wallet.cli", *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def _xpub_descriptor(mnemonic: str) -> str:
    return seed_descriptors(mnemonic, "", "regtest").receive


def test_a_watch_only_wallet_with_a_password_refuses_a_changed_file(tmp_path):
    path = create_watch_only(
        tmp_path / "w", "regtest", _xpub_descriptor(MINE), password=PASSWORD, kdf=CHEAP
    )
    doc = json.loads((path / "wallet.json").read_text())
    assert doc["mac"]["name"] == "hmac-sha256" and len(doc["mac"]["tag"]) == 64
    with Wallet.open(path) as wallet:
        wallet.verify_config(PASSWORD)
        with pytest.raises(WrongPasswordError):
            wallet.verify_config("not the password")
        wallet.update_config(birth_height=5)  # settings outside the MAC: no password needed
        wallet.verify_config(PASSWORD)
    _rewrite(path, receive=_xpub_descriptor(THEIRS))
    with Wallet.open(path) as wallet, pytest.raises(WrongPasswordError, match="was changed"):
        wallet.verify_config(PASSWORD)
    _rewrite(path, mac=None)  # removing the MAC is a change too: the CLI no longer asks, but
    with Wallet.open(path) as wallet:  # the fingerprint differs from the one written down
        assert receive_fingerprint(wallet.config) != receive_fingerprint(
            _config_of(_xpub_descriptor(MINE))
        )


def _config_of(receive: str):
    from wallet.account.wallet_file import WalletConfig, WalletKind

    return WalletConfig("regtest", WalletKind.WATCH_ONLY, receive)


def test_cli_watch_only_password_seals_and_checks_wallet_json(tmp_path):
    home = tmp_path / "home"
    secret_file = tmp_path / "password.txt"
    secret_file.write_text(PASSWORD + "\n")
    descriptor = _xpub_descriptor(MINE)
    code, out, err = _cli(
        "restore", "--network", "regtest", "--watch", descriptor,
        "--password-file", str(secret_file), home=home,
    )  # fmt: skip
    assert code == 0, err
    fingerprint = receive_fingerprint(_config_of(descriptor))
    assert f"fingerprint:   {fingerprint}" in out
    assert _cli("balance", "--network", "regtest", home=home, password=PASSWORD)[0] == 0
    code, _, err = _cli("balance", "--network", "regtest", home=home, password="wrong")
    assert code == 1 and "password is wrong, or the wallet configuration" in err
    code, _, err = _cli("balance", "--network", "regtest", home=home)
    assert code == 1 and "a password is needed" in err
    _rewrite(home / "regtest" / "wallets" / "default", receive=_xpub_descriptor(THEIRS))
    code, _, err = _cli("request", "--network", "regtest", "--no-qr", home=home, password=PASSWORD)
    assert code == 1 and "was changed since it was sealed" in err, err


def test_cli_an_older_watch_only_wallet_opens_and_gets_a_mac_on_request(tmp_path):
    home = tmp_path / "home"
    assert (
        _cli("restore", "--network", "regtest", "--watch", _xpub_descriptor(MINE), home=home)[0]
        == 0
    )
    folder = home / "regtest" / "wallets" / "default"
    assert "mac" not in json.loads((folder / "wallet.json").read_text())  # as older versions
    assert _cli("balance", "--network", "regtest", home=home)[0] == 0  # opens, no password
    new = tmp_path / "new.txt"
    new.write_text(PASSWORD)
    code, out, err = _cli(
        "password", "--network", "regtest", "--new-password-file", str(new), home=home
    )
    assert code == 0 and "now carries a MAC" in out, err
    assert "mac" in json.loads((folder / "wallet.json").read_text())
    assert _cli("balance", "--network", "regtest", home=home, password=PASSWORD)[0] == 0
    assert _cli("balance", "--network", "regtest", home=home, password="nope")[0] == 1


# -- the fingerprint in the GUI ----------------------------------------------------------------


@pytest.mark.gui
def test_the_overview_shows_the_receive_fingerprint(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    from wallet.gui.controller import WalletController
    from wallet.gui.main_window import MainWindow

    path = _seed_wallet(tmp_path / "w")
    wallet = Wallet.open(path)
    controller = WalletController(wallet)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    try:
        expected = receive_fingerprint(wallet.config)
        assert len(expected) == 19 and expected.count(" ") == 3
        assert f"receive keys fingerprint {expected}" in window.overview.wallet_line.text()
    finally:
        controller.close()
