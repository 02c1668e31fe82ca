"""Watch-only wallets from what an air-gapped signer shows, and the checks that catch a wrong one.

The UR vectors are Blockchain Commons' (BCR-2020-015 and BCR-2023-019, copied in
``tests/test_ur_registry.py``); the "signer" of the other tests is this module deriving a seed's
account the way a signer exports it, and the watch-only wallet must give the seed wallet's
own addresses.
"""

from __future__ import annotations

import json

import pytest

from tests.ur_vectors import ACCOUNT_TEXT, ACCOUNT_V1, ACCOUNT_V2, SEED_WORDS
from wallet.account.paths import wallet_dir
from wallet.account.setup import ScriptChoice, seed_descriptors
from wallet.account.wallet_file import Wallet
from wallet.bitcoin.base58 import b58check_decode, b58check_encode
from wallet.bitcoin.bip32 import ExtendedKey
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.descriptors import parse_descriptor
from wallet.bitcoin.networks import MAINNET, REGTEST
from wallet.cli import main
from wallet.commands.animated_io import write_frames
from wallet.payments.animated_qr import AnimatedEncoder, Standard
from wallet.payments.signer_account import SignerAccountError, parse_signer_account
from wallet.payments.ur import cbor
from wallet.payments.ur.registry import HDKey, account_to_ur, output_to_cbor
from wallet.payments.ur.ur import UR, UREncoder, encode_single

WORDS = "abandon " * 11 + "about"
H = 2**31


def _signer_account(words: str, network: str, v2: bool = False) -> tuple[UR, bytes]:
    """What a signer holding ``words`` shows as its account QR (all four script types)."""
    master = ExtendedKey.from_seed(mnemonic_to_seed(words, ""), network)
    coin = 0 if network == "mainnet" else 1
    outputs = []
    for purpose, script in ((44, "pkh"), (49, "sh-wpkh"), (84, "wpkh"), (86, "tr")):
        path = [purpose + H, coin + H, H]
        key = HDKey.from_extended(master.derive_path(path), master.fingerprint, path)
        outputs.append(output_to_cbor(script, key, v2))
    return account_to_ur(master.fingerprint, outputs, v2), master.fingerprint


def _no_checksum(text: str) -> str:
    return text.split("#")[0]


@pytest.mark.parametrize("vector", [ACCOUNT_V1, ACCOUNT_V2])
def test_bcr_account_vectors_become_wallet_descriptors(vector):
    account = parse_signer_account(vector, MAINNET, fingerprint="37B5EED4")
    assert account.master_fingerprint == "37b5eed4" and account.script is ScriptChoice.P2WPKH
    expected = seed_descriptors(SEED_WORDS, "", MAINNET, ScriptChoice.P2WPKH)
    assert account.descriptors == expected  # the seed wallet's own descriptors
    for choice in ScriptChoice:
        chosen = parse_signer_account(vector, MAINNET, script=choice)
        assert chosen.descriptors == seed_descriptors(SEED_WORDS, "", MAINNET, choice)
    assert "xpub6BkU445MSEBXbPjD3g2c2ch6mn8yy1SXXQUM7" in ACCOUNT_TEXT["wpkh"]
    with pytest.raises(SignerAccountError, match="is 37b5eed4, not 12345678"):
        parse_signer_account(vector, MAINNET, fingerprint="12345678")
    with pytest.raises(SignerAccountError, match="for mainnet, not regtest"):
        parse_signer_account(vector, REGTEST)


@pytest.mark.parametrize("v2", [False, True])
def test_regtest_signer_account_gives_the_seed_wallets_addresses(v2):
    ur, fingerprint = _signer_account(WORDS, "regtest", v2)
    account = parse_signer_account(encode_single(ur), REGTEST, fingerprint=fingerprint.hex())
    seed = seed_descriptors(WORDS, "", REGTEST)
    assert account.descriptors == seed
    watch = parse_descriptor(account.descriptors.receive, "regtest")
    assert watch.address(0) == parse_descriptor(seed.receive, "regtest").address(0)


def test_text_exports_key_origin_slip132_and_descriptors():
    seed = seed_descriptors(WORDS, "", REGTEST)
    key_expr = _no_checksum(seed.receive)[len("wpkh(") : -len("/0/*)")]  # [fp/84h/1h/0h]tpub
    fp = key_expr[1:9]
    by_origin = parse_signer_account(key_expr, REGTEST)
    assert by_origin.descriptors == seed and by_origin.source == "key with origin"
    # the same key as a vpub (SLIP-132 for P2WPKH on test networks)
    tpub = key_expr.split("]")[1]
    vpub = ExtendedKey.parse(tpub, "regtest").serialize("vpub")
    assert parse_signer_account(f"[{fp}/84h/1h/0h]{vpub}", REGTEST).descriptors == seed
    # a descriptor with both chains, and one per line
    multipath = _no_checksum(seed.receive).replace("/0/*", "/<0;1>/*")
    assert parse_signer_account(multipath, REGTEST).descriptors == seed
    both = _no_checksum(seed.receive) + "\n" + _no_checksum(seed.change) + "\n"
    assert parse_signer_account(both, REGTEST).descriptors.receive == seed.receive
    # a bare key: no fingerprint to check
    bare = parse_signer_account(vpub, REGTEST)
    assert bare.master_fingerprint is None and bare.script is ScriptChoice.P2WPKH
    with pytest.raises(SignerAccountError, match="carries no master fingerprint"):
        parse_signer_account(vpub, REGTEST, fingerprint=fp)


