"""BIP340 Schnorr signatures against the official CSV, and ECDSA signing properties."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from wallet.bitcoin.errors import SigningError
from wallet.bitcoin.signing import (
    public_key,
    sign_ecdsa,
    sign_schnorr,
    verify_ecdsa,
    verify_schnorr,
    xonly_public_key,
)

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _rows() -> list[dict]:
    with shared_path("vectors", "bip340", "test-vectors.csv").open() as f:
        return list(csv.DictReader(f))


def test_bip340_csv_sign_and_verify():
    rows = _rows()
    assert len(rows) == 19
    signed = 0
    for row in rows:
        pub = bytes.fromhex(row["public key"])
        msg = bytes.fromhex(row["message"])
        sig = bytes.fromhex(row["signature"])
        expected = row["verification result"] == "TRUE"
        if row["secret key"]:
            secret = bytes.fromhex(row["secret key"])
            assert xonly_public_key(secret) == pub
            made = sign_schnorr(secret, msg, aux_rand=bytes.fromhex(row["aux_rand"]))
            assert made == sig, f"vector {row['index']}"
            signed += 1
        assert verify_schnorr(pub, sig, msg) is expected, f"vector {row['index']}: {row['comment']}"
    assert signed >= 4


def test_schnorr_fresh_randomness_still_verifies():
    secret = bytes(31) + b"\x07"
    msg = bytes(range(32))
    a, b = sign_schnorr(secret, msg), sign_schnorr(secret, msg)
    assert a != b  # fresh auxiliary randomness each time
    assert verify_schnorr(xonly_public_key(secret), a, msg)
    assert verify_schnorr(xonly_public_key(secret), b, msg)


@pytest.mark.parametrize("secret", [bytes(32), N.to_bytes(32, "big"), b"\x01" * 31])
def test_invalid_secrets_are_signing_errors(secret):
    with pytest.raises(SigningError):
        sign_ecdsa(secret, bytes(32))
    with pytest.raises(SigningError):
        sign_schnorr(secret, bytes(32))


def test_ecdsa_rejects_a_message_that_is_not_32_bytes():
    with pytest.raises(SigningError, match="32 bytes"):
        sign_ecdsa(b"\x01" * 32, b"short")


def _der_parts(der: bytes) -> tuple[int, int]:
    assert der[0] == 0x30 and der[1] == len(der) - 2 and der[2] == 0x02
    rlen = der[3]
    r = int.from_bytes(der[4 : 4 + rlen], "big")
    assert der[4 + rlen] == 0x02
    slen = der[5 + rlen]
    s = int.from_bytes(der[6 + rlen : 6 + rlen + slen], "big")
    assert 6 + rlen + slen == len(der)
    return r, s


@settings(max_examples=60, deadline=None)
@given(secret_int=st.integers(1, N - 1), msg=st.binary(min_size=32, max_size=32))
def test_ecdsa_is_low_r_low_s_deterministic_and_verifies(secret_int, msg):
    secret = secret_int.to_bytes(32, "big")
    der = sign_ecdsa(secret, msg)
    r, s = _der_parts(der)
    assert r < 2**255 and s <= N // 2
    assert len(der) <= 71
    assert sign_ecdsa(secret, msg) == der  # RFC6979: same key and message, same signature
    pub = public_key(secret)
    assert verify_ecdsa(pub, der, msg)
    assert verify_ecdsa(public_key(secret, compressed=False), der, msg)
    assert not verify_ecdsa(pub, der, bytes(a ^ 1 for a in msg[:1]) + msg[1:])


def test_ecdsa_verify_refuses_high_s_and_garbage():
    secret = b"\x11" * 32
    msg = b"\x22" * 32
    der = sign_ecdsa(secret, msg)
    _r, s = _der_parts(der)
    high_s = (N - s).to_bytes(33, "big")
    rb = der[4 : 4 + der[3]]
    body = b"\x02" + bytes([len(rb)]) + rb + b"\x02" + bytes([len(high_s)]) + high_s
    high = b"\x30" + bytes([len(body)]) + body
    assert not verify_ecdsa(public_key(secret), high, msg)
    assert not verify_ecdsa(public_key(secret), b"\x30\x00", msg)
    assert not verify_ecdsa(b"\x02" + bytes(32), der, msg)


@settings(max_examples=30, deadline=None)
@given(secret_int=st.integers(1, N - 1), msg=st.binary(max_size=100))
def test_schnorr_any_message_length_round_trips(secret_int, msg):
    secret = secret_int.to_bytes(32, "big")
    sig = sign_schnorr(secret, msg, aux_rand=bytes(32))
    assert verify_schnorr(xonly_public_key(secret), sig, msg)
    assert not verify_schnorr(xonly_public_key(secret), sig, msg + b"\x00")
