"""BIP32 against the BIP text's vectors 1-5, and SLIP-132 prefixes via the BIP84/BIP49 examples."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.bip32 import (
    HARDENED,
    ExtendedKey,
    ExtendedKeyNetworkError,
    format_path,
    parse_extended_key,
    parse_path,
)
from wallet.bitcoin.bip39 import mnemonic_to_seed
from wallet.bitcoin.errors import KeyDerivationError, NetworkMismatchError
from wallet.bitcoin.hashes import hash160
from wallet.bitcoin.networks import NETWORKS
from wallet.bitcoin.script import ScriptType


def _vectors() -> list[dict]:
    return json.loads(shared_path("vectors/extracted/bip32_test_vectors.json").read_text())[
        "vectors"
    ]


def test_vectors_1_to_4():
    vectors = [v for v in _vectors() if "seed_hex" in v]
    assert [v["vector"] for v in vectors] == [1, 2, 3, 4]
    for vector in vectors:
        master = ExtendedKey.from_seed(bytes.fromhex(vector["seed_hex"]), "mainnet")
        parent = None
        for chain in vector["chains"]:
            key = master.derive_path(chain["path"])
            assert key.serialize() == chain["ext_prv"]
            assert key.neuter().serialize() == chain["ext_pub"]
            # reading back gives the same key, private and public
            assert ExtendedKey.parse(chain["ext_prv"], "mainnet") == key
            pub = ExtendedKey.parse(chain["ext_pub"], "mainnet")
            assert pub == key.neuter()
            assert pub.public_key == key.public_key
            assert pub.fingerprint == hash160(key.public_key)[:4]
            steps = parse_path(chain["path"])
            assert key.depth == len(steps)
            if steps:
                assert key.child_number == steps[-1]
                # public derivation agrees with private derivation for a normal last step
                if parent is not None and steps[-1] < HARDENED:
                    assert parent.neuter().derive_child(steps[-1]) == key.neuter()
                    assert key.parent_fingerprint == parent.fingerprint
            parent = key


def test_vector_5_invalid_keys_each_raise():
    (vector,) = [v for v in _vectors() if v["vector"] == 5]
    entries = vector["invalid_extended_keys"]
    assert len(entries) >= 16
    expect = {
        "pubkey version / prvkey mismatch": "must start with 02 or 03",
        "prvkey version / pubkey mismatch": "must start with 00",
        "invalid pubkey prefix": "must start with 02 or 03",
        "invalid prvkey prefix": "must start with 00",
        "zero depth with non-zero parent fingerprint": "parent fingerprint",
        "zero depth with non-zero index": "child index",
        "unknown extended key version": "unknown extended key version",
        "private key 0 not in 1..n-1": "not in 1..n-1",
        "private key n not in 1..n-1": "not in 1..n-1",
        "invalid pubkey 02": "not a point on secp256k1",
        "invalid checksum": "checksum",
    }
    for entry in entries:
        (pattern,) = [v for k, v in expect.items() if entry["reason"].startswith(k)]
        with pytest.raises(KeyDerivationError, match=re.escape(pattern)):
            ExtendedKey.parse(entry["key"], "mainnet")
        with pytest.raises(KeyDerivationError):
            ExtendedKey.parse(entry["key"])


def test_slip132_bip84_zprv_and_zpub():
    data = json.loads(shared_path("vectors/extracted/bip84_bip86_test_vectors.json").read_text())
    entries = data["bip84"]["entries"]
    root = ExtendedKey.parse(entries[0]["rootpriv"], "mainnet")
    assert root.prefix == "zprv" and root.script_type is ScriptType.P2WPKH
    seed = mnemonic_to_seed(data["bip84"]["mnemonic"])
    assert root.secret == ExtendedKey.from_seed(seed).secret
    assert root.neuter().serialize() == entries[0]["rootpub"]
    account = root.derive_path(entries[1]["path"])
    assert account.serialize() == entries[1]["xpriv"]
    assert account.neuter().serialize() == entries[1]["xpub"]
    key, script_type = parse_extended_key(entries[1]["xpub"], "mainnet")
    assert script_type is ScriptType.P2WPKH
    assert key.serialize("xpub").startswith("xpub")
    assert ExtendedKey.parse(key.serialize("xpub")).script_type is None
    for entry in entries[2:]:
        child = account.neuter().derive_path(entry["path"].split("/")[-2:])
        assert child.public_key.hex() == entry["pubkey"]


def test_slip132_bip49_testnet_uprv_upub():
    text = shared_path("vectors/bips_spec/bip-0049.mediawiki").read_text()
    root = re.search(r"masterseed = (uprv\w+)", text).group(1)
    xprv = re.search(r"account0Xpriv = (uprv\w+)", text).group(1)
    xpub = re.search(r"account0Xpub = (upub\w+)", text).group(1)
    pub_hex = re.search(r"account0recvPublicKeyHex = 0x([0-9a-f]+)", text).group(1)
    master = ExtendedKey.parse(root, "testnet3")
    assert master.script_type is ScriptType.P2SH_P2WPKH
    account = master.derive_path("m/49'/1'/0'")
    assert account.serialize() == xprv
    assert account.neuter().serialize() == xpub
    assert ExtendedKey.parse(xpub, "signet").derive_path("0/0").public_key.hex() == pub_hex


def test_network_checks():
    xpub = _vectors()[0]["chains"][0]["ext_pub"]
    with pytest.raises(ExtendedKeyNetworkError, match=r"mainnet extended key.*on testnet4"):
        ExtendedKey.parse(xpub, "testnet4")
    # it is both kinds of error, so either handler catches it
    with pytest.raises(NetworkMismatchError):
        ExtendedKey.parse(xpub, "regtest")
    tpub = ExtendedKey.parse(xpub).neuter()
    tpub = ExtendedKey.from_bytes(
        tpub.to_bytes("xpub").replace(b"\x04\x88\xb2\x1e", b"\x04\x35\x87\xcf", 1), "regtest"
    )
    assert tpub.serialize().startswith("tpub")
    with pytest.raises(KeyDerivationError, match="mainnet"):
        ExtendedKey.parse(tpub.serialize(), "mainnet")


def test_derivation_errors_and_private_material():
    master = ExtendedKey.from_seed(bytes(range(16)))
    pub = master.neuter()
    with pytest.raises(KeyDerivationError, match="hardened child 0' from a public key"):
        pub.derive_path("0'")
    with pytest.raises(KeyDerivationError, match="no private key"):
        _ = pub.secret
    with pytest.raises(KeyDerivationError, match="16 to 64 bytes"):
        ExtendedKey.from_seed(b"short")
    secret_hex = master.secret.hex()
    assert secret_hex not in repr(master) and secret_hex not in str(master)
    assert master.serialize() not in repr(master)


def test_paths():
    assert parse_path("m/84'/0'/0'/0/5") == [84 + HARDENED, HARDENED, HARDENED, 0, 5]
    assert parse_path("84h/0H/0'") == [84 + HARDENED, HARDENED, HARDENED]
    assert parse_path("m") == [] and parse_path("") == []
    assert parse_path([1, HARDENED]) == [1, HARDENED]
    assert format_path([84 + HARDENED, 0, 5]) == "m/84'/0/5"
    assert format_path([84 + HARDENED], marker="h", prefix="") == "84h"
    for bad in ("m/x", "m/1//2", "m/2147483648", "m/-1", "m/1''", "m/01"):
        with pytest.raises(KeyDerivationError):
            parse_path(bad)


@given(st.lists(st.integers(0, 2**32 - 1), max_size=8))
def test_path_round_trip(path):
    assert parse_path(format_path(path)) == path


_VERSIONS = [
    v for n in NETWORKS.values() for v in (*n.slip132_public.values(), *n.slip132_private.values())
]


@given(st.sampled_from(_VERSIONS), st.binary(min_size=74, max_size=74), st.sampled_from([0, 2, 3]))
@settings(max_examples=300)
def test_random_keys_raise_only_key_errors(version, body, first):
    # a known version and a plausible key-data prefix, so the checks past the version run
    raw = version + body[:41] + bytes([first]) + body[42:]
    for net in (None, "mainnet", "testnet3"):
        with contextlib.suppress(KeyDerivationError):
            ExtendedKey.from_bytes(raw, net)


@given(st.text(max_size=120))
def test_random_text_raises_only_key_errors(text):
    with contextlib.suppress(KeyDerivationError):
        ExtendedKey.parse(text)
