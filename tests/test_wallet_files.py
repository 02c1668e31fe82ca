"""Wallet folders: data directories, layout, creation, the single-instance lock between real
processes, and recovery after a crash during a password change."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from mnemonic import Mnemonic

from wallet.account import paths
from wallet.account.database import Chain
from wallet.account.errors import (
    KeystoreError,
    WalletExistsError,
    WalletFileError,
    WalletLockedError,
    WrongPasswordError,
)
from wallet.account.keystore import KeystoreSecret, ScryptParams
from wallet.account.wallet_file import (
    CONFIG_FILE,
    KEYSTORE_FILE,
    Wallet,
    WalletConfig,
    WalletKind,
    contains_private_key,
)
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.errors import PaylightError

REPO = Path(__file__).resolve().parents[1]
CHEAP = ScryptParams.insecure_for_tests()
MNEMONIC = Mnemonic("english").to_mnemonic(bytes(range(16)))
# BIP84's account-0 key for "abandon … about", as an xpub with its key origin.
ACCOUNT = (
    "[73c5da0a/84'/0'/0']xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3r"
    "APshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V"
)
RECEIVE = f"wpkh({ACCOUNT}/0/*)"
CHANGE = f"wpkh({ACCOUNT}/1/*)"
XPRV = (
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRN"
    "NU3TGtRBeJgk33yuGBxrMPHi"
)


def config(kind: WalletKind = WalletKind.MNEMONIC, network: str = "regtest") -> WalletConfig:
    return WalletConfig(network, kind, RECEIVE, CHANGE, master_fingerprint="73c5da0a")


def new_wallet(path: Path, password: str = "old password") -> Wallet:
    secret = KeystoreSecret.from_mnemonic(MNEMONIC, "TREZOR")
    return Wallet.create(path, config(), secret=secret, password=password, kdf=CHEAP)


def python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], kill: bool = False) -> tuple[str, str]:
    if kill:
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    return out, err


# -- data directories -------------------------------------------------------------------------


def test_paylight_home_overrides_the_platform_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "portable"))
    assert paths.data_dir() == tmp_path / "portable"
    assert paths.config_dir() == tmp_path / "portable" / "config"
    assert paths.network_dir("testnet") == tmp_path / "portable" / "testnet3"  # alias resolved
    assert paths.wallet_dir("Market stall", "regtest") == (
        tmp_path / "portable" / "regtest" / "wallets" / "Market stall"
    )
    assert paths.list_wallets("regtest") == []
    new_wallet(paths.wallet_dir("Market stall", "regtest")).close()
    assert paths.list_wallets("regtest") == ["Market stall"]
    assert paths.list_wallets("mainnet") == []


def test_platform_dir_without_override(monkeypatch):
    monkeypatch.delenv("PAYLIGHT_HOME", raising=False)
    expected = Path(platformdirs.user_data_dir("Paylight", appauthor=False, roaming=True))
    assert paths.data_dir() == expected and expected.is_absolute()
    assert paths.network_dir("mainnet") == expected / "mainnet"


@pytest.mark.parametrize(
    "name", ["", " ", "../evil", "a/b", "a\\b", ".hidden", "trailing.", "con", "NUL.txt", "x" * 65]
)
def test_bad_wallet_names_are_refused(name):
    with pytest.raises(WalletFileError, match="cannot be a wallet name"):
        paths.wallet_dir(name, "mainnet")


# -- creating and opening ---------------------------------------------------------------------


def test_create_lays_out_the_folder(tmp_path):
    path = tmp_path / "wallets" / "shop"
    with new_wallet(path) as wallet:
        assert sorted(
            p.name for p in path.iterdir() if not p.name.startswith("wallet.sqlite-")
        ) == [
            "keystore.json",
            "wallet.json",
            "wallet.lock",
            "wallet.sqlite",
        ]
        assert wallet.config.created_at > 0 and wallet.config.network == "regtest"
        secret = wallet.unlock("old password")
        assert secret.value == MNEMONIC and secret.passphrase_used and secret.passphrase is None
        assert int((path / "wallet.lock").read_text()) == os.getpid()
    assert sorted(p.name for p in path.parent.iterdir()) == ["shop"]  # no staging left over
    public = (path / CONFIG_FILE).read_text()
    assert RECEIVE in public and CHANGE in public
    for text in (public, (path / KEYSTORE_FILE).read_text()):
        assert MNEMONIC.split()[0] + " " not in text and "TREZOR" not in text
    if os.name == "posix":
        assert path.parent.stat().st_mode & 0o777 == 0o700


def test_reopen_keeps_config_and_data(tmp_path):
    path = tmp_path / "w"
    with new_wallet(path) as wallet:
        wallet.db.add_address(Chain.RECEIVE, 0, "bcrt1q-example", b"\x00\x14" + b"\x07" * 20)
        wallet.update_config(gap_limit=50, birth_height=120)
        with pytest.raises(WalletFileError, match="cannot change"):
            wallet.update_config(network="mainnet")
    with Wallet.open(path, network="regtest") as wallet:
        assert wallet.config.gap_limit == 50 and wallet.config.birth_height == 120
        assert wallet.config.master_fingerprint == "73c5da0a"
        assert [a.address for a in wallet.db.addresses()] == ["bcrt1q-example"]
    assert json.loads((path / CONFIG_FILE).read_text())["gap_limit"] == 50


def test_watch_only_wallet_has_no_keystore(tmp_path):
    path = tmp_path / "watch"
    with Wallet.create(path, config(WalletKind.WATCH_ONLY)) as wallet:
        assert wallet.is_watch_only and not (path / KEYSTORE_FILE).exists()
        with pytest.raises(KeystoreError, match="watch-only"):
            wallet.unlock("anything")
    with pytest.raises(WalletFileError, match="no secret"):
        Wallet.create(
            tmp_path / "w2",
            config(WalletKind.WATCH_ONLY),
            secret=KeystoreSecret.from_mnemonic(MNEMONIC),
            password="pw",
        )
    assert not (tmp_path / "w2").exists()


def test_xprv_wallet(tmp_path):
    # unlock derives the descriptors' keys from the xprv again: they must be its own
    master = ExtendedKey.parse(XPRV)
    key = f"[{master.fingerprint.hex()}/84h/0h/0h]{master.derive_path('m/84h/0h/0h').neuter()}"
    own = WalletConfig("mainnet", WalletKind.XPRV, f"wpkh({key}/0/*)", f"wpkh({key}/1/*)")
    with Wallet.create(
        tmp_path / "x",
        own,
        secret=KeystoreSecret.from_xprv(XPRV),
        password="pw",
        kdf=CHEAP,
    ) as wallet:
        assert wallet.unlock("pw").value == XPRV
    with pytest.raises(WalletFileError, match="needs its xprv"):
        Wallet.create(
            tmp_path / "y",
            config(WalletKind.XPRV),
            secret=KeystoreSecret.from_mnemonic(MNEMONIC),
            password="pw",
            kdf=CHEAP,
        )
    with pytest.raises(KeystoreError, match="password"):
        Wallet.create(tmp_path / "z", config(), secret=KeystoreSecret.from_mnemonic(MNEMONIC))


def test_private_keys_never_go_in_the_public_config():
    wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
    for descriptor in (
        f"wpkh({XPRV}/84h/0h/0h/0/*)",
        f"wpkh({wif})",
        f"tr({XPRV.replace('x', 't', 1)})",
    ):
        assert contains_private_key(descriptor)
        with pytest.raises(WalletFileError, match="private key"):
            WalletConfig("mainnet", WalletKind.WATCH_ONLY, descriptor)
    pubkey = "03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd"
    for descriptor in (
        RECEIVE,
        CHANGE,
        f"wpkh({pubkey})",
        "addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2)",
    ):
        assert not contains_private_key(descriptor)


def test_create_refuses_an_existing_path(tmp_path):
    path = tmp_path / "w"
    path.mkdir()
    (path / "notes.txt").write_text("mine")
    with pytest.raises(WalletExistsError):
        new_wallet(path)
    assert [p.name for p in path.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]


def test_open_errors_are_sentences(tmp_path):
    with pytest.raises(WalletFileError, match="no Paylight wallet"):
        Wallet.open(tmp_path / "nothing")
    path = tmp_path / "w"
    new_wallet(path).close()
    with pytest.raises(WalletFileError, match="for regtest, not mainnet"):
        Wallet.open(path, network="mainnet")
    Wallet.open(path).close()  # the refused opens released the lock
    (path / KEYSTORE_FILE).rename(tmp_path / "moved.json")
    with pytest.raises(WalletFileError, match=r"keystore .* is missing"):
        Wallet.open(path)
    (tmp_path / "moved.json").rename(path / KEYSTORE_FILE)
    good = (path / CONFIG_FILE).read_bytes()
    (path / CONFIG_FILE).write_bytes(good[: len(good) // 2])
    with pytest.raises(WalletFileError, match="damaged"):
        Wallet.open(path)
    (path / CONFIG_FILE).write_bytes(good.replace(b'"version": 1', b'"version": 7'))
    with pytest.raises(WalletFileError, match="newer Paylight"):
        Wallet.open(path)


# -- the lock ---------------------------------------------------------------------------------


def test_second_open_in_the_same_process_is_refused(tmp_path):
    path = tmp_path / "w"
    wallet = new_wallet(path)
    with pytest.raises(WalletLockedError) as info:
        Wallet.open(path)
    assert info.value.pid == os.getpid() and isinstance(info.value, PaylightError)
    assert f"this wallet is open in another Paylight window (pid {os.getpid()})" in str(info.value)
    wallet.close()
    wallet.close()  # idempotent
    Wallet.open(path).close()


_HOLD = r"""
import sys
from wallet.account.wallet_file import Wallet
wallet = Wallet.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
"""

_TRY_OPEN = r"""
import sys
from wallet.account.wallet_file import Wallet
from wallet.errors import PaylightError
try:
    Wallet.open(sys.argv[1]).close()
