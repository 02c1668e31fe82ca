"""Making wallets (wallet/account/setup.py) against the official BIP44/49/84/86 and BIP39 vectors.

A restored wallet's stored addresses must be the ones the BIP texts list; a wrong password must
be refused with a clear error and leave every byte of the wallet folder as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import shared_path
from wallet.account.database import Chain
from wallet.account.errors import WalletExistsError, WrongPasswordError
from wallet.account.keystore import ScryptParams, SecretKind
from wallet.account.setup import (
    ScriptChoice,
    create_from_seed,
    create_watch_only,
    new_seed,
    parse_script_choice,
)
from wallet.account.wallet_file import KEYSTORE_FILE, Wallet, WalletKind
from wallet.bitcoin.address import p2pkh_address
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import validate_mnemonic
from wallet.bitcoin.errors import DescriptorError, KeyDerivationError, MnemonicError
from wallet.bitcoin.networks import MAINNET, REGTEST, TESTNET3

FAST = ScryptParams.insecure_for_tests()
PASSWORD = "correct horse battery staple"


def _bip84_86() -> dict:
    path = shared_path("vectors", "extracted", "bip84_bip86_test_vectors.json")
    return json.loads(path.read_text())


def _addresses(path: Path, chain: Chain) -> list[str]:
    with Wallet.open(path) as wallet:
        return [a.address for a in wallet.db.addresses(chain)]


def _entry(entries: list[dict], path: str) -> dict:
    return next(e for e in entries if e["path"] == path)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    ("bip", "script", "purpose"),
    [("bip84", ScriptChoice.P2WPKH, 84), ("bip86", ScriptChoice.P2TR, 86)],
)
def test_restore_matches_bip84_and_bip86_vectors(tmp_path, bip, script, purpose):
    vector = _bip84_86()[bip]
    entries = vector["entries"]
    path = create_from_seed(
        tmp_path / "w", MAINNET, vector["mnemonic"], PASSWORD, script=script, kdf=FAST
    )
    receive = _addresses(path, Chain.RECEIVE)
    change = _addresses(path, Chain.CHANGE)
    assert receive[0] == _entry(entries, f"m/{purpose}'/0'/0'/0/0")["address"]
    assert receive[1] == _entry(entries, f"m/{purpose}'/0'/0'/0/1")["address"]
    assert change[0] == _entry(entries, f"m/{purpose}'/0'/0'/1/0")["address"]
    # The first gap-limit addresses of each chain are stored at creation.
    assert len(receive) == len(change) == 20
    # The account key in the descriptor is the vector's account xpub (zpub/xpub re-encoded).
    account = ExtendedKey.parse(_entry(entries, f"m/{purpose}'/0'/0'")["xpub"])
    with Wallet.open(path) as wallet:
        assert account.serialize("xpub") in wallet.config.receive_descriptor
        assert f"/{purpose}'/0'/0']" in wallet.config.receive_descriptor
        assert wallet.config.kind is WalletKind.MNEMONIC
        assert wallet.unlock(PASSWORD).value == vector["mnemonic"]


def _bip49_vector() -> dict[str, str]:
    text = shared_path("vectors", "bips_spec", "bip-0049.mediawiki").read_text()
    vector = text.split("==Test vectors==", 1)[1]

    def field(name: str) -> str:
        match = re.search(rf"{name}\s*=\s*(.+?)(?:\s*\(testnet\))?\s*$", vector, re.M)
        assert match, name
        return match.group(1).strip()

    return {
        "mnemonic": field("masterseedWords"),
        "account_xpub": field("account0Xpub"),
        "pubkey": field("account0recvPublicKeyHex").removeprefix("0x"),
        "address": field(r"address = base58check\(prefix \| addressBytes\)"),
    }


def test_restore_matches_bip49_vector(tmp_path):
    vector = _bip49_vector()
    assert vector["address"] == "2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2"  # the parse read the text
    path = create_from_seed(
        tmp_path / "w",
        TESTNET3,
        vector["mnemonic"],
        PASSWORD,
        script=parse_script_choice("p2sh-p2wpkh"),
        kdf=FAST,
    )
    assert _addresses(path, Chain.RECEIVE)[0] == vector["address"]
    account = ExtendedKey.parse(vector["account_xpub"])  # an upub: SLIP-132 testnet P2SH-P2WPKH
    with Wallet.open(path) as wallet:
        descriptor = wallet.config.receive_descriptor
    assert descriptor.startswith("sh(wpkh([")
    assert account.serialize("tpub") in descriptor
    assert account.derive_path("m/0/0").public_key.hex() == vector["pubkey"]


def test_restore_bip44_against_bip39_vectors_with_passphrase(tmp_path):
    """BIP44 has no vector of its own: the BIP39 vectors give the root key for a seed and the
    passphrase "TREZOR"; the wallet's P2PKH addresses must come from m/44'/0'/account'."""
    vectors = json.loads(
        shared_path("vectors", "bip39", "trezor_python-mnemonic_vectors.json").read_text()
    )["english"]
    for n, (_entropy, mnemonic, _seed, xprv) in enumerate(vectors[::8]):
        root = ExtendedKey.parse(xprv)
        account = n % 2
        path = create_from_seed(
            tmp_path / f"w{n}",
            MAINNET,
            mnemonic,
            PASSWORD,
            passphrase="TREZOR",
            script=ScriptChoice.P2PKH,
            account=account,
            kdf=FAST,
        )
        expected = [
            p2pkh_address(root.derive_path(f"m/44'/0'/{account}'/{c}/{i}").public_key, "mainnet")
            for c, i in ((0, 0), (0, 1), (1, 0))
        ]
        receive, change = _addresses(path, Chain.RECEIVE), _addresses(path, Chain.CHANGE)
        assert [receive[0], receive[1], change[0]] == expected
        with Wallet.open(path) as wallet:
            assert wallet.config.master_fingerprint == root.fingerprint.hex()
            secret = wallet.unlock(PASSWORD)
        # The passphrase is a second factor: used, not stored.
        assert secret.kind is SecretKind.MNEMONIC and secret.passphrase_used
        assert secret.passphrase is None


def test_watch_only_from_zpub_and_descriptor(tmp_path):
    entries = _bip84_86()["bip84"]["entries"]
    zpub = _entry(entries, "m/84'/0'/0'")["xpub"]
    assert zpub.startswith("zpub")
    # The SLIP-132 prefix picks P2WPKH even though P2PKH is the script asked for.
    path = create_watch_only(tmp_path / "z", MAINNET, zpub, script=ScriptChoice.P2PKH)
    assert _addresses(path, Chain.RECEIVE)[:2] == [
        _entry(entries, "m/84'/0'/0'/0/0")["address"],
        _entry(entries, "m/84'/0'/0'/0/1")["address"],
    ]
    assert _addresses(path, Chain.CHANGE)[0] == _entry(entries, "m/84'/0'/0'/1/0")["address"]
    assert not (path / KEYSTORE_FILE).exists()
    with Wallet.open(path) as wallet:
        assert wallet.is_watch_only

    xpub = ExtendedKey.parse(zpub).serialize("xpub")
    path = create_watch_only(tmp_path / "d", MAINNET, f"wpkh({xpub}/<0;1>/*)")
    assert _addresses(path, Chain.RECEIVE)[0] == _entry(entries, "m/84'/0'/0'/0/0")["address"]
    assert _addresses(path, Chain.CHANGE)[0] == _entry(entries, "m/84'/0'/0'/1/0")["address"]


def test_watch_only_refuses_private_keys_and_creates_nothing(tmp_path):
    bip32 = json.loads(shared_path("vectors", "extracted", "bip32_test_vectors.json").read_text())
    xprv = bip32["vectors"][0]["chains"][0]["ext_prv"]
    with pytest.raises(KeyDerivationError, match="private key"):
        create_watch_only(tmp_path / "w", MAINNET, xprv)
    with pytest.raises(DescriptorError, match="private key"):
        create_watch_only(tmp_path / "w", MAINNET, f"wpkh({xprv}/0/*)")
    with pytest.raises(DescriptorError):
        create_watch_only(tmp_path / "w", MAINNET, "  ")
    assert list(tmp_path.iterdir()) == []


def test_new_seed_creates_a_wallet_that_unlocks_only_with_its_password(tmp_path):
    for words in (12, 24):
        mnemonic = new_seed(words)
        assert len(validate_mnemonic(mnemonic).split()) == words
    with pytest.raises(MnemonicError, match="12 or 24"):
        new_seed(15)
    mnemonic = new_seed(24)
    assert mnemonic != new_seed(24)
    path = create_from_seed(tmp_path / "w", REGTEST, mnemonic, PASSWORD, kdf=FAST)
    assert _addresses(path, Chain.RECEIVE)[0].startswith("bcrt1q")

    with Wallet.open(path) as wallet:
        before = _snapshot(path)
        with pytest.raises(WrongPasswordError) as excinfo:
            wallet.unlock("not the password")
        assert "password" in str(excinfo.value).lower()
        assert mnemonic not in str(excinfo.value)
        with pytest.raises(WrongPasswordError):
            wallet.change_password("not the password", "a new password")
        assert _snapshot(path) == before  # every byte, keystore and database included
        assert wallet.unlock(PASSWORD).value == mnemonic
        # The right password still changes it; the old one then fails.
        wallet.change_password(PASSWORD, "a new password")
        assert wallet.unlock("a new password").value == mnemonic
        with pytest.raises(WrongPasswordError):
            wallet.unlock(PASSWORD)


def test_bad_restore_input_creates_nothing(tmp_path):
    vector = _bip84_86()["bip84"]
    typo = vector["mnemonic"].replace("about", "abuot")
    with pytest.raises(MnemonicError, match="word 12"):
        create_from_seed(tmp_path / "w", MAINNET, typo, PASSWORD, kdf=FAST)
    with pytest.raises(KeyDerivationError, match="account"):
        create_from_seed(
            tmp_path / "w", MAINNET, vector["mnemonic"], PASSWORD, account=2**31, kdf=FAST
        )
    assert list(tmp_path.iterdir()) == []

    path = create_from_seed(tmp_path / "w", MAINNET, vector["mnemonic"], PASSWORD, kdf=FAST)
    before = _snapshot(path)
    with pytest.raises(WalletExistsError, match="already exists"):
        create_from_seed(path, MAINNET, new_seed(), "other", kdf=FAST)
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]  # no staging folder left


def test_script_names():
    assert parse_script_choice("P2WPKH") is ScriptChoice.P2WPKH
    assert parse_script_choice("86") is ScriptChoice.P2TR
    assert parse_script_choice("sh-wpkh") is ScriptChoice.P2SH_P2WPKH
    assert parse_script_choice("legacy") is ScriptChoice.P2PKH
    with pytest.raises(KeyDerivationError, match="p2wpkh"):
        parse_script_choice("p2wsh")
