"""Addresses and keys against Bitcoin Core's key_io vectors, BIP84/86/49 and BIP322 examples."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.address import (
    ParsedAddress,
    address_to_script,
    p2pkh_address,
    p2sh_p2wpkh_address,
    p2tr_address,
    p2wpkh_address,
    parse_address,
    script_to_address,
)
from wallet.bitcoin.errors import (
    AddressError,
    BitcoinError,
    EncodingError,
    KeyDerivationError,
    NetworkMismatchError,
)
from wallet.bitcoin.keys import (
    pubkey_from_secret,
    validate_pubkey,
    validate_secret,
    wif_decode,
    wif_encode,
    xonly,
)
from wallet.bitcoin.networks import NETWORK_NAMES
from wallet.bitcoin.script import ScriptType

CORE_CHAIN = {
    "main": "mainnet",
    "test": "testnet3",
    "testnet4": "testnet4",
    "signet": "signet",
    "regtest": "regtest",
}


def _json(*parts):
    return json.loads(shared_path(*parts).read_text())


def test_key_io_valid():
    entries = _json("vectors/addresses/bitcoin-core_key_io_valid.json")
    checked = 0
    for text, hex_, meta in entries:
        net = CORE_CHAIN[meta["chain"]]
        if meta["isPrivkey"]:
            secret, compressed = wif_decode(text, net)
            assert secret.hex() == hex_
            assert compressed == meta["isCompressed"]
            assert wif_encode(secret, net, compressed) == text
        else:
            spk = bytes.fromhex(hex_)
            assert address_to_script(text, net) == spk, text
            assert script_to_address(spk, net) == text
            if meta.get("tryCaseFlip"):
                assert address_to_script(text.swapcase(), net) == spk
        checked += 1
    assert checked == len(entries) >= 60


def test_key_io_invalid_fails_on_every_network():
    entries = _json("vectors/addresses/bitcoin-core_key_io_invalid.json")
    assert len(entries) >= 50
    for (text,) in entries:
        for net in NETWORK_NAMES:
            with pytest.raises(AddressError):
                address_to_script(text, net)
            with pytest.raises(BitcoinError):
                wif_decode(text, net)


def test_testnet_family_and_regtest_share_base58_but_not_bech32():
    entries = _json("vectors/addresses/bitcoin-core_key_io_valid.json")
    for text, hex_, meta in entries:
        if meta["isPrivkey"] or meta["chain"] == "main":
            continue
        spk = bytes.fromhex(hex_)
        is_bech32 = text.lower().startswith(("tb1", "bcrt1"))
        for net in ("testnet3", "testnet4", "signet", "regtest"):
            same_hrp = text.lower().startswith("bcrt1") == (net == "regtest")
            if not is_bech32 or same_hrp:
                assert address_to_script(text, net) == spk
            else:
                with pytest.raises(NetworkMismatchError):
                    address_to_script(text, net)
        with pytest.raises(NetworkMismatchError):
            address_to_script(text, "mainnet")


def test_network_mismatch_messages_name_both_networks():
    tb = "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"
    with pytest.raises(
        NetworkMismatchError,
        match="this is a testnet3/testnet4/signet address, but the wallet is on mainnet",
    ):
        address_to_script(tb, "mainnet")
    with pytest.raises(NetworkMismatchError, match="mainnet address, but the wallet is on signet"):
        address_to_script("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "signet")
    with pytest.raises(
        NetworkMismatchError, match="mainnet address, but the wallet is on testnet4"
    ):
        address_to_script("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "testnet4")
    bcrt = script_to_address(address_to_script(tb, "testnet3"), "regtest")
    assert bcrt.startswith("bcrt1")
    with pytest.raises(
        NetworkMismatchError, match="regtest address, but the wallet is on testnet3"
    ):
        address_to_script(bcrt, "testnet3")
    with pytest.raises(NetworkMismatchError, match="wallet is on mainnet"):
        wif_decode("cULrpoZGXiuC19Uhvykx7NugygA3k86b3hmdCeyvHYQZSxojGyXJ", "mainnet")


def test_other_address_errors():
    with pytest.raises(AddressError, match="prefix 'ltc'"):
        address_to_script("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", "mainnet")
    with pytest.raises(AddressError, match="empty"):
        address_to_script("  ", "mainnet")
    with pytest.raises(AddressError, match="checksum"):
        address_to_script("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "mainnet")
    with pytest.raises(AddressError, match="no address form"):
        script_to_address(bytes.fromhex("6a0401020304"), "mainnet")
    with pytest.raises(AddressError, match="no address form"):
        script_to_address(bytes.fromhex("51"), "mainnet")


def test_parse_address_reports_type_and_family():
    parsed = parse_address("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "mainnet")
    assert isinstance(parsed, ParsedAddress)
    assert parsed.script_type is ScriptType.P2WPKH
    assert parsed.network_family == "mainnet"
    parsed = parse_address("2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2", "testnet4")
    assert parsed.script_type is ScriptType.P2SH
    assert parsed.network_family == "testnet3/testnet4/signet"


# -- convenience constructors against the BIP texts ------------------------------------------


def test_bip84_and_bip86_addresses_from_keys():
    data = _json("vectors/extracted/bip84_bip86_test_vectors.json")
    for entry in data["bip84"]["entries"]:
        if "address" in entry:
            secret, compressed = wif_decode(entry["privkey"], "mainnet")
            pub = pubkey_from_secret(secret, compressed)
            assert pub.hex() == entry["pubkey"]
            assert p2wpkh_address(pub, "mainnet") == entry["address"]
    for entry in data["bip86"]["entries"]:
        if "address" in entry:
            internal = bytes.fromhex(entry["internal_key"])
            assert p2tr_address(internal, "mainnet") == entry["address"]
            assert address_to_script(entry["address"], "mainnet").hex() == entry["scriptPubKey"]


def test_bip49_nested_segwit_example():
    text = shared_path("vectors/bips_spec/bip-0049.mediawiki").read_text()
    wif = re.search(r"account0recvPrivateKey = (\w+)", text).group(1)
    pub_hex = re.search(r"account0recvPublicKeyHex = 0x([0-9a-f]+)", text).group(1)
    address = re.search(r"address = base58check\(prefix \| addressBytes\) = (\w+)", text).group(1)
    secret, compressed = wif_decode(wif, "testnet3")
    pub = pubkey_from_secret(secret, compressed)
    assert pub.hex() == pub_hex
    assert p2sh_p2wpkh_address(pub, "testnet3") == address


def test_bip341_key_path_addresses():
    data = _json("vectors/bip341/wallet-test-vectors.json")
    n = 0
    for entry in data["scriptPubKey"]:
        if entry["given"]["scriptTree"] is None:
            internal = bytes.fromhex(entry["given"]["internalPubkey"])
            assert p2tr_address(internal, "mainnet") == entry["expected"]["bip350Address"]
            n += 1
    assert n >= 1


def test_bip322_generated_addresses_from_wif_keys():
    """BIP322's generated vectors give (WIF key, address) pairs for four script types."""
    data = _json("vectors/bip322/generated-test-vectors.json")
    makers = {
        "p2pkh": p2pkh_address,
        "p2sh-p2wpkh": p2sh_p2wpkh_address,
        "p2wpkh": p2wpkh_address,
        "p2tr": lambda pub, net: p2tr_address(xonly(pub), net),
    }
    seen = set()
    for section in data.values():
        if not isinstance(section, list):
            continue
        for entry in section:
            kind = entry.get("type") if isinstance(entry, dict) else None
            if kind in makers and len(entry.get("private_keys", [])) == 1:
                secret, compressed = wif_decode(entry["private_keys"][0], "mainnet")
                pub = pubkey_from_secret(secret, compressed)
                assert makers[kind](pub, "mainnet") == entry["address"], entry["address"]
                seen.add(kind)
    assert seen == set(makers)