except PaylightError as exc:
    print(f"paylight: error: {exc}")
    sys.exit(1)
print("opened")
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_two_processes_cannot_open_the_same_wallet(tmp_path):
    path = tmp_path / "w"
    new_wallet(path).close()
    holder = python(_HOLD, str(path))
    assert holder.stdout.readline() == "open\n", holder.stderr.read()
    with pytest.raises(WalletLockedError) as info:
        Wallet.open(path)
    assert info.value.pid == holder.pid
    assert f"this wallet is open in another Paylight window (pid {holder.pid})" in str(info.value)
    # The OS drops the lock when the holder dies, even by SIGKILL: no stale lock to clear.
    finish(holder, kill=True)
    with Wallet.open(path) as wallet:
        # And the other way round: while we hold it, another process is told who has it.
        out, _ = finish(python(_TRY_OPEN, str(path)))
        assert out.strip() == (
            f"paylight: error: this wallet is open in another Paylight window (pid {os.getpid()})"
            f"; close it there first ({path})."
        )
        assert wallet.db.integrity_check() == "ok"
    out, _ = finish(python(_TRY_OPEN, str(path)))
    assert out.strip() == "opened"


_CHANGE_THEN_DIE = r"""
import os, signal, sys
from wallet.account.wallet_file import Wallet
wallet = Wallet.open(sys.argv[1])

def hook(event, args):
    if event == "os.rename" and str(args[1]).endswith("keystore.json"):
        os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(hook)
wallet.change_password("old password", "new password")
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_crash_during_password_change_then_reopen(tmp_path):
    path = tmp_path / "w"
    new_wallet(path).close()
    keystore_before = (path / KEYSTORE_FILE).read_bytes()
    proc = python(_CHANGE_THEN_DIE, str(path))
    finish(proc)
    assert proc.returncode == -signal.SIGKILL
    assert any(p.name.startswith(".keystore.json.") for p in path.iterdir())
    with Wallet.open(path) as wallet:  # the dead process's lock is gone; its temp file too
        assert not any(p.name.startswith(".keystore.json.") for p in path.iterdir())
        assert (path / KEYSTORE_FILE).read_bytes() == keystore_before
        assert wallet.unlock("old password").value == MNEMONIC
        with pytest.raises(WrongPasswordError):
            wallet.unlock("new password")
        wallet.change_password("old password", "new password")
        assert wallet.unlock("new password").value == MNEMONIC


_CREATE_FAILS_AT_RENAME = r"""
import sys
from wallet.account.keystore import KeystoreSecret, ScryptParams
from wallet.account.wallet_file import Wallet, WalletConfig, WalletKind
from wallet.errors import PaylightError
target = sys.argv[1]

