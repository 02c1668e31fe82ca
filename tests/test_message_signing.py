"""Signed messages: BIP322 against its vectors, the legacy format against Electrum's own code.

BIP322: ``../shared/vectors/bip322`` (the BIP's basic vectors and its generated ones). Scripts
Paylight checks itself (P2WPKH, P2TR key path, P2SH-P2WPKH, P2PKH) are judged without help;
the others are *inconclusive* alone and decided by libbitcoinkernel's interpreter when given.

Legacy ``signmessage``: Debian's python3-electrum (Electrum 4.3's ``ecc`` module, run by the
system Python in a subprocess) signs and verifies; Paylight must accept Electrum's signatures
and Electrum must accept Paylight's, for P2PKH, P2WPKH and P2SH-P2WPKH addresses. Skipped
cleanly where Electrum is not installed.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.conftest import shared_path
from wallet.bitcoin import bip322
from wallet.bitcoin.address import p2pkh_address, p2sh_p2wpkh_address, p2wpkh_address
from wallet.bitcoin.keys import wif_decode
from wallet.bitcoin.message import (
    HeaderStyle,
    MessageError,
    message_hash,
    sign_message,
    verify_message,
)
from wallet.bitcoin.script import ScriptType
from wallet.bitcoin.signing import public_key
from wallet.payments.signed_message import kernel_interpreter

NATIVE = {"p2wpkh", "p2tr", "p2sh-p2wpkh", "p2pkh"}


def _vectors(name: str) -> dict:
    return json.loads((shared_path("vectors", "bip322") / f"{name}-test-vectors.json").read_text())


def _valid_cases():
    for name in ("basic", "generated"):
        data = _vectors(name)
        for section in ("simple", "full"):
            for v in data.get(section, []):
                for sig in v["bip322_signatures"]:
                    yield pytest.param(v, sig, id=f"{name}-{section}-{v['type']}-{sig[:12]}")


def _error_cases():
    for name in ("basic", "generated"):
        for v in _vectors(name)["error"]:
            yield pytest.param(v, id=f"{name}-{v['description'][:50]}")


def test_message_hash_and_virtual_transactions():
    for v in _vectors("basic")["tx_hashes"]:
        from wallet.bitcoin.address import parse_address

        assert bip322.message_hash(v["message"]).hex() == v["message_hash"]
        spend = bip322.to_spend(parse_address(v["address"], "mainnet").script_pubkey, v["message"])
        assert spend.txid_hex == v["to_spend_tx_hash"]
        assert bip322.to_sign(spend).txid_hex == v["to_sign_tx_hash"]


@pytest.mark.parametrize("vector, signature", list(_valid_cases()))
def test_valid_vectors(vector, signature):
    alone = bip322.verify(vector["address"], vector["message"], signature, "mainnet")
    if vector["type"] in NATIVE:
        assert alone.valid, alone.reason
    else:
        assert alone.verdict is bip322.Verdict.INCONCLUSIVE, alone.reason
    with_core = bip322.verify(
        vector["address"], vector["message"], signature, "mainnet", interpreter=kernel_interpreter()
    )
    assert with_core.valid, with_core.reason
    if "time-lock" in vector["type"]:
        assert (with_core.locktime, with_core.sequence) != (0, 0)


@pytest.mark.parametrize("vector", list(_error_cases()))
def test_error_vectors_are_never_valid(vector):
    args = (vector["address"], vector["message"], vector["signature"], "mainnet")
    assert not bip322.verify(*args).valid
    result = bip322.verify(*args, interpreter=kernel_interpreter())
    assert result.verdict is bip322.Verdict.INVALID, result


def test_proof_of_funds_is_refused_in_words():
    (v, *_rest) = _vectors("generated")["proof_of_funds"]
    result = bip322.verify(v["address"], v["message"], v["bip322_signatures"][0], "mainnet")
    assert result.verdict is bip322.Verdict.INVALID and "not supported" in result.reason


def test_signing_reproduces_or_verifies_the_vectors():
    for name in ("basic", "generated"):
        for section in ("simple", "full"):
            for v in _vectors(name).get(section, []):
                if v["type"] not in NATIVE or len(v["private_keys"]) != 1:
                    continue
                secret, _compressed = wif_decode(v["private_keys"][0], "mainnet")
                full = section == "full" or v["type"] in ("p2pkh", "p2sh-p2wpkh")
                ours = bip322.sign(secret, v["address"], v["message"], "mainnet", full=full)
                assert ours[:3] == ("ful" if full else "smp")
                assert bip322.verify(v["address"], v["message"], ours, "mainnet").valid
                if name == "basic" and v["type"] == "p2wpkh" and not full:
                    # RFC 6979 with Core's low-R grinding gives one of the BIP's two signatures
                    assert ours in v["bip322_signatures"]
    secret = bytes(range(1, 33))
    with pytest.raises(Exception, match="not the key of"):
        bip322.sign(secret, "bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l", "x", "mainnet")


# -- legacy signmessage ---------------------------------------------------------------------------

SYSTEM_PYTHON = Path("/usr/bin/python3")
ELECTRUM = textwrap.dedent(
    """
    import base64, json, sys
    from electrum import ecc
    job = json.load(sys.stdin)
    out = {"signed": {}, "verified": []}
    for name, wif_hex in job["keys"].items():
        key = ecc.ECPrivkey(bytes.fromhex(wif_hex))
        sig = key.sign_message(job["message"].encode(), True)
        out["signed"][name] = base64.b64encode(sig).decode()
    for address, sig, message in job["verify"]:
        ok = ecc.verify_message_with_address(address, base64.b64decode(sig), message.encode())
        out["verified"].append(bool(ok))
    print(json.dumps(out))
    """
)


def _electrum(job: dict) -> dict:
    if not SYSTEM_PYTHON.exists():
        pytest.skip("no system Python with python3-electrum here")
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import electrum.ecc"], capture_output=True, timeout=60
    )
    if probe.returncode != 0:
        pytest.skip("Debian's python3-electrum is not installed")
    done = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", ELECTRUM],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_legacy_signatures_against_electrum():
    message = "Paylight ↔ Electrum: proof of address, 2026"
    secret = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    pub = public_key(secret)
    addresses = {
        ScriptType.P2PKH: p2pkh_address(pub, "mainnet"),
        ScriptType.P2WPKH: p2wpkh_address(pub, "mainnet"),
        ScriptType.P2SH_P2WPKH: p2sh_p2wpkh_address(pub, "mainnet"),
    }
    ours = []
    for script_type, address in addresses.items():
        for style in HeaderStyle:
            sig = sign_message(secret, message, script_type, style=style)
            ours.append((address, sig, message))
            assert verify_message(address, sig, message, "mainnet")
            assert not verify_message(address, sig, message + ".", "mainnet")
    wrong = [(addresses[ScriptType.P2WPKH], ours[0][1], "another message")]
    result = _electrum({"keys": {"k": secret.hex()}, "message": message, "verify": [*ours, *wrong]})
    assert result["verified"] == [True] * len(ours) + [False]  # Electrum accepts ours
    theirs = result["signed"]["k"]
    for address in addresses.values():  # and Paylight accepts Electrum's, for every type
        assert verify_message(address, theirs, message, "mainnet")


def test_legacy_headers_and_bad_signatures():
    secret = bytes(range(1, 33))
    pub = public_key(secret)
    sig = sign_message(secret, "hi", ScriptType.P2WPKH)
    import base64

    assert 39 <= base64.b64decode(sig)[0] <= 42  # BIP137: P2WPKH
    # a BIP137 P2WPKH header does not stand for the P2PKH address of the same key
    assert not verify_message(p2pkh_address(pub, "mainnet"), sig, "hi", "mainnet")
    uncompressed = sign_message(secret, "hi", compressed=False)
    assert 27 <= base64.b64decode(uncompressed)[0] <= 30
    assert verify_message(
        p2pkh_address(public_key(secret, False), "mainnet"), uncompressed, "hi", "mainnet"
    )
    assert len(message_hash("hi")) == 32
    for bad in (
        "",
        "@@@",
        base64.b64encode(b"\x1f" + b"\x00" * 63).decode(),
        base64.b64encode(b"\x50" + b"\x01" * 64).decode(),
    ):
        with pytest.raises(MessageError):
            verify_message(p2pkh_address(pub, "mainnet"), bad, "hi", "mainnet")
    with pytest.raises(Exception, match="has no p2tr addresses"):
        sign_message(secret, "hi", ScriptType.P2TR)