def test_inconsistent_exports_are_refused_with_a_sentence():
    seed = seed_descriptors(WORDS, "", REGTEST)
    key_expr = _no_checksum(seed.receive)[len("wpkh(") : -len("/0/*)")]
    fp, tpub = key_expr[1:9], key_expr.split("]")[1]
    with pytest.raises(SignerAccountError, match="has 2 steps, but the key itself is at depth 3"):
        parse_signer_account(f"[{fp}/84h/1h]{tpub}", REGTEST)
    with pytest.raises(SignerAccountError, match="purpose 44"):
        parse_signer_account(f"wpkh([{fp}/44h/1h/0h]{tpub}/<0;1>/*)", REGTEST)
    upub = ExtendedKey.parse(tpub, "regtest").serialize("upub")  # nested SegWit prefix...
    with pytest.raises(SignerAccountError, match="purpose 84"):
        parse_signer_account(f"[{fp}/84h/1h/0h]{upub}", REGTEST)  # ...on a purpose-84 path
    raw = b58check_decode(tpub)
    zpub_multisig = b58check_encode(bytes.fromhex("02aa7ed3") + raw[4:])
    with pytest.raises(SignerAccountError, match="Zpub, a key of a multisig wallet"):
        parse_signer_account(zpub_multisig, MAINNET)
    for junk in ("", "ur:crypto-account/aeadaolazmjendeoti", "wsh(multi(1,02aa))", "hello"):
        with pytest.raises(SignerAccountError):
            parse_signer_account(junk, REGTEST)
    seed_ur = UR("crypto-seed", cbor.encode({1: b"\x01" * 16}))
    with pytest.raises(SignerAccountError, match="crypto-seed"):
        parse_signer_account(encode_single(seed_ur), REGTEST)


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv, "--network", "regtest"])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_restore_watch_from_a_signer_qr_text_frames_and_images(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAYLIGHT_HOME", str(tmp_path / "home"))
    ur, fingerprint = _signer_account(WORDS, "regtest")
    first = parse_descriptor(seed_descriptors(WORDS, "", REGTEST).receive, "regtest").address(0)

    code, out, err = _cli(
        capsys, "restore", "--wallet", "one", "--watch", encode_single(ur),
        "--fingerprint", fingerprint.hex(), "--json",
    )  # fmt: skip
    assert code == 0, err
    info = json.loads(out)
    assert info["kind"] == "watch_only" and info["first_address"] == first
    assert info["master_fingerprint"] == fingerprint.hex() and info["source"] == "crypto-account"
    with Wallet.open(info["wallet"]) as wallet:
        assert wallet.config.master_fingerprint == fingerprint.hex()

    # the animated form: a multi-part UR saved as text lines (shuffled), then as PNG frames
    frames = list(UREncoder(ur, max_fragment_len=60).parts())
    assert len(frames) > 3
    lines = tmp_path / "frames.txt"
    lines.write_text("\n".join(reversed(frames)) + "\n")
    code, out, err = _cli(
        capsys, "restore", "--wallet", "two", "--watch-file", str(lines), "--json"
    )
    assert code == 0, err and json.loads(out)["first_address"] == first
    encoder = AnimatedEncoder(ur.cbor, Standard.UR, kind="account", ur_type=ur.type, density=60)
    pngs = write_frames(encoder, tmp_path / "frames", encoder.frames())
    code, out, err = _cli(
        capsys, "restore", "--wallet", "three", "--watch-file", *map(str, pngs), "--json"
    )
    assert code == 0, err
    assert json.loads(out)["first_address"] == first

    code, _out, err = _cli(
        capsys, "restore", "--wallet", "four", "--watch-file", str(pngs[0]), str(pngs[1])
    )
    assert code == 1 and "holds only" in err and "parts" in err
    code, _out, err = _cli(
        capsys, "restore", "--wallet", "five", "--watch", encode_single(ur), "--fingerprint",
        "00c0ffee",
    )  # fmt: skip
    assert code == 1 and "not 00c0ffee" in err
    assert not wallet_dir("five", REGTEST).exists()  # nothing was made