def hook(event, args):
    if event == "os.rename" and str(args[1]) == target:
        raise OSError(28, "No space left on device")

sys.addaudithook(hook)
config = WalletConfig("regtest", WalletKind.MNEMONIC, "wpkh(xpubexample/0/*)")
try:
    Wallet.create(target, config, secret=KeystoreSecret.from_mnemonic("words"), password="pw",
                  kdf=ScryptParams.insecure_for_tests())
except PaylightError as exc:
    print(type(exc).__name__, exc)
"""


def test_a_failed_creation_leaves_nothing_behind(tmp_path):
    target = tmp_path / "w"
    out, err = finish(python(_CREATE_FAILS_AT_RENAME, str(target)))
    assert out.startswith("WalletFileError Could not create the wallet"), err
    assert list(tmp_path.iterdir()) == []


# -- the shared atomic-write helper -----------------------------------------------------------


def test_atomic_write(tmp_path):
    from wallet.account.atomic import atomic_write

    target = tmp_path / "state.json"
    atomic_write(target, b"one", overwrite=False)
    with pytest.raises(FileExistsError):
        atomic_write(target, b"two", overwrite=False)
    assert target.read_bytes() == b"one"
    atomic_write(target, b"three", mode=0o644)
    assert target.read_bytes() == b"three"
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o644
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "no such dir" / "x", b"")
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporaries left