# -- keys -----------------------------------------------------------------------------------


def test_key_validation():
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    with pytest.raises(KeyDerivationError, match="out of range"):
        validate_secret(n.to_bytes(32, "big"))
    with pytest.raises(KeyDerivationError, match="out of range"):
        validate_secret(bytes(32))
    with pytest.raises(KeyDerivationError, match="32 bytes"):
        validate_secret(b"\x01" * 31)
    g = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    assert validate_pubkey(g) == g
    assert xonly(g) == g[1:]
    with pytest.raises(KeyDerivationError, match="not a point"):
        validate_pubkey(b"\x02" + bytes(31) + b"\x07")
    with pytest.raises(KeyDerivationError, match="33 bytes"):
        validate_pubkey(b"\x05" + g[1:])
    with pytest.raises(EncodingError, match="WIF"):
        wif_decode("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTk", "mainnet")


@given(st.text(max_size=80), st.sampled_from(NETWORK_NAMES))
@settings(max_examples=300)
def test_address_parser_raises_only_address_errors(text, net):
    with contextlib.suppress(AddressError):
        address_to_script(text, net)
    with contextlib.suppress(BitcoinError):
        wif_decode(text, net)


@given(st.binary(max_size=45), st.sampled_from(NETWORK_NAMES))
def test_script_to_address_round_trip_or_address_error(script, net):
    try:
        address = script_to_address(script, net)
    except AddressError:
        return
    assert address_to_script(address, net) == script
