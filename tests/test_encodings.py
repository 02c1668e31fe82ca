"""Base58/Base58Check and Bech32/Bech32m against BIP173/BIP350 vectors, plus property tests."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin import bech32
from wallet.bitcoin.base58 import b58check_decode, b58check_encode, b58decode, b58encode
from wallet.bitcoin.bech32 import (
    Encoding,
    bech32_decode,
    bech32_encode,
    decode_segwit,
    decode_segwit_address,
    encode_segwit_address,
)
from wallet.bitcoin.errors import EncodingError


def _bip173_350() -> dict:
    return json.loads(shared_path("vectors/extracted/bip173_bip350_test_vectors.json").read_text())


def _unescape(s: str) -> str:
    """The extraction writes leading control characters as '0xNN + rest'."""
    if s.startswith("0x") and " + " in s:
        code, rest = s.split(" + ", 1)
        return chr(int(code, 16)) + rest
    return s


# -- base58 ------------------------------------------------------------------------------------


def test_base58_known_values():
    # leading zero bytes become '1's; the empty string encodes to ''
    assert b58encode(b"") == ""
    assert b58encode(b"\x00\x00\x01") == "112"
    assert b58decode("112") == b"\x00\x00\x01"
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58decode("StV1DL6CwTryKyV") == b"hello world"


def test_base58check_genesis_address():
    # the genesis coinbase key's address: version 0 + hash160 of Satoshi's key
    payload = bytes.fromhex("0062e907b15cbf27d5425399ebf6f0fb50ebb88f18")
    assert b58check_encode(payload) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
    assert b58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa") == payload


@pytest.mark.parametrize(
    "bad, where", [("1A1zP1eP5QGefi2DMPT0TL5SLmv7DivfNa", "position 20"), ("abcIdef", "position 4")]
)
def test_base58_bad_character_names_position(bad, where):
    with pytest.raises(EncodingError, match=where):
        b58decode(bad)


def test_base58check_bad_checksum():
    with pytest.raises(EncodingError, match="checksum"):
        b58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
    with pytest.raises(EncodingError, match="too short"):
        b58check_decode("111")


@given(st.binary(max_size=100))
def test_base58_round_trip(data):
    assert b58decode(b58encode(data)) == data
    assert b58check_decode(b58check_encode(data)) == data


@given(st.text(max_size=120))
@settings(max_examples=300)
def test_base58_decoders_raise_only_encoding_error(text):
    for decode in (b58decode, b58check_decode):
        with contextlib.suppress(EncodingError):
            decode(text)


@given(st.binary(min_size=1, max_size=60), st.integers(min_value=0), st.integers(1, 255))
def test_base58check_detects_byte_corruption(data, pos, delta):
    raw = bytearray(b58decode(b58check_encode(data)))
    raw[pos % len(raw)] = (raw[pos % len(raw)] + delta) % 256
    with pytest.raises(EncodingError):
        b58check_decode(b58encode(bytes(raw)))


# -- bech32 / bech32m: BIP173 and BIP350 vectors -------------------------------------------------


@pytest.mark.parametrize(
    "bip, encoding", [("bip173", Encoding.BECH32), ("bip350", Encoding.BECH32M)]
)
def test_valid_strings(bip, encoding):
    for s in _bip173_350()[bip]["valid_strings"]:
        hrp, data, enc = bech32_decode(s)
        assert enc is encoding, s
        assert hrp == s.lower()[: s.rfind("1")]
        assert bech32_encode(hrp, data, enc) == s.lower()
        # any single-character change in the data part breaks the checksum
        i = len(s) - 3
        flipped = s[:i] + ("q" if s[i].lower() != "q" else "p") + s[i + 1 :]
        with pytest.raises(EncodingError):
            bech32_decode(flipped.lower())


@pytest.mark.parametrize("bip", ["bip173", "bip350"])
def test_invalid_strings_and_addresses(bip):
    vectors = _bip173_350()[bip]["invalid"]
    assert vectors
    for entry in vectors:
        s = _unescape(entry["string"])
        with pytest.raises(EncodingError):
            # every invalid entry fails as a segwit address under both HRPs in the vectors
            hrp = "tb" if s.lower().startswith("tb1") else "bc"
            decode_segwit_address(hrp, s)


def test_invalid_plain_strings_fail_bech32_decode():
    # the entries that are invalid as bech32 strings (not only as addresses)
    string_reasons = (
        "HRP character out of range",
        "overall max length exceeded",
        "No separator character",
        "Empty HRP",
        "empty HRP",
        "Invalid data character",
        "Too short checksum",
        "Invalid character in checksum",
        "checksum calculated with uppercase form of HRP",
    )
    data = _bip173_350()
    count = 0
    for bip in ("bip173", "bip350"):
        for entry in data[bip]["invalid"]:
            if entry["reason"] in string_reasons:
                with pytest.raises(EncodingError):
                    bech32_decode(_unescape(entry["string"]))
                count += 1
    assert count >= 15


@pytest.mark.parametrize("bip", ["bip173", "bip350"])
def test_valid_addresses(bip):
    for entry in _bip173_350()[bip]["valid_addresses"]:
        address, spk = entry["address"], bytes.fromhex(entry["scriptPubKey"])
        if bip == "bip173" and spk[0] != 0:
            continue  # BIP173's v1+ examples use bech32, which BIP350 forbids (tested below)
        hrp, version, program = decode_segwit(address)
        op = 0 if version == 0 else 0x50 + version
        assert version == (spk[0] - 0x50 if spk[0] else 0)
        assert bytes([op, len(program)]) + program == spk
        assert encode_segwit_address(hrp, version, program) == address.lower()


def test_bip173_v1_examples_are_refused_under_bip350():
    for entry in _bip173_350()["bip173"]["valid_addresses"]:
        spk = bytes.fromhex(entry["scriptPubKey"])
        if spk[0] != 0:
            with pytest.raises(EncodingError, match="bech32m"):
                decode_segwit(entry["address"])


# -- error messages -----------------------------------------------------------------------------


def test_error_messages_say_what_is_wrong():
    with pytest.raises(EncodingError, match="mixes upper and lower case"):
        decode_segwit_address(
            "tb", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7"
        )
    with pytest.raises(EncodingError, match=r"'tb'.*'bc' was expected"):
        decode_segwit_address(
            "bc", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"
        )
    with pytest.raises(EncodingError, match="version 1 segwit address must use a bech32m"):
        decode_segwit_address(
            "bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"
        )
    with pytest.raises(EncodingError, match="version 0 segwit address must use a bech32 checksum"):
        decode_segwit_address("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")
    with pytest.raises(EncodingError, match=r"invalid bech32 character 'b' at position 4"):
        bech32_decode("bc1bw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    with pytest.raises(EncodingError, match="checksum does not match"):
        decode_segwit_address("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    with pytest.raises(EncodingError, match="20 or 32 bytes"):
        decode_segwit_address("bc", "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")


# -- properties ---------------------------------------------------------------------------------

_hrps = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=10
)


@given(_hrps, st.lists(st.integers(0, 31), max_size=50), st.sampled_from(list(Encoding)))
def test_bech32_round_trip(hrp, data, encoding):
    s = bech32_encode(hrp, data, encoding)
    assert bech32_decode(s) == (hrp.lower(), data, encoding)
    assert bech32_decode(s.upper()) == (hrp.lower(), data, encoding)


@given(
    st.sampled_from(["bc", "tb", "bcrt"]),
    st.integers(0, 16),
    st.binary(min_size=2, max_size=40),
)
def test_segwit_address_round_trip(hrp, version, program):
    if version == 0 and len(program) not in (20, 32):
        with pytest.raises(EncodingError):
            encode_segwit_address(hrp, version, program)
        return
    addr = encode_segwit_address(hrp, version, program)
    assert decode_segwit_address(hrp, addr) == (version, program)


@given(st.text(max_size=100))
@settings(max_examples=400)
def test_bech32_decoders_raise_only_encoding_error(text):
    for call in (
        lambda: bech32_decode(text),
        lambda: decode_segwit(text),
        lambda: decode_segwit_address("bc", text),
    ):
        with contextlib.suppress(EncodingError):
            call()


@given(st.text(alphabet=bech32.CHARSET + "1bcBC", min_size=8, max_size=90))
@settings(max_examples=400)
def test_bech32_near_valid_noise_raises_only_encoding_error(text):
    with contextlib.suppress(EncodingError):
        decode_segwit("bc1" + text)
